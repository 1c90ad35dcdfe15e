/*
 * test_timeline.c -- unit tests of the timeline module: dates, the cohort
 * sheet, the events file and the derived per-patient timeline.
 *
 * Every fixture is written into a fresh mkdtemp() directory, so the tests
 * do not depend on the working directory.  Messages are captured with
 * vw_log_set_sink() and checked for "<file>:<line>: column '<name>':".
 */
#define _XOPEN_SOURCE 700 /* POSIX 2008 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vw_test.h"
#include "vafwatch/log.h"
#include "vafwatch/timeline.h"

/* ======================================================================== */
/* Fixtures                                                                  */
/* ======================================================================== */

static char tmpdir[PATH_MAX];

/* Returns tmpdir/rel in a static rotating buffer (a few live at once). */
static const char *tpath(const char *rel)
{
    static char buf[8][PATH_MAX];
    static int k = 0;
    k = (k + 1) % 8;
    int n = snprintf(buf[k], PATH_MAX, "%s/%s", tmpdir, rel);
    if (n < 0 || n >= PATH_MAX)
        abort(); /* the temporary directory name is unreasonably long */
    return buf[k];
}

/* Writes 'content' (exactly strlen bytes, or n bytes if n > 0) to
 * tmpdir/rel and returns the full path. */
static const char *write_file_n(const char *rel, const char *content, size_t n)
{
    const char *p = tpath(rel);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    if (n == 0)
        n = strlen(content);
    assert_int_equal(fwrite(content, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
    return p;
}

static const char *write_file(const char *rel, const char *content)
{
    return write_file_n(rel, content, 0);
}

static int group_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/vw_test_timeline.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir))
        return -1;
    vw_log_set_cmd("test");
    vw_log_set_level(VW_LOG_WARN);
    /* Data files that the sheets refer to. */
    const char *names[] = {"a.bam", "b.bam", "c.cram", "d.vcf.gz", "e.bcf"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        write_file(names[i], "x");
    if (mkdir(tpath("adir"), 0755) != 0 || mkdir(tpath("cohort"), 0755) != 0
        || mkdir(tpath("cohort/bams"), 0755) != 0)
        return -1;
    write_file("cohort/bams/x.bam", "x");
    write_file("cohort/bams/y.bam", "x");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(tmpdir);
}

/* ---- log capture ------------------------------------------------------- */

static FILE *cap_fp;
static char *cap_buf;
static size_t cap_len;

static void cap_begin(void)
{
    cap_buf = NULL;
    cap_len = 0;
    cap_fp = open_memstream(&cap_buf, &cap_len);
    assert_non_null(cap_fp);
    vw_log_set_sink(cap_fp);
}

/* Returns the captured text; caller frees. */
static char *cap_end(void)
{
    vw_log_set_sink(NULL);
    fclose(cap_fp);
    cap_fp = NULL;
    return cap_buf;
}

/* Number of error lines (not warnings) in a capture. */
static int n_errors(const char *log)
{
    int n = 0;
    for (const char *p = log; (p = strstr(p, "vafwatch test: ")) != NULL; p++)
        n += strncmp(p + strlen("vafwatch test: "), "warning: ", 9) != 0;
    return n;
}

static int n_warnings(const char *log)
{
    int n = 0;
    for (const char *p = log; (p = strstr(p, "vafwatch test: warning: ")) != NULL; p++)
        n++;
    return n;
}

/* Fails unless the formatted text occurs in log. */
static void VW_FORMAT(2, 3) assert_logged(const char *log, const char *fmt, ...)
{
    char want[4 * PATH_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof(want), fmt, ap);
    va_end(ap);
    if (!strstr(log, want))
        fail_msg("expected in the log:\n  %s\nlog was:\n%s", want, log);
}

static int32_t D(const char *s)
{
    int32_t d = 0;
    assert_int_equal(vw_date_parse(s, &d), 0);
    return d;
}

/* Reads a sheet (file check off) and an events file; both must succeed. */
static vw_timeline_t *load(const char *sheet, const char *events, char **ret_log)
{
    vw_timeline_t *tl = NULL;
    const char *sp = write_file("ok_sheet.tsv", sheet);
    cap_begin();
    int rc = vw_timeline_read_sheet(sp, VW_TIMELINE_NO_FILE_CHECK, &tl);
    if (rc == 0 && events)
        rc = vw_timeline_read_events(tl, write_file("ok_events.tsv", events));
    char *log = cap_end();
    if (rc != 0)
        fail_msg("load failed (%d):\n%s", rc, log);
    if (ret_log)
        *ret_log = log;
    else
        free(log);
    return tl;
}

/* ======================================================================== */
/* Dates                                                                     */
/* ======================================================================== */

/* Expected day numbers computed independently with Python:
 *   date(y, m, d).toordinal() - date(1970, 1, 1).toordinal() */
static const struct { const char *s; int32_t days; } date_table[] = {
    {"1900-01-01", -25567}, {"1900-02-28", -25509}, {"1900-03-01", -25508},
    {"1969-12-31", -1},     {"1970-01-01", 0},      {"1970-01-02", 1},
    {"1972-02-29", 789},    {"1972-03-01", 790},    {"1999-12-31", 10956},
    {"2000-02-28", 11015},  {"2000-02-29", 11016},  {"2000-03-01", 11017},
    {"2000-12-31", 11322},  {"2001-01-01", 11323},  {"2004-02-29", 12477},
    {"2023-02-28", 19416},  {"2023-03-01", 19417},  {"2024-02-29", 19782},
    {"2024-03-01", 19783},  {"2038-01-19", 24855},  {"2038-01-20", 24856},
    {"2100-02-28", 47540},  {"2100-03-01", 47541},  {"2199-12-31", 84005},
    {"2200-02-28", 84064},  {"2200-03-01", 84065},  {"2200-12-31", 84370},
};

static void test_date_parse_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(date_table) / sizeof(date_table[0]); i++) {
        int32_t d = 12345;
        if (vw_date_parse(date_table[i].s, &d) != 0)
            fail_msg("'%s' rejected", date_table[i].s);
        if (d != date_table[i].days)
            fail_msg("'%s' -> %d, expected %d", date_table[i].s, (int)d, (int)date_table[i].days);
        char buf[VW_DATE_BUFSZ];
        assert_int_equal(vw_date_format(d, buf), 0);
        assert_string_equal(buf, date_table[i].s);
    }
}

static void test_date_parse_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32",
        "2023-04-31", "2023-06-31", "2023-09-31", "2023-11-31",
        "1900-02-29", /* 1900 is not a leap year (divisible by 100, not by 400) */
        "2100-02-29", "2200-02-29",
        "2023-2-3", "2023-02-3", "2023-2-03", "23-02-03", "02023-02-03",
        "2023-02-28x", "2023-02-28 ", " 2023-02-28", "2023-02-28\n", "2023-02-28\r",
        "2023-02-28T00:00", "2023/02/28", "2023.02.28", "20230228", "2023-0228",
        "", "-", "2023", "2023-02", "2023-02-", "+023-02-28", "-023-02-28", "2023-1a-01",
        "2023-01-1a", "２０２３-01-01", "1899-12-31", "0000-01-01", "2201-01-01", "9999-12-31",
        "NA",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int32_t d = 777;
        int rc = vw_date_parse(bad[i], &d);
        if (rc != VW_EPARSE)
            fail_msg("'%s' gave %d, expected VW_EPARSE", bad[i], rc);
        assert_int_equal(d, 777); /* untouched on failure */
    }
}

static void test_date_null(void **state)
{
    (void)state;
    int32_t d = 5;
    int y, m, dd;
    assert_int_equal(vw_date_parse(NULL, &d), -EINVAL);
    assert_int_equal(vw_date_parse("2023-01-01", NULL), -EINVAL);
    assert_int_equal(vw_date_from_ymd(2023, 1, 1, NULL), -EINVAL);
    assert_int_equal(vw_date_to_ymd(0, NULL, &m, &dd), -EINVAL);
    assert_int_equal(vw_date_to_ymd(0, &y, NULL, &dd), -EINVAL);
    assert_int_equal(vw_date_to_ymd(0, &y, &m, NULL), -EINVAL);
    assert_int_equal(vw_date_format(0, NULL), -EINVAL);
    assert_int_equal(d, 5);
}

static void test_date_from_ymd(void **state)
{
    (void)state;
    int32_t d = -1;
    assert_int_equal(vw_date_from_ymd(2000, 3, 1, &d), 0);
    assert_int_equal(d, 11017);
    assert_int_equal(vw_date_from_ymd(1970, 1, 1, &d), 0);
    assert_int_equal(d, 0);
    d = 42;
    assert_int_equal(vw_date_from_ymd(2000, 2, 30, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(2001, 2, 29, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(2000, 0, 1, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(2000, 13, 1, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(2000, 1, 0, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(1899, 12, 31, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(2201, 1, 1, &d), VW_EPARSE);
    assert_int_equal(vw_date_from_ymd(-5, 1, 1, &d), VW_EPARSE);
    assert_int_equal(d, 42);
}

/* Every day of 1900..2200: to_ymd steps one day at a time through the
 * calendar (checked against month lengths written out here), and format and
 * parse are inverse. */
static void test_date_roundtrip_all(void **state)
{
    (void)state;
    int y = 1900, m = 1, d = 1;
    for (int32_t n = -25567; n <= 84370; n++) {
        int yy, mm, dd;
        assert_int_equal(vw_date_to_ymd(n, &yy, &mm, &dd), 0);
        if (yy != y || mm != m || dd != d)
            fail_msg("day %d -> %d-%d-%d, expected %d-%d-%d", (int)n, yy, mm, dd, y, m, d);
        char buf[VW_DATE_BUFSZ];
        int32_t back;
        assert_int_equal(vw_date_format(n, buf), 0);
        assert_int_equal(vw_date_parse(buf, &back), 0);
        assert_int_equal(back, n);
        /* advance y-m-d by one day */
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int len = m == 2 ? 28 + leap : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
        if (++d > len) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 2201);
}

static void test_date_format_out_of_range(void **state)
{
    (void)state;
    char buf[VW_DATE_BUFSZ];
    int y = 0, m = 0, d = 0;
    assert_int_equal(vw_date_format(-25568, buf), VW_EINPUT);
    assert_string_equal(buf, "NA");
    assert_int_equal(vw_date_format(84371, buf), VW_EINPUT);
    assert_string_equal(buf, "NA");
    assert_int_equal(vw_date_format(VW_DATE_NONE, buf), VW_EINPUT);
    assert_string_equal(buf, "NA");
    assert_int_equal(vw_date_format(INT32_MAX, buf), VW_EINPUT);
    assert_int_equal(vw_date_to_ymd(VW_DATE_NONE, &y, &m, &d), VW_EINPUT);
    assert_int_equal(y, 0);
}

static void test_date_months(void **state)
{
    (void)state;
    assert_rel(vw_date_months(30.4375), 1.0, 1e-15);
    assert_rel(vw_date_months(365.25), 12.0, 1e-15); /* 12 * 30.4375 = 365.25 */
    assert_abs(vw_date_months(0), 0.0, 1e-15);
    assert_rel(vw_date_months(-60.875), -2.0, 1e-15);
    assert_rel(vw_date_months(D("2023-07-01") - D("2023-01-01")), 181 / 30.4375, 1e-15);
}

/* ======================================================================== */
/* Cohort sheet: happy paths                                                 */
/* ======================================================================== */

static void test_sheet_basic(void **state)
{
    (void)state;
    /* P2 appears first; samples are deliberately out of date order. */
    const char *sheet =
        "patient\tsample\tdate\tfile\ttype\tcfdna_ng_per_ml\tplasma_ml\n"
        "P2\tP2-b\t2023-03-01\tb.bam\tplasma\t12.5\t4\n"
        "P1\tP1-c\t2023-06-01\tc.cram\t\t\t\n"
        "P1\tP1-a\t2023-01-05\ta.bam\tplasma\t0\tNA\n"
        "P2\tP2-wbc\t2023-01-01\td.vcf.gz\tnormal\tNA\t2.5\n"
        "P1\tP1-t\t2022-12-01\te.bcf\ttissue\t\t\n"
        "P1\tP1-a2\t2023-01-05\tb.bam\tplasma\t3\t1e1\n";
    const char *sp = write_file("basic.tsv", sheet);
    vw_timeline_t *tl = NULL;
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, 0, &tl), 0);
    char *log = cap_end();
    assert_non_null(tl);
    /* P1-a and P1-a2 are two plasma draws of P1 on 2023-01-05: warned. */
    assert_int_equal(n_errors(log), 0);
    assert_int_equal(n_warnings(log), 1);
    assert_logged(log, "%s:7: column 'date': patient 'P1' has more than one plasma sample on 2023-01-05: "
                  "'P1-a2' and 'P1-a' (line 4)", sp);
    free(log);

    assert_string_equal(tl->sheet_path, sp);
    assert_null(tl->events_path);
    assert_int_equal(tl->n_patients, 2);
    assert_int_equal(tl->n_samples, 6);

    const vw_patient_t *p2 = &tl->patients[0], *p1 = &tl->patients[1];
    assert_string_equal(p2->id, "P2");
    assert_int_equal(p2->first_line, 2);
    assert_string_equal(p1->id, "P1");
    assert_int_equal(p1->first_line, 3);

    /* P1: sorted by date, then by sheet line (P1-a line 4 before P1-a2 line 7). */
    assert_int_equal(p1->n_samples, 4);
    static const char *p1_order[] = {"P1-t", "P1-a", "P1-a2", "P1-c"};
    static const long p1_lines[] = {6, 4, 7, 3};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(p1->samples[i].sample, p1_order[i]);
        assert_int_equal(p1->samples[i].line, p1_lines[i]);
        assert_string_equal(p1->samples[i].patient, "P1");
    }
    const vw_sample_t *s = &p1->samples[0];
    assert_int_equal(s->type, VW_SAMPLE_TISSUE);
    assert_int_equal(s->date, D("2022-12-01"));
    assert_string_equal(s->path, tpath("e.bcf"));
    assert_true(isnan(s->cfdna_ng_per_ml));
    assert_true(isnan(s->plasma_ml));
    s = &p1->samples[1];
    assert_int_equal(s->type, VW_SAMPLE_PLASMA);
    assert_abs(s->cfdna_ng_per_ml, 0.0, 0);
    assert_true(isnan(s->plasma_ml));
    s = &p1->samples[2];
    assert_rel(s->cfdna_ng_per_ml, 3.0, 0);
    assert_rel(s->plasma_ml, 10.0, 0);
    s = &p1->samples[3];
    assert_int_equal(s->type, VW_SAMPLE_PLASMA); /* empty type: the default */
    assert_int_equal(s->date, 19509);            /* 2023-06-01, from Python */
    assert_string_equal(s->path, tpath("c.cram"));

    assert_int_equal(p2->n_samples, 2);
    assert_string_equal(p2->samples[0].sample, "P2-wbc");
    assert_int_equal(p2->samples[0].type, VW_SAMPLE_NORMAL);
    assert_true(isnan(p2->samples[0].cfdna_ng_per_ml));
    assert_rel(p2->samples[0].plasma_ml, 2.5, 0);
    assert_string_equal(p2->samples[1].sample, "P2-b");
    assert_rel(p2->samples[1].cfdna_ng_per_ml, 12.5, 0);
    assert_rel(p2->samples[1].plasma_ml, 4.0, 0);

    /* Derived fields before any events. */
    assert_int_equal(p1->last_followup, D("2023-06-01"));
    assert_int_equal(p2->last_followup, D("2023-03-01"));
    assert_false(p1->has_treatment_start);
    assert_int_equal(p1->first_treatment_start, VW_DATE_NONE);
    assert_false(p1->has_progression);
    assert_int_equal(p1->progression_date, VW_DATE_NONE);
    assert_false(p1->has_death);
    assert_int_equal(p1->death_date, VW_DATE_NONE);
    assert_int_equal(p1->n_events, 0);
    assert_null(p1->events);
    assert_int_equal(p1->n_treatments, 0);

    /* Lookups. */
    assert_ptr_equal(vw_timeline_find_patient(tl, "P1"), p1);
    assert_ptr_equal(vw_timeline_find_patient(tl, "P2"), p2);
    assert_null(vw_timeline_find_patient(tl, "P3"));
    assert_null(vw_timeline_find_patient(tl, "p1")); /* case-sensitive */
    assert_null(vw_timeline_find_patient(tl, NULL));
    assert_null(vw_timeline_find_patient(NULL, "P1"));
    const vw_patient_t *owner = NULL;
    assert_ptr_equal(vw_timeline_find_sample(tl, "P1-c", &owner), &p1->samples[3]);
    assert_ptr_equal(owner, p1);
    assert_ptr_equal(vw_timeline_find_sample(tl, "P2-wbc", NULL), &p2->samples[0]);
    owner = NULL;
    assert_null(vw_timeline_find_sample(tl, "nope", &owner));
    assert_null(owner);
    assert_null(vw_timeline_find_sample(tl, NULL, NULL));
    assert_null(vw_timeline_find_sample(NULL, "P1-c", NULL));
    vw_timeline_destroy(tl);
}

/* Builds a sheet whose columns are in the order perm[] (indices into the
 * seven known columns), followed by an unknown column. */
static void build_permuted(char *out, size_t m, const int *perm, int n)
{
    static const char *names[] = {"patient", "sample", "date", "file", "type", "cfdna_ng_per_ml", "plasma_ml"};
    static const char *rows[3][7] = {
        {"P1", "S1", "2023-01-01", "a.bam", "plasma", "10", "4"},
        {"P1", "S2", "2022-12-31", "b.bam", "normal", "", ""},
        {"P2", "S3", "2023-02-01", "c.cram", "tissue", "NA", "1.5"},
    };
    size_t len = 0;
    for (int r = -1; r < 3; r++) {
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(out + len, m - len, "%s%s", i ? "\t" : "",
                                    r < 0 ? names[perm[i]] : rows[r][perm[i]]);
        len += (size_t)snprintf(out + len, m - len, "\t%s\n", r < 0 ? "timepoint" : "T0");
    }
}

static void check_permuted(const vw_timeline_t *tl, int with_optional)
{
    assert_int_equal(tl->n_patients, 2);
    const vw_patient_t *p1 = &tl->patients[0];
    assert_string_equal(p1->id, "P1");
    assert_int_equal(p1->n_samples, 2);
    assert_string_equal(p1->samples[0].sample, "S2");
    assert_int_equal(p1->samples[0].date, D("2022-12-31"));
    assert_string_equal(p1->samples[0].path, tpath("b.bam"));
    assert_string_equal(p1->samples[1].sample, "S1");
    assert_string_equal(p1->samples[1].path, tpath("a.bam"));
    const vw_sample_t *s3 = &tl->patients[1].samples[0];
    assert_string_equal(s3->sample, "S3");
    assert_string_equal(s3->path, tpath("c.cram"));
    if (with_optional) {
        assert_int_equal(p1->samples[0].type, VW_SAMPLE_NORMAL);
        assert_rel(p1->samples[1].cfdna_ng_per_ml, 10.0, 0);
        assert_rel(p1->samples[1].plasma_ml, 4.0, 0);
        assert_int_equal(s3->type, VW_SAMPLE_TISSUE);
        assert_true(isnan(s3->cfdna_ng_per_ml));
        assert_rel(s3->plasma_ml, 1.5, 0);
    } else {
        assert_int_equal(p1->samples[0].type, VW_SAMPLE_PLASMA);
        assert_true(isnan(p1->samples[1].cfdna_ng_per_ml));
    }
}

/* All 24 orders of the required columns, and the optional columns
 * interleaved at rotating positions. */
static void test_sheet_column_orders(void **state)
{
    (void)state;
    int perm[4] = {0, 1, 2, 3};
    char text[2048];
    int count = 0;
    /* Heap's algorithm, iterative. */
    int c[4] = {0, 0, 0, 0}, i = 0;
    for (;;) {
        for (int with_opt = 0; with_opt < 2; with_opt++) {
            int cols[7], n = 0;
            for (int k = 0; k < 4; k++) {
                cols[n++] = perm[k];
                if (with_opt && k == count % 4) {
                    cols[n++] = 6;
                    cols[n++] = 4;
                    cols[n++] = 5;
                }
            }
            build_permuted(text, sizeof(text), cols, n);
            const char *sp = write_file("perm.tsv", text);
            vw_timeline_t *tl = NULL;
            cap_begin();
            int rc = vw_timeline_read_sheet(sp, 0, &tl);
            char *log = cap_end();
            if (rc != 0)
                fail_msg("order %d: %d\n%s", count, rc, log);
            /* The unknown column is warned about once. */
            assert_int_equal(n_warnings(log), 1);
            assert_logged(log, "%s:1: ignoring unknown column(s) 'timepoint'", sp);
            free(log);
            check_permuted(tl, with_opt);
            vw_timeline_destroy(tl);
        }
        count++;
        while (i < 4 && c[i] >= i) {
            c[i] = 0;
            i++;
        }
        if (i >= 4)
            break;
        int j = i % 2 == 0 ? 0 : c[i];
        int t = perm[j];
        perm[j] = perm[i];
        perm[i] = t;
        c[i]++;
        i = 0;
    }
    assert_int_equal(count, 24);
}

static void test_sheet_crlf_bom_comments(void **state)
{
    (void)state;
    const char *plain =
        "patient\tsample\tdate\tfile\n"
        "P1\tS1\t2023-01-01\ta.bam\n"
        "P1\tS2\t2023-02-01\tb.bam\n";
    const char *fancy =
        "\xEF\xBB\xBF#patient\tsample\tdate\tfile\r\n"
        "# a comment after the header\r\n"
        "\r\n"
        "P1\tS1\t2023-01-01\ta.bam\r\n"
        "   \t \r\n"
        "#P1\tS9\t2023-01-01\ta.bam\r\n"
        "\t\t\t\r\n"
        "P1\tS2\t2023-02-01\tb.bam"; /* no final newline */
    const char *variants[] = {plain, fancy};
    for (int v = 0; v < 2; v++) {
        const char *sp = write_file("crlf.tsv", variants[v]);
        vw_timeline_t *tl = NULL;
        cap_begin();
        int rc = vw_timeline_read_sheet(sp, 0, &tl);
        char *log = cap_end();
        if (rc != 0)
            fail_msg("variant %d: %d\n%s", v, rc, log);
        assert_int_equal(n_warnings(log) + n_errors(log), 0);
        free(log);
        assert_int_equal(tl->n_samples, 2);
        const vw_patient_t *p = &tl->patients[0];
        assert_string_equal(p->id, "P1"); /* not "\xEF\xBB\xBFP1" nor "#P1" */
        assert_string_equal(p->samples[0].sample, "S1");
        assert_string_equal(p->samples[1].sample, "S2");
        assert_string_equal(p->samples[1].path, tpath("b.bam")); /* no trailing '\r' */
        assert_int_equal(p->samples[1].date, D("2023-02-01"));
        assert_int_equal(p->samples[1].line, v == 0 ? 3 : 8); /* physical line numbers */
        vw_timeline_destroy(tl);
    }
    /* A BOM on a later line is data, not a mark: the date is invalid. */
    const char *sp = write_file("bom2.tsv", "patient\tsample\tdate\tfile\nP1\tS1\t\xEF\xBB\xBF" "2023-01-01\ta.bam\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, 0, &tl), VW_EPARSE);
    free(cap_end());
    assert_null(tl);
}

/* 'file' is resolved against the directory of the sheet, never the cwd. */
static void test_sheet_relative_paths(void **state)
{
    (void)state;
    int cwd = open(".", O_RDONLY);
    assert_true(cwd >= 0);
    const char *sheet =
        "patient\tsample\tdate\tfile\n"
        "P1\tS1\t2023-01-01\tbams/x.bam\n"
        "P1\tS2\t2023-02-01\t./bams/y.bam\n"
        "P1\tS3\t2023-03-01\t%s\n";
    char text[2 * PATH_MAX];
    char abs_a[PATH_MAX];
    snprintf(abs_a, sizeof(abs_a), "%s", tpath("a.bam"));
    snprintf(text, sizeof(text), sheet, abs_a);
    write_file("cohort/sheet.tsv", text);

    struct { const char *chdir_to; const char *sheet; const char *x, *y; } cases[] = {
        /* cwd = tmpdir, which is not the sheet's directory */
        {"", "cohort/sheet.tsv", "cohort/bams/x.bam", "cohort/bams/y.bam"},
        /* cwd = the sheet's directory: no directory part */
        {"cohort", "sheet.tsv", "bams/x.bam", "bams/y.bam"},
        /* cwd = an unrelated directory, sheet given as ../ */
        {"adir", "../cohort/sheet.tsv", "../cohort/bams/x.bam", "../cohort/bams/y.bam"},
        /* absolute sheet path */
        {"adir", NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(chdir(tpath(cases[i].chdir_to)), 0);
        char sp[PATH_MAX], x[PATH_MAX], y[PATH_MAX];
        snprintf(sp, sizeof(sp), "%s", cases[i].sheet ? cases[i].sheet : tpath("cohort/sheet.tsv"));
        snprintf(x, sizeof(x), "%s", cases[i].x ? cases[i].x : tpath("cohort/bams/x.bam"));
        snprintf(y, sizeof(y), "%s", cases[i].y ? cases[i].y : tpath("cohort/bams/y.bam"));
        vw_timeline_t *tl = NULL;
        cap_begin();
        int rc = vw_timeline_read_sheet(sp, 0, &tl); /* file check on */
        char *log = cap_end();
        if (rc != 0)
            fail_msg("case %zu: %d\n%s", i, rc, log);
        free(log);
        const vw_patient_t *p = &tl->patients[0];
        assert_string_equal(p->samples[0].path, x);
        assert_string_equal(p->samples[1].path, y); /* leading "./" dropped */
        assert_string_equal(p->samples[2].path, abs_a); /* absolute kept */
        vw_timeline_destroy(tl);
    }

    /* A file that exists relative to the cwd but not to the sheet fails. */
    assert_int_equal(chdir(tmpdir), 0);
    write_file("cohort/cwd.tsv", "patient\tsample\tdate\tfile\nP1\tS1\t2023-01-01\ta.bam\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet("cohort/cwd.tsv", 0, &tl), VW_EINPUT);
    char *log = cap_end();
    assert_logged(log, "cohort/cwd.tsv:2: column 'file': cannot read 'cohort/a.bam': %s", strerror(ENOENT));
    free(log);
    assert_null(tl);

    assert_int_equal(fchdir(cwd), 0);
    close(cwd);
}

static void test_sheet_no_file_check(void **state)
{
    (void)state;
    const char *sp = write_file("nocheck.tsv", "patient\tsample\tdate\tfile\nP1\tS1\t2023-01-01\tmissing/z.bam\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, VW_TIMELINE_NO_FILE_CHECK, &tl), 0);
    char *log = cap_end();
    assert_int_equal(n_errors(log) + n_warnings(log), 0);
    free(log);
    assert_string_equal(tl->patients[0].samples[0].path, tpath("missing/z.bam"));
    vw_timeline_destroy(tl);
    tl = NULL;
    /* Same sheet with the check: an error. */
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, 0, &tl), VW_EINPUT);
    free(cap_end());
    assert_null(tl);
}

/* The optional 'targets' column: resolved like 'file', repeated or left
 * empty on a patient's rows, NA and '.' meaning none. */
static void test_sheet_targets(void **state)
{
    (void)state;
    const char *sp = write_file("targets.tsv", "patient\tsample\tdate\tfile\ttargets\n"
                                               "P1\tS1\t2023-01-01\ta.bam\t\n"
                                               "P1\tS2\t2023-02-01\ta.bam\td.vcf.gz\n"
                                               "P2\tS3\t2023-01-01\ta.bam\tNA\n"
                                               "P1\tS4\t2023-03-01\ta.bam\t./d.vcf.gz\n"
                                               "P3\tS5\t2023-01-01\ta.bam\t.\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    int rc = vw_timeline_read_sheet(sp, 0, &tl);
    char *log = cap_end();
    assert_int_equal(rc, 0);
    assert_int_equal(n_errors(log) + n_warnings(log), 0);
    free(log);
    assert_int_equal(tl->n_patients, 3);
    const vw_patient_t *p1 = vw_timeline_find_patient(tl, "P1");
    assert_non_null(p1->targets);
    assert_string_equal(p1->targets, tpath("d.vcf.gz"));
    assert_int_equal(p1->targets_line, 3);
    assert_null(p1->samples[0].targets);
    assert_string_equal(p1->samples[2].targets, tpath("d.vcf.gz"));
    assert_null(vw_timeline_find_patient(tl, "P2")->targets);
    assert_int_equal(vw_timeline_find_patient(tl, "P2")->targets_line, 0);
    assert_null(vw_timeline_find_patient(tl, "P3")->targets);
    vw_timeline_destroy(tl);
}

/* The optional 'swgs' column (a draw's shallow WGS): resolved like 'file'
 * per row; empty, NA and '.' mean none. */
static void test_sheet_swgs(void **state)
{
    (void)state;
    const char *sp = write_file("swgs.tsv", "patient\tsample\tdate\tfile\tswgs\n"
                                            "P1\tS1\t2023-01-01\ta.bam\t./a.bam\n"
                                            "P1\tS2\t2023-02-01\ta.bam\t\n"
                                            "P2\tS3\t2023-01-01\ta.bam\tNA\n"
                                            "P3\tS5\t2023-01-01\ta.bam\t.\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    int rc = vw_timeline_read_sheet(sp, 0, &tl);
    char *log = cap_end();
    assert_int_equal(rc, 0);
    assert_int_equal(n_errors(log) + n_warnings(log), 0);
    free(log);
    const vw_patient_t *p1 = vw_timeline_find_patient(tl, "P1");
    assert_string_equal(p1->samples[0].swgs, tpath("a.bam"));
    assert_null(p1->samples[1].swgs);
    assert_null(vw_timeline_find_patient(tl, "P2")->samples[0].swgs);
    assert_null(vw_timeline_find_patient(tl, "P3")->samples[0].swgs);
    vw_timeline_destroy(tl);
}

static void test_sheet_same_day_warnings(void **state)
{
    (void)state;
    char *log = NULL;
    /* plasma + normal on one day: fine; two plasma: one warning; three
     * tissue: two warnings, each naming the first. */
    vw_timeline_t *tl = load(
        "patient\tsample\tdate\tfile\ttype\n"
        "P1\tS1\t2023-01-01\ta.bam\tplasma\n"
        "P1\tN1\t2023-01-01\ta.bam\tnormal\n"
        "P1\tS2\t2023-01-02\ta.bam\tplasma\n"
        "P2\tS3\t2023-01-02\ta.bam\tplasma\n" /* other patient: fine */
        "P1\tT1\t2023-01-03\ta.bam\ttissue\n"
        "P1\tT2\t2023-01-03\ta.bam\ttissue\n"
        "P1\tT3\t2023-01-03\ta.bam\ttissue\n"
        "P1\tS4\t2023-01-02\ta.bam\tplasma\n",
        NULL, &log);
    assert_int_equal(n_errors(log), 0);
    assert_int_equal(n_warnings(log), 3);
    const char *sp = tl->sheet_path;
    assert_logged(log, "%s:9: column 'date': patient 'P1' has more than one plasma sample on 2023-01-02: "
                  "'S4' and 'S2' (line 4)", sp);
    assert_logged(log, "%s:7: column 'date': patient 'P1' has more than one tissue sample on 2023-01-03: "
                  "'T2' and 'T1' (line 6)", sp);
    assert_logged(log, "%s:8: column 'date': patient 'P1' has more than one tissue sample on 2023-01-03: "
                  "'T3' and 'T1' (line 6)", sp);
    free(log);
    vw_timeline_destroy(tl);
}

/* ======================================================================== */
/* Cohort sheet: errors                                                      */
/* ======================================================================== */

typedef struct {
    const char *what;
    const char *text;       /* the sheet; "%s" is replaced by tmpdir */
    unsigned flags;
    int code;
    const char *msg;        /* expected after "<sheet>"; may contain one %s for tmpdir */
} sheet_error_t;

#define HDR "patient\tsample\tdate\tfile\n"
#define HDR_ALL "patient\tsample\tdate\tfile\ttype\tcfdna_ng_per_ml\tplasma_ml\n"
#define NC VW_TIMELINE_NO_FILE_CHECK

static const sheet_error_t sheet_errors[] = {
    {"no patient column", "sample\tdate\tfile\nS1\t2023-01-01\ta.bam\n", NC, VW_EPARSE,
     ":1: column 'patient': required column missing from the header"},
    {"no sample column", "patient\tdate\tfile\nP1\t2023-01-01\ta.bam\n", NC, VW_EPARSE,
     ":1: column 'sample': required column missing from the header"},
    {"no date column", "patient\tsample\tfile\nP1\tS1\ta.bam\n", NC, VW_EPARSE,
     ":1: column 'date': required column missing from the header"},
    {"no file column", "patient\tsample\tdate\nP1\tS1\t2023-01-01\n", NC, VW_EPARSE,
     ":1: column 'file': required column missing from the header"},
    {"column names are case-sensitive", "Patient\tsample\tdate\tfile\nP1\tS1\t2023-01-01\ta.bam\n", NC,
     VW_EPARSE, ":1: column 'patient': required column missing from the header"},
    {"header after blank lines keeps its line", "\n\nsample\tdate\tfile\n", NC, VW_EPARSE,
     ":3: column 'patient': required column missing"},
    {"duplicate column", "patient\tsample\tdate\tfile\tdate\nP1\tS1\t2023-01-01\ta.bam\t2023-01-01\n", NC,
     VW_EPARSE, ":1: column 'date': duplicate column in the header"},
    {"too few fields", HDR "P1\tS1\t2023-01-01\ta.bam\nP1\tS2\t2023-01-02\n", NC, VW_EPARSE,
     ":3: expected 4 tab-separated fields as in the header, found 3"},
    {"too many fields", HDR "P1\tS1\t2023-01-01\ta.bam\textra\n", NC, VW_EPARSE,
     ":2: expected 4 tab-separated fields as in the header, found 5"},
    {"space-separated", HDR "P1 S1 2023-01-01 a.bam\n", NC, VW_EPARSE,
     ":2: expected 4 tab-separated fields as in the header, found 1"},
    {"empty patient", HDR "\tS1\t2023-01-01\ta.bam\n", NC, VW_EPARSE, ":2: column 'patient': empty value"},
    {"empty sample", HDR "P1\t\t2023-01-01\ta.bam\n", NC, VW_EPARSE, ":2: column 'sample': empty value"},
    {"empty date", HDR "P1\tS1\t\ta.bam\n", NC, VW_EPARSE, ":2: column 'date': empty value"},
    {"empty file", HDR "P1\tS1\t2023-01-01\t\n", NC, VW_EPARSE, ":2: column 'file': empty value"},
    {"bad date", HDR "P1\tS1\t2023-01-01\ta.bam\nP1\tS2\t2023-02-30\ta.bam\n", NC, VW_EPARSE,
     ":3: column 'date': invalid date '2023-02-30' (expected YYYY-MM-DD, years 1900-2200)"},
    {"bad month", HDR "P1\tS1\t2023-13-01\ta.bam\n", NC, VW_EPARSE, ":2: column 'date': invalid date '2023-13-01'"},
    {"unpadded date", HDR "P1\tS1\t2023-2-3\ta.bam\n", NC, VW_EPARSE, ":2: column 'date': invalid date '2023-2-3'"},
    {"US date", HDR "P1\tS1\t02/03/2023\ta.bam\n", NC, VW_EPARSE, ":2: column 'date': invalid date '02/03/2023'"},
    {"date with trailing space", HDR "P1\tS1\t2023-01-01 \ta.bam\n", NC, VW_EPARSE,
     ":2: column 'date': invalid date '2023-01-01 '"},
    {"bad type", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tblood\t\t\n", NC, VW_EPARSE,
     ":2: column 'type': invalid sample type 'blood' (expected plasma, normal or tissue)"},
    {"type is case-sensitive", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tPlasma\t\t\n", NC, VW_EPARSE,
     ":2: column 'type': invalid sample type 'Plasma'"},
    {"negative cfDNA", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\t-1\t\n", NC, VW_EPARSE,
     ":2: column 'cfdna_ng_per_ml': invalid value '-1' (expected a number >= 0, or NA)"},
    {"non-numeric cfDNA", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\t12ng\t\n", NC, VW_EPARSE,
     ":2: column 'cfdna_ng_per_ml': invalid value '12ng'"},
    {"infinite cfDNA", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\tinf\t\n", NC, VW_EPARSE,
     ":2: column 'cfdna_ng_per_ml': invalid value 'inf'"},
    {"NaN cfDNA", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\tnan\t\n", NC, VW_EPARSE,
     ":2: column 'cfdna_ng_per_ml': invalid value 'nan'"},
    {"zero plasma volume", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\t\t0\n", NC, VW_EPARSE,
     ":2: column 'plasma_ml': invalid value '0' (expected a number > 0, or NA)"},
    {"negative plasma volume", HDR_ALL "P1\tS1\t2023-01-01\ta.bam\tplasma\t\t-2\n", NC, VW_EPARSE,
     ":2: column 'plasma_ml': invalid value '-2'"},
    {"duplicate sample (same patient)", HDR "P1\tS1\t2023-01-01\ta.bam\nP1\tS1\t2023-02-01\ta.bam\n", NC,
     VW_EINPUT, ":3: column 'sample': duplicate sample name 'S1' (first on line 2)"},
    {"duplicate sample (across patients), first offending line reported",
     HDR "P1\tZ1\t2023-01-01\ta.bam\nP1\tA1\t2023-01-01\ta.bam\nP2\tZ1\t2023-01-01\ta.bam\n"
     "P2\tA1\t2023-02-01\ta.bam\nP3\tA1\t2023-02-01\ta.bam\n", NC,
     VW_EINPUT, ":4: column 'sample': duplicate sample name 'Z1' (first on line 2)"},
    {"missing file", HDR "P1\tS1\t2023-01-01\ta.bam\nP1\tS2\t2023-01-01\tnone.bam\n", 0, VW_EINPUT,
     ":3: column 'file': cannot read '%s/none.bam': No such file or directory"},
    {"directory as file", HDR "P1\tS1\t2023-01-01\tadir\n", 0, VW_EINPUT,
     ":2: column 'file': '%s/adir' is a directory, not a file"},
    {"missing targets file", "patient\tsample\tdate\tfile\ttargets\nP1\tS1\t2023-01-01\ta.bam\tnone.vcf\n", 0,
     VW_EINPUT, ":2: column 'targets': cannot read '%s/none.vcf': No such file or directory"},
    {"missing swgs file", "patient\tsample\tdate\tfile\tswgs\nP1\tS1\t2023-01-01\ta.bam\tnone.wig\n", 0,
     VW_EINPUT, ":2: column 'swgs': cannot read '%s/none.wig': No such file or directory"},
    {"two targets files for one patient",
     "patient\tsample\tdate\tfile\ttargets\nP1\tS1\t2023-01-01\ta.bam\td.vcf.gz\nP2\tS2\t2023-01-01\ta.bam\te.bcf\n"
     "P1\tS3\t2023-02-01\ta.bam\t\nP1\tS4\t2023-03-01\ta.bam\te.bcf\n", NC, VW_EINPUT,
     ":5: column 'targets': patient 'P1' has two targets files: '%s/e.bcf' and '%s/d.vcf.gz' (line 2)"},
    {"header only", HDR, NC, VW_EPARSE, ": no samples: the cohort sheet has a header but no data rows"},
    {"header, comments and blank lines only", HDR "# nothing yet\n\n \t\n", NC, VW_EPARSE,
     ": no samples: the cohort sheet has a header but no data rows"},
    {"empty file", "", NC, VW_EPARSE, ": the cohort sheet is empty; expected a header line"},
    {"blank lines only", "\n\r\n  \n", NC, VW_EPARSE, ": the cohort sheet is empty; expected a header line"},
};

static void run_sheet_error(const sheet_error_t *t)
{
    char text[4096], msg[4096];
    snprintf(text, sizeof(text), "%s", t->text);
    snprintf(msg, sizeof(msg), t->msg ? t->msg : "", tmpdir, tmpdir);
    const char *sp = write_file("bad_sheet.tsv", text);
    vw_timeline_t *sentinel = (vw_timeline_t *)&sentinel, *tl = sentinel;
    cap_begin();
    int rc = vw_timeline_read_sheet(sp, t->flags, &tl);
    char *log = cap_end();
    if (rc != t->code)
        fail_msg("%s: returned %d, expected %d\n%s", t->what, rc, t->code, log);
    if (tl != sentinel)
        fail_msg("%s: ret_tl was changed on failure", t->what);
    if (n_errors(log) != 1)
        fail_msg("%s: %d error lines, expected 1:\n%s", t->what, n_errors(log), log);
    char want[8192];
    snprintf(want, sizeof(want), "vafwatch test: %s%s", sp, msg);
    if (!strstr(log, want))
        fail_msg("%s: expected in the log:\n  %s\nlog was:\n%s", t->what, want, log);
    free(log);
}

static void test_sheet_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(sheet_errors) / sizeof(sheet_errors[0]); i++)
        run_sheet_error(&sheet_errors[i]);
}

static void test_sheet_error_variants(void **state)
{
    (void)state;
    /* CRLF and BOM do not shift line numbers or leak into messages. */
    const char *sp = write_file("bad_crlf.tsv", "\xEF\xBB\xBFpatient\tsample\tdate\tfile\r\n"
                                "P1\tS1\t2023-01-01\ta.bam\r\nP1\tS2\t2023-02-30\ta.bam\r\n");
    vw_timeline_t *tl = NULL;
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, NC, &tl), VW_EPARSE);
    char *log = cap_end();
    assert_logged(log, "%s:3: column 'date': invalid date '2023-02-30' (expected", sp);
    assert_null(strchr(log, '\r'));
    free(log);

    /* A NUL byte inside a line. */
    static const char nul_text[] = HDR "P1\tS1\t2023-01-01\ta\0.bam\n";
    sp = write_file_n("bad_nul.tsv", nul_text, sizeof(nul_text) - 1);
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(sp, NC, &tl), VW_EPARSE);
    log = cap_end();
    assert_logged(log, "%s:2: line contains a NUL byte", sp);
    free(log);

    /* The sheet itself does not exist. */
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(tpath("no_such_sheet.tsv"), 0, &tl), -ENOENT);
    log = cap_end();
    assert_logged(log, "%s: cannot open cohort sheet: %s", tpath("no_such_sheet.tsv"), strerror(ENOENT));
    assert_int_equal(n_errors(log), 1);
    free(log);

    /* The sheet is a directory: reading fails with a system error. */
    cap_begin();
    int rc = vw_timeline_read_sheet(tpath("adir"), 0, &tl);
    log = cap_end();
    assert_true(rc < 0 && rc > -4096);
    assert_int_equal(n_errors(log), 1);
    free(log);

    /* An unreadable data file (only meaningful when not root). */
    if (geteuid() != 0) {
        write_file("unreadable.bam", "x");
        assert_int_equal(chmod(tpath("unreadable.bam"), 0), 0);
        sp = write_file("bad_perm.tsv", HDR "P1\tS1\t2023-01-01\tunreadable.bam\n");
        cap_begin();
        assert_int_equal(vw_timeline_read_sheet(sp, 0, &tl), VW_EINPUT);
        log = cap_end();
        assert_logged(log, "%s:2: column 'file': cannot read '%s': %s", sp, tpath("unreadable.bam"),
                      strerror(EACCES));
        free(log);
    }
    assert_null(tl);
}

static void test_sheet_null_args(void **state)
{
    (void)state;
    vw_timeline_t *tl = NULL;
    const char *sp = write_file("null.tsv", HDR "P1\tS1\t2023-01-01\ta.bam\n");
    cap_begin();
    assert_int_equal(vw_timeline_read_sheet(NULL, 0, &tl), -EINVAL);
    assert_int_equal(vw_timeline_read_sheet(sp, 0, NULL), -EINVAL);
    assert_int_equal(vw_timeline_read_sheet(sp, 0x80, &tl), -EINVAL); /* unknown flag */
    char *log = cap_end();
    assert_string_equal(log, ""); /* programmer errors are not logged */
    free(log);
    assert_null(tl);
    vw_timeline_destroy(NULL); /* accepts NULL */
}

/* ======================================================================== */
/* Events                                                                    */
/* ======================================================================== */

/* P1: draws before and after the start; P2: draws only after the start;
 * P3: no events at all; P4: only a normal and a tissue sample. */
static const char *ev_sheet =
    "patient\tsample\tdate\tfile\ttype\n"
    "P1\tP1-0\t2023-01-02\ta.bam\tplasma\n"
    "P1\tP1-n\t2023-01-09\ta.bam\tnormal\n"
    "P1\tP1-1\t2023-01-09\ta.bam\tplasma\n"
    "P1\tP1-2\t2023-03-01\ta.bam\tplasma\n"
    "P1\tP1-3\t2023-06-01\ta.bam\tplasma\n"
    "P2\tP2-1\t2023-02-15\ta.bam\tplasma\n"
    "P2\tP2-0\t2023-02-10\ta.bam\tplasma\n"
    "P3\tP3-0\t2023-04-01\ta.bam\tplasma\n"
    "P4\tP4-n\t2023-01-01\ta.bam\tnormal\n"
    "P4\tP4-t\t2022-11-01\ta.bam\ttissue\n";

static void test_events_basic(void **state)
{
    (void)state;
    char *log = NULL;
    vw_timeline_t *tl = load(ev_sheet,
        "patient\tdate\tevent\tdetail\n"
        "P1\t2023-01-09\ttreatment_start\tcetuximab\n"          /* 2 */
        "P1\t2023-01-09\ttreatment_start\tFOLFIRI\n"            /* 3 */
        "P1\t2023-03-20\tscan\tPR\n"                            /* 4 */
        "P1\t2023-05-15\tscan\tPD\n"                            /* 5 */
        "P1\t2023-05-20\ttreatment_stop\tcetuximab\n"           /* 6 */
        "P1\t2023-07-01\tlast_followup\t\n"                     /* 7 */
        "P1\t2023-01-01\tscan\tNE\n"                            /* 8 */
        "P2\t2023-02-01\ttreatment_start\tpanitumumab\n"        /* 9 */
        "P2\t2023-08-01\tdeath\t\n"                             /* 10 */
        "P2\t2023-06-01\tprogression\tclinical and CT\n"        /* 11 */
        "P4\t2023-01-05\ttreatment_start\t\n",                  /* 12 */
        &log);
    assert_int_equal(n_errors(log), 0);
    /* Only P3 has no treatment start. */
    assert_int_equal(n_warnings(log), 1);
    assert_logged(log, "warning: patient 'P3': no treatment_start in '%s'; lead time cannot be computed",
                  tl->events_path);
    free(log);
    assert_string_equal(tl->events_path, tpath("ok_events.tsv"));

    const vw_patient_t *p1 = vw_timeline_find_patient(tl, "P1");
    assert_int_equal(p1->n_events, 7);
    /* Sorted by date, then file line. */
    static const long lines[] = {8, 2, 3, 4, 5, 6, 7};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(p1->events[i].line, lines[i]);
    assert_int_equal(p1->events[0].type, VW_EVENT_SCAN);
    assert_int_equal(p1->events[0].response, VW_RECIST_NE);
    assert_string_equal(p1->events[0].detail, "NE");
    assert_int_equal(p1->events[1].type, VW_EVENT_TREATMENT_START);
    assert_string_equal(p1->events[1].detail, "cetuximab");
    assert_int_equal(p1->events[1].response, VW_RECIST_NONE);
    assert_int_equal(p1->events[3].response, VW_RECIST_PR);
    assert_int_equal(p1->events[4].response, VW_RECIST_PD);
    assert_int_equal(p1->events[5].type, VW_EVENT_TREATMENT_STOP);
    assert_int_equal(p1->events[6].type, VW_EVENT_LAST_FOLLOWUP);
    assert_string_equal(p1->events[6].detail, ""); /* never NULL */
    assert_int_equal(p1->events[6].date, D("2023-07-01"));

    assert_true(p1->has_treatment_start);
    assert_int_equal(p1->first_treatment_start, D("2023-01-09"));
    assert_true(p1->has_progression);
    assert_int_equal(p1->progression_date, D("2023-05-15"));
    assert_int_equal(p1->progression_event, 4);
    assert_false(p1->has_death);
    assert_int_equal(p1->death_date, VW_DATE_NONE);
    assert_int_equal(p1->last_followup, D("2023-07-01"));

    assert_int_equal(p1->n_treatments, 2);
    assert_string_equal(p1->treatments[0].drug, "cetuximab");
    assert_int_equal(p1->treatments[0].start, D("2023-01-09"));
    assert_true(p1->treatments[0].has_stop);
    assert_int_equal(p1->treatments[0].stop, D("2023-05-20"));
    assert_int_equal(p1->treatments[0].start_event, 1);
    assert_int_equal(p1->treatments[0].stop_event, 5);
    assert_string_equal(p1->treatments[1].drug, "FOLFIRI");
    assert_false(p1->treatments[1].has_stop);
    assert_int_equal(p1->treatments[1].stop, VW_DATE_NONE);
    assert_int_equal(p1->treatments[1].start_event, 2);

    const vw_patient_t *p2 = vw_timeline_find_patient(tl, "P2");
    assert_int_equal(p2->n_events, 3);
    assert_true(p2->has_death);
    assert_int_equal(p2->death_date, D("2023-08-01"));
    assert_true(p2->has_progression);
    assert_int_equal(p2->progression_date, D("2023-06-01"));
    assert_int_equal(p2->events[p2->progression_event].type, VW_EVENT_PROGRESSION);
    assert_string_equal(p2->events[p2->progression_event].detail, "clinical and CT");
    assert_int_equal(p2->last_followup, D("2023-08-01"));

    const vw_patient_t *p3 = vw_timeline_find_patient(tl, "P3");
    assert_int_equal(p3->n_events, 0);
    assert_false(p3->has_treatment_start);
    assert_false(p3->has_progression);
    assert_int_equal(p3->last_followup, D("2023-04-01"));

    const vw_patient_t *p4 = vw_timeline_find_patient(tl, "P4");
    assert_int_equal(p4->n_treatments, 1);
    assert_string_equal(p4->treatments[0].drug, ""); /* unnamed drug */
    assert_int_equal(p4->last_followup, D("2023-01-05"));
    vw_timeline_destroy(tl);
}

static void test_events_format_variants(void **state)
{
    (void)state;
    /* BOM + CRLF + '#' header + comments + columns in another order + no
     * detail column + an unknown column: same as the plain file. */
    char *log = NULL;
    vw_timeline_t *tl = load(ev_sheet,
        "\xEF\xBB\xBF#event\tnote\tdate\tpatient\r\n"
        "# comment\r\n"
        "\r\n"
        "treatment_start\tx\t2023-01-09\tP1\r\n"
        "progression\t\t2023-04-01\tP1\r\n"
        "death\ty\t2023-07-01\tP1", &log);
    assert_int_equal(n_errors(log), 0);
    assert_logged(log, "%s:1: ignoring unknown column(s) 'note'", tl->events_path);
    free(log);
    const vw_patient_t *p1 = &tl->patients[0];
    assert_int_equal(p1->n_events, 3);
    assert_int_equal(p1->events[0].line, 4);
    assert_string_equal(p1->events[0].detail, "");
    assert_int_equal(p1->progression_date, D("2023-04-01"));
    assert_int_equal(p1->death_date, D("2023-07-01"));
    vw_timeline_destroy(tl);

    /* A header-only events file is accepted; every patient is warned. */
    tl = load(ev_sheet, "patient\tdate\tevent\n", &log);
    assert_int_equal(n_errors(log), 0);
    assert_int_equal(n_warnings(log), 4);
    free(log);
    vw_timeline_destroy(tl);
}

/* First PD scan vs first progression event: the earlier one; a tie goes to
 * the scan. */
static void test_events_progression(void **state)
{
    (void)state;
    static const struct {
        const char *events;
        int has;
        const char *date;
        vw_event_type_t type;
        long line;
    } cases[] = {
        {"P1\t2023-05-01\tscan\tPD\nP1\t2023-06-01\tprogression\t\n", 1, "2023-05-01", VW_EVENT_SCAN, 3},
        {"P1\t2023-05-01\tscan\tPD\nP1\t2023-04-01\tprogression\t\n", 1, "2023-04-01", VW_EVENT_PROGRESSION, 4},
        {"P1\t2023-05-01\tprogression\t\nP1\t2023-05-01\tscan\tPD\n", 1, "2023-05-01", VW_EVENT_SCAN, 4},
        {"P1\t2023-05-01\tscan\tPD\nP1\t2023-05-01\tprogression\t\n", 1, "2023-05-01", VW_EVENT_SCAN, 3},
        {"P1\t2023-08-01\tscan\tPD\nP1\t2023-05-01\tscan\tPD\n", 1, "2023-05-01", VW_EVENT_SCAN, 4},
        {"P1\t2023-08-01\tprogression\t\nP1\t2023-06-01\tprogression\t\n", 1, "2023-06-01",
         VW_EVENT_PROGRESSION, 4},
        {"P1\t2023-04-01\tscan\tSD\nP1\t2023-05-01\tscan\tPR\nP1\t2023-06-01\tscan\tCR\n"
         "P1\t2023-07-01\tscan\tNE\n", 0, NULL, VW_EVENT_SCAN, 0},
        /* PD on the start date itself is not "before" it. */
        {"P1\t2023-01-09\tscan\tPD\n", 1, "2023-01-09", VW_EVENT_SCAN, 3},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char ev[1024];
        snprintf(ev, sizeof(ev), "patient\tdate\tevent\tdetail\nP1\t2023-01-09\ttreatment_start\tX\n%s",
                 cases[i].events);
        vw_timeline_t *tl = load(ev_sheet, ev, NULL);
        const vw_patient_t *p = &tl->patients[0];
        if (p->has_progression != cases[i].has)
            fail_msg("case %zu: has_progression %d", i, p->has_progression);
        if (cases[i].has) {
            assert_int_equal(p->progression_date, D(cases[i].date));
            const vw_event_t *e = &p->events[p->progression_event];
            assert_int_equal(e->type, cases[i].type);
            assert_int_equal(e->line, cases[i].line);
            assert_int_equal(e->date, p->progression_date);
        } else {
            assert_int_equal(p->progression_date, VW_DATE_NONE);
        }
        vw_timeline_destroy(tl);
    }
}

static void test_events_treatment_lines(void **state)
{
    (void)state;
    char *log = NULL;
    vw_timeline_t *tl = load(ev_sheet,
        "patient\tdate\tevent\tdetail\n"
        "P1\t2023-03-01\ttreatment_stop\tB\n"      /* 2: stop listed before its same-day start */
        "P1\t2023-01-09\ttreatment_start\tA\n"     /* 3 */
        "P1\t2023-03-01\ttreatment_start\tB\n"     /* 4 */
        "P1\t2023-02-01\ttreatment_start\tC\n"     /* 5 */
        "P1\t2023-04-01\ttreatment_stop\tA\n"      /* 6 */
        "P1\t2023-05-01\ttreatment_start\tA\n"     /* 7: a second line of A */
        "P1\t2023-06-01\ttreatment_stop\t\n"       /* 8: stops A and C */
        "P1\t2023-06-10\ttreatment_start\tD\n"     /* 9: open-ended */
        "P2\t2023-02-01\ttreatment_start\tE\n"     /* 10 */
        "P2\t2023-03-01\ttreatment_start\tE\n"     /* 11: E again while on E: warned */
        "P2\t2023-04-01\ttreatment_stop\tE\n",     /* 12: stops the first E */
        &log);
    assert_int_equal(n_errors(log), 0);
    assert_logged(log, "warning: %s:11: column 'event': patient 'P2': treatment_start of 'E' on 2023-03-01 "
                  "while the line started on 2023-02-01 (line 10) is still active", tl->events_path);
    assert_int_equal(n_warnings(log), 3); /* P2's overlap, P3 and P4 without a start */
    free(log);

    const vw_patient_t *p = &tl->patients[0];
    assert_int_equal(p->n_treatments, 5);
    static const struct { const char *drug, *start, *stop; } want[] = {
        {"A", "2023-01-09", "2023-04-01"}, {"C", "2023-02-01", "2023-06-01"},
        {"B", "2023-03-01", "2023-03-01"}, {"A", "2023-05-01", "2023-06-01"},
        {"D", "2023-06-10", NULL},
    };
    for (size_t i = 0; i < 5; i++) {
        const vw_treatment_t *t = &p->treatments[i];
        assert_string_equal(t->drug, want[i].drug);
        assert_int_equal(t->start, D(want[i].start));
        assert_int_equal(t->has_stop, want[i].stop != NULL);
        assert_int_equal(t->stop, want[i].stop ? D(want[i].stop) : VW_DATE_NONE);
        assert_int_equal(p->events[t->start_event].type, VW_EVENT_TREATMENT_START);
        assert_string_equal(p->events[t->start_event].detail, t->drug);
        if (t->has_stop)
            assert_int_equal(p->events[t->stop_event].date, t->stop);
    }
    assert_int_equal(p->first_treatment_start, D("2023-01-09"));

    /* Which line is active on a date (start..stop inclusive). */
    static const struct { const char *date; const char *current; size_t n; } at[] = {
        {"2023-01-08", NULL, 0}, {"2023-01-09", "A", 1}, {"2023-02-01", "C", 2},
        {"2023-03-01", "B", 3},  {"2023-03-02", "C", 2}, {"2023-04-01", "C", 2},
        {"2023-04-02", "C", 1},  {"2023-05-01", "A", 2}, {"2023-06-01", "A", 2},
        {"2023-06-02", NULL, 0}, {"2023-06-10", "D", 1}, {"2199-01-01", "D", 1},
    };
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        const vw_treatment_t *t = vw_timeline_treatment_at(p, D(at[i].date));
        if (at[i].current == NULL)
            assert_null(t);
        else if (!t || strcmp(t->drug, at[i].current) != 0)
            fail_msg("%s: active %s, expected %s", at[i].date, t ? t->drug : "none", at[i].current);
        const vw_treatment_t *all[8];
        size_t n = vw_timeline_treatments_at(p, D(at[i].date), all, 8);
        if (n != at[i].n)
            fail_msg("%s: %zu active, expected %zu", at[i].date, n, at[i].n);
        for (size_t k = 1; k < n; k++)
            assert_true(all[k - 1]->start <= all[k]->start);
        if (n)
            assert_ptr_equal(all[n - 1], t);
    }
    /* out[] smaller than the count: count still complete. */
    const vw_treatment_t *one[1] = {NULL};
    assert_int_equal(vw_timeline_treatments_at(p, D("2023-03-01"), one, 1), 3);
    assert_string_equal(one[0]->drug, "A");
    assert_int_equal(vw_timeline_treatments_at(p, D("2023-03-01"), NULL, 0), 3);
    assert_null(vw_timeline_treatment_at(NULL, 0));
    assert_int_equal(vw_timeline_treatments_at(NULL, 0, one, 1), 0);
    /* No treatments at all. */
    assert_null(vw_timeline_treatment_at(vw_timeline_find_patient(tl, "P3"), D("2023-03-01")));
    /* P2: a named stop closes only the earliest open line of that drug. */
    p = vw_timeline_find_patient(tl, "P2");
    assert_int_equal(p->n_treatments, 2);
    assert_true(p->treatments[0].has_stop);
    assert_int_equal(p->treatments[0].stop, D("2023-04-01"));
    assert_false(p->treatments[1].has_stop);
    assert_int_equal(vw_timeline_treatment_at(p, D("2023-05-01"))->start, D("2023-03-01"));
    vw_timeline_destroy(tl);
}

static void test_events_baseline(void **state)
{
    (void)state;
    vw_timeline_t *tl = load(ev_sheet,
        "patient\tdate\tevent\tdetail\n"
        "P1\t2023-01-09\ttreatment_start\tX\n"
        "P2\t2023-02-01\ttreatment_start\tX\n"
        "P4\t2023-02-01\ttreatment_start\tX\n", NULL);
    /* P1: draws 01-02, normal 01-09, plasma 01-09 (start day), ...: the
     * plasma draw on the start date is the baseline, not the normal. */
    const vw_patient_t *p = vw_timeline_find_patient(tl, "P1");
    long b = vw_timeline_baseline_index(p);
    assert_true(b >= 0);
    assert_string_equal(p->samples[b].sample, "P1-1");
    /* P2: every draw after the start: none. */
    assert_int_equal(vw_timeline_baseline_index(vw_timeline_find_patient(tl, "P2")), -1);
    /* P3: no start: the first plasma draw. */
    p = vw_timeline_find_patient(tl, "P3");
    assert_int_equal(vw_timeline_baseline_index(p), 0);
    /* P4: only normal and tissue samples. */
    assert_int_equal(vw_timeline_baseline_index(vw_timeline_find_patient(tl, "P4")), -1);
    assert_int_equal(vw_timeline_baseline_index(NULL), -1);
    vw_timeline_destroy(tl);

    /* Without events: the first plasma draw, skipping an earlier normal. */
    tl = load("patient\tsample\tdate\tfile\ttype\n"
              "P1\tN\t2023-01-01\ta.bam\tnormal\n"
              "P1\tS2\t2023-03-01\ta.bam\tplasma\n"
              "P1\tS1\t2023-02-01\ta.bam\t\n", NULL, NULL);
    p = &tl->patients[0];
    b = vw_timeline_baseline_index(p);
    assert_true(b >= 0);
    assert_string_equal(p->samples[b].sample, "S1");
    vw_timeline_destroy(tl);

    /* Start before the first draw but a later start exists: the first start counts. */
    tl = load(ev_sheet,
              "patient\tdate\tevent\tdetail\n"
              "P1\t2023-06-01\ttreatment_start\tY\n"
              "P1\t2023-03-01\ttreatment_start\tX\n", NULL);
    p = &tl->patients[0];
    assert_int_equal(p->first_treatment_start, D("2023-03-01"));
    b = vw_timeline_baseline_index(p);
    assert_string_equal(p->samples[b].sample, "P1-2");
    vw_timeline_destroy(tl);
}

static void test_events_last_followup(void **state)
{
    (void)state;
    static const struct { const char *events; const char *want; } cases[] = {
        {"", "2023-06-01"},                                           /* last draw */
        {"P1\t2023-09-01\tscan\tSD\n", "2023-09-01"},                 /* last scan */
        {"P1\t2023-10-01\tlast_followup\t\nP1\t2023-09-01\tscan\tSD\n", "2023-10-01"},
        {"P1\t2023-05-01\tlast_followup\t\n", "2023-06-01"},           /* draw is later */
        {"P1\t2023-11-01\tdeath\t\nP1\t2023-10-01\tlast_followup\t\n", "2023-11-01"},
        {"P1\t2023-12-01\tprogression\t\n", "2023-12-01"},            /* any event */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char ev[512];
        snprintf(ev, sizeof(ev), "patient\tdate\tevent\tdetail\nP1\t2023-01-09\ttreatment_start\tX\n%s",
                 cases[i].events);
        vw_timeline_t *tl = load(ev_sheet, ev, NULL);
        if (tl->patients[0].last_followup != D(cases[i].want))
            fail_msg("case %zu: last follow-up %d, expected %s", i, (int)tl->patients[0].last_followup,
                     cases[i].want);
        vw_timeline_destroy(tl);
    }
}

/* ---- events: errors ----------------------------------------------------- */

typedef struct {
    const char *what;
    const char *text;
    int code;
    int in_sheet;       /* the message names the sheet, not the events file */
    const char *msg;    /* expected after the file name */
} event_error_t;

#define EHDR "patient\tdate\tevent\tdetail\n"
#define START "P1\t2023-01-09\ttreatment_start\tX\n"

static const event_error_t event_errors[] = {
    {"no patient column", "date\tevent\n2023-01-01\tscan\n", VW_EPARSE, 0,
     ":1: column 'patient': required column missing from the header"},
    {"no date column", "patient\tevent\nP1\tdeath\n", VW_EPARSE, 0,
     ":1: column 'date': required column missing from the header"},
    {"no event column", "patient\tdate\tdetail\nP1\t2023-01-01\tx\n", VW_EPARSE, 0,
     ":1: column 'event': required column missing from the header"},
    {"duplicate column", "patient\tdate\tevent\tdetail\tdetail\n", VW_EPARSE, 0,
     ":1: column 'detail': duplicate column in the header"},
    {"empty file", "", VW_EPARSE, 0, ": the events file is empty; expected a header line"},
    {"wrong field count", EHDR START "P1\t2023-02-01\tscan\n", VW_EPARSE, 0,
     ":3: expected 4 tab-separated fields as in the header, found 3"},
    {"empty patient", EHDR "\t2023-01-01\tscan\tPD\n", VW_EPARSE, 0, ":2: column 'patient': empty value"},
    {"empty date", EHDR "P1\t\tscan\tPD\n", VW_EPARSE, 0, ":2: column 'date': empty value"},
    {"empty event", EHDR "P1\t2023-01-01\t\tPD\n", VW_EPARSE, 0, ":2: column 'event': empty value"},
    {"bad date", EHDR START "P1\t2023-02-29\tscan\tSD\n", VW_EPARSE, 0,
     ":3: column 'date': invalid date '2023-02-29' (expected YYYY-MM-DD, years 1900-2200)"},
    {"unknown event", EHDR START "P1\t2023-02-01\tsurgery\t\n", VW_EPARSE, 0,
     ":3: column 'event': unknown event 'surgery' (expected treatment_start, treatment_stop, scan, "
     "progression, last_followup or death)"},
    {"event names are case-sensitive", EHDR "P1\t2023-02-01\tDeath\t\n", VW_EPARSE, 0,
     ":2: column 'event': unknown event 'Death'"},
    {"scan without response", EHDR START "P1\t2023-02-01\tscan\t\n", VW_EPARSE, 0,
     ":3: column 'detail': a scan needs its RECIST response (CR, PR, SD, PD or NE)"},
    {"scan without a detail column", "patient\tdate\tevent\nP1\t2023-02-01\tscan\n", VW_EPARSE, 0,
     ":2: column 'detail': a scan needs its RECIST response"},
    {"bad RECIST response", EHDR START "P1\t2023-02-01\tscan\tpd\n", VW_EPARSE, 0,
     ":3: column 'detail': invalid RECIST response 'pd' (expected CR, PR, SD, PD or NE)"},
    {"unknown patient", EHDR START "P9\t2023-02-01\tdeath\t\n", VW_EINPUT, 0,
     ":3: column 'patient': unknown patient 'P9' (not in the cohort sheet '%s')"},
    {"PD scan before the first start", EHDR "P1\t2023-01-05\tscan\tPD\n" START, VW_EINPUT, 0,
     ":2: column 'date': radiographic progression (scan PD) on 2023-01-05 for patient 'P1' is before "
     "the first treatment_start on 2023-01-09 (line 3)"},
    {"progression before the first start", EHDR START "P1\t2022-12-01\tprogression\t\n", VW_EINPUT, 0,
     ":3: column 'date': radiographic progression (progression) on 2022-12-01 for patient 'P1' is "
     "before the first treatment_start on 2023-01-09 (line 2)"},
    {"stop before its start", EHDR "P1\t2023-01-01\ttreatment_stop\tX\n" START, VW_EINPUT, 0,
     ":2: column 'date': treatment_stop of 'X' on 2023-01-01 for patient 'P1' is before its "
     "treatment_start on 2023-01-09 (line 3)"},
    {"unnamed stop before any start", EHDR "P1\t2023-01-01\ttreatment_stop\t\n" START, VW_EINPUT, 0,
     ":2: column 'date': treatment_stop on 2023-01-01 for patient 'P1' is before its "
     "treatment_start on 2023-01-09 (line 3)"},
    {"stop of a drug never started", EHDR START "P1\t2023-03-01\ttreatment_stop\tY\n", VW_EINPUT, 0,
     ":3: column 'detail': treatment_stop of 'Y' on 2023-03-01 for patient 'P1' has no open "
     "treatment_start of that drug to stop"},
    {"second stop of one line", EHDR START "P1\t2023-03-01\ttreatment_stop\tX\n"
     "P1\t2023-04-01\ttreatment_stop\tX\n", VW_EINPUT, 0,
     ":4: column 'detail': treatment_stop of 'X' on 2023-04-01 for patient 'P1' has no open"},
    {"unnamed stop without any start", EHDR "P2\t2023-03-01\ttreatment_stop\t\n", VW_EINPUT, 0,
     ":2: column 'event': treatment_stop on 2023-03-01 for patient 'P2' has no open treatment_start to stop"},
    {"two deaths", EHDR START "P1\t2023-07-01\tdeath\t\nP1\t2023-07-01\tdeath\t\n", VW_EINPUT, 0,
     ":4: column 'event': second death for patient 'P1' (first on line 3)"},
    {"event after death", EHDR START "P1\t2023-07-01\tdeath\t\nP1\t2023-07-02\tscan\tPD\n", VW_EINPUT, 0,
     ":4: column 'date': scan on 2023-07-02 for patient 'P1' is after death on 2023-07-01 (line 3)"},
    {"start after death", EHDR "P1\t2022-12-01\tdeath\t\n" START, VW_EINPUT, 0,
     ":3: column 'date': treatment_start on 2023-01-09 for patient 'P1' is after death on 2022-12-01 (line 2)"},
    {"draw after death", EHDR START "P1\t2023-05-31\tdeath\t\n", VW_EINPUT, 1,
     ":6: column 'date': sample 'P1-3' of patient 'P1' is dated 2023-06-01, after death on 2023-05-31 "
     "(%s:3)"},
};

static void test_events_errors(void **state)
{
    (void)state;
    vw_timeline_t *tl = load(ev_sheet, NULL, NULL);
    const char *sp = tl->sheet_path;
    for (size_t i = 0; i < sizeof(event_errors) / sizeof(event_errors[0]); i++) {
        const event_error_t *t = &event_errors[i];
        const char *ep = write_file("bad_events.tsv", t->text);
        cap_begin();
        int rc = vw_timeline_read_events(tl, ep);
        char *log = cap_end();
        if (rc != t->code)
            fail_msg("%s: returned %d, expected %d\n%s", t->what, rc, t->code, log);
        if (n_errors(log) != 1)
            fail_msg("%s: %d error lines, expected 1:\n%s", t->what, n_errors(log), log);
        if (n_warnings(log) != 0)
            fail_msg("%s: warnings on failure:\n%s", t->what, log);
        char msg[4096], want[8192];
        snprintf(msg, sizeof(msg), t->msg ? t->msg : "", t->in_sheet ? ep : sp);
        snprintf(want, sizeof(want), "vafwatch test: %s%s", t->in_sheet ? sp : ep, msg);
        if (!strstr(log, want))
            fail_msg("%s: expected in the log:\n  %s\nlog was:\n%s", t->what, want, log);
        free(log);
        /* The timeline is unchanged. */
        assert_null(tl->events_path);
        for (size_t k = 0; k < tl->n_patients; k++) {
            assert_int_equal(tl->patients[k].n_events, 0);
            assert_null(tl->patients[k].events);
            assert_int_equal(tl->patients[k].n_treatments, 0);
            assert_false(tl->patients[k].has_treatment_start);
            assert_false(tl->patients[k].has_death);
        }
    }
    /* After all those failures a good file still loads into the same timeline. */
    cap_begin();
    assert_int_equal(vw_timeline_read_events(tl, write_file("good_events.tsv", EHDR START)), 0);
    free(cap_end());
    assert_true(tl->patients[0].has_treatment_start);
    vw_timeline_destroy(tl);
}

static void test_events_args(void **state)
{
    (void)state;
    vw_timeline_t *tl = load(ev_sheet, NULL, NULL);
    const char *ep = write_file("args_events.tsv", EHDR START);
    cap_begin();
    assert_int_equal(vw_timeline_read_events(NULL, ep), -EINVAL);
    assert_int_equal(vw_timeline_read_events(tl, NULL), -EINVAL);
    char *log = cap_end();
    assert_string_equal(log, "");
    free(log);

    cap_begin();
    assert_int_equal(vw_timeline_read_events(tl, tpath("no_events.tsv")), -ENOENT);
    log = cap_end();
    assert_logged(log, "%s: cannot open events file: %s", tpath("no_events.tsv"), strerror(ENOENT));
    free(log);

    cap_begin();
    assert_int_equal(vw_timeline_read_events(tl, ep), 0);
    /* A timeline takes one events file. */
    assert_int_equal(vw_timeline_read_events(tl, ep), -EINVAL);
    free(cap_end());
    assert_int_equal(tl->patients[0].n_events, 1);
    vw_timeline_destroy(tl);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(vw_timeline_sample_type_name(VW_SAMPLE_PLASMA), "plasma");
    assert_string_equal(vw_timeline_sample_type_name(VW_SAMPLE_NORMAL), "normal");
    assert_string_equal(vw_timeline_sample_type_name(VW_SAMPLE_TISSUE), "tissue");
    assert_string_equal(vw_timeline_sample_type_name((vw_sample_type_t)99), "?");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_TREATMENT_START), "treatment_start");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_TREATMENT_STOP), "treatment_stop");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_SCAN), "scan");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_PROGRESSION), "progression");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_LAST_FOLLOWUP), "last_followup");
    assert_string_equal(vw_timeline_event_name(VW_EVENT_DEATH), "death");
    assert_string_equal(vw_timeline_event_name((vw_event_type_t)-1), "?");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_NONE), "");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_CR), "CR");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_PR), "PR");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_SD), "SD");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_PD), "PD");
    assert_string_equal(vw_timeline_recist_name(VW_RECIST_NE), "NE");
    assert_string_equal(vw_timeline_recist_name((vw_recist_t)6), "?");
}

/* A larger cohort: order of patients, sorting and lookups at scale. */
static void test_sheet_many(void **state)
{
    (void)state;
    size_t m = 200 * 64 + 64, len = 0;
    char *text = malloc(m);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, m - len, HDR);
    /* 200 rows, 20 patients interleaved, dates descending. */
    for (int i = 0; i < 200; i++) {
        char date[VW_DATE_BUFSZ];
        assert_int_equal(vw_date_format(D("2024-01-01") - i, date), 0);
        len += (size_t)snprintf(text + len, m - len, "P%02d\tS%03d\t%s\ta.bam\n", (i * 7) % 20, i, date);
    }
    vw_timeline_t *tl = load(text, NULL, NULL);
    free(text);
    assert_int_equal(tl->n_patients, 20);
    assert_int_equal(tl->n_samples, 200);
    for (size_t k = 0; k < 20; k++) {
        const vw_patient_t *p = &tl->patients[k];
        char id[8];
        snprintf(id, sizeof(id), "P%02d", (int)((k * 7) % 20)); /* first rows 0..19 in order */
        assert_string_equal(p->id, id);
        assert_int_equal(p->first_line, (long)k + 2);
        assert_int_equal(p->n_samples, 10);
        for (size_t j = 1; j < p->n_samples; j++)
            assert_true(p->samples[j - 1].date < p->samples[j].date);
        assert_ptr_equal(vw_timeline_find_patient(tl, id), p);
    }
    for (int i = 0; i < 200; i++) {
        char name[8];
        snprintf(name, sizeof(name), "S%03d", i);
        const vw_patient_t *owner = NULL;
        const vw_sample_t *s = vw_timeline_find_sample(tl, name, &owner);
        assert_non_null(s);
        assert_string_equal(s->sample, name);
        assert_int_equal(s->line, i + 2);
        assert_string_equal(owner->id, s->patient);
    }
    vw_timeline_destroy(tl);
}

/* ======================================================================== */
/* Clinical markers                                                          */
/* ======================================================================== */

#define MHDR "patient\tdate\tmarker\tvalue\tunit\n"

static void test_markers_basic(void **state)
{
    (void)state;
    vw_timeline_t *tl = load(ev_sheet, NULL, NULL);
    /* out of order, two patients, a '#' header, a comment and a blank line; P2 first in the file */
    const char *mp = write_file("markers.tsv", "#" MHDR "P2\t2023-02-01\tCEA\t5\tng/mL\n"
                                                "P1\t2023-03-01\tCEA\t12.5\tng/mL\n# a comment\n\n"
                                                "P1\t2023-01-01\tCEA\t3\tng/mL\n"
                                                "P1\t2023-01-01\tLDH\t240\tU/L\n");
    vw_markers_t *m = NULL;
    cap_begin();
    assert_int_equal(vw_markers_read(tl, mp, &m), 0);
    free(cap_end());
    assert_int_equal(m->n, 4);
    /* sorted by patient (sheet order: P1 then P2), marker, date */
    assert_int_equal(m->v[0].patient, 0);
    assert_string_equal(m->v[0].marker, "CEA");
    assert_int_equal(m->v[0].date, D("2023-01-01"));
    assert_true(m->v[0].value == 3.0);
    assert_int_equal(m->v[0].line, 6);
    assert_int_equal(m->v[1].date, D("2023-03-01"));
    assert_true(m->v[1].value == 12.5);
    assert_string_equal(m->v[2].marker, "LDH");
    assert_string_equal(m->v[2].unit, "U/L");
    assert_int_equal(m->v[3].patient, 1);
    assert_string_equal(m->path, mp);
    vw_markers_destroy(m);
    /* without a unit column the unit is "" */
    m = NULL;
    cap_begin();
    assert_int_equal(vw_markers_read(tl, write_file("m2.tsv", "patient\tdate\tmarker\tvalue\nP1\t2023-01-01\tHRG\t1e3\n"), &m), 0);
    free(cap_end());
    assert_string_equal(m->v[0].unit, "");
    assert_true(m->v[0].value == 1000.0);
    vw_markers_destroy(m);
    vw_markers_destroy(NULL);
    assert_int_equal(vw_markers_read(NULL, mp, &m), -EINVAL);
    assert_int_equal(vw_markers_read(tl, NULL, &m), -EINVAL);
    assert_int_equal(vw_markers_read(tl, mp, NULL), -EINVAL);
    vw_timeline_destroy(tl);
}

static void test_markers_errors(void **state)
{
    (void)state;
    static const struct {
        const char *what, *text;
        int code;
        const char *msg; /* after the path */
    } t[] = {
        {"bad date", MHDR "P1\t2023-02-30\tCEA\t5\tng/mL\n", VW_EPARSE,
         ":2: column 'date': invalid date '2023-02-30'"},
        {"bad value", MHDR "P1\t2023-02-01\tCEA\t<5\tng/mL\n", VW_EPARSE, ":2: column 'value': invalid value '<5'"},
        {"infinite value", MHDR "P1\t2023-02-01\tCEA\tinf\tng/mL\n", VW_EPARSE, ":2: column 'value'"},
        {"empty marker", MHDR "P1\t2023-02-01\t\t5\tng/mL\n", VW_EPARSE, ":2: column 'marker': empty value"},
        {"unknown patient", MHDR "P9\t2023-02-01\tCEA\t5\tng/mL\n", VW_EINPUT,
         ":2: column 'patient': unknown patient 'P9'"},
        {"unit change", MHDR "P1\t2023-02-01\tCEA\t5\tng/mL\nP2\t2023-03-01\tCEA\t7\tug/L\n", VW_EPARSE,
         ":3: column 'unit': unit 'ug/L' of marker 'CEA' differs from 'ng/mL' at line 2"},
        {"same day twice", MHDR "P1\t2023-02-01\tCEA\t5\tng/mL\nP1\t2023-02-01\tCEA\t6\tng/mL\n", VW_EPARSE,
         ":3: a second value of marker 'CEA' for patient 'P1' on 2023-02-01 (the other at line 2)"},
        {"missing column", "patient\tdate\tmarker\n", VW_EPARSE, ":1: column 'value': required column missing"},
        {"short row", MHDR "P1\t2023-02-01\tCEA\t5\n", VW_EPARSE, ":2: expected 5 tab-separated fields"},
        {"empty file", "", VW_EPARSE, ": the markers file is empty"},
    };
    vw_timeline_t *tl = load(ev_sheet, NULL, NULL);
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const char *mp = write_file("bad_markers.tsv", t[i].text);
        vw_markers_t *m = (vw_markers_t *)&t; /* must stay untouched */
        cap_begin();
        int rc = vw_markers_read(tl, mp, &m);
        char *log = cap_end();
        if (rc != t[i].code)
            fail_msg("%s: returned %d, expected %d\n%s", t[i].what, rc, t[i].code, log);
        if (n_errors(log) != 1)
            fail_msg("%s: %d error lines, expected 1:\n%s", t[i].what, n_errors(log), log);
        char want[1024];
        snprintf(want, sizeof(want), "%s%s", mp, t[i].msg);
        if (!strstr(log, want))
            fail_msg("%s: expected in the log:\n  %s\nlog was:\n%s", t[i].what, want, log);
        assert_ptr_equal(m, (vw_markers_t *)&t);
        free(log);
    }
    cap_begin();
    vw_markers_t *m = NULL;
    assert_true(vw_markers_read(tl, "/nonexistent/markers.tsv", &m) < 0);
    char *log = cap_end();
    assert_non_null(strstr(log, "/nonexistent/markers.tsv: cannot open markers file"));
    free(log);
    vw_timeline_destroy(tl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse_valid),
        cmocka_unit_test(test_date_parse_invalid),
        cmocka_unit_test(test_date_null),
        cmocka_unit_test(test_date_from_ymd),
        cmocka_unit_test(test_date_roundtrip_all),
        cmocka_unit_test(test_date_format_out_of_range),
        cmocka_unit_test(test_date_months),
        cmocka_unit_test(test_sheet_basic),
        cmocka_unit_test(test_sheet_column_orders),
        cmocka_unit_test(test_sheet_crlf_bom_comments),
        cmocka_unit_test(test_sheet_relative_paths),
        cmocka_unit_test(test_sheet_no_file_check),
        cmocka_unit_test(test_sheet_targets),
        cmocka_unit_test(test_sheet_swgs),
        cmocka_unit_test(test_sheet_same_day_warnings),
        cmocka_unit_test(test_sheet_errors),
        cmocka_unit_test(test_sheet_error_variants),
        cmocka_unit_test(test_sheet_null_args),
        cmocka_unit_test(test_sheet_many),
        cmocka_unit_test(test_events_basic),
        cmocka_unit_test(test_events_format_variants),
        cmocka_unit_test(test_events_progression),
        cmocka_unit_test(test_events_treatment_lines),
        cmocka_unit_test(test_events_baseline),
        cmocka_unit_test(test_events_last_followup),
        cmocka_unit_test(test_events_errors),
        cmocka_unit_test(test_markers_basic),
        cmocka_unit_test(test_markers_errors),
        cmocka_unit_test(test_events_args),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
