/*
 * cmd_run.c -- vafwatch run: the whole chain from one cohort sheet.
 *
 * count (every file of the sheet, in parallel, cached in DIR/counts/) ->
 * model (from the sheet's normals, unless --model) -> call -> track ->
 * leadtime, every table written into DIR.  A re-run after adding draws
 * counts only the new (or changed) files: a cached count is used when its
 * key -- the input's identity (device, inode, size, modification and change
 * times, a print of its first and last 64 KiB), the counting options and a
 * digest of the targets -- is unchanged.  Everything but the cache is
 * written into a staging directory and put in place at the end as one set
 * (vw_oset_*, util.h), one run at a time.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vw_config.h"
#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "vafwatch/patient.h"
#include "vafwatch/report.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "vafwatch/vcfin.h"
#include "cmd.h"

enum { OPT_ALPHA_CALL = VW_OPT_TRACK_LAST + 1, OPT_NO_SELF, OPT_FLANK, OPT_NO_CACHE, OPT_CNV_BED,
       OPT_CNV_BUILTIN, OPT_CNV_PON, OPT_TF_FROM, OPT_CNV_REF, OPT_GENOME_TSV };

static void usage(FILE *fp)
{
    vw_count_opt_t d;
    vw_call_opt_t co;
    vw_count_opt_init(&d);
    vw_call_opt_init(&co);
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
            "Counting:\n"
            "  -q, --min-MQ INT         [%d]\n"
            "  -Q, --min-BQ INT         [%d]\n"
            "      --excl-flags FLAGS   [%s]\n"
            "      --proper-pair        properly paired reads only\n"
            "      --count-unit UNIT    fragment, read or molecule [fragment]\n"
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
            "      --flank INT          bp around each target for the self background [50]\n",
            d.min_mq, d.min_bq, fl ? fl : "", co.alpha, co.min_depth, co.bg_floor);
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
            "Output:\n"
            "  -@, --threads INT        files counted at once (-t is the same) [1]\n"
            VW_OPT_COMMON_HELP
            "\n"
            "A progress line is shown on a terminal (not with --quiet).  Columns: docs/formats.md,\n"
            "docs/calling.md, docs/tracking.md.\n\n");
    free(fl);
}

/* ------------------------------------------------------------------ */
/* Counting with a cache                                               */

typedef struct {
    const vw_sample_t *smp;     /* the sheet row */
    vw_sample_counts_t *counts; /* result, with its self background (have_self) */
    int cached;                 /* 1: taken from the cache */
    int rc;
} draw_t;

typedef struct {
    draw_t *d;
    int n;
    int next;
    const vw_targets_t *ts;
    const vw_count_opt_t *co;
    const char *dir;
    const char *key_opts;       /* options and targets part of the cache key */
    int self, flank, use_cache;
    int failed;                 /* a draw failed: the draws not yet started are not read */
    vw_progress_t prog;
    pthread_mutex_t lock;
} runjob_t;

static uint64_t targets_digest(const vw_targets_t *ts)
{
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        char buf[64];
        const char *parts[4] = {t->chrom, t->ref, t->alt, buf};
        snprintf(buf, sizeof(buf), "%lld", (long long)t->beg);
        for (int k = 0; k < 4; k++) {
            for (const char *p = parts[k]; *p; p++) {
                h ^= (uint8_t)*p;
                h *= 1099511628211ULL;
            }
            h ^= 0xff;
            h *= 1099511628211ULL;
        }
    }
    return h;
}

/* DIR/counts/NAME.vafwatch.counts.tsv, NAME the sample name with every
 * byte that is not safe in a file name written as %XX ('%' itself too, and
 * a leading '.'): distinct samples get distinct files ("x/y" is x%2Fy,
 * "x_y" stays x_y), and so do their temporary names. */
static char *cache_path(const char *dir, const char *sample)
{
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "%s/counts/", dir);
    for (const unsigned char *p = (const unsigned char *)sample; *p; p++) {
        int safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
                   || (*p >= 0x80) || (strchr("_-+=,@", *p) && *p) || (*p == '.' && p != (const unsigned char *)sample);
        if (safe)
            kputc(*p, &ks);
        else
            ksprintf(&ks, "%%%02X", *p);
    }
    kputs(".vafwatch.counts.tsv", &ks);
    return ks.s;
}

/* FNV-1a over the first and the last 64 KiB of a regular file (the whole of
 * a small one): with the inode, size and times in the key, a content
 * check that costs two reads. */
static int content_print(const char *path, off_t size, uint64_t *ret)
{
    enum { PART = 65536 };
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -errno;
    unsigned char *buf = malloc(PART);
    uint64_t h = 1469598103934665603ULL;
    int rc = buf ? 0 : -ENOMEM;
    for (int part = 0; rc == 0 && part < 2; part++) {
        if (part == 1 && (size <= PART || fseeko(fp, size > 2 * PART ? size - PART : PART, SEEK_SET) != 0))
            break;
        size_t n = fread(buf, 1, PART, fp);
        if (ferror(fp))
            rc = -EIO;
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ULL;
        }
    }
    free(buf);
    fclose(fp);
    if (rc == 0)
        *ret = h;
    return rc;
}

/* The key of one draw: the input's identity (device, inode, size,
 * modification and change times to the nanosecond, and a print of its
 * first and last 64 KiB) plus the options and targets.  A rewrite, even
 * of the same size within one second, changes the change time; a copy
 * that keeps the modification time (cp -p, rsync -a) is another inode
 * with another change time.  Returns 0 and *ret_key (NULL when the input
 * is not a regular file: a pipe is counted, never cached), or -errno. */
static int draw_key(const runjob_t *j, const vw_sample_t *s, char **ret_key)
{
    struct stat st;
    uint64_t print = 0;
    *ret_key = NULL;
    if (stat(s->path, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return 0;
    int r = content_print(s->path, st.st_size, &print);
    if (r < 0)
        return r;
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "vafwatch-count-cache 3\t%s\t%llu:%llu\t%lld\t%lld.%09ld\t%lld.%09ld\t%016llx\t%s", s->path,
             (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
             (unsigned long long)print, j->key_opts);
    if (!ks.s)
        return -ENOMEM;
    for (char *p = ks.s; *p; p++) /* the key is one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    *ret_key = ks.s;
    return 0;
}

/* Takes a draw from the cache when its entry is whole and its key is
 * 'key'.  A broken entry is said and counted again, not an error.
 * Returns 1 when taken. */
static int cache_load(runjob_t *j, draw_t *d, const char *key)
{
    char *tp = cache_path(j->dir, d->smp->sample);
    vw_sample_counts_t *c = NULL;
    int r = tp ? vw_count_read_cache(tp, j->ts, key, &c) : 0;
    int want_self = j->self && !vw_vcfin_is_vcf(d->smp->path) && j->co->unit != VW_UNIT_MOLECULE;
    if (r == 1 && c->have_self != want_self) {
        vw_sample_counts_destroy(c);
        r = 0;
    }
    if (r == 1)
        d->counts = c;
    else if (r < 0)
        vw_warn("%s: cached counts unusable; counting again", tp);
    free(tp);
    return r == 1;
}

/* Writes the cache entry: one file (table and key), renamed into place. */
static int cache_store(runjob_t *j, draw_t *d, const char *key)
{
    char *tp = cache_path(j->dir, d->smp->sample);
    vw_ofile_t of = {0};
    int r = -ENOMEM;
    if (tp && (r = vw_ofile_open(&of, tp)) == 0) {
        r = vw_count_write_cache(of.fp, j->ts, d->counts, key);
        if (r == 0)
            r = vw_ofile_commit(&of);
        else
            vw_ofile_abort(&of);
    }
    if (r < 0)
        vw_error_code(r, "%s: cannot write the count cache", tp ? tp : j->dir);
    free(tp);
    return r;
}

/* Counts one draw (BAM/CRAM or VCF), or takes it from the cache. */
static int count_draw(runjob_t *j, draw_t *d)
{
    const vw_sample_t *s = d->smp;
    char *key = NULL;
    int r = draw_key(j, s, &key);
    if (r < 0) {
        vw_error_code(r, "%s: cannot read (cohort sheet line %ld)", s->path, s->line);
        return r;
    }
    if (key && j->use_cache && cache_load(j, d, key)) {
        d->cached = 1;
        free(key);
        return 0;
    }
    if (vw_vcfin_is_vcf(s->path)) {
        vw_sample_counts_t **v = NULL;
        int nv = 0;
        if ((r = vw_vcfin_read(s->path, j->ts, NULL, &v, &nv)) < 0)
            goto out;
        int pick = -1;
        for (int i = 0; i < nv; i++)
            if (nv == 1 || strcmp(v[i]->sample, s->sample) == 0)
                pick = i;
        if (pick < 0) {
            vw_error("%s: several sample columns and none named '%s' (cohort sheet line %ld)", s->path,
                     s->sample, s->line);
            r = VW_EINPUT;
        } else {
            free(v[pick]->sample);
            v[pick]->sample = vw_strdup(s->sample);
            d->counts = v[pick];
            v[pick] = NULL;
            if (!d->counts->sample)
                r = -ENOMEM;
        }
        for (int i = 0; i < nv; i++)
            vw_sample_counts_destroy(v[i]);
        free(v);
    } else {
        if ((r = vw_count_file(s->path, s->sample, j->ts, j->co, &d->counts)) < 0)
            goto out;
        /* else measured in the counting pass, or a pipe: read once; never for molecules (a read-level
         * rate, docs/umi.md) */
        if (j->self && !d->counts->have_self && !vw_cmd_is_pipe(s->path) && j->co->unit != VW_UNIT_MOLECULE) {
            if ((r = vw_count_self_bg(s->path, j->ts, j->co, j->flank, &d->counts->self)) < 0)
                goto out;
            d->counts->have_self = 1;
            d->counts->self_flank = j->flank;
        }
    }
    if (r == 0 && key)
        r = cache_store(j, d, key);
out:
    free(key);
    return r;
}

static void *count_worker(void *arg)
{
    runjob_t *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int i = j->failed ? j->n : j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->n)
            break;
        draw_t *d = &j->d[i];
        d->rc = count_draw(j, d);
        pthread_mutex_lock(&j->lock);
        if (d->rc < 0)
            j->failed = 1; /* stop at the first error: one message, not one per bad draw */
        vw_progress_step(&j->prog, d->rc == 0 && !d->cached ? d->counts->n_reads : 0);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */

static int w_calls(const void *o, FILE *fp) { return vw_calls_write_tsv(o, fp); }
static int w_track(const void *o, FILE *fp) { return vw_track_write_tsv(o, fp); }
static int w_series(const void *o, FILE *fp) { return vw_track_write_series(o, fp); }
static int w_lead(const void *o, FILE *fp) { return vw_leadtime_write_tsv(o, fp); }
static int w_cohort(const void *o, FILE *fp) { return vw_leadtime_write_cohort(o, fp); }
static int w_lead_json(const void *o, FILE *fp) { return vw_leadtime_write_json(o, vw_cmd_line(), fp); }
static int w_patient(const void *o, FILE *fp) { return vw_patient_write_tsv(o, fp); }
static int w_patient_json(const void *o, FILE *fp) { return vw_patient_write_json(o, fp, vw_cmd_line()); }

/* The files run writes, relative to its outdir. */
static int is_run_file(const char *rel)
{
    size_t n = strlen(rel), k = strlen(".vafwatch.counts.tsv");
    if (!strchr(rel, '/'))
        return strncmp(rel, "vafwatch.", 9) == 0;
    if (strncmp(rel, "report/", 7) == 0)
        return vw_cmd_is_report_file(rel + 7);
    return strncmp(rel, "counts/", 7) == 0 && !strchr(rel + 7, '/') && n > k && !strcmp(rel + n - k, ".vafwatch.counts.tsv");
}

static int mkdir_p(const char *dir)
{
    char *d = vw_strdup(dir);
    if (!d)
        return -ENOMEM;
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0777) != 0 && errno != EEXIST) {
            int e = -errno;
            free(d);
            return e;
        }
        *p = '/';
    }
    int r = mkdir(d, 0777) != 0 && errno != EEXIST ? -errno : 0;
    free(d);
    return r;
}

int main_run(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"outdir", required_argument, NULL, 'd'},
        {"model", required_argument, NULL, 'm'},
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        {"call-alpha", required_argument, NULL, OPT_ALPHA_CALL},
        {"no-self", no_argument, NULL, OPT_NO_SELF},
        {"flank", required_argument, NULL, OPT_FLANK},
        VW_OPT_THREADS_LONG,
        {"cnv-bed", required_argument, NULL, OPT_CNV_BED},
        {"cnv-builtin", no_argument, NULL, OPT_CNV_BUILTIN},
        {"cnv-pon", required_argument, NULL, OPT_CNV_PON},
        {"cnv-ref", required_argument, NULL, OPT_CNV_REF},
        {"tf-from", required_argument, NULL, OPT_TF_FROM},
        {"genome-tsv", required_argument, NULL, OPT_GENOME_TSV},
        VW_OPT_TRACK_LONG,
        VW_OPT_COUNT_LONG,
        VW_OPT_CALL_LONG,
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
    const char *outdir = NULL, *model_path = NULL, *sheet_opt = NULL, *events = NULL;
    long flank = 50;
    int threads = 1;
    int ret = VW_EXIT_DATA, c, ex, no_self = 0, use_cache = 1;
    vw_oset_t *os = NULL;
    vw_timeline_t *tl = NULL;
    vw_targets_t *ts = NULL;
    vw_model_t *model = NULL;
    vw_calls_t *calls = NULL;
    vw_track_t *tr = NULL;
    vw_leadtime_t *lt = NULL;
    draw_t *draws = NULL;
    vw_bg_t *bg = NULL;
    int *draw_pat = NULL;
    vw_run_patients_t rp;
    vw_patient_rows_t *prows = NULL;
    memset(&rp, 0, sizeof(rp));
    int n_draws = 0;
    kstring_t fn = {0, 0, NULL}, kopts = {0, 0, NULL};
    vw_run_cnv_opt_t cnvo = {NULL, 0, NULL, NULL, 0, NULL, NULL};
    char **genome_tsv = calloc((size_t)argc, sizeof(char *)); /* --genome-tsv files */
    int n_genome_tsv = 0;
    vw_cnv_rows_t *cnv = NULL;
    vw_report_cnv_t *cnv_text = NULL;
    to.targets = calloc((size_t)argc, sizeof(char *));
    cnvo.pon = calloc((size_t)argc, sizeof(char *));
    if (!to.targets || !cnvo.pon || !genome_tsv) {
        free(to.targets);
        free(cnvo.pon);
        free(genome_tsv);
        return VW_EXIT_DATA;
    }
    while ((c = getopt_long(argc, argv, "d:T:f:m:q:Q:t:@:e:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex) || vw_cmd_count_opt(c, optarg, &to, &copt, &ex) || vw_cmd_call_opt(c, optarg, &cl, &ex) || vw_cmd_track_opt(c, optarg, &topt, &sheet_opt, &events, &ex)) {
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
        case OPT_ALPHA_CALL:
            if (vw_parse_double(optarg, &cl.alpha) || !(cl.alpha > 0 && cl.alpha < 1)) {
                vw_error("--call-alpha takes a number in (0, 1), not '%s'", optarg);
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_NO_SELF: no_self = 1; break;
        case OPT_FLANK:
            if (vw_cmd_long_arg("--flank", optarg, 1, 100000, &flank) < 0) {
                ret = VW_EXIT_USAGE;
                goto out;
            }
            break;
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
    if ((cnvo.bed && cnvo.builtin) || ((cnvo.n_pon || cnvo.tf_from || cnvo.ref_bed) && !cnvo.bed && !cnvo.builtin)) {
        vw_error(cnvo.bed && cnvo.builtin ? "give --cnv-bed or --cnv-builtin, not both"
                                          : "--cnv-pon, --cnv-ref and --tf-from need --cnv-bed or --cnv-builtin");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    cnvo.build = to.build;
    /* the reports' date: a bad SOURCE_DATE_EPOCH is found before any counting */
    int32_t report_date = VW_DATE_NONE;
    if (vw_report_default_date(&report_date) < 0) {
        vw_error("SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970", getenv("SOURCE_DATE_EPOCH"));
        ret = VW_EXIT_USAGE;
        goto out;
    }
    /* the cohort */
    int r = vw_timeline_read_sheet(sheet, 0, &tl);
    if (r < 0) {
        if (r == -EINVAL || r == -ENOMEM)
            vw_error_code(r, "reading '%s'", sheet);
        goto out;
    }
    if ((r = vw_timeline_read_events(tl, events)) < 0) {
        if (r == -EINVAL || r == -ENOMEM)
            vw_error_code(r, "reading '%s'", events);
        goto out;
    }
    if ((r = mkdir_p(outdir)) < 0) {
        vw_error_code(r, "%s: cannot create the output directory", outdir);
        goto out;
    }
    ksprintf(&fn, "%s/counts", outdir);
    if ((r = mkdir_p(fn.s)) < 0) {
        vw_error_code(r, "%s: cannot create", fn.s);
        goto out;
    }
    /* one run at a time in DIR; everything but the count cache is written into a staging directory
     * and put in place at the end, as one set */
    if ((r = vw_oset_begin(outdir, &os)) < 0) {
        if (r == -EBUSY)
            vw_error("%s: another vafwatch is writing into this directory (lock %s/.vafwatch.lock); wait for it, "
                     "or give another --outdir", outdir, outdir);
        else
            vw_error_code(r, "%s: cannot prepare the output directory", outdir);
        goto out;
    }
    const char *sd = vw_oset_dir(os);
    /* every sample of the sheet, in patient then date order */
    draws = calloc(tl->n_samples + 1, sizeof(*draws));
    draw_pat = calloc(tl->n_samples + 1, sizeof(*draw_pat));
    if (!draws || !draw_pat)
        goto out;
    const char *first = NULL;
    int any_own = 0;
    for (size_t p = 0; p < tl->n_patients; p++) {
        any_own += tl->patients[p].targets != NULL;
        for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
            const vw_sample_t *s = &tl->patients[p].samples[k];
            draw_pat[n_draws] = (int)p;
            fn.l = 0;
            ksprintf(&fn, "%s:%ld", sheet, s->line);
            if (vw_cmd_name_ok(s->sample, fn.s) < 0)
                goto out;
            draws[n_draws++].smp = s;
            if (!first && !vw_vcfin_is_vcf(s->path) && !vw_cmd_is_pipe(s->path))
                first = s->path; /* (a pipe is read once, when it is counted) */
        }
    }
    /* no output may replace an input (the sheet, events, model, targets, reference, a draw's file) */
    {
        const char **ins = calloc((size_t)(n_draws + to.n_targets + cnvo.n_pon + n_genome_tsv + (int)tl->n_patients + 8),
                                  sizeof(char *));
        if (!ins)
            goto out;
        int n_in = 0;
        const char *fixed[] = {sheet, events, model_path, to.reference, cnvo.bed, cnvo.ref_bed};
        for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
            ins[n_in++] = fixed[k];
        for (int k = 0; k < to.n_targets; k++)
            ins[n_in++] = to.targets[k];
        for (int k = 0; k < cnvo.n_pon; k++)
            ins[n_in++] = cnvo.pon[k];
        for (int k = 0; k < n_genome_tsv; k++)
            ins[n_in++] = genome_tsv[k];
        for (int k = 0; k < n_draws; k++)
            ins[n_in++] = draws[k].smp->path;
        for (size_t k = 0; k < tl->n_patients; k++) /* the patients' own targets */
            if (tl->patients[k].targets)
                ins[n_in++] = tl->patients[k].targets;
        int clash = vw_cmd_dir_clash(outdir, ins, n_in, is_run_file);
        free(ins);
        if (clash) {
            ret = VW_EXIT_USAGE;
            goto out;
        }
    }
    /* the genome-wide tumour fraction of the draws (cnv --genome summaries; before counting, to fail early) */
    if (n_genome_tsv && vw_cmd_run_genome(genome_tsv, n_genome_tsv, tl, sd) < 0)
        goto out;
    if (to.no_builtin && to.n_targets == 0 && !any_own) {
        vw_error("--no-builtin needs --targets or a 'targets' column in the cohort sheet");
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (to.no_builtin && to.n_targets == 0) { /* the patients' own targets only */
        int chr = -1;
        if (!(ts = vw_targets_init()))
            goto out;
        ts->build = to.build ? vw_build_parse(to.build)
                             : vw_cmd_file_build(first ? first : draws[0].smp->path, to.reference, &chr);
    } else if (!(ts = vw_cmd_targets(&to, first ? first : draws[0].smp->path))) {
        goto out;
    }
    if (vw_run_patients_load(tl, &to, first ? first : draws[0].smp->path, ts, &rp) < 0)
        goto out;
    /* the key of the cached counts: options and targets */
    char *flags = bam_flag2str((int)copt.excl_flags);
    /* the version too: another vafwatch may count or write the table differently */
    ksprintf(&kopts, "version=%s mq=%d bq=%d excl=%s req=%u unit=%d stream=%d ref=%s self=%d flank=%ld targets=%016llx",
             VW_VERSION_LONG, copt.min_mq, copt.min_bq, flags ? flags : "?", copt.req_flags, (int)copt.unit, copt.stream,
             copt.reference ? copt.reference : "-", !no_self, flank, (unsigned long long)targets_digest(ts));
    free(flags);
    if (copt.unit == VW_UNIT_MOLECULE)
        ksprintf(&kopts, " umi=%d min_family=%d min_agree=%g duplex_only=%d", copt.umi_source, copt.min_family,
                 copt.min_agree, copt.duplex_only);
    /* count */
    runjob_t job;
    memset(&job, 0, sizeof(job));
    job.d = draws;
    job.n = n_draws;
    job.ts = ts;
    job.co = &copt;
    job.dir = outdir;
    job.key_opts = kopts.s;
    job.self = !no_self;
    job.flank = (int)flank;
    if (job.self)
        copt.self_flank = job.flank;
    copt.one_sample = 1; /* the sheet names one sample per file */
    job.use_cache = use_cache;
    vw_progress_init(&job.prog, "run", "counted", "draws", n_draws);
    pthread_mutex_init(&job.lock, NULL);
    int workers = (int)(threads < n_draws ? threads : n_draws);
    vw_cmd_run_workers(count_worker, &job, workers);
    pthread_mutex_destroy(&job.lock);
    vw_progress_end(&job.prog);
    int n_cached = 0;
    for (int i = 0; i < n_draws; i++) {
        if (draws[i].rc < 0)
            goto out; /* said why */
        n_cached += draws[i].cached;
    }
    vw_info("%d draws: %d counted, %d from the cache", n_draws, n_draws - n_cached, n_cached);
    /* the background model */
    if (model_path) {
        if (!(model = vw_model_init()) || vw_model_read_tsv(model, model_path) < 0 ||
            vw_model_check(model, ts, model_path) < 0)
            goto out;
    } else {
        int n_norm = 0;
        vw_sample_counts_t **norm = calloc((size_t)n_draws + 1, sizeof(*norm));
        if (!norm)
            goto out;
        for (int i = 0; i < n_draws; i++)
            if (draws[i].smp->type == VW_SAMPLE_NORMAL)
                norm[n_norm++] = draws[i].counts;
        if (n_norm >= 2) {
            if (!(model = vw_model_init()) || (r = vw_model_fit(model, ts, norm, n_norm, NULL)) < 0) {
                vw_error_code(r, "fitting the background on the sheet's %d normals", n_norm);
                free(norm);
                goto out;
            }
            fn.l = 0;
            ksprintf(&fn, "%s/vafwatch.model.tsv", sd);
            vw_ofile_t om = {0};
            kstring_t prov = {0, 0, NULL};
            ksprintf(&prov, "command=%s", vw_cmd_line());
            const char *pv[2] = {"source=normal samples of the cohort sheet", prov.s};
            if ((r = vw_ofile_open(&om, fn.s)) < 0 || vw_model_write_tsv(model, om.fp, pv, 2) < 0
                || (r = vw_ofile_commit(&om)) < 0) {
                vw_ofile_abort(&om);
                vw_error_code(r, "%s: cannot write", fn.s);
                free(prov.s);
                free(norm);
                goto out;
            }
            free(prov.s);
            vw_info("background model from %d normal samples: %s", n_norm, fn.s);
        } else if (n_norm == 1) {
            vw_warn("one normal sample is not a panel: the self background is used");
        }
        free(norm);
    }
    /* call */
    if (!(calls = vw_calls_init()) || !(bg = calloc((size_t)ts->n + 1, sizeof(*bg))) || !(prows = vw_patient_rows_init()))
        goto out;
    int n_model = 0, n_default = 0;
    vw_patient_opt_t popt;
    vw_patient_opt_init(&popt);
    popt.alpha = cl.alpha;
    for (int i = 0; i < n_draws; i++) {
        double ng = draws[i].smp->cfdna_ng_per_ml;
        const vw_selfbg_t *sb = draws[i].counts->have_self ? &draws[i].counts->self : NULL;
        if (!rp.any) {
            if (vw_cmd_call_sample(&cl, model, ts, draws[i].counts, sb, isnan(ng) ? 0 : ng, bg, calls, &n_model,
                                   &n_default) < 0)
                goto out;
            continue;
        }
        /* the catalogue's targets and the patient's own (tumour-informed) */
        vw_run_view_t v;
        int n_before = calls->n;
        const vw_patient_t *pat = &tl->patients[draw_pat[i]];
        if ((r = vw_run_view(&rp, draw_pat[i], ts, draws[i].counts, &v)) < 0) {
            vw_error_code(r, "calling");
            goto out;
        }
        r = vw_cmd_call_sample(&cl, model, &v.ts, &v.s, sb, isnan(ng) ? 0 : ng, bg, calls, &n_model, &n_default);
        if (r == 0 && pat->targets && draws[i].smp->type == VW_SAMPLE_PLASMA)
            r = vw_run_patient_row(&popt, pat, draws[i].smp, &v, bg, model, sb, &calls->c[n_before], prows);
        vw_run_view_free(&v);
        if (r < 0)
            goto out;
    }
    if (n_default > 0)
        vw_info("%d draw x target test(s) used the default background %g", n_default, cl.bg_floor);
    /* copy number of the draws, tracked with the mutations */
    if (cnvo.bed || cnvo.builtin) {
        if (vw_cmd_run_cnv(&cnvo, tl, calls, &copt, sd, &cnv) < 0)
            goto out;
        fn.l = 0;
        ksprintf(&fn, "%s/vafwatch.cnv.tsv", sd);
        if (vw_report_cnv_read(fn.s, &cnv_text) < 0)
            goto out;
    }
    /* track and lead time */
    if ((r = vw_track_run_cnv(tl, calls, cnv, &topt, &tr)) < 0) {
        if (r != VW_EINPUT)
            vw_error_code(r, "tracking");
        goto out;
    }
    if ((r = vw_leadtime_run(tl, tr, &lt)) < 0) {
        vw_error_code(r, "lead time");
        goto out;
    }
    /* the tables */
    struct { const char *name; int (*w)(const void *, FILE *); const void *obj; } outs[] = {
        {"calls.tsv", w_calls, calls}, {"track.tsv", w_track, tr}, {"series.tsv", w_series, tr},
        {"leadtime.tsv", w_lead, lt}, {"cohort.tsv", w_cohort, lt}, {"leadtime.json", w_lead_json, lt}};
    for (size_t k = 0; k < sizeof(outs) / sizeof(outs[0]); k++) {
        fn.l = 0;
        ksprintf(&fn, "%s/vafwatch.%s", sd, outs[k].name);
        if (vw_cmd_write(fn.s, outs[k].w, outs[k].obj) < 0)
            goto out;
    }
    if (rp.any) {
        if ((r = vw_patient_series(prows, tl, 0.5)) < 0) {
            vw_error_code(r, "patient-level series");
            goto out;
        }
        fn.l = 0;
        ksprintf(&fn, "%s/vafwatch.patient.tsv", sd);
        if (vw_cmd_write(fn.s, w_patient, prows) < 0)
            goto out;
        fn.l = 0;
        ksprintf(&fn, "%s/vafwatch.patient.json", sd);
        if (vw_cmd_write(fn.s, w_patient_json, prows) < 0)
            goto out;
    }
    fn.l = 0;
    ksprintf(&fn, "%s/vafwatch.calls.vcf.gz", sd);
    vw_calls_vcf_opt_t vo = {VW_VERSION_LONG, vw_cmd_line(), ts->build, copt.reference};
    if (vw_calls_write_vcf_opt(calls, fn.s, &vo) < 0)
        goto out;
    /* the reports */
    {
        char alpha[32], floor_s[32], mq[16], bq[16], unit[64];
        snprintf(alpha, sizeof(alpha), "%g", cl.alpha);
        snprintf(floor_s, sizeof(floor_s), "%g", cl.bg_floor);
        snprintf(mq, sizeof(mq), "%d", copt.min_mq);
        snprintf(bq, sizeof(bq), "%d", copt.min_bq);
        static const char *adj[] = {"holm", "bh", "none"};
        vw_report_param_t params[] = {
            {"count unit", vw_count_class(&copt, unit, sizeof unit)},
            {"minimum mapping quality", mq},
            {"minimum base quality", bq},
            {"call alpha", alpha},
            {"multiple-testing adjustment", adj[cl.adjust]},
            {"background model", model_path ? model_path : model ? "fitted on the sheet's normal samples"
                                                                  : "self (each sample's own error rate)"},
            {"background floor", floor_s},
        };
        vw_report_in_t rin;
        memset(&rin, 0, sizeof(rin));
        rin.tl = tl;
        rin.tr = tr;
        rin.lt = lt;
        rin.calls = calls;
        rin.cnv = cnv_text;
        rin.cnv_path = cnv_text ? "vafwatch.cnv.tsv" : NULL;
        rin.command = vw_cmd_line();
        rin.version = VW_VERSION_LONG;
        rin.build = ts->build != VW_BUILD_UNKNOWN ? vw_build_name(ts->build) : NULL;
        rin.params = params;
        rin.patient_tests = rp.any ? prows : NULL;
        rin.n_params = sizeof(params) / sizeof(params[0]);
        vw_report_opt_t ropt;
        vw_report_opt_init(&ropt);
        ropt.report_date = report_date;
        fn.l = 0;
        ksprintf(&fn, "%s/report", sd);
        if ((r = vw_report_write(&rin, fn.s, &ropt)) < 0) {
            vw_error_code(r, "%s: writing the reports", fn.s);
            goto out;
        }
    }
    /* the whole set into place, the manifest last, the previous run's leftovers removed */
    r = vw_oset_commit(os);
    os = NULL;
    if (r < 0) {
        vw_error_code(r, "%s: cannot put the outputs in place", outdir);
        goto out;
    }
    vw_info("results in %s (reports: %s/report/index.html)", outdir, outdir);
    ret = VW_EXIT_OK;
out:
    vw_oset_abort(os);
    if (draws)
        for (int i = 0; i < n_draws; i++)
            vw_sample_counts_destroy(draws[i].counts);
    free(draws);
    free(draw_pat);
    free(bg);
    vw_run_patients_free(&rp);
    vw_patient_rows_destroy(prows);
    free(fn.s);
    free(kopts.s);
    vw_leadtime_destroy(lt);
    vw_track_destroy(tr);
    vw_calls_destroy(calls);
    vw_model_destroy(model);
    vw_targets_destroy(ts);
    vw_timeline_destroy(tl);
    free(to.targets);
    free(cnvo.pon);
    free(genome_tsv);
    vw_cnv_rows_destroy(cnv);
    vw_report_cnv_destroy(cnv_text);
    return ret;
}
