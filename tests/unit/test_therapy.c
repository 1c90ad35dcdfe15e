/* test_therapy.c -- unit tests of the therapy-relevance map (therapy.c) and
 * of the weighted discovery family it gives the call (call.c).  Expected
 * numbers are hand computations written beside them. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "vw_test.h"
#include "vafwatch/call.h"
#include "vafwatch/log.h"
#include "vafwatch/stats.h"
#include "vafwatch/therapy.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static void mk_target(vw_target_t *t, const char *id, const char *gene, const char *protein, const char *context)
{
    memset(t, 0, sizeof(*t));
    t->id = strdup(id); t->gene = strdup(gene); t->transcript = strdup(".");
    t->protein = strdup(protein); t->cdna = strdup("."); t->context = strdup(context);
    t->chrom = strdup("chr1");
    t->ref = strdup("C");
    t->alt = strdup("T");
    vw_target_classify(t);
}

/* Four targets: KRAS G12D, EGFR ectodomain S492R, EGFR T790M, PIK3CA E545K. */
static vw_targets_t *four(void)
{
    vw_targets_t *ts = vw_targets_init();
    ts->t = calloc(4, sizeof(vw_target_t));
    ts->m = ts->n = 4;
    mk_target(&ts->t[0], "KRAS_G12D", "KRAS", "p.G12D", "anti-EGFR mAb resistance (CRC)");
    mk_target(&ts->t[1], "EGFR_S492R", "EGFR", "p.S492R", "EGFR ectodomain, anti-EGFR mAb resistance (CRC)");
    mk_target(&ts->t[2], "EGFR_T790M", "EGFR", "p.T790M", "EGFR-TKI (NSCLC): acquired resistance");
    mk_target(&ts->t[3], "PIK3CA_E545K", "PIK3CA", "p.E545K", ".");
    for (int i = 0; i < 4; i++)
        ts->t[i].beg = 100 + i;
    return ts;
}

static void test_builtin(void **state)
{
    (void)state;
    vw_therapy_map_t *m = vw_therapy_map_builtin();
    assert_non_null(m);
    vw_targets_t *ts = four();
    /* drugs and classes, any case */
    assert_string_equal(vw_therapy_class(m, "Cetuximab"), "anti_egfr_mab");
    assert_string_equal(vw_therapy_class(m, "panitumumab"), "anti_egfr_mab");
    assert_string_equal(vw_therapy_class(m, "osimertinib"), "egfr_tki");
    assert_string_equal(vw_therapy_class(m, "EGFR_TKI"), "egfr_tki");
    assert_null(vw_therapy_class(m, "FOLFIRI"));
    /* anti-EGFR antibody: KRAS (gene) and the ectodomain (context); not T790M, not PIK3CA */
    const int want_mab[4] = {1, 1, 0, 0}, want_tki[4] = {0, 0, 1, 0};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(vw_therapy_relevant(m, "anti_egfr_mab", &ts->t[i]), want_mab[i]);
        assert_int_equal(vw_therapy_relevant(m, "egfr_tki", &ts->t[i]), want_tki[i]);
    }
    assert_int_equal(vw_therapy_relevant(m, "nothing", &ts->t[0]), 0);
    vw_therapy_map_destroy(m);
    vw_targets_destroy(ts);
}

static const char *write_tmp(char *path, const char *text)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void test_read(void **state)
{
    (void)state;
    char p1[] = "test_therapy_XXXXXX";
    write_tmp(p1, "class\tkind\tvalue\n# a comment\nmy_tki\tdrug\tlazertinib\nmy_tki\tprotein\tEGFR:p.T790M\n"
                  "my_tki\tid\tPIK3CA_E545K\n");
    vw_therapy_map_t *m = NULL;
    assert_int_equal(vw_therapy_map_read(p1, &m), 0);
    assert_int_equal(m->n, 3);
    assert_string_equal(vw_therapy_class(m, "Lazertinib"), "my_tki");
    vw_targets_t *ts = four();
    const int want[4] = {0, 0, 1, 1};
    for (int i = 0; i < 4; i++)
        assert_int_equal(vw_therapy_relevant(m, "my_tki", &ts->t[i]), want[i]);
    vw_therapy_map_destroy(m);
    unlink(p1);
    /* errors: unknown kind, protein without GENE:, missing column */
    const char *bad[] = {"class\tkind\tvalue\nx\tpathway\tMAPK\n", "class\tkind\tvalue\nx\tprotein\tp.T790M\n",
                         "class\tvalue\nx\tKRAS\n", "class\tkind\tvalue\n\tgene\tKRAS\n"};
    FILE *sink = tmpfile();
    vw_log_set_sink(sink);
    for (int k = 0; k < 4; k++) {
        char p[] = "test_therapy_XXXXXX";
        write_tmp(p, bad[k]);
        m = NULL;
        assert_int_equal(vw_therapy_map_read(p, &m), VW_EPARSE);
        assert_null(m);
        unlink(p);
    }
    vw_log_set_sink(NULL);
    fclose(sink);
    assert_int_equal(vw_therapy_map_read(NULL, &m), -EINVAL);
    vw_targets_destroy(ts);
}

/* The weighted discovery family.  Four targets of mu 1e-3 (binomial),
 * 10,000 fragments; with the anti-EGFR class, targets 0 and 1 are relevant:
 * weights 0.9 * 4 / 2 = 1.8 and 0.1 * 4 / 2 = 0.2 (sum 4).  The q-values
 * are vw_stats_holm_weighted() of the p-values with those weights (its hand
 * example in test_stats), and target 0's LoD95 is at alpha 1.8 / 4 of 0.05,
 * one test. */
static void test_call_weights(void **state)
{
    (void)state;
    vw_targets_t *ts = four();
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    s->sample = strdup("S");
    s->path = strdup("mem");
    s->n = 4;
    s->c = calloc(4, sizeof(vw_count_t));
    long alt[4] = {22, 24, 25, 30};
    vw_bg_t bg[4];
    memset(bg, 0, sizeof(bg));
    for (int i = 0; i < 4; i++) {
        s->c[i].assessed = 1;
        s->c[i].depth = 10000;
        s->c[i].alt = alt[i];
        s->c[i].ref = 10000 - alt[i];
        bg[i].mu = 1e-3;
    }
    vw_therapy_map_t *m = vw_therapy_map_builtin();
    vw_call_opt_t o;
    vw_call_opt_init(&o);
    o.veto = 0;
    o.therapy_map = m;
    o.therapy[0] = "anti_egfr_mab";
    o.n_therapy = 1;
    vw_calls_t *cs = vw_calls_init();
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    double p[4], w[4] = {1.8, 1.8, 0.2, 0.2}, q[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(vw_stats_pvalue(alt[i], 10000, 1e-3, 0, &p[i]), 0);
    assert_int_equal(vw_stats_holm_weighted(p, w, 4, q), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(cs->c[i].q_value, q[i], 1e-12);
    double lod;
    assert_int_equal(vw_stats_lod_bb(10000, 1e-3, 0, 0.05 * 1.8 / 4, 1, 0.95, &lod, NULL), 0);
    assert_rel(cs->c[0].lod95, lod, 1e-12);
    /* no class: plain Holm */
    o.n_therapy = 0;
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    assert_int_equal(vw_stats_holm(p, 4, q), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(cs->c[4 + i].q_value, q[i], 1e-12);
    /* an EGFR inhibitor: T790M alone is relevant, 0.9 * 4 = 3.6, the three
     * others 0.1 * 4 / 3 each */
    o.n_therapy = 1;
    o.therapy[0] = "egfr_tki";
    assert_int_equal(vw_call_sample(&o, ts, s, bg, 0, cs), 0);
    double w2[4] = {0.4 / 3, 0.4 / 3, 3.6, 0.4 / 3};
    assert_int_equal(vw_stats_holm_weighted(p, w2, 4, q), 0);
    for (int i = 0; i < 4; i++)
        assert_rel(cs->c[8 + i].q_value, q[i], 1e-12);
    vw_calls_destroy(cs);
    vw_therapy_map_destroy(m);
    vw_sample_counts_destroy(s);
    vw_targets_destroy(ts);
}

/* The classes of a sample: --therapy names, else the patient's
 * treatment_start drugs (several in one detail; unknown ones counted). */
static void test_sample_classes(void **state)
{
    (void)state;
    vw_therapy_map_t *m = vw_therapy_map_builtin();
    assert_non_null(m);
    const char *out[VW_CALL_MAX_THERAPY];
    int n_unknown = 0;
    /* two names of one class give it once */
    const char *names[] = {"cetuximab", "PANITUMUMAB"};
    assert_int_equal(vw_therapy_sample_classes(m, names, 2, NULL, out, VW_CALL_MAX_THERAPY, &n_unknown), 1);
    assert_string_equal(out[0], "anti_egfr_mab");
    /* events: "Osimertinib + drugX", then "cetuximab", a stop and a scan (not therapies) */
    vw_event_t ev[4];
    memset(ev, 0, sizeof(ev));
    ev[0].type = VW_EVENT_TREATMENT_START; ev[0].detail = "Osimertinib + drugX";
    ev[1].type = VW_EVENT_TREATMENT_STOP; ev[1].detail = "panitumumab";
    ev[2].type = VW_EVENT_SCAN; ev[2].detail = "PD";
    ev[3].type = VW_EVENT_TREATMENT_START; ev[3].detail = "cetuximab";
    vw_patient_t pat;
    memset(&pat, 0, sizeof(pat));
    pat.events = ev;
    pat.n_events = 4;
    assert_int_equal(vw_therapy_sample_classes(m, NULL, 0, &pat, out, VW_CALL_MAX_THERAPY, &n_unknown), 2);
    assert_string_equal(out[0], "egfr_tki");
    assert_string_equal(out[1], "anti_egfr_mab");
    assert_int_equal(n_unknown, 1); /* drugX */
    /* --therapy wins over the events; at most 'max' classes */
    assert_int_equal(vw_therapy_sample_classes(m, names, 1, &pat, out, VW_CALL_MAX_THERAPY, NULL), 1);
    assert_string_equal(out[0], "anti_egfr_mab");
    assert_int_equal(vw_therapy_sample_classes(m, NULL, 0, &pat, out, 1, NULL), 1);
    assert_string_equal(out[0], "egfr_tki");
    assert_int_equal(vw_therapy_sample_classes(NULL, names, 2, &pat, out, VW_CALL_MAX_THERAPY, NULL), 0);
    vw_therapy_map_destroy(m);
}

/* A counts table's targets have no context: the catalogue's is filled in
 * by id, REF and ALT, and the map's context rule then selects them. */
static void test_fill_context(void **state)
{
    (void)state;
    vw_targets_t *cat = vw_targets_init();
    assert_non_null(cat);
    assert_int_equal(vw_catalogue_builtin(cat, VW_BUILD_GRCH37), 0);
    int k = 0;
    while (k < cat->n && strcmp(cat->t[k].id, "EGFR_S492R_c.1474A>C") != 0)
        k++;
    assert_true(k < cat->n);
    vw_targets_t *ts = vw_targets_init();
    ts->t = calloc(3, sizeof(vw_target_t));
    ts->m = ts->n = 3;
    mk_target(&ts->t[0], "EGFR_S492R_c.1474A>C", "EGFR", "p.S492R", ".");
    free(ts->t[0].ref); free(ts->t[0].alt);
    ts->t[0].ref = strdup(cat->t[k].ref);
    ts->t[0].alt = strdup(cat->t[k].alt);
    mk_target(&ts->t[1], "EGFR_S492R_c.1474A>C", "EGFR", "p.S492R", "."); /* another allele: not the row */
    free(ts->t[1].alt);
    ts->t[1].alt = strdup(strcmp(cat->t[k].alt, "G") ? "G" : "T");
    mk_target(&ts->t[2], "MY_ROW", "EGFR", "p.S492R", "mine");
    vw_therapy_map_t *m = vw_therapy_map_builtin();
    assert_int_equal(vw_therapy_relevant(m, "anti_egfr_mab", &ts->t[0]), 0);
    assert_int_equal(vw_therapy_fill_context(ts), 1);
    assert_string_equal(ts->t[0].context, cat->t[k].context);
    assert_string_equal(ts->t[1].context, ".");
    assert_string_equal(ts->t[2].context, "mine");
    assert_int_equal(vw_therapy_relevant(m, "anti_egfr_mab", &ts->t[0]), 1); /* "EGFR ectodomain" */
    vw_therapy_map_destroy(m);
    vw_targets_destroy(ts);
    vw_targets_destroy(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_call_weights),
        cmocka_unit_test(test_sample_classes),
        cmocka_unit_test(test_fill_context),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
