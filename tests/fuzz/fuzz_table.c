/* fuzz_table.c -- the table reader on arbitrary text.  The first byte
 * chooses: bits 0-1 the unknown-column policy (and "##" skipping) of a
 * generic spec of required and optional columns, whose rows go through the
 * number parsers, every parsed double through the formatter (which must
 * read back exactly) and every field through the contig rule; bits 2-3
 * instead one of the readers ported onto the module that have no harness
 * of their own (model file, cnv table, the cnv table read twice into one
 * set with its text fields walked as the report shows them). */
#include <math.h>

#include "vafwatch/cnv.h"
#include "vafwatch/evclass.h"
#include "vafwatch/model.h"
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
    int reader = (data[0] >> 2) & 3;
    if (reader == 1) {
        vw_model_t *m = vw_model_init();
        if (m && vw_model_read_tsv(m, path) == 0) {
            char list[64];
            int k = vw_model_find(m, "chr7", 1, "A", "C"), kc = vw_evclass_find(m, NULL, "chr7", 1, "A", "C");
            if (k != kc || vw_evclass_list(m, list, sizeof list) < 0 || strlen(list) >= sizeof list)
                abort(); /* the first site there, whatever its class; the list fits its buffer */
            (void)vw_evclass_find(m, "duplex", "chr7", 1, "A", "C");
        }
        vw_model_destroy(m);
        return 0;
    }
    if (reader == 2) {
        vw_cnv_rows_t *rs = vw_cnv_rows_init();
        if (rs)
            (void)vw_cnv_rows_read_tsv(rs, path);
        vw_cnv_rows_destroy(rs);
        return 0;
    }
    if (reader == 3) {
        vw_cnv_rows_t *rs = vw_cnv_rows_init();
        if (rs && vw_cnv_rows_read_tsv(rs, path) == 0 && vw_cnv_rows_read_tsv(rs, path) == 0) {
            if (rs->n % 2)
                abort(); /* the same table twice: twice its rows */
            for (int i = 0; i < rs->n; i++)
                for (int j = 0; j < rs->n_cols; j++)
                    if (!rs->r[i].field[j] || strcmp(rs->r[i].field[j], rs->r[i % (rs->n / 2)].field[j]))
                        abort(); /* every row keeps all its fields */
        }
        vw_cnv_rows_destroy(rs);
        return 0;
    }
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
