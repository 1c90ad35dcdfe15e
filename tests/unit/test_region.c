/* test_region.c -- region.c: region strings, contig names, the overlap
 * with targets.  Expected values are counted by hand from the fixtures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vw_test.h"
#include "vafwatch/log.h"
#include "vafwatch/region.h"

static void test_parse(void **state)
{
    (void)state;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_non_null(rs);
    /* chr1 (whole), 7:100 (one base), chr12:1,000-2,000 (thousands commas), X:5- (to the end) */
    assert_int_equal(vw_region_parse("chr1,7:100,chr12:1,000-2,000,X:5-", rs), 0);
    assert_int_equal(rs->n, 4);
    assert_string_equal(rs->r[0].chrom, "chr1");
    assert_true(rs->r[0].beg == 0 && rs->r[0].end > 1000000000);
    assert_string_equal(rs->r[1].chrom, "7");
    assert_true(rs->r[1].beg == 99 && rs->r[1].end == 100);
    assert_string_equal(rs->r[2].chrom, "chr12");
    assert_true(rs->r[2].beg == 999 && rs->r[2].end == 2000);
    assert_string_equal(rs->r[3].chrom, "X");
    assert_true(rs->r[3].beg == 4 && rs->r[3].end > 1000000000);
    vw_cnv_regions_destroy(rs);
}

static void test_parse_bad(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    const char *bad[] = {":5", "chr1:9-x", "chr1:20-10", "chr1:0", "7:5,:9", "chr1:", "chr1:1-2-3", ""};
    for (size_t i = 0; i + 1 < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vw_region_parse(bad[i], NULL), VW_EINPUT);
    assert_int_equal(vw_region_parse("", NULL), 0); /* nothing to add */
    /* a ':' not followed by a digit is part of the contig name; numeric contigs split at commas */
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_non_null(rs);
    assert_int_equal(vw_region_parse("HLA:x,7:100,12:5", rs), 0);
    assert_int_equal(rs->n, 3);
    assert_string_equal(rs->r[0].chrom, "HLA:x");
    assert_string_equal(rs->r[1].chrom, "7");
    assert_true(rs->r[1].beg == 99 && rs->r[1].end == 100);
    assert_string_equal(rs->r[2].chrom, "12");
    assert_true(rs->r[2].beg == 4 && rs->r[2].end == 5);
    vw_cnv_regions_destroy(rs);
    vw_log_set_level(VW_LOG_WARN);
}

static void test_same_contig(void **state)
{
    (void)state;
    assert_true(vw_region_same_contig("chr7", "7"));
    assert_true(vw_region_same_contig("7", "7"));
    assert_true(vw_region_same_contig("chrM", "MT"));
    assert_true(vw_region_same_contig("M", "chrMT"));
    assert_false(vw_region_same_contig("chr7", "17"));
    assert_false(vw_region_same_contig("chr1", "chr1_alt"));
}

static void test_filter(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_region_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.tsv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    /* a SNV at chr7:100, a 3-base deletion spanning chr7:200-202, a SNV at chr12:50 */
    fputs("chrom\tpos\tref\talt\nchr7\t100\tA\tC\nchr7\t200\tACG\tA\nchr12\t50\tG\tT\n", fp);
    assert_int_equal(fclose(fp), 0);
    vw_targets_t *ts = vw_targets_init();
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_non_null(ts);
    assert_non_null(rs);
    assert_int_equal(vw_targets_load(ts, path, NULL), 0);
    assert_int_equal(ts->n, 3);
    uint8_t keep[3];
    /* 7:202 touches only the deletion's last REF base; 7:101-199 lies between the two chr7 targets */
    assert_int_equal(vw_region_parse("7:101-199", rs), 0);
    assert_int_equal(vw_region_mark_targets(ts, rs, keep), 0);
    assert_true(keep[0] == 0 && keep[1] == 0 && keep[2] == 0);
    assert_int_equal(vw_region_parse("7:202", rs), 0);
    assert_int_equal(vw_region_mark_targets(ts, rs, keep), 1);
    vw_targets_filter(ts, keep);
    assert_int_equal(ts->n, 1);
    assert_string_equal(ts->t[0].chrom, "chr7");
    assert_true(ts->t[0].beg == 199);
    vw_cnv_regions_destroy(rs);
    vw_targets_destroy(ts);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_same_contig),
        cmocka_unit_test(test_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
