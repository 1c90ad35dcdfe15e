/*
 * test_table.c -- the table reader (BOM, CRLF, NUL, header by name, row
 * shape, comments handed back, physical lines, a header read by the
 * caller), the NA test, the strict number parsers, the round-trip number
 * formatter, the writer's header and fixed-format numbers, the messages
 * naming file, line and column, and the contig-name rule.  Messages are captured through vw_log_set_sink()
 * and checked for "<file>:<line>: column '<name>':".
 *
 * Expected strings of the formatter are the shortest decimal forms of the
 * doubles as printed by Python's repr() (an independent shortest
 * round-trip algorithm), noted beside each.
 */
#include <errno.h>
#include <float.h>
#include <stdlib.h>

#include "vw_test.h"
#include <htslib/bgzf.h>

#include "vafwatch/call.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/model.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"

static vw_test_cap_t cap;

/* A reader over the n bytes of s, named "t.tsv" in messages. */
typedef struct {
    FILE *fp;
    vw_table_t *t;
} mem_table_t;

static void mem_open(mem_table_t *m, const char *s, size_t n)
{
    m->fp = fmemopen((void *)s, n, "r");
    assert_non_null(m->fp);
    m->t = vw_table_from_fp(m->fp, "t.tsv");
    assert_non_null(m->t);
}

static void mem_close(mem_table_t *m)
{
    vw_table_close(m->t);
    fclose(m->fp);
}

static const vw_table_col_t ab_cols[] = {{"a", 1}, {"b", 0}};

/* Reads header and all rows of s; returns the final code and the message. */
static int read_all(const char *s, size_t n, unsigned flags, int *col, int *ret_rows, char **ret_msg)
{
    mem_table_t m;
    char **f;
    int rows = 0, rc;
    mem_open(&m, s, n);
    vw_test_cap_start(&cap);
    rc = vw_table_header(m.t, "test table", ab_cols, 2, flags, col);
    if (rc == 0) {
        while ((rc = vw_table_row(m.t, &f)) == 1)
            rows++;
    }
    *ret_msg = vw_test_cap_stop(&cap);
    mem_close(&m);
    *ret_rows = rows;
    return rc;
}

static void test_bom_crlf(void **state)
{
    (void)state;
    static const char s[] = "\xEF\xBB\xBF#a\tb\r\nx1\ty1\r\n\r\n# a comment\r\nx2\ty2\r\n";
    mem_table_t m;
    int col[2];
    char **f;
    mem_open(&m, s, sizeof(s) - 1);
    assert_int_equal(vw_table_header(m.t, "test table", ab_cols, 2, 0, col), 0);
    assert_int_equal(col[0], 0);
    assert_int_equal(col[1], 1);
    assert_int_equal(vw_table_ncols(m.t), 2);
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_string_equal(f[0], "x1");
    assert_string_equal(f[1], "y1"); /* no '\r' left */
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_int_equal(vw_table_lineno(m.t), 5); /* blank and comment lines counted */
    assert_string_equal(f[1], "y2");
    assert_int_equal(vw_table_row(m.t, &f), 0);
    mem_close(&m);
}

static void test_header_by_name(void **state)
{
    (void)state;
    /* columns in another order, an optional one absent, an unknown one */
    static const char s[] = "z\ta\n1\t2\n";
    int col[2], rows;
    char *msg;
    assert_int_equal(read_all(s, sizeof(s) - 1, 0, col, &rows, &msg), 0);
    assert_int_equal(col[0], 1);
    assert_int_equal(col[1], -1);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(msg, "t.tsv:1: ignoring unknown column(s) 'z'"));
    free(msg);
    assert_int_equal(read_all(s, sizeof(s) - 1, VW_TABLE_UNKNOWN_IGNORE, col, &rows, &msg), 0);
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(read_all(s, sizeof(s) - 1, VW_TABLE_UNKNOWN_REFUSE, col, &rows, &msg), VW_EPARSE);
    assert_non_null(strstr(msg, "t.tsv:1: unknown column(s) 'z'"));
    free(msg);
}

static void test_header_errors(void **state)
{
    (void)state;
    int col[2], rows;
    char *msg;
    static const char missing[] = "b\tc\n1\t2\n";
    assert_int_equal(read_all(missing, sizeof(missing) - 1, 0, col, &rows, &msg), VW_EPARSE);
    assert_non_null(strstr(msg, "t.tsv:1: column 'a': required column missing from the header"));
    free(msg);
    static const char dup[] = "\n#a\tb\ta\n";
    assert_int_equal(read_all(dup, sizeof(dup) - 1, 0, col, &rows, &msg), VW_EPARSE);
    assert_non_null(strstr(msg, "t.tsv:2: column 'a': duplicate column in the header"));
    free(msg);
    assert_int_equal(read_all("\n \t\n", 4, 0, col, &rows, &msg), VW_EPARSE);
    assert_non_null(strstr(msg, "t.tsv: the test table is empty; expected a header line"));
    free(msg);
    /* "##" provenance lines: skipped with VW_TABLE_SKIP_META, else the header */
    static const char meta[] = "##source=x\n#a\tb\n1\t2\n";
    assert_int_equal(read_all(meta, sizeof(meta) - 1, VW_TABLE_SKIP_META, col, &rows, &msg), 0);
    assert_int_equal(rows, 1);
    assert_int_equal(col[0], 0);
    free(msg);
    assert_int_equal(read_all(meta, sizeof(meta) - 1, 0, col, &rows, &msg), VW_EPARSE);
    assert_non_null(strstr(msg, "column 'a': required column missing"));
    free(msg);
}

static void test_row_errors(void **state)
{
    (void)state;
    int col[2], rows;
    char *msg;
    static const char shape[] = "a\tb\n1\t2\n1\t2\t3\n";
    assert_int_equal(read_all(shape, sizeof(shape) - 1, 0, col, &rows, &msg), VW_EPARSE);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(msg, "t.tsv:3: expected 2 tab-separated fields as in the header, found 3"));
    free(msg);
    static const char nul[] = "a\tb\n1\t2\n1\0\t2\n";
    assert_int_equal(read_all(nul, sizeof(nul) - 1, 0, col, &rows, &msg), VW_EPARSE);
    assert_int_equal(rows, 1);
    assert_non_null(strstr(msg, "t.tsv:3: line contains a NUL byte"));
    free(msg);
    /* a byte-order mark is dropped on line 1 only */
    static const char bom2[] = "a\tb\n\xEF\xBB\xBF" "1\t2\n";
    mem_table_t m;
    char **f;
    mem_open(&m, bom2, sizeof(bom2) - 1);
    assert_int_equal(vw_table_header(m.t, "t", ab_cols, 2, 0, col), 0);
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_string_equal(f[0], "\xEF\xBB\xBF" "1");
    mem_close(&m);
}

/* VW_TABLE_RAGGED (the targets TSV): rows shorter or longer than the
 * header; the missing fields are NULL, a long row is split whole. */
static void test_ragged(void **state)
{
    (void)state;
    static const char s[] = "A\tB\tc\n1\n1\t2\t3\t4\t5\n6\t7\t8\n";
    mem_table_t m;
    int col[2];
    char **f;
    mem_open(&m, s, sizeof(s) - 1);
    assert_int_equal(vw_table_header(m.t, "t", ab_cols, 2, VW_TABLE_RAGGED | VW_TABLE_NOCASE | VW_TABLE_UNKNOWN_IGNORE, col), 0);
    assert_int_equal(col[0], 0);
    assert_int_equal(col[1], 1);
    assert_string_equal(vw_table_colname(m.t, 2), "c");
    assert_null(vw_table_colname(m.t, 3));
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_int_equal(vw_table_nfields(m.t), 1);
    assert_string_equal(f[0], "1");
    assert_null(f[1]);
    assert_null(f[2]);
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_int_equal(vw_table_nfields(m.t), 5);
    for (int i = 0; i < 5; i++) {
        char e[2] = {(char)('1' + i), 0};
        assert_string_equal(f[i], e);
    }
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_int_equal(vw_table_nfields(m.t), 3);
    assert_string_equal(f[2], "8");
    assert_int_equal(vw_table_row(m.t, &f), 0);
    mem_close(&m);
}

static void test_long_line(void **state)
{
    (void)state;
    /* a 3 MB field: the reader grows its buffer, nothing is cut */
    size_t big = 3u << 20;
    char *s = malloc(big + 16);
    assert_non_null(s);
    memcpy(s, "a\tb\n", 4);
    memset(s + 4, 'x', big);
    memcpy(s + 4 + big, "\ty\n", 3);
    mem_table_t m;
    int col[2];
    char **f;
    mem_open(&m, s, big + 7);
    assert_int_equal(vw_table_header(m.t, "t", ab_cols, 2, 0, col), 0);
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_int_equal(strlen(f[0]), big);
    assert_string_equal(f[1], "y");
    assert_int_equal(vw_table_row(m.t, &f), 0);
    mem_close(&m);
    free(s);
}

static void test_open_missing(void **state)
{
    (void)state;
    vw_table_t *t = NULL;
    vw_test_cap_start(&cap);
    int rc = vw_table_open("/nonexistent/dir/x.tsv", "calls table", &t);
    char *msg = vw_test_cap_stop(&cap);
    assert_int_equal(rc, -ENOENT);
    assert_null(t);
    assert_non_null(strstr(msg, "/nonexistent/dir/x.tsv: cannot open calls table: "));
    free(msg);
    vw_table_close(NULL);
}

/* A BGZF-compressed table (as the evidence tables are written) and its
 * plain copy read the same rows. */
static void test_open_gzip(void **state)
{
    (void)state;
    static const char s[] = "#a\tb\n1\t2\n3\t4\n";
    char dir[] = "/tmp/vwtable.XXXXXX", gz[64], plain[64];
    assert_non_null(mkdtemp(dir));
    snprintf(gz, sizeof gz, "%s/t.tsv.gz", dir);
    snprintf(plain, sizeof plain, "%s/t.tsv", dir);
    BGZF *bz = bgzf_open(gz, "w");
    assert_non_null(bz);
    assert_int_equal(bgzf_write(bz, s, sizeof(s) - 1), (ssize_t)(sizeof(s) - 1));
    assert_int_equal(bgzf_close(bz), 0);
    FILE *fp = fopen(plain, "w");
    assert_non_null(fp);
    fputs(s, fp);
    fclose(fp);
    const char *paths[2] = {gz, plain};
    for (int k = 0; k < 2; k++) {
        vw_table_t *t = NULL;
        int col[2];
        char **f;
        assert_int_equal(vw_table_open(paths[k], "test table", &t), 0);
        assert_int_equal(vw_table_header(t, "test table", ab_cols, 2, 0, col), 0);
        assert_int_equal(vw_table_row(t, &f), 1);
        assert_string_equal(f[1], "2");
        assert_int_equal(vw_table_row(t, &f), 1);
        assert_string_equal(f[0], "3");
        assert_int_equal(vw_table_row(t, &f), 0);
        assert_int_equal(vw_table_lineno(t), 3);
        vw_table_close(t);
    }
    assert_int_equal(vw_test_rmtree(dir), 0);
}

/* The calls table, a reader ported onto the module: its columns are found
 * by name, so a table whose columns were reordered (here: reversed, with
 * CRLF line ends and a byte-order mark) reads back the same calls as the
 * writer's own order; an extra column is refused. */
static void test_calls_by_name(void **state)
{
    (void)state;
    vw_calls_t *cs = vw_calls_init();
    assert_non_null(cs);
    vw_call_t c = {.sample = "S1", .chrom = "chr7", .pos1 = 140753336, .ref = "A", .alt = "T", .id = "BRAF_V600E",
                   .gene = "BRAF", .protein = "p.V600E", .cdna = "c.1799T>A", .depth = 1000, .ref_count = 990,
                   .alt_count = 10, .alt_fwd = 6, .alt_rev = 4, .vaf = 0.01, .vaf_lo = 0.005, .vaf_hi = 0.018,
                   .p_value = 1.5e-58, .q_value = 3e-57, .detected = 1, .lod95 = 0.002, .bg_error = 1e-4,
                   .copies_per_ml = NAN};
    assert_int_equal(vw_calls_push(cs, &c), 0);
    char dir[] = "/tmp/vwtable.XXXXXX", a[64], b[64], x[64];
    assert_non_null(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.tsv", dir);
    snprintf(b, sizeof b, "%s/b.tsv", dir);
    snprintf(x, sizeof x, "%s/x.tsv", dir);
    FILE *fp = fopen(a, "w");
    assert_non_null(fp);
    assert_int_equal(vw_calls_write_tsv(fp, cs), 0);
    fclose(fp);
    /* reverse the fields of every line of a into b (CRLF, BOM), and add a column into x */
    char line[4096];
    FILE *in = fopen(a, "r"), *out = fopen(b, "w"), *ox = fopen(x, "w");
    assert_true(in && out && ox);
    fputs("\xEF\xBB\xBF", out);
    for (int ln = 0; fgets(line, sizeof line, in); ln++) {
        vw_chomp(line);
        char *f[64];
        int n = vw_split_tabs(line[0] == '#' ? line + 1 : line, f, 64);
        fprintf(out, "%s", ln == 0 ? "#" : "");
        for (int i = n - 1; i >= 0; i--)
            fprintf(out, "%s%s", f[i], i ? "\t" : "\r\n");
        fprintf(ox, "%s", ln == 0 ? "#" : "");
        for (int i = 0; i < n; i++)
            fprintf(ox, "%s\t", f[i]);
        fprintf(ox, "%s\n", ln == 0 ? "extra" : "1");
    }
    fclose(in);
    fclose(out);
    fclose(ox);
    vw_calls_t *back = vw_calls_init();
    assert_non_null(back);
    assert_int_equal(vw_calls_read_tsv(back, b), 0);
    assert_int_equal(back->n, 1);
    const vw_call_t *r = &back->c[0];
    assert_string_equal(r->chrom, "chr7");
    assert_string_equal(r->cdna, "c.1799T>A");
    assert_int_equal(r->pos1, 140753336);
    assert_int_equal(r->alt_count, 10);
    assert_true(r->p_value == 1.5e-58); /* written with %.4g: exact for this value */
    assert_true(isnan(r->copies_per_ml));
    assert_int_equal(r->detected, 1);
    vw_calls_destroy(back);
    back = vw_calls_init();
    vw_test_cap_start(&cap);
    int rc = vw_calls_read_tsv(back, x);
    char *msg = vw_test_cap_stop(&cap);
    assert_int_equal(rc, VW_EPARSE);
    assert_non_null(strstr(msg, "x.tsv:1: unknown column(s) 'extra'"));
    free(msg);
    vw_calls_destroy(back);
    vw_calls_destroy(cs);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

static void test_parse_double(void **state)
{
    (void)state;
    double v = 42;
    assert_int_equal(vw_table_parse_double("NA", VW_NUM_NA, 0, 1, &v), 0);
    assert_true(isnan(v));
    v = 42;
    assert_int_equal(vw_table_parse_double("NA", 0, 0, 1, &v), VW_EPARSE);
    assert_int_equal(vw_table_parse_double("", VW_NUM_NA, 0, 1, &v), VW_EPARSE);
    assert_true(v == 42); /* untouched on failure */
    assert_int_equal(vw_table_parse_double("", VW_NUM_EMPTY, 0, 1, &v), 0);
    assert_true(isnan(v));
    assert_int_equal(vw_table_parse_double("0.25", 0, 0, 1, &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(vw_table_parse_double("1e-300", 0, 0, 1, &v), 0);
    assert_true(v == 1e-300);
    assert_int_equal(vw_table_parse_double("4.9406564584124654e-324", 0, 0, 1, &v), 0);
    assert_true(v == DBL_TRUE_MIN); /* the smallest subnormal, 2^-1074 */
    assert_int_equal(vw_table_parse_double("1e-400", 0, 0, 1, &v), 0);
    assert_true(v == 0); /* underflow reads as the nearest double */
    assert_int_equal(vw_table_parse_double("-0", 0, -1, 1, &v), 0);
    assert_true(v == 0 && signbit(v));
    static const char *const bad[] = {"1e400", "inf", "-inf", "nan", "NaN", " 1", "1 ", "1x", "0x10", "-0X1p3", "+0x1", "1,5", "--1",
                                      "1.5e", "e5", ".", "+"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (vw_table_parse_double(bad[i], VW_NUM_NA, -1e300, 1e300, &v) != VW_EPARSE)
            fail_msg("'%s' was accepted", bad[i]);
    assert_int_equal(vw_table_parse_double("inf", VW_NUM_INFINITE, 0, 1, &v), 0);
    assert_true(isinf(v) && v > 0);
    assert_int_equal(vw_table_parse_double("1.0000001", 0, 0, 1, &v), VW_EPARSE); /* range */
    assert_int_equal(vw_table_parse_double("-1e-300", 0, 0, 1, &v), VW_EPARSE);
}

static void test_parse_long(void **state)
{
    (void)state;
    long v = 7;
    assert_int_equal(vw_table_parse_long("123", 0, 1000, &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(vw_table_parse_long("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    static const char *const bad[] = {"", "NA", "1.0", "1e3", " 1", "1 ", "0x1", "99999999999999999999999", "11"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (vw_table_parse_long(bad[i], -10, 10, &v) != VW_EPARSE)
            fail_msg("'%s' was accepted", bad[i]);
    assert_int_equal(v, -5);
}

static void check_fmt(double v, const char *expect)
{
    char b[VW_TABLE_NUMSZ];
    vw_table_fmt_double(b, v);
    if (strcmp(b, expect) != 0)
        fail_msg("%.17g formatted as '%s', expected '%s'", v, b, expect);
}

static void test_fmt_double(void **state)
{
    (void)state;
    /* expected: Python repr() of the same doubles, with its exponent
     * written the C way (1e-300 -> "1e-300", 1e+20 -> "1e+20") */
    check_fmt(0.1, "0.1");
    check_fmt(1.0 / 3, "0.3333333333333333");
    check_fmt(2.0 / 3, "0.6666666666666666");
    check_fmt(100, "100");
    check_fmt(123456789012345678.0, "1.2345678901234568e+17");
    check_fmt(1e16, "10000000000000000"); /* integers below 1e17 in full (repr: 1e+16) */
    check_fmt(1e20, "1e+20");
    check_fmt(1e-300, "1e-300");
    check_fmt(1.5e-58, "1.5e-58");
    check_fmt(DBL_TRUE_MIN, "5e-324");
    check_fmt(2.2250738585072009e-308, "2.225073858507201e-308"); /* largest subnormal */
    check_fmt(DBL_MAX, "1.7976931348623157e+308");
    check_fmt(0, "0");
    check_fmt(-0.0, "-0");
    check_fmt(-2.5, "-2.5");
    check_fmt(NAN, "NA");
    check_fmt(INFINITY, "inf");
    check_fmt(-INFINITY, "-inf");
}

/* Every finite double the formatter writes reads back bit for bit, through
 * the table's own parser: 40000 pseudo-random bit patterns (all exponents,
 * subnormals and both zeros included) from a fixed-seed xorshift (4000
 * under valgrind). */
static void test_fmt_round_trip(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull;
    char b[VW_TABLE_NUMSZ];
    int n = 0, n_draws = getenv("VW_UNDER_VALGRIND") ? 4000 : 40000; /* same paths, fewer draws */
    for (int i = 0; i < n_draws; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t bits = x;
        if (i % 4 == 0)
            bits &= 0x800FFFFFFFFFFFFFull; /* a subnormal or a zero */
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        vw_table_fmt_double(b, v);
        assert_true(strlen(b) < VW_TABLE_NUMSZ);
        double r = NAN;
        if (vw_table_parse_double(b, 0, -DBL_MAX, DBL_MAX, &r) != 0)
            fail_msg("'%s' does not parse", b);
        uint64_t rb;
        memcpy(&rb, &r, sizeof rb);
        if (rb != bits)
            fail_msg("%a written as '%s' read back as %a", v, b, r);
        n++;
    }
    assert_true(n > n_draws * 95 / 100);
}

static void test_put_double(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_true(vw_table_put_double(fp, 0.05) >= 0);
    fputc('\t', fp);
    assert_true(vw_table_put_double(fp, NAN) >= 0);
    fclose(fp);
    assert_string_equal(buf, "0.05\tNA");
    free(buf);
}

/* vw_table_next: after the header a '#' line is handed back whole as a
 * comment, blank lines are skipped, rows split; vw_table_lineno() counts
 * every physical line (hand count of the text below: header 1, rows 2 and
 * 5, comment 3, blank 4) and vw_table_path() is the name given. */
static void test_next_comments(void **state)
{
    (void)state;
    static const char s[] = "#a\tb\n1\t2\n#note x\n\n3\t4\n";
    mem_table_t m;
    int col[2];
    char **f = NULL, *c = NULL;
    mem_open(&m, s, sizeof(s) - 1);
    assert_string_equal(vw_table_path(m.t), "t.tsv");
    assert_int_equal(vw_table_lineno(m.t), 0);
    assert_int_equal(vw_table_header(m.t, "test table", ab_cols, 2, 0, col), 0);
    assert_int_equal(vw_table_lineno(m.t), 1);
    assert_int_equal(vw_table_next(m.t, &f, &c), VW_TABLE_ROW);
    assert_string_equal(f[0], "1");
    assert_string_equal(f[1], "2");
    assert_int_equal(vw_table_lineno(m.t), 2);
    assert_int_equal(vw_table_next(m.t, &f, &c), VW_TABLE_COMMENT);
    assert_string_equal(c, "#note x");
    assert_int_equal(vw_table_lineno(m.t), 3);
    assert_int_equal(vw_table_next(m.t, &f, &c), VW_TABLE_ROW);
    assert_string_equal(f[0], "3");
    assert_string_equal(f[1], "4");
    assert_int_equal(vw_table_lineno(m.t), 5);
    assert_int_equal(vw_table_next(m.t, &f, &c), 0);
    mem_close(&m);
    /* a row of the wrong shape: VW_EPARSE, as vw_table_row */
    static const char bad[] = "#a\tb\n#fine\n1\t2\t3\n";
    char *msg;
    mem_open(&m, bad, sizeof(bad) - 1);
    assert_int_equal(vw_table_header(m.t, "test table", ab_cols, 2, 0, col), 0);
    assert_int_equal(vw_table_next(m.t, &f, &c), VW_TABLE_COMMENT);
    vw_test_cap_start(&cap);
    assert_int_equal(vw_table_next(m.t, &f, &c), VW_EPARSE);
    msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "t.tsv:3: expected 2 tab-separated fields as in the header, found 3"));
    free(msg);
    mem_close(&m);
}

/* vw_table_next_line: physical lines as they are, the BOM of line 1 and
 * the line endings (CRLF or LF) removed, '#' and blank lines included; a
 * NUL byte is VW_EPARSE naming the line. */
static void test_next_line(void **state)
{
    (void)state;
    static const char s[] = "\xEF\xBB\xBF##k=v\r\n\n#a\tb\nlast";
    mem_table_t m;
    char *line = NULL;
    mem_open(&m, s, sizeof(s) - 1);
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_string_equal(line, "##k=v");
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_string_equal(line, "");
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_string_equal(line, "#a\tb");
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_string_equal(line, "last"); /* no newline at the end */
    assert_int_equal(vw_table_lineno(m.t), 4);
    assert_int_equal(vw_table_next_line(m.t, &line), 0);
    mem_close(&m);
    static const char nul[] = "ok\nb\0d\n";
    mem_open(&m, nul, sizeof(nul) - 1);
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    vw_test_cap_start(&cap);
    assert_int_equal(vw_table_next_line(m.t, &line), VW_EPARSE);
    char *msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "t.tsv:2"));
    free(msg);
    mem_close(&m);
}

/* vw_table_header_parse on a line read by vw_table_next_line (the model
 * file's way: '##key=value' lines first): the columns by name, the line
 * copied (changing the caller's buffer after the call changes nothing),
 * the rows after it; a required column missing is VW_EPARSE naming the
 * header's line. */
static void test_header_parse(void **state)
{
    (void)state;
    static const char s[] = "##key=1\n#b\ta\nx\ty\n";
    mem_table_t m;
    int col[2] = {7, 7};
    char *line = NULL, **f = NULL;
    mem_open(&m, s, sizeof(s) - 1);
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_string_equal(line, "##key=1");
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_int_equal(vw_table_header_parse(m.t, line, ab_cols, 2, 0, col), 0);
    line[1] = 'z'; /* the header was copied */
    assert_int_equal(col[0], 1); /* a */
    assert_int_equal(col[1], 0); /* b */
    assert_int_equal(vw_table_ncols(m.t), 2);
    assert_string_equal(vw_table_colname(m.t, 0), "b");
    assert_string_equal(vw_table_colname(m.t, 1), "a");
    assert_int_equal(vw_table_row(m.t, &f), 1);
    assert_string_equal(f[col[0]], "y");
    assert_string_equal(f[col[1]], "x");
    assert_int_equal(vw_table_row(m.t, &f), 0);
    mem_close(&m);
    static const char miss[] = "##key=1\n#b\tc\n";
    mem_open(&m, miss, sizeof(miss) - 1);
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    assert_int_equal(vw_table_next_line(m.t, &line), 1);
    vw_test_cap_start(&cap);
    assert_int_equal(vw_table_header_parse(m.t, line, ab_cols, 2, 0, col), VW_EPARSE);
    char *msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "t.tsv:2: column 'a': required column missing from the header"));
    free(msg);
    mem_close(&m);
}

/* vw_table_is_na: exactly "NA"; the empty field only with VW_NUM_EMPTY. */
static void test_is_na(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        unsigned flags;
        int want;
    } c[] = {
        {"NA", 0, 1},        {"NA", VW_NUM_EMPTY, 1}, {"", 0, 0},  {"", VW_NUM_EMPTY, 1},
        {"na", 0, 0},        {"NaN", 0, 0},           {"NA ", 0, 0}, {" NA", VW_NUM_EMPTY, 0},
        {"N", VW_NUM_NA, 0}, {"0", VW_NUM_EMPTY, 0},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
        if (vw_table_is_na(c[i].s, c[i].flags) != c[i].want)
            fail_msg("'%s' flags %u: want %d", c[i].s, c[i].flags, c[i].want);
}

/* vw_table_put_header and vw_table_put_num: '#', the names tab-separated,
 * a newline; a number with the format given (values by hand: 0.123456 at
 * "%.4g" is 0.1235, 1e6 at "%.3g" 1e+06, -2.5 at "%.2f" -2.50), NaN as NA
 * whatever the format; a stream in error is -EIO. */
static void test_put_header_num(void **state)
{
    (void)state;
    static const vw_table_col_t spec[] = {{"sample", 1}, {"vaf", 0}, {"depth", 1}};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_table_put_header(fp, spec, 3), 0);
    assert_true(vw_table_put_num(fp, 0.123456, "%.4g") >= 0);
    fputc('\t', fp);
    assert_true(vw_table_put_num(fp, 1e6, "%.3g") >= 0);
    fputc('\t', fp);
    assert_true(vw_table_put_num(fp, -2.5, "%.2f") >= 0);
    fputc('\t', fp);
    assert_true(vw_table_put_num(fp, NAN, "%.4g") >= 0);
    fputc('\n', fp);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, "#sample\tvaf\tdepth\n0.1235\t1e+06\t-2.50\tNA\n");
    free(buf);
    /* a stream opened for reading: every write fails */
    fp = fopen("/dev/null", "r");
    assert_non_null(fp);
    assert_int_equal(vw_table_put_header(fp, spec, 3), -EIO);
    fclose(fp);
}

/* vw_table_error and vw_table_warn: "<path>:<line>: column '<col>': msg"
 * after the program's prefix (and "warning: "), line <= 0 without
 * ":<line>", col NULL without the column part; a warning is not written
 * below the warning level. */
static void test_error_warn(void **state)
{
    (void)state;
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_WARN);
    vw_test_cap_start(&cap);
    vw_table_error("x.tsv", 7, "depth", "bad %d", 5);
    vw_table_error("x.tsv", 0, "depth", "bad");
    vw_table_error("x.tsv", 3, NULL, "short row");
    vw_table_warn("y.tsv", 12, "vaf", "above %s", "1");
    char *msg = vw_test_cap_stop(&cap);
    assert_string_equal(msg, "vafwatch: x.tsv:7: column 'depth': bad 5\n"
                             "vafwatch: x.tsv: column 'depth': bad\n"
                             "vafwatch: x.tsv:3: short row\n"
                             "vafwatch: warning: y.tsv:12: column 'vaf': above 1\n");
    free(msg);
    vw_log_set_level(VW_LOG_ERROR);
    vw_test_cap_start(&cap);
    vw_table_warn("y.tsv", 12, "vaf", "above %s", "1");
    vw_table_error("y.tsv", 13, "vaf", "not a number");
    msg = vw_test_cap_stop(&cap);
    assert_string_equal(msg, "vafwatch: y.tsv:13: column 'vaf': not a number\n");
    free(msg);
    vw_log_set_level(lvl);
}

static void test_contig(void **state)
{
    (void)state;
    static const char *const same[][2] = {{"chr7", "7"}, {"Chr7", "7"}, {"CHRX", "X"}, {"chrM", "MT"},
                                          {"M", "chrMT"}, {"chrM", "M"}, {"MT", "MT"}, {"chr", "chr"},
                                          {"chr7_KI270803v1_alt", "7_KI270803v1_alt"}};
    static const char *const differ[][2] = {{"chr7", "17"}, {"chr", ""}, {"chr1", "chr11"},
                                            {"chrUn", "Un_x"}, {"7", "chr7_alt"}, {"m", "MT"}};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        if (!vw_contig_match(same[i][0], same[i][1]))
            fail_msg("'%s' and '%s' should match", same[i][0], same[i][1]);
    for (size_t i = 0; i < sizeof(differ) / sizeof(differ[0]); i++)
        if (vw_contig_match(differ[i][0], differ[i][1]))
            fail_msg("'%s' and '%s' should differ", differ[i][0], differ[i][1]);
    assert_string_equal(vw_contig_bare("chr7"), "7");
    assert_string_equal(vw_contig_bare("chrM"), "MT");
    assert_string_equal(vw_contig_bare("chr"), "chr");
    assert_false(vw_contig_match(NULL, "7"));

    char out[8][VW_CONTIG_NAMESZ];
    assert_int_equal(vw_contig_spellings("7", out, 8), 2);
    assert_string_equal(out[0], "7");
    assert_string_equal(out[1], "chr7");
    assert_int_equal(vw_contig_spellings("chr7", out, 8), 2);
    assert_string_equal(out[0], "chr7");
    assert_string_equal(out[1], "7");
    assert_int_equal(vw_contig_spellings("chrM", out, 8), 4);
    assert_string_equal(out[0], "chrM");
    assert_string_equal(out[1], "MT");
    assert_string_equal(out[2], "M");
    assert_string_equal(out[3], "chrMT");
    assert_int_equal(vw_contig_spellings("chrM", out, 2), 2);
    assert_int_equal(vw_contig_spellings(NULL, out, 8), 0);
}

/* The sites that alias contigs follow the one rule: a BAM header's
 * mitochondrion "chrM" is found for a target on "MT", "chr7" for "7"; a
 * model file written with "chr" names is found under bare names. */
static void test_contig_sites(void **state)
{
    (void)state;
    sam_hdr_t *h = sam_hdr_parse(55, "@SQ\tSN:chr7\tLN:1000\n@SQ\tSN:chrM\tLN:100\n@SQ\tSN:X\tLN:500\n");
    assert_non_null(h);
    assert_int_equal(vw_contig_tid(h, "7"), 0);
    assert_int_equal(vw_contig_tid(h, "MT"), 1);
    assert_int_equal(vw_contig_tid(h, "M"), 1);
    assert_int_equal(vw_contig_tid(h, "chrX"), 2);
    assert_int_equal(vw_contig_tid(h, "17"), -1);
    sam_hdr_destroy(h);

    char dir[] = "/tmp/vwtable.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.tsv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("##vafwatch_model=1\n##n_normals=3\n#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total"
          "\tmu\trho\tnoisy\nchr7\t10\tG\tA\t.\t3\t3000\t3\t0.001\t0.001\tno\n"
          "chrM\t20\tC\tT\t.\t3\t3000\t3\t0.001\t0.001\tno\n", fp);
    fclose(fp);
    vw_model_t *m = vw_model_init();
    assert_non_null(m);
    assert_int_equal(vw_model_read_tsv(m, path), 0);
    assert_int_equal(vw_model_find(m, "7", 10, "G", "A"), 0);
    assert_int_equal(vw_model_find(m, "MT", 20, "C", "T"), 1);
    assert_int_equal(vw_model_find(m, "17", 10, "G", "A"), -1);
    vw_model_destroy(m);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_header_by_name),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_row_errors),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_open_gzip),
        cmocka_unit_test(test_calls_by_name),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_fmt_double),
        cmocka_unit_test(test_fmt_round_trip),
        cmocka_unit_test(test_put_double),
        cmocka_unit_test(test_next_comments),
        cmocka_unit_test(test_next_line),
        cmocka_unit_test(test_header_parse),
        cmocka_unit_test(test_is_na),
        cmocka_unit_test(test_put_header_num),
        cmocka_unit_test(test_error_warn),
        cmocka_unit_test(test_contig),
        cmocka_unit_test(test_contig_sites),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
