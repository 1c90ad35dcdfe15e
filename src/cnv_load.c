/* cnv_load.c -- one alignment file's fragments per copy-number region,
 * normalised (cnv, run), and the build its header tells. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/cnv.h"
#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"

vw_build_t vw_cnv_file_build(const char *path, const char *reference)
{
    int chr;
    return vw_input_build(path, reference, &chr); /* the one header reader of targets.c */
}

vw_cnv_sample_t *vw_cnv_load_sample(const char *path, const char *name, const vw_cnv_regions_t *rs,
                                    const vw_count_opt_t *copt, int gc)
{
    vw_cnv_sample_t *s = calloc(1, sizeof(*s));
    char **chrom = calloc((size_t)rs->n, sizeof(char *));
    hts_pos_t *beg = calloc((size_t)rs->n, sizeof(hts_pos_t)), *end = calloc((size_t)rs->n, sizeof(hts_pos_t));
    if (!s || !chrom || !beg || !end || !(s->frag = calloc((size_t)rs->n, sizeof(int64_t))) ||
        !(s->path = vw_strdup(path))) {
        vw_error_code(-ENOMEM, "%s", path);
        goto fail;
    }
    s->n = rs->n;
    for (int i = 0; i < rs->n; i++) {
        chrom[i] = rs->r[i].chrom;
        beg[i] = rs->r[i].beg;
        end[i] = rs->r[i].end;
    }
    if (vw_count_regions(path, name, rs->n, chrom, beg, end, rs->build, copt, s->frag, &s->sample) < 0)
        goto fail;
    int r = vw_cnv_normalise(s, rs, gc);
    if (r == VW_EINPUT) {
        vw_error("%s: no fragments in the reference regions (wrong regions, or every read filtered?)", path);
        goto fail;
    } else if (r < 0) {
        vw_error_code(r, "%s", path);
        goto fail;
    }
    free(chrom);
    free(beg);
    free(end);
    return s;
fail:
    free(chrom);
    free(beg);
    free(end);
    vw_cnv_sample_destroy(s);
    return NULL;
}
