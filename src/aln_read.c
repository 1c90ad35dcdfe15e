/* Reading one BAM record from the block already inflated.
 *
 * htslib 1.16's bam_read1() copies a record out of the inflated BGZF block
 * through four bgzf_read() calls (its length, its fixed part, its name, the
 * rest), each with its own tests and memcpy: about 400 instructions a
 * record, as much as all of vafwatch's own work on a read but the
 * counting.  Later htslib releases read the fixed part from the block in
 * place; this reads the whole record so, when it lies inside the block,
 * and hands every other record to bam_read1() itself.
 *
 * The record is the same, byte for byte, and so are the file's position and
 * the return value: the tests are bam_read1()'s, and every case in which
 * bam_read1() would do more than copy (a record across or at the end of a
 * block, a bad length, a name without its NUL, a CIGAR kept in the CG tag,
 * a CIGAR whose query length is not SEQ's, a buffer to grow, a big-endian
 * machine) goes to bam_read1() before anything is taken from the block.
 * The reader never takes a block's last record, so it never has to move on
 * to the next block (which bgzf_read() does with its own bookkeeping).
 * unit.aln_read compares the two on every record of files built to reach
 * each of these cases. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"

static inline uint32_t le32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, 4); /* (little-endian host: is_be is 0) */
    return x;
}

/* The name (l bytes) at dst, then NULs to a multiple of 4 bytes.  A name of
 * up to 48 bytes, when 'room' says that 48 bytes may be read at src and
 * written at dst, is copied as 48 bytes: names of varying lengths then do
 * not go through memcpy's choice of a method by size (a mispredicted
 * branch a record); the bytes written past the padding are the caller's
 * to overwrite. */
static inline void copy_name(uint8_t *dst, const uint8_t *src, int l, int room)
{
    static const uint8_t zero[4];
    if (room && l <= 48) {
        memcpy(dst, src, 48);
        memcpy(dst + l, zero, 4);
    } else {
        memcpy(dst, src, (size_t)l);
        memcpy(dst + l, zero, (size_t)((4 - (l & 3)) & 3));
    }
}

int vw_aln_bam_read1(BGZF *fp, bam1_t *b)
{
    const int off = fp->block_offset, avail = fp->block_length - off;
    if (__builtin_expect(avail <= 36 || fp->is_be, 0))
        return bam_read1(fp, b);
    const uint8_t *p = (const uint8_t *)fp->uncompressed_block + off;
    const int32_t block_len = (int32_t)le32(p);
    /* strictly inside the block: its last record goes to bam_read1 */
    if (block_len < 32 || block_len >= avail - 4)
        return bam_read1(fp, b);
    const uint32_t x2 = le32(p + 12), x3 = le32(p + 16);
    const int l_qname = (int)(x2 & 0xff), l_extranul = (4 - (l_qname & 3)) & 3; /* (no branch: names vary) */
    const int n_cigar = (int)(x3 & 0xffff);
    const int32_t l_qseq = (int32_t)le32(p + 20);
    const uint32_t l_data = (uint32_t)block_len - 32 + (uint32_t)l_extranul;
    if (l_qseq < 0 || l_qname < 1 || l_data > b->m_data
        || ((uint64_t)n_cigar << 2) + (uint64_t)l_qname + (uint64_t)l_extranul + (((uint64_t)l_qseq + 1) >> 1)
                   + (uint64_t)l_qseq
               > (uint64_t)l_data)
        return bam_read1(fp, b);
    const uint8_t *d = p + 36, *cig = d + l_qname;
    if (d[l_qname - 1] != '\0')
        return bam_read1(fp, b);
    const int32_t tid = (int32_t)le32(p + 4), pos = (int32_t)le32(p + 8);
    const uint16_t flag = (uint16_t)(x3 >> 16);
    hts_pos_t rlen = 0, qlen = 0;
    if (n_cigar > 0) {
        uint32_t op0 = le32(cig);
        /* bam_tag2cigar's test: the real CIGAR may be in the CG tag */
        if (tid >= 0 && pos >= 0 && bam_cigar_op(op0) == BAM_CSOFT_CLIP && bam_cigar_oplen(op0) == (uint32_t)l_qseq)
            return bam_read1(fp, b);
        for (int i = 0; i < n_cigar; i++) {
            uint32_t op = le32(cig + 4 * i);
            int type = bam_cigar_type(bam_cigar_op(op));
            if (type & 1)
                qlen += bam_cigar_oplen(op);
            if (type & 2)
                rlen += bam_cigar_oplen(op);
        }
        /* a CIGAR that disagrees with SEQ: bam_read1 says so and fails */
        if (l_qseq > 0 && !(flag & BAM_FUNMAP) && qlen != l_qseq)
            return bam_read1(fp, b);
    }
    bam1_core_t *c = &b->core;
    c->tid = tid;
    c->pos = pos;
    c->qual = (uint8_t)(x2 >> 8 & 0xff);
    c->l_extranul = (uint8_t)l_extranul;
    c->flag = flag;
    c->n_cigar = (uint32_t)n_cigar;
    c->l_qseq = l_qseq;
    c->mtid = (int32_t)le32(p + 24);
    c->mpos = (int32_t)le32(p + 28);
    c->isize = (int32_t)le32(p + 32);
    if (n_cigar > 0) {
        if ((flag & BAM_FUNMAP) || rlen == 0)
            rlen = 1;
        c->bin = (uint16_t)hts_reg2bin(pos, pos + rlen, 14, 5);
    } else {
        c->bin = (uint16_t)(x2 >> 16);
    }
    c->l_qname = (uint16_t)(l_qname + l_extranul);
    b->l_data = (int)l_data;
    copy_name(b->data, d, l_qname, block_len - 32 >= 48 && b->m_data >= 52);
    memcpy(b->data + c->l_qname, cig, (size_t)(block_len - 32 - l_qname));
    fp->block_offset += 4 + block_len;
    fp->uncompressed_address += 4 + block_len;
    return 4 + block_len;
}

int vw_aln_read1(samFile *fp, const sam_hdr_t *h, bam1_t *b)
{
    if (fp->format.format != bam || fp->filter)
        return sam_read1(fp, (sam_hdr_t *)h, b);
    int r = vw_aln_bam_read1(fp->fp.bgzf, b);
    /* sam_read1's test of a BAM record's contigs */
    if (r >= 0 && h
        && (b->core.tid >= h->n_targets || b->core.tid < -1 || b->core.mtid >= h->n_targets || b->core.mtid < -1)) {
        errno = ERANGE;
        return -3;
    }
    return r;
}
