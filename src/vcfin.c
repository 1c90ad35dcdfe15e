/*
 * vcfin.c -- evidence records from other callers' VCF/BCF files.
 *
 * The input is read once, in file order (no index needed).  Targets are
 * looked up by contig (bare name: without "chr", M = MT) and by the
 * 0-based span they can be matched in.  Per sample x target we keep the
 * best evidence seen: a called allele, else same-site counts of another
 * allele, else reference blocks covering the target.  Coordinates: VCF
 * POS is 1-based; bcf1_t.pos and everything here are 0-based.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "vafwatch/vcfin.h"

enum { EV_NONE = 0, EV_SITE = 1, EV_CALL = 2 };

typedef struct {
    int state;                /* EV_* */
    int64_t depth, ref, alt;  /* of the call or site evidence */
    int blk_seen;             /* reference blocks with a depth touched the REF span */
    int64_t blk_depth, blk_ref; /* smallest block depth and its ref count */
    uint64_t covered;         /* REF-span bases (first 64) covered by such blocks */
} ev_t;

typedef struct {
    int ti;
    char *bare;               /* contig without "chr", "M" as "MT" */
    hts_pos_t span_beg, span_end;
    int lr;                   /* length of REF */
} tspan_t;

/* One integer FORMAT field of the current record, all samples. */
typedef struct {
    const char *tag;
    int32_t *v;
    int n, m;                 /* values per sample (0 when absent), allocated */
} ifield_t;

/* The integer fields read besides those of the dialects: AD[0] and DP,
 * MIN_DP give the depth of reference blocks. */
enum { F_AD, F_DP, F_MINDP, N_BASE_TAGS };
static const char *const base_tags[N_BASE_TAGS] = {"AD", "DP", "MIN_DP"};
#define MAX_TAGS 24
#define MAX_DIALECTS 16
#define MAX_DIALECT_TAGS 4

/* FORMAT values of the current record, all samples. */
typedef struct {
    ifield_t i[MAX_TAGS];     /* base_tags, then the dialects' tags, each once */
    int n_i;
    float *af;
    int n_af, m_af;
    char **freq;
    int n_freq, m_freq;
    int32_t *idp;             /* INFO/DP */
    int n_idp, m_idp;
    const char *af_tag;       /* which frequency field was read, NULL if none */
} fmt_t;

typedef struct {
    const char *path;
    bcf_hdr_t *h;
    bcf1_t *rec;
    const vw_targets_t *ts;
    int n_smp;                /* samples in the file */
    int n_out;                /* samples returned */
    int *smp;                 /* their columns */
    ev_t *ev;                 /* n_out x ts->n */
    tspan_t *sp;              /* sorted target spans */
    hts_pos_t max_span;
    char **rid_bare;          /* per contig id, lazily */
    int n_rid;
    long nrec;                /* records read (1-based number of the current one) */
    long nused;
    int warned_other;
    vw_ratewarn_t w_missing, w_adsum;
    fmt_t f;
    int dfield[MAX_DIALECTS][MAX_DIALECT_TAGS]; /* per dialect, its tags' index in f.i */
    kstring_t r, a, hap;
} rd_t;

int vw_vcfin_is_vcf(const char *path)
{
    static const char *exts[] = {".vcf", ".vcf.gz", ".vcf.bgz", ".bcf", NULL};
    size_t l = path ? strlen(path) : 0;
    for (int i = 0; exts[i]; i++) {
        size_t e = strlen(exts[i]);
        if (l > e && strcasecmp(path + l - e, exts[i]) == 0)
            return 1;
    }
    return 0;
}

/* Bare contig name (the contig rule of table.h): without "chr", "M" as "MT". */
static char *bare_name(const char *s)
{
    return vw_strdup(vw_contig_bare(s));
}

vw_build_t vw_vcfin_build(const bcf_hdr_t *h, int *ret_chr)
{
    int n = h->n[BCF_DT_CTG];
    const char **names = calloc((size_t)(n ? n : 1), sizeof(char *));
    hts_pos_t *lens = calloc((size_t)(n ? n : 1), sizeof(hts_pos_t));
    vw_build_t b = VW_BUILD_UNKNOWN;
    if (ret_chr)
        *ret_chr = -1;
    if (!names || !lens)
        goto out;
    for (int i = 0; i < n; i++) {
        names[i] = h->id[BCF_DT_CTG][i].key;
        const bcf_idinfo_t *info = h->id[BCF_DT_CTG][i].val;
        lens[i] = info ? (hts_pos_t)info->info[0] : 0;
    }
    b = vw_build_from_lengths(n, names, lens, ret_chr);
out:
    free(names);
    free(lens);
    return b;
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */

static int span_cmp(const void *x, const void *y)
{
    const tspan_t *a = x, *b = y;
    int c = strcmp(a->bare, b->bare);
    if (c)
        return c;
    if (a->span_beg != b->span_beg)
        return a->span_beg < b->span_beg ? -1 : 1;
    return (a->ti > b->ti) - (a->ti < b->ti);
}

static int spans_build(rd_t *r)
{
    const vw_targets_t *ts = r->ts;
    r->sp = calloc((size_t)(ts->n ? ts->n : 1), sizeof(tspan_t));
    if (!r->sp)
        return -ENOMEM;
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        tspan_t *s = &r->sp[i];
        s->ti = i;
        s->lr = (int)strlen(t->ref);
        s->bare = bare_name(t->chrom);
        if (!s->bare)
            return -ENOMEM;
        s->span_beg = t->beg;
        s->span_end = t->beg + s->lr;
        if (t->kind != VW_KIND_SNV && t->kind != VW_KIND_MNV) {
            if (t->win_beg - 1 < s->span_beg)
                s->span_beg = t->win_beg - 1;
            if (t->win_end + 1 > s->span_end)
                s->span_end = t->win_end + 1;
        }
        if (s->span_end - s->span_beg > r->max_span)
            r->max_span = s->span_end - s->span_beg;
    }
    qsort(r->sp, (size_t)ts->n, sizeof(tspan_t), span_cmp);
    return 0;
}

/* First span index with (bare, span_beg) >= (bare, beg). */
static int spans_lower(const rd_t *r, const char *bare, hts_pos_t beg)
{
    int lo = 0, hi = r->ts->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(r->sp[mid].bare, bare);
        if (c < 0 || (c == 0 && r->sp[mid].span_beg < beg))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* 1 when the trimmed allele (b, ref, alt) is the target's allele. */
static int allele_matches(rd_t *r, const vw_target_t *t, hts_pos_t b, const char *ref, const char *alt)
{
    if (b == t->beg && strcmp(ref, t->ref) == 0 && strcmp(alt, t->alt) == 0)
        return 1;
    if (t->kind == VW_KIND_SNV || t->kind == VW_KIND_MNV || !t->win_ref || !t->win_alt)
        return 0;
    size_t lr = strlen(ref), la = strlen(alt);
    if (lr == la)
        return 0;
    size_t off = ref[0] == alt[0] ? 1 : 0;
    hts_pos_t cb = b + (hts_pos_t)off, ce = b + (hts_pos_t)lr;
    size_t wl = strlen(t->win_ref);
    if (cb < t->win_beg || ce > t->win_end || (size_t)(t->win_end - t->win_beg) != wl)
        return 0;
    size_t o = (size_t)(cb - t->win_beg);
    if (strncmp(t->win_ref + o, ref + off, lr - off) != 0)
        return 0; /* the record's REF disagrees with the window */
    ks_clear(&r->hap);
    if (kputsn(t->win_ref, o, &r->hap) < 0 || kputs(alt + off, &r->hap) < 0 ||
        kputs(t->win_ref + (ce - t->win_beg), &r->hap) < 0)
        return 0;
    return strcmp(r->hap.s, t->win_alt) == 0;
}

/* ------------------------------------------------------------------ */
/* FORMAT fields                                                       */

static int fmt_len(const bcf_hdr_t *h, const char *tag)
{
    int id = bcf_hdr_id2int(h, BCF_DT_ID, tag);
    if (id < 0 || !bcf_hdr_idinfo_exists(h, BCF_HL_FMT, id))
        return -1;
    return bcf_hdr_id2length(h, BCF_HL_FMT, id) == BCF_VL_FIXED ? bcf_hdr_id2number(h, BCF_HL_FMT, id) : 0;
}

static int fmt_type(const bcf_hdr_t *h, const char *tag)
{
    int id = bcf_hdr_id2int(h, BCF_DT_ID, tag);
    if (id < 0 || !bcf_hdr_idinfo_exists(h, BCF_HL_FMT, id))
        return -1;
    return bcf_hdr_id2type(h, BCF_HL_FMT, id);
}

/* Fetches an integer FORMAT field; *n = values per sample (0 when absent). */
static void get_int(rd_t *r, const char *tag, int32_t **v, int *n, int *m)
{
    int k = bcf_get_format_int32(r->h, r->rec, tag, v, m);
    *n = k > 0 ? k / r->n_smp : 0;
}

static void fmt_fetch(rd_t *r)
{
    fmt_t *f = &r->f;
    for (int k = 0; k < f->n_i; k++)
        get_int(r, f->i[k].tag, &f->i[k].v, &f->i[k].n, &f->i[k].m);
    f->n_idp = 0;
    if (r->n_smp == 1) {
        int k = bcf_get_info_int32(r->h, r->rec, "DP", &f->idp, &f->m_idp);
        f->n_idp = k > 0 ? k : 0;
    }
    f->n_af = f->n_freq = 0;
    f->af_tag = NULL;
    static const char *af_tags[] = {"AF", "FA", "VF", "FREQ", NULL};
    for (int i = 0; af_tags[i] && !f->af_tag; i++) {
        int type = fmt_type(r->h, af_tags[i]);
        if (type == BCF_HT_REAL) {
            int k = bcf_get_format_float(r->h, r->rec, af_tags[i], &f->af, &f->m_af);
            if (k > 0) {
                f->n_af = k / r->n_smp;
                f->af_tag = af_tags[i];
            }
        } else if (type == BCF_HT_STR) {
            int k = bcf_get_format_string(r->h, r->rec, af_tags[i], &f->freq, &f->m_freq);
            if (k > 0) {
                f->n_freq = 1;
                f->af_tag = af_tags[i];
            }
        }
    }
}

static int is_missing(int32_t v)
{
    return v == bcf_int32_missing || v == bcf_int32_vector_end;
}

/* Value j of sample s of an integer field, or -1 when missing. */
static int64_t ival(const int32_t *v, int n, int s, int j)
{
    if (!v || j >= n)
        return -1;
    int32_t x = v[s * n + j];
    return is_missing(x) ? -1 : x;
}

/* Value j of sample s of integer field f, or -1 when missing. */
static int64_t fval(const ifield_t *f, int s, int j)
{
    return ival(f->v, f->n, s, j);
}

static int bad_record(rd_t *r, const char *what)
{
    /* POS may be out of range (htslib stores INT64_MAX on overflow): no +1 then */
    if (r->rec->pos >= 0 && r->rec->pos < HTS_POS_MAX)
        vw_error("%s: record %ld (%s:%lld): %s", r->path, r->nrec, bcf_seqname_safe(r->h, r->rec),
                 (long long)r->rec->pos + 1, what);
    else
        vw_error("%s: record %ld (%s, POS out of range): %s", r->path, r->nrec, bcf_seqname_safe(r->h, r->rec),
                 what);
    return VW_EPARSE;
}

/* Checks that no count is negative and every frequency lies in [0,1]. */
static int fmt_validate(rd_t *r)
{
    const fmt_t *f = &r->f;
    char msg[96];
    for (int k = 0; k <= f->n_i; k++) { /* every integer field, then INFO/DP */
        const int32_t *v = k < f->n_i ? f->i[k].v : f->idp;
        int m = k < f->n_i ? f->i[k].n * r->n_smp : (f->n_idp ? 1 : 0);
        for (int i = 0; i < m; i++)
            if (!is_missing(v[i]) && v[i] < 0) {
                snprintf(msg, sizeof(msg), "negative %s (%d)", k < f->n_i ? f->i[k].tag : "INFO/DP", (int)v[i]);
                return bad_record(r, msg);
            }
    }
    for (int i = 0; i < f->n_af * r->n_smp; i++) {
        float x = f->af[i];
        if (bcf_float_is_missing(x) || bcf_float_is_vector_end(x))
            continue;
        if (!(x >= 0.0f && x <= 1.0f)) {
            snprintf(msg, sizeof(msg), "%s %g outside [0,1]", f->af_tag, (double)x);
            return bad_record(r, msg);
        }
    }
    return 0;
}

/* Frequency of ALT 'allele' (1-based) of sample s: 0 and *ret, 1 when
 * missing, VW_EPARSE when malformed or outside [0,1]. */
static int freq_of(rd_t *r, int s, int allele, double *ret)
{
    const fmt_t *f = &r->f;
    if (f->n_af > 0) {
        int j = f->n_af == 1 ? 0 : allele - 1;
        if (j < 0 || j >= f->n_af || (f->n_af == 1 && allele != 1))
            return 1;
        float x = f->af[s * f->n_af + j];
        if (bcf_float_is_missing(x) || bcf_float_is_vector_end(x))
            return 1;
        *ret = x;
        return 0;
    }
    if (f->n_freq > 0 && f->freq[s]) {
        const char *p = f->freq[s];
        if (allele != 1 || !*p || strcmp(p, ".") == 0)
            return 1;
        char *end;
        double x = strtod(p, &end);
        if (end == p || (*end && strcmp(end, "%") != 0) || !isfinite(x))
            return bad_record(r, "unreadable FREQ");
        if (*end == '%')
            x /= 100.0;
        if (x < 0.0 || x > 1.0)
            return bad_record(r, "FREQ outside [0%,100%]");
        *ret = x;
        return 0;
    }
    return 1;
}

static int64_t depth_of(const rd_t *r, int s)
{
    int64_t dp = fval(&r->f.i[F_DP], s, 0);
    if (dp < 0 && r->f.n_idp > 0 && !is_missing(r->f.idp[0]))
        dp = r->f.idp[0];
    return dp;
}

static int base_idx(char c)
{
    switch (toupper((unsigned char)c)) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    default: return -1;
    }
}

/* ------------------------------------------------------------------ */
/* Dialects: how each caller writes its counts                          */

/* The allele asked for: ALT 'allele' (1-based), or no listed ALT (0: alt =
 * 0, or the count of 'alt_base' where the caller counts every base); 'snv'
 * when it is the single-base substitution of 'ref_base' by 'alt_base'. */
typedef struct {
    int allele, snv;
    char ref_base, alt_base;
    int64_t dp;               /* depth_of() the sample, -1 when missing */
} want_t;

/* An extractor fills *depth, *ref and *alt of sample s from its dialect's
 * fields f[] (in the order of its row; all present in the record) and
 * returns 0, 1 when they do not apply or are missing (the next dialect is
 * tried), or VW_EPARSE (logged). */
typedef int (*extract_fn)(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth,
                          int64_t *ref, int64_t *alt);

/* AD declared Number=1 next to RD: VarScan's alt count, not Number=R. */
static int field_index(const rd_t *r, const char *tag);

static int ad_is_varscan(const rd_t *r)
{
    int rd = field_index(r, "RD");
    return rd >= 0 && r->f.i[rd].n > 0 && fmt_len(r->h, "AD") == 1;
}

/* AD, one value per allele; depth = DP when >= sum(AD), else sum(AD). */
static int ex_ad(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth, int64_t *ref,
                 int64_t *alt)
{
    const ifield_t *ad = f[0];
    if (ad_is_varscan(r))
        return 1;
    int64_t a0 = fval(ad, s, 0), ax = w->allele > 0 ? fval(ad, s, w->allele) : 0;
    if (a0 < 0 || ax < 0 || ad->n < r->rec->n_allele)
        return 1;
    int64_t sum = 0;
    for (int j = 0; j < ad->n; j++) {
        int64_t v = fval(ad, s, j);
        sum += v > 0 ? v : 0;
    }
    if (w->dp >= 0 && w->dp < sum)
        vw_ratewarn(&r->w_adsum, "%s: record %ld (%s:%lld): sum of AD (%lld) exceeds DP (%lld); depth = "
                    "sum of AD", r->path, r->nrec, bcf_seqname_safe(r->h, r->rec),
                    (long long)r->rec->pos + 1, (long long)sum, (long long)w->dp);
    *depth = w->dp >= sum ? w->dp : sum;
    *ref = a0;
    *alt = ax;
    return 0;
}

/* Strelka SNV: tier-1 counts of each base (AU, CU, GU, TU). */
static int ex_strelka_snv(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth,
                          int64_t *ref, int64_t *alt)
{
    (void)r;
    if (!w->snv)
        return 1;
    int64_t b[4] = {fval(f[0], s, 0), fval(f[1], s, 0), fval(f[2], s, 0), fval(f[3], s, 0)};
    int ir = base_idx(w->ref_base), ia = base_idx(w->alt_base);
    if (ir < 0 || ia < 0 || b[ir] < 0 || b[ia] < 0)
        return 1;
    int64_t sum = 0;
    for (int j = 0; j < 4; j++)
        sum += b[j] > 0 ? b[j] : 0;
    *depth = w->dp >= 0 ? w->dp : sum;
    *ref = b[ir];
    *alt = b[ia];
    return 0;
}

/* Strelka indel: tier-1 TAR (ref) and TIR (alt). */
static int ex_strelka_indel(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth,
                            int64_t *ref, int64_t *alt)
{
    (void)r;
    int64_t tr = fval(f[0], s, 0), ti = fval(f[1], s, 0);
    if (tr < 0 || ti < 0)
        return 1;
    *depth = w->dp >= 0 ? w->dp : tr + ti;
    *ref = tr;
    *alt = w->allele > 0 ? ti : 0;
    return 0;
}

/* VarScan: RD = ref, AD (Number=1) = alt. */
static int ex_varscan(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth,
                      int64_t *ref, int64_t *alt)
{
    if (!ad_is_varscan(r))
        return 1;
    int64_t rd = fval(f[0], s, 0), ad = fval(f[1], s, 0);
    if (rd < 0 || ad < 0)
        return 1;
    *depth = w->dp >= 0 ? w->dp : rd + ad;
    *ref = rd;
    *alt = w->allele == 1 ? ad : 0;
    return 0;
}

/* A frequency (AF, FA, VF or FREQ) and a depth: alt = round(AF x DP). */
static int ex_frequency(rd_t *r, int s, const want_t *w, const ifield_t *const *f, int64_t *depth,
                        int64_t *ref, int64_t *alt)
{
    (void)f;
    if (w->dp < 0)
        return 1;
    double x = 0.0, sum = 0.0;
    int any = 0;
    for (int j = 1; j < r->rec->n_allele; j++) {
        int fr = freq_of(r, s, j, &x);
        if (fr < 0)
            return fr;
        if (fr == 0) {
            sum += x;
            any = 1;
        }
    }
    if (!any)
        return 1;
    if (w->allele > 0) {
        int fr = freq_of(r, s, w->allele, &x);
        if (fr != 0)
            return fr;
        *alt = (int64_t)floor(x * (double)w->dp + 0.5);
        *ref = w->dp - *alt;
    } else {
        *alt = 0;
        *ref = w->dp - (int64_t)floor((sum > 1.0 ? 1.0 : sum) * (double)w->dp + 0.5);
    }
    *depth = w->dp;
    return 0;
}

/* The dialects, tried in this order for every sample of every record; the
 * first whose integer FORMAT tags are all in the record and whose extractor
 * applies gives the counts (vcfin.h, docs/inputs.md).  A new caller: one
 * row and its extractor, the docs and a test. */
typedef struct {
    const char *name;
    const char *tags[MAX_DIALECT_TAGS]; /* integer FORMAT tags it needs, NULL-ended */
    extract_fn extract;
} dialect_t;

static const dialect_t dialects[] = {
    {"AD", {"AD"}, ex_ad},                                /* Number=R: GATK, FreeBayes, bcftools, ... */
    {"strelka_snv", {"AU", "CU", "GU", "TU"}, ex_strelka_snv},
    {"strelka_indel", {"TAR", "TIR"}, ex_strelka_indel},
    {"varscan", {"RD", "AD"}, ex_varscan},
    {"frequency", {NULL}, ex_frequency},                   /* AF/FA/VF/FREQ + DP: LoFreq, Pisces, ... */
};
#define N_DIALECTS ((int)(sizeof(dialects) / sizeof(dialects[0])))
_Static_assert(sizeof(dialects) / sizeof(dialects[0]) <= MAX_DIALECTS, "raise MAX_DIALECTS");

const char *vw_vcfin_dialect_name(int i)
{
    return i >= 0 && i < N_DIALECTS ? dialects[i].name : NULL;
}

static int field_index(const rd_t *r, const char *tag)
{
    for (int k = 0; k < r->f.n_i; k++)
        if (strcmp(r->f.i[k].tag, tag) == 0)
            return k;
    return -1;
}

/* The integer fields to read: base_tags, then every dialect's tags (each
 * once); and each dialect's fields by index. */
static void fields_init(rd_t *r)
{
    fmt_t *f = &r->f;
    for (int k = 0; k < N_BASE_TAGS; k++)
        f->i[f->n_i++].tag = base_tags[k];
    for (int d = 0; d < N_DIALECTS; d++)
        for (int j = 0; j < MAX_DIALECT_TAGS; j++) {
            const char *tag = dialects[d].tags[j];
            r->dfield[d][j] = -1;
            if (!tag)
                break;
            int k = field_index(r, tag);
            if (k < 0 && f->n_i < MAX_TAGS) {
                k = f->n_i++;
                f->i[k].tag = tag;
            }
            r->dfield[d][j] = k;
        }
}

/* Counts of sample s for ALT 'allele' (1-based), or for no listed ALT
 * (allele = 0: alt = 0, or the tier-1 count of 'alt_base' for Strelka).
 * 'snv' = 1 when the allele is a single-base substitution of REF base
 * 'ref_base' by 'alt_base'.  Returns 0, 1 when the fields are missing, or
 * VW_EPARSE. */
static int counts_of(rd_t *r, int s, int allele, int snv, char ref_base, char alt_base, int64_t *depth,
                     int64_t *ref, int64_t *alt)
{
    want_t w = {allele, snv, ref_base, alt_base, depth_of(r, s)};
    for (int d = 0; d < N_DIALECTS; d++) {
        const ifield_t *f[MAX_DIALECT_TAGS] = {NULL};
        int present = 1;
        for (int j = 0; j < MAX_DIALECT_TAGS && dialects[d].tags[j] && present; j++) {
            f[j] = r->dfield[d][j] >= 0 ? &r->f.i[r->dfield[d][j]] : NULL;
            present = f[j] && f[j]->n > 0;
        }
        if (!present)
            continue;
        int rc = dialects[d].extract(r, s, &w, f, depth, ref, alt);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* Undeclared contigs and tags are accepted (htslib adds them to the header);
 * any other parse error is fatal. */

/* ------------------------------------------------------------------ */
/* Records                                                             */

static const char *rid_bare(rd_t *r, int rid)
{
    if (rid >= r->n_rid) {
        int n = rid + 16;
        char **p = realloc(r->rid_bare, (size_t)n * sizeof(char *));
        if (!p)
            return NULL;
        memset(p + r->n_rid, 0, (size_t)(n - r->n_rid) * sizeof(char *));
        r->rid_bare = p;
        r->n_rid = n;
    }
    if (!r->rid_bare[rid])
        r->rid_bare[rid] = bare_name(bcf_hdr_id2name(r->h, rid));
    return r->rid_bare[rid];
}

static int symbolic(const char *a)
{
    return strcmp(a, ".") == 0 || strcmp(a, "*") == 0 || a[0] == '<' || strchr(a, '[') || strchr(a, ']');
}

static int upper_copy(kstring_t *k, const char *s)
{
    ks_clear(k);
    for (; *s; s++)
        if (kputc(toupper((unsigned char)*s), k) < 0)
            return -ENOMEM;
    return 0;
}

/* A reference record (no real ALT): updates the block evidence of every
 * target whose REF span it touches. */
static void take_block(rd_t *r, int lo, const char *bare, hts_pos_t rb, hts_pos_t re)
{
    const vw_targets_t *ts = r->ts;
    for (int k = lo; k < ts->n && strcmp(r->sp[k].bare, bare) == 0 && r->sp[k].span_beg < re; k++) {
        const vw_target_t *t = &ts->t[r->sp[k].ti];
        hts_pos_t tb = t->beg, te = t->beg + r->sp[k].lr;
        if (te <= rb || tb >= re)
            continue;
        for (int s = 0; s < r->n_out; s++) {
            int col = r->smp[s];
            ev_t *e = &r->ev[(size_t)s * (size_t)ts->n + (size_t)r->sp[k].ti];
            int64_t d = depth_of(r, col);
            if (d < 0)
                d = fval(&r->f.i[F_MINDP], col, 0);
            int64_t a0 = fval(&r->f.i[F_AD], col, 0);
            if (d < 0)
                d = a0;
            if (d < 0)
                continue;
            int64_t rf = a0 >= 0 && a0 <= d ? a0 : d;
            if (!e->blk_seen || d < e->blk_depth) {
                e->blk_depth = d;
                e->blk_ref = rf;
            }
            e->blk_seen = 1;
            for (hts_pos_t p = tb > rb ? tb : rb; p < te && p < re && p - tb < 64; p++)
                e->covered |= (uint64_t)1 << (p - tb);
        }
    }
}

static int take_record(rd_t *r)
{
    bcf1_t *rec = r->rec;
    const vw_targets_t *ts = r->ts;
    const char *bare = rid_bare(r, rec->rid);
    if (!bare)
        return -ENOMEM;
    hts_pos_t rb = rec->pos, re = rec->pos + (rec->rlen > 0 ? rec->rlen : 1);
    int lo = spans_lower(r, bare, rb - r->max_span);
    int any = 0;
    for (int k = lo; k < ts->n && strcmp(r->sp[k].bare, bare) == 0 && r->sp[k].span_beg < re; k++)
        if (r->sp[k].span_end > rb)
            any = 1;
    if (!any)
        return 0;
    int real = 0;
    for (int j = 1; j < rec->n_allele; j++)
        real += !symbolic(rec->d.allele[j]);
    if (real == 0) {
        take_block(r, lo, bare, rb, re);
        return 0;
    }
    int used = 0;
    for (int k = lo; k < ts->n && strcmp(r->sp[k].bare, bare) == 0 && r->sp[k].span_beg < re; k++) {
        if (r->sp[k].span_end <= rb)
            continue;
        int ti = r->sp[k].ti;
        const vw_target_t *t = &ts->t[ti];
        int match = 0, all_snv_here = t->kind == VW_KIND_SNV;
        char rbase = 0, abase = 0;
        for (int j = 1; j < rec->n_allele; j++) {
            if (symbolic(rec->d.allele[j]))
                continue;
            hts_pos_t b = rec->pos;
            if (upper_copy(&r->r, rec->d.allele[0]) < 0 || upper_copy(&r->a, rec->d.allele[j]) < 0)
                return -ENOMEM;
            vw_alleles_trim(r->r.s, r->a.s, &b);
            int is_snv = strlen(r->r.s) == 1 && strlen(r->a.s) == 1;
            if (!match && allele_matches(r, t, b, r->r.s, r->a.s)) {
                match = j;
                rbase = is_snv ? r->r.s[0] : 0;
                abase = is_snv ? r->a.s[0] : 0;
            }
            if (!is_snv || b != t->beg || r->r.s[0] != t->ref[0])
                all_snv_here = 0;
        }
        if (!match && !all_snv_here)
            continue;
        used = 1;
        for (int s = 0; s < r->n_out; s++) {
            ev_t *e = &r->ev[(size_t)s * (size_t)ts->n + (size_t)ti];
            int want = match ? EV_CALL : EV_SITE;
            if (e->state >= want)
                continue; /* the first call wins over later duplicates */
            int64_t d, rf, al;
            int rc = match ? counts_of(r, r->smp[s], match, rbase != 0, rbase, abase, &d, &rf, &al)
                           : counts_of(r, r->smp[s], 0, 1, t->ref[0], t->alt[0], &d, &rf, &al);
            if (rc < 0)
                return rc;
            if (rc > 0) {
                if (match)
                    vw_ratewarn(&r->w_missing, "%s: record %ld (%s:%lld): sample %s has no AD, AU/CU/GU/TU, "
                                "TAR/TIR, RD, or AF/FA/VF/FREQ with DP: target %s not assessed", r->path, r->nrec,
                                bcf_seqname_safe(r->h, rec), (long long)rec->pos + 1,
                                r->h->samples[r->smp[s]], t->id);
                continue;
            }
            e->state = want;
            e->depth = d;
            e->ref = rf;
            e->alt = al;
        }
    }
    r->nused += used;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Results                                                             */

/* Contig name of 'chrom' as the VCF spells it. */
static char *vcf_contig(const bcf_hdr_t *h, const char *chrom, int chr)
{
    if (!chrom) /* never; keeps GCC's -Wformat-truncation quiet under -fsanitize=undefined */
        return NULL;
    char v[8][VW_CONTIG_NAMESZ], dflt[VW_CONTIG_NAMESZ];
    int n = vw_contig_spellings(chrom, v, 8);
    for (int i = 0; i < n; i++)
        if (bcf_hdr_name2id(h, v[i]) >= 0)
            return vw_strdup(v[i]);
    /* not in the header: the naming of the VCF's other contigs */
    const char *bare = strncasecmp(chrom, "chr", 3) == 0 && chrom[3] ? chrom + 3 : chrom;
    snprintf(dflt, sizeof dflt, "%s%s", chr == 1 ? "chr" : "", bare);
    return vw_strdup(chr >= 0 ? dflt : chrom);
}

static vw_sample_counts_t *result_of(rd_t *r, int s)
{
    const vw_targets_t *ts = r->ts;
    vw_sample_counts_t *o = calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    int chr = -1;
    o->build = vw_vcfin_build(r->h, &chr);
    if (chr < 0 && r->h->n[BCF_DT_CTG] > 0)
        chr = strncasecmp(r->h->id[BCF_DT_CTG][0].key, "chr", 3) == 0;
    o->sample = vw_strdup(r->h->samples[r->smp[s]]);
    o->path = vw_strdup(r->path);
    o->n = ts->n;
    o->c = calloc((size_t)(ts->n ? ts->n : 1), sizeof(vw_count_t));
    o->chrom = calloc((size_t)(ts->n ? ts->n : 1), sizeof(char *));
    o->n_reads = r->nrec;
    o->n_used = r->nused;
    if (!o->sample || !o->path || !o->c || !o->chrom)
        goto fail;
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        const ev_t *e = &r->ev[(size_t)s * (size_t)ts->n + (size_t)i];
        vw_count_t *c = &o->c[i];
        if (!(o->chrom[i] = vcf_contig(r->h, t->chrom, chr)))
            goto fail;
        int lr = (int)strlen(t->ref);
        uint64_t full = lr >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << lr) - 1;
        if (e->state != EV_NONE) {
            c->depth = e->depth;
            c->ref = e->ref;
            c->alt = e->alt;
        } else if (e->blk_seen && e->covered == full) {
            c->depth = e->blk_depth;
            c->ref = e->blk_ref;
            c->alt = 0;
        } else {
            continue;
        }
        c->assessed = 1;
        c->other = c->depth - c->ref - c->alt;
        if (c->other < 0) {
            if (!r->warned_other++)
                vw_warn("%s: sample %s, target %s: ref + alt (%lld) exceed the depth (%lld); depth raised to "
                        "ref + alt (further cases not reported)", r->path, o->sample, t->id,
                        (long long)(c->ref + c->alt), (long long)c->depth);
            c->other = 0;
            c->depth = c->ref + c->alt;
        }
    }
    return o;
fail:
    vw_sample_counts_destroy(o);
    return NULL;
}

static void reader_free(rd_t *r)
{
    fmt_t *f = &r->f;
    for (int k = 0; k < f->n_i; k++)
        free(f->i[k].v);
    free(f->af);
    free(f->idp);
    if (f->freq) {
        free(f->freq[0]);
        free(f->freq);
    }
    if (r->sp)
        for (int i = 0; i < r->ts->n; i++)
            free(r->sp[i].bare);
    free(r->sp);
    for (int i = 0; i < r->n_rid; i++)
        free(r->rid_bare[i]);
    free(r->rid_bare);
    free(r->ev);
    free(r->smp);
    ks_free(&r->r);
    ks_free(&r->a);
    ks_free(&r->hap);
}

/* Reads and checks the header (format, samples, build) and picks the
 * sample columns.  Returns 0 or an error code (logged). */
static int reader_open(rd_t *r, htsFile *fp, const char *only_sample)
{
    const char *path = r->path;
    if (hts_get_format(fp)->category != variant_data) {
        vw_error("%s: not a VCF or BCF file", path);
        return VW_EFORMAT;
    }
    if (!(r->h = bcf_hdr_read(fp))) {
        vw_error("%s: no valid VCF header", path);
        return VW_EFORMAT;
    }
    if ((r->n_smp = bcf_hdr_nsamples(r->h)) == 0) {
        vw_error("%s: no sample columns (a sites-only VCF carries no counts)", path);
        return VW_EINPUT;
    }
    vw_build_t b = vw_vcfin_build(r->h, NULL);
    if (r->ts->build != VW_BUILD_UNKNOWN && b != VW_BUILD_UNKNOWN && b != r->ts->build) {
        vw_error("%s: the ##contig lengths are %s but the targets are %s; use --build %s or targets of that build",
                 path, vw_build_name(b), vw_build_name(r->ts->build), vw_build_name(b));
        return VW_EBUILD;
    }
    if (!(r->smp = malloc((size_t)r->n_smp * sizeof(int))))
        return -ENOMEM;
    if (only_sample) {
        int id = bcf_hdr_id2int(r->h, BCF_DT_SAMPLE, only_sample);
        if (id < 0) {
            vw_error("%s: no sample column named '%s'", path, only_sample);
            return VW_EINPUT;
        }
        r->smp[0] = id;
        r->n_out = 1;
    } else {
        for (int i = 0; i < r->n_smp; i++)
            r->smp[i] = i;
        r->n_out = r->n_smp;
    }
    r->ev = calloc((size_t)r->n_out * (size_t)(r->ts->n ? r->ts->n : 1), sizeof(ev_t));
    r->rec = bcf_init();
    if (!r->ev || !r->rec || spans_build(r) < 0)
        return -ENOMEM;
    return 0;
}

/* Reads every record.  Returns 0 or an error code (logged). */
static int reader_records(rd_t *r, htsFile *fp)
{
    int k, rc;
    while ((k = bcf_read(fp, r->h, r->rec)) == 0) {
        r->nrec++;
        if (r->rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF))
            return bad_record(r, "malformed record");
        if (bcf_unpack(r->rec, BCF_UN_ALL) < 0 || r->rec->n_allele < 1 || r->rec->pos < 0 ||
            r->rec->pos >= HTS_POS_MAX)
            return bad_record(r, "malformed record");
        if (r->n_smp > 0 && r->rec->n_fmt == 0) /* htslib accepts a line cut short */
            return bad_record(r, "no FORMAT column (fewer than 10 columns: line cut short?)");
        fmt_fetch(r);
        if ((rc = fmt_validate(r)) < 0 || (rc = take_record(r)) < 0)
            return rc;
    }
    if (k < -1 || (r->rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF))) {
        r->nrec++;
        return bad_record(r, "malformed record (or truncated file)");
    }
    vw_ratewarn_summary(&r->w_missing);
    vw_ratewarn_summary(&r->w_adsum);
    return 0;
}

static void results_free(vw_sample_counts_t **out, int n)
{
    if (!out)
        return;
    for (int s = 0; s < n; s++)
        vw_sample_counts_destroy(out[s]);
    free(out);
}

int vw_vcfin_read(const char *path, const vw_targets_t *ts, const char *only_sample, vw_sample_counts_t ***ret,
                  int *ret_n)
{
    if (!path || !ts || !ret || !ret_n)
        return -EINVAL;
    int rc = 0;
    rd_t r;
    memset(&r, 0, sizeof(r));
    fields_init(&r);
    r.path = path;
    r.ts = ts;
    r.w_missing.what = "called targets without usable counts";
    r.w_missing.limit = 5;
    r.w_adsum.what = "records with AD summing above DP";
    r.w_adsum.limit = 3;
    vw_sample_counts_t **out = NULL;
    errno = 0;
    htsFile *fp = hts_open(path, "r");
    if (!fp) {
        rc = errno ? -errno : VW_EFORMAT;
        vw_error_code(rc, "%s: cannot open", path);
    } else if ((rc = reader_open(&r, fp, only_sample)) == 0 && (rc = reader_records(&r, fp)) == 0) {
        if (!(out = calloc((size_t)r.n_out, sizeof(*out))))
            rc = -ENOMEM;
        for (int s = 0; out && s < r.n_out && rc == 0; s++)
            if (!(out[s] = result_of(&r, s)))
                rc = -ENOMEM;
    }
    if (rc == -ENOMEM)
        vw_error_code(rc, "%s", path);
    if (r.rec)
        bcf_destroy(r.rec);
    if (r.h)
        bcf_hdr_destroy(r.h);
    if (fp && hts_close(fp) != 0 && rc == 0) {
        vw_error("%s: error while closing (truncated file?)", path);
        rc = VW_EFORMAT;
    }
    int n_out = r.n_out;
    reader_free(&r);
    if (rc < 0) {
        results_free(out, n_out);
        return rc;
    }
    *ret = out;
    *ret_n = n_out;
    return 0;
}
