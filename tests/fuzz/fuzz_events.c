/* fuzz_events.c -- vw_timeline_read_events() on arbitrary text, after a
 * valid cohort sheet (patients P1 and P2), then the treatment queries. */
#include "vafwatch/timeline.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    static const char sheet[] = "patient\tsample\tdate\tfile\ttype\n"
                                "P1\tS1\t2023-01-05\ta.bam\tplasma\n"
                                "P1\tS2\t2023-03-01\tb.bam\tplasma\n"
                                "P1\tN1\t2023-01-05\tn.bam\tnormal\n"
                                "P2\tS3\t2023-02-01\tc.bam\tplasma\n";
    char spath[128];
    snprintf(spath, sizeof spath, "%s", fz_write("sheet.tsv", sheet, NULL, 0));
    const char *path = fz_write("events.tsv", NULL, data, n);
    vw_timeline_t *tl = NULL;
    if (vw_timeline_read_sheet(spath, VW_TIMELINE_NO_FILE_CHECK, &tl) != 0)
        abort(); /* the fixed sheet is valid */
    if (vw_timeline_read_events(tl, path) == 0) {
        for (size_t i = 0; i < tl->n_patients; i++) {
            const vw_patient_t *p = &tl->patients[i];
            const vw_treatment_t *out[4];
            (void)vw_timeline_baseline_index(p);
            for (size_t k = 0; k < p->n_samples; k++) {
                (void)vw_timeline_treatment_at(p, p->samples[k].date);
                (void)vw_timeline_treatments_at(p, p->samples[k].date, out, 4);
            }
        }
    }
    vw_timeline_destroy(tl);
    return 0;
}
