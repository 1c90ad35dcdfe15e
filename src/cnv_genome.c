/* cnv_genome.c -- genome-wide copy number from shallow WGS (cnv_genome.h). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/faidx.h>

#include "vafwatch/cnv.h"
#include "vafwatch/cnv_genome.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"

/* ------------------------------------------------------------------ */
/* Tracks                                                              */

vw_gwig_t *vw_gwig_init(hts_pos_t step)
{
    vw_gwig_t *w = calloc(1, sizeof(*w));
    if (!w) {
        errno = ENOMEM;
        return NULL;
    }
    w->step = step;
    return w;
}

void vw_gwig_destroy(vw_gwig_t *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->n_chrom; i++)
        free(w->chrom[i]);
    free(w->chrom);
    free(w->chrom_len);
    free(w->cid);
    free(w->beg);
    free(w->end);
    free(w->v);
    free(w);
}

static int find_chrom(const vw_gwig_t *w, const char *name)
{
    for (int i = 0; i < w->n_chrom; i++)
        if (!strcmp(w->chrom[i], name))
            return i;
    return -1;
}

static int grow_bins(vw_gwig_t *w, int need)
{
    if (need <= w->m)
        return 0;
    int m = w->m ? w->m : 256;
    while (m < need) {
        if (m > (1 << 28))
            return -ENOMEM;
        m *= 2;
    }
    int *cid = realloc(w->cid, (size_t)m * sizeof(*cid));
    if (cid)
        w->cid = cid;
    hts_pos_t *b = realloc(w->beg, (size_t)m * sizeof(*b));
    if (b)
        w->beg = b;
    hts_pos_t *e = realloc(w->end, (size_t)m * sizeof(*e));
    if (e)
        w->end = e;
    double *v = realloc(w->v, (size_t)m * sizeof(*v));
    if (v)
        w->v = v;
    if (!cid || !b || !e || !v)
        return -ENOMEM;
    w->m = m;
    return 0;
}

static int add_chrom(vw_gwig_t *w, const char *name)
{
    if (w->n_chrom == w->m_chrom) {
        int m = w->m_chrom ? 2 * w->m_chrom : 32;
        char **c = realloc(w->chrom, (size_t)m * sizeof(*c));
        if (c)
            w->chrom = c;
        hts_pos_t *l = realloc(w->chrom_len, (size_t)m * sizeof(*l));
        if (l)
            w->chrom_len = l;
        if (!c || !l)
            return -ENOMEM;
        w->m_chrom = m;
    }
    if (!(w->chrom[w->n_chrom] = vw_strdup(name)))
        return -ENOMEM;
    w->chrom_len[w->n_chrom] = 0;
    return w->n_chrom++;
}

int vw_gwig_add_contig(vw_gwig_t *w, const char *chrom, hts_pos_t len)
{
    if (len < 1 || w->step < 1 || find_chrom(w, chrom) >= 0)
        return -EINVAL;
    hts_pos_t nb = (len + w->step - 1) / w->step;
    if (nb > (1 << 26) || grow_bins(w, w->n + (int)nb) < 0)
        return -ENOMEM;
    int c = add_chrom(w, chrom);
    if (c < 0)
        return c;
    for (hts_pos_t k = 0; k < nb; k++) {
        int i = w->n++;
        w->cid[i] = c;
        w->beg[i] = k * w->step;
        w->end[i] = (k + 1) * w->step < len ? (k + 1) * w->step : len;
        w->v[i] = NAN;
    }
    w->chrom_len[c] = len;
    return 0;
}

/* Parses "key=value" fields of a fixedStep line; returns 0 or -1. */
static int wig_header(char *line, char *chrom, size_t n_chrom, long *start, long *step, long *span)
{
    *start = 1;
    *step = -1;
    *span = -1;
    chrom[0] = '\0';
    char *save = NULL;
    strtok_r(line, " \t", &save); /* "fixedStep" */
    for (char *t; (t = strtok_r(NULL, " \t", &save)) != NULL;) {
        char *eq = strchr(t, '=');
        if (!eq)
            return -1;
        *eq = '\0';
        const char *v = eq + 1;
        long x;
        if (!strcmp(t, "chrom")) {
            if (!*v || strlen(v) >= n_chrom)
                return -1;
            strcpy(chrom, v);
        } else if (!strcmp(t, "start") || !strcmp(t, "step") || !strcmp(t, "span")) {
            if (vw_parse_long(v, &x) != 0)
                return -1;
            *(t[1] == 't' ? (t[2] == 'a' ? start : step) : span) = x;
        } else {
            return -1;
        }
    }
    return chrom[0] && *step > 0 ? 0 : -1;
}

int vw_gwig_read(const char *path, vw_gwig_t **ret)
{
    vw_table_t *t = NULL;
    int rc = vw_table_open(path, "WIG file", &t), cur = -1;
    if (rc < 0)
        return rc;
    vw_gwig_t *w = vw_gwig_init(0);
    char *line = NULL;
    long ln = 0;
    hts_pos_t pos = 0; /* 0-based start of the next bin of 'cur' */
    char chrom[256];
    if (!w) {
        rc = -ENOMEM;
        goto out;
    }
    while ((rc = vw_table_next_line(t, &line)) == 1) {
        ln = vw_table_lineno(t);
        rc = 0;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || !strncmp(s, "track", 5) || !strncmp(s, "browser", 7))
            continue;
        if (!strncmp(s, "variableStep", 12)) {
            vw_error("%s:%ld: variableStep is not supported (fixed bins expected: fixedStep)", path, ln);
            rc = VW_EPARSE;
            goto out;
        }
        if (!strncmp(s, "fixedStep", 9)) {
            long start, step, span;
            if (wig_header(s, chrom, sizeof chrom, &start, &step, &span) != 0) {
                vw_error("%s:%ld: malformed fixedStep line (expected chrom=NAME start=INT step=INT span=INT)",
                         path, ln);
                rc = VW_EPARSE;
                goto out;
            }
            if (span < 0)
                span = step;
            if (span != step) {
                vw_error("%s:%ld: span %ld differs from step %ld (bins must tile the genome)", path, ln, span, step);
                rc = VW_EPARSE;
                goto out;
            }
            if (w->step == 0)
                w->step = step;
            if (step != w->step) {
                vw_error("%s:%ld: step %ld differs from the step %lld of the lines before (one bin size a file)",
                         path, ln, step, (long long)w->step);
                rc = VW_EPARSE;
                goto out;
            }
            if (start < 1 || (start - 1) % step != 0) {
                vw_error("%s:%ld: start %ld is not 1 + a multiple of the step %ld", path, ln, start, step);
                rc = VW_EPARSE;
                goto out;
            }
            if (find_chrom(w, chrom) >= 0) {
                vw_error("%s:%ld: contig '%s' appears a second time", path, ln, chrom);
                rc = VW_EPARSE;
                goto out;
            }
            if ((cur = add_chrom(w, chrom)) < 0) {
                rc = cur;
                goto out;
            }
            pos = start - 1;
            continue;
        }
        if (cur < 0) {
            vw_error("%s:%ld: a value before any fixedStep line", path, ln);
            rc = VW_EPARSE;
            goto out;
        }
        double v;
        char *e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (vw_parse_double(s, &v) != 0 || isnan(v) || isinf(v)) {
            vw_error("%s:%ld: not a number: '%.40s'", path, ln, s);
            rc = VW_EPARSE;
            goto out;
        }
        if (pos > (hts_pos_t)1 << 40 || (rc = grow_bins(w, w->n + 1)) < 0) {
            if (!rc)
                vw_error("%s:%ld: contig '%s' is implausibly long", path, ln, w->chrom[cur]);
            rc = rc ? rc : VW_EPARSE;
            goto out;
        }
        int i = w->n++;
        w->cid[i] = cur;
        w->beg[i] = pos;
        w->end[i] = pos + w->step;
        w->v[i] = v < 0 ? NAN : v;
        pos += w->step;
        w->chrom_len[cur] = pos;
    }
    if (rc < 0)
        goto out;
    if (w->n == 0) {
        vw_error("%s: no bins (empty, or not a fixedStep WIG)", path);
        rc = VW_EPARSE;
        goto out;
    }
out:
    vw_table_close(t);
    if (rc < 0) {
        if (rc == -ENOMEM)
            vw_error_code(rc, "%s", path);
        vw_gwig_destroy(w);
        return rc;
    }
    *ret = w;
    return 0;
}

const char *vw_gwig_canon(const char *chrom, char *buf, size_t n)
{
    const char *s = vw_contig_bare(chrom); /* the contig rule, with the mitochondrion as "M" */
    if (!strcmp(s, "MT"))
        s = "M";
    snprintf(buf, n, "%s", s);
    return buf;
}

static int find_canon(const vw_gwig_t *w, const char *name)
{
    int c = find_chrom(w, name);
    if (c >= 0)
        return c;
    char a[256], b[256];
    vw_gwig_canon(name, a, sizeof a);
    for (int i = 0; i < w->n_chrom; i++)
        if (!strcmp(vw_gwig_canon(w->chrom[i], b, sizeof b), a))
            return i;
    return -1;
}

/* First bin of each contig (w->n_chrom entries), -1 none. */
static int *first_bins(const vw_gwig_t *w, int *n_per)
{
    int *f = malloc((size_t)(w->n_chrom ? w->n_chrom : 1) * sizeof(int));
    if (!f)
        return NULL;
    for (int c = 0; c < w->n_chrom; c++) {
        f[c] = -1;
        n_per[c] = 0;
    }
    for (int i = 0; i < w->n; i++) {
        if (f[w->cid[i]] < 0)
            f[w->cid[i]] = i;
        n_per[w->cid[i]]++;
    }
    return f;
}

int vw_gwig_transfer(const vw_gwig_t *dst, const char *dst_name, const vw_gwig_t *src, const char *src_name,
                     double *out)
{
    if (dst->step != src->step) {
        vw_error("bins of %lld bp in %s but of %lld bp in %s: use tracks of the same bin size",
                 (long long)dst->step, dst_name, (long long)src->step, src_name);
        return VW_EINPUT;
    }
    int rc = 0, n_common = 0;
    int *nd = calloc((size_t)dst->n_chrom + 1, sizeof(int)), *ns = calloc((size_t)src->n_chrom + 1, sizeof(int));
    int *fd = nd ? first_bins(dst, nd) : NULL, *fs = ns ? first_bins(src, ns) : NULL;
    char missing[256] = "";
    if (!fd || !fs) {
        rc = -ENOMEM;
        goto out;
    }
    for (int i = 0; i < dst->n; i++)
        out[i] = NAN;
    for (int c = 0; c < dst->n_chrom; c++) {
        int s = find_canon(src, dst->chrom[c]);
        if (s < 0 || fd[c] < 0) {
            if (strlen(missing) + strlen(dst->chrom[c]) + 2 < sizeof missing)
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s", *missing ? "," : "",
                         dst->chrom[c]);
            continue;
        }
        hts_pos_t ld = dst->end[fd[c] + nd[c] - 1], ls = fs[s] >= 0 ? src->end[fs[s] + ns[s] - 1] : 0;
        hts_pos_t kd = (ld + dst->step - 1) / dst->step, ks = (ls + src->step - 1) / src->step;
        if (kd != ks) {
            vw_error("contig '%s' has %lld bins of %lld bp in %s but '%s' has %lld in %s: another genome build?",
                     dst->chrom[c], (long long)kd, (long long)dst->step, dst_name, src->chrom[s], (long long)ks,
                     src_name);
            rc = VW_EBUILD;
            goto out;
        }
        n_common++;
        for (int k = 0; k < ns[s]; k++) {
            int j = fs[s] + k;
            hts_pos_t bin = src->beg[j] / src->step;
            /* the dst bins of a contig are consecutive from its first bin's index */
            hts_pos_t b0 = dst->beg[fd[c]] / dst->step;
            hts_pos_t di = bin - b0;
            if (di >= 0 && di < nd[c])
                out[fd[c] + di] = src->v[j];
        }
    }
    if (n_common == 0) {
        vw_error("no contig of %s (e.g. '%s') is in %s (e.g. '%s'): another genome or naming", dst_name,
                 dst->n_chrom ? dst->chrom[0] : "", src_name, src->n_chrom ? src->chrom[0] : "");
        rc = VW_EBUILD;
        goto out;
    }
    if (*missing)
        vw_warn("contigs of %s without values in %s (their bins are masked): %s", dst_name, src_name, missing);
out:
    free(nd);
    free(ns);
    free(fd);
    free(fs);
    if (rc == -ENOMEM)
        vw_error_code(rc, "%s", src_name);
    return rc;
}

vw_build_t vw_gwig_build(const vw_gwig_t *w)
{
    char b[256];
    for (int c = 0; c < w->n_chrom; c++) {
        if (strcmp(vw_gwig_canon(w->chrom[c], b, sizeof b), "1"))
            continue;
        hts_pos_t k = (w->chrom_len[c] + w->step - 1) / w->step;
        hts_pos_t k37 = (249250621 + w->step - 1) / w->step, k38 = (248956422 + w->step - 1) / w->step;
        if (k37 == k38)
            return VW_BUILD_UNKNOWN;
        return k == k37 ? VW_BUILD_GRCH37 : k == k38 ? VW_BUILD_GRCH38 : VW_BUILD_UNKNOWN;
    }
    return VW_BUILD_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Genome                                                              */

vw_genome_t *vw_genome_init(const char *sample, vw_gwig_t *counts)
{
    vw_genome_t *g = calloc(1, sizeof(*g));
    if (!g) {
        vw_gwig_destroy(counts);
        errno = ENOMEM;
        return NULL;
    }
    g->w = counts;
    size_t n = (size_t)(counts->n ? counts->n : 1);
    g->sample = vw_strdup(sample);
    g->gc = malloc(n * sizeof(double));
    g->map = malloc(n * sizeof(double));
    g->mask = calloc(n, sizeof(unsigned));
    g->log2r = malloc(n * sizeof(double));
    g->cn = malloc(n * sizeof(double));
    if (!g->sample || !g->gc || !g->map || !g->mask || !g->log2r || !g->cn) {
        vw_genome_destroy(g);
        errno = ENOMEM;
        return NULL;
    }
    for (int i = 0; i < counts->n; i++)
        g->gc[i] = g->map[i] = g->log2r[i] = g->cn[i] = NAN;
    return g;
}

void vw_genome_destroy(vw_genome_t *g)
{
    if (!g)
        return;
    vw_gwig_destroy(g->w);
    free(g->sample);
    free(g->gc);
    free(g->map);
    free(g->mask);
    free(g->log2r);
    free(g->cn);
    free(g);
}

int vw_genome_gc_fasta(vw_genome_t *g, const char *fasta)
{
    faidx_t *fai = fai_load(fasta);
    if (!fai) {
        vw_error("%s: cannot load the reference (no .fai index, or not a FASTA?)", fasta);
        return VW_EINPUT;
    }
    int ret = 0;
    const vw_gwig_t *w = g->w;
    for (int i = 0; i < w->n && ret == 0; i++) {
        char alt[8][VW_CONTIG_NAMESZ];
        const char *name = NULL;
        int n_alt = vw_contig_spellings(w->chrom[w->cid[i]], alt, 8);
        for (int k = 0; k < n_alt && !name; k++)
            if (faidx_has_seq(fai, alt[k]))
                name = alt[k];
        if (!name) {
            vw_error("%s: contig '%s' is not in the reference (wrong build or naming?)", fasta, w->chrom[w->cid[i]]);
            ret = VW_EBUILD;
            break;
        }
        hts_pos_t len = 0;
        char *s = faidx_fetch_seq64(fai, name, w->beg[i], w->end[i] - 1, &len);
        if (!s || len != w->end[i] - w->beg[i]) {
            vw_error("%s: cannot read %s:%lld-%lld (beyond the contig end? wrong build?)", fasta, name,
                     (long long)w->beg[i] + 1, (long long)w->end[i]);
            free(s);
            ret = VW_EBUILD;
            break;
        }
        int64_t gc = 0, acgt = 0;
        for (hts_pos_t k = 0; k < len; k++) {
            int c = toupper((unsigned char)s[k]);
            gc += c == 'G' || c == 'C';
            acgt += c == 'A' || c == 'C' || c == 'G' || c == 'T';
        }
        g->gc[i] = 2 * acgt > len ? (double)gc / (double)acgt : NAN;
        free(s);
    }
    fai_destroy(fai);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Centromere / gap tables                                             */

void vw_gaps_destroy(vw_gaps_t *gp)
{
    if (!gp)
        return;
    for (int i = 0; i < gp->n; i++)
        free(gp->chrom[i]);
    free(gp->chrom);
    free(gp->beg);
    free(gp->end);
    free(gp);
}

int vw_gaps_read(const char *path, vw_gaps_t **ret)
{
    vw_table_t *t = NULL;
    int rc = vw_table_open(path, "gaps file", &t);
    if (rc < 0)
        return rc;
    vw_gaps_t *gp = calloc(1, sizeof(*gp));
    char *line = NULL;
    long ln = 0;
    rc = gp ? 0 : -ENOMEM;
    while (rc == 0 && (rc = vw_table_next_line(t, &line)) == 1) {
        ln = vw_table_lineno(t);
        rc = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *f[4];
        int nf = vw_split_tabs(line, f, 4);
        long b, e;
        if (nf < 3 || vw_parse_long(f[1], &b) != 0 || vw_parse_long(f[2], &e) != 0) {
            if (ln == 1 || (gp->n == 0 && nf >= 3))
                continue; /* a header line */
            vw_error("%s:%ld: expected chrom, start and end (tab-separated integers)", path, ln);
            rc = VW_EPARSE;
            break;
        }
        if (b < 0 || e <= b) {
            vw_error("%s:%ld: start %ld and end %ld do not make an interval", path, ln, b, e);
            rc = VW_EPARSE;
            break;
        }
        if (gp->n == gp->m) {
            int m = gp->m ? 2 * gp->m : 32;
            char **c = realloc(gp->chrom, (size_t)m * sizeof(*c));
            if (c)
                gp->chrom = c;
            hts_pos_t *pb = realloc(gp->beg, (size_t)m * sizeof(*pb));
            if (pb)
                gp->beg = pb;
            hts_pos_t *pe = realloc(gp->end, (size_t)m * sizeof(*pe));
            if (pe)
                gp->end = pe;
            if (!c || !pb || !pe) {
                rc = -ENOMEM;
                break;
            }
            gp->m = m;
        }
        if (!(gp->chrom[gp->n] = vw_strdup(f[0]))) {
            rc = -ENOMEM;
            break;
        }
        gp->beg[gp->n] = b;
        gp->end[gp->n] = e;
        gp->n++;
    }
    vw_table_close(t);
    if (rc == 0 && gp->n == 0) {
        vw_error("%s: no intervals", path);
        rc = VW_EPARSE;
    }
    if (rc < 0) {
        if (rc == -ENOMEM)
            vw_error_code(rc, "%s", path);
        vw_gaps_destroy(gp);
        return rc;
    }
    *ret = gp;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Masking                                                             */

void vw_genome_opt_init(vw_genome_opt_t *o)
{
    o->min_map = 0.9;
    o->gc_span = 0.03;
    o->max_cn = 6;
    o->switch_prob = 1e-3;
    o->cn_penalty = 0.02;
    o->zero_penalty = 1;
    o->nu = 4;
    o->min_llr = 30;
    o->tf_max = 0.95;
    o->ploidies[0] = 2;
    o->ploidies[1] = 3;
    o->ploidies[2] = 0;
    o->ploidies[3] = 0;
    o->alt_margin = 2;
}

static int is_autosome(const char *chrom)
{
    char b[256];
    long v;
    return vw_parse_long(vw_gwig_canon(chrom, b, sizeof b), &v) == 0 && v >= 1 && v <= 22;
}

static int autosome_number(const char *chrom)
{
    char b[256];
    long v;
    return vw_parse_long(vw_gwig_canon(chrom, b, sizeof b), &v) == 0 && v >= 1 && v <= 22 ? (int)v : 0;
}

static int same_contig(const char *a, const char *b)
{
    char x[256], y[256];
    return !strcmp(a, b) || !strcmp(vw_gwig_canon(a, x, sizeof x), vw_gwig_canon(b, y, sizeof y));
}

int vw_genome_mask(vw_genome_t *g, const vw_gaps_t *gaps, const vw_genome_opt_t *opt, char *empty, size_t n_empty)
{
    const vw_gwig_t *w = g->w;
    double *tot = calloc((size_t)w->n_chrom + 1, sizeof(double));
    int have_gc = 0;
    for (int i = 0; i < w->n; i++)
        have_gc |= isfinite(g->gc[i]);
    if (empty && n_empty)
        empty[0] = '\0';
    for (int i = 0; i < w->n; i++) {
        if (tot && isfinite(w->v[i]))
            tot[w->cid[i]] += w->v[i];
        const char *c = w->chrom[w->cid[i]];
        if (!is_autosome(c))
            g->mask[i] |= VW_GBIN_NONAUTO;
        if (!isfinite(w->v[i]) || (have_gc && !isfinite(g->gc[i])))
            g->mask[i] |= VW_GBIN_NODATA;
        if (isfinite(g->map[i]) && g->map[i] < opt->min_map)
            g->mask[i] |= VW_GBIN_LOWMAP;
        for (int k = 0; gaps && k < gaps->n; k++)
            if (w->beg[i] < gaps->end[k] && gaps->beg[k] < w->end[i] && same_contig(c, gaps->chrom[k]))
                g->mask[i] |= VW_GBIN_CENTRO;
    }
    for (int c = 0; tot && c < w->n_chrom; c++) {
        if (tot[c] > 0)
            continue;
        int any = 0;
        for (int i = 0; i < w->n; i++)
            if (w->cid[i] == c) {
                g->mask[i] |= VW_GBIN_NODATA;
                any = 1;
            }
        if (any && empty && strlen(empty) + strlen(w->chrom[c]) + 2 < n_empty)
            snprintf(empty + strlen(empty), n_empty - strlen(empty), "%s%s", *empty ? "," : "", w->chrom[c]);
    }
    free(tot);
    int n = 0;
    for (int i = 0; i < w->n; i++)
        n += g->mask[i] == 0;
    return n;
}

/* ------------------------------------------------------------------ */
/* Local regression                                                    */

typedef struct {
    double x, y, w;
} pt_t;

static int pt_cmp(const void *a, const void *b)
{
    double x = ((const pt_t *)a)->x, y = ((const pt_t *)b)->x;
    return x < y ? -1 : x > y;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Quantile (type 7) of n sorted values. */
static double quantile_sorted(const double *v, int n, double q)
{
    if (n <= 0)
        return NAN;
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo]);
}

/* Median of n values (copied).  NAN for n = 0 or ENOMEM. */
static double median_of(const double *v, int n)
{
    if (n <= 0)
        return NAN;
    double *t = malloc((size_t)n * sizeof(double));
    if (!t)
        return NAN;
    memcpy(t, v, (size_t)n * sizeof(double));
    qsort(t, (size_t)n, sizeof(double), dbl_cmp);
    double m = quantile_sorted(t, n, 0.5);
    free(t);
    return m;
}

/* Local linear regression (tricube weights over the k = ceil(span n)
 * nearest points, times each point's robustness weight) of sorted points
 * p at x0.  Returns NAN when the neighbourhood has no weight. */
static double loclin(const pt_t *p, int n, double span, double x0)
{
    int k = (int)ceil(span * n);
    if (k < 2)
        k = 2;
    if (k > n)
        k = n;
    int lo = 0, hi = n; /* first index with x >= x0 */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (p[mid].x < x0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int l = lo, r = lo; /* window [l, r) */
    while (r - l < k) {
        if (l == 0)
            r++;
        else if (r == n)
            l--;
        else if (x0 - p[l - 1].x <= p[r].x - x0)
            l--;
        else
            r++;
    }
    double d = fmax(fabs(x0 - p[l].x), fabs(p[r - 1].x - x0));
    if (span > 1)
        d *= span; /* R's loess widens the neighbourhood for span > 1 */
    double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = l; i < r; i++) {
        double u = d > 0 ? fabs(p[i].x - x0) / (d * 1.000001) : 0;
        double t = 1 - u * u * u;
        double wt = (u < 1 ? t * t * t : 0) * p[i].w;
        sw += wt;
        sx += wt * p[i].x;
        sy += wt * p[i].y;
        sxx += wt * p[i].x * p[i].x;
        sxy += wt * p[i].x * p[i].y;
    }
    if (sw <= 0)
        return NAN;
    double mx = sx / sw, my = sy / sw, vx = sxx / sw - mx * mx;
    if (vx <= 1e-12 * (1 + mx * mx))
        return my;
    return my + (sxy / sw - mx * my) / vx * (x0 - mx);
}

/* Robust local linear fit at the points themselves (lowess, 'iters'
 * robustness iterations with bisquare weights on 6 x median |residual|);
 * fills fit[n].  Points must be sorted. */
static int lowess_at(pt_t *p, int n, double span, int iters, double *fit)
{
    double *res = malloc((size_t)n * sizeof(double));
    if (!res)
        return -ENOMEM;
    for (int i = 0; i < n; i++)
        p[i].w = 1;
    for (int it = 0; it <= iters; it++) {
        for (int i = 0; i < n; i++)
            fit[i] = loclin(p, n, span, p[i].x);
        if (it == iters)
            break;
        for (int i = 0; i < n; i++)
            res[i] = fabs(p[i].y - fit[i]);
        double s = 6 * median_of(res, n);
        if (!(s > 0))
            break;
        for (int i = 0; i < n; i++) {
            double u = fabs(p[i].y - fit[i]) / s;
            p[i].w = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
        }
    }
    free(res);
    return 0;
}

/* Linear interpolation in a sorted table (xs, ys of n), clamped. */
static double interp(const double *xs, const double *ys, int n, double x)
{
    if (n == 0)
        return NAN;
    if (x <= xs[0])
        return ys[0];
    if (x >= xs[n - 1])
        return ys[n - 1];
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (xs[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    double t = xs[hi] > xs[lo] ? (x - xs[lo]) / (xs[hi] - xs[lo]) : 0;
    return ys[lo] + t * (ys[hi] - ys[lo]);
}

/* ------------------------------------------------------------------ */
/* Correction                                                          */

#define MIN_BINS 50

/* Normalises ratio[] to mean 1 over the usable autosomal bins after
 * masking outliers (0, or above 3 x the median); fills log2r. */
static int normalise_ratio(vw_genome_t *g, double *ratio)
{
    const vw_gwig_t *w = g->w;
    double *t = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
    if (!t)
        return -ENOMEM;
    int k = 0;
    for (int i = 0; i < w->n; i++)
        if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && isfinite(ratio[i]) && ratio[i] > 0)
            t[k++] = ratio[i];
    double med = median_of(t, k);
    for (int i = 0; i < w->n; i++)
        if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && (!isfinite(ratio[i]) || ratio[i] <= 0 || ratio[i] > 3 * med))
            g->mask[i] |= VW_GBIN_OUTLIER;
    double s = 0;
    int n = 0;
    for (int i = 0; i < w->n; i++)
        if (g->mask[i] == 0) {
            s += ratio[i];
            n++;
        }
    free(t);
    if (n < MIN_BINS || !(s > 0))
        return VW_EINPUT;
    double mean = s / n;
    for (int i = 0; i < w->n; i++)
        g->log2r[i] = (g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) ? NAN : log2(ratio[i] / mean);
    return 0;
}

int vw_genome_correct(vw_genome_t *g, const vw_genome_opt_t *opt)
{
    const vw_gwig_t *w = g->w;
    int n = w->n, rc = 0;
    double *ratio = malloc((size_t)(n ? n : 1) * sizeof(double));
    pt_t *p = malloc((size_t)(n ? n : 1) * sizeof(pt_t));
    double *tmp = malloc((size_t)(n ? n : 1) * sizeof(double));
    double *fit = malloc((size_t)(n ? n : 1) * sizeof(double));
    double *gx = NULL, *gz = NULL;
    if (!ratio || !p || !tmp || !fit) {
        rc = -ENOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++)
        ratio[i] = w->v[i];
    /* valid: usable bins (autosomes and others) with reads and GC */
    int nv = 0;
    for (int i = 0; i < n; i++)
        if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && w->v[i] > 0 && isfinite(g->gc[i]))
            tmp[nv++] = w->v[i];
    if (nv >= MIN_BINS) {
        /* ideal bins: counts below the 99th percentile, GC within its 0.1-99.9 % range */
        qsort(tmp, (size_t)nv, sizeof(double), dbl_cmp);
        double cmax = quantile_sorted(tmp, nv, 0.99);
        int ng = 0;
        for (int i = 0; i < n; i++)
            if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && w->v[i] > 0 && isfinite(g->gc[i]))
                tmp[ng++] = g->gc[i];
        qsort(tmp, (size_t)ng, sizeof(double), dbl_cmp);
        double glo = quantile_sorted(tmp, ng, 0.001), ghi = quantile_sorted(tmp, ng, 0.999);
        int np = 0;
        for (int i = 0; i < n; i++)
            if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && w->v[i] > 0 && w->v[i] <= cmax &&
                isfinite(g->gc[i]) && g->gc[i] >= glo && g->gc[i] <= ghi)
                p[np++] = (pt_t){g->gc[i], w->v[i], 1};
        qsort(p, (size_t)np, sizeof(pt_t), pt_cmp);
        /* rough fit on a 0.001 grid within the GC range, then a smooth one over the grid */
        int m = 0;
        gx = malloc(1001 * sizeof(double));
        gz = malloc(1001 * sizeof(double));
        pt_t *gp = malloc(1001 * sizeof(pt_t));
        if (!gx || !gz || !gp) {
            free(gp);
            rc = -ENOMEM;
            goto out;
        }
        for (int k = 0; k <= 1000; k++) {
            double x = k / 1000.0;
            if (x < p[0].x - 1e-9 || x > p[np - 1].x + 1e-9)
                continue;
            double y = loclin(p, np, opt->gc_span, x);
            if (isfinite(y))
                gp[m++] = (pt_t){x, y, 1};
        }
        if (m < 2) { /* GC (nearly) constant: no correction */
            for (int i = 0; i < m; i++)
                gx[i] = gp[i].x, gz[i] = gp[i].y;
        } else {
            for (int i = 0; i < m; i++)
                gx[i] = gp[i].x, gz[i] = loclin(gp, m, 0.3, gp[i].x);
        }
        free(gp);
        for (int i = 0; i < n; i++) {
            double e = isfinite(g->gc[i]) && m >= 2 ? interp(gx, gz, m, g->gc[i]) : NAN;
            ratio[i] = m < 2 ? w->v[i] : (e > 0 ? w->v[i] / e : NAN);
        }
        /* mappability: ratio ~ map by lowess on the valid bins below the 99th percentile of the ratio */
        int have_map = 0;
        for (int i = 0; i < n; i++)
            have_map |= isfinite(g->map[i]);
        if (have_map) {
            int nr = 0;
            for (int i = 0; i < n; i++)
                if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && w->v[i] > 0 && isfinite(ratio[i]) &&
                    isfinite(g->map[i]))
                    tmp[nr++] = ratio[i];
            qsort(tmp, (size_t)nr, sizeof(double), dbl_cmp);
            double rmax = quantile_sorted(tmp, nr, 0.99);
            int nm = 0;
            for (int i = 0; i < n; i++)
                if (!(g->mask[i] & ~(unsigned)VW_GBIN_NONAUTO) && w->v[i] > 0 && isfinite(ratio[i]) &&
                    ratio[i] <= rmax && isfinite(g->map[i]))
                    p[nm++] = (pt_t){g->map[i], ratio[i], 1};
            if (nm >= MIN_BINS) {
                qsort(p, (size_t)nm, sizeof(pt_t), pt_cmp);
                if ((rc = lowess_at(p, nm, 2.0 / 3.0, 3, fit)) < 0)
                    goto out;
                for (int i = 0; i < nm; i++)
                    tmp[i] = p[i].x;
                /* ties in x: lowess gives equal fits, interp handles them */
                for (int i = 0; i < n; i++) {
                    double e = isfinite(g->map[i]) ? interp(tmp, fit, nm, g->map[i]) : NAN;
                    ratio[i] = e > 0 ? ratio[i] / e : NAN;
                }
            }
        }
    }
    rc = normalise_ratio(g, ratio);
out:
    free(ratio);
    free(p);
    free(tmp);
    free(fit);
    free(gx);
    free(gz);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Panel of normals                                                    */

void vw_gpon_destroy(vw_gpon_t *p)
{
    if (!p)
        return;
    free(p->median);
    free(p->sd);
    free(p);
}

int vw_gpon_build(vw_genome_t *const *normals, int n, vw_gpon_t **ret)
{
    if (n < 1)
        return VW_EINPUT;
    int nb = normals[0]->w->n;
    for (int k = 1; k < n; k++) {
        const vw_gwig_t *a = normals[0]->w, *b = normals[k]->w;
        if (b->n != nb || b->step != a->step)
            return VW_EINPUT;
        for (int i = 0; i < nb; i++)
            if (a->beg[i] != b->beg[i] || !same_contig(a->chrom[a->cid[i]], b->chrom[b->cid[i]]))
                return VW_EINPUT;
    }
    vw_gpon_t *p = calloc(1, sizeof(*p));
    double *v = malloc((size_t)n * sizeof(double));
    if (!p || !v || !(p->median = malloc((size_t)(nb ? nb : 1) * sizeof(double))) ||
        !(p->sd = malloc((size_t)(nb ? nb : 1) * sizeof(double)))) {
        free(v);
        vw_gpon_destroy(p);
        return -ENOMEM;
    }
    p->n_normals = n;
    p->n = nb;
    for (int i = 0; i < nb; i++) {
        int k = 0;
        for (int j = 0; j < n; j++)
            if (isfinite(normals[j]->log2r[i]))
                v[k++] = normals[j]->log2r[i];
        p->median[i] = k * 2 > n ? median_of(v, k) : NAN;
        p->sd[i] = NAN;
        if (k >= 3 && isfinite(p->median[i])) {
            for (int j = 0; j < k; j++)
                v[j] = fabs(v[j] - p->median[i]);
            p->sd[i] = 1.4826 * median_of(v, k);
        }
    }
    free(v);
    *ret = p;
    return 0;
}

int vw_genome_apply_pon(vw_genome_t *g, const vw_gpon_t *pon)
{
    const vw_gwig_t *w = g->w;
    if (pon->n != w->n)
        return VW_EINPUT;
    double cut = INFINITY;
    if (pon->n_normals >= 3) {
        double *t = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
        if (!t)
            return -ENOMEM;
        int k = 0;
        for (int i = 0; i < w->n; i++)
            if (isfinite(pon->sd[i]))
                t[k++] = pon->sd[i];
        qsort(t, (size_t)k, sizeof(double), dbl_cmp);
        cut = k ? quantile_sorted(t, k, 0.95) : INFINITY;
        free(t);
    }
    double *ratio = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
    if (!ratio)
        return -ENOMEM;
    for (int i = 0; i < w->n; i++) {
        if (!isfinite(pon->median[i]) || (isfinite(pon->sd[i]) && pon->sd[i] > cut))
            g->mask[i] |= VW_GBIN_PON;
        ratio[i] = isfinite(g->log2r[i]) && isfinite(pon->median[i]) ? exp2(g->log2r[i] - pon->median[i]) : NAN;
    }
    int rc = normalise_ratio(g, ratio);
    free(ratio);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Fit                                                                 */

typedef struct {
    int n;              /* fitted bins */
    const double *x;    /* log2r */
    const int *brk;     /* 1 where a new contig starts */
    double sd;
    int K;              /* states 0..K-1 */
    double lsw, lstay;  /* log transition probabilities */
    double nu, lt_c;    /* Student t: df and log normalising constant (with 1/sd) */
    double *lt_tab;     /* LT_N values of -(nu + 1) / 2 * log1p(u / nu), u = k * LT_STEP */
    double *v, *nv;     /* K scores */
    unsigned char *bp;  /* n x K backpointers: 255 = stay */
    int *path;
} hmm_t;

/* -(nu + 1) / 2 * log1p(u / nu) tabulated at u = z^2 in steps of LT_STEP up
 * to LT_MAX (linear interpolation: error below 1e-6 of a unit), computed
 * directly beyond. */
#define LT_STEP 0.01
#define LT_MAX 400.0
#define LT_N ((int)(LT_MAX / LT_STEP) + 2)

static double lt_pdf(const hmm_t *h, double z)
{
    double u = z * z;
    if (u < LT_MAX) {
        double t = u * (1 / LT_STEP);
        int k = (int)t;
        return h->lt_c + h->lt_tab[k] + (t - k) * (h->lt_tab[k + 1] - h->lt_tab[k]);
    }
    return h->lt_c - 0.5 * (h->nu + 1) * log1p(u / h->nu);
}

/* Viterbi over the states with levels mu[K] and log prior lp[K] per bin;
 * returns the best log joint and fills h->path. */
static double viterbi(hmm_t *h, const double *mu, const double *lp)
{
    int K = h->K;
    double best = -INFINITY;
    for (int i = 0; i < h->n; i++) {
        double prev_best = -INFINITY;
        int arg = 0;
        if (i > 0)
            for (int c = 0; c < K; c++)
                if (h->v[c] > prev_best)
                    prev_best = h->v[c], arg = c;
        for (int c = 0; c < K; c++) {
            double e = lt_pdf(h, (h->x[i] - mu[c]) / h->sd) + lp[c];
            if (i == 0 || h->brk[i]) {
                /* a new contig: any state, from the best of the last */
                h->nv[c] = (i ? prev_best : 0) + e;
                h->bp[(size_t)i * K + c] = (unsigned char)(i ? arg : 255);
                continue;
            }
            double stay = h->v[c] + h->lstay, sw = prev_best + h->lsw;
            if (stay >= sw || arg == c) {
                h->nv[c] = stay + e;
                h->bp[(size_t)i * K + c] = 255;
            } else {
                h->nv[c] = sw + e;
                h->bp[(size_t)i * K + c] = (unsigned char)arg;
            }
        }
        double *t = h->v;
        h->v = h->nv;
        h->nv = t;
    }
    int s = 0;
    for (int c = 0; c < K; c++)
        if (h->v[c] > best)
            best = h->v[c], s = c;
    for (int i = h->n - 1; i >= 0; i--) {
        h->path[i] = s;
        unsigned char b = h->bp[(size_t)i * K + s];
        if (b != 255)
            s = b;
    }
    return best;
}

static void levels(double p, double psi, int K, double *mu)
{
    double den = 2 * (1 - p) + psi * p;
    for (int c = 0; c < K; c++) {
        double num = 2 * (1 - p) + c * p;
        mu[c] = log2(fmax(num, 1e-3) / den);
    }
}

/* Best score at tumour fraction p for neutral state 'neu': psi (the copy
 * number at log2 ratio 0, the ratios being normalised to mean 1) starts at
 * neu and is iterated to the mean state of the path.  Fills *ret_psi and
 * h->path. */
static double score_at(hmm_t *h, double p, int neu, const double *lp, double *ret_psi)
{
    double mu[32], psi = neu, best = -INFINITY, best_psi = psi;
    for (int it = 0; it < 6; it++) {
        levels(p, psi, h->K, mu);
        double s = viterbi(h, mu, lp);
        double m = 0;
        for (int i = 0; i < h->n; i++)
            m += h->path[i];
        m /= h->n;
        if (s > best) {
            best = s;
            best_psi = psi;
        }
        if (fabs(m - psi) < 1e-3)
            break;
        psi = m;
    }
    if (best_psi != psi) { /* leave h->path at the best psi */
        levels(p, best_psi, h->K, mu);
        best = viterbi(h, mu, lp);
    }
    *ret_psi = best_psi;
    return best;
}

/* Emission log-likelihood of the fixed path at (p, psi). */
static double path_loglik(const hmm_t *h, double p, double psi)
{
    double mu[32], s = 0;
    levels(p, psi, h->K, mu);
    for (int i = 0; i < h->n; i++)
        s += lt_pdf(h, (h->x[i] - mu[h->path[i]]) / h->sd);
    return s;
}

static double robust_sd(const double *x, const int *brk, int n)
{
    double *d = malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!d)
        return NAN;
    int k = 0;
    for (int i = 1; i < n; i++)
        if (!brk[i])
            d[k++] = fabs(x[i] - x[i - 1]);
    double m = median_of(d, k);
    free(d);
    return 1.4826 * m / sqrt(2.0);
}

int vw_genome_fit(vw_genome_t *g, const vw_genome_opt_t *opt, vw_gfit_t *ret, vw_gfit_t *ret_alt, int *ret_n_alt)
{
    const vw_gwig_t *w = g->w;
    int rc = 0, n = 0, K = opt->max_cn + 1;
    if (K < 2 || K > 30)
        return -EINVAL;
    double *x = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
    int *brk = malloc((size_t)(w->n ? w->n : 1) * sizeof(int)), *idx = malloc((size_t)(w->n ? w->n : 1) * sizeof(int));
    int *best_path = malloc((size_t)(w->n ? w->n : 1) * sizeof(int));
    hmm_t h = {0};
    if (!x || !brk || !idx || !best_path) {
        rc = -ENOMEM;
        goto out;
    }
    for (int i = 0, last = -1; i < w->n; i++) {
        if (g->mask[i] || !isfinite(g->log2r[i]))
            continue;
        x[n] = g->log2r[i];
        brk[n] = w->cid[i] != last;
        last = w->cid[i];
        idx[n++] = i;
    }
    if (n < MIN_BINS) {
        rc = VW_EINPUT;
        goto out;
    }
    h.n = n;
    h.x = x;
    h.brk = brk;
    h.K = K;
    h.sd = robust_sd(x, brk, n);
    if (!(h.sd > 1e-6))
        h.sd = 1e-6;
    h.nu = opt->nu;
    h.lt_c = lgamma((opt->nu + 1) / 2) - lgamma(opt->nu / 2) - 0.5 * log(opt->nu * M_PI) - log(h.sd);
    h.lsw = log(opt->switch_prob / (K - 1));
    h.lstay = log1p(-opt->switch_prob);
    h.v = malloc((size_t)K * sizeof(double));
    h.nv = malloc((size_t)K * sizeof(double));
    h.bp = malloc((size_t)n * (size_t)K);
    h.path = malloc((size_t)n * sizeof(int));
    h.lt_tab = malloc(LT_N * sizeof(double));
    if (!h.v || !h.nv || !h.bp || !h.path || !h.lt_tab) {
        rc = -ENOMEM;
        goto out;
    }
    for (int k = 0; k < LT_N; k++)
        h.lt_tab[k] = -0.5 * (h.nu + 1) * log1p(k * LT_STEP / h.nu);
    vw_gfit_t best = {0}, alt[4];
    int n_alt = 0;
    double best_total = -INFINITY;
    for (int pi = 0; pi < 4 && opt->ploidies[pi] > 0; pi++) {
        int neu = opt->ploidies[pi];
        if (neu >= K)
            continue;
        double lp[32];
        for (int c = 0; c < K; c++)
            lp[c] = -opt->cn_penalty * abs(c - neu) - (c == 0 ? opt->zero_penalty : 0);
        double psi0, s0 = score_at(&h, 0, neu, lp, &psi0);
        double bs = s0, bp = 0, bpsi = neu, psi;
        /* coarse grid, then a fine one around the best */
        for (int k = 1; k * 0.02 <= opt->tf_max + 1e-9; k++) {
            double s = score_at(&h, k * 0.02, neu, lp, &psi);
            if (s > bs)
                bs = s, bp = k * 0.02, bpsi = psi;
        }
        for (int pass = 0; pass < 2; pass++) { /* 0.002 steps within 0.018, then 0.001 either side */
            double c0 = bp, st = pass ? 0.001 : 0.002;
            for (int k = pass ? -1 : -9; k <= (pass ? 1 : 9); k++) {
                double p = c0 + k * st;
                if (p <= 0 || p > opt->tf_max || k == 0)
                    continue;
                double s = score_at(&h, p, neu, lp, &psi);
                if (s > bs)
                    bs = s, bp = p, bpsi = psi;
            }
        }
        vw_gfit_t f = {0};
        f.neutral = neu;
        f.tf = bp;
        f.loglik = bs;
        f.llr = 2 * (bs - s0);
        f.sd = h.sd;
        f.n_bins = n;
        f.detected = f.llr > opt->min_llr && bp > 0;
        /* the path at the best point, its ploidy and the profile interval of p */
        double mu[32];
        levels(bp, bpsi, K, mu);
        (void)viterbi(&h, mu, lp);
        double m = 0;
        for (int i = 0; i < n; i++)
            m += h.path[i];
        f.ploidy = m / n;
        double l0 = f.detected ? path_loglik(&h, bp, bpsi) : 0;
        double lo = bp, hi = bp;
        for (double p = bp - 0.001; f.detected && p > 0; p -= 0.001) {
            if (2 * (l0 - path_loglik(&h, p, bpsi)) > 3.841459)
                break;
            lo = p;
        }
        if (lo < 0.0015)
            lo = 0;
        for (double p = bp + 0.001; f.detected && p < 1; p += 0.001) {
            if (2 * (l0 - path_loglik(&h, p, bpsi)) > 3.841459)
                break;
            hi = p;
        }
        f.tf_lo = lo;
        f.tf_hi = hi;
        f.tf_ml = f.tf;
        if (!f.detected) { /* no copy-number signal: TF 0, no upper limit from this fit */
            f.tf = f.tf_lo = 0;
            f.tf_hi = NAN;
        }
        alt[n_alt++] = f;
        double total = bs - (pi > 0 ? opt->alt_margin : 0);
        if (total > best_total) {
            best_total = total;
            best = f;
            for (int i = 0; i < n; i++)
                best_path[i] = f.detected ? h.path[i] : neu;
        }
    }
    if (n_alt == 0) {
        rc = -EINVAL;
        goto out;
    }
    for (int i = 0; i < w->n; i++)
        g->cn[i] = NAN;
    for (int i = 0; i < n; i++)
        g->cn[idx[i]] = best_path[i];
    if (!best.detected)
        best.ploidy = best.neutral;
    *ret = best;
    if (ret_alt)
        memcpy(ret_alt, alt, (size_t)n_alt * sizeof(*alt));
    if (ret_n_alt)
        *ret_n_alt = n_alt;
out:
    free(x);
    free(brk);
    free(idx);
    free(best_path);
    free(h.v);
    free(h.nv);
    free(h.bp);
    free(h.path);
    free(h.lt_tab);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Segments, instability, arms, focal                                  */

int vw_genome_segments(const vw_genome_t *g, vw_gseg_t **ret, int *ret_n)
{
    const vw_gwig_t *w = g->w;
    vw_gseg_t *s = NULL;
    int n = 0, m = 0;
    for (int i = 0; i < w->n; i++) {
        if (!isfinite(g->cn[i]))
            continue;
        int c = (int)g->cn[i];
        if (n && s[n - 1].cid == w->cid[i] && s[n - 1].cn == c) {
            vw_gseg_t *t = &s[n - 1];
            t->log2r += g->log2r[i];
            t->n_bins++;
            t->end = w->end[i];
            continue;
        }
        if (n == m) {
            m = m ? 2 * m : 64;
            vw_gseg_t *t = realloc(s, (size_t)m * sizeof(*s));
            if (!t) {
                free(s);
                return -ENOMEM;
            }
            s = t;
        }
        s[n++] = (vw_gseg_t){w->cid[i], w->beg[i], w->end[i], 1, c, g->log2r[i]};
    }
    for (int i = 0; i < n; i++)
        s[i].log2r /= s[i].n_bins;
    *ret = s;
    *ret_n = n;
    return 0;
}

void vw_genome_instability(const vw_genome_t *g, int neutral, double *ret_fga, double *ret_wgii)
{
    const vw_gwig_t *w = g->w;
    int nb[23] = {0}, na[23] = {0}, tot = 0, alt = 0;
    for (int i = 0; i < w->n; i++) {
        if (!isfinite(g->cn[i]))
            continue;
        int a = autosome_number(w->chrom[w->cid[i]]);
        if (!a)
            continue;
        int x = (int)g->cn[i] != neutral;
        nb[a]++;
        na[a] += x;
        tot++;
        alt += x;
    }
    double s = 0;
    int k = 0;
    for (int a = 1; a <= 22; a++)
        if (nb[a]) {
            s += (double)na[a] / nb[a];
            k++;
        }
    *ret_fga = tot ? (double)alt / tot : NAN;
    *ret_wgii = k ? s / k : NAN;
}

/* Centromere midpoint of contig 'name' in 'gaps' (the widest interval
 * named for it), -1 none. */
static hts_pos_t centromere(const vw_gaps_t *gaps, const char *name, hts_pos_t *ret_beg, hts_pos_t *ret_end)
{
    hts_pos_t best = -1, wd = -1;
    for (int k = 0; gaps && k < gaps->n; k++)
        if (same_contig(name, gaps->chrom[k]) && gaps->end[k] - gaps->beg[k] > wd) {
            wd = gaps->end[k] - gaps->beg[k];
            best = (gaps->beg[k] + gaps->end[k]) / 2;
            *ret_beg = gaps->beg[k];
            *ret_end = gaps->end[k];
        }
    return best;
}

int vw_genome_arms(const vw_genome_t *g, const vw_gaps_t *gaps, int neutral, vw_garm_t **ret, int *ret_n)
{
    const vw_gwig_t *w = g->w;
    vw_garm_t *a = calloc((size_t)(2 * w->n_chrom + 1), sizeof(*a));
    double *st = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
    if (!a || !st) {
        free(a);
        free(st);
        return -ENOMEM;
    }
    int n = 0;
    for (int c = 0; c < w->n_chrom; c++) {
        if (!is_autosome(w->chrom[c]))
            continue;
        hts_pos_t cb = 0, ce = 0, mid = centromere(gaps, w->chrom[c], &cb, &ce);
        for (int arm = 0; arm < (mid >= 0 ? 2 : 1); arm++) {
            vw_garm_t *r = &a[n];
            r->cid = c;
            strcpy(r->arm, mid < 0 ? "all" : arm ? "q" : "p");
            r->beg = -1;
            int k = 0, alt = 0;
            double s = 0;
            for (int i = 0; i < w->n; i++) {
                if (w->cid[i] != c)
                    continue;
                hts_pos_t bm = (w->beg[i] + w->end[i]) / 2;
                if (mid >= 0 && (arm ? bm < mid : bm >= mid))
                    continue;
                if (r->beg < 0)
                    r->beg = w->beg[i];
                r->end = w->end[i];
                if (!isfinite(g->cn[i]))
                    continue;
                st[k++] = g->cn[i];
                s += g->log2r[i];
                alt += (int)g->cn[i] != neutral;
            }
            if (r->beg < 0)
                continue; /* an arm without bins (acrocentric p) */
            r->n_bins = k;
            r->log2r = k ? s / k : NAN;
            r->cn = k ? median_of(st, k) : NAN;
            r->frac_altered = k ? (double)alt / k : NAN;
            r->call = k < 5 ? -2 : r->cn > neutral ? 1 : r->cn < neutral ? -1 : 0;
            n++;
        }
    }
    free(st);
    *ret = a;
    *ret_n = n;
    return 0;
}

int vw_genome_focal(const vw_genome_t *g, const vw_gaps_t *gaps, vw_build_t build, int neutral, double sd,
                    vw_gfocal_t *out)
{
    static const char *genes[] = {"EGFR", "MET", "KRAS", "ERBB2"};
    const vw_gwig_t *w = g->w;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    int have = rs && vw_cnv_regions_builtin(rs, build, NULL, 1 << 30) == 0;
    double *v = malloc((size_t)(w->n ? w->n : 1) * sizeof(double));
    for (int k = 0; k < 4; k++) {
        vw_gfocal_t *f = &out[k];
        *f = (vw_gfocal_t){genes[k], -1, 0, 0, NAN, NAN, NAN, -1};
        if (!have || !v)
            continue;
        const vw_cnv_region_t *r = NULL;
        for (int i = 0; i < rs->n; i++)
            if (!strcmp(rs->r[i].gene, genes[k]))
                r = &rs->r[i];
        if (!r)
            continue;
        hts_pos_t mid = (r->beg + r->end) / 2;
        int bi = -1;
        for (int i = 0; i < w->n && bi < 0; i++)
            if (w->beg[i] <= mid && mid < w->end[i] && same_contig(w->chrom[w->cid[i]], r->chrom))
                bi = i;
        if (bi < 0)
            continue;
        f->cid = w->cid[bi];
        f->beg = w->beg[bi];
        f->end = w->end[bi];
        if (!isfinite(g->cn[bi]))
            continue;
        f->log2r = g->log2r[bi];
        f->cn = g->cn[bi];
        hts_pos_t cb = 0, ce = 0, cm = centromere(gaps, w->chrom[f->cid], &cb, &ce);
        int q = cm >= 0 && mid >= cm, nv = 0;
        for (int i = 0; i < w->n; i++) {
            if (i == bi || w->cid[i] != f->cid || !isfinite(g->cn[i]))
                continue;
            hts_pos_t bm = (w->beg[i] + w->end[i]) / 2;
            if (cm >= 0 && (q ? bm < cm : bm >= cm))
                continue;
            v[nv++] = g->log2r[i];
        }
        if (nv >= 5 && sd > 0) {
            f->z = (f->log2r - median_of(v, nv)) / sd;
            f->gain = f->z >= 3 && f->cn > neutral;
        }
    }
    free(v);
    vw_cnv_regions_destroy(rs);
    return 4;
}

/* ------------------------------------------------------------------ */
/* Writers                                                             */

static void put(FILE *fp, const char *fmt, double x)
{
    if (isfinite(x))
        fprintf(fp, fmt, x);
    else
        fputs("NA", fp);
}

int vw_genome_write_summary_header(FILE *fp)
{
    fputs("#sample\ttf\ttf_lo\ttf_hi\tdetected\tllr\tploidy\tneutral_cn\tsd\tn_bins\tfga\tcin_wgii"
          "\ttf_ploidy2\ttf_ploidy3\ttf_change\trise\ttf_ml\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_genome_write_summary(FILE *fp, const vw_genome_t *g, const vw_gfit_t *f, double fga, double wgii, int n_alt,
                            const vw_gfit_t *alt, const vw_gfit_t *prev)
{
    fprintf(fp, "%s\t%.3f\t%.3f\t", g->sample, f->tf, f->tf_lo);
    put(fp, "%.3f", f->tf_hi);
    fprintf(fp, "\t%s\t%.2f\t", f->detected ? "yes" : "no", f->llr);
    fprintf(fp, "%.3f\t%d\t%.4f\t%d\t", f->ploidy, f->neutral, f->sd, f->n_bins);
    put(fp, "%.4f", fga);
    fputc('\t', fp);
    put(fp, "%.4f", wgii);
    for (int pl = 2; pl <= 3; pl++) {
        double t = NAN;
        for (int k = 0; k < n_alt; k++)
            if (alt[k].neutral == pl)
                t = alt[k].tf;
        fputc('\t', fp);
        put(fp, "%.3f", t);
    }
    if (prev)
        fprintf(fp, "\t%.3f\t%s", f->tf - prev->tf,
                f->detected && prev->detected && f->tf_lo > prev->tf_hi ? "yes" : "no");
    else
        fputs("\tNA\tNA", fp);
    fprintf(fp, "\t%.3f\n", f->tf_ml);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static void mask_text(FILE *fp, unsigned m)
{
    static const char *names[] = {"no_data", "low_map", "centromere", "pon", "outlier", "not_autosome"};
    if (!m) {
        fputc('.', fp);
        return;
    }
    int first = 1;
    for (int b = 0; b < 6; b++)
        if (m & (1u << b)) {
            fprintf(fp, "%s%s", first ? "" : ",", names[b]);
            first = 0;
        }
}

int vw_genome_write_bins(FILE *fp, const vw_genome_t *g, int header)
{
    const vw_gwig_t *w = g->w;
    if (header)
        fputs("#sample\tchrom\tstart\tend\treads\tgc\tmap\tlog2r\tcn\tmask\n", fp);
    for (int i = 0; i < w->n; i++) {
        fprintf(fp, "%s\t%s\t%lld\t%lld\t", g->sample, w->chrom[w->cid[i]], (long long)w->beg[i] + 1,
                (long long)w->end[i]);
        put(fp, "%.0f", w->v[i]);
        fputc('\t', fp);
        put(fp, "%.4f", g->gc[i]);
        fputc('\t', fp);
        put(fp, "%.4f", g->map[i]);
        fputc('\t', fp);
        put(fp, "%.4f", g->log2r[i]);
        fputc('\t', fp);
        put(fp, "%.0f", g->cn[i]);
        fputc('\t', fp);
        mask_text(fp, g->mask[i]);
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_genome_write_seg(FILE *fp, const vw_genome_t *g, const vw_gseg_t *s, int n, int header)
{
    if (header)
        fputs("ID\tchrom\tloc.start\tloc.end\tnum.mark\tcopy_number\tseg.mean\n", fp);
    for (int i = 0; i < n; i++)
        fprintf(fp, "%s\t%s\t%lld\t%lld\t%d\t%d\t%.4f\n", g->sample, g->w->chrom[s[i].cid], (long long)s[i].beg + 1,
                (long long)s[i].end, s[i].n_bins, s[i].cn, s[i].log2r);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_genome_write_arms(FILE *fp, const vw_genome_t *g, const vw_garm_t *a, int n, int header)
{
    static const char *calls[] = {"NA", "loss", "neutral", "gain"};
    if (header)
        fputs("#sample\tchrom\tarm\tstart\tend\tn_bins\tlog2r\tcn\tfrac_altered\tcall\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%s\t%s\t%s\t%lld\t%lld\t%d\t", g->sample, g->w->chrom[a[i].cid], a[i].arm,
                (long long)a[i].beg + 1, (long long)a[i].end, a[i].n_bins);
        put(fp, "%.4f", a[i].log2r);
        fputc('\t', fp);
        put(fp, "%.1f", a[i].cn);
        fputc('\t', fp);
        put(fp, "%.3f", a[i].frac_altered);
        fprintf(fp, "\t%s\n", calls[a[i].call + 2]);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_genome_write_focal(FILE *fp, const vw_genome_t *g, const vw_gfocal_t *f, int n, int header)
{
    if (header)
        fputs("#sample\tgene\tchrom\tbin_start\tbin_end\tlog2r\tz\tcn\tfocal_gain\n", fp);
    for (int i = 0; i < n; i++) {
        fprintf(fp, "%s\t%s\t", g->sample, f[i].gene);
        if (f[i].cid < 0)
            fputs("NA\tNA\tNA\t", fp);
        else
            fprintf(fp, "%s\t%lld\t%lld\t", g->w->chrom[f[i].cid], (long long)f[i].beg + 1, (long long)f[i].end);
        put(fp, "%.4f", f[i].log2r);
        fputc('\t', fp);
        put(fp, "%.2f", f[i].z);
        fputc('\t', fp);
        put(fp, "%.0f", f[i].cn);
        fprintf(fp, "\t%s\n", f[i].gain < 0 ? "NA" : f[i].gain ? "yes" : "no");
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

/* ------------------------------------------------------------------ */
/* Summary tables read back                                            */

vw_gsum_t *vw_gsum_init(void)
{
    vw_gsum_t *s = calloc(1, sizeof(*s));
    if (!s)
        errno = ENOMEM;
    return s;
}

void vw_gsum_destroy(vw_gsum_t *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        free(s->sample[i]);
    free(s->sample);
    free(s->fit);
    free(s->fga);
    free(s->wgii);
    free(s);
}

enum { GS_SAMPLE, GS_TF, GS_LO, GS_HI, GS_DET, GS_LLR, GS_PLOIDY, GS_NEUTRAL, GS_FGA, GS_WGII, GS_N };

/* The summary columns read back (others are ignored). */
static const vw_table_col_t gsum_cols[GS_N] = {
    {"sample", 1}, {"tf", 1}, {"tf_lo", 1}, {"tf_hi", 1}, {"detected", 1}, {"llr", 1}, {"ploidy", 1},
    {"neutral_cn", 1}, {"fga", 1}, {"cin_wgii", 1}};

/* Parses one row's values into v[] (fields in gsum_cols order).  Returns
 * -1 or the column that is missing or invalid. */
static int gsum_values(char **g, double *v)
{
    for (int c = 0; c < GS_N; c++) {
        if (c == GS_SAMPLE || c == GS_DET)
            continue;
        if (vw_table_parse_double(g[c], VW_NUM_NA, -INFINITY, INFINITY, &v[c]) != 0)
            return c;
    }
    if (strcmp(g[GS_DET], "yes") && strcmp(g[GS_DET], "no"))
        return GS_DET;
    if (!g[GS_SAMPLE][0])
        return GS_SAMPLE;
    if (!(v[GS_TF] >= 0 && v[GS_TF] <= 1))
        return GS_TF;
    if (!isfinite(v[GS_LO]))
        return GS_LO;
    if (!isfinite(v[GS_PLOIDY]))
        return GS_PLOIDY;
    /* a copy number: a whole number, kept in an int (NA and inf fail too) */
    if (!(v[GS_NEUTRAL] >= 0 && v[GS_NEUTRAL] <= 1000 && v[GS_NEUTRAL] == floor(v[GS_NEUTRAL])))
        return GS_NEUTRAL;
    return -1;
}

/* Appends one sample; returns 0 or -ENOMEM. */
static int gsum_push(vw_gsum_t *s, const char *sample, const char *det, const double *v)
{
    if (s->n == s->m) {
        int m = s->m ? 2 * s->m : 16;
        char **a = realloc(s->sample, (size_t)m * sizeof(*a));
        if (a)
            s->sample = a;
        vw_gfit_t *b = realloc(s->fit, (size_t)m * sizeof(*b));
        if (b)
            s->fit = b;
        double *c = realloc(s->fga, (size_t)m * sizeof(*c));
        if (c)
            s->fga = c;
        double *d = realloc(s->wgii, (size_t)m * sizeof(*d));
        if (d)
            s->wgii = d;
        if (!a || !b || !c || !d)
            return -ENOMEM;
        s->m = m;
    }
    if (!(s->sample[s->n] = vw_strdup(sample)))
        return -ENOMEM;
    vw_gfit_t *x = &s->fit[s->n];
    memset(x, 0, sizeof(*x));
    x->tf = v[GS_TF];
    x->tf_lo = v[GS_LO];
    x->tf_hi = v[GS_HI];
    x->tf_ml = v[GS_TF];
    x->detected = !strcmp(det, "yes");
    x->llr = v[GS_LLR];
    x->ploidy = v[GS_PLOIDY];
    x->neutral = (int)v[GS_NEUTRAL];
    s->fga[s->n] = v[GS_FGA];
    s->wgii[s->n] = v[GS_WGII];
    s->n++;
    return 0;
}

int vw_gsum_read_tsv(vw_gsum_t *s, const char *path)
{
    vw_table_t *t = NULL;
    int col[GS_N], rc;
    char **f, *g[GS_N];
    double v[GS_N];
    if ((rc = vw_table_open(path, "cnv --genome summary", &t)) < 0)
        return rc;
    if ((rc = vw_table_header(t, "cnv --genome summary", gsum_cols, GS_N, VW_TABLE_UNKNOWN_IGNORE, col)) < 0)
        goto out;
    while ((rc = vw_table_row(t, &f)) == 1) {
        long ln = vw_table_lineno(t);
        for (int c = 0; c < GS_N; c++)
            g[c] = f[col[c]];
        int bad = gsum_values(g, v);
        if (bad >= 0) {
            vw_table_error(path, ln, gsum_cols[bad].name, "missing or not a valid value");
            rc = VW_EPARSE;
            break;
        }
        for (int i = 0; i < s->n && rc == 1; i++)
            if (!strcmp(s->sample[i], g[GS_SAMPLE])) {
                vw_error("%s:%ld: sample '%s' is already in an earlier row or table", path, ln, s->sample[i]);
                rc = VW_EINPUT;
            }
        if (rc < 0 || (rc = gsum_push(s, g[GS_SAMPLE], g[GS_DET], v)) < 0)
            break;
    }
    if (rc == -ENOMEM)
        vw_error_code(rc, "%s", path);
out:
    vw_table_close(t);
    return rc;
}
