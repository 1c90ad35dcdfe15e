/* fuzz_sheet.c -- vw_timeline_read_sheet() on arbitrary text (no file check),
 * then the queries on what it accepted. */
#include "vafwatch/timeline.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    const char *path = fz_write("sheet.tsv", NULL, data, n);
    vw_timeline_t *tl = NULL;
    if (vw_timeline_read_sheet(path, VW_TIMELINE_NO_FILE_CHECK, &tl) == 0) {
        for (size_t i = 0; i < tl->n_patients; i++) {
            const vw_patient_t *p = &tl->patients[i];
            (void)vw_timeline_baseline_index(p);
            if (p->targets && p->targets_line <= 0) /* a targets file always has its line */
                abort();
            if (p->n_samples)
                (void)vw_timeline_find_sample(tl, p->samples[0].sample, NULL);
        }
        vw_timeline_destroy(tl);
    }
    return 0;
}
