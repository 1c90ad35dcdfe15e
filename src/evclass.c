/* evclass.c -- evidence classes: names, the background of one class in
 * a model file that holds several, and the class checks of call and run
 * (evclass.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"

const char *vw_evclass_name(int unit, int min_family, int duplex_only, char *buf, size_t n)
{
    if (unit == VW_UNIT_READ) {
        snprintf(buf, n, "read");
    } else if (unit != VW_UNIT_MOLECULE) {
        snprintf(buf, n, "fragment");
    } else {
        const char *base = duplex_only ? "duplex" : "molecule";
        if (min_family > 1)
            snprintf(buf, n, "%s_f%d", base, min_family);
        else
            snprintf(buf, n, "%s", base);
    }
    return buf;
}

const char *vw_evclass_of_sample(const vw_sample_counts_t *s, char *buf, size_t n)
{
    return vw_evclass_name(s->unit, s->min_family, s->duplex_only, buf, n);
}

int vw_evclass_parse(const char *s, int *ret_unit, int *ret_min_family, int *ret_duplex_only)
{
    int unit = VW_UNIT_MOLECULE, duplex = 0;
    long mf = 1;
    const char *rest;
    if (!s)
        return VW_EPARSE;
    if (!strcmp(s, "fragment") || !strcmp(s, "read")) {
        *ret_unit = s[0] == 'r' ? VW_UNIT_READ : VW_UNIT_FRAGMENT;
        *ret_min_family = 1;
        *ret_duplex_only = 0;
        return 0;
    }
    if (!strncmp(s, "molecule", 8)) {
        rest = s + 8;
    } else if (!strncmp(s, "duplex", 6)) {
        rest = s + 6;
        duplex = 1;
    } else {
        return VW_EPARSE;
    }
    if (*rest) {
        /* _fN, N in [2, 1000], digits only */
        if (strncmp(rest, "_f", 2) != 0 || rest[2] < '1' || rest[2] > '9'
            || vw_table_parse_long(rest + 2, 2, 1000, &mf) != 0)
            return VW_EPARSE;
    }
    *ret_unit = unit;
    *ret_min_family = (int)mf;
    *ret_duplex_only = duplex;
    return 0;
}

int vw_evclass_find(const vw_model_t *m, const char *cls, const char *chrom, int64_t pos1, const char *ref,
                    const char *alt)
{
    if (!m)
        return -1;
    for (int i = 0; i < m->n; i++) {
        const vw_model_site_t *s = &m->s[i];
        if (cls && s->ev_class && strcmp(cls, s->ev_class) != 0)
            continue;
        if (s->pos1 == pos1 && !strcmp(s->ref, ref) && !strcmp(s->alt, alt) && vw_contig_match(s->chrom, chrom))
            return i;
    }
    return -1;
}

/* 1 when an earlier site than i has the class of site i. */
static int seen_before(const vw_model_t *m, int i)
{
    for (int j = 0; j < i; j++)
        if (m->s[j].ev_class && !strcmp(m->s[j].ev_class, m->s[i].ev_class))
            return 1;
    return 0;
}

int vw_evclass_list(const vw_model_t *m, char *buf, size_t n)
{
    int k = 0;
    size_t l = 0;
    if (n)
        buf[0] = '\0';
    for (int i = 0; m && i < m->n; i++) {
        if (!m->s[i].ev_class || seen_before(m, i))
            continue;
        k++;
        if (l < n) {
            int w = snprintf(buf + l, n - l, "%s%s", l ? ", " : "", m->s[i].ev_class);
            l = w < 0 ? n : l + (size_t)w;
        }
    }
    return k;
}

int vw_evclass_check(const vw_model_t *m, const char *path, const char *cls, const char *sample)
{
    char list[512];
    if (vw_evclass_list(m, list, sizeof list) == 0)
        return 0;
    for (int i = 0; i < m->n; i++)
        if (m->s[i].ev_class && !strcmp(m->s[i].ev_class, cls))
            return 1;
    vw_error("%s: the model has no background of evidence class %s (sample %s); it holds: %s "
             "(count the sample in one of them, or choose one with --class)", path, cls, sample, list);
    return VW_EINPUT;
}

/* The class a one-class model file was built from: its '##options=' line
 * (count_unit, min_family, duplex_only), as vw_count_class() names it. */
static const char *options_class(const char *path, char *buf, size_t n)
{
    vw_count_opt_t o;
    vw_count_opt_init(&o);
    FILE *fp = fopen(path, "r");
    char line[4096];
    while (fp && fgets(line, sizeof line, fp) && line[0] == '#') {
        if (strncmp(line, "##options=", 10) != 0)
            continue;
        const char *u = strstr(line, "count_unit="), *m = strstr(line, "min_family="), *d = strstr(line, "duplex_only=");
        if (u && !strncmp(u + 11, "molecule", 8))
            o.unit = VW_UNIT_MOLECULE;
        else if (u && !strncmp(u + 11, "read", 4))
            o.unit = VW_UNIT_READ;
        if (m)
            o.min_family = atoi(m + 11);
        if (d)
            o.duplex_only = atoi(d + 12) != 0;
    }
    if (fp)
        fclose(fp);
    return vw_count_class(&o, buf, n);
}

int vw_evclass_check_sample(const vw_model_t *m, const char *path, const char *cls, const vw_sample_counts_t *s)
{
    char mc[64], sc[64], ec[VW_EVCLASS_MAX];
    const char *own = vw_evclass_of_sample(s, ec, sizeof ec);
    const char *c = cls ? cls : own;
    int rc = vw_evclass_check(m, path, c, s->sample);
    if (rc < 0)
        return rc;
    if (strcmp(c, own) != 0)
        vw_warn("sample %s holds %s counts; --class %s takes the background of another class", s->sample, own, c);
    if (rc > 0 || cls)
        return 0;
    /* a one-class model (no class column): its '##options=' line against the sample's counts */
    options_class(path, mc, sizeof mc);
    vw_count_opt_t so;
    vw_count_opt_init(&so);
    so.unit = s->unit;
    so.min_family = s->min_family;
    so.duplex_only = s->duplex_only;
    vw_count_class(&so, sc, sizeof sc);
    int mol = so.unit == VW_UNIT_MOLECULE || (strncmp(mc, "fragment", 8) && strncmp(mc, "read", 4));
    if (mol && strcmp(mc, sc) != 0)
        vw_warn("sample %s holds %s counts but the model %s was built from %s counts: its "
                "background does not match the evidence (docs/umi.md)", s->sample, sc, path, mc);
    return 0;
}
