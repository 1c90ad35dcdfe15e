/* run_patient.c -- tumour-informed monitoring in vafwatch run: each
 * patient's own targets (the cohort sheet's 'targets' column) counted and
 * called in that patient only, and the patient-level test of every plasma
 * draw (docs/calling.md, "Tumour-informed monitoring"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/faidx.h>
#include <htslib/khash_str2int.h>
#include <htslib/kstring.h>

#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "vafwatch/vcfin.h"
#include "vafwatch/inputs.h"
#include "vafwatch/pipeline.h"

/* "chrom:pos:ref:alt" with the contig's "chr" dropped (and M as MT). */
static char *target_key(const vw_target_t *t)
{
    kstring_t ks = {0, 0, NULL};
    const char *c = vw_contig_bare(t->chrom);
    ksprintf(&ks, "%s:%lld:%s:%s", c, (long long)t->beg, t->ref, t->alt);
    return ks.s;
}

static char *dup_s(const char *s)
{
    return s ? vw_strdup(s) : NULL;
}

/* Appends a deep copy of *t to ts.  Returns 0 or -ENOMEM. */
static int targets_append_copy(vw_targets_t *ts, const vw_target_t *t)
{
    if (ts->n == ts->m) {
        int m = ts->m ? 2 * ts->m : 16;
        vw_target_t *p = realloc(ts->t, (size_t)m * sizeof(*p));
        if (!p)
            return -ENOMEM;
        ts->t = p;
        ts->m = m;
    }
    vw_target_t *d = &ts->t[ts->n];
    *d = *t;
    d->id = dup_s(t->id); d->gene = dup_s(t->gene); d->transcript = dup_s(t->transcript);
    d->protein = dup_s(t->protein); d->cdna = dup_s(t->cdna); d->context = dup_s(t->context);
    d->chrom = dup_s(t->chrom); d->ref = dup_s(t->ref); d->alt = dup_s(t->alt);
    d->win_ref = dup_s(t->win_ref); d->win_alt = dup_s(t->win_alt);
    d->known = 0;
    ts->n++; /* freed with the set even when a copy failed */
    if (!d->id || !d->chrom || !d->ref || !d->alt || (t->gene && !d->gene) || (t->transcript && !d->transcript)
        || (t->protein && !d->protein) || (t->cdna && !d->cdna) || (t->context && !d->context)
        || (t->win_ref && !d->win_ref) || (t->win_alt && !d->win_alt))
        return -ENOMEM;
    return 0;
}

void vw_run_patients_free(vw_run_patients_t *rp)
{
    if (!rp)
        return;
    for (int p = 0; p < rp->n_patients; p++) {
        if (rp->own)
            vw_targets_destroy(rp->own[p]);
        if (rp->mine)
            free(rp->mine[p]);
    }
    free(rp->own);
    free(rp->mine);
    free(rp->is_base);
    memset(rp, 0, sizeof(*rp));
}

/* Loads and checks one patient's targets file.  Logs on failure. */
static vw_targets_t *load_own(const vw_patient_t *p, const vw_target_opt_t *to, const faidx_t *fai,
                              vw_build_t build, int chr)
{
    vw_targets_t *own = vw_targets_init();
    if (!own) {
        vw_error_code(-ENOMEM, "%s", p->targets);
        return NULL;
    }
    if (vw_targets_load(own, p->targets, fai) < 0)
        goto fail; /* said where */
    if (own->n == 0) {
        vw_error("%s: no targets in the file (targets of patient '%s', cohort sheet line %ld)", p->targets, p->id,
                 p->targets_line);
        goto fail;
    }
    if (vw_vcfin_is_vcf(p->targets)) {
        int fchr = -1;
        vw_build_t fb = vw_input_build(p->targets, NULL, &fchr);
        if (fb != VW_BUILD_UNKNOWN && build != VW_BUILD_UNKNOWN && fb != build) {
            vw_error("%s: genome build %s (##contig lengths), but the cohort is in %s (targets of patient '%s', "
                     "cohort sheet line %ld)", p->targets, vw_build_name(fb), vw_build_name(build), p->id,
                     p->targets_line);
            goto fail;
        }
    }
    if (chr >= 0)
        vw_targets_set_naming(own, chr);
    if (fai) {
        int r = vw_targets_check_ref(own, fai, to->reference);
        if (r < 0) {
            vw_error_code(r, "%s: checking against the reference %s (targets of patient '%s', cohort sheet line %ld)",
                          p->targets, to->reference, p->id, p->targets_line);
            goto fail;
        }
        if (r > 0) {
            vw_error("%s: %d target(s) do not match the reference %s (see the warnings above; targets of patient "
                     "'%s', cohort sheet line %ld)", p->targets, r, to->reference, p->id, p->targets_line);
            goto fail;
        }
    }
    vw_targets_sort_unique(own);
    return own;
fail:
    vw_targets_destroy(own);
    return NULL;
}

int vw_run_patients_load(const vw_timeline_t *tl, const vw_target_opt_t *to, const char *first_input,
                         vw_targets_t *ts, vw_run_patients_t *rp)
{
    int ret = -1;
    faidx_t *fai = NULL;
    void *base = NULL, *all = NULL;
    memset(rp, 0, sizeof(*rp));
    rp->n_patients = (int)tl->n_patients;
    for (size_t p = 0; p < tl->n_patients; p++)
        rp->any += tl->patients[p].targets != NULL;
    if (!rp->any)
        return 0;
    rp->own = calloc(tl->n_patients, sizeof(*rp->own));
    if (!rp->own)
        goto oom;
    if (to->reference && !(fai = fai_load(to->reference))) {
        vw_error("%s: cannot load the reference (missing file or .fai index not writable)", to->reference);
        goto out;
    }
    int chr = -1;
    vw_build_t fb = first_input ? vw_input_build(first_input, to->reference, &chr) : VW_BUILD_UNKNOWN;
    vw_build_t build = ts->build != VW_BUILD_UNKNOWN ? ts->build : fb;
    for (size_t p = 0; p < tl->n_patients; p++)
        if (tl->patients[p].targets && !(rp->own[p] = load_own(&tl->patients[p], to, fai, build, chr)))
            goto out;
    /* the catalogue and --targets rows, then the union */
    if (!(base = khash_str2int_init()) || !(all = khash_str2int_init()))
        goto oom;
    for (int i = 0; i < ts->n; i++) {
        char *k = target_key(&ts->t[i]);
        if (!k)
            goto oom;
        if (khash_str2int_has_key(base, k))
            free(k);
        else if (khash_str2int_set(base, k, i) < 0)
            goto oom;
    }
    int n_app = 0;
    for (size_t p = 0; p < tl->n_patients; p++)
        for (int i = 0; rp->own[p] && i < rp->own[p]->n; i++, n_app++)
            if (targets_append_copy(ts, &rp->own[p]->t[i]) < 0)
                goto oom;
    int dup = vw_targets_sort_unique(ts);
    vw_info("%d patient target(s), %d of them also among the catalogue's or another patient's", n_app, dup);
    rp->is_base = calloc((size_t)ts->n + 1, 1);
    rp->mine = calloc(tl->n_patients, sizeof(*rp->mine));
    if (!rp->is_base || !rp->mine)
        goto oom;
    for (int i = 0; i < ts->n; i++) {
        char *k = target_key(&ts->t[i]);
        if (!k)
            goto oom;
        rp->is_base[i] = (uint8_t)khash_str2int_has_key(base, k);
        if (khash_str2int_has_key(all, k))
            free(k);
        else if (khash_str2int_set(all, k, i) < 0)
            goto oom;
    }
    for (size_t p = 0; p < tl->n_patients; p++) {
        if (!rp->own[p])
            continue;
        if (!(rp->mine[p] = calloc((size_t)ts->n + 1, 1)))
            goto oom;
        for (int i = 0; i < rp->own[p]->n; i++) {
            char *k = target_key(&rp->own[p]->t[i]);
            int idx = -1;
            if (!k)
                goto oom;
            if (khash_str2int_get(all, k, &idx) == 0)
                rp->mine[p][idx] = 1;
            free(k);
        }
    }
    ret = 0;
    goto out;
oom:
    vw_error_code(-ENOMEM, "patient targets");
out:
    khash_str2int_destroy_free(base);
    khash_str2int_destroy_free(all);
    fai_destroy(fai);
    if (ret < 0)
        vw_run_patients_free(rp);
    return ret;
}

/* Adds the keys of every target of 'ts' to the set 'h' (values unused). */
static int keys_add(void *h, const vw_targets_t *ts)
{
    for (int i = 0; i < ts->n; i++) {
        char *k = target_key(&ts->t[i]);
        if (!k)
            return -ENOMEM;
        if (khash_str2int_has_key(h, k))
            free(k);
        else if (khash_str2int_set(h, k, i) < 0) {
            free(k);
            return -ENOMEM;
        }
    }
    return 0;
}

static int has_key(void *h, const vw_target_t *t)
{
    char *k = target_key(t);
    int r = k && khash_str2int_has_key(h, k);
    free(k);
    return r;
}

int vw_run_patients_mark(const vw_timeline_t *tl, const vw_target_opt_t *to, const vw_targets_t *ts,
                         vw_run_patients_t *rp)
{
    int ret = -1;
    faidx_t *fai = NULL;
    void *all = NULL, *owned = NULL, *base = NULL;
    vw_targets_t *extra = NULL;
    memset(rp, 0, sizeof(*rp));
    rp->n_patients = (int)tl->n_patients;
    for (size_t p = 0; p < tl->n_patients; p++)
        rp->any += tl->patients[p].targets != NULL;
    if (!rp->any)
        return 0;
    rp->own = calloc(tl->n_patients, sizeof(*rp->own));
    rp->mine = calloc(tl->n_patients, sizeof(*rp->mine));
    rp->is_base = calloc((size_t)ts->n + 1, 1);
    if (!rp->own || !rp->mine || !rp->is_base)
        goto oom;
    if (to->reference && !(fai = fai_load(to->reference))) {
        vw_error("%s: cannot load the reference (missing file or .fai index not writable)", to->reference);
        goto out;
    }
    for (size_t p = 0; p < tl->n_patients; p++)
        if (tl->patients[p].targets && !(rp->own[p] = load_own(&tl->patients[p], to, fai, ts->build, -1)))
            goto out;
    if (!(all = khash_str2int_init()) || !(owned = khash_str2int_init()) || !(base = khash_str2int_init())
        || keys_add(all, ts) < 0)
        goto oom;
    /* the rows every patient is tested on: the built-in catalogue (either
     * build), --targets, and whatever no patient owns */
    if (!(extra = vw_targets_init()) || vw_catalogue_builtin(extra, VW_BUILD_GRCH37) < 0
        || vw_catalogue_builtin(extra, VW_BUILD_GRCH38) < 0)
        goto oom;
    for (int i = 0; i < to->n_targets; i++)
        if (vw_targets_load(extra, to->targets[i], fai) < 0)
            goto out;
    if (keys_add(base, extra) < 0)
        goto oom;
    for (size_t p = 0; p < tl->n_patients; p++) {
        const vw_targets_t *own = rp->own[p];
        if (!own)
            continue;
        if (!(rp->mine[p] = calloc((size_t)ts->n + 1, 1)) || keys_add(owned, own) < 0)
            goto oom;
        for (int i = 0; i < own->n; i++) {
            char *k = target_key(&own->t[i]);
            int idx = -1;
            if (!k)
                goto oom;
            int r = khash_str2int_get(all, k, &idx);
            free(k);
            if (r != 0) {
                vw_error("%s: target %s (%s:%lld %s>%s) of patient '%s' is not in the evidence (count the "
                         "patient's files with -T %s; cohort sheet line %ld)", tl->patients[p].targets,
                         own->t[i].id, own->t[i].chrom, (long long)own->t[i].beg + 1, own->t[i].ref, own->t[i].alt,
                         tl->patients[p].id, tl->patients[p].targets, tl->patients[p].targets_line);
                goto out;
            }
            rp->mine[p][idx] = 1;
        }
    }
    for (int i = 0; i < ts->n; i++)
        rp->is_base[i] = (uint8_t)(!has_key(owned, &ts->t[i]) || has_key(base, &ts->t[i]));
    ret = 0;
    goto out;
oom:
    vw_error_code(-ENOMEM, "patient targets");
out:
    khash_str2int_destroy_free(all);
    khash_str2int_destroy_free(owned);
    khash_str2int_destroy_free(base);
    vw_targets_destroy(extra);
    fai_destroy(fai);
    if (ret < 0)
        vw_run_patients_free(rp);
    return ret;
}

void vw_run_view_free(vw_run_view_t *v)
{
    free(v->ts.t);
    free(v->s.c);
    free(v->s.chrom);
    free(v->idx);
    memset(v, 0, sizeof(*v));
}

int vw_run_view(const vw_run_patients_t *rp, int patient, const vw_targets_t *ts, const vw_sample_counts_t *s,
                vw_run_view_t *v)
{
    memset(v, 0, sizeof(*v));
    const uint8_t *mine = rp->mine && patient >= 0 ? rp->mine[patient] : NULL;
    v->ts.t = calloc((size_t)ts->n + 1, sizeof(vw_target_t));
    v->s.c = calloc((size_t)ts->n + 1, sizeof(vw_count_t));
    v->s.chrom = s->chrom ? calloc((size_t)ts->n + 1, sizeof(char *)) : NULL;
    v->idx = calloc((size_t)ts->n + 1, sizeof(int));
    if (!v->ts.t || !v->s.c || !v->idx || (s->chrom && !v->s.chrom)) {
        vw_run_view_free(v);
        return -ENOMEM;
    }
    vw_sample_counts_t keep = v->s;
    v->s = *s; /* sample, path, self background ... borrowed */
    v->s.c = keep.c;
    v->s.chrom = keep.chrom;
    int n = 0;
    for (int i = 0; i < ts->n; i++) {
        int own = mine && mine[i];
        if (!rp->is_base[i] && !own)
            continue;
        v->ts.t[n] = ts->t[i];
        v->ts.t[n].known = own;
        v->s.c[n] = s->c[i];
        if (v->s.chrom)
            v->s.chrom[n] = s->chrom[i];
        v->idx[n++] = i;
    }
    v->ts.n = v->ts.m = v->s.n = n;
    v->ts.build = ts->build;
    return 0;
}

int vw_run_patient_row(const vw_patient_opt_t *po, const vw_patient_t *p, const vw_sample_t *smp,
                       const vw_run_view_t *v, const vw_bg_t *bg, const vw_model_t *model,
                       const vw_selfbg_t *sb, const vw_call_t *calls, vw_patient_rows_t *rows)
{
    int n_own = 0, r = -ENOMEM;
    for (int j = 0; j < v->ts.n; j++)
        n_own += v->ts.t[j].known;
    vw_patient_locus_t *loci = calloc((size_t)n_own + 1, sizeof(*loci));
    uint8_t *ex = calloc((size_t)n_own + 1, 1);
    kstring_t exs = {0, 0, NULL};
    if (!loci || !ex)
        goto out;
    int k = 0;
    for (int j = 0; j < v->ts.n; j++) {
        const vw_target_t *t = &v->ts.t[j];
        if (!t->known)
            continue;
        const vw_count_t *c = &v->s.c[j];
        vw_patient_locus_t *l = &loci[k++];
        l->id = t->id;
        l->assessed = c->assessed;
        l->depth = c->depth;
        l->alt = c->alt;
        l->mu = bg[j].mu;
        l->rho = bg[j].rho;
        l->flags = calls[j].flags;
        if (bg[j].noisy)
            l->flags |= VW_FLAG_NOISY_SITE;
        /* the uncertainty of the background: fragments behind it */
        if (bg[j].source == VW_BG_PON && model) {
            int m = vw_model_find(model, t->chrom, t->beg + 1, t->ref, t->alt);
            if (m >= 0 && model->s[m].n_normals > 0) {
                double nbar = (double)model->s[m].depth_total / model->s[m].n_normals;
                l->bg_n = (double)model->s[m].depth_total / (1 + (nbar > 1 ? nbar - 1 : 0) * model->s[m].rho);
            }
        } else if (bg[j].source == VW_BG_SELF && sb) {
            int cl = vw_sub_class(t->ref, t->alt);
            if (cl >= 0)
                l->bg_n = (double)sb->n[cl];
        }
    }
    vw_patient_row_t row;
    memset(&row, 0, sizeof(row));
    if ((r = vw_patient_test(po, loci, n_own, ex, &row.r)) < 0) {
        vw_error_code(r, "%s: patient-level test", smp->sample);
        goto out;
    }
    char fb[160];
    for (int i = 0; i < n_own; i++) {
        if (!ex[i])
            continue;
        if (exs.l)
            kputc(';', &exs);
        ksprintf(&exs, "%s:%s", loci[i].id, vw_flags_str(loci[i].flags & po->exclude, fb, sizeof(fb)));
    }
    row.patient = p->id;
    row.sample = smp->sample;
    row.date = smp->date;
    row.n_targets = n_own;
    row.excluded = exs.s;
    if ((r = vw_patient_rows_push(rows, &row)) < 0)
        vw_error_code(r, "patient-level table");
out:
    if (r == -ENOMEM && (!loci || !ex))
        vw_error_code(r, "patient-level test");
    free(loci);
    free(ex);
    free(exs.s);
    return r;
}
