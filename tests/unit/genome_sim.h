/* genome_sim.h -- a seeded simulator of binned shallow-WGS read counts with
 * known copy-number segments, for the genome-wide tests and the
 * calibration of the detection threshold.  Its noise is deliberately not
 * the model's own (a Student-t around integer levels): counts are
 * gamma-Poisson (over-dispersed), every bin has a fixed site effect shared
 * by all samples (log-normal), a GC bias curve scales the depth (its shape
 * changes with a per-sample factor), each sample has its own depth
 * multiplier and a slow wave along the genome (amplitude 1.5 %, period
 * 20-60 Mb: the residual "GC wave" of real libraries), and an occasional
 * bin is an artefact (x 3 or x 0.3). */
#ifndef VW_GENOME_SIM_H
#define VW_GENOME_SIM_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "vafwatch/cnv_genome.h"

/* hg19 autosome lengths (Mb, rounded up): 1 Mb bins of chromosomes 1-22. */
static const int gs_len_mb[22] = {250, 244, 199, 192, 181, 172, 160, 147, 142, 136, 136,
                                  134, 116, 108, 103, 91, 82, 79, 60, 64, 49, 52};

typedef struct {
    uint64_t s;
} gs_rng_t;

static inline uint64_t gs_next(gs_rng_t *r)
{ /* splitmix64 */
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline double gs_unif(gs_rng_t *r)
{
    return ((gs_next(r) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static inline double gs_norm(gs_rng_t *r)
{
    return sqrt(-2 * log(gs_unif(r))) * cos(2 * M_PI * gs_unif(r));
}

/* Gamma(shape k >= 1, scale 1), Marsaglia-Tsang. */
static inline double gs_gamma(gs_rng_t *r, double k)
{
    double d = k - 1.0 / 3, c = 1 / sqrt(9 * d);
    for (;;) {
        double x = gs_norm(r), v = 1 + c * x;
        if (v <= 0)
            continue;
        v = v * v * v;
        double u = gs_unif(r);
        if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
            return d * v;
    }
}

/* Poisson: inversion below 30, else the rounded normal approximation. */
static inline double gs_pois(gs_rng_t *r, double lam)
{
    if (lam < 30) {
        double L = exp(-lam), p = 1;
        int k = 0;
        do {
            k++;
            p *= gs_unif(r);
        } while (p > L);
        return k - 1;
    }
    double x = floor(lam + sqrt(lam) * gs_norm(r) + 0.5);
    return x < 0 ? 0 : x;
}

/* A known segment: tumour copy number 'cn' over bins [b, e) of chromosome
 * 'chr' (1-based). */
typedef struct {
    int chr, b, e, cn;
} gs_seg_t;

/* The genome layout: bins, GC per bin (smooth, 0.35-0.60) and the fixed
 * site effects; the same for every sample of one 'layout_seed'. */
typedef struct {
    vw_gwig_t *w;
    double *gc, *site;
} gs_layout_t;

static inline void gs_layout_free(gs_layout_t *l)
{
    vw_gwig_destroy(l->w);
    free(l->gc);
    free(l->site);
}

static inline int gs_layout(gs_layout_t *l, uint64_t seed)
{
    gs_rng_t r = {seed};
    l->gc = l->site = NULL;
    l->w = vw_gwig_init(1000000);
    if (!l->w)
        return -1;
    char name[8];
    for (int c = 0; c < 22; c++) {
        snprintf(name, sizeof name, "%d", c + 1);
        if (vw_gwig_add_contig(l->w, name, (hts_pos_t)gs_len_mb[c] * 1000000) < 0)
            return -1;
    }
    l->gc = malloc((size_t)l->w->n * sizeof(double));
    l->site = malloc((size_t)l->w->n * sizeof(double));
    if (!l->gc || !l->site)
        return -1;
    double a = 0;
    for (int i = 0; i < l->w->n; i++) {
        a = 0.9 * a + 0.1 * gs_norm(&r) * 3; /* an AR(1) walk: GC changes smoothly along the genome */
        double g = 0.45 + 0.05 * a + 0.01 * gs_norm(&r);
        l->gc[i] = g < 0.33 ? 0.33 : g > 0.62 ? 0.62 : g;
        l->site[i] = exp(0.03 * gs_norm(&r));
    }
    return 0;
}

/* Counts of one sample: tumour fraction tf, segments (elsewhere 'base'
 * copies), mean reads per bin 'depth', gamma shape 'disp' (variance
 * mu + mu^2 / disp), artefact probability 'p_art'.  Writes g->w->v and
 * g->gc (the caller then masks, corrects and fits).  truth[i] gets each
 * bin's tumour copy number. */
static inline void gs_sample(const gs_layout_t *l, vw_genome_t *g, uint64_t seed, double tf, int base,
                             const gs_seg_t *seg, int n_seg, double depth, double disp, double p_art, int *truth)
{
    gs_rng_t r = {seed};
    const vw_gwig_t *w = l->w;
    double mult = exp(0.2 * gs_norm(&r));        /* per-sample depth multiplier */
    double gc_opt = 0.44 + 0.03 * gs_norm(&r);   /* per-sample GC bias optimum */
    double gc_w = 0.10 + 0.02 * fabs(gs_norm(&r));
    double wave_p = 20e6 + 40e6 * gs_unif(&r), wave_ph = 2 * M_PI * gs_unif(&r);
    double psi = 0;
    for (int i = 0; i < w->n; i++) {
        int cn = base, chr = w->cid[i] + 1, b = (int)(w->beg[i] / 1000000);
        for (int k = 0; k < n_seg; k++)
            if (seg[k].chr == chr && b >= seg[k].b && b < seg[k].e)
                cn = seg[k].cn;
        truth[i] = cn;
        psi += cn;
    }
    psi /= w->n;
    (void)psi;
    for (int i = 0; i < w->n; i++) {
        double rel = (2 * (1 - tf) + truth[i] * tf) / 2; /* DNA per bin relative to a diploid genome */
        double gb = exp(-0.5 * pow((l->gc[i] - gc_opt) / gc_w, 2));
        double wave = 1 + 0.015 * sin(2 * M_PI * (double)w->beg[i] / wave_p + wave_ph + w->cid[i]);
        double mu = depth * mult * rel * gb * l->site[i] * wave;
        double lam = mu * gs_gamma(&r, disp) / disp;
        double x = gs_pois(&r, lam);
        if (gs_unif(&r) < p_art)
            x = floor(x * (gs_unif(&r) < 0.5 ? 3 : 0.3));
        g->w->v[i] = x;
        g->gc[i] = l->gc[i];
    }
}

/* A copy of the layout's bins (values NAN).  NULL on ENOMEM. */
static inline vw_gwig_t *gs_bins(const gs_layout_t *l)
{
    vw_gwig_t *w = vw_gwig_init(l->w->step);
    char name[8];
    for (int c = 0; w && c < 22; c++) {
        snprintf(name, sizeof name, "%d", c + 1);
        if (vw_gwig_add_contig(w, name, (hts_pos_t)gs_len_mb[c] * 1000000) < 0) {
            vw_gwig_destroy(w);
            return NULL;
        }
    }
    return w;
}

#endif
