/* cmd_region.c -- -r/--region and -R/--regions-file: which targets count,
 * model and call look at (as the same options of samtools and bcftools). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/cnv.h"
#include "vafwatch/log.h"
#include "cmd.h"

/* Contig names compared with or without "chr", and M = MT. */
static const char *bare(const char *c)
{
    if (strncmp(c, "chr", 3) == 0)
        c += 3;
    return c;
}

static int same_contig(const char *a, const char *b)
{
    a = bare(a);
    b = bare(b);
    if (strcmp(a, "MT") == 0)
        a = "M";
    if (strcmp(b, "MT") == 0)
        b = "M";
    return strcmp(a, b) == 0;
}

/* Adds the regions of one -r argument to rs (NULL: only checks it):
 * REG[,REG...], each CHR, CHR:POS, CHR:BEG-END or CHR:BEG- (1-based,
 * inclusive; digits may have thousands commas, so a comma starts a new
 * region only before a non-digit). */
static int add_region_arg(vw_cnv_regions_t *rs, const char *arg)
{
    char *s = strdup(arg);
    int r = s ? 0 : -ENOMEM;
    for (char *p = s; r == 0 && p && *p;) {
        char *q = p;
        while ((q = strchr(q, ',')) && q[1] >= '0' && q[1] <= '9')
            q++;
        if (q)
            *q++ = '\0';
        hts_pos_t beg, end;
        const char *colon = hts_parse_reg64(p, &beg, &end);
        if (!colon || colon == p || beg >= end) {
            vw_error("--region: cannot read '%s' (CHR, CHR:POS or CHR:BEG-END, 1-based)", p);
            r = VW_EINPUT;
            break;
        }
        if (*colon == ':' && !strchr(colon, '-'))
            end = beg + 1; /* CHR:POS is one position (bcftools), not POS to the end (samtools) */
        *(char *)colon = '\0';
        r = rs ? vw_cnv_regions_add(rs, p, beg, end, ".", 1) : 0;
        p = q;
    }
    free(s);
    return r;
}

static int overlaps(const vw_cnv_regions_t *rs, const vw_target_t *t)
{
    hts_pos_t tbeg = t->beg, tend = t->beg + (hts_pos_t)(t->ref ? strlen(t->ref) : 1);
    if (tend <= tbeg)
        tend = tbeg + 1;
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].beg < tend && tbeg < rs->r[i].end && same_contig(rs->r[i].chrom, t->chrom))
            return 1;
    return 0;
}

int vw_cmd_region_check(const char *arg)
{
    return add_region_arg(NULL, arg);
}

int vw_cmd_region_filter(const vw_target_opt_t *o, vw_targets_t *ts)
{
    if (!o->n_regions && !o->regions_file)
        return 0;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    uint8_t *keep = ts->n ? malloc((size_t)ts->n) : NULL;
    int r = rs && (keep || !ts->n) ? 0 : -ENOMEM;
    for (int i = 0; r == 0 && i < o->n_regions; i++)
        r = add_region_arg(rs, o->regions[i]);
    if (r == 0 && o->regions_file)
        r = vw_cnv_regions_load_bed(rs, o->regions_file, 1);
    if (r == 0) {
        int n_keep = 0;
        for (int i = 0; i < ts->n; i++)
            n_keep += keep[i] = (uint8_t)overlaps(rs, &ts->t[i]);
        vw_info("%d of %d target(s) in the given regions", n_keep, ts->n);
        if (n_keep == 0) {
            vw_error("no target lies in %s", o->regions_file ? o->regions_file : "the --region given");
            r = VW_EINPUT;
        } else {
            vw_targets_filter(ts, keep);
        }
    }
    if (r == -ENOMEM)
        vw_error_code(r, "regions");
    free(keep);
    vw_cnv_regions_destroy(rs);
    return r;
}
