/* count_priv.h -- internal: the counting engine's state, shared by the
 * files of the engine.  Layers (each file calls only those below it):
 *   count.c         vw_count_in and the engine's life cycle
 *   count_loop.c    the engine on the read walk (aln.c): regions and hooks
 *   count_obs.c     the alleles a read shows at the targets, and its fate (process)
 *   count_pend.c    reads waiting for their mate (name table + timing wheel,
 *                   bounded: the farthest go to disk)
 *   count_spill.c   the waiting reads on disk (sorted runs in temporary files)
 *   count_tally.c   counting fragments, reads and molecules into the result
 * Region depth (count_regions.c), the writers (count_write.c) and the self
 * background (selfbg.c) do not use the engine.
 *
 * Thread safety: an engine_t belongs to one counting thread (the walk's
 * decoding thread, aln.c, only fills record batches; the hooks run on the
 * counting thread). */
#ifndef VW_COUNT_PRIV_H
#define VW_COUNT_PRIV_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/umi.h"
#include "selfbg.h"

/* Allele codes of one read at one target. */
enum { CODE_NONE = 0, CODE_REF = 1, CODE_ALT = 2, CODE_OTHER = 3, CODE_DEL = 4, CODE_BASE0 = 8, CODE_SEQ0 = 32 };

typedef struct {
    int32_t ti;      /* target index */
    uint32_t code;   /* CODE_* (CODE_BASE0 + nt16 for other SNV bases; for other
                      * MNV/indel alleles CODE_SEQ0 + a hash of the sequence, so
                      * that mates showing different other alleles disagree) */
    uint8_t bq;      /* base quality (min over an MNV), 0 for indels */
    uint8_t rev;     /* fragment strand: 1 reverse */
    uint8_t mq;
    uint8_t fam;     /* consensus reads (molecule unit): family size (cD, at most 127) | 128 if duplex */
} obs_t;

#define NAME_INLINE 80 /* instrument names (about 40-60 characters) fit: no allocation per waiting read */
#define OBS_INLINE 4
#define WHEEL_BITS 16 /* mates starting more than 64 kb after a read are not waited for */
#define WHEEL (1 << WHEEL_BITS)
#define CHUNK_BITS 12
#define PF_LAG 8 /* reads between the prefetch of a read's table slot and that of its waiting mate */
#define PF_NONE SIZE_MAX
#define POOL(e, i) (&(e)->chunks[(i) >> CHUNK_BITS][(i) & ((1 << CHUNK_BITS) - 1)])

/* A read waiting for its mate: 192 bytes, three cache lines in chunks
 * aligned to 64 bytes; what the lookup of a mate reads first (the hash,
 * the wheel link, the name pointer) is in the first line, the name
 * follows, then the observations. */
typedef struct {
    uint64_t hash;     /* of the name */
    hts_pos_t mpos;
    int32_t tid;
    int32_t fraglen;   /* 0 when unknown */
    int next;          /* next entry in the same wheel bucket, -1 at the end */
    int n_obs;
    int m_obs;
    uint8_t alive;     /* 0 once merged with its mate (and out of the table) */
    uint8_t long_name; /* 1: the name is at heap_name, 0: in name_buf (pend_name) */
    uint32_t m_name;   /* bytes allocated at heap_name (0: none) */
    char *heap_name;   /* for names of NAME_INLINE or more, kept for the next use of the record */
    obs_t *obs;        /* obs_buf, or allocated when a read sees more targets */
    char name_buf[NAME_INLINE];
    obs_t obs_buf[OBS_INLINE];
} pend_t;
_Static_assert(sizeof(pend_t) == 192, "pend_t: three cache lines");

static inline const char *pend_name(const pend_t *p)
{
    return p->long_name ? p->heap_name : p->name_buf;
}

/* A waiting read written to disk (count_spill.c): this header, then the
 * name (name_len bytes, no NUL) and n_obs obs_t. */
typedef struct {
    hts_pos_t mpos;    /* the mate's start: runs are sorted by it */
    uint64_t hash;     /* count_name_hash of the name */
    int32_t tid, fraglen, n_obs;
    uint32_t name_len;
} spill_rec_t;

/* A run of spilled reads being read back: the file and its head record. */
typedef struct {
    FILE *f;
    int have;          /* 1: rec, name and obs hold the next record */
    spill_rec_t rec;
    kstring_t name;
    obs_t *obs;
    int m_obs;
} spill_run_t;

#define SPILL_MAX_RUNS 32 /* more runs are merged into one */

/* A target bound to this file's header. */
typedef struct {
    int32_t ti;        /* index in the target set */
    int32_t tid;
    hts_pos_t span_beg, span_end; /* reference span the read must cover */
    uint8_t snv;       /* 1: an SNV, whose allele a read in one block gives without a CIGAR walk */
    uint8_t code[16];  /* SNV: the allele code (CODE_*) of each 4-bit BAM base (count_bound_codes) */
} bound_t;

/* Fills b->code for an SNV whose REF and ALT have the 4-bit BAM codes
 * ref_nib and alt_nib (16: no code spells it): a read's base is then
 * classified by one lookup. */
static inline void count_bound_codes(bound_t *b, int ref_nib, int alt_nib)
{
    for (int nib = 0; nib < 16; nib++)
        b->code[nib] = (uint8_t)(nib == ref_nib ? CODE_REF : nib == alt_nib ? CODE_ALT : CODE_BASE0 + nib);
}

/* A region read through the index: its bound targets [lo, hi) and
 * self-background windows [sw_lo, sw_hi). */
typedef struct {
    int lo, hi, sw_lo, sw_hi;
} region_t;

typedef struct {
    const vw_targets_t *ts;
    const vw_count_opt_t *opt;
    const vw_aln_t *aln; /* the file being read */
    vw_sample_counts_t *out;
    bound_t *bt;       /* sorted by tid, span_beg */
    int n_bt;
    int *tid_lo, *tid_hi; /* per tid: range in bt */
    int n_tid;
    /* pending mates: open addressing on a 64-bit name hash, linear probing,
     * backward-shift deletion (no tombstones); a slot keeps the hash's low
     * 32 bits (the table has fewer than 2^32 slots: they give the home
     * slot), the record the whole hash, and the name decides */
    struct slot_s { uint32_t h; int32_t idx; } *tab; /* idx -1: empty */
    size_t tab_mask, tab_n;
    pend_t **chunks;   /* the pool of waiting reads, in chunks that never move */
    int n_pool, m_pool;
    int *free_list, n_free, m_free;
    int *wheel;        /* WHEEL buckets: head entry index or -1 */
    int n_waiting;     /* entries in the wheel */
    int32_t wheel_tid; /* contig of the entries in the wheel */
    hts_pos_t wheel_pos; /* buckets of positions < wheel_pos have been flushed */
    /* the bound (opt->mate_buffer): past it the waiting reads whose mates
     * start farthest ahead go to disk, and come back when the stream
     * reaches their mates' start (count_pend.c) */
    size_t pend_max;   /* 0: no bound */
    hts_pos_t wheel_hi; /* no entry in the wheel has a mate start above it */
    size_t spill_at;   /* n_waiting that triggers the next spill */
    spill_run_t *runs;
    int n_runs, m_runs;
    hts_pos_t spill_next; /* smallest mate start at the runs' heads */
    int64_t n_spilled; /* reads written to disk */
    /* the table slots of the last PF_LAG reads to enter the walk's
     * look-ahead window, PF_NONE for those that will not look their mate
     * up (count_loop.c ahead_read: the slots were prefetched, the waiting
     * reads they point to are next) */
    size_t pf_slot[PF_LAG];
    unsigned pf_n;
    size_t over_n;     /* the most reads waiting at once beyond pend_max (reads sharing one mate start) */
    int32_t over_tid;
    hts_pos_t over_pos;
    hts_pos_t *span_beg; /* per target index: the first reference position a read must cover */
    int cur_lo, cur_hi, cur; /* reads come in position order: first bound target with span_beg >= pos */
    hts_pos_t cur_prev, cur_next; /* span_beg of the bound targets cur - 1 and cur (-1 and HTS_POS_MAX
                                   * past the range's ends): a read tests the cursor without a lookup */
    int cur_qoff;      /* the read being observed: its query offset when aligned in one block, else -1 */
    /* scratch */
    obs_t *obs;
    int n_obs, m_obs;
    int *qpos;
    int m_qpos;
    kstring_t allele;
    vw_ratewarn_t warn_cigar;
    /* self background in the counting pass (index mode, opt->self_flank >= 0) */
    vw_selfwin_t *sw;
    int n_sw;
    int sw_lo, sw_hi, sw_cur; /* windows of the region being read; cursor (from sw_lo) */
    region_t *rg;      /* the regions read through the index */
    int cur_span;      /* the region being read, -1 before the first */
    /* molecules (opt->unit == VW_UNIT_MOLECULE) */
    vw_umi_col_t *umi;
    int32_t *ti_tid;   /* per target index: its tid and the end of its span */
    hts_pos_t *ti_end;
    int *active, n_active; /* targets with reads waiting in the collector */
    uint8_t *is_active;
    vw_umi_obs_t *uobs;
    int m_uobs;
    int consensus;     /* molecule unit: -1 not told yet, 1 consensus reads (cD tag), 0 raw UMI reads */
    uint8_t cur_fam;   /* consensus: the read's family byte (obs_t fam) */
    const uint8_t *cur_ad, *cur_bd; /* consensus: its per-base ad/bd arrays, or NULL */
    int64_t n_dup_skipped; /* molecule unit: duplicate-flagged reads left out by --excl-flags */
} engine_t;

/* Paired, with the mate mapped on the same contig. */
static inline int is_paired_here(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    return (c->flag & BAM_FPAIRED) && !(c->flag & BAM_FMUNMAP) && c->mtid == c->tid;
}

/* Whether a read can find its mate waiting: a read whose mate starts after
 * it (on its contig) comes first of the two, so its mate cannot be in the
 * table yet.  (With mate fields that contradict each other, or a third
 * record of one name kept, such a read no longer meets an earlier record of
 * its name: it waits itself, and the mate takes the first that waited.) */
static inline int may_find_mate(const bam1_t *b)
{
    return is_paired_here(b) && b->core.mpos <= b->core.pos;
}

/* The name hashes handed from the walk's first look (count_loop.c
 * prepare_read) to count_process: 0 means "not hashed yet" (count_process
 * hashes the read when it needs the hash; a name whose hash is 0 is only
 * hashed twice).  With a decoding thread the first look, on that thread
 * when it is ahead, hashes the reads that look their mate up and those
 * that will likely wait (the mate starts within the read's length:
 * count_hash_early), which balances the two threads; with none, it hashes
 * only the reads whose table slot the look-ahead prefetches (those that
 * may find their mate waiting), and count_process the reads that come to
 * wait.  Which reads are hashed early changes no result. */
static inline int count_hash_early(const bam1_t *b)
{
    const bam1_core_t *c = &b->core;
    return is_paired_here(b) && (c->mpos <= c->pos || c->mpos - c->pos < c->l_qseq);
}

/* count_tally.c */
int count_commit(engine_t *e, const obs_t *a, int na, const obs_t *b, int nb, int fraglen);
/* count_commit(e, a, na, NULL, 0, fraglen): one read alone (a call with
 * the setup of one read's tally only, not the merge's). */
int count_commit_one(engine_t *e, const obs_t *a, int na, int fraglen);
int count_mol_init(engine_t *e);
void count_mol_free(engine_t *e);
int count_mol_flush(engine_t *e, int tid, hts_pos_t pos);
int count_mol_add(engine_t *e, const bam1_t *b);
void count_cons_read(engine_t *e, const bam1_t *b);
int count_mol_end(engine_t *e);

/* (defined in count_tally.c) 1: every read takes the general paths (a
 * CIGAR walk per target, the wheel checked at every read), for tests that
 * compare them with the fast paths; 0 (the default): fast paths on.  Set
 * it only while no count runs. */
extern int count_general_only;

/* count_pend.c */
/* 1 when count_flush_pending(e, tid, pos) has nothing to do because the
 * stream has not moved since the last read (the usual case, tested before
 * the call). */
static inline int count_wheel_still(const engine_t *e, int tid, hts_pos_t pos)
{
    return tid == e->wheel_tid && pos == e->wheel_pos && tid >= 0 && (e->n_runs == 0 || e->spill_next > pos)
           && !__builtin_expect(count_general_only, 0);
}
uint64_t count_name_hash(const char *s); /* count_name_hash_n(s, strlen(s)) */

/* The 128-bit product of a and b folded to 64 bits (its halves xored):
 * every bit of the result depends on every bit of both inputs.  The same
 * value without a 128-bit type (from 32-bit halves). */
static inline uint64_t count_fold_mul(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    return (a * b) ^ (p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32));
#endif
}

/* Hash of a read name, 16 bytes at a time (two words mixed by one folded
 * 128-bit product, as wyhash does; an instrument name of about 40
 * characters takes three); the last 16 bytes of a name of 16 or more are
 * read as two words, overlapping the words before (no copy of a variable
 * length).  A collision costs only a comparison of names. */
static inline uint64_t count_name_hash_n(const char *s, size_t n)
{
    const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
    uint64_t h = k0 ^ n, a = 0, b = 0;
    if (n >= 16) {
        const char *last = s + n - 16;
        for (; s < last; s += 16) {
            memcpy(&a, s, 8);
            memcpy(&b, s + 8, 8);
            h = count_fold_mul(a ^ k1, b ^ h);
        }
        memcpy(&a, last, 8);
        memcpy(&b, last + 8, 8);
    } else if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
    } else {
        memcpy(&a, s, n);
    }
    /* the table's home slot takes the low bits: a last product spreads
     * the high ones down */
    return count_fold_mul(count_fold_mul(a ^ k1, b ^ h) ^ k2, k0 ^ n);
}

/* The length of the read's name, from the record (no strlen). */
static inline size_t count_qname_len(const bam1_t *b)
{
    const char *s = bam_get_qname(b);
    int n = (int)b->core.l_qname - 1 - (int)b->core.l_extranul;
    if (__builtin_expect(n > 0 && s[n - 1] != '\0', 1)) /* the usual record: one test */
        return (size_t)n;
    while (n > 0 && s[n - 1] == '\0') /* (a record whose padding is not counted in l_extranul) */
        n--;
    return n > 0 ? (size_t)n : 0;
}

/* count_name_hash() of the read's name. */
static inline uint64_t count_read_hash(const bam1_t *b)
{
    return count_name_hash_n(bam_get_qname(b), count_qname_len(b));
}
/* Slot of 'name' (h: its count_name_hash) in the table, or -1: the slot's
 * 32 bits of the hash, then the record's 64, then the name itself decide.
 * Inline: the lookup of a read's mate. */
static inline long count_tab_find(const engine_t *e, const char *name, uint64_t h)
{
    size_t i = h & e->tab_mask;
    uint32_t h32 = (uint32_t)h;
    while (e->tab[i].idx >= 0) {
        if (e->tab[i].h == h32) {
            const pend_t *p = POOL(e, e->tab[i].idx);
            if (p->hash == h && strcmp(pend_name(p), name) == 0)
                return (long)i;
        }
        i = (i + 1) & e->tab_mask;
    }
    return -1;
}
void count_tab_delete(engine_t *e, size_t i);
int count_flush_pending(engine_t *e, int tid, hts_pos_t pos);
/* Read b (h: count_name_hash() of its name) waits for its mate with
 * observations obs[0, n_obs) (copied). */
int count_pend_add(engine_t *e, const bam1_t *b, int fraglen, uint64_t h, const obs_t *obs, int n_obs);
void count_pend_free(engine_t *e);
void count_pend_report(const engine_t *e);

/* count_spill.c: each returns 0 or a negative code (open logs its failure) */
int count_spill_open(spill_run_t *r, const char *path);
int count_spill_write(spill_run_t *r, const spill_rec_t *h, const char *name, const obs_t *obs);
int count_spill_next(spill_run_t *r);
int count_spill_rewind(spill_run_t *r);
void count_spill_close(spill_run_t *r);
int count_spill_merge(spill_run_t *runs, int n, spill_run_t *out, const char *path);

/* count_obs.c */
int count_process(engine_t *e, const bam1_t *b, int lo, int hi, uint64_t h);

/* count_loop.c: counts the reads of a (through idx unless a->stream) into
 * e->out.  Logs on failure; returns 0 or a negative code. */
int count_run(engine_t *e, vw_aln_t *a, hts_idx_t *idx);

#endif
