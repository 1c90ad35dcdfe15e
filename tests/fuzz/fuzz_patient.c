/* fuzz_patient.c -- vw_patient_rows_read_tsv() on arbitrary text (the
 * patient table that leadtime and report read with --patient-tests); what
 * it accepts goes through the series over time on a fixed sheet, is written
 * back and must read again to the same rows. */
#include "vafwatch/patient.h"
#include "fuzz_util.h"

static vw_timeline_t *tl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!tl) {
        const char *sheet = fz_write("sheet.tsv", "patient\tsample\tdate\tfile\n"
                                     "P\tS0\t2024-01-01\tx.bam\nP\tS1\t2024-02-01\tx.bam\n"
                                     "P\tS2\t2024-03-01\tx.bam\nQ\tT0\t2024-01-01\tx.bam\n", NULL, 0);
        if (vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl) != 0)
            abort();
    }
    const char *path = fz_write("patient.tsv", NULL, data, n);
    vw_patient_rows_t *rs = vw_patient_rows_init();
    if (!rs)
        return 0;
    if (vw_patient_rows_read_tsv(rs, path) == 0) {
        if (vw_patient_series(rs, tl, 0.5) != 0)
            abort(); /* a table that reads has counts the series accepts */
        char p2[128];
        snprintf(p2, sizeof p2, "%s/patient2.tsv", fz_dir);
        FILE *fp = fopen(p2, "w");
        if (!fp)
            abort();
        if (vw_patient_write_tsv(fp, rs) != 0)
            abort();
        fclose(fp);
        vw_patient_rows_t *rs2 = vw_patient_rows_init();
        if (rs2 && vw_patient_rows_read_tsv(rs2, p2) == 0 && rs2->n != rs->n)
            abort(); /* a table we wrote must read back whole */
        vw_patient_rows_destroy(rs2);
    }
    vw_patient_rows_destroy(rs);
    return 0;
}
