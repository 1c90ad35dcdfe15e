/* run_cnv.c -- the copy-number step of vafwatch run: gene copy number of
 * every plasma draw against a panel of normals, with the tumour fraction
 * from a truncal mutation (docs/copy-number.md, "Serial tracking"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/kstring.h>

#include "vafwatch/cnv.h"
#include "vafwatch/log.h"
#include "vafwatch/vcfin.h"
#include "vafwatch/inputs.h"
#include "pipeline_priv.h"

#define RUN_CNV_BIN 5000

static int ends_with(const char *s, const char *suf)
{
    size_t l = strlen(s), k = strlen(suf);
    return l >= k && !strcmp(s + l - k, suf);
}

/* TF of one draw from the truncal target: 2 VAF (capped at 1) when the
 * target is detected there, else NaN (unknown). */
static double draw_tf(const vw_calls_t *calls, const char *sample, const char *id)
{
    for (int i = 0; i < calls->n; i++) {
        const vw_call_t *c = &calls->c[i];
        if (c->id && !strcmp(c->id, id) && !strcmp(c->sample, sample))
            return c->detected == 1 ? vw_cnv_tf_from_vaf(c->vaf) : NAN;
    }
    return NAN;
}

int vw_pipeline_cnv(const vw_run_cnv_opt_t *o, const vw_timeline_t *tl, const vw_calls_t *calls,
                   const vw_count_opt_t *copt, const char *outdir, vw_cnv_rows_t **ret)
{
    int rc = -1, n = 0, n_nrm = 0;
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    vw_cnv_sample_t **smp = calloc(tl->n_samples + 1, sizeof(*smp));
    vw_cnv_sample_t **nrm = calloc(tl->n_samples + (size_t)o->n_pon + 1, sizeof(*nrm));
    vw_cnv_gene_t **g = calloc(tl->n_samples + 1, sizeof(*g));
    int *ng = calloc(tl->n_samples + 1, sizeof(int));
    const char **names = calloc(tl->n_samples + 1, sizeof(char *));
    vw_cnv_pon_t *pon = NULL;
    vw_cnv_rows_t *rows = vw_cnv_rows_init();
    vw_ofile_t of = {0};
    kstring_t fn = {0, 0, NULL};
    vw_cnv_opt_t opt;
    vw_cnv_opt_init(&opt);
    if (!rs || !smp || !nrm || !g || !ng || !names || !rows) {
        vw_error_code(-ENOMEM, "copy number");
        goto out;
    }
    if (o->tf_from) {
        int found = 0;
        for (int i = 0; i < calls->n && !found; i++)
            found = calls->c[i].id && !strcmp(calls->c[i].id, o->tf_from);
        if (!found) {
            vw_error("--tf-from: no target has the id '%s'", o->tf_from);
            goto out;
        }
    }
    /* the plasma draws that are BAM/CRAM */
    const char *first = NULL;
    for (size_t p = 0; p < tl->n_patients; p++)
        for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
            const vw_sample_t *s = &tl->patients[p].samples[k];
            if (vw_vcfin_is_vcf(s->path))
                continue;
            if (!first)
                first = s->path;
        }
    if (!first) {
        vw_error("copy number needs BAM/CRAM draws; the sheet has only VCFs");
        goto out;
    }
    /* regions */
    if (o->bed) {
        if (vw_cnv_regions_load_bed(rs, o->bed, 0) < 0)
            goto out;
    } else {
        vw_build_t b = o->build ? vw_build_parse(o->build) : vw_cnv_file_build(first, copt->reference);
        if (b == VW_BUILD_UNKNOWN) {
            vw_error("%s: cannot tell the genome build for the built-in gene spans; give --build", first);
            goto out;
        }
        if (vw_cnv_regions_builtin(rs, b, NULL, RUN_CNV_BIN) < 0) {
            vw_error_code(-ENOMEM, "built-in gene spans");
            goto out;
        }
    }
    if (o->ref_bed && vw_cnv_regions_load_bed(rs, o->ref_bed, 1) < 0)
        goto out;
    if (vw_cnv_regions_finish(rs) < 0)
        goto out;
    /* the panel of normals */
    if (o->n_pon == 1 && ends_with(o->pon[0], ".tsv")) {
        if (vw_cnv_pon_load(o->pon[0], rs, &pon) < 0)
            goto out;
    } else {
        for (int j = 0; j < o->n_pon; j++) {
            if (ends_with(o->pon[j], ".tsv")) {
                vw_error("%s: a saved PoN is given alone, not with other --cnv-pon files", o->pon[j]);
                goto out;
            }
            if (!(nrm[n_nrm] = vw_cnv_load_sample(o->pon[j], NULL, rs, copt, 0)))
                goto out;
            n_nrm++;
        }
        for (size_t p = 0; o->n_pon == 0 && p < tl->n_patients; p++)
            for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
                const vw_sample_t *s = &tl->patients[p].samples[k];
                if (s->type != VW_SAMPLE_NORMAL || vw_vcfin_is_vcf(s->path))
                    continue;
                if (!(nrm[n_nrm] = vw_cnv_load_sample(s->path, s->sample, rs, copt, 0)))
                    goto out;
                n_nrm++;
            }
        if (n_nrm > 0) {
            int r = vw_cnv_pon_build(rs, nrm, n_nrm, &pon);
            if (r < 0) {
                vw_error_code(r, "copy-number panel of normals");
                goto out;
            }
        } else {
            vw_warn("copy number: no panel of normals (--cnv-pon, or normal samples in the sheet): ratios are "
                    "against the reference regions only, z is NA");
        }
    }
    if (pon && pon->n_normals < 3)
        vw_warn("copy number: a PoN of %d normals gives no z-scores (3 or more needed)", pon->n_normals);
    /* every plasma draw */
    for (size_t p = 0; p < tl->n_patients; p++)
        for (size_t k = 0; k < tl->patients[p].n_samples; k++) {
            const vw_sample_t *s = &tl->patients[p].samples[k];
            if (s->type != VW_SAMPLE_PLASMA || vw_vcfin_is_vcf(s->path))
                continue;
            if (!(smp[n] = vw_cnv_load_sample(s->path, s->sample, rs, copt, 0)))
                goto out;
            double tf = o->tf_from ? draw_tf(calls, s->sample, o->tf_from) : NAN;
            names[n] = s->sample;
            if (vw_cnv_call(rs, smp[n], pon, tf, &opt, NULL, &g[n], &ng[n]) < 0) {
                vw_error_code(-ENOMEM, "copy number");
                goto out;
            }
            for (int j = 0; j < ng[n]; j++)
                if (vw_cnv_rows_add(rows, s->sample, &g[n][j]) < 0) {
                    vw_error_code(-ENOMEM, "copy number");
                    goto out;
                }
            n++;
        }
    ksprintf(&fn, "%s/vafwatch.cnv.tsv", outdir);
    int r;
    if ((r = vw_ofile_open(&of, fn.s)) < 0 || (r = vw_cnv_write_tsv(of.fp, names, g, ng, n)) < 0 ||
        (r = vw_ofile_commit(&of)) < 0) {
        vw_ofile_abort(&of);
        vw_error_code(r, "%s: cannot write", fn.s);
        goto out;
    }
    vw_info("copy number of %d draws (%d normals in the panel): %s", n, pon ? pon->n_normals : 0, fn.s);
    *ret = rows;
    rows = NULL;
    rc = 0;
out:
    for (int i = 0; smp && i < n + 1 && i < (int)tl->n_samples; i++)
        vw_cnv_sample_destroy(smp[i]);
    for (int i = 0; nrm && i < n_nrm; i++)
        vw_cnv_sample_destroy(nrm[i]);
    for (int i = 0; g && i < n + 1 && i < (int)tl->n_samples; i++)
        free(g[i]);
    free(smp);
    free(nrm);
    free(g);
    free(ng);
    free(names);
    free(fn.s);
    vw_cnv_pon_destroy(pon);
    vw_cnv_regions_destroy(rs);
    vw_cnv_rows_destroy(rows);
    return rc;
}
