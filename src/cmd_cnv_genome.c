/* cmd_cnv_genome.c -- vafwatch cnv --genome: genome-wide copy number, tumour
 * fraction and instability from shallow WGS (binned counts or BAM/CRAM). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/cnv_genome.h"
#include "vafwatch/genome_in.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "cmd.h"

enum {
    OPT_GENOME = VW_OPT_CMD_FIRST, OPT_GCW, OPT_MAPW, OPT_CENTRO, OPT_PON, OPT_BIN, OPT_BUILD,
    OPT_MAX_CN, OPT_PLOIDY, OPT_MIN_LLR, OPT_MIN_MAP, OPT_SHEET
};

static void usage(FILE *fp)
{
    vw_genome_opt_t d;
    vw_count_opt_t c;
    vw_genome_opt_init(&d);
    vw_count_opt_init(&c);
    char *fl = bam_flag2str((int)c.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch cnv --genome [options] --output-prefix STR <in.wig|in.bam|in.cram> [...]\n\n"
            "Genome-wide copy number from shallow whole-genome sequencing (0.1-1x): read counts in\n"
            "fixed bins (readCounter/HMMcopy WIG, or counted here from BAM/CRAM), GC and mappability\n"
            "correction by local regression, masking, an optional panel of normals, and a hidden\n"
            "Markov model over copy states whose levels depend on the tumour fraction: tumour\n"
            "fraction with a 95%% interval, ploidy, segments, arm-level and focal changes, fraction of\n"
            "the genome altered and an instability score (wGII).  Inputs are the draws of one\n"
            "patient in date order, or any set of samples.\n\n"
            "Input:\n"
            "      --genome             this mode (genome-wide bins instead of panel regions)\n"
            "      --gc WIG             GC fraction per bin (same bins as the counts; -1 unknown)\n"
            "      --map WIG            mappability per bin (same bins; without it no mappability\n"
            "                           correction)\n"
            "  -f, --reference FASTA    reference: GC per bin when --gc is not given (and CRAM)\n"
            "      --centromeres FILE   centromere/gap table (chrom, 0-based start, end): bins masked,\n"
            "                           arms split there\n"
            "      --pon FILE           a normal sample (WIG or BAM/CRAM; repeatable): per-bin median\n"
            "                           of the normals removed, bins noisy in them masked\n"
            "      --bin-size INT       bins for BAM/CRAM input, bp [%d]\n"
            "      --build NAME         GRCh37 or GRCh38, for the focal genes [from contig 1's bins]\n"
            "  -s, --samples LIST       comma-separated sample names, one per file [@RG SM, file name]\n"
            "      --sheet FILE         cohort sheet (patient, sample, date, ...): the draws of each\n"
            "                           patient in date order in STR.vafwatch.genome_series.tsv\n"
            "Filtering (BAM/CRAM):\n"
            "  -q, --min-MQ INT         skip reads with mapping quality < INT [%d]\n"
            "      --excl-flags FLAGS   skip reads with any of these flags [%s]\n"
            "Model:\n"
            "      --min-map FLOAT      mask bins of mappability below this [%g]\n"
            "      --max-cn INT         copy states 0..INT [%d]\n"
            "      --ploidy LIST        neutral copy states tried, comma-separated; the first wins\n"
            "                           ties [2,3]\n"
            "      --min-llr FLOAT      detected when 2 x log-likelihood ratio against TF 0 exceeds\n"
            "                           this (calibrated: docs/copy-number.md) [%g]\n"
            "Output:\n"
            "      --output-prefix STR  writes STR.vafwatch.genome.tsv (per sample), .genome_bins.tsv,\n"
            "                           .genome.seg (IGV), .genome_arms.tsv, .genome_focal.tsv and\n"
            "                           .genome.html (TF over the draws, a genome plot per draw);\n"
            "                           with --sheet also .genome_series.tsv\n"
            "  -@, --threads INT        BGZF decompression threads per file (-t is the same) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "Method, formulas and columns: docs/copy-number.md (\"Genome-wide\").\n\n",
            VW_GENOME_DEFAULT_BIN, c.min_mq, fl ? fl : "", d.min_map, d.max_cn, d.min_llr);
    free(fl);
}

typedef struct {
    vw_ofile_t f;
    const char *kind;
} out_t;

/* --ploidy LIST into opt->ploidies; logs and returns -1 when it is not
 * up to 3 comma-separated integers from 1 to 6. */
static int parse_ploidy(char *arg, vw_genome_opt_t *opt)
{
    int k = 0;
    long v;
    memset(opt->ploidies, 0, sizeof opt->ploidies);
    for (char *p = arg; p;) {
        char *q = strchr(p, ',');
        if (q)
            *q++ = '\0';
        if (k >= 3 || vw_parse_long(p, &v) || v < 1 || v > 6) {
            vw_error("--ploidy takes up to 3 comma-separated integers from 1 to 6, not '%s'", p);
            return -1;
        }
        opt->ploidies[k++] = (int)v;
        p = q;
    }
    return 0;
}

/* The draws done so far, kept for the report and the series. */
typedef struct {
    vw_genome_t **all;
    vw_gfit_t *fits;
    double *fgas, *wgiis;
    int n_done;
} done_t;

/* Counts or reads, prepares, fits and writes one input into the open
 * tables; appends it to 'd'.  *rw: the first write error.  Logs; returns 0
 * or -1. */
static int one_input(const vw_genome_in_t *x, const char *file, const char *sample, out_t *out, done_t *d, int *rw)
{
    int s = d->n_done;
    vw_gwig_t *w = NULL;
    vw_genome_t *g = NULL;
    char *sname = NULL;
    vw_genome_res_t res;
    int r = vw_genome_in_counts(x, file, sample, &w, &sname);
    if (r == 0)
        r = vw_genome_in_prepare(x, file, sname, w, &g);
    free(sname);
    if (r < 0 || vw_genome_in_fit(x, file, g, &res) < 0)
        return -1;
    FILE *const fp[5] = {out[0].f.fp, out[1].f.fp, out[2].f.fp, out[3].f.fp, out[4].f.fp};
    *rw = vw_genome_res_write(fp, &res, s ? &d->fits[s - 1] : NULL, s == 0);
    d->all[s] = res.g;
    d->fits[s] = res.fit;
    d->fgas[s] = res.fga;
    d->wgiis[s] = res.wgii;
    d->n_done++;
    res.g = NULL;
    vw_genome_res_free(&res);
    return 0;
}

/* 1 (after logging) when an output would replace an input; -1 on ENOMEM. */
static int genome_clash(const char *prefix, const out_t *out, int n_out, char **files, int n_files,
                        const char **pon_files, int n_pon, const char *const extra[5])
{
    char *on[7] = {NULL};
    const char *outs[7];
    int clash = 0, ok = 1;
    for (int k = 0; k < n_out; k++)
        ok &= (outs[k] = on[k] = vw_cmd_prefixed(prefix, out[k].kind)) != NULL;
    if (ok)
        clash = vw_outputs_clash(outs, n_out, (const char *const *)files, n_files) ||
                vw_outputs_clash(outs, n_out, pon_files, n_pon) || vw_outputs_clash(outs, n_out, extra, 5);
    for (int k = 0; k < n_out; k++)
        free(on[k]);
    return ok ? clash : -1;
}

/* The series of the sheet's plasma draws (--sheet) into fp. */
static int write_series(FILE *fp, const vw_timeline_t *tl, const done_t *d, const char *sheet)
{
    int rows = 0, rw;
    const char **names = malloc(sizeof(char *) * (size_t)(d->n_done ? d->n_done : 1));
    for (int k = 0; names && k < d->n_done; k++)
        names[k] = d->all[k]->sample;
    rw = names ? vw_genome_write_series(fp, tl, names, d->fits, d->fgas, d->wgiis, d->n_done, &rows) : -ENOMEM;
    free(names);
    if (rw == 0 && rows < d->n_done)
        vw_warn("%d of %d inputs are not plasma draws of the sheet %s (by sample name): left out of the series",
                d->n_done - rows, d->n_done, sheet);
    return rw;
}

/* The options of cnv --genome besides the shared ones. */
typedef struct {
    vw_genome_in_opt_t io;
    const char *build_s, *prefix, *sheet;
    char *sample_arg;
    const char **pon_files;  /* room for every argument */
} gargs_t;

/* One option of cnv --genome's own; returns -1 to go on or an exit code. */
static int genome_opt(gargs_t *a, int c, char *arg)
{
    long v;
    double dv;
    switch (c) {
    case OPT_GENOME: break;
    case OPT_SHEET: a->sheet = arg; break;
    case OPT_GCW: a->io.gc = arg; break;
    case OPT_MAPW: a->io.map = arg; break;
    case OPT_CENTRO: a->io.centromeres = arg; break;
    case OPT_PON: a->pon_files[a->io.n_pon++] = arg; break;
    case OPT_BIN:
        if (vw_parse_long(arg, &a->io.bin) || a->io.bin < 1000 || a->io.bin > 100000000) {
            vw_error("--bin-size takes an integer from 1000 to 1e8, not '%s'", arg);
            return VW_EXIT_USAGE;
        }
        break;
    case OPT_BUILD: a->build_s = arg; break;
    case 's': a->sample_arg = arg; break;
    case OPT_MIN_MAP: case OPT_MIN_LLR:
        if (vw_parse_double(arg, &dv) || !isfinite(dv) || dv < 0 || (c == OPT_MIN_MAP && dv > 1)) {
            vw_error("%s takes a number %s, not '%s'", c == OPT_MIN_MAP ? "--min-map" : "--min-llr",
                     c == OPT_MIN_MAP ? "from 0 to 1" : ">= 0", arg);
            return VW_EXIT_USAGE;
        }
        *(c == OPT_MIN_MAP ? &a->io.opt.min_map : &a->io.opt.min_llr) = dv;
        break;
    case OPT_MAX_CN:
        if (vw_cmd_long_arg("--max-cn", arg, 3, 20, &v) < 0)
            return VW_EXIT_USAGE;
        a->io.opt.max_cn = (int)v;
        break;
    case OPT_PLOIDY:
        if (parse_ploidy(arg, &a->io.opt) < 0)
            return VW_EXIT_USAGE;
        break;
    case VW_OPT_OUTPUT_PREFIX: a->prefix = arg; break;
    case 't':
    case '@':
        if (vw_cmd_threads_arg(arg, &a->io.copt.threads) < 0)
            return VW_EXIT_USAGE;
        break;
    default: usage(stderr); return VW_EXIT_USAGE;
    }
    return -1;
}

/* The options that need each other; io.build from --build.  Returns -1 to
 * go on or an exit code. */
static int genome_check(gargs_t *a, int n_files)
{
    if (n_files < 1 || !a->prefix || !*a->prefix) {
        if (n_files >= 1)
            vw_error("an output prefix (--output-prefix) is needed");
        else
            usage(stderr);
        return VW_EXIT_USAGE;
    }
    for (int k = 0; k < 4 && a->io.opt.ploidies[k]; k++)
        if (a->io.opt.ploidies[k] > a->io.opt.max_cn) {
            vw_error("--ploidy %d is above --max-cn %d", a->io.opt.ploidies[k], a->io.opt.max_cn);
            return VW_EXIT_USAGE;
        }
    if (a->build_s && (a->io.build = vw_build_parse(a->build_s)) == VW_BUILD_UNKNOWN) {
        vw_error("--build: unknown genome build '%s' (use GRCh37 or GRCh38)", a->build_s);
        return VW_EXIT_USAGE;
    }
    return -1;
}

/* Opens the n outputs (*opened: how many).  Logs; returns 0 or -1. */
static int open_outputs(out_t *out, int n, const char *prefix, int *opened)
{
    for (int k = 0; k < n; k++) {
        char *p = vw_cmd_prefixed(prefix, out[k].kind);
        int r = p ? vw_ofile_open(&out[k].f, p) : -ENOMEM;
        if (r < 0) {
            vw_error_code(r, "cannot write '%s'", p ? p : prefix);
            free(p);
            return -1;
        }
        free(p);
        *opened = k + 1;
    }
    return 0;
}

/* Puts the n outputs in place (the rest dropped after a failure).  Logs;
 * returns 0 or -1. */
static int commit_outputs(out_t *out, int n, const char *prefix)
{
    for (int k = 0; k < n; k++) {
        int r = vw_ofile_commit(&out[k].f);
        if (r < 0) {
            vw_error_code(r, "writing '%s'", out[k].f.path ? out[k].f.path : prefix);
            for (int j = k + 1; j < n; j++)
                vw_ofile_abort(&out[j].f);
            return -1;
        }
    }
    return 0;
}

/* Every input fitted and written, the report and the series; the outputs
 * put in place.  Logs; returns an exit code. */
static int genome_main(const gargs_t *A, char **files, int n_files, char **samples, const vw_timeline_t *tl)
{
    out_t out[7] = {{{0}, "genome.tsv"}, {{0}, "genome_bins.tsv"}, {{0}, "genome.seg"}, {{0}, "genome_arms.tsv"},
                    {{0}, "genome_focal.tsv"}, {{0}, "genome.html"}, {{0}, "genome_series.tsv"}};
    int n_out = tl ? 7 : 6, opened = 0, ret = VW_EXIT_DATA;
    done_t d = {NULL, NULL, NULL, NULL, 0}; /* every draw, kept for the report */
    vw_genome_in_t *x = NULL;
    { /* no output may replace an input */
        const char *const extra[5] = {A->io.gc, A->io.map, A->io.centromeres, A->sheet, A->io.copt.reference};
        int clash = genome_clash(A->prefix, out, n_out, files, n_files, A->pon_files, A->io.n_pon, extra);
        if (clash)
            return clash > 0 ? VW_EXIT_USAGE : VW_EXIT_DATA;
    }
    if (vw_genome_in_open(&A->io, &x) < 0)
        goto out;
    d.all = calloc((size_t)n_files, sizeof(*d.all));
    d.fits = calloc((size_t)n_files, sizeof(*d.fits));
    d.fgas = calloc((size_t)n_files, sizeof(double));
    d.wgiis = calloc((size_t)n_files, sizeof(double));
    if (!d.all || !d.fits || !d.fgas || !d.wgiis) {
        vw_error_code(-ENOMEM, "%s", A->prefix);
        goto out;
    }
    if (open_outputs(out, n_out, A->prefix, &opened) < 0)
        goto out;
    int rw = vw_genome_write_summary_header(out[0].f.fp);
    for (int s = 0; s < n_files && rw == 0; s++)
        if (one_input(x, files[s], samples ? samples[s] : NULL, out, &d, &rw) < 0)
            goto out;
    rw = rw ? rw : vw_genome_write_html(out[5].f.fp, (const vw_genome_t *const *)d.all, d.fits, d.fgas, d.wgiis,
                                        d.n_done);
    if (tl && rw == 0)
        rw = write_series(out[6].f.fp, tl, &d, A->sheet);
    if (rw < 0) {
        vw_error_code(rw, "writing the outputs of '%s'", A->prefix);
        goto out;
    }
    int r = commit_outputs(out, n_out, A->prefix);
    opened = 0;
    if (r == 0)
        ret = VW_EXIT_OK;
out:
    for (int k = 0; k < opened; k++)
        vw_ofile_abort(&out[k].f);
    for (int k = 0; k < d.n_done; k++)
        vw_genome_destroy(d.all[k]);
    free(d.all);
    free(d.fits);
    free(d.fgas);
    free(d.wgiis);
    vw_genome_in_close(x);
    return ret;
}

int main_cnv_genome(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"genome", no_argument, NULL, OPT_GENOME},
        {"sheet", required_argument, NULL, OPT_SHEET},
        {"gc", required_argument, NULL, OPT_GCW},
        {"map", required_argument, NULL, OPT_MAPW},
        {"centromeres", required_argument, NULL, OPT_CENTRO},
        {"pon", required_argument, NULL, OPT_PON},
        {"bin-size", required_argument, NULL, OPT_BIN},
        {"build", required_argument, NULL, OPT_BUILD},
        {"samples", required_argument, NULL, 's'},
        VW_OPT_READ_LONG, /* --stream: always (copt.stream is set) */
        {"min-map", required_argument, NULL, OPT_MIN_MAP},
        {"max-cn", required_argument, NULL, OPT_MAX_CN},
        {"ploidy", required_argument, NULL, OPT_PLOIDY},
        {"min-llr", required_argument, NULL, OPT_MIN_LLR},
        {"output-prefix", required_argument, NULL, VW_OPT_OUTPUT_PREFIX},
        VW_OPT_THREADS_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    gargs_t A;
    memset(&A, 0, sizeof(A));
    vw_genome_in_opt_init(&A.io);
    vw_timeline_t *tl = NULL;
    char **samples = NULL;
    int c, ex, ret = VW_EXIT_DATA;
    long v;
    if (!(A.pon_files = calloc((size_t)argc + 1, sizeof(char *))))
        return VW_EXIT_DATA;
    A.io.pon = A.pon_files;
    optind = 1;
    vw_target_opt_t to = {0}; /* only its reference is set (by -f) */
    while ((c = getopt_long(argc, argv, "f:s:q:t:@:h", lopts, NULL)) >= 0) {
        if (!(vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &A.io.copt, &ex)))
            ex = genome_opt(&A, c, optarg);
        if (ex >= 0) {
            free(A.pon_files);
            return ex;
        }
    }
    int n_files = argc - optind;
    if ((ex = genome_check(&A, n_files)) >= 0) {
        free(A.pon_files);
        return ex;
    }
    if (A.sample_arg && (v = vw_cmd_split_names(A.sample_arg, n_files, &samples)) < 0) {
        ret = v == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    if (A.sheet && vw_timeline_read_sheet(A.sheet, VW_TIMELINE_NO_FILE_CHECK, &tl) < 0)
        goto out; /* logged by the reader */
    ret = genome_main(&A, argv + optind, n_files, samples, tl);
out:
    vw_timeline_destroy(tl);
    free(samples);
    free(A.pon_files);
    return ret;
}
