/* test_leadtime.c -- unit tests of the leadtime module on a hand-built
 * five-patient cohort; expected values worked out by hand (noted beside). */
#include "vw_test.h"
#include "track_fixture.h"

#include <gsl/gsl_errno.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/track.h"

/* Draws every 30 days from day 0 (= treatment start).
 *   A: KRAS detected on days 30-120, EGFR on 60-120; PD scan day 150
 *      -> lead 150 - 30 = 120 d = 120 / 30.4375 = 3.9425 months, molecular_first
 *   B: KRAS detected 90, 120; PD day 60 -> lead -30, |-30| <= 30 -> concordant
 *   C: KRAS detected 120, 150; PD day 30 -> lead -90 -> radiographic_first
 *   D: KRAS detected 60-120; no PD, last follow-up day 200 -> censored
 *   E: never detected; PD day 100 -> no_emergence */
static const struct {
    const char *id;
    int n_draws, pd, fu, kras_from, egfr_from;
} P[] = {
    {"A", 5, 150, 160, 30, 60},
    {"B", 5, 60, 130, 90, -1},
    {"C", 6, 30, 160, 120, -1},
    {"D", 5, -1, 200, 60, -1},
    {"E", 5, 100, 130, -1, -1},
};

static void build(vw_timeline_t **ret_tl, vw_track_t **ret_tr)
{
    static char sheet[4096], events[2048];
    char b[VW_DATE_BUFSZ], s[16];
    sheet[0] = events[0] = '\0';
    fx_cat(sheet, sizeof sheet, "patient\tsample\tdate\tfile\n");
    fx_cat(events, sizeof events, "patient\tdate\tevent\tdetail\n");
    vw_calls_t *cs = vw_calls_init();
    for (int p = 0; p < 5; p++) {
        fx_cat(events, sizeof events, "%s\t%s\ttreatment_start\tdrug\n", P[p].id, fx_date(0, b));
        if (P[p].pd >= 0)
            fx_cat(events, sizeof events, "%s\t%s\tscan\tPD\n", P[p].id, fx_date(P[p].pd, b));
        fx_cat(events, sizeof events, "%s\t%s\tlast_followup\t\n", P[p].id, fx_date(P[p].fu, b));
        for (int i = 0; i < P[p].n_draws; i++) {
            snprintf(s, sizeof s, "%s%d", P[p].id, i);
            fx_cat(sheet, sizeof sheet, "%s\t%s\t%s\tx.bam\n", P[p].id, s, fx_date(30 * i, b));
            int k = P[p].kras_from >= 0 && 30 * i >= P[p].kras_from;
            int e = P[p].egfr_from >= 0 && 30 * i >= P[p].egfr_from;
            fx_call(cs, s, 0, k, k ? 60 : 0, 6000, k ? 1e-12 : 1, 0);
            fx_call(cs, s, 1, e, e ? 60 : 0, 6000, e ? 1e-12 : 1, 0);
        }
    }
    *ret_tl = fx_timeline(sheet, events);
    vw_track_opt_t o;
    vw_track_opt_init(&o);
    if (vw_track_run(*ret_tl, cs, &o, ret_tr) != 0)
        abort();
    vw_calls_destroy(cs);
}

static void test_patients(void **st)
{
    (void)st;
    vw_timeline_t *tl;
    vw_track_t *tr;
    build(&tl, &tr);
    vw_leadtime_t *lt = NULL;
    assert_int_equal(vw_leadtime_run(tl, tr, &lt), 0);
    assert_int_equal(lt->n, 5);
    int32_t d0 = fx_day0();
    const vw_lead_t *a = &lt->p[0];
    assert_string_equal(a->patient->id, "A");
    assert_string_equal(a->clone->gene, "KRAS");       /* day 30 before EGFR's 60 */
    assert_int_equal(a->first_detection, d0 + 30);
    assert_int_equal(a->last_negative, d0);
    assert_int_equal(a->progression, d0 + 150);
    assert_rel(a->lead_days, 120.0, 0);
    assert_rel(a->lead_months, 120.0 / 30.4375, 1e-12);
    assert_rel(a->draw_interval, 30.0, 0);
    assert_int_equal(a->status, VW_LEAD_MOLECULAR_FIRST);
    assert_rel(lt->p[1].lead_days, -30.0, 0);
    assert_int_equal(lt->p[1].status, VW_LEAD_CONCORDANT);
    assert_rel(lt->p[2].lead_days, -90.0, 0);
    assert_int_equal(lt->p[2].status, VW_LEAD_RADIOGRAPHIC_FIRST);
    assert_int_equal(lt->p[3].status, VW_LEAD_CENSORED);
    assert_true(isnan(lt->p[3].lead_days));
    assert_rel(lt->p[3].t_molecular, 60.0, 0);       /* still reported */
    assert_int_equal(lt->p[3].molecular_event, 1);
    assert_rel(lt->p[3].t_radiographic, 200.0, 0);   /* censored at last follow-up */
    assert_int_equal(lt->p[3].radiographic_event, 0);
    assert_int_equal(lt->p[4].status, VW_LEAD_NO_EMERGENCE);
    assert_null(lt->p[4].clone);
    assert_rel(lt->p[4].t_molecular, 120.0, 0);      /* censored at the last draw */
    assert_int_equal(lt->p[4].molecular_event, 0);
    vw_leadtime_destroy(lt);
    vw_track_destroy(tr);
    vw_timeline_destroy(tl);
}

static void test_cohort(void **st)
{
    (void)st;
    vw_timeline_t *tl;
    vw_track_t *tr;
    build(&tl, &tr);
    vw_leadtime_t *lt = NULL;
    assert_int_equal(vw_leadtime_run(tl, tr, &lt), 0);
    assert_int_equal(lt->n_groups, 3); /* KRAS, none, total */
    assert_string_equal(lt->g[0].group, "KRAS");
    assert_string_equal(lt->g[1].group, "none");
    const vw_lead_group_t *g = &lt->g[2];
    assert_string_equal(g->group, "total");
    assert_int_equal(g->n, 5);
    assert_int_equal(g->n_progression, 4);
    assert_int_equal(g->n_emergence, 4);
    assert_int_equal(g->n_both, 3);
    assert_int_equal(g->n_status[VW_LEAD_MOLECULAR_FIRST], 1);
    assert_int_equal(g->n_status[VW_LEAD_RADIOGRAPHIC_FIRST], 1);
    assert_int_equal(g->n_status[VW_LEAD_CONCORDANT], 1);
    assert_int_equal(g->n_status[VW_LEAD_NO_EMERGENCE], 1);
    assert_int_equal(g->n_status[VW_LEAD_CENSORED], 1);
    /* lead times 120, -30, -90: median -30, range -90 .. 120 */
    assert_rel(g->lead_median, -30.0, 0);
    assert_rel(g->lead_min, -90.0, 0);
    assert_rel(g->lead_max, 120.0, 0);
    /* KM, molecular: events at 30 (A), 60 (D), 90 (B), 120 (C), E censored at 120.
     * S(30) = 4/5 = 0.8, S(60) = 0.8 * 3/4 = 0.6, S(90) = 0.6 * 2/3 = 0.4 <= 0.5
     * -> median 90.  Radiographic: events 30 (C), 60 (B), 100 (E), 150 (A), D
     * censored at 200: S = 0.8, 0.6, 0.4 at 100 -> median 100. */
    assert_rel(g->km_mol_median, 90.0, 0);
    assert_rel(g->km_rad_median, 100.0, 0);

    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(vw_leadtime_write_tsv(fp, lt), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "#patient\tfirst_detection\tprogression\tlead_time_days\tstatus\t"));
    assert_non_null(strstr(buf, "\nA\t2023-01-31\t2023-05-31\t120\tmolecular_first\t3.94\t2023-01-01\tKRAS_G12D\t"));
    assert_non_null(strstr(buf, "\nD\t2023-03-02\tNA\tNA\tcensored\t"));
    free(buf);
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_leadtime_write_cohort(fp, lt), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "\ntotal\t5\t4\t4\t3\t1\t1\t1\t1\t1\t-30.0\t-90\t120\t"));
    assert_int_equal(buf[0], '#');
    free(buf);
    fp = open_memstream(&buf, &len);
    assert_int_equal(vw_leadtime_write_json(fp, lt, "vafwatch leadtime"), 0);
    fclose(fp);
    assert_non_null(strstr(buf, "\"status\": \"concordant\""));
    free(buf);
    assert_int_equal(vw_leadtime_run(NULL, tr, &lt), -EINVAL);
    vw_leadtime_destroy(lt);
    vw_leadtime_destroy(NULL);
    vw_track_destroy(tr);
    vw_timeline_destroy(tl);
}

/* The status column's values, as docs/tracking.md lists them. */
static void test_lead_status_name(void **state)
{
    (void)state;
    assert_string_equal(vw_lead_status_name(VW_LEAD_MOLECULAR_FIRST), "molecular_first");
    assert_string_equal(vw_lead_status_name(VW_LEAD_RADIOGRAPHIC_FIRST), "radiographic_first");
    assert_string_equal(vw_lead_status_name(VW_LEAD_CONCORDANT), "concordant");
    assert_string_equal(vw_lead_status_name(VW_LEAD_NO_EMERGENCE), "no_emergence");
    assert_string_equal(vw_lead_status_name(VW_LEAD_CENSORED), "censored");
    assert_string_equal(vw_lead_status_name((vw_lead_status_t)9), "?");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patients),
        cmocka_unit_test(test_cohort),
        cmocka_unit_test(test_lead_status_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
