/* genome_in.c -- one shallow-WGS sample from its file to its fitted results
 * (genome_in.h), shared by cnv --genome and vafwatch run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "vafwatch/genome_in.h"
#include "vafwatch/log.h"

struct vw_genome_in_s {
    vw_genome_in_opt_t o;
    vw_gwig_t *gcw, *mapw;
    vw_gaps_t *gaps;
    vw_gpon_t *pon;
};

void vw_genome_in_opt_init(vw_genome_in_opt_t *o)
{
    memset(o, 0, sizeof(*o));
    o->bin = VW_GENOME_DEFAULT_BIN;
    o->build = VW_BUILD_UNKNOWN;
    vw_genome_opt_init(&o->opt);
    vw_count_opt_init(&o->copt);
    o->copt.stream = 1; /* every read is wanted: start to end, no index (faster than per-contig queries) */
}

const vw_genome_in_opt_t *vw_genome_in_opt(const vw_genome_in_t *x) { return &x->o; }

static int ends_with(const char *s, const char *suf)
{
    size_t l = strlen(s), k = strlen(suf);
    return l >= k && !strcmp(s + l - k, suf);
}

int vw_genome_in_is_wig(const char *path)
{
    return ends_with(path, ".wig") || ends_with(path, ".WIG");
}

/* The file name without directory and ".wig". */
static char *wig_name(const char *path)
{
    const char *b = strrchr(path, '/');
    char *s = vw_strdup(b ? b + 1 : path);
    if (s && vw_genome_in_is_wig(s))
        s[strlen(s) - 4] = '\0';
    return s;
}

int vw_genome_in_header_bins(const vw_genome_in_t *x, const char *path, vw_gwig_t **ret)
{
    vw_aln_t *a;
    int r = vw_aln_open(path, x->o.copt.reference, 0, VW_ALN_STREAM, &a);
    if (r < 0)
        return r;
    const sam_hdr_t *h = a->h;
    vw_gwig_t *w = vw_gwig_init(x->o.bin);
    r = w ? 0 : -ENOMEM;
    for (int t = 0; w && t < sam_hdr_nref(h); t++) {
        char b[256];
        const char *c = vw_gwig_canon(sam_hdr_tid2name(h, t), b, sizeof b);
        long v;
        if (!((vw_parse_long(c, &v) == 0 && v >= 1 && v <= 22) || !strcmp(c, "X") || !strcmp(c, "Y")))
            continue;
        if ((r = vw_gwig_add_contig(w, sam_hdr_tid2name(h, t), sam_hdr_tid2len(h, t))) < 0) {
            vw_error("%s: contig '%s' twice in the header, or out of memory", path, sam_hdr_tid2name(h, t));
            break;
        }
    }
    if (r == 0 && w->n == 0) {
        vw_error("%s: no contig named 1-22, X or Y (chr prefix optional) in the header", path);
        r = VW_EINPUT;
    }
    (void)vw_aln_close(a, 1); /* (a header read: a close error is no concern here) */
    if (r < 0) {
        if (r == -ENOMEM)
            vw_error_code(r, "%s", path);
        vw_gwig_destroy(w);
        return r;
    }
    *ret = w;
    return 0;
}

/* A BAM/CRAM's fragments in the bins of its header. */
static int count_bam(const vw_genome_in_t *x, const char *path, const char *name, vw_gwig_t **ret, char **ret_sample)
{
    vw_gwig_t *w = NULL;
    int r = vw_genome_in_header_bins(x, path, &w);
    if (r < 0)
        return r;
    char **chrom = malloc((size_t)w->n * sizeof(char *));
    int64_t *frag = malloc((size_t)w->n * sizeof(int64_t));
    if (!chrom || !frag) {
        r = -ENOMEM;
        vw_error_code(r, "%s", path);
        goto out;
    }
    for (int i = 0; i < w->n; i++)
        chrom[i] = w->chrom[w->cid[i]];
    r = vw_count_regions(path, name, w->n, chrom, w->beg, w->end, VW_BUILD_UNKNOWN, &x->o.copt, frag, ret_sample);
    for (int i = 0; r == 0 && i < w->n; i++)
        w->v[i] = (double)frag[i];
out:
    free(chrom);
    free(frag);
    if (r < 0)
        vw_gwig_destroy(w);
    else
        *ret = w;
    return r;
}

int vw_genome_in_counts(const vw_genome_in_t *x, const char *path, const char *name, vw_gwig_t **ret,
                        char **ret_sample)
{
    if (!vw_genome_in_is_wig(path))
        return count_bam(x, path, name, ret, ret_sample);
    vw_gwig_t *w = NULL;
    int r = vw_gwig_read(path, &w);
    if (r < 0)
        return r;
    char *s = name ? vw_strdup(name) : wig_name(path);
    if (!s) {
        vw_gwig_destroy(w);
        vw_error_code(-ENOMEM, "%s", path);
        return -ENOMEM;
    }
    *ret = w;
    *ret_sample = s;
    return 0;
}

int vw_genome_in_prepare(const vw_genome_in_t *x, const char *path, const char *sample, vw_gwig_t *counts,
                         vw_genome_t **ret)
{
    vw_genome_t *g = vw_genome_init(sample, counts);
    int r = -ENOMEM;
    if (!g) {
        vw_error_code(r, "%s", path);
        return r;
    }
    if (x->gcw && (r = vw_gwig_transfer(g->w, path, x->gcw, x->o.gc, g->gc)) < 0)
        goto fail;
    if (!x->gcw && x->o.copt.reference && (r = vw_genome_gc_fasta(g, x->o.copt.reference)) < 0)
        goto fail;
    if (x->mapw && (r = vw_gwig_transfer(g->w, path, x->mapw, x->o.map, g->map)) < 0)
        goto fail;
    char empty[512];
    vw_genome_mask(g, x->gaps, &x->o.opt, empty, sizeof empty);
    if (*empty)
        vw_warn("%s: no reads on %s (left out)", path, empty);
    r = vw_genome_correct(g, &x->o.opt);
    if (r == VW_EINPUT) {
        vw_error("%s: fewer than 50 usable autosomal bins (too few reads, or every bin masked)", path);
        goto fail;
    } else if (r < 0) {
        vw_error_code(r, "%s", path);
        goto fail;
    }
    if (x->pon && (r = vw_genome_apply_pon(g, x->pon)) < 0) {
        if (r == VW_EINPUT)
            vw_error("%s: not the bins of the normals (panel of normals): another bin size or contigs, or too few "
                     "usable bins", path);
        else
            vw_error_code(r, "%s", path);
        goto fail;
    }
    *ret = g;
    return 0;
fail:
    vw_genome_destroy(g);
    return r;
}

/* One file counted (or read) and prepared, without the normals. */
static int load(const vw_genome_in_t *x, const char *path, vw_genome_t **ret)
{
    vw_gwig_t *w = NULL;
    char *s = NULL;
    int r = vw_genome_in_counts(x, path, NULL, &w, &s);
    if (r == 0)
        r = vw_genome_in_prepare(x, path, s, w, ret);
    free(s);
    return r;
}

/* The panel of the normals.  Logs; returns 0 or negative. */
static int build_normals(vw_genome_in_t *x)
{
    int n = x->o.n_pon, r = 0;
    vw_genome_t **nrm = calloc((size_t)n, sizeof(*nrm));
    if (!nrm)
        return -ENOMEM;
    for (int k = 0; k < n && r == 0; k++)
        r = load(x, x->o.pon[k], &nrm[k]);
    if (r == 0) {
        r = vw_gpon_build(nrm, n, &x->pon);
        if (r == VW_EINPUT)
            vw_error("panel of normals: the normals do not share one bin layout (bin size, contigs)");
        else if (r < 0)
            vw_error_code(r, "panel of normals");
    }
    for (int k = 0; k < n; k++)
        vw_genome_destroy(nrm[k]);
    free(nrm);
    return r;
}

int vw_genome_in_set_pon(vw_genome_in_t *x, vw_genome_t *const *normals, int n)
{
    if (x->pon || n < 1)
        return -EINVAL;
    int r = vw_gpon_build(normals, n, &x->pon);
    if (r == VW_EINPUT)
        vw_error("panel of normals: the normals do not share one bin layout (bin size, contigs)");
    else if (r < 0)
        vw_error_code(r, "panel of normals");
    return r;
}

int vw_genome_in_open(const vw_genome_in_opt_t *o, vw_genome_in_t **ret)
{
    vw_genome_in_t *x = calloc(1, sizeof(*x));
    int r = 0;
    if (!x)
        return -ENOMEM;
    x->o = *o;
    if (o->gc && (r = vw_gwig_read(o->gc, &x->gcw)) < 0)
        goto fail;
    if (o->map && (r = vw_gwig_read(o->map, &x->mapw)) < 0)
        goto fail;
    if (x->gcw && x->mapw && x->gcw->step != x->mapw->step) {
        vw_error("bins of %lld bp in %s but of %lld bp in %s: use tracks of the same bin size",
                 (long long)x->gcw->step, o->gc, (long long)x->mapw->step, o->map);
        r = VW_EINPUT;
        goto fail;
    }
    if (o->centromeres && (r = vw_gaps_read(o->centromeres, &x->gaps)) < 0)
        goto fail;
    if (!x->gcw && !o->copt.reference)
        vw_warn("no GC track or reference: counts are not GC-corrected");
    if (o->n_pon && (r = build_normals(x)) < 0)
        goto fail;
    *ret = x;
    return 0;
fail:
    vw_genome_in_close(x);
    return r;
}

void vw_genome_in_close(vw_genome_in_t *x)
{
    if (!x)
        return;
    vw_gwig_destroy(x->gcw);
    vw_gwig_destroy(x->mapw);
    vw_gaps_destroy(x->gaps);
    vw_gpon_destroy(x->pon);
    free(x);
}

int vw_genome_in_fit(const vw_genome_in_t *x, const char *path, vw_genome_t *g, vw_genome_res_t *r)
{
    memset(r, 0, sizeof(*r));
    r->g = g;
    int rc = vw_genome_fit(g, &x->o.opt, &r->fit, r->alt, &r->n_alt);
    if (rc < 0) {
        vw_error_code(rc, "%s: fit", path);
        vw_genome_res_free(r);
        return rc;
    }
    vw_genome_instability(g, r->fit.neutral, &r->fga, &r->wgii);
    vw_build_t b = x->o.build != VW_BUILD_UNKNOWN ? x->o.build : vw_gwig_build(g->w);
    if (b == VW_BUILD_UNKNOWN)
        vw_warn("%s: genome build unknown (give --build): focal gene rows are NA", path);
    r->n_foc = vw_genome_focal(g, x->gaps, b, r->fit.neutral, r->fit.sd, r->foc);
    if ((rc = vw_genome_segments(g, &r->segs, &r->n_seg)) < 0
        || (rc = vw_genome_arms(g, x->gaps, r->fit.neutral, &r->arms, &r->n_arm)) < 0) {
        vw_error_code(rc, "%s", path);
        vw_genome_res_free(r);
        return rc;
    }
    vw_info("%s: tumour fraction %.3f (%.3f-%.3f), %s, ploidy %.2f", g->sample, r->fit.tf, r->fit.tf_lo,
            r->fit.tf_hi, r->fit.detected ? "detected" : "not detected", r->fit.ploidy);
    return 0;
}

void vw_genome_res_free(vw_genome_res_t *r)
{
    if (!r)
        return;
    vw_genome_destroy(r->g);
    free(r->segs);
    free(r->arms);
    memset(r, 0, sizeof(*r));
}

int vw_genome_res_write(FILE *const fp[5], const vw_genome_res_t *r, const vw_gfit_t *prev, int first)
{
    int w = vw_genome_write_summary(fp[0], r->g, &r->fit, r->fga, r->wgii, r->n_alt, r->alt, prev);
    w = w ? w : vw_genome_write_bins(fp[1], r->g, first);
    w = w ? w : vw_genome_write_seg(fp[2], r->g, r->segs, r->n_seg, first);
    w = w ? w : vw_genome_write_arms(fp[3], r->g, r->arms, r->n_arm, first);
    w = w ? w : vw_genome_write_focal(fp[4], r->g, r->foc, r->n_foc, first);
    return w;
}
