/* fuzz_table.c -- the table reader on arbitrary text: the header against a
 * spec of required and optional columns (each unknown-column policy and
 * "##" skipping chosen by the first byte), then every row through the
 * number parsers, and every parsed double through the formatter, which
 * must read back exactly. */
#include <math.h>

#include "vafwatch/table.h"
#include "fuzz_util.h"

static const vw_table_col_t cols[] = {{"chrom", 1}, {"pos", 1}, {"vaf", 0}, {"note", 0}};

static void check_field(const char *s)
{
    double v;
    long l;
    char b[VW_TABLE_NUMSZ];
    (void)vw_table_parse_long(s, -1000000, 1000000, &l);
    (void)vw_table_is_na(s, VW_NUM_EMPTY);
    if (vw_table_parse_double(s, VW_NUM_NA | VW_NUM_EMPTY | VW_NUM_INFINITE, -INFINITY, INFINITY, &v) == 0
        && !isnan(v)) {
        double r;
        vw_table_fmt_double(b, v);
        if (vw_table_parse_double(b, VW_NUM_INFINITE, -INFINITY, INFINITY, &r) != 0
            || memcmp(&r, &v, sizeof v) != 0)
            abort(); /* a written value must read back bit for bit */
    }
    char sp[8][VW_CONTIG_NAMESZ];
    int n = vw_contig_spellings(s, sp, 8);
    for (int i = 0; i < n; i++)
        if (!vw_contig_match(sp[i], s) && strlen(s) < VW_CONTIG_NAMESZ - 3)
            abort(); /* every spelling names the same contig */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (n == 0)
        return 0;
    static const unsigned policy[] = {VW_TABLE_UNKNOWN_WARN, VW_TABLE_UNKNOWN_IGNORE, VW_TABLE_UNKNOWN_REFUSE,
                                      VW_TABLE_UNKNOWN_IGNORE | VW_TABLE_SKIP_META};
    unsigned flags = policy[data[0] & 3];
    const char *path = fz_write("table.tsv", NULL, data + 1, n - 1);
    vw_table_t *t = NULL;
    int col[4];
    char **f;
    if (vw_table_open(path, "table", &t) != 0)
        abort();
    if (vw_table_header(t, "table", cols, 4, flags, col) == 0) {
        while (vw_table_row(t, &f) == 1)
            for (int j = 0; j < vw_table_ncols(t); j++)
                check_field(f[j]);
    }
    vw_table_close(t);
    return 0;
}
