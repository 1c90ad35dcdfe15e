/* cmd_region.c -- -r/--region and -R/--regions-file: which targets count,
 * model and call look at (as the same options of samtools and bcftools);
 * the parsing and the overlap are region.c's. */
#include <errno.h>
#include <stdlib.h>

#include "vafwatch/cnv.h"
#include "vafwatch/log.h"
#include "vafwatch/region.h"
#include "vafwatch/inputs.h"

int vw_region_arg_check(const char *arg)
{
    return vw_region_parse(arg, NULL);
}

int vw_targets_region_filter(const vw_target_opt_t *o, vw_targets_t *ts)
{
    if (!o->n_regions && !o->regions_file)
        return 0;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    uint8_t *keep = malloc((size_t)ts->n + 1);
    int r = rs && keep ? 0 : -ENOMEM, n_keep = 0, n = ts->n;
    for (int i = 0; r == 0 && i < o->n_regions; i++)
        r = vw_region_parse(o->regions[i], rs);
    if (r == 0 && o->regions_file)
        r = vw_cnv_regions_load_bed(rs, o->regions_file, 1);
    if (r == 0) {
        n_keep = vw_region_mark_targets(ts, rs, keep);
        vw_info("%d of %d target(s) in the given regions", n_keep, n);
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
