/* cmd_count.c -- vafwatch count: fragments at the targets of BAM/CRAM files. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/sam.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "vafwatch/vcfin.h"
#include "cmd.h"

enum { OPT_JSON = VW_OPT_CMD_FIRST, OPT_NO_SELF, OPT_FLANK, OPT_MOLECULES, OPT_MATE_BUFFER };

static void usage(FILE *fp)
{
    vw_count_opt_t d;
    vw_count_opt_init(&d);
    char *fl = bam_flag2str((int)d.excl_flags);
    fprintf(fp,
            "\n"
            "Usage: vafwatch count [options] <in.bam|in.cram|in.vcf[.gz]|in.bcf|-> [...]\n\n"
            "Counts reference, alternate and other DNA fragments at every target of each file.\n"
            "A read pair is one fragment; overlapping mates count once; mates that disagree\n"
            "count for neither allele (column 'discordant').  No depth limit.\n"
            "VCF/BCF inputs (.vcf, .vcf.gz, .bcf) from another caller give one evidence record per\n"
            "sample column, from FORMAT AD, AU/CU/GU/TU, TAR/TIR, RD, or AF/FA/VF/FREQ with DP;\n"
            "targets a VCF neither calls nor covers with a reference block are NA.\n\n"
            "Input:\n"
            "  -T, --targets FILE       user targets (VCF/BCF, BED with --reference, or TSV); repeatable\n"
            "      --no-builtin         count only the user targets\n"
            "      --build NAME         GRCh37 or GRCh38 [told by the first file's @SQ lengths]\n"
            "  -f, --reference FASTA    reference: needed for CRAM; checks every target's REF and\n"
            "                           matches indels anywhere in their repeat\n"
            VW_OPT_REGION_HELP
            "  -s, --samples LIST       comma-separated sample names, one per file [@RG SM]; for a\n"
            "                           VCF the sample column to read [all columns]\n"
            "      --stream             read files from start to end, no index needed ('-' implies it)\n"
            "      --mate-buffer INT    reads waiting for their mates kept in memory (~200 bytes each);\n"
            "                           past it the farthest wait in a temporary file ($TMPDIR):\n"
            "                           same counts, bounded memory (a small bound is slow: each\n"
            "                           spill is one file); 0 = no bound [131072]\n"
            "Filtering:\n"
            VW_OPT_FILTER_HELP /* (three arguments: min MQ, min BQ, the flags) */
            VW_OPT_MOLECULE_HELP
            "Self background (BAM/CRAM with an index; what 'call' uses where no model site is):\n"
            "      --flank INT          bp each side of each target [" VW_CMD_FLANK_STR "]\n"
            "      --no-self            do not measure it (no '#self_background' lines)\n"
            "Output:\n"
            "  -o, --output FILE        evidence table (TSV) ['-' = standard output]\n"
            "      --json FILE          also write the counts as JSON\n"
            "      --molecules FILE     also write the molecule table (family sizes, duplex;\n"
            "                           --count-unit molecule)\n"
            "  -@, --threads INT        threads (-t is the same): files counted in parallel; for a single file,\n"
            "                           BGZF decompression threads (through the index), or one\n"
            "                           thread decoding while one counts (streaming) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "A progress line (files done, reads per second) is shown when standard error is a\n"
            "terminal, never with --quiet.  Output columns are described in docs/formats.md.\n\n",
            d.min_mq, d.min_bq, fl ? fl : "");
    free(fl);
}

typedef struct {
    char **files;
    char **samples;
    int n_files;
    const vw_targets_t *ts;
    const vw_count_opt_t *opt;
    vw_sample_counts_t **res;
    int *rc;
    int next;
    vw_count_in_t *first;  /* files[0] opened already (a pipe: its header gave the build), or NULL */
    int failed;        /* a file failed: the others not yet started are not read */
    vw_progress_t prog;
    pthread_mutex_t lock;
} job_t;

static void *worker(void *arg)
{
    job_t *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int i = j->failed ? j->n_files : j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->n_files)
            break;
        if (vw_vcfin_is_vcf(j->files[i]))
            continue; /* read by the main thread */
        /* with opt->self_flank, files read through their index also get their
         * self background in this pass */
        const char *sample = j->samples ? j->samples[i] : NULL;
        if (i == 0 && j->first) {
            j->rc[i] = vw_count_in(j->first, sample, j->ts, j->opt, &j->res[i]);
            j->first = NULL;
        } else {
            j->rc[i] = vw_count_file(j->files[i], sample, j->ts, j->opt, &j->res[i]);
        }
        pthread_mutex_lock(&j->lock);
        if (j->rc[i] < 0)
            j->failed = 1; /* stop at the first error: one message, not one per bad file */
        vw_progress_step(&j->prog, j->rc[i] == 0 ? j->res[i]->n_reads : 0);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

/* The outputs: standard input read once, no two outputs in one file
 * (except a device), --molecules only with molecules, no output that is an
 * input.  Logs; returns 0 or -1 (a usage error). */
static int check_outputs(const char *out, const char *json, const char *moltab, const vw_count_opt_t *opt,
                         const vw_target_opt_t *to, char **files, int n_files)
{
    int n_stdin = 0;
    for (int i = 0; i < n_files; i++)
        n_stdin += strcmp(files[i], "-") == 0;
    if (n_stdin > 1) {
        vw_error("standard input ('-') can be read only once");
        return -1;
    }
    struct stat sj;
    if (json && strcmp(json, "-") && strcmp(json, out) == 0 && !(stat(json, &sj) == 0 && !S_ISREG(sj.st_mode))) {
        vw_error("--output and --json name the same file '%s'", json);
        return -1;
    }
    if (moltab && opt->unit != VW_UNIT_MOLECULE) {
        vw_error("--molecules needs --count-unit molecule");
        return -1;
    }
    if (moltab && !strcmp(moltab, "-") && (!strcmp(out, "-") || (json && !strcmp(json, "-")))) {
        vw_error("--molecules -: standard output already holds another table (give --output FILE)");
        return -1;
    }
    if (moltab && strcmp(moltab, "-") && ((strcmp(moltab, out) == 0 && !(stat(moltab, &sj) == 0 && !S_ISREG(sj.st_mode)))
                                          || (json && strcmp(moltab, json) == 0))) {
        vw_error("--molecules names the same file as another output: '%s'", moltab);
        return -1;
    }
    for (int k = 0; k < 3; k++) {
        const char *o = k == 2 ? moltab : k ? json : out;
        if (!o)
            continue;
        const char *ref[1] = {to->reference};
        if (vw_output_is_input(o, (const char *const *)files, n_files) ||
            vw_output_is_input(o, to->targets, to->n_targets) || vw_output_is_input(o, ref, 1)) {
            vw_error("%s: the output would overwrite an input file", o);
            return -1;
        }
    }
    return 0;
}

/* Writes the evidence table, the JSON and the molecule table (those given),
 * all complete and flushed before any is put in place.  Logs; returns 0
 * or -1 (nothing left behind). */
static int write_outputs(const char *out, const char *json, const char *moltab, const vw_targets_t *ts,
                         vw_sample_counts_t *const *all, int n_out)
{
    vw_ofile_t of = {0}, oj = {0}, om = {0};
    int r = vw_ofile_open(&of, out);
    if (r < 0) {
        vw_error_code(r, "%s: cannot write", out);
        goto fail;
    }
    if ((r = vw_count_write_tsv(of.fp, ts, all, n_out)) < 0) {
        vw_error_code(r == -EIO ? vw_stream_error(of.fp) : r, "%s: write failed", out);
        goto fail;
    }
    if (json) {
        if ((r = vw_ofile_open(&oj, json)) < 0) {
            vw_error_code(r, "%s: cannot write", json);
            goto fail;
        }
        if ((r = vw_count_write_json(oj.fp, ts, all, n_out, vw_cmd_line())) < 0) {
            vw_error_code(r == -EIO ? vw_stream_error(oj.fp) : r, "%s: write failed", json);
            goto fail;
        }
    }
    if (moltab) {
        if ((r = vw_ofile_open(&om, moltab)) < 0) {
            vw_error_code(r, "%s: cannot write", moltab);
            goto fail;
        }
        if ((r = vw_count_write_molecules(om.fp, ts, all, n_out)) < 0) {
            vw_error_code(r, "%s: write failed", moltab);
            goto fail;
        }
    }
    /* all are complete and flushed before any is renamed into place */
    vw_ofile_t *both[3] = {&of, json ? &oj : NULL, moltab ? &om : NULL};
    for (int k = 0; k < 3; k++)
        if (both[k] && both[k]->fp != stdout && (fflush(both[k]->fp) != 0 || ferror(both[k]->fp))) {
            vw_error_code(errno ? -errno : -EIO, "%s: write failed", both[k]->path);
            goto fail;
        }
    if ((r = vw_ofile_commit(&of)) < 0) {
        vw_error_code(r, "%s: write failed", out);
        goto fail;
    }
    if (json && (r = vw_ofile_commit(&oj)) < 0) {
        vw_error_code(r, "%s: write failed", json);
        goto fail;
    }
    if (moltab && (r = vw_ofile_commit(&om)) < 0) {
        vw_error_code(r, "%s: write failed", moltab);
        goto fail;
    }
    return 0;
fail:
    vw_ofile_abort(&of);
    vw_ofile_abort(&oj);
    vw_ofile_abort(&om);
    return -1;
}

/* Counts the BAM/CRAM/SAM files (VCFs are read later) in 'threads'
 * threads: res[i] and rc[i] per file.  Takes ownership of 'first' (files[0]
 * opened already, or NULL).  Returns 0, or -1 when a file failed (said). */
static int count_files(char **files, char **samples, int n_files, const vw_targets_t *ts, vw_count_opt_t *opt,
                       int threads, vw_count_in_t *first, vw_sample_counts_t **res, int *rcs)
{
    int workers = threads < n_files ? threads : n_files;
    if (workers <= 1 && threads > 1)
        opt->threads = threads;
    job_t job;
    memset(&job, 0, sizeof(job));
    job.files = files;
    job.samples = samples;
    job.n_files = n_files;
    job.ts = ts;
    job.opt = opt;
    job.res = res;
    job.rc = rcs;
    job.first = first;
    int n_bam = 0;
    for (int i = 0; i < n_files; i++)
        n_bam += !vw_vcfin_is_vcf(files[i]);
    vw_progress_init(&job.prog, "count", "counted", "files", n_bam);
    pthread_mutex_init(&job.lock, NULL);
    vw_run_workers(worker, &job, workers);
    pthread_mutex_destroy(&job.lock);
    vw_progress_end(&job.prog);
    vw_count_in_close(job.first); /* not counted: an earlier file failed */
    for (int i = 0; i < n_files; i++)
        if (rcs[i] < 0)
            return -1;
    return 0;
}

/* Reads the VCF/BCF inputs (vres[i], vn[i]) and lists every sample in
 * input order (*ret_all, borrowed pointers; caller frees the array), names
 * checked.  Logs; returns 0 or -1. */
static int gather(char **files, int n_files, const vw_targets_t *ts, char **samples, vw_sample_counts_t **res,
                  vw_sample_counts_t ***vres, int *vn, vw_sample_counts_t ***ret_all, int *ret_n)
{
    int n_out = 0;
    for (int i = 0; i < n_files; i++) {
        if (!vw_vcfin_is_vcf(files[i])) {
            n_out++;
            continue;
        }
        const char *only = samples && *samples[i] ? samples[i] : NULL;
        if (vw_vcfin_read(files[i], ts, only, &vres[i], &vn[i]) < 0)
            return -1; /* the reader has said why */
        n_out += vn[i];
    }
    vw_sample_counts_t **all = calloc((size_t)(n_out ? n_out : 1), sizeof(*all));
    if (!all)
        return -1;
    for (int i = 0, k = 0; i < n_files; i++) {
        if (!vw_vcfin_is_vcf(files[i])) {
            all[k++] = res[i];
            continue;
        }
        for (int j = 0; j < vn[i]; j++)
            all[k++] = vres[i][j];
    }
    *ret_all = all;
    *ret_n = n_out;
    return vw_sample_names_check(all, n_out) < 0 ? -1 : 0;
}

int main_count(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"samples", required_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'},
        {"json", required_argument, NULL, OPT_JSON},
        VW_OPT_THREADS_LONG,
        VW_OPT_REGION_LONG,
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {"flank", required_argument, NULL, OPT_FLANK},
        {"molecules", required_argument, NULL, OPT_MOLECULES},
        {"mate-buffer", required_argument, NULL, OPT_MATE_BUFFER},
        VW_OPT_COUNT_LONG,
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_count_opt_t opt;
    vw_count_opt_init(&opt);
    vw_target_opt_t to = {0};
    const char *out = "-", *json = NULL, *moltab = NULL;
    char *sample_arg = NULL, **samples = NULL;
    long flank = VW_CMD_FLANK;
    int threads = 1;
    int ret = VW_EXIT_DATA, c, ex, no_self = 0, r;
    vw_targets_t *ts = NULL;
    vw_count_in_t *first = NULL;
    vw_sample_counts_t **res = NULL;
    int *rcs = NULL, n_files = 0, n_out = 0, *vn = NULL;
    vw_sample_counts_t ***vres = NULL, **all = NULL;
    to.targets = calloc((size_t)argc, sizeof(char *));
    to.regions = calloc((size_t)argc, sizeof(char *));
    if (!to.targets || !to.regions) {
        free(to.targets);
        free(to.regions);
        return VW_EXIT_DATA;
    }
    while ((c = getopt_long(argc, argv, "T:f:r:R:s:q:Q:o:t:@:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &opt, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case 's': sample_arg = optarg; break;
        case 'o': out = optarg; break;
        case OPT_JSON: json = optarg; break;
        case OPT_MOLECULES: moltab = optarg; break;
        case OPT_NO_SELF: no_self = 1; break;
        case OPT_FLANK:
            if (vw_cmd_flank_arg(optarg, &flank) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_MATE_BUFFER: {
            long mb;
            if (vw_cmd_long_arg("--mate-buffer", optarg, 0, 1L << 30, &mb) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            opt.mate_buffer = (size_t)mb;
            break;
        }
        case 't':
        case '@':
            if (vw_cmd_threads_arg(optarg, &threads) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    n_files = argc - optind;
    if (n_files < 1) {
        usage(stderr);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    char **files = argv + optind;
    if (check_outputs(out, json, moltab, &opt, &to, files, n_files) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (sample_arg && (r = vw_cmd_split_names(sample_arg, n_files, &samples)) < 0) {
        ret = r == -2 ? VW_EXIT_USAGE : VW_EXIT_DATA;
        goto out;
    }
    if (vw_cmd_need_targets(&to) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    /* a pipe can be read once: its header gives the build, and the same open is counted */
    if (!vw_vcfin_is_vcf(files[0]) && vw_input_is_pipe(files[0]) && vw_count_open(files[0], &opt, &first) < 0)
        goto out;
    ts = first ? vw_targets_build_hdr(&to, files[0], vw_count_in_header(first)) : vw_targets_build(&to, files[0]);
    if (!ts)
        goto out;
    res = calloc((size_t)n_files, sizeof(*res));
    rcs = calloc((size_t)n_files, sizeof(int));
    if (!res || !rcs)
        goto out;
    if (!no_self)
        opt.self_flank = (int)flank;
    r = count_files(files, samples, n_files, ts, &opt, threads, first, res, rcs);
    first = NULL; /* closed by count_files */
    if (r < 0)
        goto out; /* the engine has said why */
    /* VCF/BCF inputs give any number of samples each; keep the input order */
    vres = calloc((size_t)n_files, sizeof(*vres));
    vn = calloc((size_t)n_files, sizeof(int));
    if (!vres || !vn || gather(files, n_files, ts, samples, res, vres, vn, &all, &n_out) < 0)
        goto out;
    if (write_outputs(out, json, moltab, ts, all, n_out) < 0)
        goto out;
    for (int i = 0; i < n_out; i++)
        vw_info("%s: sample %s, %lld records read, %lld used, %d targets", all[i]->path, all[i]->sample,
                (long long)all[i]->n_reads, (long long)all[i]->n_used, ts->n);
    ret = VW_EXIT_OK;
out:
    vw_count_in_close(first);
    if (res)
        for (int i = 0; i < n_files; i++)
            vw_sample_counts_destroy(res[i]);
    free(res);
    if (vres)
        for (int i = 0; i < n_files; i++) {
            for (int j = 0; j < vn[i]; j++)
                vw_sample_counts_destroy(vres[i][j]);
            free(vres[i]);
        }
    free(vres);
    free(vn);
    free(all);
    free(rcs);
    free(samples);
    vw_targets_destroy(ts);
    free(to.targets);
    free(to.regions);
    return ret;
}
