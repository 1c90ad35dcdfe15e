/* cmd_leadtime.c -- vafwatch leadtime: per patient lead time of molecular
 * emergence over radiographic progression, and the cohort summary.  It reads
 * the calls tables and runs the tracking stage itself (docs/tracking.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/patient.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "cmd.h"

enum { OPT_TRACK = VW_OPT_TRACK_LAST + 1, OPT_PATIENT_TESTS };

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Usage: vafwatch leadtime [options] --sheet COHORT.tsv -e EVENTS.tsv --output-prefix STR CALLS.tsv [...]\n\n"
            "Runs the tracking of 'vafwatch track' on the calls tables, then gives per patient the\n"
            "first emerging clone, the radiographic progression date and the lead time (positive:\n"
            "blood first), and per cohort the counts, median (range) lead time and Kaplan-Meier\n"
            "medians of time to molecular and to radiographic progression.\n\n");
    vw_cmd_track_help(fp);
    fprintf(fp,
            VW_OPT_TRACK_CNV_HELP
            "      --patient-tests FILE the patient-level tests (a vafwatch.patient.tsv of run or\n"
            "                           call --sheet): their molecular progression in the\n"
            "                           patient_* columns, recomputed over time from this sheet\n"
            "Output:\n"
            "      --output-prefix STR  writes STR.vafwatch.leadtime.tsv (per patient) and\n"
            "                           STR.vafwatch.cohort.tsv (summary; ends with 'total') [required]\n"
            "      --json FILE          also write the lead times as JSON to FILE\n"
            "      --track              also write the track outputs (STR.vafwatch.track.tsv,\n"
            "                           STR.vafwatch.series.tsv; with --patient-tests also\n"
            "                           STR.vafwatch.patient.tsv, the patient-level series)\n"
            VW_OPT_COMMON_HELP
            "\n"
            "Statuses and columns are described in docs/tracking.md.\n\n");
}

static int w_lead(FILE *fp, const void *o) { return vw_leadtime_write_tsv(fp, o); }
static int w_cohort(FILE *fp, const void *o) { return vw_leadtime_write_cohort(fp, o); }
static int w_json(FILE *fp, const void *o) { return vw_leadtime_write_json(fp, o, vw_cmd_line()); }
static int w_track(FILE *fp, const void *o) { return vw_track_write_tsv(fp, o); }
static int w_series(FILE *fp, const void *o) { return vw_track_write_series(fp, o); }
static int w_patient(FILE *fp, const void *o) { return vw_patient_write_tsv(fp, o); }

int main_leadtime(int argc, char *argv[])
{
    static const struct option lopts[] = {
        VW_OPT_TRACK_LONG,
        {"cnv", required_argument, NULL, VW_OPT_TRACK_CNV},
        {"output-prefix", required_argument, NULL, VW_OPT_OUTPUT_PREFIX},
        {"json", required_argument, NULL, VW_OPT_JSON},
        {"track", no_argument, NULL, OPT_TRACK},
        {"patient-tests", required_argument, NULL, OPT_PATIENT_TESTS},
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_track_opt_t opt;
    vw_track_opt_init(&opt);
    const char *sheet = NULL, *events = NULL, *prefix = NULL;
    int c, ex, ret = VW_EXIT_DATA, track = 0, rc;
    const char *json = NULL, *ptests = NULL;
    vw_patient_rows_t *prows = NULL;
    vw_timeline_t *tl = NULL;
    vw_track_t *tr = NULL;
    vw_leadtime_t *lt = NULL;
    char *p[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    char **cnv = calloc((size_t)argc + 1, sizeof(char *));
    int n_cnv = 0;
    if (!cnv)
        return VW_EXIT_DATA;
    while ((c = getopt_long(argc, argv, "e:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_track_opt(c, optarg, &opt, &sheet, &events, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case VW_OPT_OUTPUT_PREFIX: prefix = optarg; break;
        case VW_OPT_JSON:
            if (vw_cmd_file_arg("--json", optarg) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            json = optarg;
            break;
        case OPT_TRACK: track = 1; break;
        case OPT_PATIENT_TESTS: ptests = optarg; break;
        case VW_OPT_TRACK_CNV: cnv[n_cnv++] = optarg; break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    if (!sheet || !events || !prefix || optind >= argc) {
        vw_error("needs --sheet, --events, --output-prefix and at least one calls table");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    vw_info("CMD: %s", vw_cmd_line());
    if (vw_cmd_track_load(sheet, events, argv + optind, argc - optind, cnv, n_cnv, &opt, &tl, &tr) < 0)
        goto out;
    if ((rc = vw_leadtime_run(tl, tr, &lt)) < 0) {
        vw_error_code(rc, "lead time");
        goto out;
    }
    if (ptests && (vw_patient_rows_load(ptests, tl, &prows) < 0 || vw_patient_lead(lt, prows) < 0))
        goto out; /* logged */
    const char *kinds[6] = {"leadtime.tsv", "cohort.tsv", "leadtime.json", "track.tsv", "series.tsv", "patient.tsv"};
    for (int i = 0; i < 6; i++)
        if (!(p[i] = i == 2 && json ? strdup(json) : vw_cmd_prefixed(prefix, kinds[i]))) {
            vw_error_code(-ENOMEM, "output names");
            goto out;
        }
    cnv[n_cnv] = (char *)ptests; /* an input too (one slot beyond the CNV files, not counted) */
    if (vw_cmd_track_clash(sheet, events, argv + optind, argc - optind, cnv, n_cnv + (ptests != NULL),
                           (const char *const *)p, track && ptests ? 6 : 5, NULL)) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    {
        /* the tables asked for, as one set: all written before any is renamed into place */
        int (*ws[6])(FILE *, const void *) = {w_lead, w_cohort, w_json, w_track, w_series, w_patient};
        const void *objs[6] = {lt, lt, lt, tr, tr, prows};
        const char *paths[6];
        int n = 0;
        int (*wsel[6])(FILE *, const void *);
        const void *osel[6];
        for (int i = 0; i < 6; i++) {
            if ((i == 2 && !json) || (i >= 3 && !track) || (i == 5 && !prows))
                continue;
            paths[n] = p[i];
            wsel[n] = ws[i];
            osel[n++] = objs[i];
        }
        if (vw_write_set(paths, (int (*const *)(FILE *, const void *))wsel, osel, n) < 0)
            goto out;
    }
    ret = VW_EXIT_OK;
out:
    free(cnv);
    for (int i = 0; i < 6; i++)
        free(p[i]);
    vw_patient_rows_destroy(prows);
    vw_leadtime_destroy(lt);
    vw_track_destroy(tr);
    vw_timeline_destroy(tl);
    return ret;
}
