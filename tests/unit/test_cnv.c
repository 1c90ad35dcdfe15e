/* test_cnv.c -- unit tests of the cnv module: conversions, regions, BED
 * parsing, normalisation, PoN, calls.  Expected values are closed formulas
 * worked by hand (noted beside each). */
#include <errno.h>
#include <htslib/faidx.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vafwatch/cnv.h"
#include "vafwatch/log.h"
#include "vw_test.h"

/* pCN = 2 + TF (CN - 2) (the ichorCNA mixture, Adalsteinsson et al. 2017): TF 5 %, CN 10 ->
 * pCN 2 + 0.05 x 8 = 2.4, the observed plasma ERBB2 threshold of HERACLES-A (Siravegna et al.
 * 2019), and back. */
static void test_conversions(void **state)
{
    (void)state;
    assert_rel(vw_cnv_pcn_from_cn(10, 0.05), 2.4, 1e-12);
    assert_rel(vw_cnv_cn_from_pcn(2.4, 0.05), 10.0, 1e-12);
    /* ERBB2 CN 10 at TF 0.2: 2 + 0.2 x 8 = 3.6; MET CN 6 at TF 0.1: 2.4 */
    assert_rel(vw_cnv_pcn_from_cn(10, 0.2), 3.6, 1e-12);
    assert_rel(vw_cnv_pcn_from_cn(6, 0.1), 2.4, 1e-12);
    /* log2R 0 -> pCN 2; log2R 1 -> 4; log2(1.2) -> 2.4 */
    assert_rel(vw_cnv_pcn_from_log2r(0), 2.0, 1e-12);
    assert_rel(vw_cnv_pcn_from_log2r(1), 4.0, 1e-12);
    assert_rel(vw_cnv_pcn_from_log2r(log2(1.2)), 2.4, 1e-12);
    assert_true(isnan(vw_cnv_cn_from_pcn(2.4, 0)));
    assert_true(isnan(vw_cnv_cn_from_pcn(2.4, NAN)));
    assert_true(isnan(vw_cnv_pcn_from_log2r(NAN)));
}

/* TF from a truncal heterozygous diploid mutation (VAF = TF m / (TF CN_t + 2 (1 - TF)), m = 1,
 * CN_t = 2): TF = 2 VAF, capped at 1.  VAF 2.5 % -> TF 5 %, and with that
 * TF a pCN of 2.4 is CN_t = 2 + 0.4 / 0.05 = 10 (HERACLES, T6). */
static void test_tf_from_truncal(void **state)
{
    (void)state;
    assert_rel(vw_cnv_tf_from_vaf(0.025), 0.05, 1e-15);
    assert_rel(vw_cnv_cn_from_pcn(2.4, vw_cnv_tf_from_vaf(0.025)), 10.0, 1e-12);
    assert_rel(vw_cnv_tf_from_vaf(0.1), 0.2, 1e-15);
    assert_rel(vw_cnv_cn_from_pcn(3.6, vw_cnv_tf_from_vaf(0.1)), 10.0, 1e-12);
    assert_rel(vw_cnv_tf_from_vaf(0.5), 1.0, 0);   /* the cap */
    assert_rel(vw_cnv_tf_from_vaf(0.7), 1.0, 0);
    assert_true(isnan(vw_cnv_tf_from_vaf(0)));
    assert_true(isnan(vw_cnv_tf_from_vaf(-0.1)));
    assert_true(isnan(vw_cnv_tf_from_vaf(NAN)));
}

/* The gene table written and read back. */
static void test_rows_roundtrip(void **state)
{
    (void)state;
    vw_cnv_gene_t g[2];
    memset(g, 0, sizeof(g));
    g[0].gene = "ERBB2", g[0].chrom = "17", g[0].beg = 99, g[0].end = 200, g[0].n_regions = 3, g[0].frag = 1234;
    g[0].log2r = log2(1.3), g[0].z = 8.5, g[0].pcn = 2.6, g[0].tf = 0.05, g[0].cn_t = 14, g[0].amplified = 1;
    strcpy(g[0].flags, ".");
    g[1] = g[0];
    g[1].gene = "MET", g[1].z = NAN, g[1].tf = NAN, g[1].cn_t = NAN, g[1].amplified = -1;
    vw_cnv_gene_t *calls[1] = {g};
    int n_calls[1] = {2};
    const char *names[1] = {"S1"};
    char path[] = "/tmp/vw_cnv_rowsXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(vw_cnv_write_tsv(fp, names, calls, n_calls, 1), 0);
    fclose(fp);
    vw_cnv_rows_t *rs = vw_cnv_rows_init();
    assert_int_equal(vw_cnv_rows_read_tsv(rs, path), 0);
    assert_int_equal(rs->n, 2);
    assert_string_equal(rs->r[0].sample, "S1");
    assert_string_equal(rs->r[0].gene, "ERBB2");
    assert_int_equal(rs->r[0].beg, 99);
    assert_int_equal(rs->r[0].end, 200);
    assert_int_equal(rs->r[0].frag, 1234);
    assert_rel(rs->r[0].pcn, 2.6, 1e-9);
    assert_rel(rs->r[0].cn_t, 14, 1e-9);
    assert_int_equal(rs->r[0].amplified, 1);
    assert_int_equal(rs->r[1].amplified, -1);
    assert_true(isnan(rs->r[1].z) && isnan(rs->r[1].tf));
    vw_cnv_rows_destroy(rs);
    /* malformed: a bad amplified value */
    fp = fopen(path, "w");
    fputs("#sample\tgene\tchrom\tstart\tend\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\n"
          "S1\tERBB2\t17\t1\t10\t5\t0\t0\t2\tNA\tNA\tmaybe\n", fp);
    fclose(fp);
    rs = vw_cnv_rows_init();
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_cnv_rows_read_tsv(rs, path), VW_EPARSE);
    vw_log_set_level(lvl);
    vw_cnv_rows_destroy(rs);
    unlink(path);
}

/* The text view the report shows: every column name and field as in the
 * file (the header below is written by hand, 15 columns, the order of
 * vw_cnv_write_tsv's); a second table with the same columns appends, one
 * with other columns is refused; rows added from calls have no text. */
static void test_rows_text(void **state)
{
    (void)state;
    static const char *hdr = "#sample\tgene\tchrom\tstart\tend\tn_regions\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour"
                             "\tamplified\tpcn_change\tflags\n";
    char path[] = "/tmp/vw_cnv_textXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(hdr, fp);
    fputs("S0\tERBB2\t17\t37844167\t37886679\t4\t5000\t0.01\t0.2\t2.01\tNA\tNA\tno\tNA\tno_tf\n"
          "S9\tMET\t7\t116312444\t116438440\t3\t9000\t0.62\t9.1\t3.07\t0.2\t7.35\tyes\t1.06\t.\n", fp);
    fclose(fp);
    vw_cnv_rows_t *rs = vw_cnv_rows_init();
    assert_int_equal(rs->n_cols, 0);
    assert_int_equal(vw_cnv_rows_read_tsv(rs, path), 0);
    assert_int_equal(rs->n, 2);
    assert_int_equal(rs->n_cols, 15);
    assert_string_equal(rs->col[0], "sample"); /* the '#' removed */
    assert_string_equal(rs->col[5], "n_regions");
    assert_string_equal(rs->col[14], "flags");
    assert_string_equal(rs->r[0].field[10], "NA");
    assert_string_equal(rs->r[1].field[1], "MET");
    assert_string_equal(rs->r[1].field[7], "0.62"); /* as written, not reformatted */
    assert_string_equal(rs->r[1].field[14], ".");
    assert_rel(rs->r[1].pcn, 3.07, 1e-12);
    assert_int_equal(rs->r[1].beg, 116312443); /* 1-based start in the file */
    /* the same table again: appended, same columns */
    assert_int_equal(vw_cnv_rows_read_tsv(rs, path), 0);
    assert_int_equal(rs->n, 4);
    assert_string_equal(rs->r[3].sample, "S9");
    assert_string_equal(rs->r[3].field[13], "1.06");
    /* a row from calls has no text */
    vw_cnv_gene_t g;
    memset(&g, 0, sizeof(g));
    g.gene = "KRAS", g.chrom = "12", g.beg = 0, g.end = 10, g.frag = 7, g.amplified = 0;
    assert_int_equal(vw_cnv_rows_add(rs, "S5", &g), 0);
    assert_int_equal(rs->n, 5);
    assert_null(rs->r[4].field);
    /* other columns (no flags column): refused, nothing appended */
    fp = fopen(path, "w");
    fputs("#sample\tgene\tchrom\tstart\tend\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\n"
          "S1\tERBB2\t17\t1\t10\t5\t0\t0\t2\tNA\tNA\tno\n", fp);
    fclose(fp);
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_cnv_rows_read_tsv(rs, path), VW_EPARSE);
    assert_int_equal(rs->n, 5);
    /* a short row; no sample column; empty file; absent file */
    fp = fopen(path, "w");
    fputs(hdr, fp);
    fputs("S0\tERBB2\n", fp);
    fclose(fp);
    vw_cnv_rows_t *r2 = vw_cnv_rows_init();
    assert_int_equal(vw_cnv_rows_read_tsv(r2, path), VW_EPARSE);
    fp = fopen(path, "w");
    fprintf(fp, "#%s", hdr + 8); /* "#gene\tchrom...": no sample column */
    fclose(fp);
    assert_int_equal(vw_cnv_rows_read_tsv(r2, path), VW_EPARSE);
    fp = fopen(path, "w");
    fclose(fp);
    assert_int_equal(vw_cnv_rows_read_tsv(r2, path), VW_EPARSE);
    unlink(path);
    assert_int_equal(vw_cnv_rows_read_tsv(r2, path), -ENOENT);
    vw_log_set_level(lvl);
    assert_int_equal(vw_cnv_rows_read_tsv(r2, NULL), -EINVAL);
    assert_int_equal(r2->n, 0);
    vw_cnv_rows_destroy(r2);
    vw_cnv_rows_destroy(rs);
    vw_cnv_rows_destroy(NULL);
}

static void test_builtin(void **state)
{
    (void)state;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_non_null(rs);
    /* ERBB2 GRCh37 37,844,167-37,886,679 = 42,513 bp -> 9 bins of 5,000 (last 2,513) */
    assert_int_equal(vw_cnv_regions_builtin(rs, VW_BUILD_GRCH37, "erbb2", 5000), 0);
    assert_int_equal(rs->n, 9);
    assert_int_equal(rs->r[0].beg, 37844166);
    assert_int_equal(rs->r[8].end, 37886679);
    assert_int_equal(rs->r[8].end - rs->r[8].beg, 2513);
    assert_int_equal(rs->approx, 0);
    /* GRCh38 ERBB2 = GRCh37 + 1,843,747 (the offset of the ERBB2 hotspots S310, L755, V777
     * between the catalogue's two builds) */
    vw_cnv_regions_t *r38 = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_builtin(r38, VW_BUILD_GRCH38, "ERBB2", 5000), 0);
    assert_int_equal(r38->r[0].beg - rs->r[0].beg, 1843747);
    assert_int_equal(r38->approx, 0);
    assert_int_equal(vw_cnv_regions_builtin(r38, VW_BUILD_GRCH38, "MET", 5000), 0);
    assert_int_equal(r38->approx, 1); /* MET bounds are approximate */
    assert_int_equal(vw_cnv_regions_builtin(rs, VW_BUILD_GRCH37, "ERBB2,BOGUS", 5000), -EINVAL);
    assert_int_equal(vw_cnv_regions_builtin(rs, VW_BUILD_UNKNOWN, NULL, 5000), -EINVAL);
    /* no reference regions -> VW_EINPUT */
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_cnv_regions_finish(rs), VW_EINPUT);
    vw_cnv_regions_destroy(rs);
    vw_cnv_regions_destroy(r38);
    vw_cnv_regions_destroy(NULL);
}

static char *write_tmp(const char *text)
{
    char *p = strdup("/tmp/test_cnv_XXXXXX");
    int fd = mkstemp(p);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return p;
}

static void test_bed(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    char *ok = write_tmp("track name=x\n# comment\nchr1\t100\t200\tref\nchr1\t0\t50\t.\nchr2\t10\t20\tERBB2\n");
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_load_bed(rs, ok, 0), 0);
    assert_int_equal(rs->n, 3);
    assert_int_equal(vw_cnv_regions_finish(rs), 0);
    assert_int_equal(rs->r[0].beg, 0); /* sorted */
    assert_true(rs->r[0].is_ref && rs->r[1].is_ref && !rs->r[2].is_ref);
    assert_string_equal(rs->r[2].gene, "ERBB2");
    vw_cnv_regions_destroy(rs);
    const char *bad[] = {"chr1\t100\n", "chr1\tx\t200\tA\n", "chr1\t200\t100\tA\n", "chr1\t100\t200\n"};
    for (int i = 0; i < 4; i++) {
        char *p = write_tmp(bad[i]);
        rs = vw_cnv_regions_init();
        assert_int_equal(vw_cnv_regions_load_bed(rs, p, 0), VW_EPARSE);
        vw_cnv_regions_destroy(rs);
        unlink(p);
        free(p);
    }
    /* without a 4th column, fine for --reference-regions */
    char *p = write_tmp("chr1\t100\t200\n");
    rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_load_bed(rs, p, 1), 0);
    assert_true(rs->r[0].is_ref);
    vw_cnv_regions_destroy(rs);
    unlink(p);
    free(p);
    /* overlapping regions */
    p = write_tmp("chr1\t100\t200\tA\nchr1\t150\t250\tref\n");
    rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_load_bed(rs, p, 0), 0);
    assert_int_equal(vw_cnv_regions_finish(rs), VW_EINPUT);
    vw_cnv_regions_destroy(rs);
    unlink(p);
    free(p);
    rs = vw_cnv_regions_init();
    assert_true(vw_cnv_regions_load_bed(rs, "/nonexistent/x.bed", 0) == -ENOENT);
    vw_cnv_regions_destroy(rs);
    unlink(ok);
    free(ok);
}

/* Two reference regions of 1 kb and one gene of two 1-kb regions. */
static vw_cnv_regions_t *toy_regions(void)
{
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_add(rs, "1", 0, 1000, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "1", 1000, 2000, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "2", 0, 1000, "G", 0), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "2", 1000, 2000, "G", 0), 0);
    assert_int_equal(vw_cnv_regions_finish(rs), 0);
    return rs;
}

static vw_cnv_sample_t *toy_sample(const vw_cnv_regions_t *rs, int64_t r1, int64_t r2, int64_t g1, int64_t g2)
{
    vw_cnv_sample_t *s = calloc(1, sizeof(*s));
    s->n = rs->n;
    s->frag = calloc(4, sizeof(int64_t));
    s->frag[0] = r1; s->frag[1] = r2; s->frag[2] = g1; s->frag[3] = g2;
    s->sample = strdup("S");
    assert_int_equal(vw_cnv_normalise(s, rs, 0), 0);
    return s;
}

static void test_normalise_call(void **state)
{
    (void)state;
    vw_cnv_regions_t *rs = toy_regions();
    /* reference depths 100 and 300 per kb: median 0.2/bp; gene 240, 240 -> norm 1.2 */
    vw_cnv_sample_t *s = toy_sample(rs, 100, 300, 240, 240);
    assert_rel(s->norm[2], 1.2, 1e-12);
    vw_cnv_opt_t opt;
    vw_cnv_opt_init(&opt);
    vw_cnv_gene_t *g = NULL;
    int ng = 0;
    /* no PoN: log2R = log2(1.2), pCN 2.4, with TF 0.05 CN_t 10 -> amplified (z NA) */
    assert_int_equal(vw_cnv_call(rs, s, NULL, 0.05, &opt, NULL, &g, &ng), 0);
    assert_int_equal(ng, 1);
    assert_rel(g[0].pcn, 2.4, 1e-12);
    assert_rel(g[0].cn_t, 10.0, 1e-9);
    assert_true(isnan(g[0].z));
    assert_int_equal(g[0].amplified, 1);
    assert_int_equal(g[0].frag, 480);
    assert_non_null(strstr(g[0].flags, "no_pon"));
    free(g);
    /* a PoN of normals with norm 1.0, 1.0, 1.1 at the gene (reference depths 200, 200) */
    vw_cnv_sample_t *n[4] = {toy_sample(rs, 200, 200, 200, 200), toy_sample(rs, 200, 200, 200, 200),
                             toy_sample(rs, 200, 200, 220, 220), toy_sample(rs, 200, 200, 180, 180)};
    vw_cnv_pon_t *pon = NULL;
    assert_int_equal(vw_cnv_pon_build(rs, n, 4, &pon), 0);
    /* medians: (1.0, 1.0, 1.1, 0.9) -> 1.0 */
    assert_rel(pon->median[2], 1.0, 1e-12);
    /* leave-one-out: normal 1 vs median(1.0,1.1,0.9)=1.0 -> 0; normal 2 same -> 0;
     * normal 3 vs median(1,1,0.9)=1 -> log2 1.1; normal 4 vs median(1,1,1.1)=1 -> log2 0.9 */
    double l[4] = {0, 0, log2(1.1), log2(0.9)}, mu = (l[2] + l[3]) / 4, ss = 0;
    for (int i = 0; i < 4; i++) ss += (l[i] - mu) * (l[i] - mu);
    assert_rel(pon->mean[0], mu, 1e-12);
    assert_rel(pon->sd[0], sqrt(ss / 3), 1e-12);
    assert_int_equal(vw_cnv_call(rs, s, pon, NAN, &opt, NULL, &g, &ng), 0);
    assert_rel(g[0].z, (log2(1.2) - mu) / sqrt(ss / 3), 1e-9);
    /* sd = 0.1183, z = (0.2630 + 0.0036) / 0.1183 = 2.25: not above 3 */
    assert_rel(g[0].z, 2.254, 1e-3);
    assert_int_equal(g[0].amplified, 0);
    assert_non_null(strstr(g[0].flags, "no_tf"));
    free(g);
    opt.min_z = 2;
    opt.min_pcn = 2.3; /* pCN 2.4 by floating point: keep clear of the boundary */
    assert_int_equal(vw_cnv_call(rs, s, pon, NAN, &opt, NULL, &g, &ng), 0);
    assert_int_equal(g[0].amplified, 1);
    free(g);
    /* TF 0.2: CN_t = 2 + 0.4/0.2 = 4 -> still amplified at the default 4; at --min-cn 5 not */
    opt.min_cn = 5;
    assert_int_equal(vw_cnv_call(rs, s, pon, 0.2, &opt, NULL, &g, &ng), 0);
    assert_rel(g[0].cn_t, 4.0, 1e-9);
    assert_int_equal(g[0].amplified, 0);
    free(g);
    /* PoN round trip through the TSV */
    char *p = strdup("/tmp/test_cnv_pon_XXXXXX");
    int fd = mkstemp(p);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(vw_cnv_pon_write(fp, rs, pon), 0);
    fclose(fp);
    vw_cnv_pon_t *p2 = NULL;
    assert_int_equal(vw_cnv_pon_load(p, rs, &p2), 0);
    assert_rel(p2->median[2], pon->median[2], 1e-8);
    assert_rel(p2->sd[0], pon->sd[0], 1e-8);
    vw_cnv_pon_destroy(p2);
    /* other regions -> VW_EINPUT */
    vw_cnv_regions_t *other = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_add(other, "1", 0, 999, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(other, "2", 0, 1000, "G", 0), 0);
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_cnv_pon_load(p, other, &p2), VW_EINPUT);
    vw_cnv_regions_destroy(other);
    unlink(p);
    free(p);
    /* reference regions without fragments */
    vw_cnv_sample_t z = {0};
    int64_t fr[4] = {0, 0, 5, 5};
    z.n = 4;
    z.frag = fr;
    assert_int_equal(vw_cnv_normalise(&z, rs, 0), VW_EINPUT);
    free(z.norm);
    vw_cnv_pon_destroy(pon);
    for (int i = 0; i < 4; i++) vw_cnv_sample_destroy(n[i]);
    vw_cnv_sample_destroy(s);
    vw_cnv_regions_destroy(rs);
}

/* A 40-base contig chr1 in four 10-base pieces, GC counted by hand over the
 * A/C/G/T bases only:
 *   [0,10)  GGGGCCCCAA  8/10 = 0.8
 *   [10,20) ATATATATGC  2/10 = 0.2
 *   [20,30) NNNNNNACGT  2/4 (6 N)
 *   [30,40) NNNNACGTAC  3/6 = 0.5 (4 N) */
static const char *gc_fasta = ">chr1\nGGGGCCCCAAATATATATGCNNNNNNACGTNNNNACGTAC\n";

static void test_regions_gc(void **state)
{
    (void)state;
    char *fa = write_tmp(gc_fasta);
    assert_int_equal(fai_build(fa), 0);
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_add(rs, "1", 0, 10, "G1", 0), 0);    /* "1" finds chr1 */
    assert_int_equal(vw_cnv_regions_add(rs, "chr1", 10, 20, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "chr1", 20, 30, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "chr1", 0, 40, "G2", 0), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "chr1", 20, 24, "G3", 0), 0); /* all N */
    assert_int_equal(vw_cnv_regions_gc(rs, fa), 0);
    assert_rel(rs->r[0].gc, 0.8, 1e-15);
    assert_rel(rs->r[1].gc, 0.2, 1e-15);
    assert_rel(rs->r[2].gc, 0.5, 1e-15);
    assert_rel(rs->r[3].gc, 15.0 / 30.0, 1e-15); /* (8 + 2 + 2 + 3) / (10 + 10 + 4 + 6) */
    assert_true(isnan(rs->r[4].gc));
    vw_cnv_regions_destroy(rs);
    /* a contig the FASTA does not have; a region past its end */
    int lvl = vw_log_get_level();
    vw_log_set_level(VW_LOG_QUIET);
    rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_add(rs, "chr2", 0, 10, "G1", 0), 0);
    assert_int_equal(vw_cnv_regions_gc(rs, fa), VW_EBUILD);
    vw_cnv_regions_destroy(rs);
    rs = vw_cnv_regions_init();
    assert_int_equal(vw_cnv_regions_add(rs, "chr1", 30, 50, "G1", 0), 0);
    assert_int_equal(vw_cnv_regions_gc(rs, fa), VW_EBUILD);
    assert_int_equal(vw_cnv_regions_gc(rs, "/nonexistent/ref.fa"), VW_EINPUT);
    vw_log_set_level(lvl);
    vw_cnv_regions_destroy(rs);
    char fai[600];
    snprintf(fai, sizeof fai, "%s.fai", fa);
    unlink(fai);
    unlink(fa);
    free(fa);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_tf_from_truncal),
        cmocka_unit_test(test_rows_roundtrip),
        cmocka_unit_test(test_rows_text),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_bed),
        cmocka_unit_test(test_normalise_call),
        cmocka_unit_test(test_regions_gc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
