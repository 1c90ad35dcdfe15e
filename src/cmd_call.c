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
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "cmd.h"

enum { OPT_FLANK = VW_OPT_CMD_FIRST, OPT_NO_SELF, OPT_CFDNA, OPT_SHEET };

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
            "  -T, --targets FILE       user targets (VCF/BCF, BED with --reference, or TSV); repeatable\n"
            "      --no-builtin         only the user targets\n"
            "      --build NAME         GRCh37 or GRCh38 [told by the first file's header]\n"
            "  -f, --reference FASTA    reference (CRAM; REF checks)\n"
            VW_OPT_REGION_HELP
            "      --stream             read BAM/CRAM from start to end (no self background)\n"
            "Filtering (BAM/CRAM, as in 'count'):\n"
            "  -q, --min-MQ INT         skip reads with mapping quality < INT [%d]\n"
            "  -Q, --min-BQ INT         skip SNV/MNV bases with base quality < INT [%d]\n"
            "      --excl-flags FLAGS   skip reads with any of these flags [%s]\n"
            "      --proper-pair        count properly paired reads only\n"
            "      --count-unit UNIT    fragment, read or molecule [fragment]\n"
            VW_OPT_MOLECULE_HELP
            "Calling:\n"
            "  -a, --call-alpha FLOAT   detected when the adjusted p < FLOAT [%g]\n"
            "      --adjust METHOD      holm (family-wise), bh (false discovery rate) or none [holm]\n"
            "      --ci METHOD          95%% VAF interval: cp (Clopper-Pearson) or wilson [cp]\n"
            "      --min-depth INT      flag low_depth below INT fragments [%ld]\n"
            "      --bg-floor FLOAT     background without model or self estimate, and the lowest\n"
            "                           self estimate, per substitution [%g]\n"
            "      --flank INT          self background: bp each side of each target [50]\n"
            "                           (evidence tables carry the one 'count' measured)\n"
            "      --no-self            no self background: the floor where the model has no site\n"
            "      --veto FLAGS         flags that turn a detection into 'no', adding the flag\n"
            "                           'filtered' (the flags name the reason); 'none' for none\n"
            "                           [strand_bias,low_alt_bq]\n"
            "      --known [SAMPLE=]ID  a clone known in the patient (tumour-informed, pre-existing):\n"
            "                           tested on its own at --call-alpha, outside the Holm/BH family of\n"
            "                           the other targets; without SAMPLE= in every sample; repeatable\n"
            "      --cfdna SAMPLE=NG    cfDNA ng per mL plasma of SAMPLE (copies/mL); repeatable\n"
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

/* The evidence class a model file was built from: its '##options=' line
 * (count_unit, min_family, duplex_only), written to buf. */
static const char *model_class(const char *path, char *buf, size_t n)
{
    vw_count_opt_t o;
    vw_count_opt_init(&o);
    FILE *fp = fopen(path, "r");
    char line[4096];
    while (fp && fgets(line, sizeof line, fp) && line[0] == '#') {
        if (strncmp(line, "##options=", 10) != 0)
            continue;
        const char *u = strstr(line, "count_unit="), *m = strstr(line, "min_family="), *d = strstr(line, "duplex_only=");
        if (u && !strncmp(u + 11, "molecule", 8))
            o.unit = VW_UNIT_MOLECULE;
        else if (u && !strncmp(u + 11, "read", 4))
            o.unit = VW_UNIT_READ;
        if (m)
            o.min_family = atoi(m + 11);
        if (d)
            o.duplex_only = atoi(d + 12) != 0;
    }
    if (fp)
        fclose(fp);
    return vw_count_class(&o, buf, n);
}

int main_call(int argc, char *argv[])
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
        {"events", required_argument, NULL, 'e'},
        VW_OPT_THREADS_LONG,
        VW_OPT_COUNT_LONG,
        VW_OPT_REGION_LONG,
        VW_OPT_CALL_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_count_opt_t opt;
    vw_call_opt_t co;
    vw_count_opt_init(&opt);
    vw_call_opt_init(&co);
    vw_target_opt_t to = {0};
    vw_evidence_t ev = {0};
    vw_model_t *model = NULL;
    vw_calls_t *calls = NULL;
    vw_bg_t *bg = NULL;
    vw_ofile_t of = {0}, oj = {0};
    kstring_t fn = {0, 0, NULL};
    const char *out = NULL, *model_path = NULL, *sheet = NULL, *events = NULL, *json = NULL;
    vw_timeline_t *tl = NULL;
    vw_run_patients_t rp;
    vw_patient_rows_t *prows = NULL;
    vw_ofile_t op = {0}, opj = {0};
    memset(&rp, 0, sizeof(rp));
    int ret = VW_EXIT_DATA, c, ex, no_self = 0, n_cf = 0, flank_given = 0;
    long flank = 50;
    int nt = 1;
    double dv;
    cfdna_t *cf = calloc((size_t)argc + 1, sizeof(cfdna_t));
    to.targets = calloc((size_t)argc + 1, sizeof(char *));
    to.regions = calloc((size_t)argc + 1, sizeof(char *));
    if (!to.targets || !to.regions || !cf) {
        free(cf);
        free(to.targets);
        free(to.regions);
        return VW_EXIT_DATA;
    }
    while ((c = getopt_long(argc, argv, "m:T:f:r:R:q:Q:a:t:@:e:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &opt, &ex) || vw_cmd_call_opt(c, optarg, &co, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case 'm': model_path = optarg; break;
        case 'a':
            if (vw_parse_double(optarg, &co.alpha) || !(co.alpha > 0 && co.alpha < 1)) {
                vw_error("--call-alpha takes a number in (0, 1), not '%s'", optarg);
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_FLANK:
            if (vw_cmd_long_arg("--flank", optarg, 1, 100000, &flank) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            flank_given = 1;
            break;
        case OPT_NO_SELF: no_self = 1; break;
        case OPT_CFDNA: {
            char *eq = strrchr(optarg, '=');
            if (!eq || eq == optarg || vw_parse_double(eq + 1, &dv) || !(dv > 0)) {
                vw_error("--cfdna takes SAMPLE=NG_PER_ML with NG_PER_ML > 0, not '%s'", optarg);
                ret = VW_EXIT_USAGE;
                goto out;
            }
            *eq = '\0';
            cf[n_cf].sample = optarg;
            cf[n_cf++].ng = dv;
            break;
        }
        case VW_OPT_OUTPUT_PREFIX: out = optarg; break;
        case VW_OPT_JSON: json = optarg; break;
        case OPT_SHEET: sheet = optarg; break;
        case 'e': events = optarg; break;
        case 't':
        case '@':
            if (vw_cmd_threads_arg(optarg, &nt) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            opt.threads = nt > 1 ? nt : 0;
            break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    if (!out || !*out || !strcmp(out, "-")) {
        vw_error("give an output prefix with --output-prefix");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (argc - optind < 1) {
        usage(stderr);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (events && !sheet) {
        vw_error("--events needs --sheet");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (to.no_builtin && to.n_targets == 0 && !sheet) {
        vw_error("--no-builtin needs --targets");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    {
        static const char *const kinds[6] = {"calls.tsv", "calls.json", "calls.vcf.gz", "calls.vcf.gz.tbi",
                                             "patient.tsv", "patient.json"};
        kstring_t on[6] = {{0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}, {0, 0, NULL}};
        const char *outs[6];
        const char *extra[4] = {model_path, to.reference, sheet, events};
        int clash = 0;
        for (int k = 0; k < 6; k++) {
            if (k == 1 && json)
                kputs(json, &on[k]);
            else
                ksprintf(&on[k], "%s.vafwatch.%s", out, kinds[k]);
            outs[k] = on[k].s;
        }
        clash = vw_cmd_outputs_clash(outs, 6, (const char *const *)argv + optind, argc - optind)
                || vw_cmd_outputs_clash(outs, 6, to.targets, to.n_targets) || vw_cmd_outputs_clash(outs, 6, extra, 4);
        for (int k = 0; k < 6; k++)
            free(on[k].s);
        if (clash) {
            ret = VW_EXIT_USAGE;
            goto out;
        }
    }
    if (model_path) {
        if (!(model = vw_model_init()) || vw_model_read_tsv(model, model_path) < 0)
            goto out;
    }
    if (!no_self)
        opt.self_flank = (int)flank; /* BAM/CRAM inputs: measured in the counting pass */
    if (vw_cmd_evidence(&to, &opt, argv + optind, argc - optind, &ev) < 0)
        goto out;
    if (model && vw_model_check(model, ev.ts, model_path) < 0)
        goto out;
    if (sheet) {
        int rs = vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl);
        if (rs == 0 && events)
            rs = vw_timeline_read_events(tl, events);
        if (rs < 0) {
            if (rs == -EINVAL || rs == -ENOMEM)
                vw_error_code(rs, "reading '%s'", events ? events : sheet);
            goto out;
        }
        if (vw_run_patients_mark(tl, &to, ev.ts, &rp) < 0 || !(prows = vw_patient_rows_init()))
            goto out;
    }
    for (int k = 0; k < n_cf; k++) {
        int found = 0;
        for (int j = 0; j < ev.n && !found; j++)
            found = !strcmp(ev.s[j]->sample, cf[k].sample);
        if (!found) {
            vw_error("--cfdna: no sample named '%s' in the inputs", cf[k].sample);
            goto out;
        }
    }
    if (model_path) {
        /* a background applies to the evidence class it was measured in (docs/umi.md) */
        char mc[64], sc[64];
        model_class(model_path, mc, sizeof mc);
        for (int j = 0; j < ev.n; j++) {
            vw_count_opt_t so;
            vw_count_opt_init(&so);
            so.unit = ev.s[j]->unit;
            so.min_family = ev.s[j]->min_family;
            so.duplex_only = ev.s[j]->duplex_only;
            vw_count_class(&so, sc, sizeof sc);
            int mol = so.unit == VW_UNIT_MOLECULE || (strncmp(mc, "fragment", 8) && strncmp(mc, "read", 4));
            if (mol && strcmp(mc, sc) != 0)
                vw_warn("sample %s holds %s counts but the model %s was built from %s counts: its "
                        "background does not match the evidence (docs/umi.md)", ev.s[j]->sample, sc,
                        model_path, mc);
        }
    }
    if (!(calls = vw_calls_init()) || !(bg = calloc((size_t)ev.ts->n + 1, sizeof(*bg))))
        goto out;
    int n_model = 0, n_default = 0;
    vw_progress_t prog;
    vw_progress_init(&prog, "call", "called", "samples", ev.n);
    for (int j = 0; j < ev.n; j++) {
        double ng = 0;
        for (int k = 0; k < n_cf; k++)
            if (!strcmp(cf[k].sample, ev.s[j]->sample))
                ng = cf[k].ng;
        vw_sample_counts_t *s = ev.s[j];
        /* (never in molecules: a read-level rate would overstate their background, docs/umi.md) */
        if (ev.is_bam[j] && !no_self && !(s->have_self && s->self_flank == flank) && s->unit != VW_UNIT_MOLECULE) {
            if (vw_count_self_bg(s->path, ev.ts, &opt, (int)flank, &s->self) < 0)
                goto out;
            s->have_self = 1;
            s->self_flank = (int)flank;
        } else if (s->have_self && flank_given && s->self_flank != flank) {
            vw_warn("%s: the self background of the evidence table was measured with --flank %d, not %ld",
                    s->sample, s->self_flank, flank);
        }
        int use_self = s->have_self && !no_self;
        if (use_self)
            vw_info("%s: self background from %lld positions", s->sample, (long long)s->self.n_pos);
        if (!rp.any) {
            if (vw_cmd_call_sample(&co, model, ev.ts, s, use_self ? &s->self : NULL, ng, bg, calls, &n_model,
                                   &n_default) < 0)
                goto out;
        } else { /* as in run: the patient's own targets in its samples only */
            const vw_patient_t *pat = NULL;
            const vw_sample_t *smp = vw_timeline_find_sample(tl, s->sample, &pat);
            int pi = pat ? (int)(pat - tl->patients) : -1, n_before = calls->n;
            vw_run_view_t vv;
            if (!smp)
                vw_warn("%s: sample not in the cohort sheet %s: no patient targets", s->sample, sheet);
            int rv = vw_run_view(&rp, pi, ev.ts, s, &vv);
            if (rv == 0)
                rv = vw_cmd_call_sample(&co, model, &vv.ts, &vv.s, use_self ? &s->self : NULL, ng, bg, calls,
                                        &n_model, &n_default);
            if (rv == 0 && pat && pat->targets && smp->type == VW_SAMPLE_PLASMA) {
                vw_patient_opt_t po;
                vw_patient_opt_init(&po);
                po.alpha = co.alpha;
                rv = vw_run_patient_row(&po, pat, smp, &vv, bg, model, use_self ? &s->self : NULL,
                                        &calls->c[n_before], prows);
            }
            vw_run_view_free(&vv);
            if (rv < 0)
                goto out;
        }
        vw_progress_step(&prog, ev.is_bam[j] ? s->n_reads : 0);
    }
    vw_progress_end(&prog);
    n_model /= ev.n > 0 ? ev.n : 1;
    if (model && n_model < ev.ts->n)
        vw_warn("%s: %d of %d targets have no site in the model (self or default background used)", model_path,
                ev.ts->n - n_model, ev.ts->n);
    if (n_default > 0)
        vw_warn("%d sample x target test(s) used the default background %g (docs/calling.md)", n_default,
                co.bg_floor);
    int r;
    ksprintf(&fn, "%s.vafwatch.calls.tsv", out);
    if ((r = vw_ofile_open(&of, fn.s)) < 0) {
        vw_error_code(r, "%s: cannot write", fn.s);
        goto out;
    }
    if ((r = vw_calls_write_tsv(calls, of.fp)) < 0) {
        vw_error_code(r == -EIO ? vw_stream_error(of.fp) : r, "%s: write failed", fn.s);
        goto out;
    }
    /* which evidence class each sample's calls rest on, where it is not fragments (docs/formats.md) */
    for (int j = 0; j < ev.n; j++)
        if (ev.s[j]->unit == VW_UNIT_MOLECULE) {
            vw_count_opt_t so;
            char cls[64];
            vw_count_opt_init(&so);
            so.unit = VW_UNIT_MOLECULE;
            so.min_family = ev.s[j]->min_family;
            so.duplex_only = ev.s[j]->duplex_only;
            fprintf(of.fp, "#evidence_class\t%s\t%s\n", ev.s[j]->sample, vw_count_class(&so, cls, sizeof cls));
        }
    if (json) {
        fn.l = 0;
        kputs(json, &fn);
        if ((r = vw_ofile_open(&oj, fn.s)) < 0) {
            vw_error_code(r, "%s: cannot write", fn.s);
            goto out;
        }
        if ((r = vw_calls_write_json(calls, oj.fp, vw_cmd_line())) < 0) {
            vw_error_code(r == -EIO ? vw_stream_error(oj.fp) : r, "%s: write failed", fn.s);
            goto out;
        }
    }
    fn.l = 0;
    ksprintf(&fn, "%s.vafwatch.calls.vcf.gz", out);
    vw_calls_vcf_opt_t vo = {VW_VERSION_LONG, vw_cmd_line(),
                             ev.ts->build != VW_BUILD_UNKNOWN ? ev.ts->build : to.build ? vw_build_parse(to.build) : 0,
                             to.reference};
    if (vw_calls_write_vcf_opt(calls, fn.s, &vo) < 0)
        goto out;
    if (rp.any) { /* in the order of run: patients in sheet order, draws by date */
        vw_patient_rows_t *sorted = vw_patient_rows_init();
        if (!sorted)
            goto out;
        for (size_t p = 0; p < tl->n_patients; p++)
            for (size_t k = 0; k < tl->patients[p].n_samples; k++)
                for (int i = 0; i < prows->n; i++)
                    if (!strcmp(prows->r[i].sample, tl->patients[p].samples[k].sample)
                        && vw_patient_rows_push(sorted, &prows->r[i]) < 0) {
                        vw_patient_rows_destroy(sorted);
                        goto out;
                    }
        vw_patient_rows_destroy(prows);
        prows = sorted;
        if ((r = vw_patient_series(prows, tl, 0.5)) < 0)
            goto out;
        fn.l = 0;
        ksprintf(&fn, "%s.vafwatch.patient.tsv", out);
        if ((r = vw_ofile_open(&op, fn.s)) < 0 || (r = vw_patient_write_tsv(prows, op.fp)) < 0) {
            vw_error_code(r, "%s: cannot write", fn.s);
            goto out;
        }
        if (json) {
            fn.l = 0;
            ksprintf(&fn, "%s.vafwatch.patient.json", out);
            if ((r = vw_ofile_open(&opj, fn.s)) < 0 || (r = vw_patient_write_json(prows, opj.fp, vw_cmd_line())) < 0) {
                vw_error_code(r, "%s: cannot write", fn.s);
                goto out;
            }
        }
    }
    if ((rp.any && (r = vw_ofile_commit(&op)) < 0) || (rp.any && json && (r = vw_ofile_commit(&opj)) < 0)
        || (json && (r = vw_ofile_commit(&oj)) < 0) || (r = vw_ofile_commit(&of)) < 0) {
        vw_error_code(r, "%s: write failed", out);
        goto out;
    }
    int n_det = 0;
    for (int i = 0; i < calls->n; i++)
        n_det += calls->c[i].detected > 0;
    vw_info("%d sample(s) x %d target(s): %d detected", ev.n, ev.ts->n, n_det);
    ret = VW_EXIT_OK;
out:
    if (ret != VW_EXIT_OK) {
        vw_ofile_abort(&of);
        vw_ofile_abort(&oj);
        vw_ofile_abort(&op);
        vw_ofile_abort(&opj);
    }
    vw_run_patients_free(&rp);
    vw_patient_rows_destroy(prows);
    vw_timeline_destroy(tl);
    free(fn.s);
    free(bg);
    vw_calls_destroy(calls);
    vw_model_destroy(model);
    vw_cmd_evidence_free(&ev);
    free(cf);
    free(to.targets);
    free(to.regions);
    return ret;
}
