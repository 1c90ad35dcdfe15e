/* run_genome.c -- the genome-wide tumour fraction in vafwatch run: the
 * per-sample summaries of cnv --genome matched to the sheet's plasma draws
 * and written as OUTDIR/vafwatch.genome_series.tsv. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/cnv_genome.h"
#include "vafwatch/log.h"
#include "vafwatch/inputs.h"
#include "pipeline_priv.h"

typedef struct {
    const vw_timeline_t *tl;
    const vw_gsum_t *s;
    int rows;
} series_t;

static int w_series(FILE *fp, const void *obj)
{
    series_t *x = (series_t *)obj;
    return vw_genome_write_series(fp, x->tl, (const char *const *)x->s->sample, x->s->fit, x->s->fga, x->s->wgii,
                                  x->s->n, &x->rows);
}

int vw_pipeline_genome(char *const *files, int n, const vw_timeline_t *tl, const char *outdir)
{
    int rc = -1;
    vw_gsum_t *s = vw_gsum_init();
    size_t len = strlen(outdir) + 40;
    char *path = malloc(len);
    if (!s || !path) {
        vw_error_code(-ENOMEM, "--genome-tsv");
        goto out;
    }
    for (int i = 0; i < n; i++)
        if (vw_gsum_read_tsv(s, files[i]) < 0)
            goto out;
    snprintf(path, len, "%s/vafwatch.genome_series.tsv", outdir);
    series_t x = {tl, s, 0};
    if (vw_write_file(path, w_series, &x) < 0)
        goto out;
    if (x.rows < s->n)
        vw_warn("--genome-tsv: %d of %d samples are not plasma draws of the sheet (by name): left out", s->n - x.rows,
                s->n);
    if (x.rows == 0)
        vw_warn("--genome-tsv: no sample matches a plasma draw of the sheet: vafwatch.genome_series.tsv has only "
                "its header");
    rc = 0;
out:
    free(path);
    vw_gsum_destroy(s);
    return rc;
}
