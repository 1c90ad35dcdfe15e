/* fuzz_therapy.c -- vw_therapy_map_read() on arbitrary text, then every
 * query of what it accepted against a fixed target. */
#include "vafwatch/therapy.h"
#include <strings.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    const char *path = fz_write("therapy.tsv", NULL, data, n);
    vw_therapy_map_t *m = NULL;
    if (vw_therapy_map_read(path, &m) == 0) {
        vw_target_t t;
        memset(&t, 0, sizeof(t));
        t.id = "KRAS_G12D"; t.gene = "KRAS"; t.protein = "p.G12D"; t.context = "anti-EGFR mAb resistance (CRC)";
        for (int i = 0; i < m->n; i++) {
            /* what the reader promises: non-empty class and value, a known kind */
            if (!m->r[i].cls[0] || !m->r[i].value[0] || (int)m->r[i].kind < 0 || m->r[i].kind > VW_TSEL_CONTEXT)
                abort();
            const char *c = vw_therapy_class(m, m->r[i].cls);
            if (!c || strcasecmp(c, m->r[i].cls) != 0)
                abort();
            (void)vw_therapy_relevant(m, m->r[i].cls, &t);
            (void)vw_therapy_class(m, m->r[i].value);
        }
        vw_therapy_map_destroy(m);
    } else if (m) {
        abort();
    }
    return 0;
}
