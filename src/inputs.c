/* cmd_inputs.c -- evidence for the model and call stages from evidence
 * tables, BAM/CRAM and VCF/BCF inputs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/model.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/vcfin.h"
#include "vafwatch/inputs.h"
#include "vafwatch/util.h"

void vw_evidence_free(vw_evidence_t *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n; i++)
        vw_sample_counts_destroy(e->s[i]);
    free(e->s);
    free(e->is_bam);
    vw_targets_destroy(e->ts);
    memset(e, 0, sizeof(*e));
}

int vw_sample_name_ok(const char *name, const char *where)
{
    if (!*name) {
        vw_error("%s: empty sample name", where);
        return VW_EINPUT;
    }
    if (name[0] == '#') {
        vw_error("%s: sample name '%s' begins with '#', which every table reader takes for a comment; rename "
                 "it", where, name);
        return VW_EINPUT;
    }
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f) {
            vw_error("%s: sample name holds a control character (byte 0x%02x at offset %d); rename it", where, *p,
                     (int)(p - (const unsigned char *)name));
            return VW_EINPUT;
        }
    return 0;
}

int vw_sample_names_check(vw_sample_counts_t *const *s, int n)
{
    for (int i = 0; i < n; i++) {
        int r = vw_sample_name_ok(s[i]->sample, s[i]->path);
        if (r < 0)
            return r;
        for (int j = 0; j < i; j++)
            if (strcmp(s[i]->sample, s[j]->sample) == 0) {
                vw_error("%s: sample '%s' is also given by %s: outputs would merge them; give each input its own "
                         "name (--sample)", s[i]->path, s[i]->sample, s[j]->path);
                return VW_EINPUT;
            }
    }
    return 0;
}

static int add(vw_evidence_t *e, int *m, vw_sample_counts_t *s, int is_bam)
{
    if (e->n == *m) {
        int nm = *m ? 2 * *m : 8;
        vw_sample_counts_t **t = realloc(e->s, (size_t)nm * sizeof(*t));
        if (!t)
            return -ENOMEM;
        e->s = t;
        int *b = realloc(e->is_bam, (size_t)nm * sizeof(int));
        if (!b)
            return -ENOMEM;
        e->is_bam = b;
        *m = nm;
    }
    e->s[e->n] = s;
    e->is_bam[e->n++] = is_bam;
    return 0;
}

int vw_evidence_load(const vw_target_opt_t *to, const vw_count_opt_t *co, char **files, int n_files,
                    vw_evidence_t *ret)
{
    vw_evidence_t e = {0};
    int m = 0, r = 0;
    int *kind = calloc((size_t)n_files + 1, sizeof(int)); /* 0 BAM, 1 VCF, 2 table */
    const char *first = NULL;
    vw_count_in_t *in0 = NULL;
    if (!kind)
        return -ENOMEM;
    for (int i = 0; i < n_files; i++) {
        kind[i] = vw_vcfin_is_vcf(files[i]) ? 1 : vw_input_is_pipe(files[i]) ? 0 : vw_count_is_tsv(files[i]) ? 2 : 0;
        if (kind[i] != 2 && !first)
            first = files[i];
    }
    /* a pipe can be read once: its header gives the build, and the same open is counted */
    if (first && first == files[0] && kind[0] == 0 && vw_input_is_pipe(first) && (r = vw_count_open(first, co, &in0)) < 0)
        goto out;
    if (first) {
        if (!(e.ts = in0 ? vw_targets_build_hdr(to, first, vw_count_in_header(in0)) : vw_targets_build(to, first))) {
            r = VW_EINPUT;
            goto out;
        }
    } else {
        if (to->n_targets > 0)
            vw_warn("--targets ignored: with evidence tables only, the targets are the tables' rows");
        if (!(e.ts = vw_targets_init())) {
            r = -ENOMEM;
            goto out;
        }
        for (int i = 0; i < n_files; i++)
            if ((r = vw_count_tsv_targets(files[i], e.ts)) < 0)
                goto out;
        vw_targets_sort_unique(e.ts);
        if ((r = vw_targets_region_filter(to, e.ts)) < 0)
            goto out;
    }
    for (int i = 0; i < n_files; i++) {
        if (kind[i] == 0) {
            vw_sample_counts_t *s = NULL;
            if (i == 0 && in0) {
                r = vw_count_in(in0, NULL, e.ts, co, &s);
                in0 = NULL;
            } else {
                r = vw_count_file(files[i], NULL, e.ts, co, &s);
            }
            if (r < 0)
                goto out;
            if ((r = add(&e, &m, s, strcmp(files[i], "-") != 0 && !co->stream)) < 0) {
                vw_sample_counts_destroy(s);
                goto out;
            }
            continue;
        }
        vw_sample_counts_t **v = NULL;
        int nv = 0, skipped = 0;
        r = kind[i] == 1 ? vw_vcfin_read(files[i], e.ts, NULL, &v, &nv)
                         : vw_count_read_tsv(files[i], e.ts, &v, &nv, &skipped);
        if (r < 0)
            goto out;
        if (skipped && (to->n_regions || to->regions_file))
            vw_info("%s: %d row(s) outside the regions given; skipped", files[i], skipped);
        else if (skipped)
            vw_warn("%s: %d row(s) name targets that are not in the target set; skipped", files[i], skipped);
        for (int j = 0; j < nv; j++) {
            if (r == 0 && (r = add(&e, &m, v[j], 0)) == 0)
                continue;
            vw_sample_counts_destroy(v[j]);
        }
        free(v);
        if (r < 0)
            goto out;
    }
    r = vw_sample_names_check(e.s, e.n);
out:
    vw_count_in_close(in0);
    free(kind);
    if (r < 0) {
        if (r == -ENOMEM)
            vw_error_code(r, "loading the inputs");
        vw_evidence_free(&e);
        return r;
    }
    *ret = e;
    return 0;
}

int vw_call_one_sample(const vw_call_opt_t *co, const vw_model_t *model, const vw_targets_t *ts,
                       const vw_sample_counts_t *s, const vw_selfbg_t *sb, double cfdna_ng_ml, vw_bg_t *bg,
                       vw_calls_t *calls, int *n_model, int *n_default)
{
    /* the class of the sample's counts, or the one asked for: its rows of a model of several classes */
    char cbuf[VW_EVCLASS_MAX];
    const char *cls = co->ev_class ? co->ev_class : vw_evclass_of_sample(s, cbuf, sizeof cbuf);
    int n0 = calls->n;
    if (model && vw_evclass_check(model, "--model", cls, s->sample) < 0)
        return VW_EINPUT; /* a model of several classes, none of them this one */
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        int k = model ? vw_evclass_find(model, cls, t->chrom, t->beg + 1, t->ref, t->alt) : -1;
        if (k >= 0) {
            bg[i].mu = model->s[k].mu;
            bg[i].rho = model->s[k].rho;
            bg[i].source = VW_BG_PON;
            bg[i].noisy = model->s[k].noisy;
            bg[i].rho_unknown = 0;
            bg[i].scale_var = model->scale_var;
            bg[i].n_normals = model->s[k].n_normals;
            (*n_model)++;
        } else {
            bg[i] = vw_call_bg_self(sb, t->ref, t->alt, co->bg_floor);
            *n_default += bg[i].source == VW_BG_DEFAULT;
        }
    }
    unsigned char *known = NULL;
    if (co->n_known > 0) {
        if (!(known = calloc((size_t)ts->n + 1, 1))) {
            vw_error_code(-ENOMEM, "%s: calling", s->sample);
            return -ENOMEM;
        }
        for (int i = 0; i < ts->n; i++)
            known[i] = (unsigned char)vw_call_is_known(co, s->sample, ts->t[i].id);
    }
    int r = vw_call_bg_scale(ts, s, known, bg); /* bg: the sample's own level (the patient test reads it) */
    if (r == 0)
        r = vw_call_sample_known(co, ts, s, bg, known, cfdna_ng_ml, calls);
    free(known);
    for (int i = n0; r == 0 && i < calls->n; i++)
        if (!(calls->c[i].ev_class = vw_strdup(cls)))
            r = -ENOMEM;
    if (r < 0)
        vw_error_code(r, "%s: calling", s->sample);
    return r;
}
