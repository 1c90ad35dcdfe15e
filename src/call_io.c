/* call_io.c -- the call record set and the calls table (read and write). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"

const char *const vw_flag_names[VW_N_FLAGS] = {
    "strand_bias", "possible_germline", "noisy_site", "low_depth", "discordant_mates", "not_assessed",
    "known", "bg_binomial", "low_alt_bq", "filtered"
};

static const char *const bg_names[] = {"pon", "self", "default"};

const char *vw_bg_source_name(vw_bg_source_t s)
{
    return (unsigned)s < 3 ? bg_names[s] : "unknown";
}

vw_calls_t *vw_calls_init(void)
{
    vw_calls_t *cs = calloc(1, sizeof(*cs));
    if (!cs)
        errno = ENOMEM;
    return cs;
}

static void call_free(vw_call_t *c)
{
    free(c->sample); free(c->chrom); free(c->ref); free(c->alt);
    free(c->id); free(c->gene); free(c->protein); free(c->cdna); free(c->ev_class);
}

void vw_calls_destroy(vw_calls_t *cs)
{
    if (!cs)
        return;
    for (int i = 0; i < cs->n; i++)
        call_free(&cs->c[i]);
    free(cs->c);
    free(cs);
}

static char *dup_str(const char *s)
{
    return vw_strdup(s ? s : ".");
}

int vw_calls_push(vw_calls_t *cs, const vw_call_t *c)
{
    if (cs->n == cs->m) {
        int m = cs->m ? 2 * cs->m : 64;
        vw_call_t *t = realloc(cs->c, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        cs->c = t;
        cs->m = m;
    }
    vw_call_t *d = &cs->c[cs->n];
    *d = *c;
    d->sample = dup_str(c->sample);
    d->chrom = dup_str(c->chrom);
    d->ref = dup_str(c->ref);
    d->alt = dup_str(c->alt);
    d->id = dup_str(c->id);
    d->gene = dup_str(c->gene);
    d->protein = dup_str(c->protein);
    d->cdna = dup_str(c->cdna);
    d->ev_class = c->ev_class ? vw_strdup(c->ev_class) : NULL;
    if (!d->sample || !d->chrom || !d->ref || !d->alt || !d->id || !d->gene || !d->protein || !d->cdna
        || (c->ev_class && !d->ev_class)) {
        call_free(d);
        return -ENOMEM;
    }
    cs->n++;
    return 0;
}

char *vw_flags_str(uint32_t flags, char *buf, size_t size)
{
    size_t l = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (int i = 0; i < VW_N_FLAGS; i++) {
        if (!(flags & (1u << i)))
            continue;
        int w = snprintf(buf + l, size - l, "%s%s", l ? "," : "", vw_flag_names[i]);
        if (w < 0 || (size_t)w >= size - l)
            break;
        l += (size_t)w;
    }
    if (l == 0)
        snprintf(buf, size, ".");
    return buf;
}

int vw_flags_parse(const char *s, uint32_t *ret_flags)
{
    uint32_t f = 0;
    if (!s || !*s)
        return VW_EPARSE;
    if (strcmp(s, ".") == 0 || strcmp(s, "none") == 0) {
        *ret_flags = 0;
        return 0;
    }
    const char *p = s;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (int i = 0; i < VW_N_FLAGS; i++) {
            if (strlen(vw_flag_names[i]) == n && strncmp(p, vw_flag_names[i], n) == 0) {
                f |= 1u << i;
                found = 1;
            }
        }
        if (!found)
            return VW_EPARSE;
        p += n;
        if (*p == ',')
            p++;
    }
    *ret_flags = f;
    return 0;
}

enum {
    K_SAMPLE, K_CHROM, K_POS, K_REF, K_ALT, K_ID, K_GENE, K_PROTEIN, K_CDNA, K_DEPTH, K_REF_COUNT,
    K_ALT_COUNT, K_OTHER_COUNT, K_DISCORDANT, K_ALT_FWD, K_ALT_REV, K_VAF, K_VAF_LO, K_VAF_HI, K_P_VALUE,
    K_Q_VALUE, K_DETECTED, K_LOD95, K_FLAGS, K_BACKGROUND, K_BG_ERROR, K_COPIES, K_BG_NORMALS, K_CLASS, K_N
};

/* The columns in the order the writer gives them (the reader finds them by
 * name; any other column is refused); all required but bg_normals and
 * class, which tables of earlier versions lack (class then reads NULL). */
static const vw_table_col_t call_cols[K_N] = {
    {"sample", 1}, {"chrom", 1}, {"pos", 1}, {"ref", 1}, {"alt", 1}, {"id", 1}, {"gene", 1},
    {"protein", 1}, {"cdna", 1}, {"depth", 1}, {"ref_count", 1}, {"alt_count", 1}, {"other_count", 1},
    {"discordant", 1}, {"alt_fwd", 1}, {"alt_rev", 1}, {"vaf", 1}, {"vaf_lo", 1}, {"vaf_hi", 1},
    {"p_value", 1}, {"q_value", 1}, {"detected", 1}, {"lod95", 1}, {"flags", 1}, {"background", 1},
    {"bg_error", 1}, {"copies_per_ml", 1}, {"bg_normals", 0}, {"class", 0}};

/* A tab, then v with 'fmt' or NA. */
static void put_num(FILE *fp, double v, const char *fmt)
{
    fputc('\t', fp);
    vw_table_put_num(fp, v, fmt);
}

int vw_calls_write_tsv(FILE *fp, const vw_calls_t *cs)
{
    char fb[160];
    (void)vw_table_put_header(fp, call_cols, K_N); /* a stream error is seen below */
    for (int i = 0; i < cs->n; i++) {
        const vw_call_t *c = &cs->c[i];
        fprintf(fp, "%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s", c->sample, c->chrom, (long long)c->pos1, c->ref,
                c->alt, c->id, c->gene, c->protein, c->cdna);
        if (c->flags & VW_FLAG_NOT_ASSESSED) {
            fputs("\tNA\tNA\tNA\tNA\tNA\tNA\tNA", fp);
        } else {
            fprintf(fp, "\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld", (long long)c->depth,
                    (long long)c->ref_count, (long long)c->alt_count, (long long)c->other_count,
                    (long long)c->discordant, (long long)c->alt_fwd, (long long)c->alt_rev);
        }
        put_num(fp, c->vaf, "%.6g");
        put_num(fp, c->vaf_lo, "%.6g");
        put_num(fp, c->vaf_hi, "%.6g");
        put_num(fp, c->p_value, "%.4g");
        put_num(fp, c->q_value, "%.4g");
        fprintf(fp, "\t%s", c->detected > 0 ? "yes" : c->detected == 0 ? "no" : "NA");
        put_num(fp, c->lod95, "%.6g");
        fprintf(fp, "\t%s\t%s", vw_flags_str(c->flags, fb, sizeof(fb)), vw_bg_source_name(c->background));
        put_num(fp, c->bg_error, "%.4g");
        put_num(fp, c->copies_per_ml, "%.4g");
        put_num(fp, c->bg_normals > 0 ? (double)c->bg_normals : NAN, "%.0f");
        fprintf(fp, "\t%s\n", c->ev_class ? c->ev_class : "fragment");
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

static int parse_i64(const char *s, int64_t *v)
{
    if (strcmp(s, "NA") == 0) {
        *v = 0;
        return 0;
    }
    long x;
    if (vw_table_parse_long(s, 0, LONG_MAX, &x) != 0)
        return VW_EPARSE;
    *v = x;
    return 0;
}

/* NA or any double, underflow read as the nearest (a subnormal p-value). */
static int parse_num(const char *s, double *v)
{
    return vw_table_parse_double(s, VW_NUM_NA | VW_NUM_INFINITE, -INFINITY, INFINITY, v);
}

/* Fills *c from a row (strings borrowed from f).  Returns -1, or the K_*
 * column whose value is invalid. */
static int parse_call_row(char **f, const int *col, vw_call_t *c)
{
#define F(k) f[col[k]]
    memset(c, 0, sizeof(*c));
    c->sample = F(K_SAMPLE); c->chrom = F(K_CHROM); c->ref = F(K_REF); c->alt = F(K_ALT);
    c->id = F(K_ID); c->gene = F(K_GENE); c->protein = F(K_PROTEIN); c->cdna = F(K_CDNA);
    long pos;
    int64_t *ints[7] = {&c->depth, &c->ref_count, &c->alt_count, &c->other_count, &c->discordant, &c->alt_fwd,
                        &c->alt_rev};
    double *dbls[5] = {&c->vaf, &c->vaf_lo, &c->vaf_hi, &c->p_value, &c->q_value};
    if (vw_table_parse_long(F(K_POS), 1, LONG_MAX, &pos) != 0)
        return K_POS;
    c->pos1 = pos;
    for (int i = 0; i < 7; i++)
        if (parse_i64(F(K_DEPTH + i), ints[i]))
            return K_DEPTH + i;
    for (int i = 0; i < 5; i++)
        if (parse_num(F(K_VAF + i), dbls[i]))
            return K_VAF + i;
    if (!strcmp(F(K_DETECTED), "yes")) c->detected = 1;
    else if (!strcmp(F(K_DETECTED), "no")) c->detected = 0;
    else if (!strcmp(F(K_DETECTED), "NA")) c->detected = -1;
    else return K_DETECTED;
    if (parse_num(F(K_LOD95), &c->lod95))
        return K_LOD95;
    if (vw_flags_parse(F(K_FLAGS), &c->flags))
        return K_FLAGS;
    int k;
    for (k = 0; k < 3 && strcmp(F(K_BACKGROUND), bg_names[k]); k++)
        ;
    if (k == 3)
        return K_BACKGROUND;
    c->background = (vw_bg_source_t)k;
    if (parse_num(F(K_BG_ERROR), &c->bg_error))
        return K_BG_ERROR;
    if (parse_num(F(K_COPIES), &c->copies_per_ml))
        return K_COPIES;
    long nn = 0;
    if (col[K_BG_NORMALS] >= 0 && strcmp(F(K_BG_NORMALS), "NA") != 0 &&
        (vw_table_parse_long(F(K_BG_NORMALS), 1, INT_MAX, &nn) != 0 || c->background != VW_BG_PON))
        return K_BG_NORMALS;
    c->bg_normals = (int)nn;
    if (!isnan(c->vaf) && (c->vaf < 0 || c->vaf > 1))
        return K_VAF;
    int u, mf, dx;
    if (col[K_CLASS] >= 0 && vw_evclass_parse(F(K_CLASS), &u, &mf, &dx) != 0)
        return K_CLASS;
    c->ev_class = col[K_CLASS] >= 0 ? F(K_CLASS) : NULL;
    return -1;
#undef F
}

int vw_calls_read_tsv(vw_calls_t *cs, const char *path)
{
    vw_table_t *t = NULL;
    int col[K_N], ret;
    char **f;
    if (!cs || !path)
        return -EINVAL;
    if ((ret = vw_table_open(path, "calls table", &t)) < 0)
        return ret;
    if ((ret = vw_table_header(t, "calls table", call_cols, K_N, VW_TABLE_UNKNOWN_REFUSE, col)) < 0)
        goto out;
    while ((ret = vw_table_row(t, &f)) == 1) {
        vw_call_t c;
        int bad = parse_call_row(f, col, &c);
        if (bad >= 0) {
            vw_table_error(path, vw_table_lineno(t), call_cols[bad].name, "invalid value '%s'", f[col[bad]]);
            ret = VW_EPARSE;
            break;
        }
        if ((ret = vw_calls_push(cs, &c)) < 0)
            break;
    }
out:
    vw_table_close(t);
    return ret;
}
