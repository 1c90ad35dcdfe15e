/* test_run_patient.c -- the patients' own targets of a cohort sheet
 * (pipeline.h, run_patient.c): vw_run_patients_load merges them into the
 * target set and records whose each row is, vw_run_patients_mark does the
 * same on a set already counted (call --sheet), vw_run_view is the rows
 * one patient is tested on, vw_run_patient_row its patient-level test of
 * one draw.  The expected sets are worked out by hand from
 * the rows written here (noted beside). */
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/call.h"
#include "vafwatch/inputs.h"
#include "vafwatch/patient.h"
#include "vafwatch/log.h"
#include "vafwatch/pipeline.h"
#include "vafwatch/timeline.h"

static char dir[] = "/tmp/vw_test_run_patient_XXXXXX";
static char sheet[300];

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_ERROR);
    gsl_set_error_handler_off(); /* as main does */
    if (!mkdtemp(dir))
        return -1;
    char p[300];
    /* the catalogue side (vw_test_targets below): chr1 0-based 1000, 1001, 1002, C>T.
     * P1 owns 1001 (also a base row) and 5000; P2 owns 5000 (as P1) and 6000; P3 none. */
    snprintf(p, sizeof p, "%s/P1.tsv", dir);
    vw_test_put(p, "chrom\tpos\tref\talt\tid\nchr1\t1002\tC\tT\tp1_base\nchr1\t5001\tA\tG\tp1_own\n");
    snprintf(p, sizeof p, "%s/P2.tsv", dir);
    vw_test_put(p, "chrom\tpos\tref\talt\tid\nchr1\t6001\tG\tA\tp2_own\nchr1\t5001\tA\tG\tp2_shared\n");
    snprintf(p, sizeof p, "%s/empty.tsv", dir);
    vw_test_put(p, "chrom\tpos\tref\talt\tid\n");
    for (int k = 1; k <= 3; k++) { /* the draws' files must exist; they are not read */
        snprintf(p, sizeof p, "%s/s%d.bam", dir, k);
        vw_test_put(p, "");
    }
    snprintf(sheet, sizeof sheet, "%s/sheet.tsv", dir);
    vw_test_put(sheet, "patient\tsample\tdate\tfile\ttargets\n"
                       "P1\tS1\t2023-01-05\ts1.bam\tP1.tsv\n"
                       "P2\tS2\t2023-01-06\ts2.bam\tP2.tsv\n"
                       "P3\tS3\t2023-01-07\ts3.bam\t.\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

/* A sheet of three patients read, the catalogue side of the targets
 * (chr1 0-based 1000, 1001, 1002, C>T) and no option. */
typedef struct {
    vw_timeline_t *tl;
    vw_targets_t *ts;
    vw_target_opt_t to;
    vw_run_patients_t rp;
} fix_t;

static void fix_init(fix_t *f, const char *path)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(vw_timeline_read_sheet(path, 0, &f->tl), 0);
    assert_int_equal((int)f->tl->n_patients, 3);
    f->ts = vw_test_targets(3, "chr1", 1000, "C", "T");
}

static void fix_free(fix_t *f)
{
    vw_targets_destroy(f->ts);
    vw_timeline_destroy(f->tl);
}

/* Asserts the merged set: 0-based positions 1000, 1001, 1002, 5000, 6000. */
static void assert_merged(const vw_targets_t *ts)
{
    static const long want[] = {1000, 1001, 1002, 5000, 6000};
    assert_int_equal(ts->n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal((long)ts->t[i].beg, want[i]);
}

static void assert_row(const uint8_t *got, const uint8_t *want, int n)
{
    assert_non_null(got);
    for (int i = 0; i < n; i++)
        if (got[i] != want[i])
            fail_msg("row %d: %d, want %d", i, got[i], want[i]);
}

static void test_load(void **state)
{
    (void)state;
    fix_t f;
    fix_init(&f, sheet);
    vw_targets_t *ts = f.ts;
    vw_run_patients_t rp;
    assert_int_equal(vw_run_patients_load(f.tl, &f.to, NULL, ts, &rp), 0);
    assert_int_equal(rp.any, 2);
    assert_int_equal(rp.n_patients, 3);
    /* 3 base rows + 2 + 2 own, two of them repeats (1001 of the base, 5000 of P1) */
    assert_merged(ts);
    assert_int_equal(rp.own[0]->n, 2);
    assert_int_equal(rp.own[1]->n, 2);
    assert_null(rp.own[2]);
    static const uint8_t base[] = {1, 1, 1, 0, 0}, p1[] = {0, 1, 0, 1, 0}, p2[] = {0, 0, 0, 1, 1};
    assert_row(rp.is_base, base, 5);
    assert_row(rp.mine[0], p1, 5);
    assert_row(rp.mine[1], p2, 5);
    assert_null(rp.mine[2]);

    /* the views: base rows, and the patient's own marked known */
    vw_count_t c[5];
    memset(c, 0, sizeof c);
    for (int i = 0; i < 5; i++)
        c[i].depth = 10 + i;
    vw_sample_counts_t s;
    memset(&s, 0, sizeof s);
    s.sample = "S1";
    s.n = 5;
    s.c = c;
    static const struct {
        int patient, n, idx[5], known[5];
    } want[] = {
        {0, 4, {0, 1, 2, 3}, {0, 1, 0, 1}},
        {1, 5, {0, 1, 2, 3, 4}, {0, 0, 0, 1, 1}},
        {2, 3, {0, 1, 2}, {0, 0, 0}},
        {-1, 3, {0, 1, 2}, {0, 0, 0}},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        vw_run_view_t v;
        assert_int_equal(vw_run_view(&rp, want[k].patient, ts, &s, &v), 0);
        assert_int_equal(v.ts.n, want[k].n);
        assert_int_equal(v.s.n, want[k].n);
        assert_string_equal(v.s.sample, "S1");
        for (int j = 0; j < want[k].n; j++) {
            assert_int_equal(v.idx[j], want[k].idx[j]);
            assert_int_equal(v.ts.t[j].known, want[k].known[j]);
            assert_int_equal((long)v.ts.t[j].beg, (long)ts->t[want[k].idx[j]].beg);
            assert_int_equal(v.s.c[j].depth, 10 + want[k].idx[j]);
        }
        vw_run_view_free(&v);
    }
    vw_run_patients_free(&rp);
    vw_run_patients_free(&rp); /* (twice: nothing left to free) */

    /* call --sheet: the same marks on the counted set; a row no patient owns
     * is tested in every patient, an owned one only where owned (1001 is now
     * P1's alone: no catalogue or --targets row gives it) */
    assert_int_equal(vw_run_patients_mark(f.tl, &f.to, ts, &rp), 0);
    static const uint8_t mbase[] = {1, 0, 1, 0, 0};
    assert_row(rp.is_base, mbase, 5);
    assert_row(rp.mine[0], p1, 5);
    assert_row(rp.mine[1], p2, 5);
    vw_run_patients_free(&rp);
    fix_free(&f);
}

/* A set that lacks one of a patient's targets: the file, the target and
 * the sheet line are named. */
static void test_mark_missing(void **state)
{
    (void)state;
    fix_t f;
    fix_init(&f, sheet);
    vw_test_cap_t cap;
    vw_test_cap_start(&cap);
    assert_int_equal(vw_run_patients_mark(f.tl, &f.to, f.ts, &f.rp), -1);
    char *msg = vw_test_cap_stop(&cap);
    char want[512];
    snprintf(want, sizeof want, "%s/P1.tsv: target p1_own (chr1:5001 A>G) of patient 'P1' is not in the evidence",
             dir);
    if (!strstr(msg, want) || !strstr(msg, "cohort sheet line 2)"))
        fail_msg("'%s'", msg);
    free(msg);
    fix_free(&f);
}

/* No 'targets' column: nothing to do; a targets file with a header only:
 * refused naming the file, nothing left allocated. */
static void test_none_and_empty(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof p, "%s/plain.tsv", dir);
    vw_test_put(p, "patient\tsample\tdate\tfile\nP1\tS1\t2023-01-05\ts1.bam\nP2\tS2\t2023-01-06\ts2.bam\n"
                   "P3\tS3\t2023-01-07\ts3.bam\n");
    fix_t f;
    fix_init(&f, p);
    assert_int_equal(vw_run_patients_load(f.tl, &f.to, NULL, f.ts, &f.rp), 0);
    assert_int_equal(f.rp.any, 0);
    assert_int_equal(f.ts->n, 3); /* unchanged */
    vw_run_patients_free(&f.rp);
    fix_free(&f);

    snprintf(p, sizeof p, "%s/empty_sheet.tsv", dir);
    vw_test_put(p, "patient\tsample\tdate\tfile\ttargets\nP1\tS1\t2023-01-05\ts1.bam\t.\n"
                   "P2\tS2\t2023-01-06\ts2.bam\tempty.tsv\nP3\tS3\t2023-01-07\ts3.bam\t.\n");
    fix_init(&f, p);
    vw_test_cap_t cap;
    vw_test_cap_start(&cap);
    assert_int_equal(vw_run_patients_load(f.tl, &f.to, NULL, f.ts, &f.rp), -1);
    char *msg = vw_test_cap_stop(&cap);
    if (!strstr(msg, "empty.tsv: no targets: the file has a header but no data rows")) /* (errors.tst's) */
        fail_msg("'%s'", msg);
    free(msg);
    fix_free(&f);
}

/* vw_run_patient_row: the patient-level test of one draw over the view's
 * known targets only (K1..K4; B, a catalogue row, is not one), each with
 * its background (bg_n: the self class's 50,000 reads; 0 for the floor),
 * its call's flags and a noisy background as noisy_site; the loci left out
 * listed by id and flag.  By hand: K3 (strand_bias) and K4 (noisy) out,
 * K1 and K2 used: depth 1000 + 800, alt 5 + 3, expected 1000 x 1e-3 +
 * 800 x 1e-4 = 1.08; the statistics those of vw_patient_test on the same
 * loci written out here. */
static void test_patient_row(void **state)
{
    (void)state;
    enum { N = 5 };
    static const char *const ids[N] = {"K1", "B", "K2", "K3", "K4"};
    static const int known[N] = {1, 0, 1, 1, 1};
    static const int64_t depth[N] = {1000, 1000, 800, 900, 700}, alt[N] = {5, 100, 3, 40, 30};
    static const double mu[N] = {1e-3, 1e-3, 1e-4, 1e-3, 1e-3};
    static const vw_bg_source_t src[N] = {VW_BG_SELF, VW_BG_SELF, VW_BG_DEFAULT, VW_BG_SELF, VW_BG_SELF};
    vw_target_t t[N];
    vw_count_t c[N];
    vw_bg_t bg[N];
    vw_call_t calls[N];
    memset(t, 0, sizeof t);
    memset(c, 0, sizeof c);
    memset(bg, 0, sizeof bg);
    memset(calls, 0, sizeof calls);
    for (int j = 0; j < N; j++) {
        t[j] = (vw_target_t){.id = (char *)ids[j], .chrom = "chr1", .beg = 1000 + j, .ref = "C", .alt = "T",
                             .known = known[j]};
        c[j] = (vw_count_t){.assessed = 1, .depth = depth[j], .alt = alt[j], .ref = depth[j] - alt[j]};
        bg[j] = (vw_bg_t){.mu = mu[j], .rho = 0, .source = src[j], .noisy = j == 4};
    }
    calls[3].flags = VW_FLAG_STRAND_BIAS;
    vw_run_view_t v;
    memset(&v, 0, sizeof v);
    v.ts.t = t;
    v.ts.n = N;
    v.s.c = c;
    v.s.n = N;
    vw_selfbg_t sb;
    memset(&sb, 0, sizeof sb);
    sb.n[VW_SUB_CT] = 50000;
    vw_patient_opt_t po;
    vw_patient_opt_init(&po);
    vw_patient_t pat;
    memset(&pat, 0, sizeof pat);
    pat.id = "P1";
    vw_sample_t smp;
    memset(&smp, 0, sizeof smp);
    smp.sample = "S1";
    smp.date = 19400;
    vw_patient_rows_t *rows = vw_patient_rows_init();
    assert_non_null(rows);
    assert_int_equal(vw_run_patient_row(&po, &pat, &smp, &v, bg, NULL, &sb, calls, rows), 0);
    assert_int_equal(rows->n, 1);
    const vw_patient_row_t *row = &rows->r[0];
    assert_string_equal(row->patient, "P1");
    assert_string_equal(row->sample, "S1");
    assert_int_equal(row->date, 19400);
    assert_int_equal(row->n_targets, 4);
    assert_string_equal(row->excluded, "K3:strand_bias;K4:noisy_site");
    assert_int_equal(row->r.n_loci, 2);
    assert_int_equal(row->r.n_excluded, 2);
    assert_int_equal(row->r.depth, 1800);
    assert_int_equal(row->r.alt, 8);
    assert_rel(row->r.expected, 1.08, 1e-12);
    vw_patient_locus_t loci[4] = {
        {"K1", 1, 1000, 5, 1e-3, 0, 50000, 0},
        {"K2", 1, 800, 3, 1e-4, 0, 0, 0},
        {"K3", 1, 900, 40, 1e-3, 0, 50000, VW_FLAG_STRAND_BIAS},
        {"K4", 1, 700, 30, 1e-3, 0, 50000, VW_FLAG_NOISY_SITE},
    };
    vw_patient_res_t want;
    assert_int_equal(vw_patient_test(&po, loci, 4, NULL, &want), 0);
    assert_rel(row->r.p_value, want.p_value, 1e-15);
    assert_rel(row->r.frac, want.frac, 1e-15);
    assert_rel(row->r.lod95, want.lod95, 1e-15);
    assert_int_equal(row->r.detected, want.detected);
    vw_patient_rows_destroy(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_mark_missing),
        cmocka_unit_test(test_none_and_empty),
        cmocka_unit_test(test_patient_row),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
