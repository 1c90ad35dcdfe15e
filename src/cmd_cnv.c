/* cmd_cnv.c -- vafwatch cnv: gene copy number from depth against a panel of normals. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/cnv.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "cmd.h"

enum {
    OPT_REFREG = VW_OPT_CMD_FIRST, OPT_GENES, OPT_BIN, OPT_BUILD, OPT_GC, OPT_PON, OPT_BUILD_PON, OPT_TF,
    OPT_PRESET, OPT_MIN_Z, OPT_MIN_CN, OPT_MIN_PCN, OPT_MIN_SD
};

#define DEFAULT_BIN 5000

static void usage(FILE *fp)
{
    vw_cnv_opt_t d;
    vw_count_opt_t c;
    vw_cnv_opt_init(&d);
    vw_count_opt_init(&c);
    char *fl = bam_flag2str((int)c.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch cnv [options] --output-prefix STR <in.bam|in.cram> [...]\n"
            "       vafwatch cnv --build-pon [options] --output-prefix STR <normal.bam> [...]\n"
            "       vafwatch cnv --genome [options] --output-prefix STR <in.wig|in.bam> [...]  (genome-wide copy\n"
            "                number and tumour fraction from shallow WGS: 'vafwatch cnv --genome --help')\n\n"
            "Gene copy number from depth: fragments per region (duplicates excluded), normalised to\n"
            "the sample's reference regions, log2 ratio to a panel of normals (PoN), per gene the\n"
            "median log2R, z against the normals, plasma copy number pCN = 2 x 2^log2R and, with\n"
            "the tumour fraction, tumour copy number CN_t = 2 + (pCN - 2) / TF.\n"
            "Amplified: z > --min-z and CN_t >= --min-cn (without TF: pCN >= --min-pcn).\n\n"
            "Input:\n"
            "  -b, --bed BED            regions (capture intervals or bins), 4th column the gene;\n"
            "                           '.' or 'ref' marks a reference region\n"
            "      --reference-regions BED  reference regions (all lines; added to --bed or built-in)\n"
            "      --genes LIST         without --bed: built-in spans, of ERBB2,MET,KRAS,EGFR [all]\n"
            "      --bin-size INT       bins of the built-in spans, bp [%d]\n"
            "      --build NAME         GRCh37 or GRCh38 of the built-in spans [from the first file]\n"
            "      --pon FILE           panel of normals: BAM/CRAM normals (repeatable), or a PoN TSV\n"
            "                           written by --build-pon\n"
            "      --tf [SAMPLE=]FLOAT  tumour fraction of a sample (or of all); repeatable\n"
            "  -f, --reference FASTA    reference (CRAM, and --gc)\n"
            "      --gc                 GC correction (binned median on the reference regions; needs -f)\n"
            "  -s, --samples LIST       comma-separated sample names, one per file [@RG SM]\n"
            "      --stream             read files from start to end, no index needed\n"
            "Filtering:\n"
            "  -q, --min-MQ INT         skip reads with mapping quality < INT [%d]\n"
            "      --excl-flags FLAGS   skip reads with any of these flags [%s]\n"
            "Calling:\n"
            "      --min-z FLOAT        z must exceed this [%g]\n"
            "      --min-cn FLOAT       tumour copy number at least this, when TF is known [%g]\n"
            "      --min-pcn FLOAT      plasma copy number at least this, without TF [%g]\n"
            "      --min-sd FLOAT       floor of the normals' sd of gene log2R [%g]\n"
            "      --preset heracles    amplified when pCN >= 2.4 (Siravegna 2019, plasma ERBB2); flags\n"
            "                           CN_t >= 25.82 (their adjusted-pCN cut-off) when TF is known\n"
            "Output:\n"
            "      --output-prefix STR  writes STR.vafwatch.cnv.tsv (per sample x gene) and\n"
            "                           STR.vafwatch.cnv_regions.tsv (per sample x region);\n"
            "                           with --build-pon: STR.vafwatch.cnv_pon.tsv\n"
            "      --build-pon          the inputs are normals: write the PoN and stop\n"
            "  -@, --threads INT        BGZF decompression threads per file (-t is the same) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "Method, formulas and columns: docs/copy-number.md.\n\n",
            DEFAULT_BIN, c.min_mq, fl ? fl : "", d.min_z, d.min_cn, d.min_pcn, d.min_sd);
    free(fl);
}

static int ends_with(const char *s, const char *suf)
{
    size_t l = strlen(s), k = strlen(suf);
    return l >= k && !strcmp(s + l - k, suf);
}

static void put_num(FILE *fp, double x, const char *fmt)
{
    if (isfinite(x))
        fprintf(fp, fmt, x);
    else
        fputs("NA", fp);
}

static char *out_name(const char *prefix, const char *kind)
{
    size_t n = strlen(prefix) + strlen(kind) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s.vafwatch.%s.tsv", prefix, kind);
    return s;
}

/* The regions: a BED (--bed) or the built-in spans in the build (--build,
 * else told by 'first'), plus --reference-regions, sorted, with their GC
 * when 'gc'.  Returns 0, -1 or -2 (usage, said). */
static int load_regions(vw_cnv_regions_t *rs, const char *bed, const char *refreg, const char *genes,
                        const char *build_s, long bin, int gc, const char *first, const char *reference)
{
    if (bed) {
        if (vw_cnv_regions_load_bed(rs, bed, 0) < 0)
            return -1;
        if (build_s && (rs->build = vw_build_parse(build_s)) == VW_BUILD_UNKNOWN) {
            vw_error("--build: unknown genome build '%s' (use GRCh37 or GRCh38)", build_s);
            return -2;
        }
    } else {
        vw_build_t b = build_s ? vw_build_parse(build_s) : vw_cnv_file_build(first, reference);
        if (b == VW_BUILD_UNKNOWN) {
            if (build_s) {
                vw_error("--build: unknown genome build '%s' (use GRCh37 or GRCh38)", build_s);
                return -2;
            }
            vw_error("%s: cannot tell the genome build from the header (@SQ lengths); give --build GRCh37 "
                     "or --build GRCh38", first);
            return -1;
        }
        if (vw_cnv_regions_builtin(rs, b, genes, (int)bin) < 0) {
            vw_error("--genes: unknown gene in '%s' (built-in: ERBB2, MET, KRAS, EGFR)", genes ? genes : "");
            return -2;
        }
    }
    if (refreg && vw_cnv_regions_load_bed(rs, refreg, 1) < 0)
        return -1;
    if (vw_cnv_regions_finish(rs) < 0)
        return -1;
    if (gc && vw_cnv_regions_gc(rs, reference) < 0)
        return -1;
    return 0;
}

/* The panel of normals: one saved PoN TSV, or built from BAM/CRAM normals
 * (*nrm, *n_normals: caller frees), or none (a warning).  Returns 0, -1 or
 * -2 (usage, said). */
static int load_pon(const char **pon_files, int n_pon, const vw_cnv_regions_t *rs, const vw_count_opt_t *copt,
                    int gc, vw_cnv_pon_t **pon, vw_cnv_sample_t ***nrm, int *n_normals)
{
    if (n_pon == 1 && ends_with(pon_files[0], ".tsv"))
        return vw_cnv_pon_load(pon_files[0], rs, pon) < 0 ? -1 : 0;
    if (n_pon == 0) {
        vw_warn("no panel of normals (--pon): ratios are against the reference regions only, z is NA");
        return 0;
    }
    if (!(*nrm = calloc((size_t)n_pon, sizeof(**nrm))))
        return -1;
    for (int j = 0; j < n_pon; j++, (*n_normals)++) {
        if (ends_with(pon_files[j], ".tsv")) {
            vw_error("%s: a saved PoN is given alone, not with other --pon files", pon_files[j]);
            return -2;
        }
        if (!((*nrm)[j] = vw_cnv_load_sample(pon_files[j], NULL, rs, copt, gc)))
            return -1;
    }
    int r = vw_cnv_pon_build(rs, *nrm, n_pon, pon);
    if (r < 0) {
        vw_error_code(r, "panel of normals");
        return -1;
    }
    return 0;
}

/* The tumour fraction of every sample from the --tf arguments (NAN: not
 * given) into tfs[0..n-1].  Returns 0, -1 or -2 (usage, said). */
static int parse_tf(const char **tf_args, int n_tf, vw_cnv_sample_t *const *smp, int n, double *tfs)
{
    double dv;
    for (int i = 0; i < n; i++)
        tfs[i] = NAN;
    for (int k = 0; k < n_tf; k++) {
        const char *eq = strrchr(tf_args[k], '=');
        const char *num = eq ? eq + 1 : tf_args[k];
        if (vw_parse_double(num, &dv) || !(dv > 0) || dv > 1) {
            vw_error("--tf takes [SAMPLE=]FRACTION with 0 < FRACTION <= 1, not '%s'", tf_args[k]);
            return -2;
        }
        int hit = 0;
        for (int i = 0; i < n; i++)
            if (!eq || (strlen(smp[i]->sample) == (size_t)(eq - tf_args[k]) &&
                        !strncmp(smp[i]->sample, tf_args[k], (size_t)(eq - tf_args[k])))) {
                tfs[i] = dv;
                hit = 1;
            }
        if (!hit) {
            vw_error("--tf %s: no input sample has that name", tf_args[k]);
            return -1;
        }
    }
    return 0;
}

/* Writes PREFIX.vafwatch.cnv.tsv and PREFIX.vafwatch.cnv_regions.tsv, both
 * complete before either is put in place.  Logs; returns 0 or -1. */
static int write_tables(const char *prefix, const vw_cnv_regions_t *rs, vw_cnv_sample_t *const *smp, int n_files,
                        const vw_cnv_pon_t *pon, vw_cnv_gene_t **calls, const int *n_calls, double *const *rl2)
{
    vw_ofile_t og = {0}, orr = {0};
    char *name_g = out_name(prefix, "cnv"), *name_r = out_name(prefix, "cnv_regions");
    const char **names = malloc((size_t)n_files * sizeof(char *));
    int r = 0, ok = 0;
    if (!name_g || !name_r || !names)
        goto out;
    if ((r = vw_ofile_open(&og, name_g)) < 0 || (r = vw_ofile_open(&orr, name_r)) < 0) {
        vw_error_code(r, "%s: cannot write", og.fp ? name_r : name_g);
        goto out;
    }
    for (int i = 0; i < n_files; i++)
        names[i] = smp[i]->sample;
    if (vw_cnv_write_tsv(og.fp, names, calls, n_calls, n_files) < 0) {
        vw_error("%s: write failed", name_g);
        goto out;
    }
    FILE *fp = orr.fp;
    fputs("#sample\tchrom\tstart\tend\tgene\tkind\tfragments\tdepth_per_bp\tnorm_depth\tgc\tpon_norm_depth\tlog2r\n",
          fp);
    for (int i = 0; i < n_files; i++)
        for (int k = 0; k < rs->n; k++) {
            const vw_cnv_region_t *g = &rs->r[k];
            fprintf(fp, "%s\t%s\t%lld\t%lld\t%s\t%s\t%lld\t%.4f\t", smp[i]->sample, g->chrom, (long long)g->beg + 1,
                    (long long)g->end, g->gene, g->is_ref ? "reference" : "gene", (long long)smp[i]->frag[k],
                    (double)smp[i]->frag[k] / (double)(g->end - g->beg));
            put_num(fp, smp[i]->norm[k], "%.4f");
            fputc('\t', fp);
            put_num(fp, g->gc, "%.4f");
            fputc('\t', fp);
            put_num(fp, pon ? pon->median[k] : NAN, "%.4f");
            fputc('\t', fp);
            put_num(fp, g->is_ref ? NAN : rl2[i][k], "%.4f");
            fputc('\n', fp);
        }
    if (ferror(og.fp) || ferror(orr.fp) || (r = vw_ofile_commit(&og)) < 0 || (r = vw_ofile_commit(&orr)) < 0) {
        vw_error("%s.vafwatch.cnv*.tsv: write failed", prefix);
        goto out;
    }
    ok = 1;
out:
    if (!ok) {
        vw_ofile_abort(&og);
        vw_ofile_abort(&orr);
    }
    free(names);
    free(name_g);
    free(name_r);
    return ok ? 0 : -1;
}

/* The options of cnv besides the shared ones. */
typedef struct {
    vw_cnv_opt_t opt;
    vw_count_opt_t copt;
    const char *bed, *refreg, *genes, *build_s, *prefix;
    char *sample_arg;
    const char **pon_files, **tf_args; /* room for every argument */
    int n_pon, n_tf, gc, build_pon;
    long bin;
} cnv_args_t;

/* One option of cnv's own ('name': as given, for messages); returns -1 to
 * go on or an exit code. */
static int cnv_opt(cnv_args_t *a, int c, char *arg, const char *name)
{
    double dv;
    switch (c) {
    case 'b': a->bed = arg; break;
    case OPT_REFREG: a->refreg = arg; break;
    case OPT_GENES: a->genes = arg; break;
    case OPT_BIN:
        if (vw_parse_long(arg, &a->bin) || a->bin < 100 || a->bin > 100000000) {
            vw_error("--bin-size takes an integer from 100 to 1e8, not '%s'", arg);
            return VW_EXIT_USAGE;
        }
        break;
    case OPT_BUILD: a->build_s = arg; break;
    case OPT_GC: a->gc = 1; break;
    case OPT_PON: a->pon_files[a->n_pon++] = arg; break;
    case OPT_BUILD_PON: a->build_pon = 1; break;
    case OPT_TF: a->tf_args[a->n_tf++] = arg; break;
    case OPT_PRESET:
        if (strcmp(arg, "heracles")) {
            vw_error("--preset takes 'heracles', not '%s'", arg);
            return VW_EXIT_USAGE;
        }
        a->opt.heracles = 1;
        a->opt.min_pcn = 2.4;
        break;
    case OPT_MIN_Z: case OPT_MIN_CN: case OPT_MIN_PCN: case OPT_MIN_SD:
        if (vw_parse_double(arg, &dv) || !isfinite(dv) || dv < 0) {
            vw_error("%s takes a non-negative number, not '%s'", name, arg);
            return VW_EXIT_USAGE;
        }
        *(c == OPT_MIN_Z ? &a->opt.min_z : c == OPT_MIN_CN ? &a->opt.min_cn : c == OPT_MIN_PCN ? &a->opt.min_pcn
                                                                                              : &a->opt.min_sd) = dv;
        break;
    case 's': a->sample_arg = arg; break;
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

/* Options that exclude each other; returns -1 to go on or an exit code. */
static int cnv_check(const cnv_args_t *a, int n_files)
{
    if (n_files < 1 || !a->prefix || !*a->prefix) {
        if (n_files >= 1)
            vw_error("an output prefix (--output-prefix) is needed");
        else
            usage(stderr);
        return VW_EXIT_USAGE;
    }
    if (a->gc && !a->copt.reference) {
        vw_error("--gc needs the reference (-f/--reference FASTA)");
        return VW_EXIT_USAGE;
    }
    if (a->bed && a->genes) {
        vw_error("--genes selects built-in spans; with --bed the BED names the genes");
        return VW_EXIT_USAGE;
    }
    if (a->build_pon && a->n_pon) {
        vw_error("--build-pon takes the normals as inputs, not --pon");
        return VW_EXIT_USAGE;
    }
    return -1;
}

/* --build-pon: the panel of the n samples into PREFIX.vafwatch.cnv_pon.tsv.
 * Logs; returns 0 or -1. */
static int write_pon(const char *prefix, const vw_cnv_regions_t *rs, vw_cnv_sample_t **smp, int n)
{
    vw_cnv_pon_t *pon = NULL;
    vw_ofile_t og = {0};
    char *name = NULL;
    int r = vw_cnv_pon_build(rs, smp, n, &pon), ok = 0;
    if (r < 0) {
        vw_error_code(r, "panel of normals");
        goto out;
    }
    if (!(name = out_name(prefix, "cnv_pon")))
        goto out;
    if ((r = vw_ofile_open(&og, name)) < 0) {
        vw_error_code(r, "%s: cannot write", name);
        goto out;
    }
    if (vw_cnv_pon_write(og.fp, rs, pon) < 0 || (r = vw_ofile_commit(&og)) < 0) {
        vw_error("%s: write failed", name);
        goto out;
    }
    if (n < 3)
        vw_warn("a PoN of %d normals gives no z-scores (3 or more needed)", n);
    ok = 1;
out:
    if (!ok)
        vw_ofile_abort(&og);
    free(name);
    vw_cnv_pon_destroy(pon);
    return ok ? 0 : -1;
}

int main_cnv(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"bed", required_argument, NULL, 'b'},
        {"reference-regions", required_argument, NULL, OPT_REFREG},
        {"genes", required_argument, NULL, OPT_GENES},
        {"bin-size", required_argument, NULL, OPT_BIN},
        {"build", required_argument, NULL, OPT_BUILD},
        {"gc", no_argument, NULL, OPT_GC},
        {"pon", required_argument, NULL, OPT_PON},
        {"build-pon", no_argument, NULL, OPT_BUILD_PON},
        {"tf", required_argument, NULL, OPT_TF},
        {"preset", required_argument, NULL, OPT_PRESET},
        {"min-z", required_argument, NULL, OPT_MIN_Z},
        {"min-cn", required_argument, NULL, OPT_MIN_CN},
        {"min-pcn", required_argument, NULL, OPT_MIN_PCN},
        {"min-sd", required_argument, NULL, OPT_MIN_SD},
        {"samples", required_argument, NULL, 's'},
        VW_OPT_READ_LONG,
        {"output-prefix", required_argument, NULL, VW_OPT_OUTPUT_PREFIX},
        VW_OPT_THREADS_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    cnv_args_t A;
    memset(&A, 0, sizeof(A));
    vw_cnv_opt_init(&A.opt);
    vw_count_opt_init(&A.copt);
    A.bin = DEFAULT_BIN;
    vw_target_opt_t to = {0}; /* only its reference is set (by -f) */
    char **samples = NULL;
    int c, ex, ret = VW_EXIT_DATA, n_files = 0, n_normals = 0, r;
    vw_cnv_regions_t *rs = NULL;
    vw_cnv_sample_t **smp = NULL, **nrm = NULL;
    vw_cnv_pon_t *pon = NULL;
    vw_cnv_gene_t **calls = NULL;
    int *n_calls = NULL;
    double **rl2 = NULL, *tfs = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--genome"))
            return main_cnv_genome(argc, argv);
    A.pon_files = calloc((size_t)argc + 1, sizeof(char *));
    A.tf_args = calloc((size_t)argc + 1, sizeof(char *));
    if (!A.pon_files || !A.tf_args)
        goto out;
    while ((c = getopt_long(argc, argv, "b:f:s:q:t:@:h", lopts, NULL)) >= 0) {
        /* -f, -q, --stream, --excl-flags: the reading options count shares */
        if (!(vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &A.copt, &ex)))
            ex = cnv_opt(&A, c, optarg, argv[optind - 1]);
        if (ex >= 0) {
            ret = ex;
            goto out;
        }
    }
    n_files = argc - optind;
    char **files = argv + optind;
    if ((ex = cnv_check(&A, n_files)) >= 0) {
        ret = ex;
        goto out;
    }
    if (A.sample_arg && (r = vw_cmd_split_names(A.sample_arg, n_files, &samples)) < 0) {
        ret = r == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    /* regions */
    if (!(rs = vw_cnv_regions_init()))
        goto out;
    if ((r = load_regions(rs, A.bed, A.refreg, A.genes, A.build_s, A.bin, A.gc, files[0], A.copt.reference)) < 0) {
        ret = r == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    /* samples */
    if (!(smp = calloc((size_t)n_files, sizeof(*smp))))
        goto out;
    for (int i = 0; i < n_files; i++)
        if (!(smp[i] = vw_cnv_load_sample(files[i], samples ? samples[i] : NULL, rs, &A.copt, A.gc)))
            goto out;
    if (A.build_pon) {
        if (write_pon(A.prefix, rs, smp, n_files) == 0)
            ret = VW_EXIT_OK;
        goto out;
    }
    if ((r = load_pon(A.pon_files, A.n_pon, rs, &A.copt, A.gc, &pon, &nrm, &n_normals)) < 0) {
        ret = r == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    if (pon && pon->n_normals < 3)
        vw_warn("a PoN of %d normals gives no z-scores (3 or more needed)", pon->n_normals);
    /* tumour fractions */
    if (!(tfs = malloc((size_t)n_files * sizeof(double))))
        goto out;
    if ((r = parse_tf(A.tf_args, A.n_tf, smp, n_files, tfs)) < 0) {
        ret = r == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    /* calls and tables */
    calls = calloc((size_t)n_files, sizeof(*calls));
    n_calls = calloc((size_t)n_files, sizeof(int));
    rl2 = calloc((size_t)n_files, sizeof(*rl2));
    if (!calls || !n_calls || !rl2)
        goto out;
    for (int i = 0; i < n_files; i++) {
        if (!(rl2[i] = malloc((size_t)rs->n * sizeof(double))) ||
            vw_cnv_call(rs, smp[i], pon, tfs[i], &A.opt, rl2[i], &calls[i], &n_calls[i]) < 0) {
            vw_error_code(-ENOMEM, "calls");
            goto out;
        }
    }
    if (write_tables(A.prefix, rs, smp, n_files, pon, calls, n_calls, rl2) < 0)
        goto out;
    ret = VW_EXIT_OK;
out:
    if (smp)
        for (int i = 0; i < n_files; i++)
            vw_cnv_sample_destroy(smp[i]);
    if (nrm)
        for (int j = 0; j < n_normals; j++)
            vw_cnv_sample_destroy(nrm[j]);
    if (calls)
        for (int i = 0; i < n_files; i++)
            free(calls[i]);
    if (rl2)
        for (int i = 0; i < n_files; i++)
            free(rl2[i]);
    free(smp);
    free(nrm);
    free(calls);
    free(n_calls);
    free(rl2);
    free(tfs);
    free(samples);
    free(A.pon_files);
    free(A.tf_args);
    vw_cnv_pon_destroy(pon);
    vw_cnv_regions_destroy(rs);
    return ret;
}
