/* fuzz_markers.c -- vw_markers_read() on arbitrary text against a fixed
 * two-patient sheet, then the report's marker range over what it accepted. */
#include "vafwatch/timeline.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    static vw_timeline_t *tl;
    fz_init();
    if (!tl) {
        const char *sp = fz_write("sheet.tsv", "patient\tsample\tdate\tfile\n"
                                               "P1\tS1\t2023-01-02\ta.bam\nP2\tS2\t2023-02-01\tb.bam\n", NULL, 0);
        if (vw_timeline_read_sheet(sp, VW_TIMELINE_NO_FILE_CHECK, &tl) != 0)
            abort();
    }
    const char *path = fz_write("markers.tsv", NULL, data, n);
    vw_markers_t *m = NULL;
    if (vw_markers_read(tl, path, &m) == 0) {
        /* what the reader promises: sorted, one unit per marker, finite values, known patients */
        for (size_t i = 0; i < m->n; i++) {
            if (m->v[i].patient >= tl->n_patients || m->v[i].value != m->v[i].value)
                abort();
            if (i && (m->v[i].patient < m->v[i - 1].patient
                      || (m->v[i].patient == m->v[i - 1].patient && strcmp(m->v[i].marker, m->v[i - 1].marker) < 0)))
                abort();
            for (size_t j = 0; j < i; j++)
                if (strcmp(m->v[i].marker, m->v[j].marker) == 0 && strcmp(m->v[i].unit, m->v[j].unit) != 0)
                    abort();
        }
        vw_markers_destroy(m);
    }
    return 0;
}
