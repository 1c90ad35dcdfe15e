/* count_tally.c -- counting an observation into the result: one fragment or
 * read (commit, tally), or a molecule through the UMI collector (see
 * count_priv.h for the layers). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"

int count_general_only = 0; /* (defined here, the lowest layer that reads it) */

/* ------------------------------------------------------------------ */
/* Tallying                                                            */

static int hist_add(uint32_t **h, int len)
{
    if (!*h) {
        *h = calloc(VW_FRAGLEN_BINS, sizeof(uint32_t));
        if (!*h)
            return -ENOMEM;
    }
    if (len >= VW_FRAGLEN_BINS)
        len = VW_FRAGLEN_BINS - 1;
    (*h)[len]++;
    return 0;
}

int vw_fraglen_median(const uint32_t *hist)
{
    if (!hist)
        return -1;
    uint64_t n = 0, c = 0;
    for (int i = 0; i < VW_FRAGLEN_BINS; i++)
        n += hist[i];
    if (n == 0)
        return -1;
    /* lower median: the smallest length with cumulative count >= ceil(n/2) */
    uint64_t half = (n + 1) / 2;
    for (int i = 0; i < VW_FRAGLEN_BINS; i++) {
        c += hist[i];
        if (c >= half)
            return i;
    }
    return VW_FRAGLEN_BINS - 1;
}

static int cons_tally(engine_t *e, const obs_t *o);

/* Counts one fragment (or read) with allele 'o' at its target. */
static inline int tally(engine_t *e, const obs_t *o, int fraglen)
{
    if (__builtin_expect(e->consensus == 1, 0) && cons_tally(e, o) == 0)
        return 0;
    vw_count_t *c = &e->out->c[o->ti];
    c->depth++;
    if (o->code == CODE_REF) {
        c->ref++;
        if (o->rev) c->ref_rev++; else c->ref_fwd++;
        if (fraglen > 0 && hist_add(&c->fl_ref, fraglen) < 0)
            return -ENOMEM;
    } else if (o->code == CODE_ALT) {
        c->alt++;
        if (o->rev) c->alt_rev++; else c->alt_fwd++;
        c->alt_bq_sum += o->bq;
        c->alt_mq_sum += o->mq;
        if (fraglen > 0 && hist_add(&c->fl_alt, fraglen) < 0)
            return -ENOMEM;
    } else {
        c->other++;
    }
    return 0;
}

/* Mates x and y that show different alleles at one target: the fragment
 * is discordant (a consensus fragment also counts as a molecule). */
static void discordant(engine_t *e, const obs_t *x, const obs_t *y)
{
    if (e->consensus == 1) {
        vw_molcount_t *mc = e->out->c[x->ti].mol;
        int sz = (x->fam & 127) > (y->fam & 127) ? x->fam & 127 : y->fam & 127;
        mc->families++;
        mc->fragments += sz;
        mc->fam_hist[sz]++;
        if (sz < e->opt->min_family) {
            mc->small++;
            return;
        }
        mc->no_consensus++;
    }
    e->out->c[x->ti].discordant++;
}

/* 1 when observation x comes before y in the order of the bound targets
 * (by the first position a read must cover, then by target index): the
 * order of a read's observations.  The target index alone is not that
 * order: an indel's window may start before an SNV listed ahead of it. */
static inline int obs_before(const engine_t *e, const obs_t *x, const obs_t *y)
{
    hts_pos_t bx = e->span_beg[x->ti], by = e->span_beg[y->ti];
    return bx < by || (bx == by && x->ti < y->ti);
}

/* The allele of x, in a fragment length bin, when the read is not a
 * consensus read: what tally() does with it.  y is x for a read alone, its
 * mate's observation of the same allele for two mates that agree (the
 * better qualities of the two are summed; the maxima are taken only for an
 * ALT, and vanish when y is x).  Returns 0 or -ENOMEM. */
static inline __attribute__((always_inline)) int tally_allele(vw_count_t *c, const obs_t *x, const obs_t *y, int bin)
{
    const int code = x->code, rev = x->rev;
    uint32_t **h;
    c->depth++;
    if (code == CODE_REF) {
        c->ref++;
        if (rev) c->ref_rev++; else c->ref_fwd++;
        h = &c->fl_ref;
    } else if (code == CODE_ALT) {
        c->alt++;
        if (rev) c->alt_rev++; else c->alt_fwd++;
        c->alt_bq_sum += y->bq > x->bq ? y->bq : x->bq;
        c->alt_mq_sum += y->mq > x->mq ? y->mq : x->mq;
        h = &c->fl_alt;
    } else {
        c->other++;
        return 0;
    }
    if (__builtin_expect(!*h, 0) && !(*h = calloc(VW_FRAGLEN_BINS, sizeof(uint32_t))))
        return -ENOMEM;
    (*h)[bin]++;
    return 0;
}

/* One read alone, not a consensus read, with a known fragment length
 * (nearly all reads counted without their mate): tally() of each
 * observation with the tests that are the same for all of them (the
 * consensus, the length and its bin) made once.  Returns 0 or -ENOMEM. */
static inline __attribute__((always_inline)) int tally_read(engine_t *e, const obs_t *a, int na, int fraglen)
{
    vw_count_t *cs = e->out->c;
    int bin = fraglen < VW_FRAGLEN_BINS ? fraglen : VW_FRAGLEN_BINS - 1;
    for (const obs_t *o = a, *oe = a + na; o < oe; o++)
        if (tally_allele(&cs[o->ti], o, o, bin) < 0)
            return -ENOMEM;
    return 0;
}

/* The first n observations of two mates of a fragment that is not a
 * consensus read, with a known length, as far as both mates observe the
 * same targets in the same order (the usual overlapping mates): what the
 * merge of count_commit does with each such pair (one allele with the
 * better qualities, or discordant), without its tests of order.  Returns
 * the number of pairs taken (the first target where they part), or
 * -ENOMEM. */
static int tally_same(engine_t *e, const obs_t *a, const obs_t *b, int n, int fraglen)
{
    vw_count_t *cs = e->out->c;
    int bin = fraglen < VW_FRAGLEN_BINS ? fraglen : VW_FRAGLEN_BINS - 1, i = 0;
    for (; i < n && a[i].ti == b[i].ti; i++) {
        const obs_t *x = &a[i], *y = &b[i];
        vw_count_t *c = &cs[x->ti];
        if (x->code != y->code)
            c->discordant++;
        else if (tally_allele(c, x, y, bin) < 0)
            return -ENOMEM;
    }
    return i;
}

int count_commit_one(engine_t *e, const obs_t *a, int na, int fraglen)
{
    if (__builtin_expect(e->consensus != 1, 1) && fraglen > 0)
        return tally_read(e, a, na, fraglen);
    for (int i = 0; i < na; i++)
        if (tally(e, &a[i], fraglen) < 0)
            return -ENOMEM;
    return 0;
}

/* Counts a fragment from the observations of one or two reads (of one
 * contig), each in the order of the bound targets. */
int count_commit(engine_t *e, const obs_t *a, int na, const obs_t *b, int nb, int fraglen)
{
    int i = 0, j = 0;
    if (nb == 0) /* one read alone (the loop below, without its merge tests) */
        return count_commit_one(e, a, na, fraglen);
    /* the mates' common first targets, then the rest of the mate that
     * observes more when the other has none left (as the loop below
     * would take them; the general path takes them all there) */
    if (__builtin_expect(e->consensus != 1, 1) && fraglen > 0 && !__builtin_expect(count_general_only, 0)) {
        if ((i = tally_same(e, a, b, na < nb ? na : nb, fraglen)) < 0)
            return i;
        if (i == na || i == nb)
            return i == na ? tally_read(e, b + i, nb - i, fraglen) : tally_read(e, a + i, na - i, fraglen);
        j = i;
    }
    while (i < na || j < nb) {
        const obs_t *o;
        obs_t m;
        if (j >= nb || (i < na && a[i].ti != b[j].ti && obs_before(e, &a[i], &b[j]))) {
            o = &a[i++];
        } else if (i >= na || b[j].ti != a[i].ti) {
            o = &b[j++];
        } else { /* both mates: one allele with the better qualities, or discordant */
            const obs_t *x = &a[i++], *y = &b[j++];
            if (x->code != y->code) {
                discordant(e, x, y);
                continue;
            }
            o = x;
            /* tally reads the qualities of ALT only, the family byte of
             * consensus reads only: else x alone is the merged allele */
            if (x->code == CODE_ALT || e->consensus == 1) {
                m = *x;
                if ((y->fam & 127) > (m.fam & 127)) m.fam = (uint8_t)((m.fam & 128) | (y->fam & 127));
                m.fam |= y->fam & 128;
                if (y->bq > m.bq) m.bq = y->bq;
                if (y->mq > m.mq) m.mq = y->mq;
                o = &m;
            }
        }
        if (tally(e, o, fraglen) < 0) /* one call: inlined once */
            return -ENOMEM;
    }
    return 0;
}


/* ------------------------------------------------------------------ */
/* Molecules (VW_UNIT_MOLECULE): reads go to the UMI collector, which    */
/* groups each target's reads once the stream has passed the target     */

int vw_famsize_median(const uint32_t *hist)
{
    uint64_t n = 0, c = 0;
    for (int i = 0; i < VW_FAMSIZE_BINS; i++)
        n += hist[i];
    if (n == 0)
        return -1;
    for (int i = 0; i < VW_FAMSIZE_BINS; i++)
        if ((c += hist[i]) >= (n + 1) / 2)
            return i;
    return VW_FAMSIZE_BINS - 1;
}

int count_mol_init(engine_t *e)
{
    int n = e->ts->n ? e->ts->n : 1;
    e->umi = vw_umi_col_init(e->ts->n, (vw_umi_source_t)e->opt->umi_source);
    e->ti_tid = malloc((size_t)n * sizeof(int32_t));
    e->ti_end = malloc((size_t)n * sizeof(hts_pos_t));
    e->active = malloc((size_t)n * sizeof(int));
    e->is_active = calloc((size_t)n, 1);
    if (!e->umi || !e->ti_tid || !e->ti_end || !e->active || !e->is_active)
        return -ENOMEM;
    for (int i = 0; i < e->n_bt; i++) {
        e->ti_tid[e->bt[i].ti] = e->bt[i].tid;
        e->ti_end[e->bt[i].ti] = e->bt[i].span_end;
    }
    for (int i = 0; i < e->ts->n; i++)
        if (!(e->out->c[i].mol = calloc(1, sizeof(vw_molcount_t))))
            return -ENOMEM;
    return 0;
}

void count_mol_free(engine_t *e)
{
    vw_umi_col_destroy(e->umi);
    free(e->ti_tid);
    free(e->ti_end);
    free(e->active);
    free(e->is_active);
    free(e->uobs);
}

/* Groups the reads of target ti into molecules and counts them. */
static int mol_resolve(engine_t *e, int ti)
{
    const vw_umi_mol_t *m;
    int n, ret = vw_umi_col_resolve(e->umi, ti, e->opt->min_agree, &m, &n, NULL);
    if (ret < 0)
        return ret;
    vw_count_t *c = &e->out->c[ti];
    vw_molcount_t *mc = c->mol;
    for (int i = 0; i < n; i++) {
        mc->families++;
        mc->fragments += m[i].size;
        mc->fam_hist[m[i].size < VW_FAMSIZE_BINS ? m[i].size : VW_FAMSIZE_BINS - 1]++;
        if (m[i].size < e->opt->min_family) {
            mc->small++;
            continue;
        }
        if (m[i].code == CODE_NONE) {
            mc->no_consensus++;
            c->discordant++;
            continue;
        }
        int64_t *k = m[i].code == CODE_REF ? &mc->ref : m[i].code == CODE_ALT ? &mc->alt : &mc->other;
        (*k)++;
        if (m[i].duplex)
            (*(m[i].code == CODE_REF ? &mc->duplex_ref : m[i].code == CODE_ALT ? &mc->duplex_alt
                                                                                : &mc->duplex_other))++;
        if (e->opt->duplex_only && !m[i].duplex)
            continue;
        obs_t o = {ti, m[i].code, m[i].bq, m[i].strand, m[i].mq, 0};
        if ((ret = tally(e, &o, m[i].fraglen)) < 0)
            return ret;
    }
    return 0;
}

/* Counts the targets the stream has passed (a read at tid:pos); tid < 0: all. */
int count_mol_flush(engine_t *e, int tid, hts_pos_t pos)
{
    for (int i = 0; i < e->n_active;) {
        int ti = e->active[i];
        if (tid >= 0 && e->ti_tid[ti] == tid && e->ti_end[ti] > pos) {
            i++;
            continue;
        }
        int ret = mol_resolve(e, ti);
        if (ret < 0)
            return ret;
        e->is_active[ti] = 0;
        e->active[i] = e->active[--e->n_active];
    }
    return 0;
}

/* Hands read b's observations (e->obs) to the collector. */
int count_mol_add(engine_t *e, const bam1_t *b)
{
    if (e->n_obs > e->m_uobs) {
        vw_umi_obs_t *u = realloc(e->uobs, (size_t)e->n_obs * sizeof(*u));
        if (!u)
            return -ENOMEM;
        e->uobs = u;
        e->m_uobs = e->n_obs;
    }
    for (int i = 0; i < e->n_obs; i++) {
        const obs_t *o = &e->obs[i];
        e->uobs[i] = (vw_umi_obs_t){o->ti, o->code, o->bq, o->mq};
    }
    int r = vw_umi_col_add(e->umi, b, e->uobs, e->n_obs);
    if (r == 0)
        for (int i = 0; i < e->n_obs; i++)
            if (!e->is_active[e->obs[i].ti]) {
                e->is_active[e->obs[i].ti] = 1;
                e->active[e->n_active++] = e->obs[i].ti;
            }
    if (r == VW_EINPUT) {
        vw_error("%s: read %s has no UMI: neither an RX tag nor one after the last '_' or ':' of its name "
                 "(molecules need UMIs; --umi tag|name to choose)", e->out->path, bam_get_qname(b));
        return r;
    }
    return r < 0 ? r : 0; /* 1: skipped, counted in the collector's stats */
}

/* Consensus reads (fgbio CallMolecularConsensusReads / CallDuplexConsensusReads): each
 * fragment is one molecule; its family size is cD (or aD + bD), it is duplex when
 * both strands had reads (aD and bD >= 1; per base from ad/bd when present). */
static int64_t aux_int(const bam1_t *b, const char tag[2], int64_t dflt)
{
    const uint8_t *p = bam_aux_get(b, tag);
    if (!p)
        return dflt;
    errno = 0;
    int64_t v = bam_aux2i(p);
    return errno == EINVAL ? dflt : v; /* not an integer tag */
}

void count_cons_read(engine_t *e, const bam1_t *b)
{
    int64_t a = aux_int(b, "aD", 0), bb = aux_int(b, "bD", 0);
    int64_t n = aux_int(b, "cD", a + bb);
    if (n < 1) n = 1;
    if (n > 127) n = 127;
    e->cur_fam = (uint8_t)(n | (a > 0 && bb > 0 ? 128 : 0));
    const uint8_t *ad = bam_aux_get(b, "ad"), *bd = bam_aux_get(b, "bd");
    e->cur_ad = ad && *ad == 'B' ? ad : NULL;
    e->cur_bd = bd && *bd == 'B' ? bd : NULL;
}

/* Molecule accounting of a consensus fragment; returns 1 when it also counts in the
 * evidence columns, 0 when not (too small, or not duplex with --duplex-only). */
static int cons_tally(engine_t *e, const obs_t *o)
{
    vw_molcount_t *mc = e->out->c[o->ti].mol;
    int sz = o->fam & 127, dup = o->fam >> 7;
    mc->families++;
    mc->fragments += sz;
    mc->fam_hist[sz]++;
    if (sz < e->opt->min_family) {
        mc->small++;
        return 0;
    }
    int64_t *k = o->code == CODE_REF ? &mc->ref : o->code == CODE_ALT ? &mc->alt : &mc->other;
    (*k)++;
    if (dup)
        (*(o->code == CODE_REF ? &mc->duplex_ref : o->code == CODE_ALT ? &mc->duplex_alt : &mc->duplex_other))++;
    return !e->opt->duplex_only || dup;
}

/* After the counting: the UMI summary, and an error when no read had a UMI. */
int count_mol_end(engine_t *e)
{
    const vw_umi_stats_t *st = vw_umi_col_stats(e->umi);
    const char *path = e->out->path;
    e->out->umi = *st;
    int64_t skipped = st->n_no_umi + st->n_bad + st->n_no_sep;
    if (st->n_reads > 0 && skipped == st->n_reads) {
        vw_error("%s: none of the %lld reads at the targets has a usable UMI (%s; %lld without one, %lld "
                 "malformed, %lld without the duplex separator)", path, (long long)st->n_reads,
                 st->source == VW_UMI_TAG ? "RX tag" : "read name", (long long)st->n_no_umi,
                 (long long)st->n_bad, (long long)st->n_no_sep);
        return VW_EINPUT;
    }
    if (st->n_no_umi)
        vw_warn("%s: %lld of %lld reads at the targets have no UMI (%s); skipped", path,
                (long long)st->n_no_umi, (long long)st->n_reads,
                st->source == VW_UMI_TAG ? "no RX tag" : "none at the end of the name");
    if (st->n_bad)
        vw_warn("%s: %lld reads have a malformed UMI (not A/C/G/T/N, or an empty half); skipped", path,
                (long long)st->n_bad);
    if (st->n_no_sep)
        vw_warn("%s: %lld reads have a UMI %s the duplex separator '-' that the first UMI %s; skipped", path,
                (long long)st->n_no_sep, st->duplex ? "without" : "with", st->duplex ? "has" : "has not");
    if (e->n_dup_skipped && e->consensus != 1)
        vw_warn("%s: %lld duplicate-flagged reads were skipped, but in the molecule unit PCR copies make the "
                "families: count a BAM without duplicate marking, or give --excl-flags "
                "UNMAP,SECONDARY,QCFAIL,SUPPLEMENTARY", path, (long long)e->n_dup_skipped);
    if (st->n_other_len)
        vw_warn("%s: %lld reads have a UMI of another length than the first (%d); they are grouped only "
                "with UMIs of their own length", path, (long long)st->n_other_len, st->umi_len);
    return 0;
}
