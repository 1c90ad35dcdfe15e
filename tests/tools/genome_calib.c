/* genome_calib.c -- runs the genome-wide fit on simulated samples
 * (tests/unit/genome_sim.h) and prints one line per sample: depth, truth
 * TF, ploidy, fitted TF with interval, detected, llr, share of bins in the
 * right state.  Used to calibrate --min-llr and for the accuracy tables of
 * docs/copy-number.md:
 *   genome_calib REPS [SEED [MAX_TF]]   (MAX_TF 0: normal-only samples)
 *   genome_calib series PATIENTS [SEED] : per depth and TF (0.05, 0.1, 0.2), PATIENTS
 *       series of 6 draws at a constant TF (each draw its own noise and depth multiplier):
 *       how many patients get a confirmed rise (a false alarm; rule of docs/copy-number.md)
 *   genome_calib explain SAMPLE_SEED TF DEPTH : one diploid sample fitted freely and with the
 *       TF search capped at TF + 0.01: TF, interval, LLR, the penalised log-likelihood of the
 *       solution and, per true copy number, the fitted states of its bins (docs/copy-number.md:
 *       why an occasional low-TF fit lands near twice the truth)
 *   genome_calib wig OUT.wig SEED TF DEPTH [GC.wig] : one simulated diploid sample (the
 *       segments of the calibration, 1 Mb bins of hg19 autosomes, mean DEPTH reads a bin) as a
 *       readCounter-style WIG, and the layout's GC track (for the end-to-end tests of run) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../unit/genome_sim.h"
#include "vafwatch/log.h"

static const gs_seg_t seg2[] = {{1, 150, 250, 3}, {3, 0, 90, 1}, {8, 48, 147, 4}, {13, 0, 116, 1},
                                {17, 0, 24, 1}, {20, 0, 64, 3}, {11, 68, 72, 5}};
static const gs_seg_t seg3[] = {{1, 150, 250, 4}, {3, 0, 90, 2}, {8, 48, 147, 5}, {13, 0, 116, 2},
                                {17, 0, 24, 2}, {20, 0, 64, 4}, {5, 0, 181, 2}};

/* rise of b over a (docs/copy-number.md): both detected, b's interval above a's */
static int rises(const vw_gfit_t *a, const vw_gfit_t *b)
{
    return a->detected && b->detected && b->tf_lo > a->tf_hi;
}

static int series(int patients, uint64_t seed)
{
    gs_layout_t l;
    if (gs_layout(&l, 42) < 0)
        return 1;
    int *truth = malloc((size_t)l.w->n * sizeof(int));
    static const double tfs[] = {0.05, 0.1, 0.2};
    static const double depths[] = {667, 6667};
    printf("#depth\ttf\tpatients\tdraws\tdraw_rises\tpatients_with_confirmed_rise\n");
    for (int d = 0; d < 2; d++)
        for (int t = 0; t < 3; t++) {
            int n_rise = 0, n_conf = 0, n_draws = 0;
            for (int p = 0; p < patients; p++) {
                vw_gfit_t f[6];
                for (int k = 0; k < 6; k++) {
                    vw_genome_opt_t opt;
                    vw_genome_opt_init(&opt);
                    vw_genome_t *g = vw_genome_init("s", gs_bins(&l));
                    gs_sample(&l, g, seed * 7919 + (uint64_t)(d * 1000000 + t * 10000 + p * 10 + k), tfs[t], 2, seg2, 7,
                              depths[d], 600, 0.005, truth);
                    vw_genome_mask(g, NULL, &opt, NULL, 0);
                    if (vw_genome_correct(g, &opt) < 0 || vw_genome_fit(g, &opt, &f[k], NULL, NULL) < 0)
                        return 1;
                    vw_genome_destroy(g);
                }
                int conf = 0;
                for (int k = 1; k < 6; k++) {
                    n_draws++;
                    n_rise += rises(&f[k - 1], &f[k]);
                    if (k + 1 < 6 && rises(&f[k - 1], &f[k]) && rises(&f[k - 1], &f[k + 1]))
                        conf = 1;
                }
                n_conf += conf;
            }
            printf("%s\t%.2f\t%d\t%d\t%d\t%d\n", d ? "1x" : "0.1x", tfs[t], patients, n_draws, n_rise, n_conf);
            fflush(stdout);
        }
    free(truth);
    gs_layout_free(&l);
    return 0;
}

/* Writes one track of the layout's bins: counts (v) or GC. */
static int write_wig(const char *path, const vw_gwig_t *w, const double *v, const char *fmt)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return 1;
    for (int i = 0; i < w->n; i++) {
        if (i == 0 || w->cid[i] != w->cid[i - 1])
            fprintf(fp, "fixedStep chrom=%s start=1 step=%lld span=%lld\n", w->chrom[w->cid[i]], (long long)w->step,
                    (long long)w->step);
        fprintf(fp, fmt, v[i]);
    }
    return fclose(fp) != 0;
}

static int wig(int argc, char **argv)
{
    if (argc < 6)
        return 2;
    gs_layout_t l;
    if (gs_layout(&l, 42) < 0)
        return 1;
    vw_genome_t *g = vw_genome_init("s", gs_bins(&l));
    int *truth = malloc((size_t)l.w->n * sizeof(int));
    gs_sample(&l, g, strtoull(argv[3], NULL, 10), atof(argv[4]), 2, seg2, 7, atof(argv[5]), 600, 0.005, truth);
    int rc = write_wig(argv[2], g->w, g->w->v, "%.0f\n");
    if (argc > 6)
        rc |= write_wig(argv[6], l.w, l.gc, "%.4f\n");
    free(truth);
    vw_genome_destroy(g);
    gs_layout_free(&l);
    return rc;
}

static int explain(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    gs_layout_t l;
    if (gs_layout(&l, 42) < 0)
        return 1;
    double tf = atof(argv[3]);
    int *truth = malloc((size_t)l.w->n * sizeof(int));
    for (int v = 0; v < 2; v++) {
        vw_genome_opt_t opt;
        vw_genome_opt_init(&opt);
        opt.ploidies[1] = 0;
        if (v == 1)
            opt.tf_max = tf + 0.01;
        vw_genome_t *g = vw_genome_init("s", gs_bins(&l));
        gs_sample(&l, g, strtoull(argv[2], NULL, 10), tf, 2, seg2, 7, atof(argv[4]), 600, 0.005, truth);
        vw_genome_mask(g, NULL, &opt, NULL, 0);
        vw_gfit_t f;
        if (vw_genome_correct(g, &opt) < 0 || vw_genome_fit(g, &opt, &f, NULL, NULL) < 0)
            return 1;
        int conf[8][8] = {{0}};
        for (int i = 0; i < g->w->n; i++)
            if (g->cn[i] == g->cn[i] && truth[i] < 8 && g->cn[i] < 8)
                conf[truth[i]][(int)g->cn[i]]++;
        printf("%s\ttf %.3f (%.3f-%.3f)\tllr %.1f\tpenalised loglik %.2f\tploidy %.2f\ttrue:fitted=bins",
               v ? "capped" : "free", f.tf_ml, f.tf_lo, f.tf_hi, f.llr, f.loglik, f.ploidy);
        for (int a = 0; a < 8; a++)
            for (int b = 0; b < 8; b++)
                if (conf[a][b] && a != 2)
                    printf(" %d:%d=%d", a, b, conf[a][b]);
        printf("\n");
        vw_genome_destroy(g);
    }
    free(truth);
    gs_layout_free(&l);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "explain")) {
        vw_log_set_level(VW_LOG_ERROR);
        return explain(argc, argv);
    }
    if (argc > 1 && !strcmp(argv[1], "wig"))
        return wig(argc, argv);
    if (argc > 1 && !strcmp(argv[1], "series")) {
        vw_log_set_level(VW_LOG_ERROR);
        return series(argc > 2 ? atoi(argv[2]) : 20, argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
    }
    int reps = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    double max_tf = argc > 3 ? atof(argv[3]) : 1;
    vw_log_set_level(VW_LOG_ERROR);
    gs_layout_t l;
    if (gs_layout(&l, 42) < 0)
        return 1;
    static const double tfs[] = {0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5};
    static const double depths[] = {667, 6667};
    int *truth = malloc((size_t)l.w->n * sizeof(int));
    printf("#depth\ttf\tploidy\ttf_hat\tlo\thi\tdetected\tllr\tploidy_hat\tright_state\tsecs\n");
    for (int d = 0; d < 2; d++)
        for (int t = 0; t < 7; t++)
            for (int base = 2; base <= 3; base++)
                for (int k = 0; k < reps; k++) {
                    if ((tfs[t] == 0 && base == 3) || tfs[t] > max_tf)
                        continue;
                    vw_genome_opt_t opt;
                    vw_genome_opt_init(&opt);
                    if (base == 3) {
                        opt.ploidies[0] = 3;
                        opt.ploidies[1] = 0;
                    }
                    vw_genome_t *g = vw_genome_init("s", gs_bins(&l));
                    gs_sample(&l, g, seed * 1000003 + (uint64_t)(d * 100000 + t * 1000 + base * 100 + k), tfs[t], base,
                              base == 2 ? seg2 : seg3, 7, depths[d], 600, 0.005, truth);
                    vw_genome_mask(g, NULL, &opt, NULL, 0);
                    clock_t c0 = clock();
                    vw_gfit_t f;
                    if (vw_genome_correct(g, &opt) < 0 || vw_genome_fit(g, &opt, &f, NULL, NULL) < 0)
                        return 1;
                    double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
                    int right = 0, n = 0;
                    for (int i = 0; i < g->w->n; i++)
                        if (g->cn[i] == g->cn[i]) {
                            n++;
                            right += (int)g->cn[i] == truth[i];
                        }
                    printf("%s\t%.2f\t%d\t%.3f\t%.3f\t%.3f\t%d\t%.1f\t%.2f\t%.3f\t%.3f\n", d ? "1x" : "0.1x", tfs[t],
                           base, f.tf_ml, f.tf_lo, f.tf_hi, f.detected, f.llr, f.ploidy, (double)right / n, secs);
                    vw_genome_destroy(g);
                }
    free(truth);
    gs_layout_free(&l);
    return 0;
}
