/* run_genome.c -- genome-wide copy number in vafwatch run: the shallow WGS
 * of each draw (the sheet's 'swgs' column: a readCounter WIG or a BAM/CRAM)
 * binned (BAM/CRAM bins cached in DIR/counts/), corrected and fitted as cnv
 * --genome does, the per-sample summaries of cnv --genome given with
 * --genome-tsv added, and the tumour fraction of each patient's draws
 * written as a series.  Every output goes into the staging directory. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "vw_config.h"
#include "vafwatch/cnv_genome.h"
#include "vafwatch/genome_in.h"
#include "vafwatch/inputs.h"
#include "vafwatch/log.h"
#include "vafwatch/track.h"
#include "vafwatch/util.h"
#include "pipeline_priv.h"

#define CACHE_SUFFIX ".vafwatch.genome.wig"
#define CACHE_KIND "vafwatch-genome-cache 1"

typedef struct {
    const vw_timeline_t *tl;
    const vw_gsum_t *s;
    int rows;
} series_t;

static int w_series(FILE *fp, const void *obj)
{
    series_t *x = (series_t *)obj;
    return vw_genome_write_series(fp, x->tl, (const char *const *)x->s->sample, x->s->fit, x->s->fga, x->s->wgii,
                                  x->s->n, &x->rows);
}

/* ------------------------------------------------------------------ */
/* The bin cache of a BAM/CRAM: DIR/counts/SAMPLE.vafwatch.genome.wig, a
 * comment line with the key, then the counts as a fixedStep WIG.         */

/* The cached counts onto the bins of the file's header; 1 when taken, 0
 * when absent, stale or unusable (then counted again). */
static int cache_load(const vw_genome_in_t *x, const char *cpath, const char *key, const char *path,
                      vw_gwig_t **ret)
{
    FILE *fp = fopen(cpath, "r");
    if (!fp)
        return 0;
    char *line = NULL;
    size_t m = 0;
    ssize_t n = getline(&line, &m, fp);
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    int same = n > 0 && line[0] == '#' && !strcmp(line + 1, key);
    fclose(fp);
    free(line);
    if (!same)
        return 0;
    vw_gwig_t *c = NULL, *w = NULL;
    int lv = vw_log_get_level(), ok = 0;
    vw_log_set_level(VW_LOG_QUIET); /* a broken entry is counted again, not an error */
    int r = vw_gwig_read(cpath, &c);
    vw_log_set_level(lv);
    if (r == 0 && vw_genome_in_header_bins(x, path, &w) == 0 && c->n == w->n && c->step == w->step) {
        ok = 1;
        for (int i = 0; i < w->n && ok; i++) {
            ok = c->beg[i] == w->beg[i] && !strcmp(c->chrom[c->cid[i]], w->chrom[w->cid[i]]) && c->v[i] == c->v[i];
            w->v[i] = c->v[i];
        }
    }
    vw_gwig_destroy(c);
    if (!ok) {
        vw_warn("%s: cached bins unusable; counting again", cpath);
        vw_gwig_destroy(w);
        return 0;
    }
    *ret = w;
    return 1;
}

static int write_cache_wig(FILE *fp, const vw_gwig_t *w, const char *key)
{
    fprintf(fp, "#%s\n", key);
    for (int i = 0; i < w->n; i++) {
        if (i == 0 || w->cid[i] != w->cid[i - 1])
            fprintf(fp, "fixedStep chrom=%s start=1 step=%lld span=%lld\n", w->chrom[w->cid[i]], (long long)w->step,
                    (long long)w->step);
        fprintf(fp, "%.0f\n", w->v[i]);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static int cache_store(const char *cpath, const vw_gwig_t *w, const char *key)
{
    vw_ofile_t of = {0};
    int r = vw_ofile_open(&of, cpath);
    if (r == 0) {
        r = write_cache_wig(of.fp, w, key);
        if (r == 0)
            r = vw_ofile_commit(&of);
        else
            vw_ofile_abort(&of);
    }
    if (r < 0)
        vw_error_code(r, "%s: cannot write the bin cache", cpath);
    return r;
}

/* The bin counts of one draw's shallow WGS: a WIG read; a BAM/CRAM counted,
 * or taken from the cache.  Logs; returns 0 or negative. */
static int draw_counts(const vw_genome_in_t *x, const vw_sample_t *s, const char *outdir, int use_cache,
                       vw_gwig_t **ret)
{
    char *name = NULL, *key = NULL, *cpath = NULL;
    int r = 0;
    if (vw_genome_in_is_wig(s->swgs)) {
        r = vw_genome_in_counts(x, s->swgs, s->sample, ret, &name);
        free(name);
        return r;
    }
    const vw_genome_in_opt_t *o = vw_genome_in_opt(x);
    kstring_t opts = {0, 0, NULL};
    ksprintf(&opts, "version=%s bin=%ld mq=%d excl=%u req=%u ref=%s", VW_VERSION_LONG, o->bin, o->copt.min_mq,
             o->copt.excl_flags, o->copt.req_flags, o->copt.reference ? o->copt.reference : "-");
    if (!opts.s || (r = vw_pipeline_file_key(s->swgs, CACHE_KIND, opts.s, &key)) < 0) {
        vw_error_code(r ? r : -ENOMEM, "%s: cannot read (cohort sheet line %ld, column 'swgs')", s->swgs, s->line);
        free(opts.s);
        return r ? r : -ENOMEM;
    }
    free(opts.s);
    if (key && !(cpath = vw_pipeline_cache_path(outdir, s->sample, CACHE_SUFFIX)))
        r = -ENOMEM;
    int cached = r == 0 && cpath && use_cache && cache_load(x, cpath, key, s->swgs, ret);
    if (cached)
        vw_info("%s: bins from the cache %s", s->swgs, cpath);
    if (r == 0 && !cached) {
        r = vw_genome_in_counts(x, s->swgs, s->sample, ret, &name);
        if (r == 0 && cpath && (r = cache_store(cpath, *ret, key)) < 0)
            vw_gwig_destroy(*ret);
    }
    free(name);
    free(key);
    free(cpath);
    return r;
}

/* ------------------------------------------------------------------ */
/* Fitting the draws                                                   */

enum { N_TAB = 5 };
static const char *const tab_names[N_TAB + 1] = {"genome.tsv", "genome_bins.tsv", "genome.seg", "genome_arms.tsv",
                                                 "genome_focal.tsv", "genome.html"};

typedef struct {
    vw_ofile_t f[N_TAB + 1];
    int opened;
    vw_genome_t **g;           /* the fitted draws, kept for the page */
    vw_gfit_t *fit;
    double *fga, *wgii;
    int n;
} fitted_t;

static void fitted_free(fitted_t *F)
{
    for (int k = 0; k < F->opened; k++)
        vw_ofile_abort(&F->f[k]);
    for (int i = 0; i < F->n; i++)
        vw_genome_destroy(F->g[i]);
    free(F->g);
    free(F->fit);
    free(F->fga);
    free(F->wgii);
}

/* One draw binned, prepared, fitted and written.  'prev': the previous draw
 * of the same patient, or NULL.  Logs; returns 0 or negative. */
static int fit_draw(const vw_genome_in_t *x, const vw_sample_t *s, const vw_gfit_t *prev, const char *outdir,
                    int use_cache, fitted_t *F)
{
    vw_gwig_t *w = NULL;
    vw_genome_t *g = NULL;
    vw_genome_res_t res;
    int r = draw_counts(x, s, outdir, use_cache, &w);
    if (r == 0)
        r = vw_genome_in_prepare(x, s->swgs, s->sample, w, &g);
    if (r == 0)
        r = vw_genome_in_fit(x, s->swgs, g, &res);
    if (r < 0)
        return r;
    FILE *const fp[N_TAB] = {F->f[0].fp, F->f[1].fp, F->f[2].fp, F->f[3].fp, F->f[4].fp};
    r = vw_genome_res_write(fp, &res, prev, F->n == 0);
    if (r < 0)
        vw_error_code(r, "writing the genome-wide tables");
    F->g[F->n] = res.g;
    F->fit[F->n] = res.fit;
    F->fga[F->n] = res.fga;
    F->wgii[F->n++] = res.wgii;
    res.g = NULL;
    vw_genome_res_free(&res);
    return r;
}

/* The sheet's normal samples with a 'swgs' file (the panel of normals when
 * the options give none) and the other draws that have one, in patient
 * then date order. */
static int collect(const vw_timeline_t *tl, const vw_sample_t **nrm, int *n_nrm, const vw_sample_t **drw, int *n_drw)
{
    *n_nrm = *n_drw = 0;
    for (size_t p = 0; p < tl->n_patients; p++)
        for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
            const vw_sample_t *s = &tl->patients[p].samples[k];
            if (!s->swgs)
                continue;
            if (s->type == VW_SAMPLE_NORMAL)
                nrm[(*n_nrm)++] = s;
            else
                drw[(*n_drw)++] = s;
        }
    return *n_drw;
}

/* The panel of normals from the sheet's normal rows with a 'swgs' file
 * (binned through the cache like the draws).  Logs; returns 0 or -1. */
static int sheet_pon(vw_genome_in_t *x, const vw_sample_t *const *nrm, int n, const char *outdir, int use_cache)
{
    vw_genome_t **g = calloc((size_t)n, sizeof(*g));
    int r = g ? 0 : -ENOMEM;
    for (int k = 0; k < n && r == 0; k++) {
        vw_gwig_t *w = NULL;
        if ((r = draw_counts(x, nrm[k], outdir, use_cache, &w)) == 0)
            r = vw_genome_in_prepare(x, nrm[k]->swgs, nrm[k]->sample, w, &g[k]);
    }
    if (r == 0)
        r = vw_genome_in_set_pon(x, g, n);
    else if (r == -ENOMEM && !g)
        vw_error_code(r, "panel of normals");
    for (int k = 0; g && k < n; k++)
        vw_genome_destroy(g[k]);
    free(g);
    if (r == 0)
        vw_info("genome-wide panel of normals: the 'swgs' files of %d normal rows of the sheet", n);
    return r < 0 ? -1 : 0;
}

/* Opens the tables in the staging directory sd.  Logs; returns 0 or -1. */
static int open_tables(fitted_t *F, const char *sd)
{
    kstring_t p = {0, 0, NULL};
    for (int k = 0; k <= N_TAB; k++) {
        p.l = 0;
        ksprintf(&p, "%s/vafwatch.%s", sd, tab_names[k]);
        int r = p.s ? vw_ofile_open(&F->f[k], p.s) : -ENOMEM;
        if (r < 0) {
            vw_error_code(r, "cannot write '%s'", p.s ? p.s : sd);
            free(p.s);
            return -1;
        }
        F->opened = k + 1;
    }
    free(p.s);
    return vw_genome_write_summary_header(F->f[0].fp) < 0 ? -1 : 0;
}

void vw_run_genome_free(vw_run_genome_t *rg)
{
    for (int i = 0; i < rg->n; i++)
        vw_genome_destroy(rg->g[i]);
    free(rg->g);
    free(rg->fit);
    free(rg->fga);
    free(rg->wgii);
    memset(rg, 0, sizeof(*rg));
}

/* Fits every draw with a 'swgs' file into sd; the fits handed over in rg.
 * Logs; returns 1 (fitted), 0 (no draw has a 'swgs' file) or -1. */
static int fit_draws(const vw_pipeline_opt_t *o, const vw_timeline_t *tl, const char *sd, vw_run_genome_t *rg)
{
    const vw_sample_t **nrm = calloc(tl->n_samples + 1, sizeof(*nrm));
    const vw_sample_t **drw = calloc(tl->n_samples + 1, sizeof(*drw));
    fitted_t F;
    memset(&F, 0, sizeof(F));
    vw_genome_in_t *x = NULL;
    int n_nrm, n_drw, rc = -1;
    if (!nrm || !drw)
        goto out;
    if (collect(tl, nrm, &n_nrm, drw, &n_drw) == 0) {
        rc = 0;
        goto out;
    }
    vw_genome_in_opt_t io;
    if (o->genome)
        io = *o->genome;
    else
        vw_genome_in_opt_init(&io);
    if (!io.copt.reference)
        io.copt.reference = o->to.reference;
    F.g = calloc((size_t)n_drw, sizeof(*F.g));
    F.fit = calloc((size_t)n_drw, sizeof(*F.fit));
    F.fga = calloc((size_t)n_drw, sizeof(double));
    F.wgii = calloc((size_t)n_drw, sizeof(double));
    if (!F.g || !F.fit || !F.fga || !F.wgii || vw_genome_in_open(&io, &x) < 0 || open_tables(&F, sd) < 0)
        goto out;
    if (io.n_pon == 0 && n_nrm > 0 && sheet_pon(x, nrm, n_nrm, o->outdir, o->use_cache) < 0)
        goto out;
    for (int i = 0; i < n_drw; i++) {
        const vw_gfit_t *prev = i > 0 && !strcmp(drw[i - 1]->patient, drw[i]->patient) ? &F.fit[F.n - 1] : NULL;
        if (fit_draw(x, drw[i], prev, o->outdir, o->use_cache, &F) < 0)
            goto out;
    }
    if (vw_genome_write_html(F.f[N_TAB].fp, (const vw_genome_t *const *)F.g, F.fit, F.fga, F.wgii, F.n) < 0) {
        vw_error("writing the genome-wide page");
        goto out;
    }
    for (int k = 0, r; k <= N_TAB; k++) /* into the staging directory; in place with the run's set */
        if ((r = vw_ofile_commit(&F.f[k])) < 0) {
            vw_error_code(r, "writing '%s'", F.f[k].path ? F.f[k].path : sd);
            for (int j = k + 1; j <= N_TAB; j++)
                vw_ofile_abort(&F.f[j]);
            F.opened = 0;
            goto out;
        }
    F.opened = 0;
    vw_info("genome-wide copy number of %d draws: %s/vafwatch.genome.tsv", n_drw, o->outdir);
    rg->g = F.g;
    rg->fit = F.fit;
    rg->fga = F.fga;
    rg->wgii = F.wgii;
    rg->n = F.n;
    rg->panel = (vw_genome_panel_t){F.n, (const vw_genome_t *const *)F.g, F.fit, F.fga, F.wgii, io.opt.min_llr};
    memset(&F, 0, sizeof(F));
    rc = 1;
out:
    fitted_free(&F);
    vw_genome_in_close(x);
    free(nrm);
    free(drw);
    return rc;
}

int vw_pipeline_genome(const vw_pipeline_opt_t *o, const vw_timeline_t *tl, const char *sd, vw_run_genome_t *rg)
{
    int fitted = fit_draws(o, tl, sd, rg);
    if (fitted < 0)
        return -1;
    const vw_genome_in_opt_t *go = o->genome;
    if (!fitted && go && (go->gc || go->map || go->centromeres || go->n_pon))
        vw_warn("genome-wide options given but no draw of the sheet has a 'swgs' file: nothing fitted");
    if (!fitted && o->n_genome_tsv == 0)
        return 0;
    int rc = -1;
    vw_gsum_t *s = vw_gsum_init();
    kstring_t path = {0, 0, NULL};
    if (!s) {
        vw_error_code(-ENOMEM, "genome-wide series");
        goto out;
    }
    ksprintf(&path, "%s/vafwatch.genome.tsv", sd);
    if (fitted && vw_gsum_read_tsv(s, path.s) < 0)
        goto out;
    for (int i = 0; i < o->n_genome_tsv; i++)
        if (vw_gsum_read_tsv(s, o->genome_tsv[i]) < 0)
            goto out;
    path.l = 0;
    ksprintf(&path, "%s/vafwatch.genome_series.tsv", sd);
    series_t x = {tl, s, 0};
    if (vw_write_file(path.s, w_series, &x) < 0)
        goto out;
    if (x.rows < s->n)
        vw_warn("genome-wide series: %d of %d samples are not plasma draws of the sheet (by name): left out", s->n - x.rows,
                s->n);
    if (x.rows == 0)
        vw_warn("genome-wide series: no sample is a plasma draw of the sheet: vafwatch.genome_series.tsv has only "
                "its header");
    rc = 0;
out:
    free(path.s);
    vw_gsum_destroy(s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Clone fractions from the genome-wide tumour fraction                */

/* The draw of sample 'name' when its TF was detected, else -1. */
static int detected_draw(const vw_run_genome_t *rg, const char *name)
{
    for (int i = 0; i < rg->n; i++)
        if (!strcmp(rg->g[i]->sample, name))
            return rg->fit[i].detected && rg->fit[i].tf > 0 ? i : -1;
    return -1;
}

/* The fitted tumour copy number at chrom:pos1 in g: the bin holding it,
 * else the nearest fitted bin of the contig within 5 bins; -1 when the
 * contig is not in the bins or no bin near is fitted (then not known). */
static int locus_state(const vw_genome_t *g, const char *chrom, int64_t pos1)
{
    char a[256], b[256];
    const vw_gwig_t *w = g->w;
    vw_gwig_canon(chrom, a, sizeof a);
    for (int i = 0; i < w->n; i++) {
        if (!(w->beg[i] < pos1 && pos1 <= w->end[i]) || strcmp(vw_gwig_canon(w->chrom[w->cid[i]], b, sizeof b), a))
            continue;
        for (int d = 0; d <= 5; d++)
            for (int sgn = -1; sgn <= 1; sgn += 2) {
                int j = i + sgn * d;
                if (j >= 0 && j < w->n && w->cid[j] == w->cid[i] && isfinite(g->cn[j]))
                    return (int)g->cn[j];
            }
        return -1;
    }
    return -1;
}

int vw_run_genome_clone_fractions(vw_track_t *tr, const vw_run_genome_t *rg)
{
    int n_set = 0, n_skip = 0;
    for (size_t i = 0; i < tr->n; i++) {
        vw_track_series_t *s = &tr->s[i];
        int has_truncal = 0;
        for (size_t j = 0; j < tr->n && !has_truncal; j++)
            has_truncal = tr->s[j].patient == s->patient && tr->s[j].is_truncal;
        if (has_truncal || s->kind != VW_KIND_MUTATION)
            continue;
        for (size_t k = 0; k < s->n_draws; k++) {
            vw_track_draw_t *d = &s->draws[k];
            int gi = d->state != VW_DRAW_NA && isfinite(d->vaf) ? detected_draw(rg, d->sample) : -1;
            if (gi < 0)
                continue;
            const vw_gfit_t *f = &rg->fit[gi];
            int cn = locus_state(rg->g[gi], s->chrom, s->pos1);
            if (cn >= 0 && cn != 2) { /* not a two-copy region in this draw's fit: the formula does not hold */
                n_skip++;
                continue;
            }
            /* a heterozygous clonal mutation in a diploid region has VAF TF / 2 */
            d->clone_fraction = 2 * d->vaf / f->tf;
            d->cf_lo = isfinite(d->vaf_lo) && f->tf_hi > 0 ? 2 * d->vaf_lo / f->tf_hi : NAN;
            d->cf_hi = isfinite(d->vaf_hi) && f->tf_lo > 0 ? 2 * d->vaf_hi / f->tf_lo : NAN;
            d->tf = f->tf;
            n_set++;
        }
    }
    if (n_set)
        vw_info("clone fractions of %d draw x target pairs from the genome-wide tumour fraction (2 VAF / TF: "
                "patients without a truncal target)", n_set);
    if (n_skip)
        vw_info("%d draw x target pairs without a clone fraction: their locus is not at two copies in the draw's "
                "genome-wide fit", n_skip);
    return n_set;
}
