/* unit tests of vw_aln_bam_read1() and vw_aln_read1() (src/aln_read.c):
 * the record, the return value and the file position after each read are
 * those of htslib's bam_read1() and sam_read1(), read side by side from
 * two handles on the same file.
 *
 * The files are written record by record as raw bytes (bgzf_write), so
 * that records run across block ends as any BAM writer may leave them,
 * some end exactly at a block's end (bgzf_flush after them), and records
 * htslib's own writer would never make can be built: a name without its
 * NUL, the real CIGAR in a CG tag, a CIGAR that disagrees with SEQ, a
 * length below the fixed part, a contig outside the header.
 *
 * This executable is linked with -Wl,--wrap=bam_read1: the library's calls
 * of bam_read1() come to __wrap_bam_read1, which counts them, so the tests
 * also assert which records the fast path took and which it handed on. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <htslib/bgzf.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"

int __real_bam_read1(BGZF *fp, bam1_t *b);
int __wrap_bam_read1(BGZF *fp, bam1_t *b);

static long n_handed_on; /* the library's calls of bam_read1 */

int __wrap_bam_read1(BGZF *fp, bam1_t *b)
{
    n_handed_on++;
    return __real_bam_read1(fp, b);
}

static const char *HEADER = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:1000000\n@SQ\tSN:chr2\tLN:500000\n";

/* One record's fields, as raw as the format allows. */
typedef struct {
    int32_t tid, pos, mtid, mpos, isize;
    uint16_t flag, bin;
    uint8_t mapq;
    const char *name;  /* written with its NUL unless no_nul */
    int no_nul;
    int n_cigar;
    uint32_t cigar[8];
    int32_t l_seq;
    const uint8_t *aux;
    int l_aux;
    int32_t block_len_delta; /* added to the true block length (0: true) */
} rec_t;

static void put32(kstring_t *k, uint32_t x)
{
    kputsn((const char *)&x, 4, k); /* (little-endian test host) */
}

/* The bytes of record r. */
static void encode(const rec_t *r, kstring_t *k)
{
    k->l = 0;
    int l_name = (int)strlen(r->name) + !r->no_nul;
    int32_t block_len = 32 + l_name + 4 * r->n_cigar + (r->l_seq + 1) / 2 + r->l_seq + r->l_aux;
    put32(k, (uint32_t)(block_len + r->block_len_delta));
    put32(k, (uint32_t)r->tid);
    put32(k, (uint32_t)r->pos);
    put32(k, (uint32_t)r->bin << 16 | (uint32_t)r->mapq << 8 | (uint32_t)l_name);
    put32(k, (uint32_t)r->flag << 16 | (uint32_t)r->n_cigar);
    put32(k, (uint32_t)r->l_seq);
    put32(k, (uint32_t)r->mtid);
    put32(k, (uint32_t)r->mpos);
    put32(k, (uint32_t)r->isize);
    kputsn(r->name, (int)strlen(r->name), k);
    if (!r->no_nul)
        kputc_('\0', k);
    for (int i = 0; i < r->n_cigar; i++)
        put32(k, r->cigar[i]);
    for (int i = 0; i < (r->l_seq + 1) / 2; i++)
        kputc_((char)(0x12 + 0x11 * (i % 7)), k); /* some bases */
    for (int i = 0; i < r->l_seq; i++)
        kputc_((char)(2 + i % 40), k); /* some qualities */
    if (r->l_aux)
        kputsn((const char *)r->aux, r->l_aux, k);
}

/* Opens 'path' for writing a BAM and writes the header; returns the BGZF. */
static samFile *open_out(const char *path)
{
    samFile *out = sam_open(path, "wb");
    assert_non_null(out);
    sam_hdr_t *h = sam_hdr_parse(strlen(HEADER), HEADER);
    assert_non_null(h);
    assert_int_equal(sam_hdr_write(out, h), 0);
    sam_hdr_destroy(h);
    return out;
}

static void write_rec(samFile *out, const rec_t *r, kstring_t *k)
{
    encode(r, k);
    assert_int_equal(bgzf_write(out->fp.bgzf, k->s, k->l), (ssize_t)k->l);
}

/* A usual record i of the long file: names of every length modulo 4,
 * CIGARs of one or several operations, unmapped reads with and without
 * CIGAR, reads without CIGAR or SEQ, some aux data, a wrong bin field. */
static rec_t usual(int i, char *name, uint8_t *aux)
{
    rec_t r = {.tid = i % 3 == 0 ? 1 : 0, .pos = 1000 + i * 7, .mtid = 0, .mpos = 1000 + i * 7 + 150,
               .isize = i % 5 == 0 ? -300 : 250, .flag = (uint16_t)(i % 2 ? 99 : 147), .bin = (uint16_t)(i * 37),
               .mapq = (uint8_t)(i % 61), .name = name};
    /* names of 5 to 94 characters, every length modulo 4, on both sides of 48 */
    snprintf(name, 128, "read%d", i);
    int len = (int)strlen(name), want = 5 + (i * 7) % 90;
    for (; len < want && len < 127; len++)
        name[len] = (char)('a' + len % 26);
    name[len] = '\0';
    r.l_seq = 50 + i % 101;
    switch (i % 9) {
    case 0: /* M only */
    case 1:
    case 2:
        r.n_cigar = 1;
        r.cigar[0] = (uint32_t)r.l_seq << 4 | BAM_CMATCH;
        break;
    case 3: /* clips, a deletion, an insertion, a skip */
        r.n_cigar = 6;
        r.cigar[0] = 5u << 4 | BAM_CSOFT_CLIP;
        r.cigar[1] = 10u << 4 | BAM_CMATCH;
        r.cigar[2] = 3u << 4 | BAM_CDEL;
        r.cigar[3] = 2u << 4 | BAM_CINS;
        r.cigar[4] = 400u << 4 | BAM_CREF_SKIP;
        r.cigar[5] = (uint32_t)(r.l_seq - 17) << 4 | BAM_CEQUAL;
        break;
    case 4: /* unmapped, placed, with a CIGAR that is not SEQ's length (no check then) */
        r.flag |= BAM_FUNMAP;
        r.n_cigar = 1;
        r.cigar[0] = 3u << 4 | BAM_CMATCH;
        break;
    case 5: /* no CIGAR: the bin field is kept as it is */
        r.n_cigar = 0;
        break;
    case 6: /* no SEQ: the CIGAR is not checked against it */
        r.n_cigar = 1;
        r.cigar[0] = 30u << 4 | BAM_CMATCH;
        r.l_seq = 0;
        break;
    case 7: /* a CIGAR consuming no reference (its bin from one base) */
        r.n_cigar = 1;
        r.cigar[0] = (uint32_t)r.l_seq << 4 | BAM_CINS;
        break;
    default: /* a soft clip that is not the whole read */
        r.n_cigar = 2;
        r.cigar[0] = 1u << 4 | BAM_CSOFT_CLIP;
        r.cigar[1] = (uint32_t)(r.l_seq - 1) << 4 | BAM_CMATCH;
        break;
    }
    if (i % 4 == 1) {
        memcpy(aux, "NMC\x02XAZhello", 12);
        r.aux = aux;
        r.l_aux = 12;
    }
    return r;
}

/* A record whose buffer has room for 4 kB: the tests' records then need
 * no larger one but where they say so. */
static bam1_t *presized(void)
{
    bam1_t *b = bam_init1();
    assert_non_null(b);
    assert_true(bam_set1(b, 1, "r", 4, -1, -1, 0, 0, NULL, -1, -1, 0, 0, NULL, NULL, 4000) >= 0);
    assert_true(b->m_data >= 4000);
    return b;
}

/* One file open twice: a and its record x for htslib's readers, b and y
 * for vafwatch's (b's BGZF with 'threads' decompression threads when > 0). */
typedef struct {
    samFile *a, *b;
    sam_hdr_t *ha, *hb;
    bam1_t *x, *y;
} both_t;

static void both_open(both_t *t, const char *path, int threads)
{
    t->a = sam_open(path, "r");
    t->b = sam_open(path, "r");
    assert_non_null(t->a);
    assert_non_null(t->b);
    t->ha = sam_hdr_read(t->a);
    t->hb = sam_hdr_read(t->b);
    assert_non_null(t->ha);
    assert_non_null(t->hb);
    if (threads > 0)
        assert_int_equal(bgzf_mt(t->b->fp.bgzf, threads, 64), 0);
    t->x = presized();
    t->y = presized();
    n_handed_on = 0;
}

static void both_close(both_t *t)
{
    bam_destroy1(t->x);
    bam_destroy1(t->y);
    sam_hdr_destroy(t->ha);
    sam_hdr_destroy(t->hb);
    sam_close(t->a);
    sam_close(t->b);
}

/* The two records and the two files' positions are the same. */
static void assert_same(const both_t *t)
{
    const bam1_t *x = t->x, *y = t->y;
    assert_int_equal(x->core.tid, y->core.tid);
    assert_int_equal(x->core.pos, y->core.pos);
    assert_int_equal(x->core.bin, y->core.bin);
    assert_int_equal(x->core.qual, y->core.qual);
    assert_int_equal(x->core.l_extranul, y->core.l_extranul);
    assert_int_equal(x->core.flag, y->core.flag);
    assert_int_equal(x->core.l_qname, y->core.l_qname);
    assert_int_equal(x->core.n_cigar, y->core.n_cigar);
    assert_int_equal(x->core.l_qseq, y->core.l_qseq);
    assert_int_equal(x->core.mtid, y->core.mtid);
    assert_int_equal(x->core.mpos, y->core.mpos);
    assert_int_equal(x->core.isize, y->core.isize);
    assert_int_equal(x->l_data, y->l_data);
    assert_memory_equal(x->data, y->data, (size_t)x->l_data);
    assert_int_equal(bgzf_tell(t->a->fp.bgzf), bgzf_tell(t->b->fp.bgzf));
}

/* Reads 'path' with bam_read1 and with vw_aln_bam_read1 (whose BGZF uses
 * 'threads' decompression threads when > 0), asserting equal results
 * record by record.  Returns the number of records read; sets *last_rc to
 * the last return value and *n_lib to the library's bam_read1 calls. */
static long read_both(const char *path, int threads, int *last_rc, long *n_lib)
{
    both_t t;
    both_open(&t, path, threads);
    long n = 0;
    int ra, rb;
    for (;;) {
        ra = __real_bam_read1(t.a->fp.bgzf, t.x);
        rb = vw_aln_bam_read1(t.b->fp.bgzf, t.y);
        assert_int_equal(ra, rb);
        if (ra < 0)
            break;
        n++;
        assert_same(&t);
    }
    *last_rc = ra;
    *n_lib = n_handed_on;
    both_close(&t);
    return n;
}

/* 3,000 usual records written across block ends, and 20 that end exactly at
 * one (flushed after them); the reader hands on only the records at or
 * across a block's end, the first of a block not loaded yet, and the call
 * at the end of the file. */
static void test_usual_records(void **state)
{
    (void)state;
    const char *path = "test_aln_read_usual.bam";
    samFile *out = open_out(path);
    kstring_t k = KS_INITIALIZE;
    char name[128];
    uint8_t aux[16];
    const int n = 3000;
    for (int i = 0; i < n; i++) {
        rec_t r = usual(i, name, aux);
        write_rec(out, &r, &k);
        if (i % 150 == 149)
            assert_int_equal(bgzf_flush(out->fp.bgzf), 0);
    }
    assert_int_equal(sam_close(out), 0);
    int rc;
    long n_lib;
    for (int threads = 0; threads <= 2; threads += 2) {
        assert_int_equal(read_both(path, threads, &rc, &n_lib), n);
        assert_int_equal(rc, -1);
        /* (each record is 150-500 bytes: ~100 blocks of 64 kB and 20 flushes;
         * the calls include the one at the end of the file) */
        assert_true(n_lib >= 20 && n_lib < n / 10);
    }
    free(k.s);
    unlink(path);
}

/* Records bam_read1 does more with than copy, each between usual ones: the
 * reader hands each of them on, and the results stay equal. */
static void test_unusual_records(void **state)
{
    (void)state;
    const char *path = "test_aln_read_unusual.bam";
    samFile *out = open_out(path);
    kstring_t k = KS_INITIALIZE;
    char name[128];
    uint8_t aux[16];
    int i = 0;
    rec_t r = usual(i++, name, aux);
    write_rec(out, &r, &k);
    r = usual(i++, name, aux);
    write_rec(out, &r, &k);
    /* a name without its NUL (bam_read1 mends it) */
    rec_t nn = usual(i++, name, aux);
    nn.no_nul = 1;
    write_rec(out, &nn, &k);
    r = usual(i++, name, aux);
    write_rec(out, &r, &k);
    /* the real CIGAR in a CG tag: a soft clip of the whole read, then N */
    rec_t cg = {.tid = 0, .pos = 5000, .mtid = -1, .mpos = -1, .mapq = 60, .name = "cg_read", .n_cigar = 2, .l_seq = 20};
    cg.cigar[0] = 20u << 4 | BAM_CSOFT_CLIP;
    cg.cigar[1] = 20u << 4 | BAM_CREF_SKIP;
    uint8_t cgtag[16] = {'C', 'G', 'B', 'I', 2, 0, 0, 0};
    uint32_t real[2] = {12u << 4 | BAM_CMATCH, 8u << 4 | BAM_CSOFT_CLIP};
    memcpy(cgtag + 8, real, 8);
    cg.aux = cgtag;
    cg.l_aux = 16;
    write_rec(out, &cg, &k);
    r = usual(i++, name, aux);
    write_rec(out, &r, &k);
    /* a record far longer than those before it: the buffer grows */
    rec_t big = usual(i++, name, aux);
    big.l_seq = 20000;
    big.n_cigar = 1;
    big.cigar[0] = 20000u << 4 | BAM_CMATCH;
    write_rec(out, &big, &k);
    for (int j = 0; j < 10; j++) {
        r = usual(i++, name, aux);
        write_rec(out, &r, &k);
    }
    /* last: a CIGAR that disagrees with SEQ (bam_read1 fails: -4) */
    rec_t bad = usual(i++, name, aux);
    bad.n_cigar = 1;
    bad.cigar[0] = (uint32_t)(bad.l_seq + 1) << 4 | BAM_CMATCH;
    write_rec(out, &bad, &k);
    r = usual(i++, name, aux);
    write_rec(out, &r, &k);
    assert_int_equal(sam_close(out), 0);
    int rc;
    long n_lib;
    assert_int_equal(read_both(path, 0, &rc, &n_lib), 17);
    assert_int_equal(rc, -4);
    /* handed on: the first (its block is not loaded yet), the unnamed, the CG
     * one, the big one (the buffer grows), the bad one */
    assert_int_equal(n_lib, 5);

    /* a length below the fixed part: -4 as bam_read1 says */
    out = open_out(path);
    r = usual(0, name, aux);
    write_rec(out, &r, &k);
    r = usual(1, name, aux);
    write_rec(out, &r, &k);
    rec_t shrt = usual(2, name, aux);
    shrt.block_len_delta = -(int32_t)(32 + strlen(name) + 1 + 4 * shrt.n_cigar + (shrt.l_seq + 1) / 2 + shrt.l_seq) + 20;
    write_rec(out, &shrt, &k);
    r = usual(3, name, aux);
    write_rec(out, &r, &k);
    assert_int_equal(sam_close(out), 0);
    assert_int_equal(read_both(path, 0, &rc, &n_lib), 2);
    assert_int_equal(rc, -4);
    assert_int_equal(n_lib, 2); /* the first and the short one */
    free(k.s);
    unlink(path);
}

/* vw_aln_read1: sam_read1's test of the contigs (-3, ERANGE) on a record the
 * fast path reads, and the same records as sam_read1 before it. */
static void test_read1_contigs(void **state)
{
    (void)state;
    const char *path = "test_aln_read_tid.bam";
    samFile *out = open_out(path);
    kstring_t k = KS_INITIALIZE;
    char name[128];
    uint8_t aux[16];
    for (int i = 0; i < 6; i++) {
        rec_t r = usual(i, name, aux);
        if (i == 4)
            r.mtid = 2; /* the header has two contigs */
        write_rec(out, &r, &k);
    }
    assert_int_equal(sam_close(out), 0);
    both_t t;
    both_open(&t, path, 0);
    for (int i = 0; i < 5; i++) {
        errno = 0;
        int ra = sam_read1(t.a, t.ha, t.x), ea = errno;
        errno = 0;
        int rb = vw_aln_read1(t.b, t.hb, t.y), eb = errno;
        assert_int_equal(ra, rb);
        assert_int_equal(ra, i < 4 ? (int)(t.x->l_data + 36 - t.x->core.l_extranul) : -3);
        if (i == 4)
            assert_int_equal(ea, eb);
        else
            assert_same(&t);
    }
    assert_int_equal(n_handed_on, 1); /* the first (its block is loaded then); the one refused is read in place */
    both_close(&t);
    free(k.s);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_usual_records),
        cmocka_unit_test(test_unusual_records),
        cmocka_unit_test(test_read1_contigs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
