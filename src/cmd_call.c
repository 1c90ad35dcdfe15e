/* cmd_call.c -- vafwatch call: per sample x target, is a mutant clone
 * present above the background? */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vw_config.h"
#include "vafwatch/call.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "vafwatch/therapy.h"
#include "cmd.h"
#include "vafwatch/pipeline.h"

enum { OPT_FLANK = VW_OPT_CMD_FIRST, OPT_NO_SELF, OPT_CFDNA, OPT_SHEET, OPT_THERAPY, OPT_THERAPY_MAP, OPT_CLASS };

static void usage(FILE *fp)
{
    vw_count_opt_t d;
    vw_call_opt_t co;
    vw_count_opt_init(&d);
    vw_call_opt_init(&co);
    char *fl = bam_flag2str((int)d.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch call [options] --output-prefix STR <in.bam|in.cram|in.vcf[.gz]|counts.tsv> [...]\n\n"
            "Decides for every sample x target whether mutant fragments exceed the background:\n"
            "one-sided p = P(X >= alt) under a beta-binomial (panel of normals, --model) or binomial\n"
            "(the sample's own error rate of the same substitution class around the targets, or the\n"
            "floor) background, adjusted across the targets of the sample; VAF with a 95 %% interval,\n"
            "LoD95 at this depth, and flags. Inputs: BAM/CRAM/VCF (counted here, as by 'count') or\n"
            "evidence tables written by 'vafwatch count'.\n\n"
            "Input:\n"
            "  -m, --model FILE         background model from 'vafwatch model build'\n"
            "      --class NAME         the model's evidence class to use (molecule, molecule_f3,\n"
            "                           duplex, ...: docs/umi.md) [each sample's own]\n"
            "  -T, --targets FILE       user targets (VCF/BCF, BED with --reference, or TSV); repeatable\n"
            "      --no-builtin         only the user targets\n"
            "      --build NAME         GRCh37 or GRCh38 [told by the first file's header]\n"
            "  -f, --reference FASTA    reference (CRAM; REF checks)\n"
            VW_OPT_REGION_HELP
            "      --stream             read BAM/CRAM from start to end (no self background)\n"
            "Filtering (BAM/CRAM, as in 'count'):\n"
            VW_OPT_FILTER_HELP /* (three arguments: min MQ, min BQ, the flags) */
            VW_OPT_MOLECULE_HELP
            "Calling:\n"
            "  -a, --call-alpha FLOAT   detected when the adjusted p < FLOAT [%g]\n"
            "      --adjust METHOD      holm (family-wise), bh (false discovery rate) or none [holm]\n"
            "      --ci METHOD          95%% VAF interval: cp (Clopper-Pearson) or wilson [cp]\n"
            "      --min-depth INT      flag low_depth below INT fragments [%ld]\n"
            "      --bg-floor FLOAT     background without model or self estimate, and the lowest\n"
            "                           self estimate, per substitution [%g]\n"
            "      --flank INT          self background: bp each side of each target [" VW_CMD_FLANK_STR "]\n"
            "                           (evidence tables carry the one 'count' measured)\n"
            "      --no-self            no self background: the floor where the model has no site\n"
            "      --veto FLAGS         flags that turn a detection into 'no', adding the flag\n"
            "                           'filtered' (the flags name the reason); 'none' for none\n"
            "                           [strand_bias,low_alt_bq]\n"
            "      --known [SAMPLE=]ID  a clone known in the patient (tumour-informed, pre-existing):\n"
            "                           tested on its own at --call-alpha, outside the Holm/BH family of\n"
            "                           the other targets; without SAMPLE= in every sample; repeatable\n"
            "      --cfdna SAMPLE=NG    cfDNA ng per mL plasma of SAMPLE (copies/mL); repeatable\n"
            "      --therapy NAME       the therapy (a drug or class of the therapy map) of every sample:\n"
            "                           90 %% of --call-alpha goes to the targets relevant to it, 10 %%\n"
            "                           to the others (weighted Holm/BH); repeatable [with --events:\n"
            "                           each patient's treatment_start drugs]\n"
            "      --therapy-map FILE   therapy-relevance map (class, kind, value) instead of the\n"
            "                           built-in one (docs/calling.md)\n"
            "Tumour-informed (docs/calling.md):\n"
            "      --sheet FILE         cohort sheet: each patient's own targets (its 'targets' column,\n"
            "                           counted into the inputs with -T) are called in its samples only,\n"
            "                           each on its own, and PREFIX.vafwatch.patient.tsv is written\n"
            "  -e, --events FILE        clinical events, for the patient-level series (with --sheet)\n"
            "Output:\n"
            "      --output-prefix STR  writes STR.vafwatch.calls.tsv and STR.vafwatch.calls.vcf.gz\n"
            "                           (+ .tbi), with --sheet STR.vafwatch.patient.tsv [required]\n"
            "      --json FILE          also write the calls as JSON to FILE (with --sheet also\n"
            "                           STR.vafwatch.patient.json)\n"
            "  -@, --threads INT        BGZF decompression threads (-t is the same) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "A progress line is shown when standard error is a terminal (not with --quiet).\n"
            "Columns, defaults and formulas are described in docs/calling.md.\n\n",
            d.min_mq, d.min_bq, fl ? fl : "", co.alpha, co.min_depth, co.bg_floor);
    free(fl);
}

typedef struct { char *sample; double ng; } cfdna_t;

/* Options and state of one 'vafwatch call'. */
typedef struct {
    vw_count_opt_t opt;
    vw_call_opt_t co;
    vw_target_opt_t to;
    const char *out, *model_path, *sheet, *events, *json;
    cfdna_t *cf;
    int n_cf;
    long flank;
    int flank_given, no_self;
    char **files;
    int n_files;
    vw_evidence_t ev;
    vw_model_t *model;
    vw_calls_t *calls;
    vw_bg_t *bg;
    vw_timeline_t *tl;
    vw_run_patients_t rp;
    vw_patient_rows_t *prows;
    const char *therapy_arg[VW_CALL_MAX_THERAPY], *therapy_map_path;
    int n_therapy_arg, n_unknown_drug;
    vw_therapy_map_t *tmap;
} call_t;

/* One option of call's own; returns -1 to go on or an exit code. */
static int call_opt(call_t *C, int c, char *arg)
{
    double dv;
    int nt = 1;
    switch (c) {
    case 'm': C->model_path = arg; break;
    case 'a':
        if (vw_parse_double(arg, &C->co.alpha) || !(C->co.alpha > 0 && C->co.alpha < 1)) {
            vw_error("--call-alpha takes a number in (0, 1), not '%s'", arg);
            return VW_EXIT_USAGE;
        }
        break;
    case OPT_FLANK:
        if (vw_cmd_flank_arg(arg, &C->flank) < 0)
            return VW_EXIT_USAGE;
        C->flank_given = 1;
        break;
    case OPT_NO_SELF: C->no_self = 1; break;
    case OPT_CFDNA: {
        char *eq = strrchr(arg, '=');
        if (!eq || eq == arg || vw_parse_double(eq + 1, &dv) || !(dv > 0)) {
            vw_error("--cfdna takes SAMPLE=NG_PER_ML with NG_PER_ML > 0, not '%s'", arg);
            return VW_EXIT_USAGE;
        }
        *eq = '\0';
        C->cf[C->n_cf].sample = arg;
        C->cf[C->n_cf++].ng = dv;
        break;
    }
    case VW_OPT_OUTPUT_PREFIX: C->out = arg; break;
    case VW_OPT_JSON:
        if (vw_cmd_file_arg("--json", arg) < 0)
            return VW_EXIT_USAGE;
        C->json = arg;
        break;
    case OPT_SHEET: C->sheet = arg; break;
    case OPT_THERAPY:
        if (C->n_therapy_arg == VW_CALL_MAX_THERAPY) {
            vw_error("--therapy: at most %d", VW_CALL_MAX_THERAPY);
            return VW_EXIT_USAGE;
        }
        C->therapy_arg[C->n_therapy_arg++] = arg;
        break;
    case OPT_THERAPY_MAP: C->therapy_map_path = arg; break;
    case OPT_CLASS:
        if (vw_cmd_class_arg(arg, &C->co.ev_class) < 0)
            return VW_EXIT_USAGE;
        break;
    case 'e': C->events = arg; break;
    case 't':
    case '@':
        if (vw_cmd_threads_arg(arg, &nt) < 0)
            return VW_EXIT_USAGE;
        C->opt.threads = nt > 1 ? nt : 0;
        break;
    default: usage(stderr); return VW_EXIT_USAGE;
    }
    return -1;
}

/* Parses the command line; returns -1 to go on or an exit code. */
static int call_parse(call_t *C, int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"call-alpha", required_argument, NULL, 'a'},
        {"flank", required_argument, NULL, OPT_FLANK},
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {"cfdna", required_argument, NULL, OPT_CFDNA},
        {"output-prefix", required_argument, NULL, VW_OPT_OUTPUT_PREFIX},
        {"json", required_argument, NULL, VW_OPT_JSON},
        {"sheet", required_argument, NULL, OPT_SHEET},
        {"therapy", required_argument, NULL, OPT_THERAPY},
        {"therapy-map", required_argument, NULL, OPT_THERAPY_MAP},
        {"class", required_argument, NULL, OPT_CLASS},
        {"events", required_argument, NULL, 'e'},
        VW_OPT_THREADS_LONG,
        VW_OPT_COUNT_LONG,
        VW_OPT_REGION_LONG,
        VW_OPT_CALL_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    int c, ex;
    while ((c = getopt_long(argc, argv, "m:T:f:r:R:q:Q:a:t:@:e:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &C->to, &C->opt, &ex)
            || vw_cmd_call_opt(c, optarg, &C->co, &ex)) {
            if (ex >= 0)
                return ex;
            continue;
        }
        if ((ex = call_opt(C, c, optarg)) >= 0)
            return ex;
    }
    C->files = argv + optind;
    C->n_files = argc - optind;
    if (!C->out || !*C->out || !strcmp(C->out, "-")) {
        vw_error("give an output prefix with --output-prefix");
        return VW_EXIT_USAGE;
    }
    if (C->n_files < 1) {
        usage(stderr);
        return VW_EXIT_USAGE;
    }
    if (C->events && !C->sheet) {
        vw_error("--events needs --sheet");
        return VW_EXIT_USAGE;
    }
    if (!C->sheet && vw_cmd_need_targets(&C->to) < 0)
        return VW_EXIT_USAGE;
    return -1;
}

/* 1 (after logging) when an output would replace an input. */
static int call_clash(const call_t *C)
{
    static const char *const kinds[6] = {"calls.tsv", "calls.json", "calls.vcf.gz", "calls.vcf.gz.tbi",
                                         "patient.tsv", "patient.json"};
    kstring_t on[6] = {{0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}};
    const char *outs[6];
    const char *extra[4] = {C->model_path, C->to.reference, C->sheet, C->events};
    for (int k = 0; k < 6; k++) {
        if (k == 1 && C->json)
            kputs(C->json, &on[k]);
        else
            ksprintf(&on[k], "%s.vafwatch.%s", C->out, kinds[k]);
        outs[k] = on[k].s;
    }
    int clash = vw_outputs_clash(outs, 6, (const char *const *)C->files, C->n_files)
                || vw_outputs_clash(outs, 6, C->to.targets, C->to.n_targets)
                || vw_outputs_clash(outs, 6, extra, 4);
    for (int k = 0; k < 6; k++)
        free(on[k].s);
    return clash;
}

/* Refuses a model of several evidence classes without the class of a
 * sample (or of --class); warns about samples whose evidence class is not
 * that of a one-class model (docs/umi.md).  Returns 0 or -1 (logged). */
static int call_check_class(const call_t *C)
{
    for (int j = 0; j < C->ev.n; j++)
        if (vw_evclass_check_sample(C->model, C->model_path, C->co.ev_class, C->ev.s[j]) < 0)
            return -1;
    return 0;
}

/* The therapy map (when a therapy can be known: --therapy or --events)
 * and the check of the --therapy names.  Logs; returns 0, -1 (data) or
 * VW_EXIT_USAGE. */
static int call_therapy_load(call_t *C)
{
    if (C->n_therapy_arg == 0 && !C->events)
        return 0;
    if (C->therapy_map_path ? vw_therapy_map_read(C->therapy_map_path, &C->tmap) < 0
                            : !(C->tmap = vw_therapy_map_builtin()))
        return -1;
    for (int k = 0; k < C->n_therapy_arg; k++)
        if (!vw_therapy_class(C->tmap, C->therapy_arg[k])) {
            vw_error("--therapy: '%s' is neither a class nor a drug of the therapy map%s%s", C->therapy_arg[k],
                     C->therapy_map_path ? " " : " (built-in; docs/calling.md)",
                     C->therapy_map_path ? C->therapy_map_path : "");
            return VW_EXIT_USAGE;
        }
    C->co.therapy_map = C->tmap;
    return 0;
}

/* The classes of one sample's therapy into C->co: --therapy, else the
 * drugs of its patient's treatment_start events (therapy.h; drugs the map
 * does not know are counted for one warning). */
static void call_therapy(call_t *C, const char *sample)
{
    vw_call_opt_t *co = &C->co;
    const vw_patient_t *pat = NULL;
    if (C->tl && !vw_timeline_find_sample(C->tl, sample, &pat))
        pat = NULL;
    co->n_therapy = vw_therapy_sample_classes(C->tmap, C->therapy_arg, C->n_therapy_arg, pat, co->therapy,
                                              VW_CALL_MAX_THERAPY, &C->n_unknown_drug);
}

/* The model, the evidence and the sheet.  Logs; returns 0 or -1. */
static int call_load(call_t *C)
{
    if (C->model_path && (!(C->model = vw_model_init()) || vw_model_read_tsv(C->model, C->model_path) < 0))
        return -1;
    if (!C->no_self)
        C->opt.self_flank = (int)C->flank; /* BAM/CRAM inputs: measured in the counting pass */
    if (vw_evidence_load(&C->to, &C->opt, C->files, C->n_files, &C->ev) < 0)
        return -1;
    if (C->model && vw_model_check(C->model, C->ev.ts, C->model_path) < 0)
        return -1;
    /* the catalogue's therapy contexts, which a counts table does not carry (the map's context rules) */
    if (C->tmap && vw_therapy_fill_context(C->ev.ts) < 0) {
        vw_error_code(-ENOMEM, "therapy contexts");
        return -1;
    }
    if (C->sheet) {
        int rs = vw_timeline_read_sheet(C->sheet, VW_TIMELINE_NO_FILE_CHECK, &C->tl);
        if (rs == 0 && C->events)
            rs = vw_timeline_read_events(C->tl, C->events);
        if (rs < 0) {
            if (rs == -EINVAL || rs == -ENOMEM)
                vw_error_code(rs, "reading '%s'", C->events ? C->events : C->sheet);
            return -1;
        }
        if (vw_run_patients_mark(C->tl, &C->to, C->ev.ts, &C->rp) < 0 || !(C->prows = vw_patient_rows_init()))
            return -1;
    }
    for (int k = 0; k < C->n_cf; k++) {
        int found = 0;
        for (int j = 0; j < C->ev.n && !found; j++)
            found = !strcmp(C->ev.s[j]->sample, C->cf[k].sample);
        if (!found) {
            vw_error("--cfdna: no sample named '%s' in the inputs", C->cf[k].sample);
            return -1;
        }
    }
    if (C->model_path && call_check_class(C) < 0)
        return -1;
    return 0;
}

/* Calls sample j (its self background measured here when needed). */
static int call_sample(call_t *C, int j, int *n_model, int *n_default)
{
    double ng = 0;
    long flank = C->flank;
    for (int k = 0; k < C->n_cf; k++)
        if (!strcmp(C->cf[k].sample, C->ev.s[j]->sample))
            ng = C->cf[k].ng;
    vw_sample_counts_t *s = C->ev.s[j];
    /* (never in molecules: a read-level rate would overstate their background, docs/umi.md) */
    if (C->ev.is_bam[j] && !C->no_self && !(s->have_self && s->self_flank == flank) && s->unit != VW_UNIT_MOLECULE) {
        if (vw_count_self_bg(s->path, C->ev.ts, &C->opt, (int)flank, &s->self) < 0)
            return -1;
        s->have_self = 1;
        s->self_flank = (int)flank;
    } else if (s->have_self && C->flank_given && s->self_flank != flank) {
        vw_warn("%s: the self background of the evidence table was measured with --flank %d, not %ld",
                s->sample, s->self_flank, flank);
    }
    call_therapy(C, s->sample);
    const vw_selfbg_t *sb = s->have_self && !C->no_self ? &s->self : NULL;
    if (sb)
        vw_info("%s: self background from %lld positions", s->sample, (long long)s->self.n_pos);
    if (!C->rp.any)
        return vw_call_one_sample(&C->co, C->model, C->ev.ts, s, sb, ng, C->bg, C->calls, n_model, n_default);
    /* as in run: the patient's own targets in its samples only */
    const vw_patient_t *pat = NULL;
    const vw_sample_t *smp = vw_timeline_find_sample(C->tl, s->sample, &pat);
    int pi = pat ? (int)(pat - C->tl->patients) : -1, n_before = C->calls->n;
    vw_run_view_t vv;
    if (!smp)
        vw_warn("%s: sample not in the cohort sheet %s: no patient targets", s->sample, C->sheet);
    int rv = vw_run_view(&C->rp, pi, C->ev.ts, s, &vv);
    if (rv == 0)
        rv = vw_call_one_sample(&C->co, C->model, &vv.ts, &vv.s, sb, ng, C->bg, C->calls, n_model, n_default);
    if (rv == 0 && pat && pat->targets && smp->type == VW_SAMPLE_PLASMA) {
        vw_patient_opt_t po;
        vw_patient_opt_init(&po);
        po.alpha = C->co.alpha;
        rv = vw_run_patient_row(&po, pat, smp, &vv, C->bg, C->model, sb, &C->calls->c[n_before], C->prows);
    }
    vw_run_view_free(&vv);
    return rv;
}

/* Calls every sample.  Logs; returns 0 or -1. */
static int call_all(call_t *C)
{
    const vw_evidence_t *ev = &C->ev;
    if (!(C->calls = vw_calls_init()) || !(C->bg = calloc((size_t)ev->ts->n + 1, sizeof(*C->bg))))
        return -1;
    int n_model = 0, n_default = 0;
    vw_progress_t prog;
    vw_progress_init(&prog, "call", "called", "samples", ev->n);
    for (int j = 0; j < ev->n; j++) {
        if (call_sample(C, j, &n_model, &n_default) < 0)
            return -1;
        vw_progress_step(&prog, ev->is_bam[j] ? ev->s[j]->n_reads : 0);
    }
    vw_progress_end(&prog);
    if (C->n_unknown_drug > 0)
        vw_warn("%d treatment_start drug(s) of %s are not in the therapy map: those samples' discovery is "
                "not restricted by them", C->n_unknown_drug, C->events);
    n_model /= ev->n > 0 ? ev->n : 1;
    if (C->model && n_model < ev->ts->n)
        vw_warn("%s: %d of %d targets have no site in the model (self or default background used)", C->model_path,
                ev->ts->n - n_model, ev->ts->n);
    if (n_default > 0)
        vw_warn("%d sample x target test(s) used the default background %g (docs/calling.md)", n_default,
                C->co.bg_floor);
    return 0;
}

/* The calls table with its '#evidence_class' lines, to the open 'of'. */
static int call_write_tsv(const call_t *C, vw_ofile_t *of, const char *path)
{
    int r;
    if ((r = vw_ofile_open(of, path)) < 0) {
        vw_error_code(r, "%s: cannot write", path);
        return -1;
    }
    if ((r = vw_calls_write_tsv(of->fp, C->calls)) < 0) {
        vw_error_code(r == -EIO ? vw_stream_error(of->fp) : r, "%s: write failed", path);
        return -1;
    }
    /* which evidence class each sample's calls rest on, where it is not fragments (docs/formats.md) */
    for (int j = 0; j < C->ev.n; j++)
        if (C->ev.s[j]->unit == VW_UNIT_MOLECULE) {
            vw_count_opt_t so;
            char cls[64];
            vw_count_opt_init(&so);
            so.unit = VW_UNIT_MOLECULE;
            so.min_family = C->ev.s[j]->min_family;
            so.duplex_only = C->ev.s[j]->duplex_only;
            fprintf(of->fp, "#evidence_class\t%s\t%s\n", C->ev.s[j]->sample, vw_count_class(&so, cls, sizeof cls));
        }
    return 0;
}

/* The patient-level rows in the order of run (patients in sheet order,
 * draws by date) and their series.  Logs; returns 0 or -1. */
static int call_patient_rows(call_t *C)
{
    const vw_timeline_t *tl = C->tl;
    vw_patient_rows_t *sorted = vw_patient_rows_init();
    if (!sorted)
        return -1;
    for (size_t p = 0; p < tl->n_patients; p++)
        for (size_t k = 0; k < tl->patients[p].n_samples; k++)
            for (int i = 0; i < C->prows->n; i++)
                if (!strcmp(C->prows->r[i].sample, tl->patients[p].samples[k].sample)
                    && vw_patient_rows_push(sorted, &C->prows->r[i]) < 0) {
                    vw_patient_rows_destroy(sorted);
                    return -1;
                }
    vw_patient_rows_destroy(C->prows);
    C->prows = sorted;
    return vw_patient_series(C->prows, tl, 0.5) < 0 ? -1 : 0;
}

/* Writes every output, all complete before any is put in place (the VCF,
 * which its writer renames into place, once the others are complete).
 * Logs; returns 0 or -1 (nothing left behind). */
static int call_write(call_t *C)
{
    vw_ofile_t of = {0}, oj = {0}, op = {0}, opj = {0};
    kstring_t fn = {0, 0, NULL};
    int r = 0, ok = 0;
    const int json = C->json != NULL, pat = C->rp.any;
    ksprintf(&fn, "%s.vafwatch.calls.tsv", C->out);
    if (call_write_tsv(C, &of, fn.s) < 0)
        goto out;
    if (json && ((r = vw_ofile_open(&oj, C->json)) < 0 || (r = vw_calls_write_json(oj.fp, C->calls, vw_cmd_line())) < 0)) {
        vw_error_code(r == -EIO && oj.fp ? vw_stream_error(oj.fp) : r, "%s: %s", C->json,
                      oj.fp ? "write failed" : "cannot write");
        goto out;
    }
    if (pat) {
        if (call_patient_rows(C) < 0)
            goto out;
        fn.l = 0;
        ksprintf(&fn, "%s.vafwatch.patient.tsv", C->out);
        if ((r = vw_ofile_open(&op, fn.s)) < 0 || (r = vw_patient_write_tsv(op.fp, C->prows)) < 0) {
            vw_error_code(r, "%s: cannot write", fn.s);
            goto out;
        }
        fn.l = 0;
        ksprintf(&fn, "%s.vafwatch.patient.json", C->out);
        if (json && ((r = vw_ofile_open(&opj, fn.s)) < 0 || (r = vw_patient_write_json(opj.fp, C->prows, vw_cmd_line())) < 0)) {
            vw_error_code(r, "%s: cannot write", fn.s);
            goto out;
        }
    }
    /* the VCF (and its index) is put in place by its writer: last, when every other output is
     * complete and flushed, so that a failure before leaves nothing behind */
    vw_ofile_t *all[4] = {&of, &oj, &op, &opj};
    for (int k = 0; k < 4; k++) {
        errno = 0;
        if (all[k]->fp && all[k]->fp != stdout && (fflush(all[k]->fp) != 0 || ferror(all[k]->fp))) {
            vw_error_code(errno ? -errno : -EIO, "%s: write failed", all[k]->path);
            goto out;
        }
    }
    fn.l = 0;
    ksprintf(&fn, "%s.vafwatch.calls.vcf.gz", C->out);
    vw_calls_vcf_opt_t vo = {VW_VERSION_LONG, vw_cmd_line(),
                             C->ev.ts->build != VW_BUILD_UNKNOWN ? C->ev.ts->build
                             : C->to.build                       ? vw_build_parse(C->to.build) : 0,
                             C->to.reference};
    if (vw_calls_write_vcf_opt(C->calls, fn.s, &vo) < 0)
        goto out;
    if ((pat && (r = vw_ofile_commit(&op)) < 0) || (pat && json && (r = vw_ofile_commit(&opj)) < 0)
        || (json && (r = vw_ofile_commit(&oj)) < 0) || (r = vw_ofile_commit(&of)) < 0) {
        vw_error_code(r, "%s: write failed", C->out);
        goto out;
    }
    ok = 1;
out:
    if (!ok) {
        vw_ofile_abort(&of);
        vw_ofile_abort(&oj);
        vw_ofile_abort(&op);
        vw_ofile_abort(&opj);
    }
    free(fn.s);
    return ok ? 0 : -1;
}

int main_call(int argc, char *argv[])
{
    call_t C;
    memset(&C, 0, sizeof(C));
    vw_count_opt_init(&C.opt);
    vw_call_opt_init(&C.co);
    C.flank = VW_CMD_FLANK;
    int ret = VW_EXIT_DATA;
    C.cf = calloc((size_t)argc + 1, sizeof(cfdna_t));
    C.to.targets = calloc((size_t)argc + 1, sizeof(char *));
    C.to.regions = calloc((size_t)argc + 1, sizeof(char *));
    if (C.to.targets && C.to.regions && C.cf) {
        int ex = call_parse(&C, argc, argv);
        if (ex >= 0)
            ret = ex;
        else if (call_clash(&C))
            ret = VW_EXIT_USAGE;
        else if ((ex = call_therapy_load(&C)) != 0)
            ret = ex > 0 ? ex : VW_EXIT_DATA;
        else if (call_load(&C) == 0 && call_all(&C) == 0 && call_write(&C) == 0) {
            int n_det = 0;
            for (int i = 0; i < C.calls->n; i++)
                n_det += C.calls->c[i].detected > 0;
            vw_info("%d sample(s) x %d target(s): %d detected", C.ev.n, C.ev.ts->n, n_det);
            ret = VW_EXIT_OK;
        }
    }
    vw_run_patients_free(&C.rp);
    vw_patient_rows_destroy(C.prows);
    vw_timeline_destroy(C.tl);
    free(C.bg);
    vw_calls_destroy(C.calls);
    vw_model_destroy(C.model);
    vw_therapy_map_destroy(C.tmap);
    vw_evidence_free(&C.ev);
    free(C.cf);
    free(C.to.targets);
    free(C.to.regions);
    return ret;
}
