/* cnv.c -- gene copy number from depth ratios against a panel of normals.
 * Method and formulas: include/vafwatch/cnv.h and docs/copy-number.md. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/faidx.h>

#include "vafwatch/cnv.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"

#define LOG2R_FLOOR (-10.0) /* log2R of a region without fragments */

/* ------------------------------------------------------------------ */
/* Conversions (docs/copy-number.md)                                    */

double vw_cnv_pcn_from_cn(double cn_t, double tf) { return 2.0 + tf * (cn_t - 2.0); }

double vw_cnv_cn_from_pcn(double pcn, double tf)
{
    if (!(tf > 0) || !isfinite(tf) || !isfinite(pcn))
        return NAN;
    return 2.0 + (pcn - 2.0) / tf;
}

double vw_cnv_pcn_from_log2r(double log2r) { return isfinite(log2r) ? 2.0 * exp2(log2r) : NAN; }

double vw_cnv_tf_from_vaf(double vaf)
{
    if (!isfinite(vaf) || !(vaf > 0))
        return NAN;
    return vaf >= 0.5 ? 1.0 : 2.0 * vaf;
}

void vw_cnv_opt_init(vw_cnv_opt_t *o)
{
    o->min_z = 3.0;
    o->min_cn = 4.0;
    o->min_pcn = 2.4;
    o->min_sd = 0.05;
    o->heracles = 0;
}

/* ------------------------------------------------------------------ */
/* Regions                                                             */

vw_cnv_regions_t *vw_cnv_regions_init(void)
{
    vw_cnv_regions_t *rs = calloc(1, sizeof(*rs));
    if (!rs)
        errno = ENOMEM;
    return rs;
}

void vw_cnv_regions_destroy(vw_cnv_regions_t *rs)
{
    if (!rs)
        return;
    for (int i = 0; i < rs->n; i++) {
        free(rs->r[i].chrom);
        free(rs->r[i].gene);
    }
    free(rs->r);
    free(rs);
}

int vw_cnv_regions_add(vw_cnv_regions_t *rs, const char *chrom, hts_pos_t beg, hts_pos_t end, const char *gene,
                       int is_ref)
{
    if (rs->n == rs->m) {
        int m = rs->m ? 2 * rs->m : 64;
        vw_cnv_region_t *r = realloc(rs->r, (size_t)m * sizeof(*r));
        if (!r)
            return -ENOMEM;
        rs->r = r;
        rs->m = m;
    }
    vw_cnv_region_t *r = &rs->r[rs->n];
    r->chrom = vw_strdup(chrom);
    r->gene = vw_strdup(is_ref ? "." : gene);
    if (!r->chrom || !r->gene) {
        free(r->chrom);
        free(r->gene);
        return -ENOMEM;
    }
    r->beg = beg;
    r->end = end;
    r->is_ref = is_ref;
    r->gc = NAN;
    rs->n++;
    return 0;
}

int vw_cnv_regions_load_bed(vw_cnv_regions_t *rs, const char *path, int all_ref)
{
    vw_table_t *t = NULL;
    int ret = vw_table_open(path, "BED file", &t);
    if (ret < 0)
        return ret;
    char *line = NULL, *f[5];
    long b, e;
    while ((ret = vw_table_next_line(t, &line)) == 1) {
        long ln = vw_table_lineno(t);
        ret = 0;
        if (!*line || *line == '#' || !strncmp(line, "track", 5) || !strncmp(line, "browser", 7))
            continue;
        int nf = vw_split_tabs(line, f, 5);
        if (nf < 3 || vw_parse_long(f[1], &b) || vw_parse_long(f[2], &e) || b < 0 || e <= b) {
            vw_error("%s:%ld: not a BED line (chrom, 0-based start, end > start, tab-separated)", path, ln);
            ret = VW_EPARSE;
            break;
        }
        if (!all_ref && (nf < 4 || !*f[3])) {
            vw_error("%s:%ld: a 4th column naming the gene is needed ('.' or 'ref' for a reference region)", path,
                     ln);
            ret = VW_EPARSE;
            break;
        }
        int is_ref = all_ref || !strcmp(f[3], ".") || !strcmp(f[3], "ref");
        if ((ret = vw_cnv_regions_add(rs, f[0], b, e, is_ref ? "." : f[3], is_ref)) < 0) {
            vw_error_code(ret, "%s:%ld", path, ln);
            break;
        }
    }
    vw_table_close(t);
    return ret;
}

/* 1-based inclusive gene spans (docs/copy-number.md).  MET is approximate. */
static const struct {
    const char *gene, *chrom;
    hts_pos_t beg37, end37, beg38, end38;
    int approx;
} builtin_genes[] = {
    {"EGFR", "7", 55086710, 55279321, 55019017, 55211628, 0},
    {"MET", "7", 116310000, 116440000, 116669946, 116799946, 1}, /* GRCh38 = GRCh37 + 359,946 */
    {"KRAS", "12", 25358180, 25403863, 25205246, 25250929, 0},
    {"ERBB2", "17", 37844167, 37886679, 39687914, 39730426, 0},
};
#define N_BUILTIN_GENES ((int)(sizeof(builtin_genes) / sizeof(builtin_genes[0])))

static int in_list(const char *list, const char *name)
{
    size_t l = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t k = c ? (size_t)(c - p) : strlen(p);
        if (k == l && strncasecmp(p, name, l) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

int vw_cnv_regions_builtin(vw_cnv_regions_t *rs, vw_build_t build, const char *genes, int bin_size)
{
    if ((build != VW_BUILD_GRCH37 && build != VW_BUILD_GRCH38) || bin_size < 1)
        return -EINVAL;
    if (genes) { /* every listed name must be known */
        for (const char *p = genes; *p;) {
            const char *c = strchr(p, ',');
            size_t k = c ? (size_t)(c - p) : strlen(p);
            int ok = 0;
            for (int g = 0; g < N_BUILTIN_GENES; g++)
                ok |= strlen(builtin_genes[g].gene) == k && strncasecmp(p, builtin_genes[g].gene, k) == 0;
            if (!ok)
                return -EINVAL;
            p = c ? c + 1 : p + k;
        }
    }
    rs->build = build;
    for (int g = 0; g < N_BUILTIN_GENES; g++) {
        if (genes && !in_list(genes, builtin_genes[g].gene))
            continue;
        hts_pos_t b = (build == VW_BUILD_GRCH37 ? builtin_genes[g].beg37 : builtin_genes[g].beg38) - 1;
        hts_pos_t e = build == VW_BUILD_GRCH37 ? builtin_genes[g].end37 : builtin_genes[g].end38;
        rs->approx |= builtin_genes[g].approx;
        for (hts_pos_t x = b; x < e; x += bin_size) {
            int r = vw_cnv_regions_add(rs, builtin_genes[g].chrom, x, x + bin_size < e ? x + bin_size : e,
                                       builtin_genes[g].gene, 0);
            if (r < 0)
                return r;
        }
    }
    return 0;
}

/* Natural contig order: chr-less numbers first by value, then X, Y, M, then by name. */
static int contig_rank(const char *c, long *num)
{
    c = vw_contig_bare(c);
    if (isdigit((unsigned char)*c)) {
        char *end;
        *num = strtol(c, &end, 10);
        if (!*end)
            return 0;
    }
    *num = 0;
    if (!strcmp(c, "X")) return 1;
    if (!strcmp(c, "Y")) return 2;
    if (!strcmp(c, "MT")) return 3;
    return 4;
}

static int region_cmp(const void *a, const void *b)
{
    const vw_cnv_region_t *x = a, *y = b;
    long nx, ny;
    int rx = contig_rank(x->chrom, &nx), ry = contig_rank(y->chrom, &ny);
    if (rx != ry)
        return rx < ry ? -1 : 1;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    int c = strcmp(x->chrom, y->chrom);
    if (c)
        return c;
    return x->beg < y->beg ? -1 : x->beg > y->beg;
}

int vw_cnv_regions_finish(vw_cnv_regions_t *rs)
{
    int n_ref = 0, n_gene = 0;
    if (rs->n > 1)
        qsort(rs->r, (size_t)rs->n, sizeof(*rs->r), region_cmp);
    for (int i = 0; i < rs->n; i++) {
        const vw_cnv_region_t *a = &rs->r[i];
        n_ref += a->is_ref;
        n_gene += !a->is_ref;
        if (i > 0) {
            const vw_cnv_region_t *p = &rs->r[i - 1];
            if (!strcmp(p->chrom, a->chrom) && a->beg < p->end) {
                vw_error("regions %s:%lld-%lld (%s) and %s:%lld-%lld (%s) overlap; merge them or give them one gene",
                         p->chrom, (long long)p->beg + 1, (long long)p->end, p->gene, a->chrom,
                         (long long)a->beg + 1, (long long)a->end, a->gene);
                return VW_EINPUT;
            }
        }
    }
    if (n_gene == 0) {
        vw_error("no gene regions (a BED 4th column naming the gene, or the built-in spans)");
        return VW_EINPUT;
    }
    if (n_ref == 0) {
        vw_error("no reference regions: give --reference-regions BED, or BED lines with '.' or 'ref' as gene");
        return VW_EINPUT;
    }
    return 0;
}

int vw_cnv_regions_gc(vw_cnv_regions_t *rs, const char *fasta)
{
    faidx_t *fai = fai_load(fasta);
    if (!fai) {
        vw_error("%s: cannot load the reference (no .fai index, or not a FASTA?)", fasta);
        return VW_EINPUT;
    }
    int ret = 0;
    for (int i = 0; i < rs->n && ret == 0; i++) {
        vw_cnv_region_t *r = &rs->r[i];
        char alt[8][VW_CONTIG_NAMESZ];
        const char *name = NULL;
        int n_alt = vw_contig_spellings(r->chrom, alt, 8);
        for (int k = 0; k < n_alt && !name; k++)
            if (faidx_has_seq(fai, alt[k]))
                name = alt[k];
        if (!name) {
            vw_error("%s: contig '%s' is not in the reference (wrong build or naming?)", fasta, r->chrom);
            ret = VW_EBUILD;
            break;
        }
        hts_pos_t len = 0;
        char *s = faidx_fetch_seq64(fai, name, r->beg, r->end - 1, &len);
        if (!s || len != r->end - r->beg) {
            vw_error("%s: cannot read %s:%lld-%lld (beyond the contig end? wrong build?)", fasta, r->chrom,
                     (long long)r->beg + 1, (long long)r->end);
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
        r->gc = acgt ? (double)gc / (double)acgt : NAN;
        free(s);
    }
    fai_destroy(fai);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Normalisation                                                       */

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of the finite values of v[0..n-1] (reorders a scratch copy).  NAN when none. */
static double median(const double *v, int n, double *tmp)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]))
            tmp[k++] = v[i];
    if (k == 0)
        return NAN;
    qsort(tmp, (size_t)k, sizeof(double), dbl_cmp);
    return k % 2 ? tmp[k / 2] : 0.5 * (tmp[k / 2 - 1] + tmp[k / 2]);
}

void vw_cnv_sample_destroy(vw_cnv_sample_t *s)
{
    if (!s)
        return;
    free(s->sample);
    free(s->path);
    free(s->frag);
    free(s->norm);
    free(s);
}

#define GC_BINS 20 /* 5 % GC bins */
#define GC_MIN_REF 3

int vw_cnv_normalise(vw_cnv_sample_t *s, const vw_cnv_regions_t *rs, int gc)
{
    int n = rs->n, ret = 0;
    double *d = malloc((size_t)(n ? n : 1) * sizeof(double));
    double *ref = malloc((size_t)(n ? n : 1) * sizeof(double));
    double *tmp = malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!d || !ref || !tmp) {
        ret = -ENOMEM;
        goto out;
    }
    if (!s->norm && !(s->norm = malloc((size_t)(n ? n : 1) * sizeof(double)))) {
        ret = -ENOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++)
        d[i] = (double)s->frag[i] / (double)(rs->r[i].end - rs->r[i].beg);
    for (int i = 0; i < n; i++)
        ref[i] = rs->r[i].is_ref ? d[i] : NAN;
    double all = median(ref, n, tmp);
    if (!(all > 0)) {
        ret = VW_EINPUT;
        goto out;
    }
    s->gc_corrected = 0;
    if (gc) {
        /* binned-median GC correction fitted on the reference regions */
        double fac[GC_BINS];
        for (int b = 0; b < GC_BINS; b++) {
            int k = 0;
            for (int i = 0; i < n; i++)
                if (rs->r[i].is_ref && isfinite(rs->r[i].gc) && (int)fmin(rs->r[i].gc * GC_BINS, GC_BINS - 1) == b)
                    tmp[k++] = d[i];
            double m = k >= GC_MIN_REF ? median(tmp, k, ref) : NAN;
            fac[b] = m > 0 ? m / all : NAN;
        }
        for (int i = 0; i < n; i++) {
            if (!isfinite(rs->r[i].gc))
                continue;
            double f = fac[(int)fmin(rs->r[i].gc * GC_BINS, GC_BINS - 1)];
            if (isfinite(f)) {
                d[i] /= f;
                s->gc_corrected = 1;
            }
        }
        for (int i = 0; i < n; i++)
            ref[i] = rs->r[i].is_ref ? d[i] : NAN;
        all = median(ref, n, tmp);
        if (!(all > 0)) {
            ret = VW_EINPUT;
            goto out;
        }
    }
    for (int i = 0; i < n; i++)
        s->norm[i] = d[i] / all;
out:
    free(d);
    free(ref);
    free(tmp);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Panel of normals                                                    */

void vw_cnv_pon_destroy(vw_cnv_pon_t *p)
{
    if (!p)
        return;
    free(p->median);
    for (int g = 0; p->gene && g < p->n_genes; g++)
        free(p->gene[g]);
    free(p->gene);
    free(p->mean);
    free(p->sd);
    free(p);
}

/* Genes in first-appearance order; returns their number or -ENOMEM. */
static int gene_list(const vw_cnv_regions_t *rs, char ***ret)
{
    char **g = calloc((size_t)(rs->n ? rs->n : 1), sizeof(char *));
    int n = 0;
    if (!g)
        return -ENOMEM;
    for (int i = 0; i < rs->n; i++) {
        if (rs->r[i].is_ref)
            continue;
        int k;
        for (k = 0; k < n && strcmp(g[k], rs->r[i].gene); k++)
            ;
        if (k == n && !(g[n++] = vw_strdup(rs->r[i].gene))) {
            for (k = 0; k < n - 1; k++)
                free(g[k]);
            free(g);
            return -ENOMEM;
        }
    }
    *ret = g;
    return n;
}

static double region_log2r(double norm, double med)
{
    if (!(med > 0) || !isfinite(norm))
        return NAN;
    return norm > 0 ? log2(norm / med) : LOG2R_FLOOR;
}

/* Median of the gene's region log2R; *ret_n regions used. */
static double gene_log2r(const vw_cnv_regions_t *rs, const char *gene, const double *l2, double *tmp, int *ret_n)
{
    int k = 0;
    for (int i = 0; i < rs->n; i++)
        if (!rs->r[i].is_ref && !strcmp(rs->r[i].gene, gene) && isfinite(l2[i]))
            tmp[k++] = l2[i];
    *ret_n = k;
    return k ? median(tmp, k, tmp + rs->n) : NAN;
}

int vw_cnv_pon_build(const vw_cnv_regions_t *rs, vw_cnv_sample_t *const *normals, int n, vw_cnv_pon_t **ret)
{
    if (n < 1)
        return VW_EINPUT;
    int R = rs->n, ret_code = -ENOMEM;
    vw_cnv_pon_t *p = calloc(1, sizeof(*p));
    double *v = malloc((size_t)n * sizeof(double)), *tmp = malloc((size_t)(2 * R + n + 1) * sizeof(double));
    double *l2 = malloc((size_t)(R ? R : 1) * sizeof(double)), *gl = malloc((size_t)n * sizeof(double));
    if (!p || !v || !tmp || !l2 || !gl)
        goto fail;
    p->n_normals = n;
    p->n_regions = R;
    if (!(p->median = malloc((size_t)(R ? R : 1) * sizeof(double))))
        goto fail;
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < n; j++)
            v[j] = normals[j]->norm[i];
        p->median[i] = median(v, n, tmp);
    }
    int ng = gene_list(rs, &p->gene);
    if (ng < 0)
        goto fail;
    p->n_genes = ng;
    p->mean = malloc((size_t)(ng ? ng : 1) * sizeof(double));
    p->sd = malloc((size_t)(ng ? ng : 1) * sizeof(double));
    if (!p->mean || !p->sd)
        goto fail;
    for (int g = 0; g < ng; g++) {
        int k = 0, used;
        for (int j = 0; j < n && n >= 2; j++) {
            /* leave-one-out: normal j against the median of the others */
            for (int i = 0; i < R; i++) {
                int m = 0;
                for (int o = 0; o < n; o++)
                    if (o != j)
                        v[m++] = normals[o]->norm[i];
                l2[i] = rs->r[i].is_ref || strcmp(rs->r[i].gene, p->gene[g]) ? NAN
                                                                               : region_log2r(normals[j]->norm[i], median(v, m, tmp));
            }
            double x = gene_log2r(rs, p->gene[g], l2, tmp, &used);
            if (isfinite(x))
                gl[k++] = x;
        }
        double mu = 0, ss = 0;
        for (int j = 0; j < k; j++)
            mu += gl[j];
        mu = k ? mu / k : NAN;
        for (int j = 0; j < k; j++)
            ss += (gl[j] - mu) * (gl[j] - mu);
        p->mean[g] = mu;
        p->sd[g] = k >= 3 ? sqrt(ss / (k - 1)) : NAN;
    }
    free(v);
    free(tmp);
    free(l2);
    free(gl);
    *ret = p;
    return 0;
fail:
    vw_cnv_pon_destroy(p);
    free(v);
    free(tmp);
    free(l2);
    free(gl);
    return ret_code;
}

enum { PC_KIND, PC_CHROM, PC_START, PC_END, PC_GENE, PC_N_NORMALS, PC_MEDIAN, PC_MEAN, PC_SD, PC_N };

/* The PoN's columns, all required (as vw_cnv_pon_write() writes them). */
static const vw_table_col_t pon_cols[PC_N] = {
    {"kind", 1}, {"chrom", 1}, {"start", 1}, {"end", 1}, {"gene", 1}, {"n_normals", 1},
    {"median_norm_depth", 1}, {"mean_log2r", 1}, {"sd_log2r", 1}};

/* x with 'fmt', or NA when it is not finite. */
static void put_num(FILE *fp, double x, const char *fmt)
{
    vw_table_put_num(fp, isfinite(x) ? x : NAN, fmt);
}

int vw_cnv_pon_write(FILE *fp, const vw_cnv_regions_t *rs, const vw_cnv_pon_t *p)
{
    (void)vw_table_put_header(fp, pon_cols, PC_N); /* a stream error is seen below */
    for (int i = 0; i < rs->n; i++) {
        const vw_cnv_region_t *r = &rs->r[i];
        fprintf(fp, "region\t%s\t%lld\t%lld\t%s\t%d\t", r->chrom, (long long)r->beg + 1, (long long)r->end, r->gene,
                p->n_normals);
        put_num(fp, p->median[i], "%.9g");
        fputs("\tNA\tNA\n", fp);
    }
    for (int g = 0; g < p->n_genes; g++) {
        fprintf(fp, "gene\t.\t.\t.\t%s\t%d\tNA\t", p->gene[g], p->n_normals);
        put_num(fp, p->mean[g], "%.9g");
        fputc('\t', fp);
        put_num(fp, p->sd[g], "%.9g");
        fputc('\n', fp);
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static int pon_alloc(const vw_cnv_regions_t *rs, vw_cnv_pon_t **ret)
{
    vw_cnv_pon_t *p = calloc(1, sizeof(*p));
    if (!p || !(p->median = malloc((size_t)(rs->n ? rs->n : 1) * sizeof(double))))
        goto fail;
    int ng = gene_list(rs, &p->gene);
    if (ng < 0)
        goto fail;
    p->n_genes = ng;
    p->n_regions = rs->n;
    p->mean = malloc((size_t)(ng ? ng : 1) * sizeof(double));
    p->sd = malloc((size_t)(ng ? ng : 1) * sizeof(double));
    if (!p->mean || !p->sd)
        goto fail;
    *ret = p;
    return 0;
fail:
    vw_cnv_pon_destroy(p);
    return -ENOMEM;
}

/* One PoN row (fields in pon_cols order) into p; *ri and *gi count the
 * regions and genes read.  Returns 0 or a negative code (logged). */
static int pon_row(char **f, const char *path, long ln, const vw_cnv_regions_t *rs, vw_cnv_pon_t *p, int *ri,
                   int *gi)
{
    long st, en, nn;
    double a, b, c;
    const unsigned na = VW_NUM_NA | VW_NUM_INFINITE;
    if (vw_table_parse_long(f[PC_N_NORMALS], 1, INT_MAX, &nn) || vw_table_parse_double(f[PC_MEDIAN], na, -INFINITY, INFINITY, &a)
        || vw_table_parse_double(f[PC_MEAN], na, -INFINITY, INFINITY, &b)
        || vw_table_parse_double(f[PC_SD], na, -INFINITY, INFINITY, &c)) {
        vw_error("%s:%ld: not a vafwatch PoN line (9 columns: kind chrom start end gene n_normals "
                 "median_norm_depth mean_log2r sd_log2r)", path, ln);
        return VW_EPARSE;
    }
    p->n_normals = (int)nn;
    if (!strcmp(f[PC_KIND], "region")) {
        const vw_cnv_region_t *r = *ri < rs->n ? &rs->r[*ri] : NULL;
        if (!r || vw_table_parse_long(f[PC_START], 1, LONG_MAX, &st) || vw_table_parse_long(f[PC_END], 1, LONG_MAX, &en) || strcmp(f[PC_CHROM], r->chrom)
            || st != r->beg + 1 || en != r->end || strcmp(f[PC_GENE], r->gene)) {
            vw_error("%s:%ld: the PoN's regions differ from the regions given (built with another BED, gene "
                     "list or --bin-size?)", path, ln);
            return VW_EINPUT;
        }
        p->median[(*ri)++] = a;
    } else if (!strcmp(f[PC_KIND], "gene")) {
        if (*gi >= p->n_genes || strcmp(f[PC_GENE], p->gene[*gi])) {
            vw_error("%s:%ld: gene '%s' is not the next gene of the regions given", path, ln, f[PC_GENE]);
            return VW_EINPUT;
        }
        p->mean[*gi] = b;
        p->sd[(*gi)++] = c;
    } else {
        vw_table_error(path, ln, "kind", "must be 'region' or 'gene', not '%s'", f[PC_KIND]);
        return VW_EPARSE;
    }
    return 0;
}

int vw_cnv_pon_load(const char *path, const vw_cnv_regions_t *rs, vw_cnv_pon_t **ret)
{
    vw_table_t *t = NULL;
    vw_cnv_pon_t *p = NULL;
    int rc, ri = 0, gi = 0, col[PC_N];
    char **f, *g[PC_N];
    if ((rc = vw_table_open(path, "panel of normals", &t)) < 0)
        return rc;
    if ((rc = pon_alloc(rs, &p)) < 0) {
        vw_error_code(rc, "%s", path);
        goto out;
    }
    if ((rc = vw_table_header(t, "panel of normals", pon_cols, PC_N, VW_TABLE_UNKNOWN_REFUSE, col)) < 0)
        goto out;
    while ((rc = vw_table_row(t, &f)) == 1) {
        for (int k = 0; k < PC_N; k++)
            g[k] = f[col[k]];
        if ((rc = pon_row(g, path, vw_table_lineno(t), rs, p, &ri, &gi)) < 0)
            goto out;
    }
    if (rc < 0)
        goto out;
    if (ri != rs->n || gi != p->n_genes) {
        vw_error("%s: the PoN has %d regions and %d genes, the regions given %d and %d", path, ri, gi, rs->n,
                 p->n_genes);
        rc = VW_EINPUT;
        goto out;
    }
    *ret = p;
    p = NULL;
out:
    vw_table_close(t);
    vw_cnv_pon_destroy(p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Calls                                                               */

static void add_flag(char *flags, size_t m, const char *f)
{
    if (!strcmp(flags, "."))
        flags[0] = '\0';
    size_t l = strlen(flags);
    snprintf(flags + l, m - l, "%s%s", l ? "," : "", f);
}

int vw_cnv_call(const vw_cnv_regions_t *rs, const vw_cnv_sample_t *s, const vw_cnv_pon_t *pon, double tf,
                const vw_cnv_opt_t *opt, double *region_l2, vw_cnv_gene_t **ret, int *ret_n)
{
    int R = rs->n;
    double *l2 = malloc((size_t)(R ? R : 1) * sizeof(double)), *tmp = malloc((size_t)(2 * R + 1) * sizeof(double));
    char **genes = NULL;
    int ng = gene_list(rs, &genes);
    vw_cnv_gene_t *out = ng > 0 ? calloc((size_t)ng, sizeof(*out)) : NULL;
    if (!l2 || !tmp || ng < 0 || (ng > 0 && !out)) {
        free(l2);
        free(tmp);
        free(out);
        if (ng > 0)
            for (int g = 0; g < ng; g++)
                free(genes[g]);
        free(genes);
        return -ENOMEM;
    }
    for (int i = 0; i < R; i++)
        l2[i] = region_log2r(s->norm[i], pon ? pon->median[i] : 1.0);
    for (int g = 0; g < ng; g++) {
        vw_cnv_gene_t *o = &out[g];
        strcpy(o->flags, ".");
        o->beg = -1;
        for (int i = 0; i < R; i++) {
            const vw_cnv_region_t *r = &rs->r[i];
            if (r->is_ref || strcmp(r->gene, genes[g]))
                continue;
            if (!o->gene) {
                o->gene = r->gene;
                o->chrom = r->chrom;
                o->beg = r->beg;
            }
            o->end = r->end;
            o->frag += s->frag[i];
        }
        o->log2r = gene_log2r(rs, genes[g], l2, tmp, &o->n_regions);
        o->pcn = vw_cnv_pcn_from_log2r(o->log2r);
        o->tf = tf;
        o->cn_t = vw_cnv_cn_from_pcn(o->pcn, tf);
        o->z = NAN;
        if (!pon)
            add_flag(o->flags, sizeof(o->flags), "no_pon");
        else if (!isfinite(pon->sd[g]))
            add_flag(o->flags, sizeof(o->flags), "few_normals");
        else
            o->z = (o->log2r - pon->mean[g]) / fmax(pon->sd[g], opt->min_sd);
        if (rs->approx && !strcmp(genes[g], "MET"))
            add_flag(o->flags, sizeof(o->flags), "approximate_span");
        if (!isfinite(tf))
            add_flag(o->flags, sizeof(o->flags), "no_tf");
        if (o->n_regions == 0) {
            o->amplified = -1;
            add_flag(o->flags, sizeof(o->flags), "no_regions");
            continue;
        }
        if (opt->heracles) {
            o->amplified = o->pcn >= opt->min_pcn;
            if (isfinite(o->cn_t) && o->cn_t >= 25.82)
                add_flag(o->flags, sizeof(o->flags), "heracles_adjusted_ge_25.82");
            continue;
        }
        int z_ok = isfinite(o->z) ? o->z > opt->min_z : 1; /* without a PoN sd the size alone decides */
        int size_ok = isfinite(o->cn_t) ? o->cn_t >= opt->min_cn : o->pcn >= opt->min_pcn;
        o->amplified = z_ok && size_ok;
    }
    if (region_l2)
        memcpy(region_l2, l2, (size_t)R * sizeof(double));
    free(l2);
    free(tmp);
    for (int g = 0; g < ng; g++)
        free(genes[g]);
    free(genes);
    *ret = out;
    *ret_n = ng;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The per sample x gene table                                              */
/* ------------------------------------------------------------------------ */

static void put_tab_num(FILE *fp, double x, const char *fmt)
{
    fputc('\t', fp);
    put_num(fp, x, fmt);
}

int vw_cnv_write_tsv(FILE *fp, const char *const *samples, vw_cnv_gene_t *const *calls, const int *n_calls, int n)
{
    if (!fp || (n > 0 && (!samples || !calls || !n_calls)))
        return -EINVAL;
    fputs("#sample\tgene\tchrom\tstart\tend\tn_regions\tdepth\tlog2r\tz\tpcn\ttf\tcn_tumour\tamplified\t"
          "pcn_change\tflags\n", fp);
    for (int i = 0; i < n; i++)
        for (int g = 0; g < n_calls[i]; g++) {
            const vw_cnv_gene_t *o = &calls[i][g];
            fprintf(fp, "%s\t%s\t%s\t%lld\t%lld\t%d\t%lld", samples[i], o->gene, o->chrom, (long long)o->beg + 1,
                    (long long)o->end, o->n_regions, (long long)o->frag);
            put_tab_num(fp, o->log2r, "%.4f");
            put_tab_num(fp, o->z, "%.2f");
            put_tab_num(fp, o->pcn, "%.3f");
            put_tab_num(fp, o->tf, "%.4g");
            put_tab_num(fp, o->cn_t, "%.2f");
            fprintf(fp, "\t%s", o->amplified < 0 ? "NA" : o->amplified ? "yes" : "no");
            put_tab_num(fp, i > 0 && g < n_calls[0] ? o->pcn - calls[0][g].pcn : NAN, "%.3f");
            fprintf(fp, "\t%s\n", o->flags);
        }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

vw_cnv_rows_t *vw_cnv_rows_init(void) { return calloc(1, sizeof(vw_cnv_rows_t)); }

void vw_cnv_rows_destroy(vw_cnv_rows_t *rs)
{
    if (!rs)
        return;
    for (int i = 0; i < rs->n; i++) {
        vw_cnv_row_t *r = &rs->r[i];
        free(r->sample), free(r->gene), free(r->chrom);
        for (int j = 0; r->field && j < rs->n_cols; j++)
            free(r->field[j]);
        free(r->field);
    }
    free(rs->r);
    for (int j = 0; j < rs->n_cols; j++)
        free(rs->col[j]);
    free(rs->col);
    free(rs);
}

static vw_cnv_row_t *rows_push(vw_cnv_rows_t *rs, const char *sample, const char *gene, const char *chrom)
{
    if (rs->n == rs->m) {
        int m = rs->m ? 2 * rs->m : 16;
        vw_cnv_row_t *r = realloc(rs->r, (size_t)m * sizeof(*r));
        if (!r)
            return NULL;
        rs->r = r;
        rs->m = m;
    }
    vw_cnv_row_t *r = &rs->r[rs->n];
    memset(r, 0, sizeof(*r));
    r->sample = vw_strdup(sample);
    r->gene = vw_strdup(gene);
    r->chrom = vw_strdup(chrom);
    if (!r->sample || !r->gene || !r->chrom) {
        free(r->sample), free(r->gene), free(r->chrom);
        return NULL;
    }
    r->frag = -1;
    r->log2r = r->z = r->pcn = r->tf = r->cn_t = NAN;
    r->amplified = -1;
    rs->n++;
    return r;
}

int vw_cnv_rows_add(vw_cnv_rows_t *rs, const char *sample, const vw_cnv_gene_t *g)
{
    if (!rs || !sample || !g)
        return -EINVAL;
    vw_cnv_row_t *r = rows_push(rs, sample, g->gene, g->chrom);
    if (!r)
        return -ENOMEM;
    r->beg = g->beg;
    r->end = g->end;
    r->frag = g->frag;
    r->log2r = g->log2r;
    r->z = g->z;
    r->pcn = g->pcn;
    r->tf = g->tf;
    r->cn_t = g->cn_t;
    r->amplified = g->amplified;
    return 0;
}

enum { RC_SAMPLE, RC_GENE, RC_CHROM, RC_START, RC_END, RC_DEPTH, RC_LOG2R, RC_Z, RC_PCN, RC_TF, RC_CNT, RC_AMP, RC_N };

/* The columns read back (others, such as flags, are ignored). */
static const vw_table_col_t cnv_cols[RC_N] = {
    {"sample", 1}, {"gene", 1}, {"chrom", 1}, {"start", 1}, {"end", 1}, {"depth", 1},
    {"log2r", 1}, {"z", 1}, {"pcn", 1}, {"tf", 1}, {"cn_tumour", 1}, {"amplified", 1}};

/* Fills r from a row; returns -1 or the RC_* column that does not parse. */
static int cnv_row(char **f, const int *col, vw_cnv_row_t *r)
{
    const unsigned na = VW_NUM_NA | VW_NUM_INFINITE;
    double *num[5] = {&r->log2r, &r->z, &r->pcn, &r->tf, &r->cn_t};
    long a, b, d = -1;
    const char *amp = f[col[RC_AMP]];
    if (vw_table_parse_long(f[col[RC_START]], 1, LONG_MAX, &a))
        return RC_START;
    if (vw_table_parse_long(f[col[RC_END]], a, LONG_MAX, &b))
        return RC_END;
    if (strcmp(f[col[RC_DEPTH]], "NA") && vw_table_parse_long(f[col[RC_DEPTH]], 0, LONG_MAX, &d))
        return RC_DEPTH;
    for (int k = 0; k < 5; k++)
        if (vw_table_parse_double(f[col[RC_LOG2R + k]], na, -INFINITY, INFINITY, num[k]))
            return RC_LOG2R + k;
    if (strcmp(amp, "yes") && strcmp(amp, "no") && strcmp(amp, "NA"))
        return RC_AMP;
    r->beg = (hts_pos_t)a - 1;
    r->end = (hts_pos_t)b;
    r->frag = d;
    r->amplified = !strcmp(amp, "yes") ? 1 : !strcmp(amp, "no") ? 0 : -1;
    return -1;
}

/* Takes the column names of t into rs (the first table read) or checks
 * that they are those of the tables read before.  Returns 0, -ENOMEM or
 * VW_EPARSE (logged). */
static int rows_columns(vw_cnv_rows_t *rs, const vw_table_t *t, const char *path)
{
    int n = vw_table_ncols(t);
    if (rs->n_cols) {
        int same = n == rs->n_cols;
        for (int j = 0; same && j < n; j++)
            same = strcmp(rs->col[j], vw_table_colname(t, j)) == 0;
        if (same)
            return 0;
        vw_table_error(path, 0, NULL, "not the columns of the cnv table read before it");
        return VW_EPARSE;
    }
    char **col = calloc((size_t)n, sizeof(*col));
    if (!col)
        return -ENOMEM;
    for (int j = 0; j < n; j++)
        if (!(col[j] = vw_strdup(vw_table_colname(t, j)))) {
            while (j--)
                free(col[j]);
            free(col);
            return -ENOMEM;
        }
    rs->col = col;
    rs->n_cols = n;
    return 0;
}

/* A copy of the n fields f, or NULL on ENOMEM. */
static char **fields_dup(char **f, int n)
{
    char **c = calloc((size_t)n, sizeof(*c));
    for (int j = 0; c && j < n; j++)
        if (!(c[j] = vw_strdup(f[j]))) {
            while (j--)
                free(c[j]);
            free(c);
            return NULL;
        }
    return c;
}

int vw_cnv_rows_read_tsv(vw_cnv_rows_t *rs, const char *path)
{
    vw_table_t *t = NULL;
    int rc, col[RC_N];
    char **f;
    if (!rs || !path)
        return -EINVAL;
    if ((rc = vw_table_open(path, "cnv table", &t)) < 0)
        return rc;
    if ((rc = vw_table_header(t, "cnv table", cnv_cols, RC_N, VW_TABLE_UNKNOWN_IGNORE, col)) < 0
        || (rc = rows_columns(rs, t, path)) < 0)
        goto out;
    while ((rc = vw_table_row(t, &f)) == 1) {
        vw_cnv_row_t *r = rows_push(rs, f[col[RC_SAMPLE]], f[col[RC_GENE]], f[col[RC_CHROM]]);
        if (!r || !(r->field = fields_dup(f, rs->n_cols))) {
            rc = -ENOMEM;
            break;
        }
        int bad = cnv_row(f, col, r);
        if (bad >= 0) {
            vw_table_error(path, vw_table_lineno(t), cnv_cols[bad].name, "cannot parse '%s'", f[col[bad]]);
            rc = VW_EPARSE;
            break;
        }
    }
out:
    if (rc == -ENOMEM)
        vw_error_code(rc, "reading '%s'", path);
    vw_table_close(t);
    return rc;
}
