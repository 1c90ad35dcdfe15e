/* count_obs.c -- the alleles one read shows at the targets it spans, and
 * what becomes of the read (count_process: counted now, merged with its
 * waiting mate, or left to wait; see count_priv.h for the layers). */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"

/* Code of an "other" allele sequence (FNV-1a, folded above the fixed codes). */
static uint32_t seq_code(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return CODE_SEQ0 + h % (UINT32_MAX - CODE_SEQ0);
}


/* ------------------------------------------------------------------ */
/* Alleles of one read                                                 */

/* Appends an observation; e->obs has room (observe_read). */
static inline int push_obs(engine_t *e, int32_t ti, uint32_t code, int bq, int rev, int mq)
{
    obs_t *o = &e->obs[e->n_obs++];
    o->ti = ti;
    o->code = code;
    o->bq = (uint8_t)(bq > 255 ? 255 : bq);
    o->rev = (uint8_t)rev;
    o->mq = (uint8_t)mq;
    o->fam = e->cur_fam;
    return 0;
}

/* Maps reference positions [rb, re) to query positions: qpos[i] >= 0 an
 * aligned base, -2 not aligned (clipped, skipped or outside), <= -3 deleted
 * (DEL_NEXT() gives the query position of the base after the deletion,
 * whose quality stands for the deletion's, as in htslib's pileup).
 * *ret_ins is set when an insertion lies strictly inside the range. */
static void map_ref_range(const bam1_t *b, hts_pos_t rb, hts_pos_t re, int *qpos, int *ret_ins)
{
    const uint32_t *cig = bam_get_cigar(b);
    hts_pos_t r = b->core.pos;
    int q = 0;
    *ret_ins = 0;
    for (hts_pos_t p = rb; p < re; p++)
        qpos[p - rb] = -2;
    for (uint32_t k = 0; k < b->core.n_cigar && r < re; k++) {
        int op = bam_cigar_op(cig[k]);
        int len = bam_cigar_oplen(cig[k]);
        switch (op) {
        case BAM_CMATCH: case BAM_CEQUAL: case BAM_CDIFF:
        case BAM_CDEL: {
            /* the part of [r, r+len) inside [rb, re) */
            hts_pos_t lo = r > rb ? r : rb, hi = r + len < re ? r + len : re;
            for (hts_pos_t p = lo; p < hi; p++)
                qpos[p - rb] = op == BAM_CDEL ? -3 - q : q + (int)(p - r);
            r += len;
            if (op != BAM_CDEL)
                q += len;
            break;
        }
        case BAM_CREF_SKIP:
            r += len;
            break;
        case BAM_CINS:
            if (r > rb && r < re)
                *ret_ins = 1;
            q += len;
            break;
        case BAM_CSOFT_CLIP:
            q += len;
            break;
        default: /* H, P */
            break;
        }
    }
}

#define DEL_NEXT(v) (-(v) - 3)

static const char nt16_upper[] = "=ACMGRSVTWYHKDBN";

/* Base quality at query position q (0 when absent or out of range). */
static inline int qual_at(const bam1_t *b, int q)
{
    const uint8_t *qual = bam_get_qual(b);
    if (q < 0 || q >= b->core.l_qseq || qual[0] == 0xff)
        return 0;
    return qual[q];
}

/* Appends to e->obs the read's allele at target 'bt'.  Returns 0 or -ENOMEM. */
static int observe(engine_t *e, const bam1_t *b, const bound_t *bt, int rev, int mq)
{
    const vw_target_t *t = &e->ts->t[bt->ti];
    hts_pos_t rb = bt->span_beg, re = bt->span_end;
    int n = (int)(re - rb), ins;
    if (n > e->m_qpos) {
        int *q = realloc(e->qpos, (size_t)n * sizeof(int));
        if (!q)
            return -ENOMEM;
        e->qpos = q;
        e->m_qpos = n;
    }
    const uint8_t *seq = bam_get_seq(b);
    if (t->kind == VW_KIND_SNV) {
        /* a read aligned in one block (soft clips aside): the query position
         * follows from the reference position; else the CIGAR walk */
        int qp;
        if (e->cur_qoff >= 0) {
            qp = (int)(rb - b->core.pos) + e->cur_qoff;
        } else {
            map_ref_range(b, rb, re, e->qpos, &ins);
            qp = e->qpos[0];
        }
        if (qp == -2)
            return 0;
        if (qp <= -3) {
            int bq = qual_at(b, DEL_NEXT(qp));
            return bq < e->opt->min_bq ? 0 : push_obs(e, bt->ti, CODE_DEL, bq, rev, mq);
        }
        int bq = qual_at(b, qp);
        if (bq < e->opt->min_bq)
            return 0;
        char base = nt16_upper[bam_seqi(seq, qp)];
        int code = base == t->ref[0] ? CODE_REF : base == t->alt[0] ? CODE_ALT : CODE_BASE0 + bam_seqi(seq, qp);
        if (e->cur_ad && e->cur_bd) { /* per-base strand depths of a duplex consensus read */
            uint8_t keep = e->cur_fam;
            int dup = bam_auxB_len(e->cur_ad) > (uint32_t)qp && bam_auxB_len(e->cur_bd) > (uint32_t)qp
                      && bam_auxB2i(e->cur_ad, (uint32_t)qp) > 0 && bam_auxB2i(e->cur_bd, (uint32_t)qp) > 0;
            e->cur_fam = (uint8_t)((keep & 127) | (dup ? 128 : 0));
            int r = push_obs(e, bt->ti, code, bq, rev, mq);
            e->cur_fam = keep;
            return r;
        }
        return push_obs(e, bt->ti, code, bq, rev, mq);
    }
    map_ref_range(b, rb, re, e->qpos, &ins);
    if (t->kind == VW_KIND_MNV) {
        int minbq = 255;
        for (int i = 0; i < n; i++)
            if (e->qpos[i] == -2)
                return 0;
        /* the allele: each position's base, '-' for a deleted one, and the
         * read's inserted bases where an insertion lies inside */
        e->allele.l = 0;
        if (e->allele.s)
            e->allele.s[0] = '\0';
        int last_q = -1;
        for (int i = 0; i < n; i++) {
            int qp = e->qpos[i];
            int bq = qual_at(b, qp <= -3 ? DEL_NEXT(qp) : qp);
            if (bq < minbq)
                minbq = bq;
            if (qp <= -3) {
                if (kputc('-', &e->allele) < 0)
                    return -ENOMEM;
                continue;
            }
            for (int q = last_q >= 0 ? last_q + 1 : qp; q < qp; q++)
                if (kputc((char)tolower(nt16_upper[bam_seqi(seq, q)]), &e->allele) < 0)
                    return -ENOMEM;
            if (kputc(nt16_upper[bam_seqi(seq, qp)], &e->allele) < 0)
                return -ENOMEM;
            last_q = qp;
        }
        if (minbq < e->opt->min_bq)
            return 0;
        (void)ins;
        const char *a = e->allele.s;
        uint32_t code = strcmp(a, t->ref) == 0 ? CODE_REF : strcmp(a, t->alt) == 0 ? CODE_ALT
                        : seq_code(a, e->allele.l);
        return push_obs(e, bt->ti, code, minbq, rev, mq);
    }
    /* indels and complex: the read sequence between the aligned flanks */
    int q1 = e->qpos[0], q2 = e->qpos[n - 1];
    if (q1 < 0 || q2 < 0 || q2 <= q1)
        return 0;
    e->allele.l = 0;
    if (e->allele.s)
        e->allele.s[0] = '\0';
    for (int q = q1 + 1; q < q2; q++)
        if (kputc(nt16_upper[bam_seqi(seq, q)], &e->allele) < 0)
            return -ENOMEM;
    if (!e->allele.s && ks_resize(&e->allele, 16) < 0)
        return -ENOMEM;
    e->allele.s[e->allele.l] = '\0';
    const char *a = e->allele.s;
    uint32_t code = strcmp(a, t->win_ref) == 0 ? CODE_REF : strcmp(a, t->win_alt) == 0 ? CODE_ALT
                    : seq_code(a, e->allele.l);
    return push_obs(e, bt->ti, code, 0, rev, mq);
}

/* The alleles of a read aligned in one block [pos, end) at the SNVs among
 * bound targets i, i+1, ... < hi (query position = reference position -
 * base), when its qualities are present and the block lies inside its
 * sequence: an SNV's query position then needs no range check and its
 * quality no test for absence (what qual_at() does per target is done
 * once per read by the caller).  Stops at the first target past the read
 * or of another kind, and returns its index: the caller takes the rest
 * through observe().  e->obs has room for every target (observe_read);
 * nothing here is called, so that the loop keeps its state in registers. */
static inline int observe_block(engine_t *e, const uint8_t *seq, const uint8_t *qual, int i, int hi, hts_pos_t end,
                                hts_pos_t base, int rev, int mq)
{
    const bound_t *bt = e->bt + i, *bt_hi = e->bt + hi;
    const int min_bq = e->opt->min_bq;
    const uint8_t fam = e->cur_fam;
    obs_t *o = e->obs + e->n_obs;
    for (; bt < bt_hi; bt++) {
        if (bt->span_beg >= end || !bt->snv)
            break;
        int qp = (int)(bt->span_beg - base);
        int bq = qual[qp];
        if (bq < min_bq)
            continue;
        *o++ = (obs_t){bt->ti, bt->code[bam_seqi(seq, qp)], (uint8_t)bq, (uint8_t)rev, (uint8_t)mq, fam};
    }
    e->n_obs = (int)(o - e->obs);
    return (int)(bt - e->bt);
}

/* The observations of read 'b' (reference end 'end') at bound targets
 * from i on, through observe(): the reads and targets observe_block does
 * not take.  Kept out of line, so that the usual read does not pay for its
 * setup.  Returns 0 or -ENOMEM. */
static __attribute__((noinline)) int observe_rest(engine_t *e, const bam1_t *b, int i, int hi, hts_pos_t end,
                                                  int rev, int mq)
{
    for (; i < hi && e->bt[i].span_beg < end; i++) {
        const bound_t *bt = &e->bt[i];
        if (bt->span_end > end)
            continue;
        int ret = observe(e, b, bt, rev, mq);
        if (ret < 0)
            return ret;
    }
    return 0;
}

/* Collects the observations of read 'b' at bound targets [lo, hi), given
 * its vw_selfbg_one_block() q0 (and block end *ret_end when q0 >= 0); sets
 * *ret_end to the read's reference end. */
static int observe_read(engine_t *e, const bam1_t *b, int q0, hts_pos_t *ret_end, int lo, int hi)
{
    hts_pos_t pos = b->core.pos, end = *ret_end;
    e->n_obs = 0;
    /* first target with span_beg >= pos: a cursor that only moves forward
     * while reads come in position order within one range [lo, hi) */
    if (lo != e->cur_lo || hi != e->cur_hi || e->cur_prev >= pos) {
        e->cur_lo = lo;
        e->cur_hi = hi;
        e->cur = lo;
        e->cur_prev = -1;
        e->cur_next = lo < hi ? e->bt[lo].span_beg : HTS_POS_MAX;
    }
    while (e->cur_next < pos) {
        e->cur_prev = e->cur_next;
        e->cur_next = ++e->cur < hi ? e->bt[e->cur].span_beg : HTS_POS_MAX;
    }
    int l = e->cur;
    assert(hi - l <= e->m_obs); /* (bind_targets: room for every target) */
    uint16_t flag = b->core.flag;
    /* the fragment's strand: the read's, turned for the second read of a
     * pair (bits, not branches: first and second reads come at random) */
    int rev = ((flag & BAM_FREVERSE) != 0) ^ ((flag & BAM_FPAIRED) && (flag & BAM_FREAD2) ? 1 : 0);
    int mq = b->core.qual;
    /* an unmapped read's end is pos + 1 (bam_endpos()), whatever its CIGAR */
    int qoff = __builtin_expect(count_general_only, 0) || (flag & BAM_FUNMAP) ? -1 : q0;
    e->cur_qoff = qoff; /* (for observe) */
    if (qoff < 0)
        end = bam_endpos(b);
    *ret_end = end;
    /* the usual read: one block inside its sequence, qualities present,
     * not a duplex consensus with per-base depths */
    const uint8_t *seq = bam_get_seq(b), *qual = bam_get_qual(b);
    if (qoff >= 0 && end - pos + qoff <= b->core.l_qseq && qual[0] != 0xff && !(e->cur_ad && e->cur_bd))
        l = observe_block(e, seq, qual, l, hi, end, pos - qoff, rev, mq);
    return l < hi && e->bt[l].span_beg < end ? observe_rest(e, b, l, hi, end, rev, mq) : 0;
}


/* ------------------------------------------------------------------ */
/* What becomes of a read                                             */


/* The fragment length of a read that is_paired_here(), 0 when unknown. */
static int fraglen_of(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    if (c->isize == 0)
        return 0;
    /* isize is a 64-bit field: a hostile SAM may hold INT64_MIN, whose negation overflows */
    if (c->isize <= -(int64_t)INT32_MAX || c->isize >= INT32_MAX)
        return INT32_MAX;
    return c->isize < 0 ? (int)-c->isize : (int)c->isize;
}

/* The molecule unit's first steps with a read: whether the file holds
 * consensus reads (told by the first read), the family of a consensus
 * read, and the targets the stream has passed.  Returns 0 or a negative
 * code. */
static int molecule_read(engine_t *e, const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    if (e->consensus < 0)
        e->consensus = bam_aux_get(b, "cD") != NULL;
    if (e->consensus == 0)
        return count_mol_flush(e, c->tid, c->pos);
    count_cons_read(e, b); /* consensus reads are paired as fragments are */
    return count_wheel_still(e, c->tid, c->pos) ? 0 : count_flush_pending(e, c->tid, c->pos);
}

/* 1 when the read filters (flags, mapping quality) refuse the read. */
static inline int filtered_out(const bam1_core_t *c, const vw_count_opt_t *o)
{
    return (c->flag & o->excl_flags) || (c->flag & o->req_flags) != o->req_flags || c->qual < o->min_mq;
}

/* Handles one read against bound targets [lo, hi); h is count_name_hash() of
 * its name, or 0 when not hashed yet (hashed here if needed: count_priv.h).
 * The read has passed hook_prepare (count_loop.c), the walk's first look
 * at every read: it lies on a contig with targets, and the read filters
 * keep it, unless it is a duplicate the molecule unit counts as left out. */
int count_process(engine_t *e, const bam1_t *b, int lo, int hi, uint64_t h)
{
    const bam1_core_t *c = &b->core;
    const vw_count_opt_t *o = e->opt;
    assert(c->tid >= 0 && (e->umi || !filtered_out(c, o)));
    if (__builtin_expect(e->umi != NULL, 0) && filtered_out(c, o)) {
        if (c->flag & o->excl_flags & BAM_FDUP)
            e->n_dup_skipped++; /* PCR copies are what a family is made of: said at the end */
        return 0;
    }
    if (c->n_cigar == 0) {
        vw_ratewarn(&e->warn_cigar, "%s: read %s is mapped but has no CIGAR; skipped", e->out->path,
                    bam_get_qname(b));
        return 0;
    }
    /* SEQ '*' (legal SAM, l_qseq 0): no base to read, whatever the CIGAR
     * says; such a read counts for nothing (its CIGAR would index past
     * the end of an empty sequence) */
    if (c->l_qseq == 0)
        return 0;
    e->out->n_used++;
    /* the read's CIGAR parsed once, for the self background and the alleles */
    hts_pos_t end = 0;
    int q0 = vw_selfbg_one_block(b, &end);
    if (e->sw_hi > e->sw_lo)
        vw_selfbg_add_parsed(b, e->sw + e->sw_lo, e->sw_hi - e->sw_lo, &e->sw_cur, o->min_bq, q0, end);
    int ret;
    if (__builtin_expect(o->unit == VW_UNIT_MOLECULE, 0)) {
        if ((ret = molecule_read(e, b)) < 0)
            return ret;
    } else if (o->unit == VW_UNIT_FRAGMENT && !count_wheel_still(e, c->tid, c->pos)
               && (ret = count_flush_pending(e, c->tid, c->pos)) < 0) {
        return ret;
    }
    if ((ret = observe_read(e, b, q0, &end, lo, hi)) < 0)
        return ret;
    if (e->n_obs == 0)
        return 0;
    e->out->n_informative += e->n_obs;
    if (o->unit == VW_UNIT_MOLECULE && e->consensus == 0)
        return count_mol_add(e, b);
    int paired = is_paired_here(b), fl = paired ? fraglen_of(b) : 0;
    if (o->unit == VW_UNIT_READ || !paired)
        return count_commit_one(e, e->obs, e->n_obs, fl);
    hts_pos_t pos = c->pos, mpos = c->mpos;
    /* a read whose mate starts after it comes first (may_find_mate); the
     * general path (tests) looks every paired read up */
    if (e->tab_n > 0 && (mpos <= pos || __builtin_expect(count_general_only, 0))) {
        if (h == 0)
            h = count_read_hash(b);
        long k = count_tab_find(e, bam_get_qname(b), h);
        if (k >= 0) {
            int idx = e->tab[k].idx;
            pend_t *p = POOL(e, idx);
            count_tab_delete(e, (size_t)k);
            p->alive = 0;
            /* the pool entry stays in its wheel bucket until flushed */
            return count_commit(e, p->obs, p->n_obs, e->obs, e->n_obs, fl ? fl : p->fraglen);
        }
    }
    if (mpos >= pos && mpos < end && mpos - pos < WHEEL) {
        /* targets before the mate's start cannot be covered by the mate:
         * count them now (obs follow the bound targets, in order of the
         * first position they span: those are the first ones) */
        int k = 0, n = e->n_obs;
        while (k < n && e->span_beg[e->obs[k].ti] < mpos)
            k++;
        if (k > 0 && (ret = count_commit_one(e, e->obs, k, fl)) < 0)
            return ret;
        if (n > k && h == 0)
            h = count_read_hash(b);
        return n > k ? count_pend_add(e, b, fl, h, e->obs + k, n - k) : 0;
    }
    return count_commit_one(e, e->obs, e->n_obs, fl);
}
