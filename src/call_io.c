/* call_io.c -- the call record set and the calls table (read and write). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>

#include "vafwatch/call.h"
#include "vafwatch/log.h"

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
    free(c->id); free(c->gene); free(c->protein); free(c->cdna);
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
    if (!d->sample || !d->chrom || !d->ref || !d->alt || !d->id || !d->gene || !d->protein || !d->cdna) {
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

static const char *header =
    "#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
    "\tdiscordant\talt_fwd\talt_rev\tvaf\tvaf_lo\tvaf_hi\tp_value\tq_value\tdetected\tlod95\tflags"
    "\tbackground\tbg_error\tcopies_per_ml\n";
#define N_COLS 27

static void put_num(FILE *fp, double v, const char *fmt)
{
    fputc('\t', fp);
    if (isnan(v))
        fputs("NA", fp);
    else
        fprintf(fp, fmt, v);
}

int vw_calls_write_tsv(const vw_calls_t *cs, FILE *fp)
{
    char fb[160];
    fputs(header, fp);
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
        fputc('\n', fp);
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
    if (vw_parse_long(s, &x) != 0 || x < 0)
        return VW_EPARSE;
    *v = x;
    return 0;
}

static int parse_num(const char *s, double *v)
{
    if (strcmp(s, "NA") == 0) {
        *v = NAN;
        return 0;
    }
    return vw_parse_double(s, v);
}

int vw_calls_read_tsv(vw_calls_t *cs, const char *path)
{
    htsFile *fp = hts_open(path, "r");
    if (!fp) {
        int e = errno ? -errno : VW_EFORMAT;
        vw_error_code(e, "%s: cannot open", path);
        return e;
    }
    static const char *names[N_COLS] = {
        "sample", "chrom", "pos", "ref", "alt", "id", "gene", "protein", "cdna", "depth", "ref_count",
        "alt_count", "other_count", "discordant", "alt_fwd", "alt_rev", "vaf", "vaf_lo", "vaf_hi", "p_value",
        "q_value", "detected", "lod95", "flags", "background", "bg_error", "copies_per_ml"};
    kstring_t ks = {0, 0, NULL};
    char *f[N_COLS + 1];
    long line = 0;
    int ret = 0, have_header = 0;
    while (hts_getline(fp, '\n', &ks) >= 0) {
        line++;
        while (ks.l && (ks.s[ks.l - 1] == '\r' || ks.s[ks.l - 1] == '\n'))
            ks.s[--ks.l] = '\0';
        if (!have_header) {
            char *s = ks.s[0] == '#' ? ks.s + 1 : ks.s;
            int nf = vw_split_tabs(s, f, N_COLS + 1);
            if (nf != N_COLS) {
                vw_error("%s:%ld: not a vafwatch calls table (%d columns, expected %d)", path, line, nf, N_COLS);
                ret = VW_EPARSE;
                break;
            }
            for (int i = 0; i < N_COLS; i++) {
                if (strcmp(f[i], names[i]) != 0) {
                    vw_error("%s:%ld: column %d is '%s', expected '%s'", path, line, i + 1, f[i], names[i]);
                    ret = VW_EPARSE;
                    goto out;
                }
            }
            have_header = 1;
            continue;
        }
        if (ks.l == 0 || ks.s[0] == '#')
            continue;
        int nf = vw_split_tabs(ks.s, f, N_COLS + 1);
        if (nf != N_COLS) {
            vw_error("%s:%ld: %d columns, expected %d", path, line, nf, N_COLS);
            ret = VW_EPARSE;
            break;
        }
        vw_call_t c;
        memset(&c, 0, sizeof(c));
        c.sample = f[0]; c.chrom = f[1]; c.ref = f[3]; c.alt = f[4];
        c.id = f[5]; c.gene = f[6]; c.protein = f[7]; c.cdna = f[8];
        long pos;
        int bad = -1;
        int64_t *ints[7] = {&c.depth, &c.ref_count, &c.alt_count, &c.other_count, &c.discordant, &c.alt_fwd,
                            &c.alt_rev};
        double *dbls[5] = {&c.vaf, &c.vaf_lo, &c.vaf_hi, &c.p_value, &c.q_value};
        if (vw_parse_long(f[2], &pos) || pos < 1)
            bad = 2;
        c.pos1 = pos;
        for (int i = 0; i < 7 && bad < 0; i++)
            if (parse_i64(f[9 + i], ints[i]))
                bad = 9 + i;
        for (int i = 0; i < 5 && bad < 0; i++)
            if (parse_num(f[16 + i], dbls[i]))
                bad = 16 + i;
        if (bad < 0) {
            if (!strcmp(f[21], "yes")) c.detected = 1;
            else if (!strcmp(f[21], "no")) c.detected = 0;
            else if (!strcmp(f[21], "NA")) c.detected = -1;
            else bad = 21;
        }
        if (bad < 0 && parse_num(f[22], &c.lod95))
            bad = 22;
        if (bad < 0 && vw_flags_parse(f[23], &c.flags))
            bad = 23;
        if (bad < 0) {
            int k;
            for (k = 0; k < 3 && strcmp(f[24], bg_names[k]); k++)
                ;
            if (k == 3)
                bad = 24;
            c.background = (vw_bg_source_t)k;
        }
        if (bad < 0 && parse_num(f[25], &c.bg_error))
            bad = 25;
        if (bad < 0 && parse_num(f[26], &c.copies_per_ml))
            bad = 26;
        if (bad < 0 && !isnan(c.vaf) && (c.vaf < 0 || c.vaf > 1))
            bad = 16;
        if (bad >= 0) {
            vw_error("%s:%ld: column '%s': invalid value '%s'", path, line, names[bad], f[bad]);
            ret = VW_EPARSE;
            break;
        }
        if ((ret = vw_calls_push(cs, &c)) < 0)
            break;
    }
    if (ret == 0 && !have_header) {
        vw_error("%s: empty calls table", path);
        ret = VW_EPARSE;
    }
out:
    free(ks.s);
    hts_close(fp);
    return ret;
}
