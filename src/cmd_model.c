/* cmd_model.c -- vafwatch model build: the background error model from a
 * panel of normals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vw_config.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "cmd.h"

enum { OPT_VAFMAX = VW_OPT_CMD_FIRST, OPT_NOISY2, OPT_NOISY1, OPT_DATE, OPT_MIN_NDEPTH, OPT_NO_SHRINK, OPT_NO_SCALE, OPT_OUTLIER_P };

static void usage(FILE *fp)
{
    vw_count_opt_t d;
    vw_model_opt_t m;
    vw_count_opt_init(&d);
    vw_model_opt_init(&m);
    char *fl = bam_flag2str((int)d.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch model build [options] -o model.tsv <normal.bam|normal.vcf.gz|counts.tsv> [...]\n\n"
            "Fits the background error of every target on a panel of normals: a beta-binomial\n"
            "(mean mu, over-dispersion rho) per site x substitution, strands pooled. Normals whose\n"
            "VAF at a target exceeds --vaf-max are left out of that target's fit. A site is noisy\n"
            "when >= 2 alt fragments show in at least --noisy-frac2 of the normals, or >= 1 in at\n"
            "least --noisy-frac1. Inputs: evidence tables of 'vafwatch count', BAM/CRAM, VCF/BCF.\n"
            "With --count-unit molecule the file holds one fit per evidence class (the options' own,\n"
            "molecule, molecule_f3 and duplex; BAM/CRAM counted once per class: docs/umi.md).\n\n"
            "Input:\n"
            "  -T, --targets FILE       user targets (VCF/BCF, BED with --reference, or TSV); repeatable\n"
            "      --no-builtin         only the user targets\n"
            "      --build NAME         GRCh37 or GRCh38 [told by the first file's header]\n"
            "  -f, --reference FASTA    reference (CRAM; REF checks)\n"
            VW_OPT_REGION_HELP
            "      --stream             read BAM/CRAM from start to end, no index needed\n"
            "Filtering (BAM/CRAM, as in 'count'):\n"
            VW_OPT_FILTER_HELP /* (three arguments: min MQ, min BQ, the flags) */
            VW_OPT_MOLECULE_HELP
            "Model:\n"
            "      --vaf-max FLOAT      leave out normals with VAF above this [%g]\n"
            "      --noisy-frac2 FLOAT  noisy: share of normals with >= 2 alt [%g]\n"
            "      --noisy-frac1 FLOAT  noisy: share of normals with >= 1 alt [%g]\n"
            "      --min-normal-depth INT  leave out a normal with fewer fragments at a site [%ld]\n"
            "      --no-shrink          fit each site on its own (no empirical-Bayes shrinkage\n"
            "                           of mu and rho/mu toward the substitution class)\n"
            "      --no-scale           no error level per normal (with 8 normals or more each\n"
            "                           normal's level is divided out and 'call' rescales each\n"
            "                           sample by its own: docs/calling.md)\n"
            "      --normal-outlier-p FLOAT  leave a normal out of a site where its count is above\n"
            "                           the site's other normals at p < FLOAT / normals (its own\n"
            "                           variant: CH, germline); 0: never [%g]\n"
            "Output:\n"
            "  -o, --output FILE        model file (TSV with '##' provenance lines) [required]\n"
            "      --date               write today's date into the provenance (not reproducible)\n"
            "  -@, --threads INT        BGZF decompression threads (-t is the same) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "The model file format is described in docs/calling.md.\n\n",
            d.min_mq, d.min_bq, fl ? fl : "", m.fit.vaf_max, m.noisy_frac2, m.noisy_frac1, m.min_depth, m.outlier_p);
    free(fl);
}

static int parse_frac(const char *name, const char *arg, double lo_excl, double hi, double *v)
{
    if (vw_parse_double(arg, v) != 0 || !(*v > lo_excl && *v <= hi)) {
        vw_error("--%s takes a number in (%g, %g], not '%s'", name, lo_excl, hi, arg);
        return -1;
    }
    return 0;
}

static int parse_outlier_p(const char *arg, double *v)
{
    if (vw_parse_double(arg, v) != 0 || !(*v >= 0 && *v < 1)) {
        vw_error("--normal-outlier-p takes a number in [0, 1), not '%s'", arg);
        return -1;
    }
    return 0;
}

/* Writes the model with its provenance lines.  Logs; returns 0 or -1. */
static int write_model(const vw_model_t *model, const vw_model_opt_t *mo, const vw_count_opt_t *opt, int date,
                       const char *out)
{
    vw_ofile_t of = {0};
    kstring_t o1 = {0, 0, NULL}, o2 = {0, 0, NULL}, o3 = {0, 0, NULL}, o4 = {0, 0, NULL};
    int r, ok = 0;
    ksprintf(&o1, "vafwatchVersion=%s", VW_VERSION_LONG);
    ksprintf(&o2, "vafwatchCommand=%s", vw_cmd_line());
    ksprintf(&o3, "options=vaf_max=%g;pseudo_alt=%g;pseudo_ref=%g;rho_rel_min=%g;rho_max=%g;noisy_frac2=%g;"
                  "noisy_frac1=%g;min_depth=%ld;shrink_n0=%g;min_MQ=%d;min_BQ=%d;count_unit=%s;strand=pooled",
             mo->fit.vaf_max, mo->fit.pseudo_alt, mo->fit.pseudo_ref, mo->rho_rel_min, mo->fit.rho_max, mo->noisy_frac2,
             mo->noisy_frac1, mo->min_depth, mo->shrink_n0, opt->min_mq, opt->min_bq,
             opt->unit == VW_UNIT_READ ? "read" : opt->unit == VW_UNIT_MOLECULE ? "molecule" : "fragment");
    if (opt->unit == VW_UNIT_MOLECULE) /* the evidence class of the background */
        ksprintf(&o3, ";min_family=%d;duplex_only=%d", opt->min_family, opt->duplex_only);
    const char *prov[4] = {o1.s, o2.s, o3.s, NULL};
    int n_prov = 3;
    if (date) {
        time_t now = time(NULL);
        struct tm tmv;
        char buf[16];
        if (gmtime_r(&now, &tmv) && strftime(buf, sizeof(buf), "%Y-%m-%d", &tmv)) {
            ksprintf(&o4, "date=%s", buf);
            prov[n_prov++] = o4.s;
        }
    }
    if ((r = vw_ofile_open(&of, out)) < 0) {
        vw_error_code(r, "%s: cannot write", out);
        goto fail;
    }
    if (vw_model_write_tsv(of.fp, model, prov, n_prov) < 0 || (r = vw_ofile_commit(&of)) < 0) {
        vw_error("%s: write failed", out);
        goto fail;
    }
    ok = 1;
fail:
    if (!ok)
        vw_ofile_abort(&of);
    free(o1.s);
    free(o2.s);
    free(o3.s);
    free(o4.s);
    return ok ? 0 : -1;
}

int main_model(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"vaf-max", required_argument, NULL, OPT_VAFMAX},
        {"noisy-frac2", required_argument, NULL, OPT_NOISY2},
        {"noisy-frac1", required_argument, NULL, OPT_NOISY1},
        {"min-normal-depth", required_argument, NULL, OPT_MIN_NDEPTH},
        {"no-shrink", no_argument, NULL, OPT_NO_SHRINK},
        {"no-scale", no_argument, NULL, OPT_NO_SCALE},
        {"normal-outlier-p", required_argument, NULL, OPT_OUTLIER_P},
        {"output", required_argument, NULL, 'o'},
        {"date", no_argument, NULL, OPT_DATE},
        VW_OPT_THREADS_LONG,
        VW_OPT_COUNT_LONG,
        VW_OPT_REGION_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_count_opt_t opt;
    vw_model_opt_t mo;
    vw_count_opt_init(&opt);
    vw_model_opt_init(&mo);
    vw_target_opt_t to = {0};
    vw_evidence_t ev = {0};
    vw_model_t *model = NULL;
    const char *out = NULL;
    int ret = VW_EXIT_DATA, c, ex, date = 0, nt = 1;
    if (argc < 2 || strcmp(argv[1], "build") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            usage(stdout);
            return VW_EXIT_OK;
        }
        if (argc >= 2)
            vw_error("unknown model subcommand '%s' (only 'build')", argv[1]);
        usage(stderr);
        return VW_EXIT_USAGE;
    }
    argc--;
    argv++;
    to.targets = calloc((size_t)argc, sizeof(char *));
    to.regions = calloc((size_t)argc, sizeof(char *));
    if (!to.targets || !to.regions) {
        free(to.targets);
        free(to.regions);
        return VW_EXIT_DATA;
    }
    while ((c = getopt_long(argc, argv, "T:f:r:R:q:Q:o:t:@:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &opt, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case OPT_VAFMAX:
            if (parse_frac("vaf-max", optarg, 0, 1, &mo.fit.vaf_max)) { ret = VW_EXIT_USAGE; goto out; }
            break;
        case OPT_NOISY2:
            if (parse_frac("noisy-frac2", optarg, 0, 1, &mo.noisy_frac2)) { ret = VW_EXIT_USAGE; goto out; }
            break;
        case OPT_NOISY1:
            if (parse_frac("noisy-frac1", optarg, 0, 1, &mo.noisy_frac1)) { ret = VW_EXIT_USAGE; goto out; }
            break;
        case OPT_MIN_NDEPTH:
            if (vw_cmd_long_arg("--min-normal-depth", optarg, 0, 1000000000L, &mo.min_depth)) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_NO_SHRINK: mo.shrink = 0; break;
        case OPT_NO_SCALE: mo.scale = 0; break;
        case OPT_OUTLIER_P:
            if (parse_outlier_p(optarg, &mo.outlier_p)) { ret = VW_EXIT_USAGE; goto out; }
            break;
        case 'o': out = optarg; break;
        case OPT_DATE: date = 1; break;
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
    if (!out) {
        vw_error("give the model file with -o");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (argc - optind < 1) {
        usage(stderr);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (vw_cmd_need_targets(&to) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    {
        const char *outs[1] = {out}, *ref[1] = {to.reference};
        if (vw_outputs_clash(outs, 1, (const char *const *)argv + optind, argc - optind)
            || vw_outputs_clash(outs, 1, to.targets, to.n_targets) || vw_outputs_clash(outs, 1, ref, 1)) {
            ret = VW_EXIT_USAGE;
            goto out;
        }
    }
    if (!(model = vw_model_init()))
        goto out;
    int r;
    if (opt.unit == VW_UNIT_MOLECULE) { /* every evidence class in one model (docs/umi.md) */
        if (vw_evclass_build(&to, &opt, argv + optind, argc - optind, &mo, model, &ev) < 0)
            goto out;
    } else if (vw_evidence_load(&to, &opt, argv + optind, argc - optind, &ev) < 0) {
        goto out;
    } else if ((r = vw_model_fit(model, ev.ts, ev.s, ev.n, &mo)) < 0) {
        vw_error_code(r, "model fit");
        goto out;
    }
    if (ev.n < 20)
        vw_warn("%d normal(s): a panel of at least 20 is advised (docs/calling.md)", ev.n);
    {
        int few = 0;
        for (int i = 0; i < model->n; i++)
            few += model->s[i].n_normals < 5;
        if (few)
            vw_warn("%d site(s) rest on fewer than 5 normals with >= %ld fragments: their over-dispersion "
                    "is mostly their class's (the n_normals column says how many)", few, mo.min_depth);
    }
    if (write_model(model, &mo, &opt, date, out) < 0)
        goto out;
    int n_noisy = 0;
    for (int i = 0; i < model->n; i++)
        n_noisy += model->s[i].noisy;
    vw_info("%d normal(s), %d target(s), %d site(s) fitted, %d noisy", ev.n, ev.ts->n, model->n, n_noisy);
    ret = VW_EXIT_OK;
out:
    vw_model_destroy(model);
    vw_evidence_free(&ev);
    free(to.targets);
    free(to.regions);
    return ret;
}
