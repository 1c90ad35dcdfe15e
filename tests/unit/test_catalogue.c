/* test_catalogue.c -- built-in table, user targets, REF check, builds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/faidx.h>
#include <htslib/sam.h>

#include "vw_test.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_cat_XXXXXX";

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

static const char *write_file(const char *name, const char *text)
{
    static char path[4][600];
    static int k = 0;
    char *p = path[k++ % 4];
    snprintf(p, 600, "%s/%s", dir, name);
    vw_test_put(p, text);
    return p;
}

static const vw_target_t *find(const vw_targets_t *ts, const char *id)
{
    for (int i = 0; i < ts->n; i++)
        if (strcmp(ts->t[i].id, id) == 0)
            return &ts->t[i];
    return NULL;
}

static void test_builtin(void **state)
{
    (void)state;
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_UNKNOWN), -EINVAL);
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
    /* 53 rows of the resistance catalogue + G719S, L861Q, ERBB2 S310F/L755S/V777L */
    assert_int_equal(ts->n, 58);
    assert_int_equal(vw_catalogue_builtin_size(), 58);
    /* KRAS G12D c.35G>A: GRCh37 12:25398284 C>T (KRAS is on the minus strand: c.35G is
     * a C on the genome; the GRCh38 position is 152,934 lower, as the catalogue's GRCh38 table) */
    const vw_target_t *t = find(ts, "KRAS_G12D_c.35G>A");
    assert_non_null(t);
    assert_int_equal(t->beg, 25398284 - 1);
    assert_string_equal(t->ref, "C");
    assert_string_equal(t->alt, "T");
    assert_int_equal(t->strand, '-');
    assert_int_equal(t->kind, VW_KIND_SNV);
    assert_int_equal(t->verified, 1);
    /* EGFR S492R c.1476C>A is a computed ectodomain position: unverified */
    t = find(ts, "EGFR_S492R_c.1476C>A");
    assert_non_null(t);
    assert_int_equal(t->verified, 0);
    /* G465R was independently confirmed */
    assert_int_equal(find(ts, "EGFR_G465R_c.1393G>A")->verified, 1);
    /* exon-19 deletion is an anchored 15-bp deletion */
    t = find(ts, "EGFR_E746_A750del_c.2235_2249del15");
    assert_non_null(t);
    assert_int_equal(t->kind, VW_KIND_DEL);
    assert_string_equal(t->win_ref, "GGAATTAAGAGAAGC");
    assert_string_equal(t->win_alt, "");
    vw_targets_destroy(ts);

    ts = vw_targets_init();
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH38), 0);
    /* T790M GRCh38 7:55181378 C>T; BRAF V600E GRCh38 7:140753336 A>T */
    assert_int_equal(find(ts, "EGFR_T790M_c.2369C>T")->beg, 55181378 - 1);
    assert_int_equal(find(ts, "BRAF_V600E_c.1799T>A")->beg, 140753336 - 1);
    assert_int_equal(ts->build, VW_BUILD_GRCH38);
    vw_targets_destroy(ts);
}

static void test_build_detect(void **state)
{
    (void)state;
    const char *h37 = "@SQ\tSN:chr1\tLN:249250621\n@SQ\tSN:chr7\tLN:159138663\n";
    const char *h38 = "@SQ\tSN:1\tLN:248956422\n@SQ\tSN:12\tLN:133275309\n";
    const char *hcustom = "@SQ\tSN:sim1\tLN:1000\n";
    int chr;
    sam_hdr_t *h = sam_hdr_parse(strlen(h37), h37);
    assert_int_equal(vw_build_detect(h, &chr), VW_BUILD_GRCH37);
    assert_int_equal(chr, 1);
    assert_int_equal(vw_contig_tid(h, "7"), 1);
    assert_int_equal(vw_contig_tid(h, "chr7"), 1);
    assert_int_equal(vw_contig_tid(h, "12"), -1);
    sam_hdr_destroy(h);
    h = sam_hdr_parse(strlen(h38), h38);
    assert_int_equal(vw_build_detect(h, &chr), VW_BUILD_GRCH38);
    assert_int_equal(chr, 0);
    assert_int_equal(vw_contig_tid(h, "chr12"), 1);
    sam_hdr_destroy(h);
    h = sam_hdr_parse(strlen(hcustom), hcustom);
    assert_int_equal(vw_build_detect(h, &chr), VW_BUILD_UNKNOWN);
    assert_int_equal(chr, -1);
    sam_hdr_destroy(h);
    assert_int_equal(vw_build_parse("hg19"), VW_BUILD_GRCH37);
    assert_int_equal(vw_build_parse("GRCh38"), VW_BUILD_GRCH38);
    assert_int_equal(vw_build_parse("hg17"), VW_BUILD_UNKNOWN);
    assert_int_equal(vw_build_parse(NULL), VW_BUILD_UNKNOWN);
}

static void test_tsv_targets(void **state)
{
    (void)state;
    /* columns in another order; a BOM; CRLF; an MNV given with a shared
     * prefix/suffix (CGT>CAT is the SNV G>A at pos+1); a padded deletion */
    const char *p = write_file("t.tsv",
                               "\xEF\xBB\xBFref\talt\tchrom\tpos\tgene\tprotein\r\n"
                               "CGT\tCAT\tchr2\t100\tGENE1\tp.X1Y\r\n"
                               "ACCT\tAT\tchr2\t200\t.\t.\r\n"
                               "GG\tTT\tchr10\t50\t.\t.\r\n");
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, p, NULL), 0);
    assert_int_equal(ts->n, 3);
    assert_string_equal(ts->t[0].ref, "G");
    assert_string_equal(ts->t[0].alt, "A");
    assert_int_equal(ts->t[0].beg, 100); /* 1-based 101 */
    assert_string_equal(ts->t[0].id, "GENE1_X1Y");
    assert_string_equal(ts->t[1].ref, "ACC");
    assert_string_equal(ts->t[1].alt, "A");
    assert_int_equal(ts->t[1].kind, VW_KIND_DEL);
    assert_int_equal(ts->t[2].kind, VW_KIND_MNV);
    /* natural contig order: chr2 before chr10 */
    assert_int_equal(vw_targets_sort_unique(ts), 0);
    assert_string_equal(ts->t[2].chrom, "chr10");
    vw_targets_destroy(ts);

    /* errors: a missing column, a bad position, ref == alt */
    ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, write_file("b1.tsv", "chrom\tpos\tref\n1\t5\tA\n"), NULL), VW_EPARSE);
    assert_int_equal(vw_targets_load(ts, write_file("b2.tsv", "chrom\tpos\tref\talt\n1\t0\tA\tC\n"), NULL),
                     VW_EPARSE);
    assert_int_equal(vw_targets_load(ts, write_file("b3.tsv", "chrom\tpos\tref\talt\n1\t9\tA\tA\n"), NULL),
                     VW_EPARSE);
    assert_int_equal(vw_targets_load(ts, write_file("b4.tsv", "chrom\tpos\tref\talt\n1\t9\tA\tZ\n"), NULL),
                     VW_EPARSE);
    assert_int_equal(vw_targets_load(ts, "/nonexistent/x.tsv", NULL) < 0, 1);
    assert_int_equal(vw_targets_load(NULL, "x", NULL), -EINVAL);
    vw_targets_destroy(ts);
}

static void test_vcf_targets(void **state)
{
    (void)state;
    const char *p = write_file("t.vcf",
                               "##fileformat=VCFv4.2\n"
                               "##contig=<ID=sim1,length=1000>\n"
                               "##INFO=<ID=GENE,Number=1,Type=String,Description=\"g\">\n"
                               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                               "sim1\t10\tm1\tC\tT,A\t.\t.\tGENE=G1\n"
                               "sim1\t20\t.\tACAG\tA\t.\t.\t.\n");
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, p, NULL), 0);
    assert_int_equal(ts->n, 3); /* the multi-allelic record is split */
    assert_string_equal(ts->t[0].id, "m1_T");
    assert_string_equal(ts->t[1].id, "m1_A");
    assert_string_equal(ts->t[0].gene, "G1");
    assert_int_equal(ts->t[2].kind, VW_KIND_DEL);
    assert_string_equal(ts->t[2].id, "sim1:20:ACAG:A");
    vw_targets_destroy(ts);
}

static void test_ref_check_and_windows(void **state)
{
    (void)state;
    /* sim1 (1-based): 1 ACGTA 6 CACACA 12 GTTTT ... */
    const char *fa = write_file("ref.fa", ">sim1\nACGTACACACAGTTTTGACTGACTGA\n");
    assert_int_equal(fai_build(fa), 0);
    faidx_t *fai = fai_load(fa);
    assert_non_null(fai);
    /* deletion of CA after the A at 5 (ACA>A): deleting AC at 5-6 or any
     * CA/AC pair up to 10-11 gives the same ACGT+ACACA+G haplotype, so the
     * window is 1-based 5..11, 0-based [4, 11), REF ACACACA, ALT ACACA.  An insertion of T after
     * G at 12 (G>GT) lies in the TTTT run at 13-16: window [12, 16).
     * Position 3 is G, so a target with REF C there is a mismatch. */
    const char *p = write_file("w.tsv",
                               "chrom\tpos\tref\talt\tid\n"
                               "sim1\t5\tACA\tA\tdel\n"
                               "sim1\t12\tG\tGT\tins\n"
                               "sim1\t3\tC\tT\tbad\n");
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, p, fai), 0);
    assert_int_equal(vw_targets_check_ref(ts, fai, fa), 1);
    const vw_target_t *d = find(ts, "del");
    assert_int_equal(d->win_beg, 4);
    assert_int_equal(d->win_end, 11);
    assert_string_equal(d->win_ref, "ACACACA");
    assert_string_equal(d->win_alt, "ACACA");
    const vw_target_t *in = find(ts, "ins");
    assert_int_equal(in->win_beg, 12);
    assert_int_equal(in->win_end, 16);
    assert_string_equal(in->win_ref, "TTTT");
    assert_string_equal(in->win_alt, "TTTTT");
    vw_targets_destroy(ts);

    /* a contig the FASTA lacks */
    ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, write_file("x.tsv", "chrom\tpos\tref\talt\nchrQ\t3\tG\tT\n"), NULL), 0);
    assert_int_equal(vw_targets_check_ref(ts, fai, fa), VW_EBUILD);
    vw_targets_destroy(ts);

    /* BED: every base becomes three SNV targets, REF from the FASTA */
    ts = vw_targets_init();
    assert_int_equal(vw_targets_load(ts, write_file("r.bed", "sim1\t0\t2\thot\n"), fai), 0);
    assert_int_equal(ts->n, 6);
    assert_string_equal(ts->t[0].ref, "A");
    assert_string_equal(ts->t[3].ref, "C");
    assert_int_equal(vw_targets_load(ts, write_file("r2.bed", "sim1\t0\t2\n"), NULL), VW_EINPUT);
    vw_targets_destroy(ts);
    fai_destroy(fai);
}

static void test_dedup_and_naming(void **state)
{
    (void)state;
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
    assert_int_equal(vw_targets_sort_unique(ts), 58);
    assert_int_equal(ts->n, 58);
    vw_targets_set_naming(ts, 1);
    assert_string_equal(ts->t[0].chrom, "chr1");
    vw_targets_set_naming(ts, 0);
    assert_string_equal(ts->t[0].chrom, "1");
    vw_targets_destroy(ts);
    vw_targets_destroy(NULL);
}

/* Contig lengths of the builds (shared data MANIFEST: GRCh37 chr12 133851895, GRCh38 chr7 159345973). */
static void test_contig_length(void **state)
{
    (void)state;
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH37, "12"), 133851895);
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH37, "chr12"), 133851895);
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH38, "chr7"), 159345973);
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH38, "1"), 248956422);
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH38, "chr22"), 0);
    assert_int_equal(vw_build_contig_length(VW_BUILD_UNKNOWN, "1"), 0);
    assert_int_equal(vw_build_contig_length(VW_BUILD_GRCH37, NULL), 0);
}

/* vw_alleles_trim, by hand: shared suffix first (one base kept each), then
 * the shared prefix: all of it for equal lengths (beg moves), down to one
 * anchor base for indels. */
static void test_alleles_trim(void **state)
{
    (void)state;
    struct { const char *ref, *alt; hts_pos_t beg; const char *eref, *ealt; hts_pos_t ebeg; } c[] = {
        {"C", "T", 100, "C", "T", 100},          /* SNV: nothing to trim */
        {"ACG", "ATG", 100, "C", "T", 101},      /* MNV-shaped SNV: G suffix, A prefix */
        {"GGC", "GAT", 10, "GC", "AT", 11},      /* codon change, two bases differ */
        {"ACCT", "AT", 50, "ACC", "A", 50},      /* deletion: suffix T off, anchor A kept */
        {"AT", "ACCT", 50, "A", "ACC", 50},      /* insertion, the mirror */
        {"TTACC", "TTA", 7, "ACC", "A", 9},      /* prefix down to the anchor A: beg + 2 */
        {"AAAA", "AAAA", 5, "A", "A", 5},        /* identical: one base each, beg kept */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        char ref[16], alt[16];
        hts_pos_t beg = c[i].beg;
        strcpy(ref, c[i].ref);
        strcpy(alt, c[i].alt);
        vw_alleles_trim(ref, alt, &beg);
        assert_string_equal(ref, c[i].eref);
        assert_string_equal(alt, c[i].ealt);
        assert_int_equal(beg, c[i].ebeg);
    }
}

/* vw_build_from_lengths: the GRCh37 and GRCh38 lengths of chromosomes 1 and
 * 7 (the assemblies' published sequence lengths; the same as the @SQ lines
 * of test_build_detect). */
static void test_build_from_lengths(void **state)
{
    (void)state;
    const char *n37[] = {"chr1", "chr7"}, *n38[] = {"1", "7"}, *nx[] = {"sim1"};
    const hts_pos_t l37[] = {249250621, 159138663}, l38[] = {248956422, 159345973}, lx[] = {1000};
    int chr = 9;
    assert_int_equal(vw_build_from_lengths(2, n37, l37, &chr), VW_BUILD_GRCH37);
    assert_int_equal(chr, 1);
    assert_int_equal(vw_build_from_lengths(2, n38, l38, &chr), VW_BUILD_GRCH38);
    assert_int_equal(chr, 0);
    assert_int_equal(vw_build_from_lengths(1, nx, lx, NULL), VW_BUILD_UNKNOWN);
    /* lengths unknown (0 or no array): names alone do not give a build */
    assert_int_equal(vw_build_from_lengths(2, n37, NULL, &chr), VW_BUILD_UNKNOWN);
    assert_int_equal(vw_build_from_lengths(0, NULL, NULL, NULL), VW_BUILD_UNKNOWN);
    assert_string_equal(vw_build_name(VW_BUILD_GRCH37), "GRCh37");
    assert_string_equal(vw_build_name(VW_BUILD_GRCH38), "GRCh38");
    assert_string_equal(vw_build_name(VW_BUILD_UNKNOWN), "unknown");
    assert_int_equal(vw_build_parse(vw_build_name(VW_BUILD_GRCH38)), VW_BUILD_GRCH38);
}

/* vw_targets_filter keeps the marked rows in order; vw_targets_write_tsv
 * writes a table vw_targets_load reads back to the same targets. */
static void test_targets_filter_write(void **state)
{
    (void)state;
    vw_targets_t *ts = vw_targets_init();
    assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
    int n = ts->n;
    uint8_t *keep = calloc((size_t)n, 1);
    assert_non_null(keep);
    char first[128], last[128];
    int k = 0;
    for (int i = 0; i < n; i += 5, k++)
        keep[i] = 1;
    snprintf(first, sizeof first, "%s", ts->t[0].id);
    snprintf(last, sizeof last, "%s", ts->t[(k - 1) * 5].id);
    vw_targets_filter(ts, keep);
    free(keep);
    assert_int_equal(ts->n, k);
    assert_string_equal(ts->t[0].id, first);
    assert_string_equal(ts->t[k - 1].id, last);

    char path[700];
    snprintf(path, sizeof path, "%s/written.tsv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(vw_targets_write_tsv(fp, ts), 0);
    assert_int_equal(fclose(fp), 0);
    vw_targets_t *back = vw_targets_init();
    assert_int_equal(vw_targets_load(back, path, NULL), 0);
    assert_int_equal(back->n, ts->n);
    for (int i = 0; i < ts->n; i++) {
        assert_string_equal(back->t[i].id, ts->t[i].id);
        assert_string_equal(back->t[i].chrom, ts->t[i].chrom);
        assert_int_equal(back->t[i].beg, ts->t[i].beg);
        assert_string_equal(back->t[i].ref, ts->t[i].ref);
        assert_string_equal(back->t[i].alt, ts->t[i].alt);
        assert_int_equal(back->t[i].kind, ts->t[i].kind);
        assert_string_equal(back->t[i].gene, ts->t[i].gene);
    }
    vw_targets_destroy(back);
    /* keep nothing */
    uint8_t none[64] = {0};
    vw_targets_filter(ts, none);
    assert_int_equal(ts->n, 0);
    fp = fopen("/dev/full", "w");
    if (fp) {
        vw_targets_destroy(ts);
        ts = vw_targets_init();
        assert_int_equal(vw_catalogue_builtin(ts, VW_BUILD_GRCH37), 0);
        assert_int_equal(vw_targets_write_tsv(fp, ts), -ENOSPC);
        fclose(fp);
    }
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_build_detect),
        cmocka_unit_test(test_tsv_targets),
        cmocka_unit_test(test_vcf_targets),
        cmocka_unit_test(test_ref_check_and_windows),
        cmocka_unit_test(test_dedup_and_naming),
        cmocka_unit_test(test_contig_length),
        cmocka_unit_test(test_alleles_trim),
        cmocka_unit_test(test_build_from_lengths),
        cmocka_unit_test(test_targets_filter_write),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
