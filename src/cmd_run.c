/* cmd_run.c -- vafwatch run: the options of the whole chain from one cohort
 * sheet; the chain itself is pipeline.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/genome_in.h"
#include "vafwatch/log.h"
#include "vafwatch/track.h"
#include "vafwatch/util.h"
#include "cmd.h"
#include "vafwatch/pipeline.h"

enum { OPT_ALPHA_CALL = VW_OPT_TRACK_LAST + 1, OPT_NO_SELF, OPT_FLANK, OPT_NO_CACHE, OPT_CNV_BED,
       OPT_CNV_BUILTIN, OPT_CNV_PON, OPT_TF_FROM, OPT_CNV_REF, OPT_GENOME_TSV, OPT_G_GC, OPT_G_MAP, OPT_G_CENTRO,
       OPT_G_PON, OPT_G_BIN, OPT_G_MIN_LLR, OPT_CLASS, OPT_THERAPY, OPT_THERAPY_MAP };

/* The default of run's own -@, printed by the help from here. */
enum { RUN_THREADS = 1 };

static void usage(FILE *fp)
{
    vw_count_opt_t d;
    vw_call_opt_t co;
    vw_count_opt_init(&d);
    vw_call_opt_init(&co);
    vw_genome_opt_t gopt;
    vw_genome_opt_init(&gopt);
    char *fl = bam_flag2str((int)d.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch run [options] -e EVENTS.tsv -d OUTDIR COHORT.tsv\n\n"
            "Runs the whole chain on a cohort sheet: counts every file (BAM/CRAM/VCF; in parallel;\n"
            "cached so that a re-run after adding draws counts only the new ones), builds the\n"
            "background model from the sheet's normal samples (or uses --model), calls every draw,\n"
            "tracks every clone and measures lead times.  Writes into OUTDIR:\n"
            "  vafwatch.calls.tsv, vafwatch.calls.vcf.gz(.tbi), vafwatch.track.tsv,\n"
            "  vafwatch.series.tsv, vafwatch.leadtime.tsv, vafwatch.cohort.tsv,\n"
            "  vafwatch.leadtime.json, vafwatch.model.tsv (when built from normals),\n"
            "  vafwatch.patient.tsv and .json (when the sheet has a 'targets' column),\n"
            "  report/index.html, report/patients/PATIENT.html (and .json), report/vafwatch.report.json,\n"
            "  report/vafwatch_mqc.tsv, report/vafwatch_stats_mqc.tsv, report/vafwatch_vaf_mqc.json (MultiQC),\n"
            "  counts/SAMPLE.vafwatch.counts.tsv (the per-draw evidence, reused by re-runs).\n\n"
            "Input:\n"
            "  -e, --events FILE        clinical events (treatment, scans, progression) [required]\n"
            "  -d, --outdir DIR         output directory (created) [required]\n"
            "  -T, --targets FILE       user targets (VCF/BCF, BED with --reference, or TSV); repeatable\n"
            "      --no-builtin         only the user targets (and the patients' own)\n"
            "      --build NAME         GRCh37 or GRCh38 [told by the first file's header]\n"
            "  -f, --reference FASTA    reference (CRAM; REF check; indels in repeats)\n"
            "                           The sheet's optional 'targets' column names each patient's\n"
            "                           own mutations, counted and tested in that patient only, with\n"
            "                           a patient-level test per draw (docs/calling.md)\n"
            "  -m, --model FILE         background model (vafwatch model build) [from the normals]\n"
            "      --class NAME         the model's evidence class to use (molecule, molecule_f3,\n"
            "                           duplex, ...: docs/umi.md; needs --model) [the run's own]\n"
            "Counting:\n"
            "  -q, --min-MQ INT         [%d]\n"
            "  -Q, --min-BQ INT         [%d]\n"
            "      --excl-flags FLAGS   [%s]\n"
            "      --proper-pair        properly paired reads only\n"
            "      --count-unit UNIT    fragment, read or molecule [fragment]\n"
            "      --stream             count reading each file from start to end (the self\n"
            "                           background still reads through the index: give --no-self\n"
            "                           for files without one)\n"
            "      --no-cache           count every file again\n"
            VW_OPT_MOLECULE_HELP
            "Calling:\n"
            "      --call-alpha FLOAT   detected when q < this [%g]\n"
            "      --adjust METHOD      holm, bh or none [holm]\n"
            "      --ci METHOD          95 %% VAF interval: cp (Clopper-Pearson) or wilson [cp]\n"
            "      --veto FLAGS         flags that make a detection 'filtered' [strand_bias,low_alt_bq]\n"
            "      --known [SAMPLE=]ID  a known clone, tested on its own (docs/calling.md); repeatable\n"
            "      --min-depth INT      low_depth flag below this [%ld]\n"
            "      --bg-floor FLOAT     default background error [%g]\n"
            "      --no-self            no self background from the sample's own reads\n"
            "      --flank INT          bp around each target for the self background [%d]\n"
            "      --therapy NAME       the therapy (a drug or class of the therapy map) of every draw:\n"
            "                           90 %% of --call-alpha goes to the targets relevant to it, 10 %%\n"
            "                           to the others (weighted Holm/BH); repeatable [each patient's\n"
            "                           treatment_start drugs of the events file]\n"
            "      --therapy-map FILE   therapy-relevance map (class, kind, value) instead of the\n"
            "                           built-in one (docs/calling.md)\n",
            d.min_mq, d.min_bq, fl ? fl : "", co.alpha, co.min_depth, co.bg_floor, VW_CMD_FLANK);
    vw_cmd_track_help(fp);
    fprintf(fp,
            "Copy number (docs/copy-number.md; writes OUTDIR/vafwatch.cnv.tsv and tracks amplifications):\n"
            "      --cnv-bed BED        regions, 4th column the gene ('.' or 'ref': reference region)\n"
            "      --cnv-builtin        the built-in gene spans (ERBB2, MET, KRAS, EGFR) instead\n"
            "      --cnv-ref BED        reference regions (every line; needed with --cnv-builtin)\n"
            "      --cnv-pon FILE       panel of normals: BAM/CRAM (repeatable) or a PoN TSV\n"
            "                           [the sheet's normal samples]\n"
            "      --tf-from ID         tumour fraction of each draw = 2 x VAF of this truncal target\n"
            "                           (heterozygous, copy-neutral; capped at 1; NA where not detected)\n"
            "      --genome-tsv FILE    genome-wide summaries of the draws (vafwatch cnv --genome:\n"
            "                           PREFIX.vafwatch.genome.tsv; repeatable): the tumour fraction of\n"
            "                           each patient's draws in OUTDIR/vafwatch.genome_series.tsv\n"
            "Genome-wide copy number of the sheet's 'swgs' column (shallow WGS of each draw: readCounter\n"
            "WIG or BAM/CRAM; as vafwatch cnv --genome; writes OUTDIR/vafwatch.genome*.tsv, .genome.seg,\n"
            "vafwatch.genome.html and the series; BAM/CRAM bins cached in OUTDIR/counts/):\n"
            "      --genome-gc WIG      GC fraction per bin [from -f, else no GC correction]\n"
            "      --genome-map WIG     mappability per bin\n"
            "      --genome-centromeres FILE  centromere/gap table (chrom, 0-based start, end)\n"
            "      --genome-pon FILE    a normal (WIG or BAM/CRAM; repeatable) [the sheet's normals'\n"
            "                           'swgs' files]\n"
            "      --genome-bin-size INT  bins of BAM/CRAM input, bp [1000000]\n"
            "      --genome-min-llr FLOAT  detection threshold on 2 x log-likelihood ratio [%g]\n"
            "Output:\n"
            "  -@, --threads INT        files counted at once (-t is the same) [%d]\n"
            "Reports (OUTDIR/report, as vafwatch report writes them):\n"
            VW_OPT_MARKERS_HELP
            VW_OPT_TITLE_HELP
            "      --param KEY=VALUE    a parameter shown under Methods after run's own (e.g. the\n"
            "                           protocol's version); " VW_OPT_PARAM_MAX_HELP
            VW_OPT_REPORT_DATE_HELP
            VW_OPT_COMMON_HELP
            "\n"
            "A progress line is shown on a terminal (not with --quiet).  Columns: docs/formats.md,\n"
            "docs/calling.md, docs/tracking.md, docs/copy-number.md.\n\n", gopt.min_llr, RUN_THREADS);
    free(fl);
}

/* The progress line of the counting stage (cmd_progress.c), handed to the
 * pipeline as its callbacks. */
static void progress_start(void *ctx, int n) { vw_progress_init(ctx, "run", "counted", "draws", n); }
static void progress_step(void *ctx, int64_t reads) { vw_progress_step(ctx, reads); }
static void progress_end(void *ctx) { vw_progress_end(ctx); }

/* The options of run whose value is checked: -1 (said why) or 0. */
static int run_opt_value(int c, const char *arg, vw_genome_in_opt_t *gio, vw_call_opt_t *cl, long *flank,
                         int *threads)
{
    switch (c) {
    case OPT_G_BIN: return vw_cmd_long_arg("--genome-bin-size", arg, 1000, 100000000, &gio->bin);
    case OPT_G_MIN_LLR:
        if (vw_parse_double(arg, &gio->opt.min_llr) || !(gio->opt.min_llr >= 0 && gio->opt.min_llr < 1e9)) {
            vw_error("--genome-min-llr takes a number >= 0, not '%s'", arg);
            return -1;
        }
        return 0;
    case OPT_ALPHA_CALL:
        if (vw_parse_double(arg, &cl->alpha) || !(cl->alpha > 0 && cl->alpha < 1)) {
            vw_error("--call-alpha takes a number in (0, 1), not '%s'", arg);
            return -1;
        }
        return 0;
    case OPT_CLASS: return vw_cmd_class_arg(arg, &cl->ev_class);
    case OPT_FLANK: return vw_cmd_flank_arg(arg, flank);
    default: return vw_cmd_threads_arg(arg, threads); /* -t, -@ */
    }
}

/* The copy-number options checked and the options the copy-number and
 * genome-wide steps take from the others.  Logs; returns 0 or -1 (usage). */
static int run_copy_opt(vw_run_cnv_opt_t *cnvo, vw_genome_in_opt_t *gio, const vw_target_opt_t *to,
                        const vw_count_opt_t *copt)
{
    int any_cnv = cnvo->n_pon || cnvo->tf_from || cnvo->ref_bed;
    if ((cnvo->bed && cnvo->builtin) || (any_cnv && !cnvo->bed && !cnvo->builtin)) {
        vw_error(cnvo->bed && cnvo->builtin ? "give --cnv-bed or --cnv-builtin, not both"
                                            : "--cnv-pon, --cnv-ref and --tf-from need --cnv-bed or --cnv-builtin");
        return -1;
    }
    cnvo->build = to->build;
    /* the genome-wide fit reads BAM/CRAM with the counting filters */
    gio->copt.min_mq = copt->min_mq;
    gio->copt.excl_flags = copt->excl_flags;
    gio->copt.req_flags = copt->req_flags;
    gio->copt.reference = to->reference;
    gio->build = to->build ? vw_build_parse(to->build) : VW_BUILD_UNKNOWN; /* (a bad one: the targets stage) */
    return 0;
}

int main_run(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"outdir", required_argument, NULL, 'd'},
        {"model", required_argument, NULL, 'm'},
        {"class", required_argument, NULL, OPT_CLASS},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"call-alpha", required_argument, NULL, OPT_ALPHA_CALL},
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {"flank", required_argument, NULL, OPT_FLANK},
        {"therapy", required_argument, NULL, OPT_THERAPY},
        {"therapy-map", required_argument, NULL, OPT_THERAPY_MAP},
        VW_OPT_THREADS_LONG,
        {"cnv-bed", required_argument, NULL, OPT_CNV_BED},
        {"cnv-builtin", no_argument, NULL, OPT_CNV_BUILTIN},
        {"cnv-pon", required_argument, NULL, OPT_CNV_PON},
        {"cnv-ref", required_argument, NULL, OPT_CNV_REF},
        {"tf-from", required_argument, NULL, OPT_TF_FROM},
        {"genome-tsv", required_argument, NULL, OPT_GENOME_TSV},
        {"genome-gc", required_argument, NULL, OPT_G_GC},
        {"genome-map", required_argument, NULL, OPT_G_MAP},
        {"genome-centromeres", required_argument, NULL, OPT_G_CENTRO},
        {"genome-pon", required_argument, NULL, OPT_G_PON},
        {"genome-bin-size", required_argument, NULL, OPT_G_BIN},
        {"genome-min-llr", required_argument, NULL, OPT_G_MIN_LLR},
        VW_OPT_TRACK_LONG,
        VW_OPT_COUNT_LONG,
        VW_OPT_CALL_LONG,
        VW_OPT_REPORT_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_count_opt_t copt;
    vw_call_opt_t cl;
    vw_track_opt_t topt;
    vw_count_opt_init(&copt);
    vw_call_opt_init(&cl);
    vw_track_opt_init(&topt);
    vw_target_opt_t to = {0};
    const char *outdir = NULL, *model_path = NULL, *sheet_opt = NULL, *events = NULL, *therapy_map = NULL;
    long flank = VW_CMD_FLANK;
    int threads = RUN_THREADS;
    int ret = VW_EXIT_DATA, c, ex, no_self = 0, use_cache = 1, n_therapy = 0;
    vw_cmd_report_t rep;
    memset(&rep, 0, sizeof(rep));
    vw_run_cnv_opt_t cnvo = {NULL, 0, NULL, NULL, 0, NULL, NULL};
    char **genome_tsv = calloc((size_t)argc, sizeof(char *)); /* --genome-tsv files */
    int n_genome_tsv = 0;
    const char **gpon = calloc((size_t)argc, sizeof(char *)); /* --genome-pon files */
    const char **therapy = calloc((size_t)argc, sizeof(char *)); /* --therapy names */
    vw_genome_in_opt_t gio;
    vw_genome_in_opt_init(&gio);
    gio.pon = gpon;
    to.targets = calloc((size_t)argc, sizeof(char *));
    cnvo.pon = calloc((size_t)argc, sizeof(char *));
    if (!to.targets || !cnvo.pon || !genome_tsv || !gpon || !therapy) {
        free(to.targets);
        free(cnvo.pon);
        free(genome_tsv);
        free(gpon);
        free(therapy);
        return VW_EXIT_DATA;
    }
    while ((c = getopt_long(argc, argv, "d:T:f:m:q:Q:t:@:e:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &copt, &ex) ||
            vw_cmd_call_opt(c, optarg, &cl, &ex) || vw_cmd_track_opt(c, optarg, &topt, &sheet_opt, &events, &ex) ||
            vw_cmd_report_opt(c, optarg, &rep, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case 'd': outdir = optarg; break;
        case 'm': model_path = optarg; break;
        case OPT_NO_CACHE: use_cache = 0; break;
        case OPT_CNV_BED: cnvo.bed = optarg; break;
        case OPT_CNV_BUILTIN: cnvo.builtin = 1; break;
        case OPT_CNV_PON: cnvo.pon[cnvo.n_pon++] = optarg; break;
        case OPT_CNV_REF: cnvo.ref_bed = optarg; break;
        case OPT_TF_FROM: cnvo.tf_from = optarg; break;
        case OPT_GENOME_TSV: genome_tsv[n_genome_tsv++] = optarg; break;
        case OPT_G_GC: gio.gc = optarg; break;
        case OPT_G_MAP: gio.map = optarg; break;
        case OPT_G_CENTRO: gio.centromeres = optarg; break;
        case OPT_G_PON: gpon[gio.n_pon++] = optarg; break;
        case OPT_THERAPY: therapy[n_therapy++] = optarg; break;
        case OPT_THERAPY_MAP: therapy_map = optarg; break;
        case OPT_NO_SELF: no_self = 1; break;
        case OPT_G_BIN:
        case OPT_G_MIN_LLR:
        case OPT_ALPHA_CALL:
        case OPT_CLASS:
        case OPT_FLANK:
        case 't':
        case '@':
            if (run_opt_value(c, optarg, &gio, &cl, &flank, &threads) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    const char *sheet = sheet_opt;
    if (!sheet && optind < argc)
        sheet = argv[optind++];
    if (!sheet || optind != argc || !events || !outdir) {
        if (!sheet || !events || !outdir)
            vw_error("give the cohort sheet, --events and --outdir");
        else
            vw_error("unexpected argument '%s'", argv[optind]);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (run_copy_opt(&cnvo, &gio, &to, &copt) < 0 || vw_cmd_report_date_final(&rep.date) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (cl.ev_class && !model_path) {
        /* the model fitted from the sheet's normals holds the run's own class only */
        vw_error("--class chooses the background of a model of several evidence classes: give it with --model");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    vw_progress_t prog;
    vw_pipeline_opt_t po = {.sheet = sheet, .events = events, .outdir = outdir, .model_path = model_path, .to = to,
                            .copt = copt, .cl = cl, .topt = topt, .cnvo = cnvo, .genome_tsv = genome_tsv,
                            .n_genome_tsv = n_genome_tsv, .threads = threads, .flank = flank, .no_self = no_self,
                            .use_cache = use_cache, .command = vw_cmd_line(),
                            .progress = {progress_start, progress_step, progress_end, &prog}, .genome = &gio,
                            .therapy = therapy, .n_therapy = n_therapy, .therapy_map = therapy_map,
                            .report_date_set = rep.date.set, .report_date = rep.date.days,
                            .report_title = rep.title, .markers = rep.markers, .report_params = rep.params,
                            .n_report_params = rep.n_params};
    ret = vw_pipeline_run(&po);
out:
    free(to.targets);
    free(cnvo.pon);
    free(genome_tsv);
    free(gpon);
    free(therapy);
    vw_cmd_report_free(&rep);
    return ret;
}
