/* call_vcf.c -- the calls as a bgzipped, indexed multi-sample VCF. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>
#include <htslib/khash.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <htslib/faidx.h>

#include "vafwatch/call.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/log.h"

KHASH_MAP_INIT_STR(vw_site, int)

/* INFO values may not hold ';', '=', ',', spaces or tabs. */
static void info_safe(kstring_t *ks, const char *s)
{
    ks->l = 0;
    kputs(s ? s : ".", ks);
    for (size_t i = 0; i < ks->l; i++)
        if (strchr(";=, \t", ks->s[i]))
            ks->s[i] = '_';
}

/* FILTER: PASS when some sample detects the allele; else the reasons (FT)
 * of the samples whose significant call was vetoed; not_detected when no
 * sample detects it. */
static const char *hdr_lines[] = {
    "##INFO=<ID=GENE,Number=A,Type=String,Description=\"Gene\">",
    "##INFO=<ID=PROTEIN,Number=A,Type=String,Description=\"HGVS protein change\">",
    "##INFO=<ID=CDNA,Number=A,Type=String,Description=\"HGVS cDNA change\">",
    "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Fragments with REF and with ALT\">",
    "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Informative fragments (ref + alt + other)\">",
    "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"Variant allele fraction alt/DP\">",
    "##FORMAT=<ID=PV,Number=A,Type=Float,Description=\"One-sided p-value against the background\">",
    "##FORMAT=<ID=QV,Number=A,Type=Float,Description=\"p-value adjusted across the targets of the sample\">",
    "##FORMAT=<ID=LOD,Number=A,Type=Float,Description=\"VAF detected with 95% probability at this depth\">",
    "##FORMAT=<ID=DET,Number=A,Type=Integer,Description=\"Detected: 1 yes, 0 no, missing when not assessable\">",
    "##FORMAT=<ID=FT,Number=1,Type=String,Description=\"Sample filter: PASS, or the flags that made a significant call not detected (--veto)\">",
    "##FORMAT=<ID=EC,Number=1,Type=String,Description=\"Evidence class the call rests on: fragment, read, molecule, molecule_fN (families >= N), duplex, duplex_fN\">",
    "##FILTER=<ID=strand_bias,Description=\"Alt strands far from the site's strand balance (binomial test)\">",
    "##FILTER=<ID=low_alt_bq,Description=\"Mean base quality of the alt support below the minimum\">",
    "##FILTER=<ID=possible_germline,Description=\"VAF near 50 % or 100 %\">",
    "##FILTER=<ID=noisy_site,Description=\"Alt support in many normals of the panel\">",
    "##FILTER=<ID=low_depth,Description=\"Depth below the minimum\">",
    "##FILTER=<ID=discordant_mates,Description=\"Discordant mates above a share of the depth\">",
    "##FILTER=<ID=not_detected,Description=\"Not detected in any sample\">",
    NULL
};

int vw_calls_write_vcf(const vw_calls_t *cs, const char *path, const char *version, const char *command)
{
    vw_calls_vcf_opt_t o = {version, command, VW_BUILD_UNKNOWN, NULL};
    return vw_calls_write_vcf_opt(cs, path, &o);
}

/* The sites and samples of the calls, in order of first appearance, and
 * the calls of each site as a linked list (head[site], next[call]). */
typedef struct {
    int n_samples, n_sites;
    char **samples;           /* borrowed from the calls */
    int *site_call;           /* first call of each site */
    int *call_site, *call_sample;
    int *head, *next;
} layout_t;

static void layout_free(layout_t *l)
{
    free(l->samples); free(l->site_call); free(l->call_site); free(l->call_sample);
    free(l->head); free(l->next);
}

static void site_keys_free(khash_t(vw_site) *hs)
{
    if (!hs)
        return;
    for (khint_t k = kh_begin(hs); k != kh_end(hs); k++)
        if (kh_exist(hs, k))
            free((char *)kh_key(hs, k));
    kh_destroy(vw_site, hs);
}

/* Numbers the samples and the sites (keys point into the calls). */
static int layout_index(const vw_calls_t *cs, layout_t *l, khash_t(vw_site) *hs, khash_t(vw_site) *hn,
                        kstring_t *key)
{
    for (int i = 0; i < cs->n; i++) {
        const vw_call_t *c = &cs->c[i];
        int absent;
        khint_t k = kh_put(vw_site, hn, c->sample, &absent);
        if (absent < 0)
            return -ENOMEM;
        if (absent) {
            kh_val(hn, k) = l->n_samples;
            l->samples[l->n_samples++] = c->sample;
        }
        l->call_sample[i] = kh_val(hn, k);
        key->l = 0;
        ksprintf(key, "%s\t%lld\t%s\t%s", c->chrom, (long long)c->pos1, c->ref, c->alt);
        k = kh_get(vw_site, hs, key->s);
        if (k == kh_end(hs)) {
            char *ks = strdup(key->s);
            if (!ks)
                return -ENOMEM;
            k = kh_put(vw_site, hs, ks, &absent);
            if (absent < 0) {
                free(ks);
                return -ENOMEM;
            }
            kh_val(hs, k) = l->n_sites;
            l->site_call[l->n_sites++] = i;
        }
        l->call_site[i] = kh_val(hs, k);
    }
    return 0;
}

/* Fills *l (zeroed by the caller).  Returns 0 or -ENOMEM. */
static int layout_build(const vw_calls_t *cs, layout_t *l)
{
    size_t n = (size_t)cs->n + 1;
    l->samples = calloc(n, sizeof(char *));
    l->site_call = calloc(n, sizeof(int));
    l->call_site = calloc(n, sizeof(int));
    l->call_sample = calloc(n, sizeof(int));
    l->next = malloc(sizeof(int) * n);
    khash_t(vw_site) *hs = kh_init(vw_site), *hn = kh_init(vw_site);
    kstring_t key = {0, 0, NULL};
    int ret = -ENOMEM;
    if (l->samples && l->site_call && l->call_site && l->call_sample && l->next && hs && hn)
        ret = layout_index(cs, l, hs, hn, &key);
    if (ret == 0 && !(l->head = malloc(sizeof(int) * (size_t)(l->n_sites + 1))))
        ret = -ENOMEM;
    if (ret == 0) {
        for (int s = 0; s < l->n_sites; s++)
            l->head[s] = -1;
        for (int i = cs->n - 1; i >= 0; i--) {
            l->next[i] = l->head[l->call_site[i]];
            l->head[l->call_site[i]] = i;
        }
    }
    site_keys_free(hs);
    if (hn)
        kh_destroy(vw_site, hn);
    free(key.s);
    return ret;
}

/* ##vafwatchVersion, ##vafwatchCommand and ##reference; returns the
 * reference index for contig lengths (or NULL). */
static faidx_t *header_meta(bcf_hdr_t *h, const vw_calls_vcf_opt_t *o, kstring_t *val)
{
    faidx_t *fai = NULL;
    val->l = 0;
    ksprintf(val, "##vafwatchVersion=%s", o->version ? o->version : "unknown");
    bcf_hdr_append(h, val->s);
    val->l = 0;
    ksprintf(val, "##vafwatchCommand=%s", o->command ? o->command : "vafwatch call");
    for (size_t i = 0; i < val->l; i++)
        if (val->s[i] == '\n' || val->s[i] == '\t')
            val->s[i] = ' ';
    bcf_hdr_append(h, val->s);
    if (o->reference) {
        char *abs = realpath(o->reference, NULL);
        val->l = 0;
        ksprintf(val, "##reference=file://%s", abs ? abs : o->reference);
        free(abs);
        bcf_hdr_append(h, val->s);
        fai = fai_load3(o->reference, NULL, NULL, 0); /* lengths; NULL: the build's table */
    } else if (o->build == VW_BUILD_GRCH37 || o->build == VW_BUILD_GRCH38) {
        val->l = 0;
        ksprintf(val, "##reference=%s", vw_build_name((vw_build_t)o->build));
        bcf_hdr_append(h, val->s);
    }
    return fai;
}

/* Builds the header: meta lines, contigs in order of first appearance, the
 * fixed INFO/FORMAT/FILTER lines and the samples.  Returns 0, -ENOMEM or
 * VW_EFORMAT (logged when a contig cannot be added). */
static int header_build(const vw_calls_t *cs, const layout_t *l, const char *path, const vw_calls_vcf_opt_t *o,
                        bcf_hdr_t **ret_h)
{
    bcf_hdr_t *h = bcf_hdr_init("w");
    if (!h)
        return -ENOMEM;
    kstring_t val = {0, 0, NULL};
    faidx_t *fai = header_meta(h, o, &val);
    int ret = 0;
    for (int s = 0; s < l->n_sites && ret == 0; s++) {
        const char *chrom = cs->c[l->site_call[s]].chrom;
        if (bcf_hdr_name2id(h, chrom) >= 0)
            continue;
        hts_pos_t len = 0;
        if (fai && faidx_has_seq(fai, chrom))
            len = faidx_seq_len(fai, chrom);
        if (len <= 0)
            len = vw_build_contig_length((vw_build_t)o->build, chrom);
        val.l = 0;
        if (len > 0)
            ksprintf(&val, "##contig=<ID=%s,length=%lld>", chrom, (long long)len);
        else
            ksprintf(&val, "##contig=<ID=%s>", chrom);
        if (bcf_hdr_append(h, val.s) < 0 || bcf_hdr_sync(h) < 0) {
            vw_error("%s: cannot add contig '%s' to the VCF header", path, chrom);
            ret = VW_EFORMAT;
        }
    }
    for (int i = 0; ret == 0 && hdr_lines[i]; i++)
        bcf_hdr_append(h, hdr_lines[i]);
    for (int i = 0; ret == 0 && i < l->n_samples; i++)
        if (bcf_hdr_add_sample(h, l->samples[i]) < 0)
            ret = VW_EFORMAT;
    if (ret == 0 && bcf_hdr_sync(h) < 0)
        ret = VW_EFORMAT;
    if (fai)
        fai_destroy(fai);
    free(val.s);
    if (ret < 0)
        bcf_hdr_destroy(h);
    else
        *ret_h = h;
    return ret;
}

/* The FORMAT values of one record, one slot per sample. */
typedef struct {
    int32_t *iv, *dp, *det;
    float *af, *pv, *qv, *lod;
    char *ftbuf, **ft;
    const char **ec;          /* evidence class (evclass.h) */
    int *which;               /* the call of each sample at the site, -1 */
} fmtbuf_t;

static void fmtbuf_free(fmtbuf_t *b)
{
    free(b->iv); free(b->dp); free(b->det); free(b->af); free(b->pv); free(b->qv); free(b->lod);
    free(b->ftbuf); free(b->ft); free(b->which); free(b->ec);
}

static int fmtbuf_alloc(fmtbuf_t *b, int n_samples)
{
    size_t n = (size_t)(n_samples + 1);
    b->iv = malloc(sizeof(int32_t) * 2 * n);
    b->dp = malloc(sizeof(int32_t) * n);
    b->det = malloc(sizeof(int32_t) * n);
    b->af = malloc(sizeof(float) * n);
    b->pv = malloc(sizeof(float) * n);
    b->qv = malloc(sizeof(float) * n);
    b->lod = malloc(sizeof(float) * n);
    b->which = malloc(sizeof(int) * n);
    b->ftbuf = malloc(128 * n);
    b->ft = malloc(sizeof(char *) * n);
    b->ec = malloc(sizeof(char *) * n);
    return b->iv && b->dp && b->det && b->af && b->pv && b->qv && b->lod && b->which && b->ftbuf && b->ft && b->ec
               ? 0 : -ENOMEM;
}

#define VETOABLE (VW_FLAG_STRAND_BIAS | VW_FLAG_LOW_ALT_BQ | VW_FLAG_GERMLINE | VW_FLAG_NOISY_SITE | \
                  VW_FLAG_LOW_DEPTH | VW_FLAG_DISCORDANT)

/* Fills slot j from call c (NULL: no call of this sample at the site). */
static void sample_fields(fmtbuf_t *b, int j, const vw_call_t *c)
{
    int ok = c && !(c->flags & VW_FLAG_NOT_ASSESSED);
    b->iv[2 * j] = ok ? (int32_t)c->ref_count : bcf_int32_missing;
    b->iv[2 * j + 1] = ok ? (int32_t)c->alt_count : bcf_int32_missing;
    b->dp[j] = ok ? (int32_t)c->depth : bcf_int32_missing;
    b->det[j] = c && c->detected >= 0 ? c->detected : bcf_int32_missing;
    char *ft = b->ft[j] = b->ftbuf + 128 * (size_t)j;
    b->ec[j] = !c ? "." : c->ev_class ? c->ev_class : "fragment";
    if (!c || c->detected < 0) {
        strcpy(ft, ".");
    } else if (c->flags & VW_FLAG_FILTERED) { /* the reasons: the vetoable flags it has */
        (void)vw_flags_str(c->flags & VETOABLE, ft, 128);
        for (char *q = ft; *q; q++)
            if (*q == ',')
                *q = ';'; /* VCF separates filters with ';' */
    } else {
        strcpy(ft, "PASS");
    }
    float *fv[4] = {&b->af[j], &b->pv[j], &b->qv[j], &b->lod[j]};
    double dv[4] = {c ? c->vaf : NAN, c ? c->p_value : NAN, c ? c->q_value : NAN, c ? c->lod95 : NAN};
    for (int k = 0; k < 4; k++) {
        if (isnan(dv[k]))
            bcf_float_set_missing(*fv[k]);
        else
            *fv[k] = (float)dv[k];
    }
}

/* FILTER: PASS when some sample detects the allele; else the reasons of the
 * significant calls the veto set made not detected; else not_detected. */
static void record_filter(bcf_hdr_t *h, bcf1_t *rec, int any_det, uint32_t vetoed)
{
    if (any_det) {
        int id = bcf_hdr_id2int(h, BCF_DT_ID, "PASS");
        bcf_update_filter(h, rec, &id, 1);
        return;
    }
    int ids[VW_N_FLAGS + 1], n = 0;
    for (int b = 0; b < VW_N_FLAGS; b++)
        if (vetoed & (1u << b))
            ids[n++] = bcf_hdr_id2int(h, BCF_DT_ID, vw_flag_names[b]);
    if (!n)
        ids[n++] = bcf_hdr_id2int(h, BCF_DT_ID, "not_detected");
    bcf_update_filter(h, rec, ids, n);
}

/* Site columns: CHROM, POS, ID, REF, ALT and INFO from the site's first call. */
static void record_site(bcf_hdr_t *h, bcf1_t *rec, const vw_call_t *c0, kstring_t *val)
{
    rec->rid = bcf_hdr_name2id(h, c0->chrom);
    rec->pos = (hts_pos_t)c0->pos1 - 1;
    val->l = 0;
    ksprintf(val, "%s,%s", c0->ref, c0->alt);
    bcf_update_alleles_str(h, rec, val->s);
    info_safe(val, c0->id);
    bcf_update_id(h, rec, val->s);
    const char *info[3] = {c0->gene, c0->protein, c0->cdna};
    const char *iname[3] = {"GENE", "PROTEIN", "CDNA"};
    for (int k = 0; k < 3; k++)
        if (info[k] && strcmp(info[k], ".") != 0) {
            info_safe(val, info[k]);
            bcf_update_info_string(h, rec, iname[k], val->s);
        }
}

/* Writes the record of site s.  Returns 0 or -EIO (logged). */
static int record_write(htsFile *fp, bcf_hdr_t *h, bcf1_t *rec, const vw_calls_t *cs, const layout_t *l,
                        fmtbuf_t *b, int s, const char *path, kstring_t *val)
{
    const vw_call_t *c0 = &cs->c[l->site_call[s]];
    int n = l->n_samples;
    for (int j = 0; j < n; j++)
        b->which[j] = -1;
    for (int i = l->head[s]; i >= 0; i = l->next[i])
        b->which[l->call_sample[i]] = i;
    bcf_clear1(rec);
    record_site(h, rec, c0, val);
    int any_det = 0;
    uint32_t vetoed = 0; /* the reasons of the significant calls the veto set made not detected */
    for (int j = 0; j < n; j++) {
        const vw_call_t *c = b->which[j] >= 0 ? &cs->c[b->which[j]] : NULL;
        if (c && c->detected > 0)
            any_det = 1;
        if (c && c->detected >= 0 && (c->flags & VW_FLAG_FILTERED))
            vetoed |= c->flags & VETOABLE;
        sample_fields(b, j, c);
    }
    record_filter(h, rec, any_det, vetoed);
    if (bcf_update_format_int32(h, rec, "AD", b->iv, 2 * n) < 0 || bcf_update_format_int32(h, rec, "DP", b->dp, n) < 0 ||
        bcf_update_format_float(h, rec, "AF", b->af, n) < 0 || bcf_update_format_float(h, rec, "PV", b->pv, n) < 0 ||
        bcf_update_format_float(h, rec, "QV", b->qv, n) < 0 || bcf_update_format_float(h, rec, "LOD", b->lod, n) < 0 ||
        bcf_update_format_int32(h, rec, "DET", b->det, n) < 0 ||
        bcf_update_format_string(h, rec, "FT", (const char **)b->ft, n) < 0 ||
        bcf_update_format_string(h, rec, "EC", b->ec, n) < 0 || bcf_write(fp, h, rec) < 0) {
        vw_error("%s: cannot write the record at %s:%lld", path, c0->chrom, (long long)c0->pos1);
        return -EIO;
    }
    return 0;
}

/* Writes the header and every record into 'tmp' and closes it.  Returns 0,
 * -errno, -ENOMEM, -EIO or VW_EFORMAT (logged under the name 'path'). */
static int write_body(const vw_calls_t *cs, const layout_t *l, bcf_hdr_t *h, const char *tmp, const char *path)
{
    htsFile *fp = hts_open(tmp, "wz");
    if (!fp) {
        int ret = errno ? -errno : VW_EFORMAT;
        vw_error_code(ret, "%s: cannot write", path);
        return ret;
    }
    fmtbuf_t b = {0};
    bcf1_t *rec = bcf_init();
    kstring_t val = {0, 0, NULL};
    int ret = bcf_hdr_write(fp, h) < 0 ? -EIO : 0;
    if (ret == 0 && (!rec || fmtbuf_alloc(&b, l->n_samples) < 0))
        ret = -ENOMEM;
    for (int s = 0; s < l->n_sites && ret == 0; s++)
        ret = record_write(fp, h, rec, cs, l, &b, s, path, &val);
    fmtbuf_free(&b);
    bcf_destroy(rec);
    free(val.s);
    int cr = hts_close(fp);
    if (ret == 0 && cr != 0) {
        vw_error("%s: write failed", path);
        ret = -EIO;
    }
    return ret;
}

/* Indexes 'tmp' and renames it and its index onto 'path'.  Removes them on
 * failure.  Returns 0, VW_EFORMAT or -errno (logged). */
static int commit(const char *tmp, const char *path)
{
    kstring_t ti = {0, 0, NULL}, pi = {0, 0, NULL};
    ksprintf(&ti, "%s.tbi", tmp);
    ksprintf(&pi, "%s.tbi", path);
    int ret = 0;
    if (bcf_index_build3(tmp, NULL, 0, 0) != 0) {
        vw_error("%s: cannot build the tabix index", path);
        ret = VW_EFORMAT;
    } else if (rename(tmp, path) != 0 || rename(ti.s, pi.s) != 0) {
        ret = -errno;
        vw_error_code(ret, "%s: cannot rename into place", path);
        remove(path);
    }
    if (ret < 0) {
        remove(tmp);
        remove(ti.s);
    }
    free(ti.s);
    free(pi.s);
    return ret;
}

int vw_calls_write_vcf_opt(const vw_calls_t *cs, const char *path, const vw_calls_vcf_opt_t *o)
{
    static const vw_calls_vcf_opt_t none = {NULL, NULL, VW_BUILD_UNKNOWN, NULL};
    if (!o)
        o = &none;
    if (!cs || !path)
        return -ENOMEM;
    layout_t l = {0};
    bcf_hdr_t *h = NULL;
    kstring_t tmp = {0, 0, NULL};
    int ret = layout_build(cs, &l);
    if (ret == 0) {
        ksprintf(&tmp, "%s.tmp%ld", path, (long)getpid());
        ret = header_build(cs, &l, path, o, &h);
    }
    if (ret == 0) {
        ret = write_body(cs, &l, h, tmp.s, path);
        if (ret == 0)
            ret = commit(tmp.s, path);
        else
            remove(tmp.s);
    }
    bcf_hdr_destroy(h);
    layout_free(&l);
    free(tmp.s);
    return ret;
}
