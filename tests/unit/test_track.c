/* test_track.c -- unit tests of the track module.  Expected values are
 * worked out by hand from the definitions in docs/tracking.md (noted beside). */
#include "vw_test.h"
#include "track_fixture.h"

#include <gsl/gsl_errno.h>

#include "vafwatch/log.h"
#include "vafwatch/track.h"

/* A series of draws from states, alt counts, depths and p-values. */
static void mk(vw_track_draw_t *d, size_t n, const int *state, const long *x, long depth, const double *p)
{
    memset(d, 0, n * sizeof(*d));
    for (size_t i = 0; i < n; i++) {
        d[i].date = (int32_t)(30 * i);
        d[i].state = (vw_draw_state_t)state[i];
        d[i].alt = x ? x[i] : 0;
        d[i].depth = depth;
        d[i].p_value = p ? p[i] : (state[i] == 1 ? 1e-9 : 0.5);
        d[i].bg_error = 1e-4;
    }
}

/* Runs the rule and checks the signal draw, the confirmation and the last negative. */
static void expect_em(const vw_track_draw_t *d, size_t n, long baseline, size_t T, size_t fam,
                      const vw_track_opt_t *o, long first, long fire, long neg, long pending)
{
    vw_emergence_t e;
    assert_int_equal(vw_track_emergence(d, n, baseline, T, fam, o, &e), 0);
    assert_int_equal(e.first, first);
    assert_int_equal(e.fire, fire);
    assert_int_equal(e.last_neg, neg);
    assert_int_equal(e.pending, pending);
}

static void test_consecutive(void **st)
{
    (void)st;
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    vw_track_draw_t d[6];
    vw_emergence_t e;
    /* baseline 0 negative; 1 detected alone; 2 negative; 3,4 detected:
     * the first pair of consecutive detected draws is (3,4) -> emergence 3,
     * the rule fires at 4, interval (2, 3] */
    int s1[6] = {0, 1, 0, 1, 1, 1};
    mk(d, 6, s1, NULL, 5000, NULL);
    expect_em(d, 6, 0, 6, 1, &o, 3, 4, 2, -1);
    /* a not-assessable draw between two detected ones does not break the pair:
     * (1, 3) are consecutive among assessable draws -> emergence 1, fired at 3 */
    int s2[4] = {0, 1, -1, 1};
    mk(d, 4, s2, NULL, 5000, NULL);
    expect_em(d, 4, 0, 4, 1, &o, 1, 3, 0, -1);
    /* one detection at the last draw: no emergence, awaiting confirmation */
    int s3[4] = {0, 0, 0, 1};
    mk(d, 4, s3, NULL, 5000, NULL);
    expect_em(d, 4, 0, 4, 1, &o, -1, -1, -1, 3);
    /* the baseline itself is never an emergence draw: baseline 1 detected with 2 */
    int s4[4] = {0, 1, 1, 0};
    mk(d, 4, s4, NULL, 5000, NULL);
    expect_em(d, 4, 1, 4, 1, &o, -1, -1, -1, -1);
    /* bad arguments */
    assert_int_equal(vw_track_emergence(d, 4, 4, 4, 1, &o, &e), -EINVAL);
    assert_int_equal(vw_track_emergence(NULL, 4, 0, 4, 1, &o, &e), -EINVAL);
    assert_int_equal(vw_track_emergence(d, 4, 0, 4, 0, &o, &e), -EINVAL);
}

static void test_strict(void **st)
{
    (void)st;
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    o.rule = VW_RULE_STRICT;
    vw_track_draw_t d[6];
    /* T = 6 draws, one target, alpha 0.05: signal level 0.05 / 6 = 0.008333.
     * 0.01 and 0.009 are above it, 0.008 is the first below; the next draw
     * (1e-6 < 0.05) confirms -> emergence 3, fired at 4, last negative 2. */
    int s[6] = {0, 1, 0, 0, 1, 1};
    double p[6] = {0.5, 0.01, 0.009, 0.008, 1e-6, 1e-6};
    mk(d, 6, s, NULL, 5000, p);
    expect_em(d, 6, 0, 6, 1, &o, 3, 4, 2, -1);
    /* with T = 5 the level is 0.01: 0.009 at draw 2 is the signal and 0.008
     * < 0.05 confirms it; the last negative is draw 0 (draw 1 is detected) */
    expect_em(d, 6, 0, 5, 1, &o, 2, 3, 0, -1);
    /* 10 targets in the family: signal below 0.005 / 6 = 8.3e-4 (draw 4),
     * confirmation below 0.005 (draw 5) */
    expect_em(d, 6, 0, 6, 10, &o, 4, 5, 3, -1);
    /* one artefact draw (1e-9 at draw 2) not confirmed by draw 3 (p 0.3) */
    int sa[5] = {0, 0, 1, 0, 0};
    double pa[5] = {0.5, 0.5, 1e-9, 0.3, 0.5};
    mk(d, 5, sa, NULL, 5000, pa);
    expect_em(d, 5, 0, 5, 1, &o, -1, -1, -1, -1);
    /* a signal at the last draw waits */
    double pb[5] = {0.5, 0.5, 0.5, 0.5, 1e-9};
    int sb[5] = {0, 0, 0, 0, 1};
    mk(d, 5, sb, NULL, 5000, pb);
    expect_em(d, 5, 0, 5, 1, &o, -1, -1, -1, 4);
}

static void test_cusum(void **st)
{
    (void)st;
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    o.rule = VW_RULE_CUSUM;
    vw_track_draw_t d[5];
    vw_emergence_t e;
    /* D = 4 draws after the baseline, k = 1.  The threshold solves
     *   4 Q(h+1) + 3 Q((h+2)/sqrt 2) + 2 Q((h+3)/sqrt 3) + Q((h+4)/2) = level:
     * h = 1.558792 at 0.05 (one target) and 2.515702 at 0.005 (10 targets)
     * (bisection with the erfc of Python's math module).  z = Phi^-1(1-p):
     * 0.01 -> 2.326348, 1e-4 -> 3.719016.  Path: 0, 1.326, 4.045 (alarm at
     * draw 3 for both levels). */
    int s1[5] = {0, 0, 0, 1, 1};
    double p1[5] = {0.5, 0.5, 0.01, 1e-4, 1e-3};
    mk(d, 5, s1, NULL, 6000, p1);
    assert_int_equal(vw_track_emergence(d, 5, 0, 5, 1, &o, &e), 0);
    assert_abs(e.h, 1.558792, 1e-6);
    /* confirmed by draw 4 (1e-3 < 0.05); the excursion began at draw 2, whose
     * p 0.01 is itself below 0.05 -> emergence at 2 */
    expect_em(d, 5, 0, 5, 1, &o, 2, 4, 1, -1);
    assert_int_equal(vw_track_emergence(d, 5, 0, 5, 10, &o, &e), 0);
    assert_abs(e.h, 2.515702, 1e-6);
    /* at 0.005, draw 2 (0.01) is not positive on its own: emergence at the alarm */
    expect_em(d, 5, 0, 5, 10, &o, 3, 4, 2, -1);
    /* one artefact draw: alarm at 3 (S = 3.75), draw 4 (p 0.2) does not confirm */
    int s2[5] = {0, 0, 0, 1, 0};
    double p2[5] = {0.5, 0.5, 0.5, 1e-6, 0.2};
    mk(d, 5, s2, NULL, 6000, p2);
    expect_em(d, 5, 0, 5, 1, &o, -1, -1, -1, -1);
    /* an alarm at the last draw waits */
    double p3[5] = {0.5, 0.5, 0.5, 0.5, 1e-6};
    mk(d, 5, s2, NULL, 6000, p3);
    expect_em(d, 5, 0, 5, 1, &o, -1, -1, -1, 4);
    /* a p of 1 (no alt fragment) is z = -8: the path stays at 0 */
    double p4[5] = {1, 1, 1, 1, 1};
    mk(d, 5, s2, NULL, 6000, p4);
    expect_em(d, 5, 0, 5, 1, &o, -1, -1, -1, -1);
}

static void test_names(void **st)
{
    (void)st;
    vw_track_rule_t r;
    assert_int_equal(vw_track_rule_parse("cusum", &r), 0);
    assert_int_equal(r, VW_RULE_CUSUM);
    assert_int_equal(vw_track_rule_parse("CUSUM", &r), VW_EPARSE);
    assert_int_equal(vw_track_rule_parse(NULL, &r), -EINVAL);
    assert_string_equal(vw_track_rule_name(VW_RULE_STRICT), "strict");
    assert_string_equal(vw_track_status_name(VW_TRACK_GERMLINE), "germline?");
    assert_string_equal(vw_track_status_name(VW_TRACK_NOT_ASSESSED), "not_assessed");
}

/* The rule table: every row has a name, both functions and a description,
 * names and ids are unique and round-trip; an unknown name or a rule value
 * with no row is an error, never a silent CUSUM (or any other) default. */
static void test_rule_table(void **st)
{
    (void)st;
    size_t n = 0;
    const vw_rule_t *t = vw_rules(&n);
    assert_int_equal(n, 3); /* consecutive, strict, cusum (docs/tracking.md) */
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].name);
        assert_non_null(t[i].mutation);
        assert_non_null(t[i].amplification);
        assert_non_null(t[i].parameters);
        assert_true(t[i].description && *t[i].description);
        assert_ptr_equal(vw_rule_find(t[i].name), &t[i]);
        assert_ptr_equal(vw_rule_get(t[i].id), &t[i]);
        assert_string_equal(vw_track_rule_name(t[i].id), t[i].name);
    }
    assert_null(vw_rule_find("bogus"));
    assert_null(vw_rule_find("Consecutive"));
    assert_null(vw_rule_find(NULL));
    assert_null(vw_rule_get((vw_track_rule_t)3));
    assert_string_equal(vw_track_rule_name((vw_track_rule_t)3), "?");
    vw_track_rule_t r = VW_RULE_STRICT;
    assert_int_equal(vw_track_rule_parse("bogus", &r), VW_EPARSE);
    assert_int_equal(r, VW_RULE_STRICT); /* untouched on failure */

    char buf[64];
    assert_int_equal(vw_rule_names(buf, sizeof(buf), ", "), 26); /* strlen of the text below */
    assert_string_equal(buf, "consecutive, strict, cusum");
    assert_int_equal(vw_rule_names(buf, 8, "|"), 24);             /* truncated, needs 24 */
    assert_string_equal(buf, "consecu");
    assert_int_equal(vw_rule_names(NULL, 0, "|"), 24);
    assert_int_equal(vw_rule_names(NULL, 4, "|"), -EINVAL);

    /* a rule value with no row: the decision is refused, not run as CUSUM */
    vw_track_draw_t d[4];
    int state[4] = {0, 1, 1, 1};
    mk(d, 4, state, NULL, 1000, NULL);
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    o.rule = (vw_track_rule_t)3;
    vw_emergence_t e = {7, 7, 7, 7, 7};
    assert_int_equal(vw_track_emergence(d, 4, 0, 4, 1, &o, &e), -EINVAL);
    assert_int_equal(e.first, 7); /* untouched */
    o.rule = (vw_track_rule_t)-1;
    assert_int_equal(vw_track_emergence(d, 4, 0, 4, 1, &o, &e), -EINVAL);
}

/* P1: draws every 30 days from day 0 (treatment start) to day 210, stop on
 * day 120.  P2: draws on days 0..120. */
static vw_timeline_t *cohort(void)
{
    static char sheet[4096], events[1024];
    char b[VW_DATE_BUFSZ];
    sheet[0] = events[0] = '\0';
    fx_cat(sheet, sizeof sheet, "patient\tsample\tdate\tfile\ttype\n");
    for (int i = 0; i < 8; i++)
        fx_cat(sheet, sizeof sheet, "P1\tP1_%d\t%s\tx.bam\tplasma\n", i, fx_date(30 * i, b));
    for (int i = 0; i < 5; i++)
        fx_cat(sheet, sizeof sheet, "P2\tP2_%d\t%s\tx.bam\tplasma\n", i, fx_date(30 * i, b));
    fx_cat(sheet, sizeof sheet, "P2\tP2_wbc\t%s\tx.bam\tnormal\n", fx_date(0, b));
    fx_cat(events, sizeof events, "patient\tdate\tevent\tdetail\n");
    fx_cat(events, sizeof events, "P1\t%s\ttreatment_start\tdrugA\n", fx_date(0, b));
    fx_cat(events, sizeof events, "P1\t%s\ttreatment_stop\tdrugA\n", fx_date(120, b));
    fx_cat(events, sizeof events, "P2\t%s\ttreatment_start\tdrugA\n", fx_date(0, b));
    return fx_timeline(sheet, events);
}

static vw_calls_t *calls(void)
{
    vw_calls_t *cs = vw_calls_init();
    char s[32];
    /* P1 KRAS: 0 at baseline, then 10, 20, 40, 80 (doubling every 30 days)
     * up to the stop on day 120, then 40, 20, 10 (halving every 30 days) */
    long kras[8] = {0, 10, 20, 40, 80, 40, 20, 10};
    for (int i = 0; i < 8; i++) {
        snprintf(s, sizeof s, "P1_%d", i);
        fx_call(cs, s, 0, kras[i] > 0, kras[i], 10000, kras[i] > 0 ? 1e-9 : 1, 0);
        fx_call(cs, s, 1, 1, 5000, 10000, 1e-300, VW_FLAG_GERMLINE);     /* germline T790M */
        fx_call(cs, s, 2, 1, 1000, 10000, 1e-300, 0);                    /* truncal TP53, VAF 0.1 */
    }
    /* P2 KRAS: one blip on day 30; EGFR never; TP53 not assessable */
    long k2[5] = {0, 12, 0, 0, 0};
    for (int i = 0; i < 5; i++) {
        snprintf(s, sizeof s, "P2_%d", i);
        fx_call(cs, s, 0, k2[i] > 0, k2[i], 10000, k2[i] > 0 ? 1e-9 : 1, 0);
        fx_call(cs, s, 1, 0, 0, 10000, 1, 0);
        if (i < 4)
            fx_call(cs, s, 2, -1, 0, 0, NAN, VW_FLAG_NOT_ASSESSED);
    }
    fx_call(cs, "P2_wbc", 1, 1, 5000, 10000, 1e-300, 0); /* a normal: ignored */
    return cs;
}

static const vw_track_series_t *find(const vw_track_t *tr, const char *patient, int t)
{
    for (size_t i = 0; i < tr->n; i++)
        if (!strcmp(tr->s[i].patient->id, patient) && !strcmp(tr->s[i].id, fx_tid[t]))
            return &tr->s[i];
    fail_msg("no series %s %s", patient, fx_tid[t]);
    return NULL;
}

static void test_run(void **st)
{
    (void)st;
    vw_timeline_t *tl = cohort();
    vw_calls_t *cs = calls();
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    o.truncal = "TP53_R175H";
    vw_track_t *tr = NULL;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
    assert_int_equal(tr->n, 6);
    int32_t d0 = fx_day0();

    const vw_track_series_t *s = find(tr, "P1", 0);
    assert_int_equal(s->status, VW_TRACK_EMERGING);
    assert_int_equal(s->n_draws, 8);
    assert_int_equal(s->baseline, 0);
    assert_int_equal(s->first_detection, d0 + 30);   /* pair (30, 60) */
    assert_int_equal(s->last_negative, d0);          /* interval (day 0, day 30] */
    assert_int_equal(s->n_detected, 7);
    assert_rel(s->max_vaf, 0.008, 1e-12);
    assert_abs(s->baseline_vaf, 0.0, 0);
    /* x = 10 * 2^(t/30) at n = 10000 on days 30..120, less the expected
     * background n * bg_error = 1 a draw: 9, 19, 39, 79.  The Poisson MLE of
     * those (a bisection on the profile score in Python, independent of the
     * code): r = 0.023926830346561574, doubling 28.969 d */
    assert_true(s->growth.ok);
    assert_int_equal(s->growth.n_draws, 4);
    assert_rel(s->growth.r, 0.023926830346561574, 1e-8);
    assert_rel(s->growth.td, log(2.0) / 0.023926830346561574, 1e-6);
    assert_true(s->growth.td_lo <= s->growth.td && s->growth.td_hi >= s->growth.td);
    /* after the stop on day 120: 80, 40, 20, 10 less 1: the mirror image */
    assert_int_equal(s->stop_date, d0 + 120);
    assert_true(s->decay.ok);
    assert_rel(s->decay.r, -0.023926830346561574, 1e-8);
    assert_rel(s->decay.td, log(2.0) / 0.023926830346561574, 1e-6);
    /* clone fraction = VAF / truncal VAF = 0.001 / 0.1 on day 30 */
    assert_rel(s->draws[1].clone_fraction, 0.01, 1e-12);
    /* its Katz interval: 10/10000 over 1000/10000, se^2 = 1/10 - 1/10000 + 1/1000
     * - 1/10000: [0.00536725078425, 0.01863151248557] (Python) */
    assert_rel(s->draws[1].cf_lo, 0.00536725078425, 1e-10);
    assert_rel(s->draws[1].cf_hi, 0.01863151248557, 1e-10);
    assert_true(isnan(s->draws[0].cf_lo)); /* no alt fragment at baseline */
    assert_abs(s->draws[0].clone_fraction, 0.0, 0);

    s = find(tr, "P1", 1);
    assert_int_equal(s->status, VW_TRACK_GERMLINE);
    assert_rel(s->baseline_vaf, 0.5, 1e-12);
    assert_int_equal(s->first_detection, d0);
    assert_false(s->growth.ok);
    /* constant 5000/10000: every x_i = n_i pbar, so Z = 0 and p = 1 - Phi(0) = 0.5 */
    assert_abs(s->trend_z, 0.0, 1e-12);
    assert_rel(s->trend_p, 0.5, 1e-12);

    s = find(tr, "P1", 2);
    assert_int_equal(s->status, VW_TRACK_PRE_EXISTING);
    assert_true(s->is_truncal);
    assert_rel(s->draws[3].clone_fraction, 1.0, 1e-12);

    /* the pair (30, 60): the rule fired on day 60; P1's discovery family is KRAS
     * alone (T790M and TP53 are detected at baseline) */
    s = find(tr, "P1", 0);
    assert_int_equal(s->rule_fired, d0 + 60);
    assert_int_equal(s->family, 1);

    s = find(tr, "P2", 0);
    assert_int_equal(s->family, 1); /* KRAS: EGFR is detected in the white cells, TP53 never assessable */
    assert_int_equal(s->status, VW_TRACK_TRANSIENT); /* detected on day 30, cleared on day 60 */
    assert_int_equal(s->rule_fired, VW_DATE_NONE);
    assert_int_equal(s->first_detection, d0 + 30);
    assert_int_equal(s->last_negative, d0);
    assert_true(isnan(s->draws[1].clone_fraction)); /* truncal not assessable in P2 */

    s = find(tr, "P2", 1);
    assert_int_equal(s->status, VW_TRACK_NEVER);
    assert_int_equal(s->n_draws, 5); /* the normal sample is not a draw */
    assert_int_equal(s->first_detection, VW_DATE_NONE);
    assert_rel(s->trend_p, 1.0, 0); /* pbar = 0: p = 1 by definition */

    s = find(tr, "P2", 2);
    assert_int_equal(s->status, VW_TRACK_NOT_ASSESSED);
    assert_int_equal(s->draws[4].state, VW_DRAW_NA); /* no call at all */

    /* writers */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(vw_track_write_tsv(fp, tr), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "P1\tKRAS_G12D\t12\t25398284\tC\tT\tKRAS\tp.X\temerging\t0\t2023-01-31\t2023-01-01\tconsecutive\t8\t8\t7"));
    assert_non_null(strstr(buf, "P2\tTP53_R175H"));
    free(buf);
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_track_write_series(fp, tr), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "P1\tP1_1\t2023-01-31\t30\tKRAS_G12D\tKRAS\tp.X\t10000\t10\t0.001\t"));
    assert_non_null(strstr(buf, "P2\tP2_4\t2023-05-01\t120\tTP53_R175H\tTP53\tp.X\tNA\tNA\tNA"));
    free(buf);
    vw_track_destroy(tr);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

/* Amplification series from copy-number rows: P1 ERBB2 no, no, yes, yes,
 * NA, yes, yes, yes -> emerging on day 60 (pair 60, 90), last negative day
 * 30; P2 ERBB2 yes only on day 30 -> transient. */
static void add_cn(vw_cnv_rows_t *rs, const char *sample, int amp, double pcn)
{
    vw_cnv_gene_t g;
    memset(&g, 0, sizeof(g));
    g.gene = "ERBB2";
    g.chrom = "17";
    g.beg = 37844166;
    g.end = 37884915;
    g.frag = 1000;
    g.log2r = log2(pcn / 2);
    g.z = 10 * g.log2r;
    g.pcn = pcn;
    g.tf = 0.1;
    g.cn_t = vw_cnv_cn_from_pcn(pcn, 0.1);
    g.amplified = amp;
    assert_int_equal(vw_cnv_rows_add(rs, sample, &g), 0);
}

static void test_run_cnv(void **st)
{
    (void)st;
    vw_timeline_t *tl = cohort();
    vw_calls_t *cs = calls();
    vw_cnv_rows_t *rs = vw_cnv_rows_init();
    char s[32];
    int a1[8] = {0, 0, 1, 1, -1, 1, 1, 1};
    double p1[8] = {2.0, 2.02, 2.8, 3.0, NAN, 3.2, 3.4, 3.3};
    for (int i = 0; i < 8; i++) {
        snprintf(s, sizeof s, "P1_%d", i);
        add_cn(rs, s, a1[i], p1[i]);
    }
    for (int i = 0; i < 5; i++) {
        snprintf(s, sizeof s, "P2_%d", i);
        add_cn(rs, s, i == 1, i == 1 ? 2.6 : 2.0);
    }
    add_cn(rs, "P2_wbc", 1, 4.0); /* a normal: ignored */
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    vw_track_t *tr = NULL;
    assert_int_equal(vw_track_run_cnv(tl, cs, rs, &o, &tr), 0);
    assert_int_equal(tr->n, 8);
    int32_t d0 = fx_day0();
    const vw_track_series_t *a = NULL, *b = NULL;
    for (size_t i = 0; i < tr->n; i++)
        if (!strcmp(tr->s[i].id, "ERBB2_amplification"))
            *(strcmp(tr->s[i].patient->id, "P1") ? &b : &a) = &tr->s[i];
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->kind, VW_KIND_AMPLIFICATION);
    assert_string_equal(a->protein, "amplification");
    assert_int_equal(a->pos1, 37844167);
    assert_int_equal(a->status, VW_TRACK_EMERGING);
    assert_int_equal(a->first_detection, d0 + 60);
    assert_int_equal(a->last_negative, d0 + 30);
    assert_int_equal(a->n_assessed, 7);
    assert_int_equal(a->n_detected, 5);
    assert_rel(a->max_pcn, 3.4, 1e-12);
    assert_rel(a->max_cn_t, 2 + 1.4 / 0.1, 1e-9);   /* CN_t = 2 + (pCN - 2) / TF */
    assert_true(isnan(a->max_vaf));
    assert_true(isnan(a->trend_p));
    assert_false(a->growth.ok);
    assert_int_equal(a->draws[4].state, VW_DRAW_NA);
    assert_rel(a->draws[2].pcn, 2.8, 1e-12);
    assert_int_equal(b->status, VW_TRACK_TRANSIENT);
    assert_int_equal(b->first_detection, d0 + 30);
    /* mutation series are unchanged and carry no copy number */
    const vw_track_series_t *k = find(tr, "P1", 0);
    assert_int_equal(k->kind, VW_KIND_MUTATION);
    assert_int_equal(k->first_detection, d0 + 30);
    assert_true(isnan(k->draws[1].pcn) && isnan(k->max_pcn));

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(vw_track_write_tsv(fp, tr), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "P1\tERBB2_amplification\t17\t37844167\t.\tAMP\tERBB2\tamplification\temerging\tNA"
                                "\t2023-03-02\t2023-01-31\t"));
    /* then rule_fired (the pair's second draw, day 90) and the family (1) */
    assert_non_null(strstr(buf, "\tamplification\t3.400\t16.00\t2023-04-01\t1\tNA\n"));
    free(buf);
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_track_write_series(fp, tr), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "P1\tP1_2\t2023-03-02\t60\tERBB2_amplification\tERBB2\tamplification\tNA\tNA\tNA"
                                "\tNA\tNA\tNA\tNA\tyes\tNA\t2.800\t"));
    free(buf);
    vw_track_destroy(tr);

    /* strict: the first amplified draw; cusum: falls back to consecutive */
    o.rule = VW_RULE_STRICT;
    assert_int_equal(vw_track_run_cnv(tl, cs, rs, &o, &tr), 0);
    for (size_t i = 0; i < tr->n; i++)
        if (!strcmp(tr->s[i].id, "ERBB2_amplification"))
            assert_int_equal(tr->s[i].status, VW_TRACK_EMERGING); /* P2 too: one draw suffices */
    vw_track_destroy(tr);
    o.rule = VW_RULE_CUSUM;
    assert_int_equal(vw_track_run_cnv(tl, cs, rs, &o, &tr), 0);
    for (size_t i = 0; i < tr->n; i++)
        if (!strcmp(tr->s[i].id, "ERBB2_amplification") && !strcmp(tr->s[i].patient->id, "P1"))
            assert_int_equal(tr->s[i].first_detection, d0 + 60);
    vw_track_destroy(tr);

    /* a row of a sample not in the sheet */
    add_cn(rs, "nobody", 1, 3.0);
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_track_run_cnv(tl, cs, rs, &o, &tr), VW_EINPUT);
    vw_log_set_level(lvl);
    vw_cnv_rows_destroy(rs);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

static void test_errors(void **st)
{
    (void)st;
    vw_timeline_t *tl = cohort();
    vw_calls_t *cs = calls();
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    vw_track_t *tr = NULL;
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    /* unknown truncal id */
    o.truncal = "APC_R1450X";
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), VW_EINPUT);
    o.truncal = NULL;
    /* a duplicate call */
    fx_call(cs, "P1_3", 0, 1, 40, 10000, 1e-9, 0);
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), VW_EINPUT);
    vw_calls_destroy(cs);
    /* a sample not in the sheet: the message names it */
    cs = vw_calls_init();
    fx_call(cs, "P9_0", 0, 0, 0, 10000, 1, 0);
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), VW_EINPUT);
    vw_log_set_sink(NULL);
    char msg[512] = "";
    rewind(sink);
    size_t n = fread(msg, 1, sizeof msg - 1, sink);
    msg[n] = '\0';
    fclose(sink);
    assert_non_null(strstr(msg, "sample 'P9_0'"));
    assert_non_null(strstr(msg, "'APC_R1450X'"));
    assert_null(tr);
    /* bad arguments */
    assert_int_equal(vw_track_run(NULL, cs, &o, &tr), -EINVAL);
    o.alpha = 0;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), -EINVAL);
    /* a rule with no row in the rule table: refused, never run as another rule */
    vw_track_opt_init(&o);
    o.rule = (vw_track_rule_t)3;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), -EINVAL);
    assert_null(tr);
    vw_track_destroy(NULL);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

/* unconfirmed vs transient, germline across draws, known clones: one patient
 * P3 with 4 draws (days 0, 30, 60, 90; baseline day 0). */
static void test_statuses(void **st)
{
    (void)st;
    char sheet[1024], events[256], b[VW_DATE_BUFSZ];
    sheet[0] = events[0] = '\0';
    fx_cat(sheet, sizeof sheet, "patient\tsample\tdate\tfile\ttype\n");
    for (int i = 0; i < 4; i++)
        fx_cat(sheet, sizeof sheet, "P3\tP3_%d\t%s\tx.bam\tplasma\n", i, fx_date(30 * i, b));
    fx_cat(events, sizeof events, "patient\tdate\tevent\tdetail\n");
    fx_cat(events, sizeof events, "P3\t%s\ttreatment_start\tdrugA\n", fx_date(0, b));
    vw_timeline_t *tl = fx_timeline(sheet, events);
    vw_calls_t *cs = vw_calls_init();
    char s[32];
    for (int i = 0; i < 4; i++) {
        snprintf(s, sizeof s, "P3_%d", i);
        /* KRAS: detected only at the last draw -> unconfirmed (awaits the next draw) */
        fx_call(cs, s, 0, i == 3, i == 3 ? 30 : 0, 10000, i == 3 ? 1e-9 : 1, 0);
        /* T790M: baseline not assessable, then 50 % at every draw -> germline? */
        if (i == 0)
            fx_call(cs, s, 1, -1, 0, 0, NAN, VW_FLAG_NOT_ASSESSED);
        else
            fx_call(cs, s, 1, 1, 5000, 10000, 1e-300, VW_FLAG_GERMLINE);
        /* TP53: a known clone (its own family), never detected */
        fx_call(cs, s, 2, 0, 0, 10000, 1, VW_FLAG_KNOWN);
    }
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    for (int r = 0; r < 3; r++) {
        o.rule = (vw_track_rule_t)r;
        vw_track_t *tr = NULL;
        assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
        const vw_track_series_t *k = find(tr, "P3", 0), *g = find(tr, "P3", 1), *t = find(tr, "P3", 2);
        assert_int_equal(k->status, VW_TRACK_UNCONFIRMED);
        assert_int_equal(k->first_detection, fx_day0() + 90);
        assert_int_equal(k->last_negative, fx_day0() + 60);
        assert_int_equal(g->status, VW_TRACK_GERMLINE);
        assert_int_equal(g->first_detection, fx_day0() + 30);
        assert_true(t->known);
        assert_int_equal(t->family, 1);
        assert_int_equal(t->status, VW_TRACK_NEVER);
        /* the discovery family: KRAS and T790M (not detected at a baseline that
         * was not assessable); TP53 is known and on its own */
        assert_int_equal(k->family, 2);
        vw_track_destroy(tr);
    }
    assert_string_equal(vw_track_status_name(VW_TRACK_UNCONFIRMED), "unconfirmed");
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

/* White cells of the patient (a 'normal' sample): a variant detected there is
 * possible CH (or germline when the white-cell call has possible_germline),
 * never an emergence, even when the plasma shows it at two draws; and CH,
 * not pre-existing, when the baseline draw has it too (P5). */
static void test_wbc(void **st)
{
    (void)st;
    char sheet[1024], events[256], b[VW_DATE_BUFSZ];
    sheet[0] = events[0] = '\0';
    fx_cat(sheet, sizeof sheet, "patient\tsample\tdate\tfile\ttype\n");
    for (int i = 0; i < 4; i++)
        fx_cat(sheet, sizeof sheet, "P4\tP4_%d\t%s\tx.bam\tplasma\n", i, fx_date(30 * i, b));
    fx_cat(sheet, sizeof sheet, "P4\tP4_wbc\t%s\tx.bam\tnormal\n", fx_date(0, b));
    for (int i = 0; i < 2; i++)
        fx_cat(sheet, sizeof sheet, "P5\tP5_%d\t%s\tx.bam\tplasma\n", i, fx_date(30 * i, b));
    fx_cat(sheet, sizeof sheet, "P5\tP5_wbc\t%s\tx.bam\tnormal\n", fx_date(0, b));
    fx_cat(events, sizeof events, "patient\tdate\tevent\tdetail\n");
    fx_cat(events, sizeof events, "P4\t%s\ttreatment_start\tdrugA\n", fx_date(0, b));
    fx_cat(events, sizeof events, "P5\t%s\ttreatment_start\tdrugA\n", fx_date(0, b));
    vw_timeline_t *tl = fx_timeline(sheet, events);
    vw_calls_t *cs = vw_calls_init();
    char s[32];
    for (int i = 0; i < 4; i++) {
        snprintf(s, sizeof s, "P4_%d", i);
        fx_call(cs, s, 0, i >= 2, i >= 2 ? 100 : 0, 10000, i >= 2 ? 1e-20 : 1, 0); /* KRAS days 60, 90 */
        fx_call(cs, s, 1, i >= 2, i >= 2 ? 100 : 0, 10000, i >= 2 ? 1e-20 : 1, 0); /* T790M days 60, 90 */
        fx_call(cs, s, 2, i >= 2, i >= 2 ? 100 : 0, 10000, i >= 2 ? 1e-20 : 1, 0); /* TP53 days 60, 90 */
    }
    fx_call(cs, "P4_wbc", 0, 1, 200, 10000, 1e-30, 0);                   /* 2 % in white cells */
    fx_call(cs, "P4_wbc", 1, 1, 5000, 10000, 1e-300, VW_FLAG_GERMLINE);  /* 50 % */
    fx_call(cs, "P4_wbc", 2, 0, 0, 10000, 1, 0);                         /* absent */
    fx_call(cs, "P5_0", 0, 1, 200, 10000, 1e-30, 0); /* KRAS at baseline (day 0) and day 30 */
    fx_call(cs, "P5_1", 0, 1, 200, 10000, 1e-30, 0);
    fx_call(cs, "P5_wbc", 0, 1, 200, 10000, 1e-30, 0);
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    vw_track_t *tr = NULL;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
    const vw_track_series_t *k = find(tr, "P4", 0), *g = find(tr, "P4", 1), *t = find(tr, "P4", 2);
    assert_int_equal(k->status, VW_TRACK_CH);
    assert_int_equal(k->first_detection, fx_day0() + 60);
    assert_int_equal(g->status, VW_TRACK_GERMLINE);
    assert_int_equal(t->status, VW_TRACK_EMERGING); /* absent from the white cells */
    assert_int_equal(t->family, 1);                 /* the only discovery series */
    assert_string_equal(vw_track_status_name(VW_TRACK_CH), "CH?");
    const vw_track_series_t *k5 = find(tr, "P5", 0);
    assert_int_equal(k5->status, VW_TRACK_CH);
    assert_int_equal(k5->first_detection, fx_day0());
    vw_track_destroy(tr);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

/* One call of the cohort test, with its Wilson 95 % interval (as call writes it). */
static void ch_call(vw_calls_t *cs, const char *sample, long x, int det)
{
    fx_call(cs, sample, 0, det, x, 10000, det ? 1e-12 : 0.5, 0);
    vw_call_t *c = &cs->c[cs->n - 1];
    if (vw_stats_ci_wilson(x, 10000, 0.95, &c->vaf_lo, &c->vaf_hi) != 0)
        abort();
}

/* The cohort rule of possible CH (docs/tracking.md), by hand: KRAS at 0.5 %
 * (50/10,000) at every draw from the baseline in C1-C3 (low and flat: CH? in
 * all three, 2 other carriers each); the same variant emerging from 0 in C4-C7
 * (0, 0, 1 %, 3 %: consecutive fires at day 90, still emerging, 3 carriers
 * elsewhere); C8 has it at baseline at 0.3 % rising to 1.8 % (the 1.2 % draw's
 * Wilson interval [0.100 %, 0.144 %] lies above the baseline's [0.18 %, 0.49 %]):
 * a clone under therapy pressure, pre-existing.  With --ch-patients 4 the three
 * carriers are below the count: pre-existing; 0 turns the rule off. */
static void test_cohort_ch(void **st)
{
    (void)st;
    char sheet[4096], events[1024], b[VW_DATE_BUFSZ], s[32];
    sheet[0] = events[0] = '\0';
    fx_cat(sheet, sizeof sheet, "patient\tsample\tdate\tfile\ttype\n");
    fx_cat(events, sizeof events, "patient\tdate\tevent\tdetail\n");
    for (int p = 1; p <= 8; p++) {
        for (int i = 0; i < 4; i++)
            fx_cat(sheet, sizeof sheet, "C%d\tC%d_%d\t%s\tx.bam\tplasma\n", p, p, i, fx_date(30 * i, b));
        fx_cat(events, sizeof events, "C%d\t%s\ttreatment_start\tanti-EGFR\n", p, fx_date(0, b));
    }
    vw_timeline_t *tl = fx_timeline(sheet, events);
    vw_calls_t *cs = vw_calls_init();
    static const long rise[4] = {0, 0, 100, 300}, up[4] = {30, 60, 120, 180};
    for (int p = 1; p <= 8; p++)
        for (int i = 0; i < 4; i++) {
            snprintf(s, sizeof s, "C%d_%d", p, i);
            long x = p <= 3 ? 50 : p <= 7 ? rise[i] : up[i];
            ch_call(cs, s, x, x > 0);
        }
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    assert_int_equal(o.ch_patients, 3);
    assert_abs(o.ch_max_vaf, 0.02, 0);
    vw_track_t *tr = NULL;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
    for (int p = 1; p <= 8; p++) {
        snprintf(s, sizeof s, "C%d", p);
        const vw_track_series_t *k = find(tr, s, 0);
        if (p <= 3) {
            assert_int_equal(k->status, VW_TRACK_CH);
            assert_int_equal(k->ch_cohort, 1);
            assert_int_equal(k->recurrent_patients, 2);
            assert_int_equal(k->first_detection, fx_day0());
        } else if (p <= 7) {
            assert_int_equal(k->status, VW_TRACK_EMERGING);
            assert_int_equal(k->first_detection, fx_day0() + 60);
            assert_int_equal(k->rule_fired, fx_day0() + 90);
            assert_int_equal(k->recurrent_patients, 3);
            assert_int_equal(k->ch_cohort, 0);
        } else {
            assert_int_equal(k->status, VW_TRACK_PRE_EXISTING);
            assert_int_equal(k->recurrent_patients, 3);
        }
    }
    /* the track table carries the count */
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(vw_track_write_tsv(fp, tr), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "\tfamily\trecurrent_patients\n"));
    assert_non_null(strstr(buf, "C1\tKRAS_G12D\t12\t25398284\tC\tT\tKRAS\tp.X\tCH?\t0.005\t"));
    free(buf);
    vw_track_destroy(tr);
    for (int n = 4; n >= 0; n -= 4) { /* 4: below the count; 0: off */
        o.ch_patients = n;
        assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
        const vw_track_series_t *k = find(tr, "C1", 0);
        assert_int_equal(k->status, VW_TRACK_PRE_EXISTING);
        assert_int_equal(k->recurrent_patients, 2);
        assert_int_equal(find(tr, "C4", 0)->status, VW_TRACK_EMERGING);
        vw_track_destroy(tr);
    }
    o.ch_patients = 3;
    o.ch_max_vaf = 0.004; /* 0.5 % is no longer "low" */
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), 0);
    assert_int_equal(find(tr, "C1", 0)->status, VW_TRACK_PRE_EXISTING);
    assert_int_equal(find(tr, "C1", 0)->recurrent_patients, 0);
    vw_track_destroy(tr);
    o.ch_max_vaf = -0.1;
    assert_int_equal(vw_track_run(tl, cs, &o, &tr), -EINVAL);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
}

static void test_track_kind_name(void **state)
{
    (void)state;
    assert_string_equal(vw_track_kind_name(VW_KIND_MUTATION), "mutation");
    assert_string_equal(vw_track_kind_name(VW_KIND_AMPLIFICATION), "amplification");
    assert_string_equal(vw_track_kind_name((vw_track_kind_t)9), "?");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consecutive),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_cusum),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_run_cnv),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_wbc),
        cmocka_unit_test(test_cohort_ch),
        cmocka_unit_test(test_track_kind_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
