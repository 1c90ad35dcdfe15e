/* evclass_build.c -- model build in the molecule unit: one fit per evidence
 * class from the same normals (evclass.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/evclass.h"
#include "vafwatch/log.h"

#define MAX_CLASSES 16

typedef struct {
    char name[MAX_CLASSES][VW_EVCLASS_MAX];
    int n;
} class_list_t;

static void class_add(class_list_t *L, const char *name)
{
    for (int i = 0; i < L->n; i++)
        if (!strcmp(L->name[i], name))
            return;
    if (L->n < MAX_CLASSES)
        snprintf(L->name[L->n++], VW_EVCLASS_MAX, "%s", name);
}

/* Moves the sites of 'part' into 'model', each named by class 'cls'.
 * Returns 0 or -ENOMEM ('part' keeps what was not moved). */
static int take_sites(vw_model_t *model, vw_model_t *part, const char *cls)
{
    if (model->n + part->n > model->m) {
        int m = model->n + part->n + 16;
        vw_model_site_t *t = realloc(model->s, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        model->s = t;
        model->m = m;
    }
    for (int i = 0; i < part->n; i++)
        if (!(part->s[i].ev_class = vw_strdup(cls)))
            return -ENOMEM;
    /* the normals left out of a site (model.h), their site renumbered */
    vw_model_outlier_t *o = realloc(model->out, ((size_t)model->n_out + (size_t)part->n_out + 1) * sizeof(*o));
    if (!o)
        return -ENOMEM;
    model->out = o;
    for (int i = 0; i < part->n_out; i++, model->n_out++, model->m_out = model->n_out) {
        o[model->n_out] = part->out[i];
        o[model->n_out].site += model->n;
    }
    part->n_out = 0;
    memcpy(model->s + model->n, part->s, (size_t)part->n * sizeof(*part->s));
    model->n += part->n;
    part->n = 0;
    return 0;
}

/* Fits class 'cls' on the samples of 'ev' counted in it and moves the
 * sites into 'model'.  Logs; returns 0 or negative. */
static int fit_class(vw_model_t *model, const vw_evidence_t *ev, const char *cls, const vw_model_opt_t *mo)
{
    char buf[VW_EVCLASS_MAX];
    vw_sample_counts_t **sel = malloc(((size_t)ev->n + 1) * sizeof(*sel));
    vw_model_t *part = vw_model_init();
    int n = 0, r = -ENOMEM;
    if (!sel || !part)
        goto out;
    for (int j = 0; j < ev->n; j++)
        if (!strcmp(vw_evclass_of_sample(ev->s[j], buf, sizeof buf), cls))
            sel[n++] = ev->s[j];
    r = 0;
    if (n == 0)
        goto out;
    if ((r = vw_model_fit(part, ev->ts, sel, n, mo)) < 0) {
        vw_error_code(r, "model fit of class %s", cls);
        goto out;
    }
    vw_info("class %s: %d normal(s), %d site(s) fitted", cls, n, part->n);
    if (part->n_normals > model->n_normals)
        model->n_normals = part->n_normals;
    if (model->build == VW_BUILD_UNKNOWN)
        model->build = part->build;
    r = take_sites(model, part, cls);
out:
    if (r == -ENOMEM)
        vw_error_code(r, "model fit of class %s", cls);
    free(sel);
    vw_model_destroy(part);
    return r;
}

int vw_evclass_build(const vw_target_opt_t *to, const vw_count_opt_t *opt, char **files, int n_files,
                     const vw_model_opt_t *mo, vw_model_t *model, vw_evidence_t *ret_ev)
{
    class_list_t L = {.n = 0};
    char buf[VW_EVCLASS_MAX];
    int r, recount = 1, any_bam = 0;
    if ((r = vw_evidence_load(to, opt, files, n_files, ret_ev)) < 0)
        return r;
    class_add(&L, vw_evclass_name(opt->unit, opt->min_family, opt->duplex_only, buf, sizeof buf));
    for (int j = 0; j < ret_ev->n; j++) {
        class_add(&L, vw_evclass_of_sample(ret_ev->s[j], buf, sizeof buf));
        any_bam |= ret_ev->is_bam[j];
    }
    for (int i = 0; i < n_files; i++)
        if (!strcmp(files[i], "-") || vw_input_is_pipe(files[i]) || opt->stream)
            recount = 0;
    if (any_bam && recount) {
        class_add(&L, vw_evclass_name(VW_UNIT_MOLECULE, 1, 0, buf, sizeof buf));
        class_add(&L, vw_evclass_name(VW_UNIT_MOLECULE, 3, 0, buf, sizeof buf));
        class_add(&L, vw_evclass_name(VW_UNIT_MOLECULE, 1, 1, buf, sizeof buf));
    } else if (any_bam) {
        vw_warn("a normal is read from a stream or a pipe: only the class of the options (%s) is fitted", L.name[0]);
    }
    for (int k = 0; k < L.n; k++) {
        vw_evidence_t ev = {0};
        const vw_evidence_t *e = ret_ev;
        if (k > 0 && any_bam && recount) {
            /* the BAM/CRAM normals counted again in this class */
            vw_count_opt_t co = *opt;
            int unit = VW_UNIT_MOLECULE;
            if ((r = vw_evclass_parse(L.name[k], &unit, &co.min_family, &co.duplex_only)) < 0)
                return r;
            co.unit = (vw_count_unit_t)unit;
            if ((r = vw_evidence_load(to, &co, files, n_files, &ev)) < 0) {
                vw_evidence_free(&ev);
                return r;
            }
            e = &ev;
        }
        r = fit_class(model, e, L.name[k], mo);
        vw_evidence_free(&ev);
        if (r < 0)
            return r;
    }
    return 0;
}
