/* catalogue.c -- built-in hotspots, user targets, REF checks, build detection. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <htslib/kstring.h>
#include <htslib/hts.h>
#include <htslib/vcf.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "catalogue_builtin.h"

/* ------------------------------------------------------------------ */
/* Target set lifecycle                                                */

vw_targets_t *vw_targets_init(void)
{
    vw_targets_t *ts = calloc(1, sizeof(*ts));
    if (!ts)
        errno = ENOMEM;
    return ts;
}

static void target_free(vw_target_t *t)
{
    free(t->id); free(t->gene); free(t->transcript); free(t->protein);
    free(t->cdna); free(t->context); free(t->chrom); free(t->ref); free(t->alt);
    free(t->win_ref); free(t->win_alt);
}

void vw_targets_destroy(vw_targets_t *ts)
{
    if (!ts)
        return;
    for (int i = 0; i < ts->n; i++)
        target_free(&ts->t[i]);
    free(ts->t);
    free(ts);
}

static char *dup_or_dot(const char *s)
{
    return vw_strdup(s && *s ? s : ".");
}

static char *dup_upper(const char *s)
{
    char *d = vw_strdup(s);
    if (d)
        for (char *p = d; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    return d;
}

/* Appends a target (copies every string).  Returns 0 or -ENOMEM. */
static int targets_add(vw_targets_t *ts, const char *id, const char *gene, const char *transcript,
                       const char *protein, const char *cdna, const char *context, const char *chrom,
                       hts_pos_t beg, const char *ref, const char *alt, char strand, int verified)
{
    if (ts->n == ts->m) {
        int m = ts->m ? ts->m * 2 : 64;
        vw_target_t *t = realloc(ts->t, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        ts->t = t;
        ts->m = m;
    }
    vw_target_t *t = &ts->t[ts->n];
    memset(t, 0, sizeof(*t));
    t->gene = dup_or_dot(gene);
    t->transcript = dup_or_dot(transcript);
    t->protein = dup_or_dot(protein);
    t->cdna = dup_or_dot(cdna);
    t->context = dup_or_dot(context);
    t->chrom = vw_strdup(chrom);
    t->ref = dup_upper(ref);
    t->alt = dup_upper(alt);
    t->beg = beg;
    t->strand = strand;
    t->verified = verified;
    if (id && *id && strcmp(id, ".") != 0) {
        t->id = vw_strdup(id);
    } else {
        kstring_t ks = {0, 0, NULL};
        if (gene && *gene && strcmp(gene, ".") && protein && *protein && strcmp(protein, ".")) {
            const char *p = strncmp(protein, "p.", 2) == 0 ? protein + 2 : protein;
            ksprintf(&ks, "%s_%s", gene, p);
            if (cdna && *cdna && strcmp(cdna, "."))
                ksprintf(&ks, "_%s", cdna);
        } else {
            ksprintf(&ks, "%s:%lld:%s:%s", chrom, (long long)beg + 1, t->ref ? t->ref : "", t->alt ? t->alt : "");
        }
        t->id = ks.s;
    }
    if (!t->gene || !t->transcript || !t->protein || !t->cdna || !t->context || !t->chrom || !t->ref
        || !t->alt || !t->id) {
        target_free(t);
        return -ENOMEM;
    }
    ts->n++;
    vw_target_classify(t);
    return t->win_ref && t->win_alt ? 0 : -ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Classification and trimming                                         */

static char *substr_dup(const char *s, size_t off, size_t len)
{
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s + off, len);
    d[len] = '\0';
    return d;
}

void vw_target_classify(vw_target_t *t)
{
    size_t lr = strlen(t->ref), la = strlen(t->alt);
    free(t->win_ref); free(t->win_alt);
    t->win_ref = t->win_alt = NULL;
    if (lr == la) {
        t->kind = lr == 1 ? VW_KIND_SNV : VW_KIND_MNV;
        t->win_beg = t->beg;
        t->win_end = t->beg + (hts_pos_t)lr;
        t->win_ref = vw_strdup(t->ref);
        t->win_alt = vw_strdup(t->alt);
        return;
    }
    int anchored = t->ref[0] == t->alt[0];
    if (anchored && la == 1)
        t->kind = VW_KIND_DEL;
    else if (anchored && lr == 1)
        t->kind = VW_KIND_INS;
    else
        t->kind = VW_KIND_COMPLEX;
    size_t off = anchored ? 1 : 0;
    t->win_beg = t->beg + (hts_pos_t)off;
    t->win_end = t->beg + (hts_pos_t)lr;
    t->win_ref = substr_dup(t->ref, off, lr - off);
    t->win_alt = substr_dup(t->alt, off, la - off);
}

/* Trims shared suffix (keeping >= 1 base each) and shared prefix: for
 * equal lengths completely (moving beg), for indels down to one anchor. */
void vw_alleles_trim(char *ref, char *alt, hts_pos_t *beg)
{
    size_t lr = strlen(ref), la = strlen(alt);
    while (lr > 1 && la > 1 && ref[lr - 1] == alt[la - 1]) {
        ref[--lr] = '\0';
        alt[--la] = '\0';
    }
    size_t k = 0;
    if (lr == la) {
        while (k + 1 < lr && ref[k] == alt[k])
            k++;
    } else {
        while (k + 1 < lr && k + 1 < la && ref[k] == alt[k] && ref[k + 1] == alt[k + 1])
            k++;
    }
    if (k > 0) {
        memmove(ref, ref + k, lr - k + 1);
        memmove(alt, alt + k, la - k + 1);
        *beg += (hts_pos_t)k;
    }
}

static int valid_allele(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!strchr("ACGTNacgtn", *s))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Built-in table                                                      */

int vw_catalogue_builtin_size(void) { return vw_builtin_n; }

int vw_catalogue_builtin(vw_targets_t *ts, vw_build_t build)
{
    if (!ts || (build != VW_BUILD_GRCH37 && build != VW_BUILD_GRCH38))
        return -EINVAL;
    for (int i = 0; i < vw_builtin_n; i++) {
        const vw_builtin_row_t *r = &vw_builtin_rows[i];
        long pos = build == VW_BUILD_GRCH37 ? r->pos37 : r->pos38;
        int ret = targets_add(ts, NULL, r->gene, r->transcript, r->protein, r->cdna, r->context, r->chrom,
                              (hts_pos_t)pos - 1, r->ref, r->alt, r->strand, r->verified);
        if (ret < 0)
            return ret;
    }
    ts->build = build;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Builds and contig names                                             */

typedef struct { const char *name; long len37, len38; } known_len_t;
/* Primary-assembly lengths of the chromosomes the catalogue uses, and a few
 * more, enough to tell the two builds apart from any whole-genome header. */
static const known_len_t known_lens[] = {
    {"1", 249250621, 248956422}, {"2", 243199373, 242193529}, {"3", 198022430, 198295559},
    {"7", 159138663, 159345973}, {"12", 133851895, 133275309}, {"14", 107349540, 107043718},
    {"15", 102531392, 101991189}, {"17", 81195210, 83257441}, {"X", 155270560, 156040895},
    {NULL, 0, 0}
};

static const char *strip_chr(const char *s)
{
    return strncasecmp(s, "chr", 3) == 0 ? s + 3 : s;
}

hts_pos_t vw_build_contig_length(vw_build_t b, const char *chrom)
{
    if (!chrom || (b != VW_BUILD_GRCH37 && b != VW_BUILD_GRCH38))
        return 0;
    const char *c = strip_chr(chrom);
    for (const known_len_t *k = known_lens; k->name; k++)
        if (strcmp(k->name, c) == 0)
            return b == VW_BUILD_GRCH37 ? k->len37 : k->len38;
    return 0;
}

typedef struct { int n37, n38, chr; } build_acc_t;

static void build_acc_add(build_acc_t *a, const char *name, hts_pos_t len)
{
    const char *bare = strip_chr(name);
    for (const known_len_t *k = known_lens; k->name; k++) {
        if (strcmp(bare, k->name) != 0)
            continue;
        if (len == k->len37)
            a->n37++;
        else if (len == k->len38)
            a->n38++;
        if (a->chr < 0)
            a->chr = bare != name;
    }
}

static vw_build_t build_acc_result(const build_acc_t *a, int *ret_chr)
{
    if (ret_chr)
        *ret_chr = a->chr;
    if (a->n37 > 0 && a->n38 == 0)
        return VW_BUILD_GRCH37;
    if (a->n38 > 0 && a->n37 == 0)
        return VW_BUILD_GRCH38;
    return VW_BUILD_UNKNOWN;
}

vw_build_t vw_build_detect(const sam_hdr_t *h, int *ret_chr)
{
    build_acc_t a = {0, 0, -1};
    int n = sam_hdr_nref(h);
    for (int i = 0; i < n; i++)
        build_acc_add(&a, sam_hdr_tid2name(h, i), sam_hdr_tid2len(h, i));
    return build_acc_result(&a, ret_chr);
}

vw_build_t vw_build_from_lengths(int n, const char *const *names, const hts_pos_t *lens, int *ret_chr)
{
    build_acc_t a = {0, 0, -1};
    for (int i = 0; i < n; i++)
        if (names[i])
            build_acc_add(&a, names[i], lens ? lens[i] : 0);
    return build_acc_result(&a, ret_chr);
}

vw_build_t vw_build_parse(const char *s)
{
    if (!s)
        return VW_BUILD_UNKNOWN;
    if (!strcasecmp(s, "GRCh37") || !strcasecmp(s, "hg19") || !strcmp(s, "37") || !strcasecmp(s, "b37"))
        return VW_BUILD_GRCH37;
    if (!strcasecmp(s, "GRCh38") || !strcasecmp(s, "hg38") || !strcmp(s, "38"))
        return VW_BUILD_GRCH38;
    return VW_BUILD_UNKNOWN;
}

const char *vw_build_name(vw_build_t b)
{
    return b == VW_BUILD_GRCH37 ? "GRCh37" : b == VW_BUILD_GRCH38 ? "GRCh38" : "unknown";
}

int vw_contig_tid(const sam_hdr_t *h, const char *chrom)
{
    char v[8][VW_CONTIG_NAMESZ];
    int n = vw_contig_spellings(chrom, v, 8);
    for (int i = 0; i < n; i++) {
        int tid = sam_hdr_name2tid((sam_hdr_t *)h, v[i]);
        if (tid >= 0)
            return tid;
    }
    return -1;
}

static const char *fai_contig(const faidx_t *fai, const char *chrom, char buf[8][VW_CONTIG_NAMESZ])
{
    int n = vw_contig_spellings(chrom, buf, 8);
    for (int i = 0; i < n; i++)
        if (faidx_has_seq(fai, buf[i]))
            return buf[i];
    return NULL;
}

void vw_targets_set_naming(vw_targets_t *ts, int chr)
{
    for (int i = 0; i < ts->n; i++) {
        vw_target_t *t = &ts->t[i];
        const char *bare = strip_chr(t->chrom);
        int has = bare != t->chrom;
        if (chr == has)
            continue;
        char buf[256];
        if (chr)
            snprintf(buf, sizeof(buf), "chr%s", strcmp(bare, "MT") == 0 ? "M" : bare);
        else
            snprintf(buf, sizeof(buf), "%s", strcmp(bare, "M") == 0 ? "MT" : bare);
        char *d = vw_strdup(buf);
        if (d) {
            free(t->chrom);
            t->chrom = d;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Sorting                                                             */

static long contig_rank(const char *c)
{
    const char *b = vw_contig_bare(c);
    char *end;
    long v = strtol(b, &end, 10);
    if (end != b && *end == '\0' && v > 0)
        return v;
    if (!strcmp(b, "X")) return 1000;
    if (!strcmp(b, "Y")) return 1001;
    if (!strcmp(b, "MT")) return 1002;
    return 2000;
}

static int target_cmp(const void *a, const void *b)
{
    const vw_target_t *x = a, *y = b;
    long rx = contig_rank(x->chrom), ry = contig_rank(y->chrom);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    int c = strcmp(strip_chr(x->chrom), strip_chr(y->chrom));
    if (c)
        return c;
    if (x->beg != y->beg)
        return x->beg < y->beg ? -1 : 1;
    c = strcmp(x->ref, y->ref);
    if (c)
        return c;
    return strcmp(x->alt, y->alt);
}

void vw_targets_filter(vw_targets_t *ts, const uint8_t *keep)
{
    int k = 0;
    for (int i = 0; i < ts->n; i++) {
        if (keep[i])
            ts->t[k++] = ts->t[i];
        else
            target_free(&ts->t[i]);
    }
    ts->n = k;
}

typedef struct { vw_target_t t; int idx; } tagged_t;

static int tagged_cmp(const void *a, const void *b)
{
    const tagged_t *x = a, *y = b;
    int c = target_cmp(&x->t, &y->t);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

int vw_targets_sort_unique(vw_targets_t *ts)
{
    if (!ts || ts->n == 0)
        return 0;
    tagged_t *tg = malloc((size_t)ts->n * sizeof(*tg));
    if (!tg) {
        /* without memory for the tags, sort in place (duplicates may keep another one) */
        qsort(ts->t, (size_t)ts->n, sizeof(vw_target_t), target_cmp);
    } else {
        for (int i = 0; i < ts->n; i++) {
            tg[i].t = ts->t[i];
            tg[i].idx = i;
        }
        qsort(tg, (size_t)ts->n, sizeof(*tg), tagged_cmp);
        for (int i = 0; i < ts->n; i++)
            ts->t[i] = tg[i].t;
        free(tg);
    }
    int k = 0, removed = 0;
    for (int i = 0; i < ts->n; i++) {
        if (k > 0 && target_cmp(&ts->t[k - 1], &ts->t[i]) == 0) {
            ts->t[k - 1].known |= ts->t[i].known; /* a patient's own target stays known */
            target_free(&ts->t[i]);
            removed++;
            continue;
        }
        ts->t[k++] = ts->t[i];
    }
    ts->n = k;
    return removed;
}

/* ------------------------------------------------------------------ */
/* Reference check and repeat-equivalence windows                      */

/* Fetches [beg, end) of a contig, upper-cased; NULL if out of range. */
static char *fetch(const faidx_t *fai, const char *ctg, hts_pos_t beg, hts_pos_t end)
{
    hts_pos_t len = 0;
    if (beg < 0)
        return NULL;
    char *s = faidx_fetch_seq64(fai, ctg, beg, end - 1, &len);
    if (!s)
        return NULL;
    if (len != end - beg) {
        free(s);
        return NULL;
    }
    for (char *p = s; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

/* Extends an indel's window over its repeat: shift the event left and
 * right while the haplotype stays the same.  'seq' holds [sbeg, sbeg+slen). */
static int indel_window(vw_target_t *t, const char *seq, hts_pos_t sbeg, hts_pos_t slen)
{
#define REF_AT(p) ((p) >= sbeg && (p) < sbeg + slen ? seq[(p) - sbeg] : '\0')
    if (t->kind == VW_KIND_DEL) {
        hts_pos_t L = (hts_pos_t)strlen(t->win_ref);
        hts_pos_t s = t->win_beg, l = s, r = s;
        while (REF_AT(l - 1) && REF_AT(l - 1) == REF_AT(l + L - 1))
            l--;
        while (REF_AT(r) && REF_AT(r) == REF_AT(r + L))
            r++;
        hts_pos_t wb = l, we = r + L;
        char *wr = malloc((size_t)(we - wb) + 1), *wa = malloc((size_t)(we - wb - L) + 1);
        if (!wr || !wa) {
            free(wr); free(wa);
            return -ENOMEM;
        }
        for (hts_pos_t p = wb; p < we; p++)
            wr[p - wb] = REF_AT(p);
        wr[we - wb] = '\0';
        memcpy(wa, wr + L, (size_t)(we - wb - L));
        wa[we - wb - L] = '\0';
        free(t->win_ref); free(t->win_alt);
        t->win_ref = wr; t->win_alt = wa;
        t->win_beg = wb; t->win_end = we;
    } else if (t->kind == VW_KIND_INS) {
        size_t L = strlen(t->win_alt);
        char *ins = vw_strdup(t->win_alt);
        if (!ins)
            return -ENOMEM;
        hts_pos_t l = t->win_beg, r = t->win_beg;
        /* left: rotate right while the base before equals the last inserted base */
        while (REF_AT(l - 1) && REF_AT(l - 1) == ins[L - 1]) {
            char c = ins[L - 1];
            memmove(ins + 1, ins, L - 1);
            ins[0] = c;
            l--;
        }
        /* 'ins' is now the leftmost rotation; the right end only needs a scan */
        char *rot = vw_strdup(t->win_alt);
        if (!rot) {
            free(ins);
            return -ENOMEM;
        }
        while (REF_AT(r) && REF_AT(r) == rot[0]) {
            char c = rot[0];
            memmove(rot, rot + 1, L - 1);
            rot[L - 1] = c;
            r++;
        }
        free(rot);
        hts_pos_t wb = l, we = r;
        char *wr = malloc((size_t)(we - wb) + 1), *wa = malloc((size_t)(we - wb) + L + 1);
        if (!wr || !wa) {
            free(wr); free(wa); free(ins);
            return -ENOMEM;
        }
        for (hts_pos_t p = wb; p < we; p++)
            wr[p - wb] = REF_AT(p);
        wr[we - wb] = '\0';
        memcpy(wa, ins, L);
        memcpy(wa + L, wr, (size_t)(we - wb) + 1);
        free(ins);
        free(t->win_ref); free(t->win_alt);
        t->win_ref = wr; t->win_alt = wa;
        t->win_beg = wb; t->win_end = we;
    }
    return 0;
#undef REF_AT
}

int vw_targets_check_ref(vw_targets_t *ts, const faidx_t *fai, const char *fasta_path)
{
    int bad = 0;
    char vbuf[8][VW_CONTIG_NAMESZ];
    for (int i = 0; i < ts->n; i++) {
        vw_target_t *t = &ts->t[i];
        const char *ctg = fai_contig(fai, t->chrom, vbuf);
        if (!ctg) {
            vw_error("%s: contig '%s' of target %s is not in the reference", fasta_path, t->chrom, t->id);
            return VW_EBUILD;
        }
        hts_pos_t rl = (hts_pos_t)strlen(t->ref);
        char *s = fetch(fai, ctg, t->beg, t->beg + rl);
        if (!s) {
            vw_error("%s: target %s (%s:%lld) lies outside contig '%s'", fasta_path, t->id, t->chrom,
                     (long long)t->beg + 1, ctg);
            return VW_EBUILD;
        }
        if (strcmp(s, t->ref) != 0) {
            vw_warn("%s: target %s at %s:%lld has REF %s but the reference has %s", fasta_path, t->id,
                    t->chrom, (long long)t->beg + 1, t->ref, s);
            bad++;
        }
        free(s);
        if (t->kind == VW_KIND_DEL || t->kind == VW_KIND_INS) {
            /* fetch a generous neighbourhood; repeats longer than this are clipped */
            hts_pos_t pad = 1000, clen = faidx_seq_len(fai, ctg);
            hts_pos_t b = t->beg > pad ? t->beg - pad : 0;
            hts_pos_t e = t->beg + rl + pad < clen ? t->beg + rl + pad : clen;
            char *nb = fetch(fai, ctg, b, e);
            if (!nb)
                return VW_EBUILD;
            int ret = indel_window(t, nb, b, e - b);
            free(nb);
            if (ret < 0)
                return ret;
        }
    }
    return bad;
}

/* ------------------------------------------------------------------ */
/* Loading user targets                                                */

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int add_trimmed(vw_targets_t *ts, const char *id, const char *gene, const char *transcript,
                       const char *protein, const char *cdna, const char *context, const char *chrom,
                       hts_pos_t beg, const char *ref, const char *alt, char strand)
{
    char *r = dup_upper(ref), *a = dup_upper(alt);
    int ret = -ENOMEM;
    if (r && a) {
        vw_alleles_trim(r, a, &beg);
        ret = targets_add(ts, id, gene, transcript, protein, cdna, context, chrom, beg, r, a, strand, 1);
    }
    free(r); free(a);
    return ret;
}

static int load_vcf(vw_targets_t *ts, const char *path)
{
    int ret = 0;
    htsFile *fp = hts_open(path, "r");
    if (!fp) {
        ret = errno ? -errno : VW_EFORMAT;
        vw_error_code(ret, "%s: cannot open", path);
        return ret;
    }
    bcf_hdr_t *h = bcf_hdr_read(fp);
    bcf1_t *rec = bcf_init();
    if (!h || !rec) {
        vw_error("%s: not a valid VCF/BCF (no header)", path);
        ret = VW_EFORMAT;
        goto out;
    }
    char *gene = NULL, *aa = NULL, *cdna = NULL;
    int mg = 0, ma = 0, mc = 0;
    long n = 0;
    int r;
    while ((r = bcf_read(fp, h, rec)) == 0) {
        n++;
        if (bcf_unpack(rec, BCF_UN_STR | BCF_UN_INFO) < 0) {
            vw_error("%s: record %ld: cannot be decoded", path, n);
            ret = VW_EPARSE;
            break;
        }
        /* htslib accepts a line cut short (no REF) or a POS that is not a
         * number (pos -1) without an error code: reject both here. */
        if ((rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) || rec->n_allele < 1 || rec->pos < 0 || rec->pos >= HTS_POS_MAX) {
            vw_error("%s: record %ld: malformed (fewer than 8 columns, or POS not a 1-based position)", path, n);
            ret = VW_EPARSE;
            break;
        }
        const char *chrom = bcf_seqname(h, rec);
        const char *ref = rec->d.allele[0];
        if (!chrom || !valid_allele(ref)) {
            vw_error("%s: record %ld (%s:%lld): REF '%s' is not a DNA sequence", path, n,
                     chrom ? chrom : "?", (long long)rec->pos + 1, ref);
            ret = VW_EPARSE;
            break;
        }
        const char *g = bcf_get_info_string(h, rec, "GENE", &gene, &mg) > 0 ? gene : ".";
        const char *p = bcf_get_info_string(h, rec, "AA", &aa, &ma) > 0 ? aa : ".";
        const char *c = bcf_get_info_string(h, rec, "CDNA", &cdna, &mc) > 0 ? cdna : ".";
        const char *id = rec->d.id && strcmp(rec->d.id, ".") ? rec->d.id : NULL;
        for (int k = 1; k < rec->n_allele; k++) {
            const char *alt = rec->d.allele[k];
            if (!valid_allele(alt)) {
                vw_warn("%s: record %ld (%s:%lld): ALT '%s' skipped (not a DNA sequence)", path, n, chrom,
                        (long long)rec->pos + 1, alt);
                continue;
            }
            /* IDs of multi-allelic records are made unique per allele */
            kstring_t kid = {0, 0, NULL};
            if (id && rec->n_allele > 2)
                ksprintf(&kid, "%s_%s", id, alt);
            int ar = add_trimmed(ts, kid.s ? kid.s : id, g, ".", p, c, ".", chrom, rec->pos, ref, alt, '.');
            free(kid.s);
            if (ar < 0) {
                ret = ar;
                goto done;
            }
        }
    }
    if (ret == 0 && r < -1) {
        vw_error("%s: record %ld: malformed (or the file is truncated or corrupt)", path, n + 1);
        ret = VW_EFORMAT;
    }
done:
    free(gene); free(aa); free(cdna);
out:
    bcf_destroy(rec);
    if (h)
        bcf_hdr_destroy(h);
    hts_close(fp);
    return ret;
}

static int load_bed(vw_targets_t *ts, const char *path, const faidx_t *fai)
{
    if (!fai) {
        vw_error("%s: BED targets need --reference to know the reference base at each position", path);
        return VW_EINPUT;
    }
    vw_table_t *t = NULL;
    int ret = vw_table_open(path, "BED file", &t);
    if (ret < 0)
        return ret;
    char vbuf[8][VW_CONTIG_NAMESZ], *s;
    while ((ret = vw_table_next_line(t, &s)) == 1) {
        long line = vw_table_lineno(t);
        ret = 0;
        if (!*s || s[0] == '#' || !strncmp(s, "track", 5) || !strncmp(s, "browser", 7))
            continue;
        char *f[8];
        int nf = vw_split_tabs(s, f, 8);
        long b, e;
        if (nf < 3 || vw_parse_long(f[1], &b) || vw_parse_long(f[2], &e) || b < 0 || e <= b) {
            vw_error("%s:%ld: expected 'chrom<TAB>start<TAB>end' with 0 <= start < end", path, line);
            ret = VW_EPARSE;
            break;
        }
        if (e - b > 10000) {
            vw_error("%s:%ld: region of %ld bp; BED targets are for hotspots (at most 10,000 bp a line)", path,
                     line, e - b);
            ret = VW_EPARSE;
            break;
        }
        const char *ctg = fai_contig(fai, f[0], vbuf);
        char *seq = ctg ? fetch(fai, ctg, b, e) : NULL;
        if (!seq) {
            vw_error("%s:%ld: region %s:%ld-%ld is not in the reference", path, line, f[0], b + 1, e);
            ret = VW_EBUILD;
            break;
        }
        const char *name = nf >= 4 ? f[3] : NULL;
        for (long p = b; p < e && ret == 0; p++) {
            char ref[2] = {seq[p - b], 0};
            if (!strchr("ACGT", ref[0]))
                continue;
            for (const char *a = "ACGT"; *a && ret == 0; a++) {
                if (*a == ref[0])
                    continue;
                char alt[2] = {*a, 0};
                kstring_t id = {0, 0, NULL};
                ksprintf(&id, "%s%s%s:%ld:%s:%s", name ? name : "", name ? "_" : "", f[0], p + 1, ref, alt);
                ret = targets_add(ts, id.s, name, ".", ".", ".", ".", f[0], p, ref, alt, '.', 1);
                free(id.s);
            }
        }
        free(seq);
        if (ret < 0)
            break;
    }
    vw_table_close(t);
    return ret;
}

enum { C_CHROM, C_POS, C_REF, C_ALT, C_ID, C_GENE, C_PROT, C_CDNA, C_TX, C_STRAND, C_CTX, C_CHR, C_N };

/* The columns of a TSV target list, matched in any case; 'chr' is another
 * name of 'chrom'.  The first four are needed (checked by load_tsv, which
 * names the missing one). */
static const vw_table_col_t tsv_cols[C_N] = {
    {"chrom", 0}, {"pos", 0}, {"ref", 0}, {"alt", 0}, {"id", 0}, {"gene", 0}, {"protein", 0}, {"cdna", 0},
    {"transcript", 0}, {"strand", 0}, {"context", 0}, {"chr", 0}};

/* Adds the target of one row.  Returns 0 or a negative code (logged). */
static int tsv_row(vw_targets_t *ts, const char *path, long line, char **f, const int *col)
{
    long pos;
    if (vw_table_parse_long(f[col[C_POS]], 1, LONG_MAX, &pos)) {
        vw_table_error(path, line, "pos", "'%s' is not a 1-based position", f[col[C_POS]]);
        return VW_EPARSE;
    }
    if (!valid_allele(f[col[C_REF]]) || !valid_allele(f[col[C_ALT]])) {
        vw_error("%s:%ld: columns 'ref'/'alt': '%s'/'%s' are not DNA sequences", path, line, f[col[C_REF]],
                 f[col[C_ALT]]);
        return VW_EPARSE;
    }
    if (!strcasecmp(f[col[C_REF]], f[col[C_ALT]])) {
        vw_error("%s:%ld: ref and alt are the same ('%s')", path, line, f[col[C_REF]]);
        return VW_EPARSE;
    }
#define OPT(c) (col[c] >= 0 ? f[col[c]] : NULL)
    char strand = '.';
    if (OPT(C_STRAND) && (OPT(C_STRAND)[0] == '+' || OPT(C_STRAND)[0] == '-'))
        strand = OPT(C_STRAND)[0];
    return add_trimmed(ts, OPT(C_ID), OPT(C_GENE), OPT(C_TX), OPT(C_PROT), OPT(C_CDNA), OPT(C_CTX),
                       f[col[C_CHROM]], pos - 1, f[col[C_REF]], f[col[C_ALT]], strand);
#undef OPT
}

static int load_tsv(vw_targets_t *ts, const char *path)
{
    vw_table_t *t = NULL;
    int col[C_N], ret, need = 0;
    long n_rows = 0;
    char **f;
    if ((ret = vw_table_open(path, "targets file", &t)) < 0)
        return ret;
    ret = vw_table_header(t, "targets file", tsv_cols, C_N,
                          VW_TABLE_NOCASE | VW_TABLE_RAGGED | VW_TABLE_UNKNOWN_IGNORE, col);
    if (ret < 0)
        goto out;
    if (col[C_CHROM] < 0)
        col[C_CHROM] = col[C_CHR];
    for (int c = 0; c <= C_ALT; c++) {
        if (col[c] < 0) {
            vw_error("%s:%ld: header lacks column '%s' (need chrom, pos, ref, alt)", path, vw_table_lineno(t),
                     tsv_cols[c].name);
            ret = VW_EPARSE;
            goto out;
        }
    }
    for (int c = 0; c < C_N; c++)
        if (col[c] + 1 > need)
            need = col[c] + 1;
    while ((ret = vw_table_row(t, &f)) == 1) {
        int nf = vw_table_nfields(t);
        if (nf < need) {
            vw_error("%s:%ld: %d fields, the header has at least %d", path, vw_table_lineno(t), nf, need);
            ret = VW_EPARSE;
            goto out;
        }
        if ((ret = tsv_row(ts, path, vw_table_lineno(t), f, col)) < 0)
            goto out;
        n_rows++;
    }
    if (ret == 0 && n_rows == 0) {
        vw_error("%s: no targets: the file has a header but no data rows", path);
        ret = VW_EPARSE;
    }
out:
    vw_table_close(t);
    return ret;
}

int vw_targets_load(vw_targets_t *ts, const char *path, const faidx_t *fai)
{
    if (!ts || !path)
        return -EINVAL;
    if (ends_with(path, ".vcf") || ends_with(path, ".vcf.gz") || ends_with(path, ".bcf"))
        return load_vcf(ts, path);
    if (ends_with(path, ".bed") || ends_with(path, ".bed.gz"))
        return load_bed(ts, path, fai);
    return load_tsv(ts, path);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

int vw_targets_write_tsv(FILE *fp, const vw_targets_t *ts)
{
    fputs("#id\tgene\ttranscript\tprotein\tcdna\tchrom\tpos\tref\talt\tkind\tgene_strand\tverified\tbuild\tcontext\n",
          fp);
    static const char *kinds[] = {"snv", "mnv", "del", "ins", "complex"};
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        fprintf(fp, "%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\t%s\t%c\t%s\t%s\t%s\n", t->id, t->gene, t->transcript,
                t->protein, t->cdna, t->chrom, (long long)t->beg + 1, t->ref, t->alt, kinds[t->kind], t->strand,
                t->verified ? "yes" : "no", ts->build ? vw_build_name(ts->build) : "NA", t->context);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
