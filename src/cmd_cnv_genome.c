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
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "cmd.h"

enum {
    OPT_GENOME = VW_OPT_CMD_FIRST, OPT_GCW, OPT_MAPW, OPT_CENTRO, OPT_PON, OPT_BIN, OPT_BUILD,
    OPT_MAX_CN, OPT_PLOIDY, OPT_MIN_LLR, OPT_MIN_MAP, OPT_SHEET
};

#define DEFAULT_BIN 1000000

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
            DEFAULT_BIN, c.min_mq, fl ? fl : "", d.min_map, d.max_cn, d.min_llr);
    free(fl);
}

static int ends_with(const char *s, const char *suf)
{
    size_t l = strlen(s), k = strlen(suf);
    return l >= k && !strcmp(s + l - k, suf);
}

static int is_wig(const char *path)
{
    return ends_with(path, ".wig") || ends_with(path, ".WIG");
}

/* The file name without directory and ".wig". */
static char *wig_name(const char *path)
{
    const char *b = strrchr(path, '/');
    char *s = vw_strdup(b ? b + 1 : path);
    if (s && ends_with(s, ".wig"))
        s[strlen(s) - 4] = '\0';
    return s;
}

/* Primary contigs (1-22, X, Y in either naming) of a BAM/CRAM header as
 * bins of 'step'.  Logs on failure. */
static vw_gwig_t *bins_from_header(const char *path, const char *reference, hts_pos_t step)
{
    vw_aln_t *a;
    if (vw_aln_open(path, reference, 0, VW_ALN_STREAM, &a) < 0)
        return NULL;
    const sam_hdr_t *h = a->h;
    vw_gwig_t *w = vw_gwig_init(step);
    for (int t = 0; w && t < sam_hdr_nref(h); t++) {
        char b[256];
        const char *c = vw_gwig_canon(sam_hdr_tid2name(h, t), b, sizeof b);
        long v;
        if (!((vw_parse_long(c, &v) == 0 && v >= 1 && v <= 22) || !strcmp(c, "X") || !strcmp(c, "Y")))
            continue;
        if (vw_gwig_add_contig(w, sam_hdr_tid2name(h, t), sam_hdr_tid2len(h, t)) < 0) {
            vw_error("%s: contig '%s' twice in the header, or out of memory", path, sam_hdr_tid2name(h, t));
            vw_gwig_destroy(w);
            w = NULL;
        }
    }
    if (w && w->n == 0) {
        vw_error("%s: no contig named 1-22, X or Y (chr prefix optional) in the header", path);
        vw_gwig_destroy(w);
        w = NULL;
    }
    (void)vw_aln_close(a, 1); /* (a header read: a close error is no concern here) */
    return w;
}

typedef struct {
    const char *gc, *map, *fasta;
    vw_gwig_t *gcw, *mapw;
    const vw_gaps_t *gaps;
    const vw_genome_opt_t *opt;
    const vw_count_opt_t *copt;
    hts_pos_t bin;
} load_ctx_t;

/* Reads or counts one sample, attaches GC/map, masks and corrects.
 * Logs on failure; returns NULL. */
static vw_genome_t *load(const load_ctx_t *x, const char *path, const char *name)
{
    vw_gwig_t *w = NULL;
    char *sname = NULL;
    vw_genome_t *g = NULL;
    if (is_wig(path)) {
        if (vw_gwig_read(path, &w) < 0)
            return NULL;
        sname = name ? vw_strdup(name) : wig_name(path);
    } else {
        if (!(w = bins_from_header(path, x->copt->reference, x->bin)))
            return NULL;
        char **chrom = malloc((size_t)w->n * sizeof(char *));
        int64_t *frag = malloc((size_t)w->n * sizeof(int64_t));
        if (!chrom || !frag) {
            free(chrom);
            free(frag);
            vw_gwig_destroy(w);
            vw_error_code(-ENOMEM, "%s", path);
            return NULL;
        }
        for (int i = 0; i < w->n; i++)
            chrom[i] = w->chrom[w->cid[i]];
        int r = vw_count_regions(path, name, w->n, chrom, w->beg, w->end, VW_BUILD_UNKNOWN, x->copt, frag, &sname);
        for (int i = 0; r == 0 && i < w->n; i++)
            w->v[i] = (double)frag[i];
        free(chrom);
        free(frag);
        if (r < 0) {
            vw_gwig_destroy(w);
            return NULL;
        }
    }
    if (!sname || !(g = vw_genome_init(sname, w))) {
        vw_error_code(-ENOMEM, "%s", path);
        free(sname);
        return NULL;
    }
    free(sname);
    if (x->gcw && vw_gwig_transfer(g->w, path, x->gcw, x->gc, g->gc) < 0)
        goto fail;
    if (!x->gcw && x->fasta && vw_genome_gc_fasta(g, x->fasta) < 0)
        goto fail;
    if (x->mapw && vw_gwig_transfer(g->w, path, x->mapw, x->map, g->map) < 0)
        goto fail;
    char empty[512];
    vw_genome_mask(g, x->gaps, x->opt, empty, sizeof empty);
    if (*empty)
        vw_warn("%s: no reads on %s (left out)", path, empty);
    int r = vw_genome_correct(g, x->opt);
    if (r == VW_EINPUT) {
        vw_error("%s: fewer than 50 usable autosomal bins (too few reads, or every bin masked)", path);
        goto fail;
    } else if (r < 0) {
        vw_error_code(r, "%s", path);
        goto fail;
    }
    return g;
fail:
    vw_genome_destroy(g);
    return NULL;
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

/* Loads, normalises (pon), fits and writes one input into the open tables;
 * appends it to 'd'.  *rw: the first write error.  Logs; returns 0 or -1. */
static int one_input(const load_ctx_t *x, const char *file, const char *sample, const vw_gpon_t *pon,
                     vw_build_t build, const vw_gaps_t *gaps, out_t *out, done_t *d, int *rw)
{
    const vw_genome_opt_t *opt = x->opt;
    vw_gseg_t *segs = NULL;
    vw_garm_t *arms = NULL;
    int s = d->n_done, ok = 0, r;
    vw_genome_t *g = load(x, file, sample);
    if (!g)
        return -1;
    if (pon && (r = vw_genome_apply_pon(g, pon)) < 0) {
        if (r == VW_EINPUT)
            vw_error("%s: not the bins of the normals (--pon): another bin size or contigs, or too few "
                     "usable bins", file);
        else
            vw_error_code(r, "%s", file);
        goto out;
    }
    vw_gfit_t fit, alt[4];
    int n_alt = 0, n_seg = 0, n_arm = 0;
    if ((r = vw_genome_fit(g, opt, &fit, alt, &n_alt)) < 0) {
        vw_error_code(r, "%s: fit", file);
        goto out;
    }
    double fga, wgii;
    vw_genome_instability(g, fit.neutral, &fga, &wgii);
    vw_gfocal_t foc[4];
    vw_build_t b = build != VW_BUILD_UNKNOWN ? build : vw_gwig_build(g->w);
    if (b == VW_BUILD_UNKNOWN)
        vw_warn("%s: genome build unknown (give --build): focal gene rows are NA", file);
    int n_foc = vw_genome_focal(g, gaps, b, fit.neutral, fit.sd, foc);
    if (vw_genome_segments(g, &segs, &n_seg) < 0 || vw_genome_arms(g, gaps, fit.neutral, &arms, &n_arm) < 0) {
        vw_error_code(-ENOMEM, "%s", file);
        goto out;
    }
    vw_info("%s: tumour fraction %.3f (%.3f-%.3f), %s, ploidy %.2f", g->sample, fit.tf, fit.tf_lo, fit.tf_hi,
            fit.detected ? "detected" : "not detected", fit.ploidy);
    int w = vw_genome_write_summary(out[0].f.fp, g, &fit, fga, wgii, n_alt, alt, s ? &d->fits[s - 1] : NULL);
    w = w ? w : vw_genome_write_bins(out[1].f.fp, g, s == 0);
    w = w ? w : vw_genome_write_seg(out[2].f.fp, g, segs, n_seg, s == 0);
    w = w ? w : vw_genome_write_arms(out[3].f.fp, g, arms, n_arm, s == 0);
    w = w ? w : vw_genome_write_focal(out[4].f.fp, g, foc, n_foc, s == 0);
    *rw = w;
    d->all[s] = g;
    d->fits[s] = fit;
    d->fgas[s] = fga;
    d->wgiis[s] = wgii;
    d->n_done++;
    g = NULL;
    ok = 1;
out:
    free(segs);
    free(arms);
    vw_genome_destroy(g);
    return ok ? 0 : -1;
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
    vw_genome_opt_t opt;
    vw_count_opt_t copt;
    load_ctx_t x;            /* its gc and map paths */
    const char *centro, *build_s, *prefix, *sheet;
    char *sample_arg;
    const char **pon_files;  /* room for every argument */
    int n_pon;
    long bin;
} gargs_t;

/* One option of cnv --genome's own; returns -1 to go on or an exit code. */
static int genome_opt(gargs_t *a, int c, char *arg)
{
    long v;
    double dv;
    switch (c) {
    case OPT_GENOME: break;
    case OPT_SHEET: a->sheet = arg; break;
    case OPT_GCW: a->x.gc = arg; break;
    case OPT_MAPW: a->x.map = arg; break;
    case OPT_CENTRO: a->centro = arg; break;
    case OPT_PON: a->pon_files[a->n_pon++] = arg; break;
    case OPT_BIN:
        if (vw_parse_long(arg, &a->bin) || a->bin < 1000 || a->bin > 100000000) {
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
        *(c == OPT_MIN_MAP ? &a->opt.min_map : &a->opt.min_llr) = dv;
        break;
    case OPT_MAX_CN:
        if (vw_cmd_long_arg("--max-cn", arg, 3, 20, &v) < 0)
            return VW_EXIT_USAGE;
        a->opt.max_cn = (int)v;
        break;
    case OPT_PLOIDY:
        if (parse_ploidy(arg, &a->opt) < 0)
            return VW_EXIT_USAGE;
        break;
    case VW_OPT_OUTPUT_PREFIX: a->prefix = arg; break;
    case 't':
    case '@':
        if (vw_cmd_threads_arg(arg, &a->copt.threads) < 0)
            return VW_EXIT_USAGE;
        break;
    default: usage(stderr); return VW_EXIT_USAGE;
    }
    return -1;
}

/* The options that need each other; *ret_build from --build.  Returns -1
 * to go on or an exit code. */
static int genome_check(const gargs_t *a, int n_files, vw_build_t *ret_build)
{
    if (n_files < 1 || !a->prefix || !*a->prefix) {
        if (n_files >= 1)
            vw_error("an output prefix (--output-prefix) is needed");
        else
            usage(stderr);
        return VW_EXIT_USAGE;
    }
    for (int k = 0; k < 4 && a->opt.ploidies[k]; k++)
        if (a->opt.ploidies[k] > a->opt.max_cn) {
            vw_error("--ploidy %d is above --max-cn %d", a->opt.ploidies[k], a->opt.max_cn);
            return VW_EXIT_USAGE;
        }
    *ret_build = VW_BUILD_UNKNOWN;
    if (a->build_s && (*ret_build = vw_build_parse(a->build_s)) == VW_BUILD_UNKNOWN) {
        vw_error("--build: unknown genome build '%s' (use GRCh37 or GRCh38)", a->build_s);
        return VW_EXIT_USAGE;
    }
    return -1;
}

/* The GC and mappability tracks (same bin size) and the centromeres.
 * Logs; returns 0 or -1. */
static int load_tracks(load_ctx_t *x, const char *centro, vw_gaps_t **gaps)
{
    if (x->gc && vw_gwig_read(x->gc, &x->gcw) < 0)
        return -1;
    if (x->map && vw_gwig_read(x->map, &x->mapw) < 0)
        return -1;
    if (x->gcw && x->mapw && x->gcw->step != x->mapw->step) {
        vw_error("bins of %lld bp in %s but of %lld bp in %s: use tracks of the same bin size",
                 (long long)x->gcw->step, x->gc, (long long)x->mapw->step, x->map);
        return -1;
    }
    return centro && vw_gaps_read(centro, gaps) < 0 ? -1 : 0;
}

/* The panel of the normals (*nrm: n_pon slots, caller destroys).  Logs;
 * returns 0 or -1. */
static int build_normals(const load_ctx_t *x, const char **pon_files, int n_pon, vw_genome_t ***nrm,
                         vw_gpon_t **pon)
{
    if (!(*nrm = calloc((size_t)n_pon, sizeof(**nrm))))
        return -1;
    for (int k = 0; k < n_pon; k++)
        if (!((*nrm)[k] = load(x, pon_files[k], NULL)))
            return -1;
    int r = vw_gpon_build(*nrm, n_pon, pon);
    if (r == VW_EINPUT)
        vw_error("--pon: the normals do not share one bin layout (bin size, contigs)");
    else if (r < 0)
        vw_error_code(r, "--pon");
    return r < 0 ? -1 : 0;
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
    vw_genome_opt_init(&A.opt);
    vw_count_opt_init(&A.copt);
    A.copt.stream = 1; /* every read is wanted: from start to end, no index (faster than per-contig queries) */
    A.bin = DEFAULT_BIN;
    vw_timeline_t *tl = NULL;
    char **samples = NULL;
    int c, ex, ret = VW_EXIT_DATA, n_files = 0, r;
    long v;
    vw_gaps_t *gaps = NULL;
    vw_genome_t **nrm = NULL;
    vw_gpon_t *pon = NULL;
    out_t out[7] = {{{0}, "genome.tsv"}, {{0}, "genome_bins.tsv"}, {{0}, "genome.seg"}, {{0}, "genome_arms.tsv"},
                    {{0}, "genome_focal.tsv"}, {{0}, "genome.html"}, {{0}, "genome_series.tsv"}};
    int n_out = 6;
    done_t d = {NULL, NULL, NULL, NULL, 0}; /* every draw, kept for the report */
    int opened = 0;
    if (!(A.pon_files = calloc((size_t)argc + 1, sizeof(char *))))
        return VW_EXIT_DATA;
    optind = 1;
    vw_target_opt_t to = {0}; /* only its reference is set (by -f) */
    while ((c = getopt_long(argc, argv, "f:s:q:t:@:h", lopts, NULL)) >= 0) {
        if (!(vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &A.copt, &ex)))
            ex = genome_opt(&A, c, optarg);
        if (ex >= 0) {
            free(A.pon_files);
            return ex;
        }
    }
    vw_build_t build;
    n_files = argc - optind;
    if ((ex = genome_check(&A, n_files, &build)) >= 0) {
        free(A.pon_files);
        return ex;
    }
    vw_genome_opt_t opt = A.opt;
    vw_count_opt_t copt = A.copt;
    load_ctx_t x = A.x;
    const char *centro = A.centro, *prefix = A.prefix, *sheet = A.sheet;
    char *sample_arg = A.sample_arg;
    const char **pon_files = A.pon_files;
    int n_pon = A.n_pon;
    char **files = argv + optind;
    if (sample_arg && (v = vw_cmd_split_names(sample_arg, n_files, &samples)) < 0) {
        ret = v == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    x.opt = &opt;
    x.copt = &copt;
    x.bin = A.bin;
    x.fasta = copt.reference;
    if (load_tracks(&x, centro, &gaps) < 0)
        goto out;
    if (sheet) {
        int r = vw_timeline_read_sheet(sheet, VW_TIMELINE_NO_FILE_CHECK, &tl);
        if (r < 0)
            goto out; /* logged by the reader */
        n_out = 7;
    }
    x.gaps = gaps;
    if (!x.gcw && !x.fasta)
        vw_warn("no GC track (--gc) or reference (-f): counts are not GC-corrected");
    if (n_pon && build_normals(&x, pon_files, n_pon, &nrm, &pon) < 0)
        goto out;
    { /* no output may replace an input */
        const char *const extra[5] = {x.gc, x.map, centro, sheet, copt.reference};
        int clash = genome_clash(prefix, out, n_out, files, n_files, pon_files, n_pon, extra);
        if (clash) {
            ret = clash > 0 ? VW_EXIT_USAGE : VW_EXIT_DATA;
            goto out;
        }
    }
    d.all = calloc((size_t)n_files, sizeof(*d.all));
    d.fits = calloc((size_t)n_files, sizeof(*d.fits));
    d.fgas = calloc((size_t)n_files, sizeof(double));
    d.wgiis = calloc((size_t)n_files, sizeof(double));
    if (!d.all || !d.fits || !d.fgas || !d.wgiis) {
        vw_error_code(-ENOMEM, "%s", prefix);
        goto out;
    }
    if (open_outputs(out, n_out, prefix, &opened) < 0)
        goto out;
    int rw = vw_genome_write_summary_header(out[0].f.fp);
    for (int s = 0; s < n_files && rw == 0; s++)
        if (one_input(&x, files[s], samples ? samples[s] : NULL, pon, build, gaps, out, &d, &rw) < 0)
            goto out;
    rw = rw ? rw : vw_genome_write_html(out[5].f.fp, (const vw_genome_t *const *)d.all, d.fits, d.fgas, d.wgiis,
                                        d.n_done);
    if (tl && rw == 0)
        rw = write_series(out[6].f.fp, tl, &d, sheet);
    if (rw < 0) {
        vw_error_code(rw, "writing the outputs of '%s'", prefix);
        goto out;
    }
    r = commit_outputs(out, n_out, prefix);
    opened = 0;
    if (r < 0)
        goto out;
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
    for (int k = 0; nrm && k < n_pon; k++)
        vw_genome_destroy(nrm[k]);
    free(nrm);
    vw_gpon_destroy(pon);
    vw_gaps_destroy(gaps);
    vw_timeline_destroy(tl);
    vw_gwig_destroy(x.gcw);
    vw_gwig_destroy(x.mapw);
    free(samples);
    free(A.pon_files);
    return ret;
}
