/*
 * model.h -- the background error model of each target, fitted on a panel
 * of normals (PoN), saved and loaded as a versioned TSV.
 *
 * One site per target (= site x substitution): the beta-binomial mean mu
 * and over-dispersion rho of alt fragments in normals (vw_stats_bbfit():
 * pseudocounts 0.5 + 0.5, normals with VAF > 0.1 left out, rho clamped to
 * [1e-4, 0.1]).  Strands are pooled (no strand-specific fit).
 *
 * A site is "noisy" when, among the normals with depth > 0, at least
 * noisy_frac2 (20 %) show >= 2 alt fragments, or at least noisy_frac1
 * (75 %) show >= 1 (the black-list rules of ctDNAtools: Alkodsi et al.,
 * bioRxiv 2020).
 *
 * Model file (text, '##' provenance lines, then one '#' header line):
 *   ##vafwatch_model=1
 *   ##vafwatchVersion=..., ##vafwatchCommand=..., ##n_normals=N,
 *   ##options=vaf_max=0.1;pseudo_alt=0.5;...  (##date=YYYY-MM-DD when asked)
 *   ##sample_scale_var=V  (a model fitted on level-scaled normals, below)
 *   ##normal_outlier=SAMPLE;site=ID;chrom=C;pos=P;alt=X;depth=N;p=P  (one per normal left
 *   out of a site's fit as carrying a variant there; ignored when read)
 *   #chrom pos ref alt id n_normals depth_total alt_total mu rho noisy [class]
 * pos is 1-based; n_normals counts the normals used in the fit; noisy is
 * yes/no; class (evclass.h), written when a site has one, names the
 * evidence class of the row in a model of several classes.
 *
 * Thread safety: no shared state; functions on different objects may run
 * concurrently, one object is used by one thread at a time.  Logging goes
 * through log.h.
 */
#ifndef VW_MODEL_H
#define VW_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "vafwatch/count.h"
#include "vafwatch/stats.h"
#include "vafwatch/util.h"

#define VW_MODEL_VERSION 1
/* fewer normals than this: no error levels (their spread would be a guess) */
#define VW_MODEL_SCALE_MIN_NORMALS 8

typedef struct {
    vw_bbfit_opt_t fit;   /* vw_stats_bbfit options (defaults of stats.h) */
    double noisy_frac2;   /* share of normals with >= 2 alt making a site noisy [0.2] */
    double noisy_frac1;   /* share of normals with >= 1 alt making a site noisy [0.75] */
    long min_depth;       /* normals with fewer fragments at a site are left out of its fit [100] */
    double shrink_n0;     /* empirical Bayes: weight, in normals, of the class's relative
                           * over-dispersion against the site's own [20] */
    double rho_rel_min;   /* floor of rho / mu (a 20 % CV of the rate between samples) [0.04] */
    int scale;            /* 1: each normal's error level (below) is estimated and divided out
                           * before the sites are fitted [1] */
    int shrink;           /* 1: empirical-Bayes shrinkage across sites (below); 0: each site on
                           * its own (mu as vw_stats_bbfit(), rho = max(own, floor)) [1] */
    double outlier_p;     /* a normal whose count at a site is above the beta-binomial of the
                           * site's other normals at p < outlier_p / J (J normals at the site)
                           * carries a variant there (CH, germline): left out of that site's
                           * fit [1e-6]; 0: none left out */
} vw_model_opt_t;

void vw_model_opt_init(vw_model_opt_t *opt);

typedef struct {
    char *chrom;          /* contig as in the normals' inputs */
    int64_t pos1;         /* 1-based */
    char *ref, *alt, *id;
    int n_normals;        /* normals used in the fit (depth > 0, VAF <= vaf_max) */
    int64_t depth_total;  /* sum of their depths */
    int64_t alt_total;    /* sum of their alt counts */
    double mu, rho;       /* beta-binomial background (after shrinkage) */
    int noisy;            /* 1: noisy site */
    double rel_rho_site;  /* the site's own moment estimate of rho / mu, with the site's own mu
                           * (NaN: not estimable); in memory only, not saved */
    char *ev_class;       /* evidence class of the row (evclass.h), owned; NULL: the file's one
                           * class (no 'class' column) */
} vw_model_site_t;

/* A normal left out of one site's fit as carrying a variant there. */
typedef struct {
    char *sample;         /* the normal's sample name, owned */
    int site;             /* index in vw_model_t.s */
    long alt, depth;      /* its counts there */
    double p;             /* upper tail against the site's other normals */
} vw_model_outlier_t;

typedef struct {
    int n, m;
    vw_model_site_t *s;
    vw_model_outlier_t *out; /* normals left out of a site's fit (opt->outlier_p), owned */
    int n_out, m_out;
    int n_normals;        /* normals in the panel */
    vw_build_t build;     /* build of the normals' targets ('##build=' line), UNKNOWN if not said */
    double scale_var;     /* > 0: the sites were fitted on normals scaled by their error level
                           * (one multiplier of every site's rate per sample), and this is the
                           * between-sample variance of that level ('##sample_scale_var=');
                           * 0: not scaled (a model of older versions) */
} vw_model_t;

/* Empty model; caller owns; free with vw_model_destroy().  NULL on ENOMEM. */
vw_model_t *vw_model_init(void);
/* Accepts NULL. */
void vw_model_destroy(vw_model_t *m);

/* Fits every target of 'ts' on the n normals (each with one vw_count_t per
 * target of ts; not-assessed rows and rows below opt->min_depth are left
 * out).  A target with no usable normal gets no site.  'opt' may be NULL
 * for the defaults.
 * Empirical Bayes across sites (docs/calling.md): the mean of a site is
 * shrunk toward its substitution class, mu = (X + A m_c) / (N + A), with
 * m_c the class's pooled rate and A = m_c (1 - m_c) / v_c - 1 from the
 * between-site variance v_c of the class's rates (method of moments; no
 * shrinkage when the class has < 3 sites); the relative over-dispersion
 * r = rho / mu is shrunk toward the class mean r_c of the sites with an
 * estimate, r = (J r_site + n0 r_c) / (J + n0), J the site's normals
 * (a site without its own estimate takes r_c); r = max(r, rho_rel_min),
 * plus the uncertainty of the panel's mean, 1 / (X + 0.5) + r / J (a
 * predictive over-dispersion); rho = r mu, at most fit.rho_max.
 * Error level (opt->scale): the rates of one sample share a multiplier
 * (library, run); normal j's level is L_j = sum_i x_ij / sum_i n_ij mu_i
 * over its sites with VAF <= vaf_max (iterated with the sites' pooled
 * rates, mean level 1), and site i is fitted on the depths n_ij L_j, so
 * mu and rho describe a sample of level 1; scale_var = the variance of
 * the L_j less their counting variance (at least 1e-3).  With fewer than
 * VW_MODEL_SCALE_MIN_NORMALS normals (or with opt->scale 0) nothing is
 * scaled and scale_var = 0.  The call
 * estimates a sample's own level from its other targets
 * (vw_call_sample_known()).
 * A normal's own variant (opt->outlier_p): at each site with J >= 4
 * normals, each normal's count is tested against the beta-binomial fitted
 * on the site's other normals (their mean and moment rho, rho at least
 * rho_rel_min mu): the upper tail P(X >= x_j); the normal with the smallest
 * tail below outlier_p / J is left out of the site (fit, n_normals, noisy
 * counts), recorded in m->out and warned about (naming the normal and the
 * site), and the test repeats on the rest while at least 3 stay.
 * Returns 0, -EINVAL, -ENOMEM or a vw_stats_bbfit() error. */
int vw_model_fit(vw_model_t *m, const vw_targets_t *ts, vw_sample_counts_t *const *normals, int n,
                 const vw_model_opt_t *opt) VW_WARN_UNUSED;

/* Writes the model file; 'prov' are n_prov extra '##key=value' lines
 * (without the '##' and newline) written after the version line.
 * Returns 0 or -EIO. */
int vw_model_write_tsv(FILE *fp, const vw_model_t *m, const char *const *prov, int n_prov) VW_WARN_UNUSED;

/* Reads a model file and appends its sites.  The first line must be
 * "##vafwatch_model=1".  Logs on failure (file:line: column).
 * Returns 0, VW_EPARSE or -errno. */
int vw_model_read_tsv(vw_model_t *m, const char *path) VW_WARN_UNUSED;

/* Refuses a model that cannot be the background of these targets: built on
 * another build (both known and different), or sharing no site with them
 * (another panel).  Logs (naming 'path').  Returns 0 or VW_EINPUT. */
int vw_model_check(const vw_model_t *m, const vw_targets_t *ts, const char *path) VW_WARN_UNUSED;

/* Index of the site chrom (with or without "chr") / pos1 / ref / alt, or -1. */
int vw_model_find(const vw_model_t *m, const char *chrom, int64_t pos1, const char *ref, const char *alt);

#endif
