/* cmd_report.c -- vafwatch report: the cohort and per-patient HTML reports,
 * JSON and the MultiQC table (docs/reports.md).  It reads the calls tables
 * and runs the tracking and lead-time stages itself, like vafwatch leadtime. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vw_config.h"
#include "vafwatch/call.h"
#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/patient.h"
#include "vafwatch/report.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "cmd.h"

enum { OPT_CNV = VW_OPT_TRACK_LAST + 1, OPT_BUILD, OPT_TIMESTAMP, OPT_PATIENT_TESTS };

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Usage: vafwatch report [options] --sheet COHORT.tsv -e EVENTS.tsv -d DIR CALLS.tsv [...]\n\n"
            "Runs the tracking and lead-time stages on the calls tables and writes reports to read:\n"
            "a cohort page (swimmer plot, lead-time summary, Kaplan-Meier curves of time to\n"
            "molecular and to radiographic progression) and one page per patient (each clone's VAF\n"
            "over time on a log axis with CIs, not-detected draws at their LoD95, treatments,\n"
            "scans, emergence and lead time; tables; methods).  The HTML is self-contained (inline\n"
            "CSS and SVG, no script, nothing loaded from the network).\n\n");
    vw_cmd_track_help(fp);
    fprintf(fp,
            VW_OPT_TRACK_CNV_HELP
            "                           (its rows are also listed with the patient of their sample)\n"
            VW_OPT_MARKERS_HELP
            "      --patient-tests FILE the patient-level tests (a vafwatch.patient.tsv of run or\n"
            "                           call --sheet): the patient-level panel under the clone plot\n"
            "                           and the patient-level molecular progression, as in run\n"
            "Output:\n"
            "  -d, --outdir DIR         writes DIR/index.html, DIR/patients/<patient>.html,\n"
            "                           DIR/vafwatch.report.json, DIR/patients/<patient>.json and\n"
            "                           DIR/vafwatch_mqc.tsv, DIR/vafwatch_stats_mqc.tsv and\n"
            "                           DIR/vafwatch_vaf_mqc.json (MultiQC custom content) [required]\n"
            "      --build STR          the genome build (e.g. GRCh38) shown under Methods, as given:\n"
            "                           only shown, not checked [not recorded]\n"
            VW_OPT_TITLE_HELP
            "      --param KEY=VALUE    a parameter shown under Methods (e.g. the call stage's\n"
            "                           alpha); " VW_OPT_PARAM_MAX_HELP
            VW_OPT_REPORT_DATE_HELP
            "      --timestamp          also write the date and time of the run (JSON 'generated',\n"
            "                           Methods)\n"
            VW_OPT_COMMON_HELP
            "\n"
            "Patient file names keep [A-Za-z0-9._-] of the patient id (others become '_') and are\n"
            "made unique.  The reports are described in docs/reports.md.\n\n");
}

/* The reports, written as one set (staged, then put in place, the manifest
 * last), one writer at a time.  Logs; returns 0 or -1. */
static int write_set(const vw_report_in_t *in, const char *outdir, const vw_report_opt_t *ropt)
{
    vw_oset_t *os = NULL;
    int rc = vw_oset_begin(outdir, &os);
    if (rc < 0) {
        if (rc == -EBUSY)
            vw_error("%s: another vafwatch is writing into this directory (lock %s/.vafwatch.lock)", outdir, outdir);
        else
            vw_error_code(rc, "%s: cannot prepare the output directory", outdir);
        return -1;
    }
    if (vw_report_write(in, vw_oset_dir(os), ropt) < 0) {
        vw_oset_abort(os);
        return -1; /* logged */
    }
    if ((rc = vw_oset_commit(os)) < 0) {
        vw_error_code(rc, "%s: cannot put the reports in place", outdir);
        return -1;
    }
    return 0;
}

int main_report(int argc, char *argv[])
{
    static const struct option lopts[] = {
        VW_OPT_TRACK_LONG,
        {"cnv", required_argument, NULL, OPT_CNV},
        {"patient-tests", required_argument, NULL, OPT_PATIENT_TESTS},
        {"outdir", required_argument, NULL, 'd'},
        {"build", required_argument, NULL, OPT_BUILD},
        {"timestamp", no_argument, NULL, OPT_TIMESTAMP},
        VW_OPT_REPORT_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_track_opt_t opt;
    vw_track_opt_init(&opt);
    vw_report_opt_t ropt;
    vw_report_opt_init(&ropt);
    const char *sheet = NULL, *events = NULL, *outdir = NULL, *cnv_path = NULL, *build = NULL;
    const char *ptests = NULL;
    vw_patient_rows_t *prows = NULL;
    vw_markers_t *markers = NULL;
    vw_cmd_report_t rep;
    memset(&rep, 0, sizeof(rep));
    int c, ex, ret = VW_EXIT_DATA, rc;
    vw_timeline_t *tl = NULL;
    vw_track_t *tr = NULL;
    vw_leadtime_t *lt = NULL;
    vw_calls_t *cs = NULL;
    vw_cnv_rows_t *cnv = NULL;
    char **cnv_files = calloc((size_t)argc + 1, sizeof(char *));
    int n_cnv = 0;
    if (!cnv_files)
        return VW_EXIT_DATA;
    while ((c = getopt_long(argc, argv, "e:d:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_track_opt(c, optarg, &opt, &sheet, &events, &ex) ||
            vw_cmd_report_opt(c, optarg, &rep, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case 'd': outdir = optarg; break;
        case OPT_CNV:
            if (!cnv_path)
                cnv_path = optarg;
            cnv_files[n_cnv++] = optarg;
            break;
        case OPT_PATIENT_TESTS: ptests = optarg; break;
        case OPT_BUILD: build = optarg; break;
        case OPT_TIMESTAMP: ropt.timestamp = 1; break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    if (!sheet || !events || !outdir || optind >= argc) {
        vw_error("needs --sheet, --events, --outdir and at least one calls table");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (vw_cmd_report_date_final(&rep.date) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    ropt.report_date = rep.date.days;
    if (rep.title)
        ropt.title = rep.title;
    const char *markers_path = rep.markers;
    vw_info("CMD: %s", vw_cmd_line());
    int n_more = 0; /* inputs too (slots beyond the CNV files, not counted) */
    if (markers_path)
        cnv_files[n_cnv + n_more++] = (char *)markers_path;
    if (ptests)
        cnv_files[n_cnv + n_more++] = (char *)ptests;
    if (vw_cmd_track_clash(sheet, events, argv + optind, argc - optind, (char **)cnv_files, n_cnv + n_more, NULL,
                           0, outdir)) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    /* the CNV tables are read once: for the amplification series and for the report's rows */
    if (vw_cmd_track_load_calls(sheet, events, argv + optind, argc - optind, cnv_files, n_cnv, &opt, &tl, &tr,
                                &cs, &cnv) < 0)
        goto out;
    if (markers_path && vw_markers_read(tl, markers_path, &markers) < 0)
        goto out; /* logged */
    if ((rc = vw_leadtime_run(tl, tr, &lt)) < 0) {
        vw_error_code(rc, "lead time");
        goto out;
    }
    if (ptests && (vw_patient_rows_load(ptests, tl, &prows) < 0 || vw_patient_lead(lt, prows) < 0))
        goto out; /* logged */
    vw_report_in_t in = {
        .tl = tl, .tr = tr, .lt = lt, .calls = cs, .cnv = cnv, .cnv_path = cnv_path,
        .command = vw_cmd_line(), .version = VW_VERSION_LONG, .build = build,
        .params = rep.params, .n_params = rep.n_params, .markers = markers, .patient_tests = prows,
    };
    if (write_set(&in, outdir, &ropt) < 0)
        goto out;
    vw_info("wrote %zu patient reports to '%s'", tl->n_patients, outdir);
    ret = VW_EXIT_OK;
out:
    vw_cmd_report_free(&rep);
    vw_cnv_rows_destroy(cnv);
    vw_markers_destroy(markers);
    vw_patient_rows_destroy(prows);
    free(cnv_files);
    vw_calls_destroy(cs);
    vw_leadtime_destroy(lt);
    vw_track_destroy(tr);
    vw_timeline_destroy(tl);
    return ret;
}
