/* test_report.c -- the report module: plot geometry, escaping, file names,
 * VAF text, determinism, the files vw_report_write() writes. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/report.h"
#include "vafwatch/track.h"
#include "vw_test.h"
#include "track_fixture.h"
#include "../../src/report_priv.h"

/* One patient P1: plasma draws on days 0, 28, 56, 84, 112; cetuximab from day 0;
 * PD scan on day 112.  KRAS: not detected at 0 and 28 (LoD95 0.1 %), then detected
 * at 30/5000, 60/5000, 120/5000.  EGFR never detected. */
typedef struct {
    vw_timeline_t *tl;
    vw_track_t *tr;
    vw_leadtime_t *lt;
    vw_report_in_t in;
} fx_t;

static const char *const fx_patient_id = "P1 <script>\"&'";

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof(*f));
    char sheet[4096] = "patient\tsample\tdate\tfile\n", events[1024] = "patient\tdate\tevent\tdetail\n", d[16];
    for (int k = 0; k < 5; k++)
        fx_cat(sheet, sizeof(sheet), "%s\tS%d\t%s\tx.bam\n", fx_patient_id, k, fx_date(28 * k, d));
    fx_cat(events, sizeof(events), "%s\t%s\ttreatment_start\tcetuximab <b>\n", fx_patient_id, fx_date(0, d));
    fx_cat(events, sizeof(events), "%s\t%s\tscan\tPD\n", fx_patient_id, fx_date(112, d));
    f->tl = fx_timeline(sheet, events);
    vw_calls_t *cs = vw_calls_init();
    static const long alt[5] = {0, 0, 30, 60, 120};
    for (int k = 0; k < 5; k++) {
        char s[8];
        snprintf(s, sizeof(s), "S%d", k);
        fx_call(cs, s, 0, alt[k] > 0, alt[k], 5000, alt[k] > 0 ? 1e-9 : 0.5, 0);
        fx_call(cs, s, 1, 0, 0, 5000, 0.5, 0);
    }
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    assert_int_equal(vw_track_run(f->tl, cs, &o, &f->tr), 0);
    assert_int_equal(vw_leadtime_run(f->tl, f->tr, &f->lt), 0);
    vw_calls_destroy(cs);
    f->in.tl = f->tl;
    f->in.tr = f->tr;
    f->in.lt = f->lt;
    f->in.command = "vafwatch report test";
    f->in.version = "test";
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    vw_leadtime_destroy(f->lt);
    vw_track_destroy(f->tr);
    vw_timeline_destroy(f->tl);
    free(f);
    return 0;
}

/* Writes with 'fn' into a new string (caller frees). */
static char *capture_patient(const fx_t *f)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    assert_non_null(fp);
    assert_int_equal(vw_report_write_patient_html(fp, &f->in, NULL, 0), 0);
    fclose(fp);
    return buf;
}

static char *capture_all(const fx_t *f)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    assert_non_null(fp);
    assert_int_equal(vw_report_write_cohort_html(fp, &f->in, NULL, NULL), 0);
    assert_int_equal(vw_report_write_patient_html(fp, &f->in, NULL, 0), 0);
    assert_int_equal(vw_report_write_json(fp, &f->in, NULL), 0);
    assert_int_equal(vw_report_write_patient_json(fp, &f->in, NULL, 0), 0);
    assert_int_equal(vw_report_write_mqc(fp, &f->in), 0);
    fclose(fp);
    return buf;
}

static void test_geometry_formulas(void **state)
{
    (void)state;
    vw_report_axes_t ax;
    vw_report_axes_patient(NULL, &ax);
    ax.first_date = 1000;
    ax.last_date = 1100;
    /* x = left + (date - first) / (last - first) * width */
    assert_rel(vw_report_x(&ax, 1000), VW_REPORT_PLOT_LEFT, 1e-12);
    assert_rel(vw_report_x(&ax, 1100), VW_REPORT_PLOT_LEFT + VW_REPORT_PLOT_WIDTH, 1e-12);
    assert_rel(vw_report_x(&ax, 1025), VW_REPORT_PLOT_LEFT + 0.25 * VW_REPORT_PLOT_WIDTH, 1e-12);
    /* y: 100 % at the top, 0.01 % at the bottom, one decade = height / 4 */
    assert_rel(vw_report_y(&ax, 1.0), VW_REPORT_PLOT_TOP, 1e-12);
    assert_rel(vw_report_y(&ax, 1e-4), VW_REPORT_PLOT_TOP + VW_REPORT_PLOT_HEIGHT, 1e-12);
    assert_rel(vw_report_y(&ax, 0.01), VW_REPORT_PLOT_TOP + 0.5 * VW_REPORT_PLOT_HEIGHT, 1e-12);
    assert_rel(vw_report_y(&ax, 0.001) - vw_report_y(&ax, 0.01), VW_REPORT_PLOT_HEIGHT / 4, 1e-9);
    /* clamped, never off the plot; NaN stays NaN */
    assert_rel(vw_report_y(&ax, 0.0), VW_REPORT_PLOT_TOP + VW_REPORT_PLOT_HEIGHT, 1e-12);
    assert_rel(vw_report_y(&ax, 3.0), VW_REPORT_PLOT_TOP, 1e-12);
    assert_true(isnan(vw_report_y(&ax, NAN)));
    /* a later date is further right, a larger VAF higher up */
    assert_true(vw_report_x(&ax, 1050) < vw_report_x(&ax, 1051));
    assert_true(vw_report_y(&ax, 0.02) < vw_report_y(&ax, 0.01));
}

static void test_geometry_patient(void **state)
{
    fx_t *f = *state;
    const vw_patient_t *p = &f->tl->patients[0];
    vw_report_axes_t ax;
    vw_report_axes_patient(p, &ax);
    assert_int_equal(ax.first_date, fx_day0() - VW_REPORT_DATE_PAD);
    assert_int_equal(ax.last_date, fx_day0() + 112 + VW_REPORT_DATE_PAD);
    /* the series of KRAS: draws 0, 1 not detected at LoD95 0.1 %, 2..4 detected */
    const vw_track_series_t *s = NULL;
    for (size_t i = 0; i < f->tr->n; i++)
        if (strcmp(f->tr->s[i].id, "KRAS_G12D") == 0)
            s = &f->tr->s[i];
    assert_non_null(s);
    int open = -1;
    double v = vw_report_plot_vaf(&s->draws[0], &open);
    assert_int_equal(open, 1);
    assert_rel(v, 0.001, 1e-12); /* at its LoD, not at zero */
    double y_nd = vw_report_y(&ax, v);
    assert_rel(y_nd, VW_REPORT_PLOT_TOP + 0.75 * VW_REPORT_PLOT_HEIGHT, 1e-9);
    assert_true(y_nd < VW_REPORT_PLOT_TOP + VW_REPORT_PLOT_HEIGHT - 10);
    v = vw_report_plot_vaf(&s->draws[4], &open);
    assert_int_equal(open, 0);
    assert_rel(v, 120.0 / 5000, 1e-12);
    vw_track_draw_t na = s->draws[0];
    na.state = VW_DRAW_NA;
    assert_true(isnan(vw_report_plot_vaf(&na, &open)));
    assert_true(isnan(vw_report_plot_vaf(NULL, NULL)));

    /* the SVG has the markers where the formulas put them */
    char *html = capture_patient(f), want[128];
    snprintf(want, sizeof(want), "<circle class=\"nd\" cx=\"%.1f\" cy=\"%.1f\"", vw_report_x(&ax, s->draws[1].date),
             y_nd);
    assert_non_null(strstr(html, want));
    snprintf(want, sizeof(want), "<circle class=\"det\" cx=\"%.1f\" cy=\"%.1f\"", vw_report_x(&ax, s->draws[3].date),
             vw_report_y(&ax, 60.0 / 5000));
    assert_non_null(strstr(html, want));
    /* x follows the date: 28 days apart on a 140-day axis */
    assert_rel(vw_report_x(&ax, s->draws[3].date) - vw_report_x(&ax, s->draws[2].date),
                 28.0 / 140.0 * VW_REPORT_PLOT_WIDTH, 1e-9);
    free(html);
}

static void test_escape(void **state)
{
    (void)state;
    char *e = vw_report_html_escaped("<script>\"&'x</script>");
    assert_string_equal(e, "&lt;script&gt;&quot;&amp;&#39;x&lt;/script&gt;");
    free(e);
    e = vw_report_html_escaped("a\001b\tc");
    assert_string_equal(e, "a?b\tc");
    free(e);
    assert_null(vw_report_html_escaped(NULL));
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    vw_report_html_escape(fp, "<&>");
    vw_report_html_escape(fp, NULL);
    fclose(fp);
    assert_string_equal(buf, "&lt;&amp;&gt;");
    free(buf);
}

static void test_escape_in_pages(void **state)
{
    fx_t *f = *state;
    char *all = capture_all(f);
    assert_null(strstr(all, "<script"));
    assert_null(strstr(all, "cetuximab <b>"));
    assert_non_null(strstr(all, "P1 &lt;script&gt;&quot;&amp;&#39;"));
    assert_non_null(strstr(all, "cetuximab &lt;b&gt;"));
    /* JSON keeps the name, escaped for JSON */
    assert_non_null(strstr(all, "\"patient\": \"P1 \\u003cscript\\u003e\\\"\\u0026'\""));
    free(all);
}

static void test_file_names(void **state)
{
    (void)state;
    const char *ids[] = {"a/b", "A_b", "", "..", "x y", "a_b", "<script>", "\xc3\xa9t\xc3\xa9"};
    char **names = NULL;
    assert_int_equal(vw_report_file_names(ids, 8, &names), 0);
    assert_string_equal(names[0], "a_b");
    assert_string_equal(names[1], "A_b-2"); /* unique ignoring case */
    assert_string_equal(names[2], "patient");
    assert_string_equal(names[3], "_.");
    assert_string_equal(names[4], "x_y");
    assert_string_equal(names[5], "a_b-3");
    assert_string_equal(names[6], "_script_");
    assert_string_equal(names[7], "__t__");
    vw_report_file_names_free(names, 8);
    char long_id[300];
    memset(long_id, 'x', sizeof(long_id) - 1);
    long_id[299] = '\0';
    const char *l[] = {long_id};
    assert_int_equal(vw_report_file_names(l, 1, &names), 0);
    assert_int_equal(strlen(names[0]), 80);
    vw_report_file_names_free(names, 1);
    assert_int_equal(vw_report_file_names(NULL, 1, &names), -EINVAL);
    assert_int_equal(vw_report_file_names(ids, 1, NULL), -EINVAL);
    vw_report_file_names_free(NULL, 0);
}

static void test_pct(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(vw_report_pct(0.0034, b, sizeof(b)), "0.34");
    assert_string_equal(vw_report_pct(0.006, b, sizeof(b)), "0.60");
    assert_string_equal(vw_report_pct(0.3, b, sizeof(b)), "30");
    assert_string_equal(vw_report_pct(0.123, b, sizeof(b)), "12");
    assert_string_equal(vw_report_pct(1.0, b, sizeof(b)), "100");
    assert_string_equal(vw_report_pct(0.000996, b, sizeof(b)), "0.10");
    assert_string_equal(vw_report_pct(0.0000151, b, sizeof(b)), "0.0015");
    assert_string_equal(vw_report_pct(0.0, b, sizeof(b)), "0");
    assert_string_equal(vw_report_pct(NAN, b, sizeof(b)), "NA");
}

static void test_deterministic(void **state)
{
    fx_t *f = *state;
    char *a = capture_all(f), *b = capture_all(f);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* with a timestamp the JSON says when */
    vw_report_opt_t o;
    vw_report_opt_init(&o);
    o.timestamp = 1;
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    assert_int_equal(vw_report_write_json(fp, &f->in, &o), 0);
    fclose(fp);
    assert_null(strstr(buf, "\"generated\": null"));
    free(buf);
}

static void test_write_files(void **state)
{
    fx_t *f = *state;
    char dir[] = "/tmp/vw_report_testXXXXXX", path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out", dir);
    assert_int_equal(vw_report_write(&f->in, path, NULL), 0);
    const char *const want[] = {"index.html", "vafwatch.report.json", "vafwatch_mqc.tsv",
                                "vafwatch_stats_mqc.tsv", "vafwatch_vaf_mqc.json",
                                "patients/P1__script____.html", "patients/P1__script____.json"};
    for (size_t i = 0; i < 7; i++) {
        char p[300];
        struct stat st;
        snprintf(p, sizeof(p), "%s/%s", path, want[i]);
        assert_int_equal(stat(p, &st), 0);
        assert_true(st.st_size > 0);
        unlink(p);
    }
    snprintf(path, sizeof(path), "%s/out/patients", dir);
    assert_int_equal(rmdir(path), 0);
    snprintf(path, sizeof(path), "%s/out", dir);
    assert_int_equal(rmdir(path), 0);
    /* a file where the folder should be: an error, logged */
    FILE *fp = fopen(path, "w");
    fclose(fp);
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_report_write(&f->in, path, NULL), -ENOTDIR);
    vw_log_set_level(VW_LOG_WARN);
    unlink(path);
    rmdir(dir);
    assert_int_equal(vw_report_write(NULL, path, NULL), -EINVAL);
    assert_int_equal(vw_report_write(&f->in, NULL, NULL), -EINVAL);
    assert_int_equal(vw_report_write(&f->in, "", NULL), -EINVAL);
    assert_int_equal(vw_report_write_patient_html(stdout, &f->in, NULL, 1), -EINVAL);
    assert_int_equal(vw_report_write_patient_json(stdout, &f->in, NULL, 1), -EINVAL);
    assert_int_equal(vw_report_write_mqc(stdout, NULL), -EINVAL);
    assert_int_equal(vw_report_write_mqc_stats(stdout, NULL), -EINVAL);
    assert_int_equal(vw_report_write_mqc_vaf(NULL, &f->in), -EINVAL);
}

/* A full disk is named as such by every writer (not "Input/output error"):
 * the device /dev/full fails each write with ENOSPC; a small buffer makes the
 * writer meet the failure before it returns (a short table may meet it only
 * when its file is closed, which the output set checks). */
static FILE *open_full(void)
{
    FILE *fp = fopen("/dev/full", "w");
    if (fp)
        setvbuf(fp, NULL, _IOFBF, 8);
    return fp;
}

static void test_write_enospc(void **state)
{
    fx_t *f = *state;
    FILE *fp[4];
    for (int i = 0; i < 4; i++)
        if (!(fp[i] = open_full()))
            skip();
    assert_int_equal(vw_report_write_patient_html(fp[0], &f->in, NULL, 0), -ENOSPC);
    assert_int_equal(vw_report_write_cohort_html(fp[1], &f->in, NULL, NULL), -ENOSPC);
    assert_int_equal(vw_report_write_json(fp[2], &f->in, NULL), -ENOSPC);
    assert_int_equal(vw_report_write_patient_json(fp[3], &f->in, NULL, 0), -ENOSPC);
    for (int i = 0; i < 4; i++)
        fclose(fp[i]);
}

/* RFC 4648 section 10 test vectors. */
static void test_base64(void **state)
{
    (void)state;
    static const char *const in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *buf = NULL;
        size_t n = 0;
        FILE *fp = open_memstream(&buf, &n);
        assert_non_null(fp);
        vw_report_base64(fp, in[i], strlen(in[i]));
        assert_int_equal(fclose(fp), 0);
        assert_string_equal(buf, want[i]);
        free(buf);
    }
}

/* SOURCE_DATE_EPOCH fixes the report date: 86399 s is still 1970-01-01 (day 0),
 * 1700000000 s is 2023-11-14 (day 19675 = 1700000000 / 86400, rounded down). */
static void test_default_date(void **state)
{
    (void)state;
    int32_t d = -7;
    setenv("SOURCE_DATE_EPOCH", "86399", 1);
    assert_int_equal(vw_report_default_date(&d), 0);
    assert_int_equal(d, 0);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    assert_int_equal(vw_report_default_date(&d), 0);
    char b[VW_DATE_BUFSZ];
    assert_int_equal(vw_date_format(d, b), 0);
    assert_string_equal(b, "2023-11-14");
    d = -7;
    static const char *const bad[] = {"abc", "-5", "12x", " 5", "99999999999999999999999"};
    for (size_t i = 0; i < 5; i++) {
        setenv("SOURCE_DATE_EPOCH", bad[i], 1);
        assert_int_equal(vw_report_default_date(&d), VW_EPARSE);
        assert_int_equal(d, -7); /* untouched */
    }
    unsetenv("SOURCE_DATE_EPOCH");
    assert_int_equal(vw_report_default_date(&d), 0);
    long today = (long)(time(NULL) / 86400);
    assert_true(d == today || d == today - 1);
    vw_report_opt_t o;
    vw_report_opt_init(&o);
    assert_null(vw_report_date_of(&o, b)); /* the library writes no date unless given one */
}

/* Roles from the built-in catalogue's therapy context (catalogue_builtin.c):
 * EGFR L861Q and L858R are sensitising, T790M and KRAS G12D resistance. */
static void test_roles(void **state)
{
    (void)state;
    vw_targets_t *cat = vw_report_catalogue();
    assert_non_null(cat);
    vw_track_series_t s;
    memset(&s, 0, sizeof(s));
    const char *ctx = NULL;
    s.kind = VW_KIND_MUTATION;
    s.id = "EGFR_L861Q_c.2582T>A";
    s.gene = "EGFR";
    s.protein = "p.L861Q";
    assert_string_equal(vw_report_role(cat, &s, &ctx), "sensitising");
    assert_string_equal(ctx, "EGFR-TKI (NSCLC): sensitising");
    s.id = "7:55259515:T:G"; /* another naming: found by gene and protein */
    s.protein = "L858R";
    assert_string_equal(vw_report_role(cat, &s, NULL), "sensitising");
    s.id = "EGFR_T790M_c.2369C>T";
    s.protein = "p.T790M";
    assert_string_equal(vw_report_role(cat, &s, &ctx), "resistance");
    s.id = "KRAS_G12D_c.35G>A";
    s.gene = "KRAS";
    s.protein = "p.G12D";
    assert_string_equal(vw_report_role(cat, &s, NULL), "resistance");
    s.id = "TP53_R175H";
    s.gene = "TP53";
    s.protein = "p.R175H";
    assert_string_equal(vw_report_role(cat, &s, &ctx), "unknown");
    assert_null(ctx);
    s.kind = VW_KIND_AMPLIFICATION;
    s.id = "EGFR_T790M_c.2369C>T";
    assert_string_equal(vw_report_role(cat, &s, NULL), "unknown");
    assert_string_equal(vw_report_role(NULL, &s, NULL), "unknown");
    vw_targets_destroy(cat);
}

/* The CH? label says where it comes from (white cells or the cohort rule),
 * and the tracking parameters carry the cohort rule's two options. */
static void test_ch_label(void **state)
{
    (void)state;
    vw_track_series_t s;
    memset(&s, 0, sizeof(s));
    s.status = VW_TRACK_CH;
    assert_string_equal(vw_report_status_label(&s),
                        "CH?: also in the white cells (clonal haematopoiesis?), never an emergence");
    s.ch_cohort = 1;
    assert_non_null(strstr(vw_report_status_label(&s), "low and flat from the baseline in several patients"));
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    const char *keys[VW_REPORT_N_TRACK_PARAMS];
    char vals[VW_REPORT_N_TRACK_PARAMS][64];
    size_t n = vw_report_track_params(&o, keys, vals);
    assert_int_equal(n, VW_REPORT_N_TRACK_PARAMS - 2);
    assert_string_equal(keys[n - 2], "CH: patients low and flat from baseline");
    assert_string_equal(vals[n - 2], "3");
    assert_string_equal(vals[n - 1], "0.02");
    o.ch_patients = 0;
    n = vw_report_track_params(&o, keys, vals);
    assert_string_equal(vals[n - 2], "off");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_formulas),
        cmocka_unit_test_setup_teardown(test_geometry_patient, setup, teardown),
        cmocka_unit_test(test_escape),
        cmocka_unit_test_setup_teardown(test_escape_in_pages, setup, teardown),
        cmocka_unit_test(test_file_names),
        cmocka_unit_test(test_pct),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_enospc, setup, teardown),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_default_date),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_ch_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
