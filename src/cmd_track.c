/* cmd_track.c -- vafwatch track: per patient x target series of plasma draws,
 * emergence, trend and growth (docs/tracking.md).  Also holds the option and
 * loading helpers that vafwatch leadtime shares. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/log.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "vafwatch/util.h"
#include "cmd.h"

void vw_cmd_track_help(FILE *fp)
{
    vw_track_opt_t d;
    vw_track_opt_init(&d);
    fprintf(fp,
            "Input:\n"
            "      --sheet FILE         cohort sheet (patient sample date file ...); the 'file'\n"
            "                           files are read only by run\n"
            "  -e, --events FILE        events (treatment_start/stop, scan, progression ...)\n"
            "Emergence:\n"
            "      --rule RULE          every rule needs its signal confirmed at the next draw:\n"
            "                           consecutive: two consecutive detected draws;\n"
            "                           strict: p < alpha / (draws x targets), then p < alpha / targets;\n"
            "                           cusum: CUSUM of the p-values at alpha / targets [%s]\n"
            "      --emergence-alpha FLOAT  strict, cusum: false emergence per patient [%g]\n"
            "      --cusum-k FLOAT      CUSUM reference value (normal units) [%g]\n"
            "      --truncal ID         target id of a truncal mutation: report clone fraction =\n"
            "                           VAF / truncal VAF per draw [none]\n"
            "      --ch-patients INT    a variant low and flat from the baseline draw in at least INT\n"
            "                           patients is CH? in each of them (0: off) [%d]\n"
            "      --ch-max-vaf FLOAT   'low' of that rule: VAF <= FLOAT at every draw [%g]\n",
            vw_track_rule_name(d.rule), d.alpha, d.cusum_k, d.ch_patients, d.ch_max_vaf);
}

int vw_cmd_track_opt(int c, const char *arg, vw_track_opt_t *o, const char **sheet,
                     const char **events, int *ret_exit)
{
    double v;
    *ret_exit = -1;
    switch (c) {
    case VW_OPT_TRACK_SHEET: *sheet = arg; return 1;
    case 'e': *events = arg; return 1;
    case VW_OPT_TRACK_RULE:
        if (vw_track_rule_parse(arg, &o->rule) != 0) {
            char names[128];
            vw_rule_names(names, sizeof names, ", ");
            vw_error("--rule takes one of %s, not '%s'", names, arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_TRACK_ALPHA:
        if (vw_parse_double(arg, &v) != 0 || !(v > 0 && v < 1)) {
            vw_error("--emergence-alpha takes a number between 0 and 1, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            o->alpha = v;
        }
        return 1;
    case VW_OPT_TRACK_CUSUM_K:
        if (vw_parse_double(arg, &v) != 0 || !(v >= 0 && v <= 10)) {
            vw_error("--cusum-k takes a number from 0 to 10, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            o->cusum_k = v;
        }
        return 1;
    case VW_OPT_TRACK_TRUNCAL: o->truncal = arg; return 1;
    case VW_OPT_TRACK_CH_PATIENTS: {
        long n;
        if (vw_parse_long(arg, &n) != 0 || n < 0 || n > 1000000) {
            vw_error("--ch-patients takes a whole number from 0 (off) up, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            o->ch_patients = (int)n;
        }
        return 1;
    }
    case VW_OPT_TRACK_CH_MAX_VAF:
        if (vw_parse_double(arg, &v) != 0 || !(v > 0 && v <= 1)) {
            vw_error("--ch-max-vaf takes a fraction in (0, 1], not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            o->ch_max_vaf = v;
        }
        return 1;
    default: return 0;
    }
}

int vw_cmd_track_load(const char *sheet, const char *events, char **files, int n_files,
                      char *const *cnv_files, int n_cnv, const vw_track_opt_t *opt, vw_timeline_t **ret_tl,
                      vw_track_t **ret_tr)
{
    return vw_cmd_track_load_calls(sheet, events, files, n_files, cnv_files, n_cnv, opt, ret_tl, ret_tr, NULL, NULL);
}

int vw_cmd_track_load_calls(const char *sheet, const char *events, char **files, int n_files,
                            char *const *cnv_files, int n_cnv, const vw_track_opt_t *opt, vw_timeline_t **ret_tl,
                            vw_track_t **ret_tr, vw_calls_t **ret_cs, vw_cnv_rows_t **ret_cnv)
{
    vw_timeline_t *tl = NULL;
    vw_calls_t *cs = NULL;
    vw_cnv_rows_t *cnv = NULL;
    vw_track_t *tr = NULL;
    int rc = vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl);
    if (rc < 0) {
        if (rc == -EINVAL || rc == -ENOMEM)
            vw_error_code(rc, "reading '%s'", sheet);
        goto err;
    }
    rc = vw_timeline_read_events(tl, events);
    if (rc < 0) {
        if (rc == -EINVAL || rc == -ENOMEM)
            vw_error_code(rc, "reading '%s'", events);
        goto err;
    }
    if (!(cs = vw_calls_init())) {
        vw_error_code(-ENOMEM, "calls");
        goto err;
    }
    for (int i = 0; i < n_files; i++)
        if ((rc = vw_calls_read_tsv(cs, files[i])) < 0)
            goto err; /* logged by the reader */
    if (n_cnv > 0 && !(cnv = vw_cnv_rows_init())) {
        vw_error_code(-ENOMEM, "copy-number tables");
        goto err;
    }
    for (int i = 0; i < n_cnv; i++)
        if ((rc = vw_cnv_rows_read_tsv(cnv, cnv_files[i])) < 0)
            goto err; /* logged by the reader */
    rc = vw_track_run_cnv(tl, cs, cnv, opt, &tr);
    if (rc < 0) {
        if (rc != VW_EINPUT)
            vw_error_code(rc, "tracking");
        goto err;
    }
    if (ret_cnv)
        *ret_cnv = cnv;
    else
        vw_cnv_rows_destroy(cnv);
    if (ret_cs)
        *ret_cs = cs;
    else
        vw_calls_destroy(cs);
    *ret_tl = tl;
    *ret_tr = tr;
    return 0;
err:
    vw_cnv_rows_destroy(cnv);
    vw_calls_destroy(cs);
    vw_timeline_destroy(tl);
    return rc < 0 ? rc : -1;
}

int vw_cmd_track_clash(const char *sheet, const char *events, char **files, int n_files, char **cnv, int n_cnv,
                       const char *const *outs, int n_out, const char *outdir)
{
    const char **ins = calloc((size_t)(2 + n_files + n_cnv), sizeof(char *));
    if (!ins)
        return 1;
    int n = 0;
    ins[n++] = sheet;
    ins[n++] = events;
    for (int i = 0; i < n_files; i++)
        ins[n++] = files[i];
    for (int i = 0; i < n_cnv; i++)
        ins[n++] = cnv[i];
    int clash = vw_outputs_clash(outs, n_out, ins, n)
                || (outdir && vw_dir_clash(outdir, ins, n, vw_report_is_output));
    free(ins);
    return clash;
}

char *vw_cmd_prefixed(const char *prefix, const char *kind)
{
    size_t n = strlen(prefix) + strlen(kind) + 16;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s.vafwatch.%s", prefix, kind);
    return s;
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Usage: vafwatch track [options] --sheet COHORT.tsv -e EVENTS.tsv --output-prefix STR CALLS.tsv [...]\n\n"
            "Follows every target of the calls tables over each patient's plasma draws: status\n"
            "(pre-existing, germline?, emerging, transient, never, not_assessed), the emergence\n"
            "date with the last negative draw before it, trend tests and the doubling time\n"
            "(half-life after a treatment stop).  Calls are linked to draws by sample name.\n\n");
    vw_cmd_track_help(fp);
    fprintf(fp,
            VW_OPT_TRACK_CNV_HELP
            "Output:\n"
            "      --output-prefix STR  writes STR.vafwatch.track.tsv (per patient x target) and\n"
            "                           STR.vafwatch.series.tsv (per draw) [required]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "Rules, statuses and columns are described in docs/tracking.md.\n\n");
}

static int w_track(FILE *fp, const void *o) { return vw_track_write_tsv(fp, o); }
static int w_series(FILE *fp, const void *o) { return vw_track_write_series(fp, o); }

int main_track(int argc, char *argv[])
{
    static const struct option lopts[] = {
        VW_OPT_TRACK_LONG,
        {"cnv", required_argument, NULL, VW_OPT_TRACK_CNV},
        {"output-prefix", required_argument, NULL, VW_OPT_OUTPUT_PREFIX},
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_track_opt_t opt;
    vw_track_opt_init(&opt);
    const char *sheet = NULL, *events = NULL, *prefix = NULL;
    int c, ex, ret = VW_EXIT_DATA;
    vw_timeline_t *tl = NULL;
    vw_track_t *tr = NULL;
    char *p1 = NULL, *p2 = NULL;
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
        if (c == VW_OPT_OUTPUT_PREFIX) {
            prefix = optarg;
            continue;
        }
        if (c == VW_OPT_TRACK_CNV) {
            cnv[n_cnv++] = optarg;
            continue;
        }
        usage(stderr);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (!sheet || !events || !prefix || optind >= argc) {
        vw_error("needs --sheet, --events, --output-prefix and at least one calls table");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    vw_info("CMD: %s", vw_cmd_line());
    if (vw_cmd_track_load(sheet, events, argv + optind, argc - optind, cnv, n_cnv, &opt, &tl, &tr) < 0)
        goto out;
    p1 = vw_cmd_prefixed(prefix, "track.tsv");
    p2 = vw_cmd_prefixed(prefix, "series.tsv");
    if (!p1 || !p2) {
        vw_error_code(-ENOMEM, "output names");
        goto out;
    }
    const char *outs[2] = {p1, p2};
    if (vw_cmd_track_clash(sheet, events, argv + optind, argc - optind, cnv, n_cnv, outs, 2, NULL)) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    int (*const ws[2])(FILE *, const void *) = {w_track, w_series};
    const void *const objs[2] = {tr, tr};
    if (vw_write_set(outs, ws, objs, 2) < 0)
        goto out;
    ret = VW_EXIT_OK;
out:
    free(cnv);
    free(p1);
    free(p2);
    vw_track_destroy(tr);
    vw_timeline_destroy(tl);
    return ret;
}
