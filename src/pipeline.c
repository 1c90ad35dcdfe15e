/*
 * pipeline.c -- the chain of vafwatch run, from one cohort sheet.
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
#include "vafwatch/evclass.h"
#include "vafwatch/leadtime.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"
#include "vafwatch/patient.h"
#include "vafwatch/report.h"
#include "vafwatch/therapy.h"
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
#include "vafwatch/vcfin.h"
#include "vafwatch/inputs.h"
#include "vafwatch/pipeline.h"
#include "vafwatch/util.h"
#include "pipeline_priv.h"

/* The command line recorded in the outputs (o->command of the running
 * call: the writers handed to vw_write_file() take no context). */
static const char *run_cmd;
static const char *run_command(void) { return run_cmd ? run_cmd : "vafwatch"; }

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
    const vw_pipeline_progress_t *prog;
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

/* The key of one draw: the input's identity (device, inode, size,
 * modification and change times to the nanosecond, and a print of its
 * first and last 64 KiB) plus the options and targets.  A rewrite, even
 * of the same size within one second, changes the change time; a copy
 * that keeps the modification time (cp -p, rsync -a) is another inode
 * with another change time.  Returns 0 and *ret_key (NULL when the input
 * is not a regular file: a pipe is counted, never cached), or -errno. */
static int draw_key(const runjob_t *j, const vw_sample_t *s, char **ret_key)
{
    return vw_pipeline_file_key(s->path, "vafwatch-count-cache 3", j->key_opts, ret_key);
}

/* Takes a draw from the cache when its entry is whole and its key is
 * 'key'.  A broken entry is said and counted again, not an error.
 * Returns 1 when taken. */
static int cache_load(runjob_t *j, draw_t *d, const char *key)
{
    char *tp = vw_pipeline_cache_path(j->dir, d->smp->sample, ".vafwatch.counts.tsv");
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
    char *tp = vw_pipeline_cache_path(j->dir, d->smp->sample, ".vafwatch.counts.tsv");
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
        if (j->self && !d->counts->have_self && !vw_input_is_pipe(s->path) && j->co->unit != VW_UNIT_MOLECULE) {
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
        if (j->prog->step)
            j->prog->step(j->prog->ctx, d->rc == 0 && !d->cached ? d->counts->n_reads : 0);
        pthread_mutex_unlock(&j->lock);
    }
    return NULL;
}

/* ------------------------------------------------------------------ */

static int w_calls(FILE *fp, const void *o) { return vw_calls_write_tsv(fp, o); }
static int w_track(FILE *fp, const void *o) { return vw_track_write_tsv(fp, o); }
static int w_series(FILE *fp, const void *o) { return vw_track_write_series(fp, o); }
static int w_lead(FILE *fp, const void *o) { return vw_leadtime_write_tsv(fp, o); }
static int w_cohort(FILE *fp, const void *o) { return vw_leadtime_write_cohort(fp, o); }
static int w_lead_json(FILE *fp, const void *o) { return vw_leadtime_write_json(fp, o, run_command()); }
static int w_patient(FILE *fp, const void *o) { return vw_patient_write_tsv(fp, o); }
static int w_patient_json(FILE *fp, const void *o) { return vw_patient_write_json(fp, o, run_command()); }

/* The files run writes, relative to its outdir. */
static int is_run_file(const char *rel)
{
    size_t n = strlen(rel), k = strlen(".vafwatch.counts.tsv");
    if (!strchr(rel, '/'))
        return strncmp(rel, "vafwatch.", 9) == 0;
    if (strncmp(rel, "report/", 7) == 0)
        return vw_report_is_output(rel + 7);
    size_t kg = strlen(".vafwatch.genome.wig");
    return strncmp(rel, "counts/", 7) == 0 && !strchr(rel + 7, '/')
           && ((n > k && !strcmp(rel + n - k, ".vafwatch.counts.tsv"))
               || (n > kg && !strcmp(rel + n - kg, ".vafwatch.genome.wig")));
}

/* ------------------------------------------------------------------ */
/* The stages                                                          */

/* What the stages hand on; freed by run_free(). */
typedef struct {
    const vw_pipeline_opt_t *o;
    vw_count_opt_t copt;        /* o->copt with the pipeline's settings */
    vw_oset_t *os;
    const char *sd;             /* the staging directory */
    vw_timeline_t *tl;
    draw_t *draws;              /* every sample of the sheet, in patient then date order */
    int *draw_pat;              /* per draw: its patient */
    int n_draws;
    const char *first;          /* the first draw's file that can be opened twice, or NULL */
    int any_own;                /* some patient has its own targets */
    vw_targets_t *ts;
    vw_run_patients_t rp;
    vw_model_t *model;
    vw_model_t **pmodel;        /* per patient with normals of its own (no --model): the panel of the
                                   other patients' normals, NULL when they are fewer than two */
    uint8_t *own_panel;         /* per patient: 1 when pmodel[p] replaces model */
    int n_own_panel;            /* patients with own_panel set */
    vw_calls_t *calls;
    vw_bg_t *bg;
    vw_patient_rows_t *prows;
    vw_cnv_rows_t *cnv;
    vw_cnv_rows_t *cnv_text;
    vw_track_t *tr;
    vw_leadtime_t *lt;
    vw_run_genome_t genome;     /* the genome-wide fits of the sheet's swgs files */
    vw_therapy_map_t *tmap;     /* the therapy-relevance map (built-in or --therapy-map) */
    vw_markers_t *markers;      /* --markers, or NULL */
    int32_t report_date;
    kstring_t fn;
} run_t;

/* Stage results: 0 go on, STAGE_DATA (said why), STAGE_USAGE (said why). */
enum { STAGE_DATA = -1, STAGE_USAGE = -2 };

static void run_free(run_t *R)
{
    vw_oset_abort(R->os);
    if (R->draws)
        for (int i = 0; i < R->n_draws; i++)
            vw_sample_counts_destroy(R->draws[i].counts);
    free(R->draws);
    free(R->draw_pat);
    free(R->bg);
    vw_run_patients_free(&R->rp);
    vw_patient_rows_destroy(R->prows);
    free(R->fn.s);
    vw_leadtime_destroy(R->lt);
    vw_track_destroy(R->tr);
    vw_calls_destroy(R->calls);
    vw_model_destroy(R->model);
    if (R->pmodel)
        for (size_t p = 0; p < R->tl->n_patients; p++)
            vw_model_destroy(R->pmodel[p]);
    free(R->pmodel);
    free(R->own_panel);
    vw_targets_destroy(R->ts);
    vw_timeline_destroy(R->tl);
    vw_cnv_rows_destroy(R->cnv);
    vw_cnv_rows_destroy(R->cnv_text);
    vw_run_genome_free(&R->genome);
    vw_therapy_map_destroy(R->tmap);
    vw_markers_destroy(R->markers);
}

/* The cohort, the output directory (locked, staged) and the draws. */
static int stage_cohort(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    /* the reports' date: a bad SOURCE_DATE_EPOCH is found before any counting */
    R->report_date = o->report_date_set ? o->report_date : VW_DATE_NONE;
    if (!o->report_date_set && vw_report_default_date(&R->report_date) < 0) {
        vw_error("SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970", getenv("SOURCE_DATE_EPOCH"));
        return STAGE_USAGE;
    }
    int r = vw_timeline_read_sheet(o->sheet, 0, &R->tl);
    if (r < 0) {
        if (r == -EINVAL || r == -ENOMEM)
            vw_error_code(r, "reading '%s'", o->sheet);
        return STAGE_DATA;
    }
    if ((r = vw_timeline_read_events(R->tl, o->events)) < 0) {
        if (r == -EINVAL || r == -ENOMEM)
            vw_error_code(r, "reading '%s'", o->events);
        return STAGE_DATA;
    }
    if (o->markers && vw_markers_read(R->tl, o->markers, &R->markers) < 0)
        return STAGE_DATA; /* logged; before counting */
    for (size_t p = 0; p < R->tl->n_patients; p++)
        R->any_own += R->tl->patients[p].targets != NULL;
    /* a usage error, found before the output directory is made */
    if (o->to.no_builtin && o->to.n_targets == 0 && !R->any_own) {
        vw_error("--no-builtin needs --targets or a 'targets' column in the cohort sheet");
        return STAGE_USAGE;
    }
    if ((r = vw_mkdir_p(o->outdir, 1)) < 0) {
        vw_error_code(r, "%s: cannot create the output directory", o->outdir);
        return STAGE_DATA;
    }
    R->fn.l = 0;
    ksprintf(&R->fn, "%s/counts", o->outdir);
    if ((r = vw_mkdir_p(R->fn.s, 1)) < 0) {
        vw_error_code(r, "%s: cannot create", R->fn.s);
        return STAGE_DATA;
    }
    /* one run at a time in DIR; everything but the count cache is written into a staging directory
     * and put in place at the end, as one set */
    if ((r = vw_oset_begin(o->outdir, &R->os)) < 0) {
        if (r == -EBUSY)
            vw_error("%s: another vafwatch is writing into this directory (lock %s/.vafwatch.lock); wait for it, "
                     "or give another --outdir", o->outdir, o->outdir);
        else
            vw_error_code(r, "%s: cannot prepare the output directory", o->outdir);
        return STAGE_DATA;
    }
    R->sd = vw_oset_dir(R->os);
    const vw_timeline_t *tl = R->tl;
    R->draws = calloc(tl->n_samples + 1, sizeof(*R->draws));
    R->draw_pat = calloc(tl->n_samples + 1, sizeof(*R->draw_pat));
    if (!R->draws || !R->draw_pat)
        return STAGE_DATA;
    for (size_t p = 0; p < tl->n_patients; p++) {
        for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
            const vw_sample_t *s = &tl->patients[p].samples[k];
            R->draw_pat[R->n_draws] = (int)p;
            R->fn.l = 0;
            ksprintf(&R->fn, "%s:%ld", o->sheet, s->line);
            if (vw_sample_name_ok(s->sample, R->fn.s) < 0)
                return STAGE_DATA;
            R->draws[R->n_draws++].smp = s;
            if (!R->first && !vw_vcfin_is_vcf(s->path) && !vw_input_is_pipe(s->path))
                R->first = s->path; /* (a pipe is read once, when it is counted) */
        }
    }
    return 0;
}

/* No output may replace an input (the sheet, events, model, targets,
 * reference, a draw's file, a patient's own targets). */
static int stage_clash(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    const vw_timeline_t *tl = R->tl;
    int n_gpon = o->genome ? o->genome->n_pon : 0;
    const char **ins = calloc((size_t)(2 * R->n_draws + o->to.n_targets + o->cnvo.n_pon + o->n_genome_tsv + n_gpon
                                       + (int)tl->n_patients + 12), sizeof(char *));
    if (!ins)
        return STAGE_DATA;
    int n_in = 0;
    const char *fixed[] = {o->sheet, o->events, o->model_path, o->to.reference, o->cnvo.bed, o->cnvo.ref_bed,
                           o->therapy_map, o->markers};
    for (size_t k = 0; k < sizeof(fixed) / sizeof(fixed[0]); k++)
        ins[n_in++] = fixed[k];
    for (int k = 0; k < o->to.n_targets; k++)
        ins[n_in++] = o->to.targets[k];
    for (int k = 0; k < o->cnvo.n_pon; k++)
        ins[n_in++] = o->cnvo.pon[k];
    for (int k = 0; k < o->n_genome_tsv; k++)
        ins[n_in++] = o->genome_tsv[k];
    for (int k = 0; k < R->n_draws; k++) {
        ins[n_in++] = R->draws[k].smp->path;
        if (R->draws[k].smp->swgs)
            ins[n_in++] = R->draws[k].smp->swgs;
    }
    if (o->genome) {
        const char *g[3] = {o->genome->gc, o->genome->map, o->genome->centromeres};
        for (int k = 0; k < 3; k++)
            ins[n_in++] = g[k];
        for (int k = 0; k < n_gpon; k++)
            ins[n_in++] = o->genome->pon[k];
    }
    for (size_t k = 0; k < tl->n_patients; k++)
        if (tl->patients[k].targets)
            ins[n_in++] = tl->patients[k].targets;
    int clash = vw_dir_clash(o->outdir, ins, n_in, is_run_file);
    free(ins);
    return clash ? STAGE_USAGE : 0;
}

/* The target set: the catalogue, --targets and the patients' own. */
static int stage_targets(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    const char *first = R->first ? R->first : R->draws[0].smp->path;
    if (o->to.no_builtin && o->to.n_targets == 0) { /* the patients' own targets only (stage_cohort
                                                      * refused none at all) */
        int chr = -1;
        if (!(R->ts = vw_targets_init()))
            return STAGE_DATA;
        R->ts->build = o->to.build ? vw_build_parse(o->to.build) : vw_input_build(first, o->to.reference, &chr);
    } else if (!(R->ts = vw_targets_build(&o->to, first))) {
        return STAGE_DATA;
    }
    return vw_run_patients_load(R->tl, &o->to, first, R->ts, &R->rp) < 0 ? STAGE_DATA : 0;
}

/* Counts every draw (in parallel; cached in DIR/counts/). */
static int stage_count(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    vw_count_opt_t *copt = &R->copt;
    kstring_t kopts = {0, 0, NULL};
    /* the key of the cached counts: options and targets */
    char *flags = bam_flag2str((int)copt->excl_flags);
    /* the version too: another vafwatch may count or write the table differently */
    ksprintf(&kopts, "version=%s mq=%d bq=%d excl=%s req=%u unit=%d stream=%d ref=%s self=%d flank=%ld targets=%016llx",
             VW_VERSION_LONG, copt->min_mq, copt->min_bq, flags ? flags : "?", copt->req_flags, (int)copt->unit,
             copt->stream, copt->reference ? copt->reference : "-", !o->no_self, o->flank,
             (unsigned long long)targets_digest(R->ts));
    free(flags);
    if (copt->unit == VW_UNIT_MOLECULE)
        ksprintf(&kopts, " umi=%d min_family=%d min_agree=%g duplex_only=%d", copt->umi_source, copt->min_family,
                 copt->min_agree, copt->duplex_only);
    runjob_t job;
    memset(&job, 0, sizeof(job));
    job.d = R->draws;
    job.n = R->n_draws;
    job.ts = R->ts;
    job.co = copt;
    job.dir = o->outdir;
    job.key_opts = kopts.s;
    job.self = !o->no_self;
    job.flank = (int)o->flank;
    if (job.self)
        copt->self_flank = job.flank;
    copt->one_sample = 1; /* the sheet names one sample per file */
    job.use_cache = o->use_cache;
    job.prog = &o->progress;
    if (o->progress.start)
        o->progress.start(o->progress.ctx, R->n_draws);
    pthread_mutex_init(&job.lock, NULL);
    int workers = o->threads < R->n_draws ? o->threads : R->n_draws;
    vw_run_workers(count_worker, &job, workers);
    pthread_mutex_destroy(&job.lock);
    if (o->progress.end)
        o->progress.end(o->progress.ctx);
    free(kopts.s);
    int n_cached = 0;
    for (int i = 0; i < R->n_draws; i++) {
        if (R->draws[i].rc < 0)
            return STAGE_DATA; /* said why */
        n_cached += R->draws[i].cached;
    }
    vw_info("%d draws: %d counted, %d from the cache", R->n_draws, R->n_draws - n_cached, n_cached);
    return 0;
}

/* Fits the model on the sheet's normals (two or more) into DIR/vafwatch.model.tsv. */
static int fit_model(run_t *R, vw_sample_counts_t **norm, int n_norm)
{
    int r = 0;
    if (!(R->model = vw_model_init()) || (r = vw_model_fit(R->model, R->ts, norm, n_norm, NULL)) < 0) {
        vw_error_code(r, "fitting the background on the sheet's %d normals", n_norm);
        return STAGE_DATA;
    }
    R->fn.l = 0;
    ksprintf(&R->fn, "%s/vafwatch.model.tsv", R->sd);
    vw_ofile_t om = {0};
    kstring_t prov = {0, 0, NULL};
    ksprintf(&prov, "command=%s", run_command());
    const char *pv[2] = {"source=normal samples of the cohort sheet", prov.s};
    if ((r = vw_ofile_open(&om, R->fn.s)) < 0 || vw_model_write_tsv(om.fp, R->model, pv, 2) < 0
        || (r = vw_ofile_commit(&om)) < 0) {
        vw_ofile_abort(&om);
        vw_error_code(r, "%s: cannot write", R->fn.s);
        free(prov.s);
        return STAGE_DATA;
    }
    free(prov.s);
    vw_info("background model from %d normal samples: %s", n_norm, R->fn.s);
    return 0;
}

/* The panels of the patients with normals of their own: each is fitted
 * on the other patients' normals (at least two), so that a patient's own
 * white cells are a filter of its calls (track: CH?, germline?) and never
 * its background.  A "patient" of normal samples only (a panel of normals
 * written into the sheet) keeps the cohort's panel.  norm[k] belongs to
 * patient npat[k]. */
static int fit_patient_models(run_t *R, vw_sample_counts_t **norm, const int *npat, int n_norm)
{
    size_t np = R->tl->n_patients;
    vw_sample_counts_t **other = calloc((size_t)n_norm + 1, sizeof(*other));
    R->pmodel = calloc(np + 1, sizeof(*R->pmodel));
    R->own_panel = calloc(np + 1, 1);
    if (!other || !R->pmodel || !R->own_panel) {
        free(other);
        return STAGE_DATA;
    }
    int r = 0;
    for (size_t p = 0; p < np && r == 0; p++) {
        int n_other = 0;
        for (int k = 0; k < n_norm; k++)
            if (npat[k] != (int)p)
                other[n_other++] = norm[k];
        int has_plasma = 0;
        for (size_t k = 0; k < R->tl->patients[p].n_samples; k++)
            has_plasma |= R->tl->patients[p].samples[k].type == VW_SAMPLE_PLASMA;
        if (n_other == n_norm || !has_plasma)
            continue; /* no normal of its own, or normals only (a panel in the sheet): the cohort's panel */
        R->own_panel[p] = 1;
        R->n_own_panel++;
        if (n_other < 2) {
            vw_warn("patient '%s': fewer than two other patients' normals: its draws use the self background "
                    "(its own normal samples are a filter, not its background)", R->tl->patients[p].id);
            continue;
        }
        if (!(R->pmodel[p] = vw_model_init()))
            r = -ENOMEM;
        else
            r = vw_model_fit(R->pmodel[p], R->ts, other, n_other, NULL);
        if (r < 0)
            vw_error_code(r, "fitting the background of patient '%s' on %d other normals", R->tl->patients[p].id,
                          n_other);
    }
    free(other);
    return r < 0 ? STAGE_DATA : 0;
}

/* The background model: --model, else fitted on the sheet's normals (and,
 * for a patient with normals of its own, on the other patients'). */
static int stage_model(run_t *R)
{
    const char *model_path = R->o->model_path;
    if (model_path) {
        if (!(R->model = vw_model_init()) || vw_model_read_tsv(R->model, model_path) < 0 ||
            vw_model_check(R->model, R->ts, model_path) < 0)
            return STAGE_DATA;
        /* each draw's class (or --class) in the model, as call checks it */
        for (int i = 0; i < R->n_draws; i++)
            if (vw_evclass_check_sample(R->model, model_path, R->o->cl.ev_class, R->draws[i].counts) < 0)
                return STAGE_DATA;
        return 0;
    }
    int n_norm = 0, r = 0;
    vw_sample_counts_t **norm = calloc((size_t)R->n_draws + 1, sizeof(*norm));
    int *npat = calloc((size_t)R->n_draws + 1, sizeof(*npat));
    if (!norm || !npat) {
        free(norm);
        free(npat);
        return STAGE_DATA;
    }
    for (int i = 0; i < R->n_draws; i++)
        if (R->draws[i].smp->type == VW_SAMPLE_NORMAL) {
            npat[n_norm] = R->draw_pat[i];
            norm[n_norm++] = R->draws[i].counts;
        }
    if (n_norm >= 2)
        r = fit_model(R, norm, n_norm);
    else if (n_norm == 1)
        vw_warn("one normal sample is not a panel: the self background is used");
    if (r == 0 && n_norm >= 2)
        r = fit_patient_models(R, norm, npat, n_norm);
    free(norm);
    free(npat);
    return r;
}

/* The therapy-relevance map (--therapy-map, else the built-in one) and the
 * check of the --therapy names: before counting, to fail early. */
static int stage_therapy(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    if (o->therapy_map ? vw_therapy_map_read(o->therapy_map, &R->tmap) < 0 : !(R->tmap = vw_therapy_map_builtin()))
        return STAGE_DATA; /* said why (or out of memory) */
    for (int k = 0; k < o->n_therapy; k++)
        if (!vw_therapy_class(R->tmap, o->therapy[k])) {
            vw_error("--therapy: '%s' is neither a class nor a drug of the therapy map%s%s", o->therapy[k],
                     o->therapy_map ? " " : " (built-in; docs/calling.md)", o->therapy_map ? o->therapy_map : "");
            return STAGE_USAGE;
        }
    return 0;
}

/* Calls every draw: the catalogue's targets, and each patient's own;
 * discovery restricted by the therapy of the draw's patient. */
static int stage_call(run_t *R)
{
    vw_call_opt_t cl_draw = R->o->cl;
    const vw_call_opt_t *cl = &cl_draw;
    int n_unknown_drug = 0;
    cl_draw.therapy_map = R->tmap;
    if (!(R->calls = vw_calls_init()) || !(R->bg = calloc((size_t)R->ts->n + 1, sizeof(*R->bg)))
        || !(R->prows = vw_patient_rows_init()))
        return STAGE_DATA;
    int n_model = 0, n_default = 0, r;
    vw_patient_opt_t popt;
    vw_patient_opt_init(&popt);
    popt.alpha = cl->alpha;
    for (int i = 0; i < R->n_draws; i++) {
        const draw_t *d = &R->draws[i];
        double ng = d->smp->cfdna_ng_per_ml;
        const vw_selfbg_t *sb = d->counts->have_self ? &d->counts->self : NULL;
        const vw_model_t *model = R->own_panel && R->own_panel[R->draw_pat[i]] ? R->pmodel[R->draw_pat[i]] : R->model;
        cl_draw.n_therapy = vw_therapy_sample_classes(R->tmap, R->o->therapy, R->o->n_therapy,
                                                      &R->tl->patients[R->draw_pat[i]], cl_draw.therapy,
                                                      VW_CALL_MAX_THERAPY, &n_unknown_drug);
        if (!R->rp.any) {
            if (vw_call_one_sample(cl, model, R->ts, d->counts, sb, isnan(ng) ? 0 : ng, R->bg, R->calls,
                                   &n_model, &n_default) < 0)
                return STAGE_DATA;
            continue;
        }
        /* the catalogue's targets and the patient's own (tumour-informed) */
        vw_run_view_t v;
        int n_before = R->calls->n;
        const vw_patient_t *pat = &R->tl->patients[R->draw_pat[i]];
        if ((r = vw_run_view(&R->rp, R->draw_pat[i], R->ts, d->counts, &v)) < 0) {
            vw_error_code(r, "calling");
            return STAGE_DATA;
        }
        r = vw_call_one_sample(cl, model, &v.ts, &v.s, sb, isnan(ng) ? 0 : ng, R->bg, R->calls, &n_model,
                               &n_default);
        if (r == 0 && pat->targets && d->smp->type == VW_SAMPLE_PLASMA)
            r = vw_run_patient_row(&popt, pat, d->smp, &v, R->bg, model, sb, &R->calls->c[n_before], R->prows);
        vw_run_view_free(&v);
        if (r < 0)
            return STAGE_DATA;
    }
    if (n_default > 0)
        vw_info("%d draw x target test(s) used the default background %g", n_default, cl->bg_floor);
    /* a warning with the user's map; with the built-in one (not asked for), other drugs are common */
    if (n_unknown_drug > 0 && R->o->therapy_map)
        vw_warn("%d treatment_start drug(s) of %s are not in the therapy map %s: those draws' discovery is not "
                "restricted by them", n_unknown_drug, R->o->events, R->o->therapy_map);
    else if (n_unknown_drug > 0)
        vw_info("%d treatment_start drug(s) of %s are not in the built-in therapy map: those draws' discovery "
                "is not restricted by them", n_unknown_drug, R->o->events);
    return 0;
}

/* Copy number of the draws (tracked with the mutations), tracking and lead time. */
static int stage_track(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    int r;
    if (o->cnvo.bed || o->cnvo.builtin) {
        if (vw_pipeline_cnv(&o->cnvo, R->tl, R->calls, &R->copt, R->sd, &R->cnv) < 0)
            return STAGE_DATA;
        R->fn.l = 0;
        ksprintf(&R->fn, "%s/vafwatch.cnv.tsv", R->sd);
        if (!(R->cnv_text = vw_cnv_rows_init()) || vw_cnv_rows_read_tsv(R->cnv_text, R->fn.s) < 0)
            return STAGE_DATA;
    }
    if ((r = vw_track_run_cnv(R->tl, R->calls, R->cnv, &o->topt, &R->tr)) < 0) {
        if (r != VW_EINPUT)
            vw_error_code(r, "tracking");
        return STAGE_DATA;
    }
    if (R->genome.n)
        (void)vw_run_genome_clone_fractions(R->tr, &R->genome);
    if ((r = vw_leadtime_run(R->tl, R->tr, &R->lt)) < 0) {
        vw_error_code(r, "lead time");
        return STAGE_DATA;
    }
    return 0;
}

/* The tables, the patient-level tables and the VCF into the staging directory. */
static int stage_tables(run_t *R)
{
    int r;
    struct { const char *name; int (*w)(FILE *, const void *); const void *obj; } outs[] = {
        {"calls.tsv", w_calls, R->calls}, {"track.tsv", w_track, R->tr}, {"series.tsv", w_series, R->tr},
        {"leadtime.tsv", w_lead, R->lt}, {"cohort.tsv", w_cohort, R->lt}, {"leadtime.json", w_lead_json, R->lt},
        {"patient.tsv", w_patient, R->prows}, {"patient.json", w_patient_json, R->prows}};
    size_t n_out = sizeof(outs) / sizeof(outs[0]) - (R->rp.any ? 0 : 2);
    if (R->rp.any
        && ((r = vw_patient_series(R->prows, R->tl, 0.5)) < 0 || (r = vw_patient_lead(R->lt, R->prows)) < 0)) {
        vw_error_code(r, "patient-level series");
        return STAGE_DATA;
    }
    for (size_t k = 0; k < n_out; k++) {
        R->fn.l = 0;
        ksprintf(&R->fn, "%s/vafwatch.%s", R->sd, outs[k].name);
        if (vw_write_file(R->fn.s, outs[k].w, outs[k].obj) < 0)
            return STAGE_DATA;
    }
    R->fn.l = 0;
    ksprintf(&R->fn, "%s/vafwatch.calls.vcf.gz", R->sd);
    vw_calls_vcf_opt_t vo = {VW_VERSION_LONG, run_command(), R->ts->build, R->copt.reference};
    return vw_calls_write_vcf_opt(R->calls, R->fn.s, &vo) < 0 ? STAGE_DATA : 0;
}

/* The cohort and patient reports into DIR/report. */
static int stage_report(run_t *R)
{
    const vw_pipeline_opt_t *o = R->o;
    const vw_call_opt_t *cl = &o->cl;
    char alpha[32], floor_s[32], mq[16], bq[16], unit[64];
    snprintf(alpha, sizeof(alpha), "%g", cl->alpha);
    snprintf(floor_s, sizeof(floor_s), "%g", cl->bg_floor);
    snprintf(mq, sizeof(mq), "%d", R->copt.min_mq);
    snprintf(bq, sizeof(bq), "%d", R->copt.min_bq);
    static const char *adj[] = {"holm", "bh", "none"};
    vw_report_param_t own[] = {
        {"count unit", vw_count_class(&R->copt, unit, sizeof unit)},
        {"minimum mapping quality", mq},
        {"minimum base quality", bq},
        {"call alpha", alpha},
        {"multiple-testing adjustment", adj[cl->adjust]},
        {"background model", o->model_path ? o->model_path
                             : R->n_own_panel ? "fitted on the sheet's normal samples (a patient's own left out)"
                             : R->model ? "fitted on the sheet's normal samples" : "self (each sample's own error rate)"},
        {"background floor", floor_s},
    };
    vw_report_in_t rin;
    memset(&rin, 0, sizeof(rin));
    rin.tl = R->tl;
    rin.tr = R->tr;
    rin.lt = R->lt;
    rin.calls = R->calls;
    rin.cnv = R->cnv_text;
    rin.cnv_path = R->cnv_text ? "vafwatch.cnv.tsv" : NULL;
    rin.command = run_command();
    rin.version = VW_VERSION_LONG;
    rin.build = R->ts->build != VW_BUILD_UNKNOWN ? vw_build_name(R->ts->build) : NULL;
    /* run's own parameters, then --param's */
    size_t n_own = sizeof(own) / sizeof(own[0]);
    vw_report_param_t *params = malloc((n_own + o->n_report_params) * sizeof(*params));
    if (!params) {
        vw_error_code(-ENOMEM, "the reports");
        return STAGE_DATA;
    }
    memcpy(params, own, sizeof(own));
    if (o->n_report_params)
        memcpy(params + n_own, o->report_params, o->n_report_params * sizeof(*params));
    rin.params = params;
    rin.n_params = n_own + o->n_report_params;
    rin.patient_tests = R->rp.any ? R->prows : NULL;
    rin.genome = R->genome.n ? &R->genome.panel : NULL;
    rin.markers = R->markers;
    vw_report_opt_t ropt;
    vw_report_opt_init(&ropt);
    ropt.report_date = R->report_date;
    if (o->report_title)
        ropt.title = o->report_title;
    R->fn.l = 0;
    ksprintf(&R->fn, "%s/report", R->sd);
    int r = vw_report_write(&rin, R->fn.s, &ropt);
    free(params);
    if (r < 0) {
        vw_error_code(r, "%s: writing the reports", R->fn.s);
        return STAGE_DATA;
    }
    return 0;
}

int vw_pipeline_run(const vw_pipeline_opt_t *o)
{
    run_t R;
    memset(&R, 0, sizeof(R));
    R.o = o;
    R.copt = o->copt;
    run_cmd = o->command;
    int r = stage_therapy(&R); /* before the output directory is made */
    if (r == 0)
        r = stage_cohort(&R);
    if (r == 0)
        r = stage_clash(&R);
    /* the genome-wide copy number of the draws (the sheet's swgs files, cnv --genome summaries; before
     * counting, to fail early) */
    if (r == 0 && vw_pipeline_genome(o, R.tl, R.sd, &R.genome) < 0)
        r = STAGE_DATA;
    int (*const stages[])(run_t *) = {stage_targets, stage_count, stage_model, stage_call, stage_track,
                                      stage_tables, stage_report};
    for (size_t k = 0; r == 0 && k < sizeof(stages) / sizeof(stages[0]); k++)
        r = stages[k](&R);
    if (r == 0) {
        /* the whole set into place, the manifest last, the previous run's leftovers removed */
        r = vw_oset_commit(R.os);
        R.os = NULL;
        if (r < 0) {
            vw_error_code(r, "%s: cannot put the outputs in place", o->outdir);
            r = STAGE_DATA;
        } else {
            vw_info("results in %s (reports: %s/report/index.html)", o->outdir, o->outdir);
        }
    }
    run_free(&R);
    run_cmd = NULL;
    return r == 0 ? VW_PIPELINE_OK : r == STAGE_USAGE ? VW_PIPELINE_USAGE : VW_PIPELINE_DATA;
}
