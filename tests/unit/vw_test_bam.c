/* vw_test_bam.c -- alignment fixtures shared by the unit tests (see
 * vw_test_bam.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/sam.h>

#include "vw_test.h"
#include "vw_test_bam.h"

static void put_part(FILE *fp, const char *text)
{
    if (!text || !*text)
        return;
    size_t n = strlen(text);
    assert_int_equal(fwrite(text, 1, n, fp), n);
    if (text[n - 1] != '\n')
        assert_int_not_equal(fputc('\n', fp), EOF);
}

void vw_test_sam_to_bam(const char *header, const char *reads, const char *bam, int index)
{
    size_t n = strlen(bam) + 5;
    char *sam = malloc(n);
    assert_non_null(sam);
    snprintf(sam, n, "%s.sam", bam);
    FILE *fp = fopen(sam, "w");
    assert_non_null(fp);
    put_part(fp, header);
    put_part(fp, reads);
    assert_int_equal(fclose(fp), 0);
    samFile *in = sam_open(sam, "r"), *out = sam_open(bam, "wb");
    assert_non_null(in);
    assert_non_null(out);
    sam_hdr_t *h = sam_hdr_read(in);
    assert_non_null(h);
    assert_int_equal(sam_hdr_write(out, h), 0);
    bam1_t *b = bam_init1();
    assert_non_null(b);
    int r;
    while ((r = sam_read1(in, h, b)) >= 0)
        assert_true(sam_write1(out, h, b) >= 0);
    assert_int_equal(r, -1); /* the end of the file, not a record htslib refused */
    bam_destroy1(b);
    sam_hdr_destroy(h);
    assert_int_equal(sam_close(in), 0);
    assert_int_equal(sam_close(out), 0);
    if (index)
        assert_int_equal(sam_index_build(bam, 0), 0);
    unlink(sam);
    free(sam);
}

void vw_test_rm_bam(const char *bam)
{
    size_t n = strlen(bam) + 5;
    char *bai = malloc(n);
    assert_non_null(bai);
    snprintf(bai, n, "%s.bai", bam);
    unlink(bai);
    unlink(bam);
    free(bai);
}

vw_targets_t *vw_test_targets(int n, const char *chrom, int64_t beg0, const char *ref, const char *alt)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    ts->t = calloc((size_t)n, sizeof(vw_target_t));
    assert_non_null(ts->t);
    ts->m = ts->n = n;
    for (int i = 0; i < n; i++) {
        vw_target_t *t = &ts->t[i];
        char id[24];
        snprintf(id, sizeof(id), "T%d", i);
        t->id = strdup(id);
        t->gene = strdup(".");
        t->transcript = strdup(".");
        t->protein = strdup(".");
        t->cdna = strdup(".");
        t->context = strdup(".");
        t->chrom = strdup(chrom);
        t->beg = beg0 + i;
        t->ref = strdup(ref);
        t->alt = strdup(alt);
        assert_true(t->id && t->gene && t->transcript && t->protein && t->cdna && t->context && t->chrom && t->ref &&
                    t->alt);
        vw_target_classify(t);
    }
    return ts;
}

static void assert_hist_equal(const uint32_t *a, const uint32_t *b)
{
    assert_int_equal(a == NULL, b == NULL);
    if (a)
        assert_memory_equal(a, b, VW_FRAGLEN_BINS * sizeof(uint32_t));
}

void vw_test_assert_count_equal(const vw_count_t *a, const vw_count_t *b)
{
    assert_int_equal(a->depth, b->depth);
    assert_int_equal(a->ref, b->ref);
    assert_int_equal(a->alt, b->alt);
    assert_int_equal(a->other, b->other);
    assert_int_equal(a->discordant, b->discordant);
    assert_int_equal(a->ref_fwd, b->ref_fwd);
    assert_int_equal(a->ref_rev, b->ref_rev);
    assert_int_equal(a->alt_fwd, b->alt_fwd);
    assert_int_equal(a->alt_rev, b->alt_rev);
    assert_int_equal(a->alt_bq_sum, b->alt_bq_sum);
    assert_int_equal(a->alt_mq_sum, b->alt_mq_sum);
    assert_hist_equal(a->fl_ref, b->fl_ref);
    assert_hist_equal(a->fl_alt, b->fl_alt);
}
