/* test_patient_series.c -- the patient-level test over time
 * (patient_series.c): the rise test against closed forms, the series on
 * hand-made rows, the table read back, the lead-time columns, and the
 * false molecular progression of null series on a simulation whose noise
 * is not the test's model. */
#include "vw_test.h"

#include <errno.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/patient.h"
#include "vafwatch/stats.h"
#include "vafwatch/track.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static vw_patient_row_t counts(long depth, long alt, double expected)
{
    vw_patient_row_t r;
    memset(&r, 0, sizeof(r));
    r.patient = "P";
    r.sample = "S";
    r.r.depth = depth;
    r.r.alt = alt;
    r.r.expected = expected;
    r.r.detected = 1;
    r.r.frac = depth ? fmax(0, (alt - expected) / (double)depth) : NAN;
    return r;
}

/* The rise test's closed forms (hand computed):
 *  - equal depths and backgrounds: pi = 1/2 whatever f~, so
 *    P(Bin(k + 1, 1/2) >= k) = (k + 2) / 2^(k + 1) against a nadir of 1;
 *  - N 20,000 / E 2 / x 6 against N 10,000 / E 1 / x 0: f~ = 3 / 30,000 =
 *    1e-4, lambda 4 and 2, p = (2/3)^6 = 64 / 729;
 *  - x 2 / E 4 against x 1 / E 2 (N 10,000 each): f~ = 0, pi = 2/3,
 *    P(Bin(3, 2/3) >= 2) = 20 / 27. */
static void test_rise_closed_form(void **state)
{
    (void)state;
    double p;
    vw_patient_row_t n1 = counts(10000, 1, 1);
    for (long k = 1; k <= 12; k++) {
        vw_patient_row_t t = counts(10000, k, 1);
        assert_int_equal(vw_patient_rise_p(&t, &n1, &p), 0);
        assert_rel(p, (k + 2) / pow(2, (double)k + 1), 1e-10);
    }
    vw_patient_row_t t = counts(20000, 6, 2), n = counts(10000, 0, 1);
    assert_int_equal(vw_patient_rise_p(&t, &n, &p), 0);
    assert_rel(p, 64.0 / 729.0, 1e-10);
    t = counts(10000, 2, 4);
    n = counts(10000, 1, 2);
    assert_int_equal(vw_patient_rise_p(&t, &n, &p), 0);
    assert_rel(p, 20.0 / 27.0, 1e-10);
    /* no mutant fragment now: 1; a draw without fragments: NaN */
    t = counts(10000, 0, 1);
    assert_int_equal(vw_patient_rise_p(&t, &n, &p), 0);
    assert_rel(p, 1.0, 1e-15);
    t = counts(0, 0, 0);
    assert_int_equal(vw_patient_rise_p(&t, &n, &p), 0);
    assert_true(isnan(p));
    t = counts(10000, 3, -1);
    assert_int_equal(vw_patient_rise_p(&t, &n, &p), -EINVAL);
    assert_int_equal(vw_patient_rise_p(NULL, &n, &p), -EINVAL);
}

static char tmpdir[64];

static vw_timeline_t *hand_timeline(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vw_test_pseries.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char sheet[256], events[256];
    snprintf(sheet, sizeof(sheet), "%s/s.tsv", tmpdir);
    snprintf(events, sizeof(events), "%s/e.tsv", tmpdir);
    FILE *fp = fopen(sheet, "w");
    fputs("patient\tsample\tdate\tfile\n", fp);
    for (int i = 0; i < 7; i++)
        fprintf(fp, "P\tP_d%d\t2024-0%d-01\tx.bam\n", i, i + 1);
    fputs("Q\tQ_d0\t2024-01-01\tx.bam\n", fp);
    fclose(fp);
    fp = fopen(events, "w");
    fputs("patient\tdate\tevent\tdetail\nP\t2024-01-01\ttreatment_start\tx\nP\t2024-09-01\tprogression\t\n", fp);
    fclose(fp);
    vw_timeline_t *tl = NULL;
    assert_int_equal(vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl), 0);
    assert_int_equal(vw_timeline_read_events(tl, events), 0);
    return tl;
}

/* Seven draws of 10,000 fragments with 1 background fragment expected
 * each; mutant fragments 11 (baseline, on the treatment start), 4, 1 (the
 * nadir), x3, 3, 10, 12.  Against the nadir p = (k + 2) / 2^(k + 1):
 * k 4: 6/32, 7: 9/256 = 0.035 (a rise), 3: 5/16, 10: 12/2048 = 0.0059 (below
 * 0.05 / 6 = 0.0083: a signal), 12: 14/8192 (a rise that confirms).  So
 * molecular progression is 2024-06-01 (d5), confirmed 2024-07-01, 92 days
 * before the progression of 2024-09-01.  With x3 = 10 the signal at d3 is
 * not confirmed by d4 (no rise) and the result is the same. */
static vw_patient_rows_t *hand_rows(long x3, int n)
{
    long x[7] = {11, 4, 1, 7, 3, 10, 12};
    x[3] = x3;
    vw_patient_rows_t *rs = vw_patient_rows_init();
    for (int i = 0; i < n; i++) {
        vw_patient_row_t row = counts(10000, x[i], 1);
        char name[16], d[32];
        snprintf(name, sizeof(name), "P_d%d", i);
        snprintf(d, sizeof d, "2024-0%d-01", i + 1);
        row.sample = name;
        row.r.detected = i != 2;
        assert_int_equal(vw_date_parse(d, &row.date), 0);
        assert_int_equal(vw_patient_rows_push(rs, &row), 0);
    }
    return rs;
}

static void test_series(void **state)
{
    (void)state;
    vw_timeline_t *tl = hand_timeline();
    int32_t d5, d6;
    assert_int_equal(vw_date_parse("2024-06-01", &d5), 0);
    assert_int_equal(vw_date_parse("2024-07-01", &d6), 0);
    for (long x3 = 7; x3 <= 10; x3 += 3) {
        vw_patient_rows_t *rs = hand_rows(x3, 7);
        assert_int_equal(vw_patient_series(rs, tl, 0.5), 0);
        assert_int_equal(rs->r[0].baseline, 1);
        assert_int_equal(rs->r[0].response, -1);
        assert_true(isnan(rs->r[0].rise_p));
        assert_rel(rs->r[1].change, 0.3, 1e-12); /* (4 - 1) / (11 - 1) */
        assert_int_equal(rs->r[1].response, 1);
        assert_int_equal(rs->r[6].response, 0); /* 11 / 10 of the baseline */
        /* against the baseline (x 11): P(Bin(15, 1/2) >= 4) = 1 - 576 / 2^15 */
        assert_rel(rs->r[1].rise_p, 32192.0 / 32768, 1e-10);
        assert_rel(rs->r[3].rise_p, (x3 + 2) / pow(2, (double)x3 + 1), 1e-10);
        assert_rel(rs->r[5].rise_p, 12.0 / 2048, 1e-10);
        int want_rise[7] = {-1, 0, 0, 1, 0, 1, 1};
        for (int i = 0; i < 7; i++) {
            assert_int_equal(rs->r[i].rise, want_rise[i]);
            assert_int_equal(rs->r[i].molecular_progression, d5);
            assert_int_equal(rs->r[i].progression_fired, d6);
            assert_rel(rs->r[i].lead_days, 92.0, 1e-12);
        }
        vw_patient_rows_destroy(rs);
    }
    /* without d6 the signal at d5 is not confirmed */
    vw_patient_rows_t *six = hand_rows(7, 6);
    assert_int_equal(vw_patient_series(six, tl, 0.5), 0);
    assert_int_equal(six->r[5].molecular_progression, VW_DATE_NONE);
    assert_true(isnan(six->r[5].lead_days));
    /* at alpha 0.01 the d5 draw (0.0059) is no signal (0.01 / 5 = 0.002) */
    vw_patient_rows_t *rs = hand_rows(7, 7);
    vw_patient_series_opt_t o;
    vw_patient_series_opt_init(&o);
    assert_rel(o.alpha, 0.05, 1e-15);
    o.alpha = 0.01;
    assert_int_equal(vw_patient_series_run(rs, tl, &o), 0);
    assert_int_equal(rs->r[6].molecular_progression, VW_DATE_NONE);
    assert_int_equal(rs->r[3].rise, 0);
    assert_int_equal(vw_patient_series(six, tl, 1.5), -EINVAL);
    o.alpha = 0;
    assert_int_equal(vw_patient_series_run(rs, tl, &o), -EINVAL);
    assert_int_equal(vw_patient_series_run(NULL, tl, &o), -EINVAL);
    vw_patient_rows_destroy(six);
    vw_patient_rows_destroy(rs);
    vw_timeline_destroy(tl);
    assert_int_equal(vw_test_rmtree(tmpdir), 0);
}

/* Written, shuffled (d6 first, another patient in between), read back:
 * the rows come back grouped and in date order with the same numbers, and
 * the series on them is the hand series above.  Then the lead-time
 * columns, and the table's errors. */
static void test_read_and_lead(void **state)
{
    (void)state;
    vw_timeline_t *tl = hand_timeline();
    vw_patient_rows_t *rs = hand_rows(7, 7), *mixed = vw_patient_rows_init();
    vw_patient_row_t q = counts(5000, 2, 0.5);
    q.patient = "Q";
    q.sample = "Q_d0";
    assert_int_equal(vw_date_parse("2024-01-01", &q.date), 0);
    assert_int_equal(vw_patient_rows_push(mixed, &rs->r[6]), 0);
    assert_int_equal(vw_patient_rows_push(mixed, &q), 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(vw_patient_rows_push(mixed, &rs->r[i]), 0);
    char path[128];
    snprintf(path, sizeof path, "%s/patient.tsv", tmpdir);
    FILE *fp = fopen(path, "w");
    assert_int_equal(vw_patient_write_tsv(fp, mixed), 0);
    fclose(fp);
    vw_patient_rows_t *back = vw_patient_rows_init();
    assert_int_equal(vw_patient_rows_read_tsv(back, path), 0);
    assert_int_equal(back->n, 8);
    assert_string_equal(back->r[0].sample, "P_d0"); /* P first appears first; its rows by date */
    for (int i = 0; i < 7; i++) {
        assert_string_equal(back->r[i].patient, "P");
        assert_int_equal(back->r[i].date, rs->r[i].date);
        assert_int_equal(back->r[i].r.alt, rs->r[i].r.alt);
        assert_int_equal(back->r[i].r.depth, 10000);
        assert_rel(back->r[i].r.expected, 1.0, 1e-15);
        assert_int_equal(back->r[i].r.detected, i != 2);
    }
    assert_string_equal(back->r[7].patient, "Q");
    assert_null(vw_patient_rows_unknown(back, tl));
    assert_int_equal(vw_patient_series(back, tl, 0.5), 0);
    int32_t d5;
    assert_int_equal(vw_date_parse("2024-06-01", &d5), 0);
    assert_int_equal(back->r[0].molecular_progression, d5);
    assert_int_equal(back->r[7].molecular_progression, VW_DATE_NONE);
    /* the lead-time table: P gets its patient-level progression (92 days
     * before the scan); Q has a test but no progression */
    vw_track_t tr;
    memset(&tr, 0, sizeof tr);
    vw_leadtime_t *lt = NULL;
    assert_int_equal(vw_leadtime_run(tl, &tr, &lt), 0);
    assert_int_equal(lt->p[0].patient_progression, VW_DATE_NONE);
    assert_int_equal(vw_patient_lead(lt, back), 0);
    assert_int_equal(lt->p[0].has_patient_test, 1);
    assert_int_equal(lt->p[0].patient_progression, d5);
    assert_rel(lt->p[0].patient_lead_days, 92.0, 1e-12);
    assert_int_equal(lt->p[1].has_patient_test, 1);
    assert_true(isnan(lt->p[1].patient_lead_days));
    char *buf = NULL;
    size_t len = 0;
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_leadtime_write_tsv(fp, lt), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "\tpatient_molecular_progression\tpatient_lead_time_days\tpatient_rule_fired\n"));
    assert_non_null(strstr(buf, "\t2024-06-01\t92\t2024-07-01\n"));
    free(buf);
    assert_int_equal(vw_patient_lead(NULL, back), -EINVAL);
    vw_leadtime_destroy(lt);
    /* the loader: read, checked against the sheet, the series computed */
    vw_patient_rows_t *loaded = NULL;
    assert_int_equal(vw_patient_rows_load(path, tl, &loaded), 0);
    assert_int_equal(loaded->n, 8);
    assert_int_equal(loaded->r[3].rise, 1);
    assert_int_equal(loaded->r[6].molecular_progression, d5);
    vw_patient_rows_destroy(loaded);
    loaded = NULL;
    assert_int_equal(vw_patient_rows_load(NULL, tl, &loaded), -EINVAL);
    /* a patient not in the sheet: VW_EINPUT from the loader, nothing returned */
    vw_patient_rows_t *r_only = vw_patient_rows_init();
    vw_patient_row_t rr = counts(1000, 1, 0.1);
    rr.patient = "R";
    assert_int_equal(vw_patient_rows_push(r_only, &rr), 0);
    fp = fopen(path, "w");
    assert_int_equal(vw_patient_write_tsv(fp, r_only), 0);
    fclose(fp);
    assert_int_equal(vw_patient_rows_load(path, tl, &loaded), VW_EINPUT);
    assert_null(loaded);
    assert_string_equal(vw_patient_rows_unknown(r_only, tl), "R");
    vw_patient_rows_destroy(r_only);
    /* errors: a bad 'detected', a sample twice, a missing column */
    const char *bad[3] = {"yes\t", "dup", "nocol"};
    for (int k = 0; k < 3; k++) {
        fp = fopen(path, "w");
        if (k == 2) {
            fputs("#patient\tsample\tdate\n P\tP_d0\t2024-01-01\n", fp);
        } else {
            assert_int_equal(vw_patient_write_tsv(fp, k == 1 ? rs : mixed), 0);
            if (k == 1)
                assert_int_equal(vw_patient_write_tsv(fp, rs), 0);
        }
        fclose(fp);
        if (k == 0) { /* 'yes' becomes 'maybe' on the first data line */
            FILE *in = fopen(path, "r");
            char text[8192];
            size_t m = fread(text, 1, sizeof text - 1, in);
            fclose(in);
            text[m] = '\0';
            char *y = strstr(strchr(text, '\n'), "\tyes\t");
            assert_non_null(y);
            fp = fopen(path, "w");
            fwrite(text, 1, (size_t)(y - text), fp);
            fputs("\tmaybe", fp);
            fputs(y + 4, fp);
            fclose(fp);
        }
        vw_patient_rows_t *x = vw_patient_rows_init();
        assert_true(vw_patient_rows_read_tsv(x, path) < 0);
        vw_patient_rows_destroy(x);
        (void)bad;
    }
    vw_patient_rows_t *x = vw_patient_rows_init();
    assert_int_equal(vw_patient_rows_read_tsv(NULL, path), -EINVAL);
    assert_true(vw_patient_rows_read_tsv(x, "/nonexistent/patient.tsv") < 0);
    vw_patient_rows_destroy(x);
    vw_patient_rows_destroy(back);
    vw_patient_rows_destroy(mixed);
    vw_patient_rows_destroy(rs);
    vw_timeline_destroy(tl);
    assert_int_equal(vw_test_rmtree(tmpdir), 0);
}

/* ------------------------------------------------------------------ */
/* Simulation: false molecular progression of null series               */

/* One locus-draw's mutant fragments: the true background (times the draw's
 * multiplier), over-dispersed (beta-binomial), plus the tumour's share; an
 * occasional artefact adds Poisson(3) fragments (as in test_patient.c). */
static long sim_alt(gsl_rng *rng, long n, double mu_t, double rho_t, double f_i)
{
    double p = mu_t + f_i * (1 - mu_t);
    double a = p * (1 - rho_t) / rho_t, b = (1 - p) * (1 - rho_t) / rho_t;
    long x = (long)gsl_ran_binomial(rng, gsl_ran_beta(rng, a, b), (unsigned)n);
    if (gsl_rng_uniform(rng) < 0.002)
        x += (long)gsl_ran_poisson(rng, 3.0);
    return x > n ? n : x;
}

enum { N_DRAWS = 10 };

typedef struct {
    const char *name;
    double f[N_DRAWS]; /* true mean fraction per draw (draw 0: the baseline) */
    int onset;         /* first draw of a true rise, -1: a null series */
} scenario_t;

/* One patient: loci with their own background fitted on a panel of 20
 * normals, N_DRAWS draws; returns the draw of its molecular progression or -1. */
static int sim_patient(gsl_rng *rng, int L, const scenario_t *sc, const vw_timeline_t *tl)
{
    vw_patient_opt_t o;
    vw_patient_opt_init(&o);
    vw_bbfit_opt_t fo;
    vw_stats_bbfit_opt_init(&fo);
    double mu_t[L], rho_t[L];
    vw_patient_locus_t loci[L];
    long xs[20], ns[20];
    for (int i = 0; i < L; i++) {
        mu_t[i] = fmin(0.01, 1e-4 * exp(0.8 * gsl_ran_ugaussian(rng)));
        rho_t[i] = pow(10, -4 + gsl_rng_uniform(rng));
        for (int j = 0; j < 20; j++) {
            ns[j] = 2000 + (long)gsl_rng_uniform_int(rng, 4000);
            xs[j] = sim_alt(rng, ns[j], mu_t[i], rho_t[i], 0);
        }
        vw_bbfit_t fit;
        assert_int_equal(vw_stats_bbfit(xs, ns, 20, &fo, &fit), 0);
        loci[i] = (vw_patient_locus_t){"L", 1, 0, 0, fit.mu, fit.rho,
                                       (double)fit.n_sum / (1 + ((double)fit.n_sum / 20.0 - 1) * fit.rho), 0};
    }
    /* the tumour share of each locus (clonality, copy number): fixed in the patient */
    double share[L];
    for (int i = 0; i < L; i++)
        share[i] = gsl_ran_gamma(rng, 10.0, 0.1);
    vw_patient_rows_t *rs = vw_patient_rows_init();
    const vw_patient_t *p = &tl->patients[0];
    for (int d = 0; d < N_DRAWS; d++) {
        double mult = exp(0.1 * gsl_ran_ugaussian(rng));
        for (int i = 0; i < L; i++) {
            long n = 1000 + (long)gsl_rng_uniform_int(rng, 4000);
            loci[i].depth = n;
            loci[i].alt = sim_alt(rng, n, fmin(0.5, mu_t[i] * mult), rho_t[i], sc->f[d] * share[i]);
        }
        vw_patient_row_t row;
        memset(&row, 0, sizeof row);
        row.patient = (char *)p->id;
        row.sample = (char *)p->samples[d].sample;
        row.date = p->samples[d].date;
        assert_int_equal(vw_patient_test(&o, loci, L, NULL, &row.r), 0);
        assert_int_equal(vw_patient_rows_push(rs, &row), 0);
    }
    assert_int_equal(vw_patient_series(rs, tl, 0.5), 0);
    int mp = -1;
    for (int d = 0; d < N_DRAWS && rs->r[0].molecular_progression != VW_DATE_NONE; d++)
        if (rs->r[d].date == rs->r[0].molecular_progression)
            mp = d;
    vw_patient_rows_destroy(rs);
    return mp;
}

static void test_null_series(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_pnull.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sheet[256];
    snprintf(sheet, sizeof sheet, "%s/s.tsv", dir);
    FILE *fp = fopen(sheet, "w");
    fputs("patient\tsample\tdate\tfile\n", fp);
    int32_t day0;
    assert_int_equal(vw_date_parse("2024-01-01", &day0), 0);
    for (int d = 0; d < N_DRAWS; d++) { /* every 28 days (the baseline: the first, no treatment start) */
        char b[VW_DATE_BUFSZ];
        assert_int_equal(vw_date_format(day0 + 28 * d, b), 0);
        fprintf(fp, "S\tS_d%d\t%s\tx.bam\n", d, b);
    }
    fclose(fp);
    vw_timeline_t *tl = NULL;
    assert_int_equal(vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl), 0);
    assert_int_equal((int)tl->patients[0].n_samples, N_DRAWS);
    static const scenario_t sc[5] = {
        {"null (no tumour DNA)", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, -1},
        {"stable 3e-4", {3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4, 3e-4}, -1},
        {"response 1e-3 -> 2e-4", {1e-3, 2e-4, 2e-4, 2e-4, 2e-4, 2e-4, 2e-4, 2e-4, 2e-4, 2e-4}, -1},
        {"rise from draw 5 (x2 a draw)", {1e-3, 1e-4, 1e-4, 1e-4, 1e-4, 2e-4, 4e-4, 8e-4, 1.6e-3, 3.2e-3}, 5},
        {"one draw at 2e-3 (draw 6), else 0", {0, 0, 0, 0, 0, 0, 2e-3, 0, 0, 0}, -1},
    };
    /* 100 patients a setting here; tests/bench/bench_patient.sh runs more */
    const char *np = getenv("VW_PATIENT_SERIES_PATIENTS");
    int n_pat = np && atoi(np) >= 100 ? atoi(np) : 100;
    int quick = getenv("VW_UNDER_VALGRIND") != NULL; /* memory check: the same paths, 10 patients, no rates */
    if (quick)
        n_pat = 10;
    int loci[3] = {20, 50, 200};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20261202);
    print_message("loci  scenario                       molecular_progression  median_draws_after_onset  "
                  "(of %d patients)\n", n_pat);
    for (int a = 0; a < 3; a++) {
        if (!np && a != 1)
            continue; /* the unit test: 50 loci */
        for (int s = 0; s < 5; s++) {
            int n_mp = 0, delays[n_pat];
            for (int k = 0; k < n_pat; k++) {
                int mp = sim_patient(rng, loci[a], &sc[s], tl);
                if (mp >= 0 && (sc[s].onset < 0 || mp >= sc[s].onset)) /* before the onset: not found */
                    delays[n_mp++] = mp - sc[s].onset;
            }
            int med = -1;
            if (sc[s].onset >= 0 && n_mp) {
                for (int i = 1; i < n_mp; i++) /* insertion sort */
                    for (int j = i; j > 0 && delays[j] < delays[j - 1]; j--) {
                        int t = delays[j];
                        delays[j] = delays[j - 1];
                        delays[j - 1] = t;
                    }
                med = delays[n_mp / 2];
            }
            print_message("%4d  %-34s %17.3f  %24d\n", loci[a], sc[s].name, n_mp / (double)n_pat, med);
            if (quick)
                continue;
            if (sc[s].onset < 0 && n_mp > n_pat * 5 / 100)
                fail_msg("%s, %d loci: %d of %d null patients with molecular progression", sc[s].name, loci[a],
                         n_mp, n_pat);
            if (sc[s].onset >= 0 && n_mp < n_pat * 90 / 100)
                fail_msg("%s, %d loci: molecular progression in %d of %d patients", sc[s].name, loci[a], n_mp,
                         n_pat);
        }
    }
    gsl_rng_free(rng);
    vw_timeline_destroy(tl);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rise_closed_form),
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_read_and_lead),
        cmocka_unit_test(test_null_series),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
