/* test_call.c -- unit tests of the call computation (call.c) and the VCF
 * writer.  Expected numbers: closed forms evaluated here with libm, the
 * exact binomial critical count (12 at error 1e-3, 5,000 fragments,
 * alpha 0.01; also P(Bin(5000,1e-3) >= 12) = 0.00543 and >= 11 = 0.01365
 * by exact sums with Python's math.comb), and simulations with gsl_rng
 * mt19937 and fixed seeds. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <htslib/vcf.h>

#include "vw_test.h"
#include "vafwatch/call.h"
#include "vafwatch/stats.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

/* A target set of n SNV targets chr1:100+i C>T and one sample with no counts. */
static vw_targets_t *mk_targets(int n)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    ts->t = calloc((size_t)n, sizeof(vw_target_t));
    ts->m = ts->n = n;
    for (int i = 0; i < n; i++) {
        vw_target_t *t = &ts->t[i];
        char id[32];
        snprintf(id, sizeof(id), "T%d", i);
        t->id = strdup(id);
        t->gene = strdup("G"); t->transcript = strdup("."); t->protein = strdup("p.X1Y");
        t->cdna = strdup("c.1C>T"); t->context = strdup(".");
        t->chrom = strdup("chr1");
        t->beg = 99 + i;
        t->ref = strdup("C");
        t->alt = strdup("T");
        vw_target_classify(t);
    }
    return ts;
}

static vw_sample_counts_t *mk_sample(const vw_targets_t *ts, const char *name)
{
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    s->sample = strdup(name);
    s->path = strdup("mem");
    s->n = ts->n;
    s->c = calloc((size_t)ts->n, sizeof(vw_count_t));
    s->chrom = calloc((size_t)ts->n, sizeof(char *));
    for (int i = 0; i < ts->n; i++) {
        s->chrom[i] = strdup(ts->t[i].chrom);
        s->c[i].assessed = 1;
    }
    return s;
}

static void set(vw_count_t *c, long depth, long alt)
{
    c->assessed = 1;
    c->depth = depth;
    c->alt = alt;
    c->ref = depth - alt;
    c->ref_fwd = c->ref / 2;
    c->ref_rev = c->ref - c->ref_fwd;
    c->alt_fwd = alt / 2;
    c->alt_rev = alt - c->alt_fwd;
}

static vw_bg_t *mk_bg(int n, double mu, double rho)
{
    vw_bg_t *bg = calloc((size_t)n, sizeof(*bg));
    for (int i = 0; i < n; i++) {
        bg[i].mu = mu;
        bg[i].rho = rho;
        bg[i].source = VW_BG_DEFAULT;
    }
    return bg;
}

/* p-value of one observation equals the closed form 1 - (1-e)^n at x = 1. */
static void test_pvalue_closed_form(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(1);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(1, 1e-3, 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    o.adjust = VW_ADJ_NONE;
    long ns[] = {1, 10, 1000, 5000};
    for (int k = 0; k < 4; k++) {
        vw_calls_t *cs = vw_calls_init();
        set(&s->c[0], ns[k], 1);
        assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
        assert_int_equal(cs->n, 1);
        double want = -expm1((double)ns[k] * log1p(-1e-3)); /* 1 - (1-e)^n */
        assert_rel(cs->c[0].p_value, want, 1e-13);
        assert_rel(cs->c[0].q_value, want, 1e-13);
        assert_rel(cs->c[0].vaf, 1.0 / (double)ns[k], 1e-12);
        assert_int_equal(cs->c[0].background, VW_BG_DEFAULT);
        assert_rel(cs->c[0].bg_error, 1e-3, 1e-15);
        vw_calls_destroy(cs);
    }
    /* x = 0 gives p = 1 exactly */
    vw_calls_t *cs = vw_calls_init();
    set(&s->c[0], 1000, 0);
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    assert_true(cs->c[0].p_value == 1.0);
    assert_int_equal(cs->c[0].detected, 0);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* Exact binomial sums (mpmath): error 1e-3, 5,000 fragments, alpha 0.01 -> critical count 12. */
static void test_exact_kstar(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(1);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(1, 1e-3, 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    o.adjust = VW_ADJ_NONE;
    o.alpha = 0.01;
    for (long x = 10; x <= 13; x++) {
        vw_calls_t *cs = vw_calls_init();
        set(&s->c[0], 5000, x);
        assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
        assert_int_equal(cs->c[0].detected, x >= 12);
        if (x == 11) assert_rel(cs->c[0].p_value, 0.013649952524186881, 1e-6);
        if (x == 12) assert_rel(cs->c[0].p_value, 0.0054283873818096184, 1e-6);
        vw_calls_destroy(cs);
    }
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* Holm over m targets: the smallest p is multiplied by m; flags and NA rows. */
static void test_holm_flags(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(6);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(6, 1e-3, 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    set(&s->c[0], 1000, 3);      /* tested */
    set(&s->c[1], 100, 50);      /* germline at 50 % */
    set(&s->c[2], 0, 0);         /* depth 0: not assessable */
    s->c[3].assessed = 0;        /* not assessed */
    set(&s->c[4], 50, 2);        /* low depth */
    s->c[4].discordant = 10;     /* 10 / 60 > 5 % */
    set(&s->c[5], 1000, 20);
    s->c[5].alt_fwd = 20;        /* strand bias: all alt forward, ref balanced */
    s->c[5].alt_rev = 0;
    bg[5].noisy = 1;
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 10.0, cs), 0);
    assert_int_equal(cs->n, 6);
    /* four tested targets (0, 1, 4, 5): Holm multiplies the smallest p by 4 */
    double pmin = fmin(fmin(cs->c[0].p_value, cs->c[1].p_value), fmin(cs->c[4].p_value, cs->c[5].p_value));
    double qmin = fmin(fmin(cs->c[0].q_value, cs->c[1].q_value), fmin(cs->c[4].q_value, cs->c[5].q_value));
    assert_rel(qmin, fmin(1.0, 4 * pmin), 1e-12);
    assert_true(cs->c[1].flags & VW_FLAG_GERMLINE);
    assert_false(cs->c[0].flags & VW_FLAG_GERMLINE);
    assert_int_equal(cs->c[1].detected, 1);
    assert_int_equal(cs->c[2].detected, -1);
    assert_true(isnan(cs->c[2].p_value) && isnan(cs->c[2].vaf));
    assert_int_equal(cs->c[3].detected, -1);
    assert_true(cs->c[3].flags & VW_FLAG_NOT_ASSESSED);
    assert_true(cs->c[4].flags & VW_FLAG_LOW_DEPTH);
    assert_true(cs->c[4].flags & VW_FLAG_DISCORDANT);
    assert_false(cs->c[0].flags & (VW_FLAG_LOW_DEPTH | VW_FLAG_DISCORDANT | VW_FLAG_STRAND_BIAS));
    assert_true(cs->c[5].flags & VW_FLAG_STRAND_BIAS);
    assert_true(cs->c[5].flags & VW_FLAG_NOISY_SITE);
    /* 20/1000 at error 1e-3 is significant, but strand_bias is in the default veto:
     * not detected, with the filtered flag beside its reason */
    assert_true(cs->c[5].q_value < 0.05);
    assert_int_equal(cs->c[5].detected, 0);
    assert_true(cs->c[5].flags & VW_FLAG_FILTERED);
    assert_false(cs->c[1].flags & VW_FLAG_FILTERED);
    /* copies per mL = VAF x ng/mL x 303 (one haploid genome ~3.3 pg: 303 genome equivalents per ng) */
    assert_rel(cs->c[5].copies_per_ml, 0.02 * 10.0 * 303.0, 1e-12);
    assert_true(isnan(cs->c[2].copies_per_ml));
    /* Clopper-Pearson at 50/100 is symmetric around 0.5 */
    assert_rel(cs->c[1].vaf_lo + cs->c[1].vaf_hi, 1.0, 1e-9);
    vw_calls_destroy(cs);
    /* a vetoed flag turns the detection into no */
    o.veto = VW_FLAG_GERMLINE;
    cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    assert_int_equal(cs->c[1].detected, 0);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* A patient's own targets (known) are tested each on its own: q = p and
 * the LoD at alpha with one test, while the catalogue targets' family
 * shrinks to the others (Holm over 4 instead of 6). */
static void test_known_family(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(6);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(6, 1e-3, 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    for (int i = 0; i < 6; i++)
        set(&s->c[i], 5000, 11);
    ts->t[1].known = ts->t[3].known = 1;
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    /* P(Bin(5000, 1e-3) >= 11) = 0.01365 (header) */
    for (int i = 0; i < 6; i++)
        assert_rel(cs->c[i].p_value, 0.01365, 1e-5);
    double p = cs->c[0].p_value;
    /* Holm over the 4 catalogue targets with equal p: all get 4p = 0.0546 */
    for (int i = 0; i < 6; i += (i == 0 || i == 2) ? 2 : 1) {
        assert_rel(cs->c[i].q_value, 4 * p, 1e-12);
        assert_int_equal(cs->c[i].detected, 0);
    }
    assert_rel(cs->c[1].q_value, p, 1e-15);
    assert_rel(cs->c[3].q_value, p, 1e-15);
    assert_int_equal(cs->c[1].detected, 1);
    assert_int_equal(cs->c[3].detected, 1);
    double lod1, lod4;
    assert_int_equal(vw_stats_lod_bb(5000, 1e-3, 0, o.alpha, 1, 0.95, &lod1, NULL), 0);
    assert_int_equal(vw_stats_lod_bb(5000, 1e-3, 0, o.alpha, 4, 0.95, &lod4, NULL), 0);
    assert_rel(cs->c[1].lod95, lod1, 1e-15);
    assert_rel(cs->c[0].lod95, lod4, 1e-15);
    assert_true(lod1 < lod4);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* Hierarchical testing: a known target is tested on its own.  58 targets,
 * error 1e-4, 5,000 fragments, 3 alt at targets 0 (known) and 1: p =
 * P(Bin(5000, 1e-4) >= 3) = 0.0143820 (exact rational sum in Python).  The
 * known one is detected at 0.05 with q = p; target 1 is the smallest p of
 * the 57 others, so Holm gives q = 57 p > 0.05: not detected. */
static void test_known(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(58);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(58, 1e-4, 0);
    for (int i = 0; i < 58; i++)
        set(&s->c[i], 5000, i < 2 ? 3 : 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    o.known[o.n_known++] = "S=T0";
    o.known[o.n_known++] = "OTHER=T1";
    o.known[o.n_known++] = "T57";
    assert_true(vw_call_is_known(&o, "S", "T0"));
    assert_false(vw_call_is_known(&o, "S", "T1"));     /* another sample's */
    assert_true(vw_call_is_known(&o, "OTHER", "T1"));
    assert_true(vw_call_is_known(&o, "X", "T57"));     /* every sample */
    assert_false(vw_call_is_known(&o, "S", "T5"));
    unsigned char known[58] = {0};
    known[0] = 1;
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample_known(&o, ts, s, bg, known, 0, cs), 0);
    assert_rel(cs->c[0].p_value, 0.01438199156, 1e-8);
    assert_rel(cs->c[0].q_value, cs->c[0].p_value, 0);
    assert_int_equal(cs->c[0].detected, 1);
    assert_true(cs->c[0].flags & VW_FLAG_KNOWN);
    assert_rel(cs->c[1].q_value, 57 * cs->c[1].p_value, 1e-12);
    assert_int_equal(cs->c[1].detected, 0);
    assert_false(cs->c[1].flags & VW_FLAG_KNOWN);
    /* the LoD of the known target is at alpha with one test: lower than the family's */
    assert_true(cs->c[0].lod95 < cs->c[1].lod95);
    char fb[160];
    assert_string_equal(vw_flags_str(cs->c[0].flags, fb, sizeof fb), "known");
    vw_calls_destroy(cs);
    /* without known targets: the function of vw_call_sample() */
    cs = vw_calls_init();
    assert_int_equal(vw_call_sample_known(&o, ts, s, bg, NULL, 0, cs), 0);
    assert_rel(cs->c[0].q_value, 58 * cs->c[0].p_value, 1e-12);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* low_alt_bq: mean alt base quality 20 (< 25) filters a significant call;
 * 30 does not; a sum of 0 (indel, VCF) means unknown and never flags. */
static void test_low_bq(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(3);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(3, 1e-3, 0);
    for (int i = 0; i < 3; i++)
        set(&s->c[i], 1000, 20);
    s->c[0].alt_bq_sum = 20 * 20;
    s->c[1].alt_bq_sum = 20 * 30;
    s->c[2].alt_bq_sum = 0;
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    assert_true(cs->c[0].flags & VW_FLAG_LOW_ALT_BQ);
    assert_true(cs->c[0].flags & VW_FLAG_FILTERED);
    assert_int_equal(cs->c[0].detected, 0);
    assert_false(cs->c[1].flags & (VW_FLAG_LOW_ALT_BQ | VW_FLAG_FILTERED));
    assert_int_equal(cs->c[1].detected, 1);
    assert_false(cs->c[2].flags & VW_FLAG_LOW_ALT_BQ);
    assert_int_equal(cs->c[2].detected, 1);
    char fb[160];
    assert_string_equal(vw_flags_str(cs->c[0].flags, fb, sizeof fb), "low_alt_bq,filtered");
    vw_calls_destroy(cs);
    /* --veto none: flagged, still detected */
    assert_int_equal(vw_flags_parse("none", &o.veto), 0);
    cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    assert_int_equal(cs->c[0].detected, 1);
    assert_false(cs->c[0].flags & VW_FLAG_FILTERED);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* Strand test: 20 forward, 0 reverse against balanced ref (p0 = 0.5):
 * p = 2 * 0.5^20. */
static void test_strand_p(void **state)
{
    (void)state;
    double p = -1;
    assert_int_equal(vw_call_strand_p(20, 0, 500, 500, &p), 0);
    assert_rel(p, 2 * pow(0.5, 20), 1e-9);
    assert_int_equal(vw_call_strand_p(0, 0, 5, 5, &p), 0);
    assert_true(p == 1.0);
    assert_int_equal(vw_call_strand_p(10, 10, 500, 500, &p), 0);
    assert_true(p == 1.0); /* 2 * P(X >= 10) > 1 at the centre, capped */
    assert_int_equal(vw_call_strand_p(-1, 0, 5, 5, &p), -EINVAL);
}

/* Self background: (x + 0.5) / (n + 1) of the class, floored; C>T and G>A share it. */
static void test_bg_self(void **state)
{
    (void)state;
    vw_selfbg_t sb;
    memset(&sb, 0, sizeof(sb));
    sb.n[VW_SUB_CT] = 99999;
    sb.x[VW_SUB_CT] = 99;
    vw_bg_t b = vw_call_bg_self(&sb, "G", "A", 1e-5);
    assert_int_equal(b.source, VW_BG_SELF);
    assert_rel(b.mu, 99.5 / 100000.0, 1e-12);
    assert_true(b.rho == 0);
    assert_int_equal(b.rho_unknown, 1); /* no flank moments: binomial, said so */
    /* with the flank moments: the moment estimate of test_stats' hand example
     * (J = 4 positions, X = 20, N = 4000, sum x^2/n = 0.168, sum n^2 = 4e6):
     * rho = 2123/596403 */
    vw_selfbg_t sd;
    memset(&sd, 0, sizeof(sd));
    sd.have_disp = 1;
    sd.n[VW_SUB_CT] = 4000;
    sd.x[VW_SUB_CT] = 20;
    sd.j[VW_SUB_CT] = 4;
    sd.sxx[VW_SUB_CT] = 0.168;
    sd.snn[VW_SUB_CT] = 4e6;
    b = vw_call_bg_self(&sd, "C", "T", 1e-5);
    assert_int_equal(b.rho_unknown, 0);
    assert_rel(b.mu, 20.5 / 4001.0, 1e-12);
    /* one class: its relative rho r = (2123/596403) / (20/4000), grown by the
     * uncertainty of a new site, r (1 + 1/J), and of the class mean, 1 / (x + 0.5) */
    double r1 = 2123.0 / 596403.0 / 0.005, rp = r1 * 1.25 + 1 / 20.5;
    assert_rel(b.rho, rp * 20.5 / 4001.0, 1e-12);
    /* a second class (C>A) of 200 positions with half of that relative rho
     * (the same moments with x^2/n shrunk: S = sxx - X^2/N): C>T is shrunk
     * toward the positions' mean, r = (4 r1 + 120 rbar) / 124, rbar = (4 r1 +
     * 200 r1/2) / 204 */
    sd.have_disp = 1;
    sd.n[VW_SUB_CA] = 200000;
    sd.x[VW_SUB_CA] = 1000;
    sd.j[VW_SUB_CA] = 200;
    sd.snn[VW_SUB_CA] = 200 * 1e6;
    double p_ca = 0.005, den = 200000 - 200e6 / 200000 - 199;
    sd.sxx[VW_SUB_CA] = (r1 / 2 * p_ca * den + 199) * p_ca * (1 - p_ca) + 1000.0 * 1000 / 200000;
    double rbar = (4 * r1 + 200 * r1 / 2) / 204, rs = (4 * r1 + 120 * rbar) / 124;
    b = vw_call_bg_self(&sd, "C", "T", 1e-5);
    assert_rel(b.rho, (rs * 1.25 + 1 / 20.5) * 20.5 / 4001.0, 1e-9);
    b = vw_call_bg_self(&sd, "C", "A", 1e-5);
    rs = (200 * r1 / 2 + 120 * rbar) / 320;
    assert_rel(b.rho, (rs * 1.005 + 1 / 1000.5) * 1000.5 / 200001.0, 1e-9);
    sd.j[VW_SUB_CA] = 0;
    b = vw_call_bg_self(&sd, "C", "T", 1e-5);
    /* the flag on a tested call with that binomial background */
    vw_targets_t *ts = mk_targets(1);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    set(&s->c[0], 1000, 1);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    vw_bg_t bb[1] = {vw_call_bg_self(&sb, "C", "T", 1e-5)};
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bb, 0, cs), 0);
    assert_true(cs->c[0].flags & VW_FLAG_BG_BINOMIAL);
    bb[0] = b;
    assert_int_equal(vw_call_sample(&o, ts, s, bb, 0, cs), 0);
    assert_false(cs->c[1].flags & VW_FLAG_BG_BINOMIAL);
    vw_calls_destroy(cs);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
    b = vw_call_bg_self(&sb, "C", "T", 0.01); /* the floor wins */
    assert_rel(b.mu, 0.01, 1e-15);
    b = vw_call_bg_self(&sb, "C", "A", 1e-4); /* class without data: default */
    assert_int_equal(b.source, VW_BG_DEFAULT);
    b = vw_call_bg_self(&sb, "CA", "TT", 1e-4);
    assert_int_equal(b.source, VW_BG_DEFAULT);
    b = vw_call_bg_self(NULL, "C", "T", 1e-4);
    assert_int_equal(b.source, VW_BG_DEFAULT);
    assert_int_equal(vw_sub_class("A", "G"), VW_SUB_TC);
    assert_int_equal(vw_sub_class("T", "G"), VW_SUB_TG);
    assert_int_equal(vw_sub_class("G", "T"), VW_SUB_CA);
    assert_int_equal(vw_sub_class("A", "A"), -1);
}

/* A sample's error level (vw_call_bg_scale), by hand: four targets of
 * mu 1e-3, rho 1e-4 (r = 0.1), scale_var 0.25 (a = 4), 10,000 fragments,
 * alt 20, 30, 10 and 500 (VAF 5 %: more than 10 x 10 + 5, not a level
 * site).  Target 0: the others that count are 1 and 2, X = 40, E = 20:
 * L = 44 / 24, v = 1 / 44; target 3: X = 60, E = 30: L = 64 / 34, v = 1/64.
 * mu = 1e-3 L and rho = (r + v + r v) mu; scale_var 0 after (done). */
static void test_bg_scale(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(4);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    long alt[4] = {20, 30, 10, 500};
    for (int i = 0; i < 4; i++)
        set(&s->c[i], 10000, alt[i]);
    vw_bg_t *bg = mk_bg(4, 1e-3, 1e-4);
    for (int i = 0; i < 4; i++)
        bg[i].scale_var = 0.25;
    vw_bg_t b0[4];
    memcpy(b0, bg, sizeof(b0));
    assert_int_equal(vw_call_bg_scale(ts, s, NULL, bg), 0);
    double L0 = 44.0 / 24, v0 = 1 / 44.0, L3 = 64.0 / 34, v3 = 1 / 64.0;
    assert_rel(bg[0].mu, 1e-3 * L0, 1e-12);
    assert_rel(bg[0].rho, (0.1 + v0 + 0.1 * v0) * 1e-3 * L0, 1e-12);
    assert_rel(bg[1].mu, 1e-3 * (34.0 / 24), 1e-12); /* X = 30, E = 20 */
    assert_rel(bg[3].mu, 1e-3 * L3, 1e-12);
    assert_rel(bg[3].rho, (0.1 + v3 + 0.1 * v3) * 1e-3 * L3, 1e-12);
    for (int i = 0; i < 4; i++)
        assert_true(bg[i].scale_var == 0);
    /* done: a second call leaves them as they are */
    vw_bg_t b1[4];
    memcpy(b1, bg, sizeof(b1));
    assert_int_equal(vw_call_bg_scale(ts, s, NULL, bg), 0);
    assert_memory_equal(b1, bg, sizeof(b1));
    /* a known clone (target 1) does not set the others' level: target 0
     * rests on target 2 alone, X = 10, E = 10, L = 1 */
    unsigned char known[4] = {0, 1, 0, 0};
    memcpy(bg, b0, sizeof(b0));
    assert_int_equal(vw_call_bg_scale(ts, s, known, bg), 0);
    assert_rel(bg[0].mu, 1e-3, 1e-12);
    assert_rel(bg[0].rho, (0.1 + 1 / 14.0 + 0.1 / 14) * 1e-3, 1e-12);
    /* vw_call_sample_known scales a copy: the same p-value as the scaled bg */
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    vw_calls_t *cs = vw_calls_init();
    memcpy(bg, b0, sizeof(b0));
    assert_int_equal(vw_call_sample_known(&o, ts, s, bg, NULL, 0, cs), 0);
    assert_true(bg[0].scale_var == 0.25); /* the caller's array untouched */
    double p;
    assert_int_equal(vw_stats_pvalue(20, 10000, 1e-3 * L0, (0.1 + v0 + 0.1 * v0) * 1e-3 * L0, &p), 0);
    assert_rel(cs->c[0].p_value, p, 1e-12);
    assert_rel(cs->c[0].bg_error, 1e-3 * L0, 1e-12);
    assert_int_equal(cs->c[0].bg_normals, 0); /* not a panel background (source default) */
    /* a panel site's normals reach the call's bg_normals */
    memcpy(bg, b0, sizeof(b0));
    bg[2].source = VW_BG_PON;
    bg[2].n_normals = 17;
    assert_int_equal(vw_call_sample_known(&o, ts, s, bg, NULL, 0, cs), 0);
    assert_int_equal(cs->c[4 + 2].bg_normals, 17);
    assert_int_equal(cs->c[4 + 1].bg_normals, 0);
    /* not scaled (scale_var 0): as given */
    memcpy(bg, b0, sizeof(b0));
    bg[0].scale_var = 0;
    assert_int_equal(vw_call_bg_scale(ts, s, NULL, bg), 0);
    assert_true(bg[0].mu == 1e-3 && bg[0].rho == 1e-4);
    assert_int_equal(vw_call_bg_scale(NULL, s, NULL, bg), -EINVAL);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* Calibration by simulation: under the null, the per-test false-positive
 * rate is <= alpha (within 3 simulation SE); power at VAF 0.5 %, 3,000
 * fragments, error 1e-3 with the defaults (alpha 0.05, Holm over 58
 * targets) is >= 95 % (exact: >= 0.970 at the first Holm step, k* = 11). */
static void test_calibration(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20240607);
    const int n_t = 58, reps = 400;
    vw_targets_t *ts = mk_targets(n_t);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(n_t, 1e-3, 0);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    /* null, per test (no adjustment), alpha 0.01 */
    o.adjust = VW_ADJ_NONE;
    o.alpha = 0.01;
    long fp = 0, tests = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < n_t; i++)
            set(&s->c[i], 3000, (long)gsl_ran_binomial(rng, 1e-3, 3000));
        vw_calls_t *cs = vw_calls_init();
        assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
        for (int i = 0; i < cs->n; i++) {
            fp += cs->c[i].detected == 1;
            tests++;
        }
        vw_calls_destroy(cs);
    }
    double rate = (double)fp / (double)tests;
    assert_true(rate <= 0.01 + 3 * sqrt(0.01 * 0.99 / (double)tests));
    /* power with the defaults: target 0 carries VAF 0.5 %, the rest null */
    vw_call_opt_init(&o);
    long hit = 0, fwer = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < n_t; i++)
            set(&s->c[i], 3000, (long)gsl_ran_binomial(rng, i == 0 ? 0.005 + 1e-3 * 0.995 : 1e-3, 3000));
        vw_calls_t *cs = vw_calls_init();
        assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
        hit += cs->c[0].detected == 1;
        int any = 0;
        for (int i = 1; i < cs->n; i++)
            any |= cs->c[i].detected == 1;
        fwer += any;
        /* LoD95 at the default level is below 0.5 % here */
        assert_true(cs->c[0].lod95 < 0.005);
        vw_calls_destroy(cs);
    }
    assert_true((double)hit / reps >= 0.95);
    assert_true((double)fwer / reps <= 0.05 + 3 * sqrt(0.05 * 0.95 / reps));
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
    gsl_rng_free(rng);
}

/* The VCF writer: readable back with htslib, AD as given, index present. */
static void test_vcf(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(3);
    vw_sample_counts_t *a = mk_sample(ts, "A"), *b = mk_sample(ts, "B");
    vw_bg_t *bg = mk_bg(3, 1e-3, 0);
    set(&a->c[0], 1000, 7);
    set(&a->c[1], 800, 0);
    a->c[2].assessed = 0;
    set(&b->c[0], 500, 40);
    set(&b->c[1], 0, 0);
    set(&b->c[2], 300, 1);
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, a, bg, 0, cs), 0);
    assert_int_equal(vw_call_sample(&o, ts, b, bg, 0, cs), 0);
    char path[] = "test_call_vcf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vw_calls_write_vcf(cs, path, "test", "test_call"), 0);
    htsFile *fp = hts_open(path, "r");
    assert_non_null(fp);
    bcf_hdr_t *h = bcf_hdr_read(fp);
    assert_int_equal(bcf_hdr_nsamples(h), 2);
    bcf1_t *rec = bcf_init();
    int n = 0;
    int32_t *ad = NULL;
    int nad = 0;
    while (bcf_read(fp, h, rec) == 0) {
        assert_int_equal(bcf_get_format_int32(h, rec, "AD", &ad, &nad), 4);
        if (n == 0) {
            assert_int_equal(ad[0], 993); assert_int_equal(ad[1], 7);
            assert_int_equal(ad[2], 460); assert_int_equal(ad[3], 40);
        }
        if (n == 2)
            assert_true(ad[0] == bcf_int32_missing);
        n++;
    }
    assert_int_equal(n, 3);
    free(ad);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
    char tbi[64];
    snprintf(tbi, sizeof(tbi), "%s.tbi", path);
    assert_int_equal(access(tbi, R_OK), 0);
    remove(tbi);
    remove(path);
    vw_calls_destroy(cs);
    free(bg);
    vw_sample_counts_destroy(a);
    vw_sample_counts_destroy(b);
    vw_targets_destroy(ts);
}

static void test_bad_args(void **state)
{
    (void)state;
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, NULL, NULL, NULL, 0, cs), -EINVAL);
    vw_targets_t *ts = mk_targets(1);
    vw_sample_counts_t *s = mk_sample(ts, "S");
    vw_bg_t *bg = mk_bg(1, 1e-3, 0);
    o.alpha = 0;
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), -EINVAL);
    vw_call_opt_init(&o);
    bg[0].mu = 2; /* outside [0, 1] */
    set(&s->c[0], 10, 1);
    assert_true(vw_call_sample(&o, ts, s, bg, 0, cs) < 0);
    assert_int_equal(cs->n, 0);
    free(bg);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
    vw_calls_destroy(cs);
}

/* Everything the calls writer prints its reader takes back: p-values of
 * 0, subnormals (7.9e-310 is P(Bin(5000, 1e-4) >= 150), below DBL_MIN) and
 * 4.9e-324, copies of 1e300 and inf.  Each value read back equals the
 * written one to the 4 significant digits of the format (relative 5e-4),
 * 0 and inf exactly. */
static void test_tsv_extremes(void **state)
{
    (void)state;
    static const double pv[] = {0, 7.9e-310, 4.9406564584124654e-324, 1e-300, 1};
    static const double cp[] = {1e300, INFINITY, 0, 2.5e-310, 1e-3};
    vw_calls_t *cs = vw_calls_init(), *back = vw_calls_init();
    assert_non_null(cs);
    assert_non_null(back);
    for (int i = 0; i < 5; i++) {
        vw_call_t c;
        memset(&c, 0, sizeof(c));
        c.sample = "S1"; c.chrom = "chr1"; c.ref = "C"; c.alt = "T"; c.id = "x"; c.gene = "G";
        c.protein = "p.X"; c.cdna = "c.X";
        c.pos1 = 100 + i;
        c.depth = 5000; c.ref_count = 4850; c.alt_count = 150;
        c.vaf = 0.03; c.vaf_lo = 0.025; c.vaf_hi = 0.035;
        c.p_value = pv[i]; c.q_value = pv[i];
        c.detected = 1;
        c.lod95 = 1e-300;
        c.bg_error = 1e-4;
        c.copies_per_ml = cp[i];
        c.background = i < 2 ? VW_BG_PON : VW_BG_SELF;
        c.bg_normals = i < 2 ? 20 - i : 0; /* bg_normals: 20, 19, then NA */
        assert_int_equal(vw_calls_push(cs, &c), 0);
    }
    char path[] = "/tmp/vw_test_calls_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    assert_int_equal(vw_calls_write_tsv(fp, cs), 0);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(vw_calls_read_tsv(back, path), 0);
    assert_int_equal(back->n, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(back->c[i].bg_normals, i < 2 ? 20 - i : 0);
    for (int i = 0; i < 5; i++) {
        const double w[3] = {pv[i], cp[i], 1e-300}, g[3] = {back->c[i].p_value, back->c[i].copies_per_ml,
                                                            back->c[i].lod95};
        for (int k = 0; k < 3; k++) {
            if (w[k] == 0 || isinf(w[k]))
                assert_true(g[k] == w[k]);
            else
                assert_rel(g[k], w[k], 5e-4);
        }
    }
    unlink(path);
    vw_calls_destroy(cs);
    vw_calls_destroy(back);
}

/* The background column's values, as docs/formats.md lists them. */
static void test_bg_source_name(void **state)
{
    (void)state;
    assert_string_equal(vw_bg_source_name(VW_BG_PON), "pon");
    assert_string_equal(vw_bg_source_name(VW_BG_SELF), "self");
    assert_string_equal(vw_bg_source_name(VW_BG_DEFAULT), "default");
    assert_string_equal(vw_bg_source_name((vw_bg_source_t)7), "unknown");
}

/* Two samples x two SNVs on chr1, as the call stage would give them. */
static vw_calls_t *two_by_two(void)
{
    vw_calls_t *cs = vw_calls_init();
    assert_non_null(cs);
    const char *samples[] = {"S1", "S2"};
    for (int site = 0; site < 2; site++) {
        for (int j = 0; j < 2; j++) {
            vw_call_t c;
            memset(&c, 0, sizeof c);
            c.sample = (char *)samples[j]; c.chrom = "chr1"; c.id = site ? "B_site" : "A_site";
            c.gene = "GENE"; c.protein = "p.X1Y"; c.cdna = "c.1A>B";
            c.ref = site ? "G" : "C"; c.alt = site ? "A" : "T";
            c.pos1 = site ? 200 : 100;
            c.depth = 5000; c.alt_count = (site == 0 && j == 0) ? 150 : 2;
            c.ref_count = c.depth - c.alt_count;
            c.vaf = (double)c.alt_count / c.depth; c.vaf_lo = c.vaf / 2; c.vaf_hi = c.vaf * 2;
            c.p_value = (site == 0 && j == 0) ? 1e-40 : 0.3;
            c.q_value = (site == 0 && j == 0) ? 1e-39 : NAN;
            c.detected = (site == 0 && j == 0);
            c.lod95 = 0.0026; c.bg_error = 1e-4;
            c.copies_per_ml = NAN;
            assert_int_equal(vw_calls_push(cs, &c), 0);
        }
    }
    return cs;
}

/* The calls VCF read back by htslib: header lines of the build, one record
 * per site with both samples, AD/DP/DET per sample, FILTER not_detected
 * where no sample is detected. */
static void test_calls_vcf_read_back(void **state)
{
    (void)state;
    vw_calls_t *cs = two_by_two();
    char dir[] = "/tmp/vw_test_vcf_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/c.vcf.gz", dir);
    vw_calls_vcf_opt_t o = {"9.9.9", "vafwatch call x", VW_BUILD_GRCH37, NULL};
    assert_int_equal(vw_calls_write_vcf_opt(cs, path, &o), 0);
    htsFile *fp = bcf_open(path, "r");
    assert_non_null(fp);
    bcf_hdr_t *h = bcf_hdr_read(fp);
    assert_non_null(h);
    assert_int_equal(bcf_hdr_nsamples(h), 2);
    assert_string_equal(h->samples[0], "S1");
    assert_string_equal(h->samples[1], "S2");
    kstring_t ks = {0, 0, NULL};
    assert_int_equal(bcf_hdr_format(h, 0, &ks), 0);
    assert_non_null(strstr(ks.s, "##reference=GRCh37"));
    assert_non_null(strstr(ks.s, "##contig=<ID=chr1,length=249250621>"));
    assert_non_null(strstr(ks.s, "##vafwatchVersion=9.9.9"));
    free(ks.s);
    bcf1_t *r = bcf_init();
    int32_t *ad = NULL, *dp = NULL, *det = NULL;
    int n_ad = 0, n_dp = 0, n_det = 0, nrec = 0;
    while (bcf_read(fp, h, r) == 0) {
        assert_int_equal(bcf_unpack(r, BCF_UN_ALL), 0);
        assert_string_equal(bcf_hdr_id2name(h, r->rid), "chr1");
        assert_int_equal(r->pos + 1, nrec ? 200 : 100);
        assert_string_equal(r->d.allele[0], nrec ? "G" : "C");
        assert_string_equal(r->d.allele[1], nrec ? "A" : "T");
        assert_int_equal(bcf_get_format_int32(h, r, "AD", &ad, &n_ad), 4);
        assert_int_equal(bcf_get_format_int32(h, r, "DP", &dp, &n_dp), 2);
        assert_int_equal(bcf_get_format_int32(h, r, "DET", &det, &n_det), 2);
        assert_int_equal(ad[0], nrec ? 4998 : 4850);
        assert_int_equal(ad[1], nrec ? 2 : 150);
        assert_int_equal(ad[2], 4998);
        assert_int_equal(ad[3], 2);
        assert_int_equal(dp[0], 5000);
        assert_int_equal(det[0], nrec ? 0 : 1);
        assert_int_equal(det[1], 0);
        assert_int_equal(bcf_has_filter(h, r, "not_detected"), nrec ? 1 : 0);
        nrec++;
    }
    assert_int_equal(nrec, 2);
    free(ad); free(dp); free(det);
    bcf_destroy(r);
    bcf_hdr_destroy(h);
    assert_int_equal(hts_close(fp), 0);
    vw_calls_destroy(cs);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

/* The calls JSON: the command, one object per call, NaN as null. */
static void test_calls_json(void **state)
{
    (void)state;
    vw_calls_t *cs = two_by_two();
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(vw_calls_write_json(fp, cs, "vafwatch call -o x"), 0);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(strstr(buf, "\"command\": \"vafwatch call -o x\""));
    assert_non_null(strstr(buf, "\"calls\": ["));
    int n = 0;
    for (const char *q = buf; (q = strstr(q, "\"sample\": \"S")) != NULL; q++)
        n++;
    assert_int_equal(n, 4);
    assert_non_null(strstr(buf, "\"q_value\": null"));
    assert_null(strstr(buf, "nan"));
    free(buf);
    vw_calls_destroy(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pvalue_closed_form),
        cmocka_unit_test(test_exact_kstar),
        cmocka_unit_test(test_holm_flags),
        cmocka_unit_test(test_known_family),
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_low_bq),
        cmocka_unit_test(test_strand_p),
        cmocka_unit_test(test_bg_self),
        cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_vcf),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_bg_scale),
        cmocka_unit_test(test_tsv_extremes),
        cmocka_unit_test(test_bg_source_name),
        cmocka_unit_test(test_calls_vcf_read_back),
        cmocka_unit_test(test_calls_json),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
