/* test_genome_in.c -- one shallow-WGS sample from its file to its results
 * (genome_in.h): file kinds, defaults, the bins of a BAM header and its
 * fragments counted (hand counts), a simulated WIG (tests/unit/genome_sim.h)
 * prepared and fitted against the simulation's truth, the tables written,
 * and the errors of tracks of two bin sizes and a missing file. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/sam.h>

#include "vafwatch/genome_in.h"
#include "vafwatch/log.h"
#include "vw_test.h"
#include "vw_test_bam.h"
#include "genome_sim.h"

static char tmpdir[] = "/tmp/vwgenin.XXXXXX";

static const char *path_of(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", tmpdir, name);
    return path[k];
}

static const char *put_file(const char *name, const char *text)
{
    const char *p = path_of(name);
    vw_test_put(p, text);
    return p;
}

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(tmpdir);
}

static void test_kinds_and_defaults(void **state)
{
    (void)state;
    assert_int_equal(vw_genome_in_is_wig("a/b.wig"), 1);
    assert_int_equal(vw_genome_in_is_wig("b.WIG"), 1);
    assert_int_equal(vw_genome_in_is_wig("b.bam"), 0);
    assert_int_equal(vw_genome_in_is_wig("wig"), 0);
    vw_genome_in_opt_t o;
    vw_genome_in_opt_init(&o);
    assert_int_equal(o.bin, 1000000);
    assert_int_equal(o.copt.stream, 1);
    assert_int_equal(o.build, VW_BUILD_UNKNOWN);
    assert_null(o.gc);
    vw_genome_in_t *x = NULL;
    assert_int_equal(vw_genome_in_open(&o, &x), 0);
    assert_ptr_equal(vw_genome_in_opt(x), vw_genome_in_opt(x));
    assert_int_equal(vw_genome_in_opt(x)->bin, 1000000);
    vw_genome_in_close(x);
    vw_genome_in_close(NULL);
    vw_genome_res_free(NULL);
}

/* A BAM of contigs chr1 (2,500 bp), chrM and chr2 (1,000 bp), bins of
 * 1,000 bp: chr1 gets 3 bins (the last 500 bp), chrM none (not 1-22, X,
 * Y), chr2 one.  Reads (hand count per bin): chr1 bin 0 two reads, bin 2
 * one read plus a duplicate (skipped), chr2 one read of MAPQ 5 (skipped). */
static void test_bam_bins(void **state)
{
    (void)state;
    const char *bam = path_of("a.bam");
    vw_test_sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:2500\n@SQ\tSN:chrM\tLN:1000\n"
                       "@SQ\tSN:chr2\tLN:1000\n@RG\tID:g\tSM:S1\n",
                       "r1\t0\tchr1\t11\t60\t10M\t*\t0\t0\tAAAAAAAAAA\t*\tRG:Z:g\n"
                       "r2\t16\tchr1\t101\t60\t10M\t*\t0\t0\tAAAAAAAAAA\t*\tRG:Z:g\n"
                       "r3\t0\tchr1\t2101\t60\t10M\t*\t0\t0\tAAAAAAAAAA\t*\tRG:Z:g\n"
                       "r4\t1024\tchr1\t2201\t60\t10M\t*\t0\t0\tAAAAAAAAAA\t*\tRG:Z:g\n"
                       "r5\t0\tchr2\t11\t5\t10M\t*\t0\t0\tAAAAAAAAAA\t*\tRG:Z:g\n",
                       bam, 0);
    vw_genome_in_opt_t o;
    vw_genome_in_opt_init(&o);
    o.bin = 1000;
    vw_genome_in_t *x = NULL;
    assert_int_equal(vw_genome_in_open(&o, &x), 0);
    vw_gwig_t *w = NULL;
    assert_int_equal(vw_genome_in_header_bins(x, bam, &w), 0);
    assert_int_equal(w->n, 4);
    assert_int_equal(w->n_chrom, 2);
    assert_int_equal(w->end[2], 2500);
    assert_string_equal(w->chrom[w->cid[3]], "chr2");
    vw_gwig_destroy(w);
    w = NULL;
    char *s = NULL;
    assert_int_equal(vw_genome_in_counts(x, bam, NULL, &w, &s), 0);
    assert_string_equal(s, "S1");
    const double want[4] = {2, 0, 1, 0};
    for (int i = 0; i < 4; i++)
        assert_abs(w->v[i], want[i], 0);
    vw_gwig_destroy(w);
    free(s);
    w = NULL;
    assert_true(vw_genome_in_counts(x, path_of("none.bam"), NULL, &w, &s) < 0);
    assert_null(w);
    vw_genome_in_close(x);
}

/* A simulated diploid sample at TF 0.3 (1 Mb bins, ~6,700 reads a bin)
 * written as a WIG with its GC track: read, prepared, fitted (TF within
 * 0.03 of the truth, the issue's criterion) and written. */
static void test_wig_fit(void **state)
{
    (void)state;
    static const gs_seg_t seg[] = {{1, 150, 250, 3}, {3, 0, 90, 1}, {8, 48, 147, 4}, {13, 0, 116, 1}};
    gs_layout_t l;
    assert_int_equal(gs_layout(&l, 42), 0);
    vw_genome_t *sim = vw_genome_init("s", gs_bins(&l));
    int *truth = malloc((size_t)l.w->n * sizeof(int));
    assert_non_null(truth);
    gs_sample(&l, sim, 11, 0.3, 2, seg, 4, 6667, 600, 0.005, truth);
    const char *cp = path_of("D7.wig"), *gp = path_of("gc.wig");
    FILE *c = fopen(cp, "w"), *g = fopen(gp, "w");
    assert_non_null(c);
    assert_non_null(g);
    for (int i = 0; i < l.w->n; i++) {
        if (i == 0 || l.w->cid[i] != l.w->cid[i - 1]) {
            fprintf(c, "fixedStep chrom=%s start=1 step=1000000 span=1000000\n", l.w->chrom[l.w->cid[i]]);
            fprintf(g, "fixedStep chrom=chr%s start=1 step=1000000\n", l.w->chrom[l.w->cid[i]]);
        }
        fprintf(c, "%.0f\n", sim->w->v[i]);
        fprintf(g, "%.4f\n", l.gc[i]);
    }
    assert_int_equal(fclose(c), 0);
    assert_int_equal(fclose(g), 0);
    vw_genome_destroy(sim);
    vw_genome_in_opt_t o;
    vw_genome_in_opt_init(&o);
    o.gc = gp;
    vw_genome_in_t *x = NULL;
    assert_int_equal(vw_genome_in_open(&o, &x), 0);
    vw_gwig_t *w = NULL;
    char *s = NULL;
    assert_int_equal(vw_genome_in_counts(x, cp, NULL, &w, &s), 0);
    assert_string_equal(s, "D7"); /* the file name without ".wig" */
    vw_genome_t *gn = NULL;
    assert_int_equal(vw_genome_in_prepare(x, cp, s, w, &gn), 0);
    free(s);
    vw_genome_res_t r;
    assert_int_equal(vw_genome_in_fit(x, cp, gn, &r), 0);
    assert_int_equal(r.fit.detected, 1);
    assert_abs(r.fit.tf, 0.3, 0.03);
    assert_true(r.n_seg > 0);
    assert_true(r.n_arm > 0);
    FILE *fp[5];
    char *buf[5] = {NULL};
    size_t len[5];
    for (int k = 0; k < 5; k++)
        assert_non_null(fp[k] = open_memstream(&buf[k], &len[k]));
    assert_int_equal(vw_genome_write_summary_header(fp[0]), 0);
    assert_int_equal(vw_genome_res_write(fp, &r, NULL, 1), 0);
    for (int k = 0; k < 5; k++)
        fclose(fp[k]);
    assert_non_null(strstr(buf[0], "\nD7\t")); /* the sample's summary row */
    assert_int_equal(strncmp(buf[1], "#", 1), 0); /* the bins' header */
    for (int k = 0; k < 5; k++)
        free(buf[k]);
    /* the report panel of a patient whose one draw is this sample, and of one without it */
    vw_sample_t smp[2];
    memset(smp, 0, sizeof smp);
    smp[0].sample = (char *)"D7";
    smp[1].sample = (char *)"other";
    assert_int_equal(vw_date_parse("2024-02-01", &smp[0].date), 0);
    vw_patient_t pat;
    memset(&pat, 0, sizeof pat);
    pat.id = (char *)"P";
    pat.samples = smp;
    pat.n_samples = 1;
    pat.last_followup = smp[0].date;
    const vw_genome_t *gs[1] = {r.g};
    vw_genome_panel_t panel = {1, gs, &r.fit, &r.fga, &r.wgii, 30};
    char *html = NULL;
    size_t hl = 0;
    FILE *hp = open_memstream(&html, &hl);
    assert_non_null(hp);
    assert_int_equal(vw_genome_write_panel(hp, &panel, &pat), 0);
    fclose(hp);
    assert_non_null(strstr(html, "<h2>Genome-wide copy number"));
    assert_non_null(strstr(html, "<h3>2024-02-01 &mdash; D7"));
    int n_svg = 0;
    for (const char *q = html; (q = strstr(q, "<svg")); q++)
        n_svg++;
    assert_int_equal(n_svg, 2); /* TF over time, one genome plot */
    free(html);
    pat.samples = &smp[1];
    hp = open_memstream(&html, &hl);
    assert_int_equal(vw_genome_write_panel(hp, &panel, &pat), 0);
    fclose(hp);
    assert_int_equal(hl, 0); /* none of its draws fitted: nothing */
    free(html);
    vw_genome_res_free(&r);
    assert_null(r.g);
    /* a panel of normals made of the sample itself (twice): every fitted log2 ratio of the
     * sample is then 0 (itself minus the median of two copies of itself) */
    vw_genome_t *nn[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(vw_genome_in_counts(x, cp, NULL, &w, &s), 0);
        assert_int_equal(vw_genome_in_prepare(x, cp, s, w, &nn[k]), 0);
        free(s);
    }
    assert_int_equal(vw_genome_in_set_pon(x, nn, 0), -EINVAL);
    assert_int_equal(vw_genome_in_set_pon(x, nn, 2), 0);
    assert_int_equal(vw_genome_in_set_pon(x, nn, 2), -EINVAL); /* one panel */
    assert_int_equal(vw_genome_in_counts(x, cp, "again", &w, &s), 0);
    assert_string_equal(s, "again");
    assert_int_equal(vw_genome_in_prepare(x, cp, s, w, &gn), 0);
    free(s);
    int n_fit = 0;
    for (int i = 0; i < gn->w->n; i++)
        if (isfinite(gn->log2r[i])) {
            n_fit++;
            assert_abs(gn->log2r[i], 0, 1e-9);
        }
    assert_true(n_fit > 2000);
    vw_genome_destroy(gn);
    for (int k = 0; k < 2; k++)
        vw_genome_destroy(nn[k]);
    vw_genome_in_close(x);
    free(truth);
    gs_layout_free(&l);
}

/* GC and mappability tracks of two bin sizes: VW_EINPUT before any sample;
 * a missing track: -ENOENT. */
static void test_open_errors(void **state)
{
    (void)state;
    vw_genome_in_opt_t o;
    vw_genome_in_opt_init(&o);
    o.gc = put_file("g1.wig", "fixedStep chrom=1 start=1 step=1000 span=1000\n0.4\n");
    o.map = put_file("m2.wig", "fixedStep chrom=1 start=1 step=2000 span=2000\n0.9\n");
    vw_genome_in_t *x = NULL;
    assert_int_equal(vw_genome_in_open(&o, &x), VW_EINPUT);
    assert_null(x);
    o.map = path_of("absent.wig");
    assert_int_equal(vw_genome_in_open(&o, &x), -ENOENT);
    assert_null(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_defaults),
        cmocka_unit_test(test_bam_bins),
        cmocka_unit_test(test_wig_fit),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
