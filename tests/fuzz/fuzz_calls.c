/* fuzz_calls.c -- vw_calls_read_tsv() on arbitrary text; what it accepts is
 * written back and must read again to the same number of rows. */
#include "vafwatch/call.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    const char *path = fz_write("calls.tsv", NULL, data, n);
    vw_calls_t *cs = vw_calls_init();
    if (!cs)
        return 0;
    if (vw_calls_read_tsv(cs, path) == 0) {
        char p2[128];
        snprintf(p2, sizeof p2, "%s/calls2.tsv", fz_dir);
        FILE *fp = fopen(p2, "w");
        if (!fp)
            abort();
        if (vw_calls_write_tsv(fp, cs) != 0)
            abort();
        fclose(fp);
        vw_calls_t *cs2 = vw_calls_init();
        if (cs2 && vw_calls_read_tsv(cs2, p2) == 0 && cs2->n != cs->n)
            abort(); /* a table we wrote must read back whole */
        vw_calls_destroy(cs2);
    }
    vw_calls_destroy(cs);
    return 0;
}
