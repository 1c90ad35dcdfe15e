/* test_vcfin.c -- evidence records from hand-written VCF fixtures.
 *
 * Every expected number is read off the fixture record beside it. */
#include <htslib/vcf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vw_test.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "vafwatch/vcfin.h"

static char dir[] = "/tmp/vw_test_vcfin_XXXXXX";
static vw_targets_t *ts;

/* Targets (1-based): s1 sim1:101 C>T, s2 sim1:201 G>A, s3 sim1:301 A>G,
 * s4 sim1:401 C>T, d1 sim1:501 ACC>A (deletion), n1 sim1:601 T>A (never in
 * a VCF), m1 sim1:701 GG>TT (MNV). */
static const char *targets_text =
    "chrom\tpos\tref\talt\tid\n"
    "sim1\t101\tC\tT\ts1\n"
    "sim1\t201\tG\tA\ts2\n"
    "sim1\t301\tA\tG\ts3\n"
    "sim1\t401\tC\tT\ts4\n"
    "sim1\t501\tACC\tA\td1\n"
    "sim1\t601\tT\tA\tn1\n"
    "sim1\t701\tGG\tTT\tm1\n";

#define HDR "##fileformat=VCFv4.2\n##contig=<ID=chrsim1,length=1000>\n"
#define FMT_AD "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"x\">\n"
#define FMT_DP "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"x\">\n"
#define FMT_AF "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"x\">\n"
#define INFO_END "##INFO=<ID=END,Number=1,Type=Integer,Description=\"x\">\n"
#define COLS1 "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
#define COLS2 "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n"

static void write_file(const char *name, const char *text, char *path, size_t m)
{
    snprintf(path, m, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static int setup(void **state)
{
    (void)state;
    char p[512];
    vw_log_set_level(VW_LOG_ERROR);
    if (!mkdtemp(dir))
        return -1;
    write_file("t.tsv", targets_text, p, sizeof(p));
    ts = vw_targets_init();
    if (!ts || vw_targets_load(ts, p, NULL) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vw_targets_destroy(ts);
    return vw_test_rmtree(dir);
}

static int find(const char *id)
{
    for (int i = 0; i < ts->n; i++)
        if (!strcmp(ts->t[i].id, id))
            return i;
    fail_msg("no target %s", id);
    return -1;
}

/* Reads 'text' as a VCF; returns the code and the samples. */
static int read_vcf(const char *text, const char *only, vw_sample_counts_t ***s, int *n)
{
    char p[512];
    write_file("in.vcf", text, p, sizeof(p));
    *s = NULL;
    *n = 0;
    return vw_vcfin_read(p, ts, only, s, n);
}

static void free_all(vw_sample_counts_t **s, int n)
{
    for (int i = 0; i < n; i++)
        vw_sample_counts_destroy(s[i]);
    free(s);
}

#define CHECK(s, id, d, r, a, o) do {                         \
    const vw_count_t *c_ = &(s)->c[find(id)];                 \
    assert_int_equal(c_->assessed, 1);                        \
    assert_int_equal(c_->depth, d);                           \
    assert_int_equal(c_->ref, r);                             \
    assert_int_equal(c_->alt, a);                             \
    assert_int_equal(c_->other, o);                           \
} while (0)
#define NOT_ASSESSED(s, id) assert_int_equal((s)->c[find(id)].assessed, 0)

static void test_ad_multiallelic_normalised(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_AD FMT_DP COLS1
        /* AD form: ref 30, alt 10, DP 45 -> other 5 */
        "chrsim1\t101\t.\tC\tT\t.\t.\t.\tAD:DP\t30,10:45\n"
        /* multi-allelic: s2 is the second ALT */
        "chrsim1\t201\t.\tG\tC,A\t.\t.\t.\tAD:DP\t20,3,7:30\n"
        /* padded REF: CAG>CGG at 300 is A>G at 301; DP below the AD sum -> sum */
        "chrsim1\t300\t.\tCAG\tCGG\t.\t.\t.\tAD:DP\t8,4:10\n"
        /* deletion given with a longer REF, trimmed to ACC>A */
        "chrsim1\t501\t.\tACCT\tAT\t.\t.\t.\tAD\t5,6\n";
    assert_int_equal(read_vcf(v, NULL, &s, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(s[0]->sample, "S1");
    assert_string_equal(s[0]->chrom[find("s1")], "chrsim1");
    CHECK(s[0], "s1", 45, 30, 10, 5);
    CHECK(s[0], "s2", 30, 20, 7, 3);
    CHECK(s[0], "s3", 12, 8, 4, 0);
    CHECK(s[0], "d1", 11, 5, 6, 0);
    NOT_ASSESSED(s[0], "n1");
    NOT_ASSESSED(s[0], "s4");
    assert_int_equal(s[0]->n_reads, 4);
    free_all(s, n);
}

static void test_strelka(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_DP
        "##FORMAT=<ID=AU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=CU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=GU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=TU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=TAR,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=TIR,Number=2,Type=Integer,Description=\"x\">\n" COLS2
        /* tier 1 first: tumour C 68, T 19, A 1, DP 90 -> other 3 */
        "sim1\t101\t.\tC\tT\t.\t.\t.\tDP:AU:CU:GU:TU\t50:0,0:50,51:0,0:0,0\t90:1,1:68,70:0,0:19,20\n"
        /* Strelka indel: no DP -> TAR + TIR */
        "sim1\t501\t.\tACC\tA\t.\t.\t.\tTAR:TIR\t40,41:0,0\t30,31:12,12\n";
    assert_int_equal(read_vcf(v, NULL, &s, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(s[0]->sample, "NORMAL");
    assert_string_equal(s[1]->sample, "TUMOR");
    assert_string_equal(s[1]->chrom[find("s1")], "sim1"); /* as the records spell it */
    CHECK(s[0], "s1", 50, 50, 0, 0);
    CHECK(s[1], "s1", 90, 68, 19, 3);
    CHECK(s[0], "d1", 40, 40, 0, 0);
    CHECK(s[1], "d1", 42, 30, 12, 0);
    free_all(s, n);
}

static void test_varscan_af(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_DP
        "##FORMAT=<ID=RD,Number=1,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=AD,Number=1,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=FREQ,Number=1,Type=String,Description=\"x\">\n"
        "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"x\">\n" COLS1
        /* VarScan: RD 59, AD 56, DP 117 -> other 2 */
        "sim1\t101\t.\tC\tT\t.\t.\t.\tDP:RD:AD:FREQ\t117:59:56:48.7%\n"
        /* FREQ with % only: alt = round(0.204 * 49) = 10 */
        "sim1\t201\t.\tG\tA\t.\t.\t.\tDP:FREQ\t49:20.4%\n"
        /* AF only: alt = round(0.25 * 42) = 11 (10.5 rounds up) */
        "sim1\t301\t.\tA\tG\t.\t.\t.\tDP:AF\t42:0.25\n"
        /* AF without DP: not assessed, with a warning */
        "sim1\t401\t.\tC\tT\t.\t.\t.\tAF\t0.3\n";
    assert_int_equal(read_vcf(v, NULL, &s, &n), 0);
    CHECK(s[0], "s1", 117, 59, 56, 2);
    CHECK(s[0], "s2", 49, 39, 10, 0);
    CHECK(s[0], "s3", 42, 31, 11, 0);
    NOT_ASSESSED(s[0], "s4");
    free_all(s, n);
}

/* The dialect table: its names in the order they are tried, and that order
 * decides a record carrying the fields of two dialects. */
static void test_dialects(void **state)
{
    (void)state;
    const char *want[] = {"AD", "strelka_snv", "strelka_indel", "varscan", "frequency"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(vw_vcfin_dialect_name(i), want[i]);
    assert_null(vw_vcfin_dialect_name(5));
    assert_null(vw_vcfin_dialect_name(-1));
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_AD FMT_DP FMT_AF
        "##FORMAT=<ID=AU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=CU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=GU,Number=2,Type=Integer,Description=\"x\">\n"
        "##FORMAT=<ID=TU,Number=2,Type=Integer,Description=\"x\">\n" COLS1
        /* AD (70, 20) beats the Strelka counts (C 5, T 5) and AF: depth DP 95, other 5 */
        "sim1\t101\t.\tC\tT\t.\t.\t.\tAD:DP:AU:CU:GU:TU:AF\t70,20:95:0,0:5,5:0,0:5,5:0.5\n"
        /* AD missing: Strelka tier 1 (G 40, A 8), depth DP 50, other 2 */
        "sim1\t201\t.\tG\tA\t.\t.\t.\tAD:DP:AU:CU:GU:TU:AF\t.:50:8,8:0,0:40,41:0,0:0.5\n"
        /* neither: AF 0.25 x DP 40 = alt 10, ref 30 */
        "sim1\t301\t.\tA\tG\t.\t.\t.\tDP:AF\t40:0.25\n";
    assert_int_equal(read_vcf(v, NULL, &s, &n), 0);
    CHECK(s[0], "s1", 95, 70, 20, 5);
    CHECK(s[0], "s2", 50, 40, 8, 2);
    CHECK(s[0], "s3", 40, 30, 10, 0);
    free_all(s, n);
}

static void test_gvcf_blocks(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_AD FMT_DP INFO_END
        "##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description=\"x\">\n" COLS1
        /* GATK block 90-110 with MIN_DP 25: s1 ref 25 alt 0 */
        "sim1\t90\t.\tA\t<NON_REF>\t.\t.\tEND=110\tMIN_DP\t25\n"
        /* per-base reference records (Pisces): m1 needs both 701 and 702: min depth 30, AD[0] 29 */
        "sim1\t701\t.\tG\t.\t.\t.\t.\tAD:DP\t33:35\n"
        "sim1\t702\t.\tG\t.\t.\t.\t.\tAD:DP\t29:30\n"
        /* only half of the deletion's REF span (501-503) is covered: not assessed */
        "sim1\t501\t.\tA\t.\t.\t.\t.\tAD:DP\t40:40\n"
        /* another ALT at s2's site: s2 has depth and ref, alt 0 */
        "sim1\t201\t.\tG\tC\t.\t.\t.\tAD:DP\t20,5:26\n";
    assert_int_equal(read_vcf(v, NULL, &s, &n), 0);
    CHECK(s[0], "s1", 25, 25, 0, 0);
    CHECK(s[0], "m1", 30, 29, 0, 1);
    CHECK(s[0], "s2", 26, 20, 0, 6);
    NOT_ASSESSED(s[0], "d1");
    NOT_ASSESSED(s[0], "s3");
    free_all(s, n);
}

static void test_multisample_select(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    const char *v = HDR FMT_AD COLS2 "sim1\t101\t.\tC\tT\t.\t.\t.\tAD\t17,0\t9,18\n";
    assert_int_equal(read_vcf(v, "TUMOR", &s, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(s[0]->sample, "TUMOR");
    CHECK(s[0], "s1", 27, 9, 18, 0);
    free_all(s, n);
    assert_int_equal(read_vcf(v, "PLASMA", &s, &n), VW_EINPUT);
    assert_null(s);
}

static void test_errors(void **state)
{
    (void)state;
    vw_sample_counts_t **s;
    int n;
    char p[512];
    assert_int_equal(read_vcf(HDR FMT_AD FMT_DP COLS1 "sim1\t101\t.\tC\tT\t.\t.\t.\tAD:DP\t30,10:-5\n", NULL, &s, &n),
                     VW_EPARSE);
    assert_int_equal(read_vcf(HDR FMT_AD COLS1 "sim1\t101\t.\tC\tT\t.\t.\t.\tAD\t-3,10\n", NULL, &s, &n), VW_EPARSE);
    assert_int_equal(read_vcf(HDR FMT_AF FMT_DP COLS1 "sim1\t101\t.\tC\tT\t.\t.\t.\tAF:DP\t1.5:20\n", NULL, &s, &n),
                     VW_EPARSE);
    assert_int_equal(read_vcf(HDR FMT_DP "##FORMAT=<ID=FREQ,Number=1,Type=String,Description=\"x\">\n" COLS1
                              "sim1\t101\t.\tC\tT\t.\t.\t.\tDP:FREQ\t20:150%\n", NULL, &s, &n), VW_EPARSE);
    assert_int_equal(read_vcf(HDR FMT_AD COLS1 "sim1\tabc\t.\tC\tT\t.\t.\t.\tAD\t3,1\n", NULL, &s, &n), VW_EPARSE);
    /* a sites-only VCF has no samples */
    assert_int_equal(read_vcf(HDR "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nsim1\t101\t.\tC\tT\t.\t.\t.\n",
                              NULL, &s, &n), VW_EINPUT);
    /* a GRCh38 contig length against GRCh37 targets */
    ts->build = VW_BUILD_GRCH37;
    assert_int_equal(read_vcf("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n" COLS1, NULL, &s, &n),
                     VW_EBUILD);
    ts->build = VW_BUILD_UNKNOWN;
    /* AD sum above DP is a warning only */
    assert_int_equal(read_vcf(HDR FMT_AD FMT_DP COLS1 "sim1\t101\t.\tC\tT\t.\t.\t.\tAD:DP\t30,10:20\n", NULL, &s, &n), 0);
    CHECK(s[0], "s1", 40, 30, 10, 0);
    free_all(s, n);
    /* not a VCF; a missing file; NULL arguments */
    write_file("x.vcf", "hello\n", p, sizeof(p));
    assert_true(vw_vcfin_read(p, ts, NULL, &s, &n) < 0);
    assert_true(vw_vcfin_read("/nonexistent/x.vcf", ts, NULL, &s, &n) < 0);
    assert_int_equal(vw_vcfin_read(NULL, ts, NULL, &s, &n), -EINVAL);
}

static void test_is_vcf(void **state)
{
    (void)state;
    assert_true(vw_vcfin_is_vcf("a.vcf"));
    assert_true(vw_vcfin_is_vcf("a.VCF.gz"));
    assert_true(vw_vcfin_is_vcf("a.bcf"));
    assert_false(vw_vcfin_is_vcf("a.bam"));
    assert_false(vw_vcfin_is_vcf(".vcf"));
    assert_false(vw_vcfin_is_vcf(NULL));
}

/* vw_vcfin_build: the ##contig lengths of chromosomes 1 and 7 tell the build
 * (the assemblies' lengths, as test_build_detect in test_catalogue.c);
 * no lengths, no build. */
static void test_vcfin_build(void **state)
{
    (void)state;
    const char *h37 = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=249250621>\n"
                      "##contig=<ID=chr7,length=159138663>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    const char *h38 = "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n"
                      "##contig=<ID=7,length=159345973>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    const char *hno = "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
    const char *txt[] = {h37, h38, hno};
    const vw_build_t want[] = {VW_BUILD_GRCH37, VW_BUILD_GRCH38, VW_BUILD_UNKNOWN};
    const int want_chr[] = {1, 0, -2};
    for (int i = 0; i < 3; i++) {
        bcf_hdr_t *h = bcf_hdr_init("r");
        assert_non_null(h);
        char *copy = strdup(txt[i]); /* bcf_hdr_parse may write into its text */
        assert_non_null(copy);
        assert_int_equal(bcf_hdr_parse(h, copy), 0);
        free(copy);
        int chr = -9;
        assert_int_equal(vw_vcfin_build(h, &chr), want[i]);
        if (want_chr[i] != -2)
            assert_int_equal(chr, want_chr[i]);
        assert_int_equal(vw_vcfin_build(h, NULL), want[i]);
        bcf_hdr_destroy(h);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ad_multiallelic_normalised),
        cmocka_unit_test(test_strelka),
        cmocka_unit_test(test_varscan_af),
        cmocka_unit_test(test_dialects),
        cmocka_unit_test(test_gvcf_blocks),
        cmocka_unit_test(test_multisample_select),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_is_vcf),
        cmocka_unit_test(test_vcfin_build),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
