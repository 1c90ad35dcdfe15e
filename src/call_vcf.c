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

int vw_calls_write_vcf_opt(const vw_calls_t *cs, const char *path, const vw_calls_vcf_opt_t *o)
{
    static const vw_calls_vcf_opt_t none = {NULL, NULL, VW_BUILD_UNKNOWN, NULL};
    if (!o)
        o = &none;
    const char *version = o->version, *command = o->command;
    faidx_t *fai = NULL;
    int ret = 0, n_samples = 0, n_sites = 0;
    char **samples = NULL;
    int *site_call = NULL, *call_site = NULL, *call_sample = NULL;
    khash_t(vw_site) *hs = kh_init(vw_site), *hn = kh_init(vw_site);
    kstring_t key = {0, 0, NULL}, tmp = {0, 0, NULL}, val = {0, 0, NULL};
    htsFile *fp = NULL;
    bcf_hdr_t *h = NULL;
    bcf1_t *rec = bcf_init();
    int32_t *iv = NULL, *dp = NULL, *det = NULL;
    char *ftbuf = NULL, **ft = NULL;
    float *af = NULL, *pv = NULL, *qv = NULL, *lod = NULL;
    int wrote = 0;
    if (!hs || !hn || !rec || !cs || !path) {
        ret = -ENOMEM;
        goto out;
    }
    samples = calloc((size_t)cs->n + 1, sizeof(char *));
    site_call = calloc((size_t)cs->n + 1, sizeof(int));
    call_site = calloc((size_t)cs->n + 1, sizeof(int));
    call_sample = calloc((size_t)cs->n + 1, sizeof(int));
    if (!samples || !site_call || !call_site || !call_sample) {
        ret = -ENOMEM;
        goto out;
    }
    /* samples and sites in order of first appearance; keys point into the calls */
    for (int i = 0; i < cs->n; i++) {
        const vw_call_t *c = &cs->c[i];
        int absent;
        khint_t k = kh_put(vw_site, hn, c->sample, &absent);
        if (absent < 0) { ret = -ENOMEM; goto out; }
        if (absent) {
            kh_val(hn, k) = n_samples;
            samples[n_samples++] = c->sample;
        }
        call_sample[i] = kh_val(hn, k);
        key.l = 0;
        ksprintf(&key, "%s\t%lld\t%s\t%s", c->chrom, (long long)c->pos1, c->ref, c->alt);
        k = kh_get(vw_site, hs, key.s);
        if (k == kh_end(hs)) {
            char *ks = strdup(key.s);
            if (!ks) { ret = -ENOMEM; goto out; }
            k = kh_put(vw_site, hs, ks, &absent);
            if (absent < 0) { free(ks); ret = -ENOMEM; goto out; }
            kh_val(hs, k) = n_sites;
            site_call[n_sites++] = i;
        }
        call_site[i] = kh_val(hs, k);
    }
    ksprintf(&tmp, "%s.tmp%ld", path, (long)getpid());
    if (!(h = bcf_hdr_init("w"))) { ret = -ENOMEM; goto out; }
    val.l = 0;
    ksprintf(&val, "##vafwatchVersion=%s", version ? version : "unknown");
    bcf_hdr_append(h, val.s);
    val.l = 0;
    ksprintf(&val, "##vafwatchCommand=%s", command ? command : "vafwatch call");
    for (size_t i = 0; i < val.l; i++)
        if (val.s[i] == '\n' || val.s[i] == '\t')
            val.s[i] = ' ';
    bcf_hdr_append(h, val.s);
    if (o->reference) {
        char *abs = realpath(o->reference, NULL);
        val.l = 0;
        ksprintf(&val, "##reference=file://%s", abs ? abs : o->reference);
        free(abs);
        bcf_hdr_append(h, val.s);
        fai = fai_load3(o->reference, NULL, NULL, 0); /* lengths; NULL: the build's table */
    } else if (o->build == VW_BUILD_GRCH37 || o->build == VW_BUILD_GRCH38) {
        val.l = 0;
        ksprintf(&val, "##reference=%s", vw_build_name((vw_build_t)o->build));
        bcf_hdr_append(h, val.s);
    }
    for (int s = 0; s < n_sites; s++) { /* contigs in order of first appearance */
        const char *chrom = cs->c[site_call[s]].chrom;
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
            goto out;
        }
    }
    for (int i = 0; hdr_lines[i]; i++)
        bcf_hdr_append(h, hdr_lines[i]);
    for (int i = 0; i < n_samples; i++)
        if (bcf_hdr_add_sample(h, samples[i]) < 0) { ret = VW_EFORMAT; goto out; }
    if (bcf_hdr_sync(h) < 0) { ret = VW_EFORMAT; goto out; }
    if (!(fp = hts_open(tmp.s, "wz"))) {
        ret = errno ? -errno : VW_EFORMAT;
        vw_error_code(ret, "%s: cannot write", path);
        goto out;
    }
    if (bcf_hdr_write(fp, h) < 0) { ret = -EIO; goto out; }
    iv = malloc(sizeof(int32_t) * 2 * (size_t)(n_samples + 1));
    dp = malloc(sizeof(int32_t) * (size_t)(n_samples + 1));
    det = malloc(sizeof(int32_t) * (size_t)(n_samples + 1));
    af = malloc(sizeof(float) * (size_t)(n_samples + 1));
    pv = malloc(sizeof(float) * (size_t)(n_samples + 1));
    qv = malloc(sizeof(float) * (size_t)(n_samples + 1));
    lod = malloc(sizeof(float) * (size_t)(n_samples + 1));
    int *which = malloc(sizeof(int) * (size_t)(n_samples + 1));
    ftbuf = malloc(128 * (size_t)(n_samples + 1));
    ft = malloc(sizeof(char *) * (size_t)(n_samples + 1));
    if (!iv || !dp || !det || !af || !pv || !qv || !lod || !which || !ftbuf || !ft) {
        free(which);
        ret = -ENOMEM;
        goto out;
    }
    /* calls of each site: scan once, by site */
    int *next = malloc(sizeof(int) * (size_t)(cs->n + 1)), *head = malloc(sizeof(int) * (size_t)(n_sites + 1));
    if (!next || !head) {
        free(next); free(head); free(which);
        ret = -ENOMEM;
        goto out;
    }
    for (int s = 0; s < n_sites; s++) head[s] = -1;
    for (int i = cs->n - 1; i >= 0; i--) {
        next[i] = head[call_site[i]];
        head[call_site[i]] = i;
    }
    for (int s = 0; s < n_sites && ret == 0; s++) {
        const vw_call_t *c0 = &cs->c[site_call[s]];
        for (int j = 0; j < n_samples; j++) which[j] = -1;
        for (int i = head[s]; i >= 0; i = next[i]) which[call_sample[i]] = i;
        bcf_clear1(rec);
        rec->rid = bcf_hdr_name2id(h, c0->chrom);
        rec->pos = (hts_pos_t)c0->pos1 - 1;
        val.l = 0;
        ksprintf(&val, "%s,%s", c0->ref, c0->alt);
        bcf_update_alleles_str(h, rec, val.s);
        info_safe(&val, c0->id);
        bcf_update_id(h, rec, val.s);
        const char *info[3] = {c0->gene, c0->protein, c0->cdna};
        const char *iname[3] = {"GENE", "PROTEIN", "CDNA"};
        for (int k = 0; k < 3; k++)
            if (info[k] && strcmp(info[k], ".") != 0) {
                info_safe(&val, info[k]);
                bcf_update_info_string(h, rec, iname[k], val.s);
            }
        int any_det = 0;
        uint32_t vetoed = 0; /* the reasons of the significant calls the veto set made not detected */
        for (int j = 0; j < n_samples; j++) {
            const vw_call_t *c = which[j] >= 0 ? &cs->c[which[j]] : NULL;
            int ok = c && !(c->flags & VW_FLAG_NOT_ASSESSED);
            if (c && c->detected > 0)
                any_det = 1;
            if (c && c->detected >= 0 && (c->flags & VW_FLAG_FILTERED))
                vetoed |= c->flags & (VW_FLAG_STRAND_BIAS | VW_FLAG_LOW_ALT_BQ | VW_FLAG_GERMLINE | VW_FLAG_NOISY_SITE
                                      | VW_FLAG_LOW_DEPTH | VW_FLAG_DISCORDANT);
            iv[2 * j] = ok ? (int32_t)c->ref_count : bcf_int32_missing;
            iv[2 * j + 1] = ok ? (int32_t)c->alt_count : bcf_int32_missing;
            dp[j] = ok ? (int32_t)c->depth : bcf_int32_missing;
            det[j] = c && c->detected >= 0 ? c->detected : bcf_int32_missing;
            ft[j] = ftbuf + 128 * (size_t)j;
            if (!c || c->detected < 0) {
                strcpy(ft[j], ".");
            } else if (c->flags & VW_FLAG_FILTERED) { /* the reasons: the vetoable flags it has */
                (void)vw_flags_str(c->flags & (VW_FLAG_STRAND_BIAS | VW_FLAG_LOW_ALT_BQ | VW_FLAG_GERMLINE |
                                               VW_FLAG_NOISY_SITE | VW_FLAG_LOW_DEPTH | VW_FLAG_DISCORDANT),
                                   ft[j], 128);
                for (char *q = ft[j]; *q; q++)
                    if (*q == ',')
                        *q = ';'; /* VCF separates filters with ';' */
            } else {
                strcpy(ft[j], "PASS");
            }
            float *fv[4] = {&af[j], &pv[j], &qv[j], &lod[j]};
            double dv[4] = {c ? c->vaf : NAN, c ? c->p_value : NAN, c ? c->q_value : NAN, c ? c->lod95 : NAN};
            for (int k = 0; k < 4; k++) {
                if (isnan(dv[k]))
                    bcf_float_set_missing(*fv[k]);
                else
                    *fv[k] = (float)dv[k];
            }
        }
        if (any_det) {
            int id = bcf_hdr_id2int(h, BCF_DT_ID, "PASS");
            bcf_update_filter(h, rec, &id, 1);
        } else {
            int ids[VW_N_FLAGS + 1], n = 0;
            for (int b = 0; b < VW_N_FLAGS; b++)
                if (vetoed & (1u << b))
                    ids[n++] = bcf_hdr_id2int(h, BCF_DT_ID, vw_flag_names[b]);
            if (!n)
                ids[n++] = bcf_hdr_id2int(h, BCF_DT_ID, "not_detected");
            bcf_update_filter(h, rec, ids, n);
        }
        if (bcf_update_format_int32(h, rec, "AD", iv, 2 * n_samples) < 0 ||
            bcf_update_format_int32(h, rec, "DP", dp, n_samples) < 0 ||
            bcf_update_format_float(h, rec, "AF", af, n_samples) < 0 ||
            bcf_update_format_float(h, rec, "PV", pv, n_samples) < 0 ||
            bcf_update_format_float(h, rec, "QV", qv, n_samples) < 0 ||
            bcf_update_format_float(h, rec, "LOD", lod, n_samples) < 0 ||
            bcf_update_format_int32(h, rec, "DET", det, n_samples) < 0 ||
            bcf_update_format_string(h, rec, "FT", (const char **)ft, n_samples) < 0 || bcf_write(fp, h, rec) < 0) {
            vw_error("%s: cannot write the record at %s:%lld", path, c0->chrom, (long long)c0->pos1);
            ret = -EIO;
        }
    }
    free(next); free(head); free(which);
    if (ret < 0)
        goto out;
    int cr = hts_close(fp);
    fp = NULL;
    if (cr != 0) {
        vw_error("%s: write failed", path);
        ret = -EIO;
        goto out;
    }
    wrote = 1;
    if (bcf_index_build3(tmp.s, NULL, 0, 0) != 0) {
        vw_error("%s: cannot build the tabix index", path);
        ret = VW_EFORMAT;
        goto out;
    }
    val.l = 0;
    ksprintf(&val, "%s.tbi", tmp.s);
    key.l = 0;
    ksprintf(&key, "%s.tbi", path);
    if (rename(tmp.s, path) != 0 || rename(val.s, key.s) != 0) {
        ret = -errno;
        vw_error_code(ret, "%s: cannot rename into place", path);
        remove(path);
        goto out;
    }
    wrote = 0;
out:
    if (fp)
        hts_close(fp);
    if (ret < 0 && tmp.s) {
        remove(tmp.s);
        if (wrote) {
            val.l = 0;
            ksprintf(&val, "%s.tbi", tmp.s);
            remove(val.s);
        }
    }
    if (hs) {
        for (khint_t k = kh_begin(hs); k != kh_end(hs); k++)
            if (kh_exist(hs, k))
                free((char *)kh_key(hs, k));
        kh_destroy(vw_site, hs);
    }
    if (hn)
        kh_destroy(vw_site, hn);
    bcf_hdr_destroy(h);
    bcf_destroy(rec);
    if (fai)
        fai_destroy(fai);
    free(iv); free(dp); free(det); free(af); free(pv); free(qv); free(lod); free(ftbuf); free(ft);
    free(samples); free(site_call); free(call_site); free(call_sample);
    free(key.s); free(tmp.s); free(val.s);
    return ret;
}
