/* therapy.c -- the therapy-relevance map (therapy.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "vafwatch/therapy.h"

static const char *const kind_names[] = {"drug", "gene", "protein", "id", "context"};
#define N_KINDS 5

/* The built-in map: docs/calling.md ("Therapy relevance").  Anti-EGFR
 * antibodies: the MAPK pathway (RAS, BRAF, MAP2K1), the EGFR ectodomain
 * and ERBB2/MET (Misale et al. 2012; Diaz et al. 2012; Arena et al. 2015).
 * EGFR kinase inhibitors: the gatekeeper and covalent-site changes, the
 * catalogue's acquired-resistance rows and MET (Thress et al. 2015;
 * Oxnard et al. 2018). */
static const char *const builtin[][3] = {
    {"anti_egfr_mab", "drug", "cetuximab"},
    {"anti_egfr_mab", "drug", "panitumumab"},
    {"anti_egfr_mab", "gene", "KRAS"},
    {"anti_egfr_mab", "gene", "NRAS"},
    {"anti_egfr_mab", "gene", "BRAF"},
    {"anti_egfr_mab", "gene", "MAP2K1"},
    {"anti_egfr_mab", "gene", "ERBB2"},
    {"anti_egfr_mab", "gene", "MET"},
    {"anti_egfr_mab", "context", "EGFR ectodomain"},
    {"egfr_tki", "drug", "osimertinib"},
    {"egfr_tki", "drug", "gefitinib"},
    {"egfr_tki", "drug", "erlotinib"},
    {"egfr_tki", "drug", "afatinib"},
    {"egfr_tki", "drug", "dacomitinib"},
    {"egfr_tki", "protein", "EGFR:p.T790M"},
    {"egfr_tki", "protein", "EGFR:p.C797S"},
    {"egfr_tki", "context", "EGFR-TKI (NSCLC): acquired resistance"},
    {"egfr_tki", "gene", "MET"},
};

void vw_therapy_map_destroy(vw_therapy_map_t *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n; i++) {
        free(m->r[i].cls);
        free(m->r[i].value);
    }
    free(m->r);
    free(m);
}

static int kind_parse(const char *s)
{
    for (int k = 0; k < N_KINDS; k++)
        if (!strcasecmp(s, kind_names[k]))
            return k;
    return -1;
}

static int push(vw_therapy_map_t *m, const char *cls, int kind, const char *value)
{
    if (m->n == m->m) {
        int n = m->m ? 2 * m->m : 32;
        vw_therapy_rule_t *t = realloc(m->r, (size_t)n * sizeof(*t));
        if (!t)
            return -ENOMEM;
        m->r = t;
        m->m = n;
    }
    vw_therapy_rule_t *r = &m->r[m->n];
    r->cls = vw_strdup(cls);
    r->value = vw_strdup(value);
    r->kind = (vw_therapy_kind_t)kind;
    if (!r->cls || !r->value) {
        free(r->cls);
        free(r->value);
        return -ENOMEM;
    }
    m->n++;
    return 0;
}

vw_therapy_map_t *vw_therapy_map_builtin(void)
{
    vw_therapy_map_t *m = calloc(1, sizeof(*m));
    if (!m) {
        errno = ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
        if (push(m, builtin[i][0], kind_parse(builtin[i][1]), builtin[i][2]) < 0) {
            vw_therapy_map_destroy(m);
            errno = ENOMEM;
            return NULL;
        }
    return m;
}

static const vw_table_col_t tcols[3] = {{"class", 1}, {"kind", 1}, {"value", 1}};

int vw_therapy_map_read(const char *path, vw_therapy_map_t **ret)
{
    if (!path || !ret)
        return -EINVAL;
    vw_table_t *t = NULL;
    vw_therapy_map_t *m = calloc(1, sizeof(*m));
    int col[3], ret_code;
    char **f;
    if (!m)
        return -ENOMEM;
    if ((ret_code = vw_table_open(path, "therapy map", &t)) < 0)
        goto out;
    if ((ret_code = vw_table_header(t, "therapy map", tcols, 3, VW_TABLE_UNKNOWN_WARN | VW_TABLE_NOCASE, col)) < 0)
        goto out;
    while ((ret_code = vw_table_row(t, &f)) == 1) {
        const char *cls = f[col[0]], *kind = f[col[1]], *value = f[col[2]];
        int k = kind_parse(kind), bad = !*cls ? 0 : k < 0 ? 1 : !*value ? 2 : -1;
        if (bad < 0 && k == VW_TSEL_PROTEIN && (!strchr(value, ':') || value[0] == ':'))
            bad = 2;
        if (bad >= 0) {
            vw_table_error(path, vw_table_lineno(t), tcols[bad].name, "%s '%s'%s",
                           bad == 1 ? "unknown kind" : "invalid value", f[col[bad]],
                           bad == 1 ? " (drug, gene, protein, id or context)"
                                    : k == VW_TSEL_PROTEIN && bad == 2 ? " (GENE:p.CHANGE)" : "");
            ret_code = VW_EPARSE;
            break;
        }
        if ((ret_code = push(m, cls, k, value)) < 0) {
            vw_error_code(ret_code, "%s: reading the therapy map", path);
            break;
        }
    }
out:
    vw_table_close(t);
    if (ret_code < 0) {
        vw_therapy_map_destroy(m);
        return ret_code;
    }
    *ret = m;
    return 0;
}

const char *vw_therapy_class(const vw_therapy_map_t *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (int i = 0; i < m->n; i++)
        if (!strcasecmp(m->r[i].cls, name))
            return m->r[i].cls;
    for (int i = 0; i < m->n; i++)
        if (m->r[i].kind == VW_TSEL_DRUG && !strcasecmp(m->r[i].value, name))
            return m->r[i].cls;
    return NULL;
}

/* 1 when 'hay' contains 'needle' in any case. */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (!strncasecmp(hay, needle, n))
            return 1;
    return n == 0;
}

int vw_therapy_relevant(const vw_therapy_map_t *m, const char *cls, const vw_target_t *t)
{
    if (!m || !cls || !t)
        return 0;
    for (int i = 0; i < m->n; i++) {
        const vw_therapy_rule_t *r = &m->r[i];
        if (strcasecmp(r->cls, cls) != 0)
            continue;
        const char *v = r->value, *colon;
        switch (r->kind) {
        case VW_TSEL_GENE:
            if (t->gene && !strcasecmp(t->gene, v))
                return 1;
            break;
        case VW_TSEL_PROTEIN:
            colon = strchr(v, ':');
            if (colon && t->gene && t->protein && strlen(t->gene) == (size_t)(colon - v) &&
                !strncasecmp(t->gene, v, (size_t)(colon - v)) && !strcmp(t->protein, colon + 1))
                return 1;
            break;
        case VW_TSEL_ID:
            if (t->id && !strcmp(t->id, v))
                return 1;
            break;
        case VW_TSEL_CONTEXT:
            if (t->context && contains_nocase(t->context, v))
                return 1;
            break;
        default:
            break;
        }
    }
    return 0;
}

/* Appends cls to out[0..*n) unless there (same text: each rule holds its own copy) or full. */
static void add_class(const char *cls, const char **out, int max, int *n)
{
    for (int k = 0; k < *n; k++)
        if (!strcmp(out[k], cls))
            return;
    if (*n < max)
        out[(*n)++] = cls;
}

int vw_therapy_sample_classes(const vw_therapy_map_t *m, const char *const *names, int n_names,
                              const vw_patient_t *pat, const char **out, int max, int *n_unknown)
{
    int n = 0;
    if (!m)
        return 0;
    for (int k = 0; k < n_names; k++) {
        const char *cls = vw_therapy_class(m, names[k]);
        if (cls)
            add_class(cls, out, max, &n);
    }
    if (n_names > 0 || !pat)
        return n;
    for (size_t e = 0; e < pat->n_events; e++) {
        if (pat->events[e].type != VW_EVENT_TREATMENT_START || !pat->events[e].detail)
            continue;
        char buf[256], *save = NULL;
        snprintf(buf, sizeof buf, "%s", pat->events[e].detail);
        for (char *tok = strtok_r(buf, "+,;/ ", &save); tok; tok = strtok_r(NULL, "+,;/ ", &save)) {
            const char *cls = vw_therapy_class(m, tok);
            if (cls)
                add_class(cls, out, max, &n);
            else if (n_unknown)
                (*n_unknown)++;
        }
    }
    return n;
}

int vw_therapy_fill_context(vw_targets_t *ts)
{
    vw_targets_t *cat = vw_targets_init();
    int n = 0;
    if (!cat || vw_catalogue_builtin(cat, VW_BUILD_GRCH38) < 0) {
        vw_targets_destroy(cat);
        return -ENOMEM;
    }
    for (int i = 0; i < ts->n && n >= 0; i++) {
        vw_target_t *t = &ts->t[i];
        if ((t->context && strcmp(t->context, ".") != 0) || !t->id)
            continue;
        for (int k = 0; k < cat->n; k++) {
            const vw_target_t *c = &cat->t[k];
            if (strcmp(c->id, t->id) != 0 || strcmp(c->ref, t->ref) != 0 || strcmp(c->alt, t->alt) != 0)
                continue;
            char *ctx = vw_strdup(c->context);
            if (!ctx) {
                n = -ENOMEM;
                break;
            }
            free(t->context);
            t->context = ctx;
            n++;
            break;
        }
    }
    vw_targets_destroy(cat);
    return n;
}
