/* count_tsv.c -- the evidence table read back (the self background is in
 * selfbg.c). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "selfbg.h"

#define N_EV_COLS 22

static const char *const ev_names[N_EV_COLS] = {
    "sample", "chrom", "pos", "ref", "alt", "id", "gene", "protein", "cdna", "depth", "ref_count", "alt_count",
    "other_count", "discordant", "ref_fwd", "ref_rev", "alt_fwd", "alt_rev", "alt_mean_bq", "alt_mean_mq",
    "ref_median_fraglen", "alt_median_fraglen"};

int vw_count_is_tsv(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0; /* a pipe is read once, by whoever reads it: never sniffed */
    htsFile *fp = hts_open(path, "r");
    if (!fp)
        return 0;
    int ok = 0;
    if (fp->format.category == unknown_category || fp->format.format == text_format) {
        kstring_t ks = {0, 0, NULL};
        if (hts_getline(fp, '\n', &ks) >= 0)
            ok = strncmp(ks.s, "#sample\tchrom\tpos\t", 18) == 0;
        free(ks.s);
    }
    hts_close(fp);
    return ok;
}

typedef int (*row_fn)(void *ud, char **f, const char *path, long line);
typedef int (*comment_fn)(void *ud, char *line, const char *path, long lineno);

static const vw_table_col_t ev_cols[N_EV_COLS] = {
    {"sample", 1}, {"chrom", 1}, {"pos", 1}, {"ref", 1}, {"alt", 1}, {"id", 1}, {"gene", 1}, {"protein", 1},
    {"cdna", 1}, {"depth", 1}, {"ref_count", 1}, {"alt_count", 1}, {"other_count", 1}, {"discordant", 1},
    {"ref_fwd", 1}, {"ref_rev", 1}, {"alt_fwd", 1}, {"alt_rev", 1}, {"alt_mean_bq", 1}, {"alt_mean_mq", 1},
    {"ref_median_fraglen", 1}, {"alt_median_fraglen", 1}};

/* Reads the table (columns found by name, all required, others refused),
 * calls fn for every data row with its fields in ev_names order, and cfn
 * (when not NULL) for every '#' line after the header. */
static int each_row(const char *path, row_fn fn, comment_fn cfn, void *ud)
{
    vw_table_t *t = NULL;
    int col[N_EV_COLS], ret;
    char **f, *comment, *g[N_EV_COLS];
    if ((ret = vw_table_open(path, "evidence table", &t)) < 0)
        return ret;
    if ((ret = vw_table_header(t, "evidence table", ev_cols, N_EV_COLS, VW_TABLE_UNKNOWN_REFUSE, col)) < 0)
        goto out;
    while ((ret = vw_table_next(t, &f, &comment)) > 0) {
        if (ret == VW_TABLE_COMMENT) {
            if (cfn && (ret = cfn(ud, comment, path, vw_table_lineno(t))) < 0)
                break;
            continue;
        }
        for (int k = 0; k < N_EV_COLS; k++)
            g[k] = f[col[k]];
        if ((ret = fn(ud, g, path, vw_table_lineno(t))) < 0)
            break;
    }
out:
    vw_table_close(t);
    return ret;
}

static int parse_pos(char **f, const char *path, long line, long *pos)
{
    if (vw_table_parse_long(f[2], 1, LONG_MAX, pos) != 0) {
        vw_table_error(path, line, "pos", "invalid value '%s'", f[2]);
        return VW_EPARSE;
    }
    for (int i = 3; i <= 4; i++)
        for (const char *p = f[i]; *p || p == f[i]; p++)
            if (!*p || !strchr("ACGTNacgtn", *p)) {
                vw_error("%s:%ld: column '%s': invalid allele '%s'", path, line, ev_names[i], f[i]);
                return VW_EPARSE;
            }
    return 0;
}

static int find_target(const vw_targets_t *ts, const char *chrom, long pos1, const char *ref, const char *alt)
{
    for (int i = 0; i < ts->n; i++) {
        const vw_target_t *t = &ts->t[i];
        if (t->beg + 1 == pos1 && !strcmp(t->ref, ref) && !strcmp(t->alt, alt) && vw_contig_match(t->chrom, chrom))
            return i;
    }
    return -1;
}

static int targets_row(void *ud, char **f, const char *path, long line)
{
    vw_targets_t *ts = ud;
    long pos;
    int r = parse_pos(f, path, line, &pos);
    if (r < 0)
        return r;
    if (find_target(ts, f[1], pos, f[3], f[4]) >= 0)
        return 0;
    if (ts->n == ts->m) {
        int m = ts->m ? 2 * ts->m : 64;
        vw_target_t *t = realloc(ts->t, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        ts->t = t;
        ts->m = m;
    }
    vw_target_t *t = &ts->t[ts->n];
    memset(t, 0, sizeof(*t));
    t->chrom = vw_strdup(f[1]);
    t->ref = vw_strdup(f[3]);
    t->alt = vw_strdup(f[4]);
    t->id = vw_strdup(f[5]);
    t->gene = vw_strdup(f[6]);
    t->protein = vw_strdup(f[7]);
    t->cdna = vw_strdup(f[8]);
    t->transcript = vw_strdup(".");
    t->context = vw_strdup(".");
    t->strand = '.';
    t->beg = pos - 1;
    ts->n++; /* counted before the check so that vw_targets_destroy frees what was made */
    if (!t->chrom || !t->ref || !t->alt || !t->id || !t->gene || !t->protein || !t->cdna || !t->transcript ||
        !t->context)
        return -ENOMEM;
    for (char *p = t->ref; *p; p++) *p = (char)toupper((unsigned char)*p);
    for (char *p = t->alt; *p; p++) *p = (char)toupper((unsigned char)*p);
    vw_target_classify(t);
    return 0;
}

int vw_count_tsv_targets(const char *path, vw_targets_t *ts)
{
    if (!path || !ts)
        return -EINVAL;
    return each_row(path, targets_row, NULL, ts);
}

typedef struct {
    char *sample;
    int flank;
    vw_selfbg_t b;
} self_line_t;

typedef struct {
    char *sample;
    int min_family, duplex_only;
} unit_line_t;

typedef struct {
    const vw_targets_t *ts;
    vw_sample_counts_t **s;
    int n, m;
    int skipped;
    self_line_t *self;   /* '#self_background' lines, matched to samples at the end */
    int n_self, m_self;
    unit_line_t *unit;   /* '#count_unit' lines before the first row, matched likewise */
    int n_unit, m_unit;
    long n_rows;         /* data rows read */
    int have_trailer;    /* a '#cache' line was read (its row count and key below) */
    int after_trailer;   /* 1: a line followed the trailer */
    long trailer_rows;
    char *trailer_key;
} read_st;

#define CACHE_TAG "#cache\t"

#define SELF_TAG "#self_background\t"
#define UNIT_TAG "#count_unit\t"
#define N_SELF_COLS (4 + 2 * VW_N_SUB)
#define N_SELF_COLS_DISP (4 + 5 * VW_N_SUB) /* + j, sxx, snn per class */

/* '#count_unit  SAMPLE  molecule  MIN_FAMILY  DUPLEX_ONLY' between the header
 * and the first data row (as vw_count_write_tsv() writes it): the sample's
 * counts are molecules of that class.  A line of another form, or after the
 * first row, is a plain comment. */
static int unit_row(read_st *st, char *line)
{
    char *f[6];
    long mf, dup;
    if (st->n_rows > 0 || vw_split_tabs(line, f, 6) != 5 || strcmp(f[2], "molecule") != 0
        || vw_parse_long(f[3], &mf) != 0 || vw_parse_long(f[4], &dup) != 0)
        return 0;
    if (st->n_unit == st->m_unit) {
        int m = st->m_unit ? 2 * st->m_unit : 4;
        unit_line_t *t = realloc(st->unit, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        st->unit = t;
        st->m_unit = m;
    }
    unit_line_t *u = &st->unit[st->n_unit];
    if (!(u->sample = vw_strdup(f[1])))
        return -ENOMEM;
    u->min_family = (int)mf;
    u->duplex_only = dup != 0;
    st->n_unit++;
    return 0;
}

/* '#self_background  SAMPLE  FLANK  N_POS  n[6]  x[6]  [j[6]  sxx[6]  snn[6]]'
 * (docs/formats.md), '#count_unit' lines (unit_row) and the count cache's
 * '#cache' trailer; other comment lines are ignored. */
static int self_row(void *ud, char *line, const char *path, long lineno)
{
    read_st *st = ud;
    char *f[N_SELF_COLS_DISP + 1];
    if (st->have_trailer)
        st->after_trailer = 1;
    if (strncmp(line, CACHE_TAG, strlen(CACHE_TAG)) == 0) {
        /* '#cache  ROWS  KEY' (the key may hold tabs): the count cache's trailer */
        char *p = line + strlen(CACHE_TAG), *tab = strchr(p, '\t');
        long v;
        if (!tab)
            return 0;
        *tab = '\0';
        if (vw_parse_long(p, &v) != 0 || v < 0 || st->have_trailer)
            return 0; /* not a trailer: the table is then without one */
        free(st->trailer_key);
        if (!(st->trailer_key = vw_strdup(tab + 1)))
            return -ENOMEM;
        st->trailer_rows = v;
        st->have_trailer = 1;
        st->after_trailer = 0;
        return 0;
    }
    if (strncmp(line, UNIT_TAG, strlen(UNIT_TAG)) == 0)
        return unit_row(st, line);
    if (strncmp(line, SELF_TAG, strlen(SELF_TAG)) != 0)
        return 0;
    int nf = vw_split_tabs(line, f, N_SELF_COLS_DISP + 1);
    if (nf != N_SELF_COLS && nf != N_SELF_COLS_DISP) {
        vw_error("%s:%ld: #self_background: %d fields, expected %d or %d", path, lineno, nf, N_SELF_COLS,
                 N_SELF_COLS_DISP);
        return VW_EPARSE;
    }
    self_line_t sl;
    memset(&sl, 0, sizeof(sl));
    long v;
    for (int i = 2; i < N_SELF_COLS; i++) {
        if (vw_parse_long(f[i], &v) != 0 || v < 0 || (i == 2 && v > 100000)) {
            vw_error("%s:%ld: #self_background: field %d: invalid value '%s'", path, lineno, i + 1, f[i]);
            return VW_EPARSE;
        }
        if (i == 2)
            sl.flank = (int)v;
        else if (i == 3)
            sl.b.n_pos = v;
        else if (i < 4 + VW_N_SUB)
            sl.b.n[i - 4] = v;
        else
            sl.b.x[i - 4 - VW_N_SUB] = v;
    }
    for (int i = 0; nf == N_SELF_COLS_DISP && i < 3 * VW_N_SUB; i++) {
        const char *v = f[N_SELF_COLS + i];
        double d = 0;
        long l = 0;
        if (i < VW_N_SUB ? (vw_parse_long(v, &l) != 0 || l < 0)
                         : (vw_parse_double(v, &d) != 0 || !(d >= 0) || isinf(d))) {
            vw_error("%s:%ld: #self_background: field %d: invalid value '%s'", path, lineno,
                     N_SELF_COLS + i + 1, v);
            return VW_EPARSE;
        }
        if (i < VW_N_SUB)
            sl.b.j[i] = l;
        else if (i >= 2 * VW_N_SUB)
            sl.b.snn[i - 2 * VW_N_SUB] = d;
        else if (i >= VW_N_SUB)
            sl.b.sxx[i - VW_N_SUB] = d;
    }
    sl.b.have_disp = nf == N_SELF_COLS_DISP;
    for (int i = 0; i < VW_N_SUB; i++)
        if (sl.b.x[i] > sl.b.n[i]) {
            vw_error("%s:%ld: #self_background: %s: %lld alternate of %lld reads", path, lineno, vw_sub_names[i],
                     (long long)sl.b.x[i], (long long)sl.b.n[i]);
            return VW_EPARSE;
        }
    if (st->n_self == st->m_self) {
        int m = st->m_self ? 2 * st->m_self : 8;
        self_line_t *t = realloc(st->self, (size_t)m * sizeof(*t));
        if (!t)
            return -ENOMEM;
        st->self = t;
        st->m_self = m;
    }
    if (!(sl.sample = vw_strdup(f[1])))
        return -ENOMEM;
    st->self[st->n_self++] = sl;
    return 0;
}

static vw_sample_counts_t *new_sample(const char *name, const char *path, const vw_targets_t *ts)
{
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->n = ts->n;
    s->sample = vw_strdup(name);
    s->path = vw_strdup(path);
    s->c = calloc((size_t)(ts->n ? ts->n : 1), sizeof(vw_count_t));
    s->chrom = calloc((size_t)(ts->n ? ts->n : 1), sizeof(char *));
    if (!s->sample || !s->path || !s->c || !s->chrom) {
        vw_sample_counts_destroy(s);
        return NULL;
    }
    for (int i = 0; i < ts->n; i++)
        if (!(s->chrom[i] = vw_strdup(ts->t[i].chrom))) {
            vw_sample_counts_destroy(s);
            return NULL;
        }
    s->build = ts->build;
    return s;
}

static int count_row(void *ud, char **f, const char *path, long line)
{
    read_st *st = ud;
    long pos;
    st->n_rows++;
    if (st->have_trailer)
        st->after_trailer = 1;
    int r = parse_pos(f, path, line, &pos);
    if (r < 0)
        return r;
    int ti = find_target(st->ts, f[1], pos, f[3], f[4]);
    if (ti < 0) {
        st->skipped++;
        return 0;
    }
    vw_sample_counts_t *s = NULL;
    for (int k = st->n - 1; k >= 0 && !s; k--)
        if (!strcmp(st->s[k]->sample, f[0]))
            s = st->s[k];
    if (!s) {
        if (st->n == st->m) {
            int m = st->m ? 2 * st->m : 8;
            vw_sample_counts_t **t = realloc(st->s, (size_t)m * sizeof(*t));
            if (!t)
                return -ENOMEM;
            st->s = t;
            st->m = m;
        }
        if (!(s = new_sample(f[0], path, st->ts)))
            return -ENOMEM;
        st->s[st->n++] = s;
    }
    vw_count_t *c = &s->c[ti];
    free(s->chrom[ti]);
    if (!(s->chrom[ti] = vw_strdup(f[1])))
        return -ENOMEM;
    if (!strcmp(f[9], "NA")) {
        c->assessed = 0;
        return 0;
    }
    int64_t *ints[9] = {&c->depth, &c->ref, &c->alt, &c->other, &c->discordant, &c->ref_fwd, &c->ref_rev,
                        &c->alt_fwd, &c->alt_rev};
    for (int i = 0; i < 9; i++) {
        long v;
        if (vw_table_parse_long(f[9 + i], 0, LONG_MAX, &v) != 0) {
            vw_table_error(path, line, ev_names[9 + i], "invalid value '%s'", f[9 + i]);
            return VW_EPARSE;
        }
        *ints[i] = v;
    }
    if (c->ref + c->alt + c->other != c->depth) {
        vw_error("%s:%ld: column 'depth': %lld is not ref_count + alt_count + other_count", path, line,
                 (long long)c->depth);
        return VW_EPARSE;
    }
    for (int i = 0; i < 2; i++) {
        double v;
        if (strcmp(f[18 + i], "NA") == 0)
            continue;
        if (vw_table_parse_double(f[18 + i], 0, 0, 255, &v) != 0) {
            /* a quality is a byte: anything else (1e300, inf) is no mean of qualities, and must not reach
             * the integer conversion below */
            vw_table_error(path, line, ev_names[18 + i], "invalid value '%s' (a mean quality, 0 to 255)",
                           f[18 + i]);
            return VW_EPARSE;
        }
        if (i == 0) c->alt_bq_sum = (int64_t)(v * (double)c->alt + 0.5);
        else c->alt_mq_sum = (int64_t)(v * (double)c->alt + 0.5);
    }
    for (int i = 0; i < 2; i++) {
        long v;
        if (strcmp(f[20 + i], "NA") == 0)
            continue;
        if (vw_table_parse_long(f[20 + i], 0, LONG_MAX, &v) != 0) {
            vw_table_error(path, line, ev_names[20 + i], "invalid value '%s'", f[20 + i]);
            return VW_EPARSE;
        }
        uint32_t **h = i == 0 ? &c->fl_ref : &c->fl_alt;
        if (!*h && !(*h = calloc(VW_FRAGLEN_BINS, sizeof(uint32_t))))
            return -ENOMEM;
        (*h)[v < VW_FRAGLEN_BINS ? v : VW_FRAGLEN_BINS - 1]++;
    }
    c->assessed = 1;
    return 0;
}

static int read_counts(const char *path, const vw_targets_t *ts, read_st *ret_st);

int vw_count_read_tsv(const char *path, const vw_targets_t *ts, vw_sample_counts_t ***ret, int *ret_n,
                      int *ret_n_skipped)
{
    if (!path || !ts || !ret || !ret_n)
        return -EINVAL;
    read_st st;
    int r = read_counts(path, ts, &st);
    free(st.trailer_key);
    if (r < 0)
        return r;
    *ret = st.s;
    *ret_n = st.n;
    if (ret_n_skipped)
        *ret_n_skipped = st.skipped;
    return 0;
}

int vw_count_write_cache(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *s, const char *key)
{
    if (!fp || !ts || !s || !key || strchr(key, '\n'))
        return -EINVAL;
    vw_sample_counts_t *one[1] = {s};
    int r = vw_count_write_tsv(fp, ts, one, 1);
    if (r < 0)
        return r;
    fprintf(fp, "%s%d\t%s\n", CACHE_TAG, ts->n, key);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_count_read_cache(const char *path, const vw_targets_t *ts, const char *key, vw_sample_counts_t **ret)
{
    if (!path || !ts || !key || !ret)
        return -EINVAL;
    if (access(path, F_OK) != 0)
        return 0; /* no entry */
    read_st st;
    int r = read_counts(path, ts, &st);
    if (r < 0)
        return r;
    if (!st.have_trailer || st.after_trailer || st.trailer_rows != st.n_rows) {
        vw_warn("%s: cached table incomplete (%ld rows; its last line should be '#cache' with the row count)",
                path, st.n_rows);
        r = VW_EFORMAT;
    } else if (strcmp(st.trailer_key, key) != 0) {
        r = 0; /* made from another input or with other options: stale */
    } else if (st.n != 1 || st.skipped != 0 || st.n_rows != ts->n) {
        vw_warn("%s: cached table does not hold one row per target of one sample", path);
        r = VW_EFORMAT;
    } else {
        *ret = st.s[0];
        st.s[0] = NULL;
        r = 1;
    }
    for (int i = 0; i < st.n; i++)
        vw_sample_counts_destroy(st.s[i]);
    free(st.s);
    free(st.trailer_key);
    return r;
}

/* Reads the table into *ret_st (on failure nothing is left to free but
 * trailer_key). */
static int read_counts(const char *path, const vw_targets_t *ts, read_st *ret_st)
{
    read_st st;
    memset(&st, 0, sizeof(st));
    st.ts = ts;
    int r = each_row(path, count_row, self_row, &st);
    if (r == 0 && st.n == 0) {
        vw_error("%s: evidence table without rows", path);
        r = VW_EPARSE;
    }
    for (int k = 0; k < st.n_self; k++) {
        for (int i = 0; r == 0 && i < st.n; i++)
            if (!strcmp(st.s[i]->sample, st.self[k].sample)) {
                st.s[i]->have_self = 1;
                st.s[i]->self_flank = st.self[k].flank;
                st.s[i]->self = st.self[k].b;
            }
        free(st.self[k].sample);
    }
    free(st.self);
    st.self = NULL;
    for (int k = 0; k < st.n_unit; k++) { /* molecule counts keep their class; the last line of a sample wins */
        for (int i = 0; r == 0 && i < st.n; i++)
            if (!strcmp(st.s[i]->sample, st.unit[k].sample)) {
                st.s[i]->unit = VW_UNIT_MOLECULE;
                st.s[i]->min_family = st.unit[k].min_family;
                st.s[i]->duplex_only = st.unit[k].duplex_only;
            }
        free(st.unit[k].sample);
    }
    free(st.unit);
    st.unit = NULL;
    if (r < 0) {
        for (int i = 0; i < st.n; i++)
            vw_sample_counts_destroy(st.s[i]);
        free(st.s);
        st.s = NULL;
        st.n = 0;
    }
    *ret_st = st;
    return r;
}
