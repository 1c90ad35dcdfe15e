/*
 * table.c -- the tab-separated table reader and number formatting (see
 * table.h and docs/formats.md), and the contig-name rule.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <htslib/bgzf.h>
#include <htslib/kstring.h>

#include "vafwatch/log.h"
#include "vafwatch/table.h"

struct vw_table_s {
    FILE *fp;        /* plain text */
    int own_fp;      /* fp opened by vw_table_open() */
    BGZF *bz;        /* gzip or BGZF text (opened by vw_table_open()), or NULL */
    kstring_t ks;    /* the bgzf_getline() buffer */
    char *path;
    char *buf;       /* the getline() buffer */
    size_t m_buf;
    long lineno;
    int ncols;       /* fields of the header */
    int nf;          /* fields of the last row */
    unsigned flags;  /* of vw_table_header() */
    int m_fields;    /* slots of fields */
    char *hdr_buf;   /* a copy of the header line, split */
    char **hdr;      /* ncols names into hdr_buf */
    char **fields;   /* ncols slots */
};

/* ======================================================================== */
/* Messages                                                                  */
/* ======================================================================== */

static void log_at(int warn, const char *path, long line, const char *col, const char *fmt, va_list ap)
{
    char lbuf[32] = "", *msg = NULL;
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n >= 0 && (msg = malloc((size_t)n + 1)) != NULL)
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
    if (line > 0)
        snprintf(lbuf, sizeof(lbuf), ":%ld", line);
    const char *c1 = col ? " column '" : "", *c2 = col ? "':" : "";
    if (warn)
        vw_warn("%s%s:%s%s%s %s", path, lbuf, c1, col ? col : "", c2, msg ? msg : fmt);
    else
        vw_error("%s%s:%s%s%s %s", path, lbuf, c1, col ? col : "", c2, msg ? msg : fmt);
    free(msg);
}

void vw_table_error(const char *path, long line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_at(0, path, line, col, fmt, ap);
    va_end(ap);
}

void vw_table_warn(const char *path, long line, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_at(1, path, line, col, fmt, ap);
    va_end(ap);
}

static int oom(const char *path)
{
    vw_error("%s: out of memory", path);
    return -ENOMEM;
}

/* ======================================================================== */
/* Reader                                                                    */
/* ======================================================================== */

vw_table_t *vw_table_from_fp(FILE *fp, const char *path)
{
    vw_table_t *t = calloc(1, sizeof(*t));
    if (!t || !(t->path = vw_strdup(path ? path : "-"))) {
        free(t);
        errno = ENOMEM;
        return NULL;
    }
    t->fp = fp;
    return t;
}

/* 1 when the stream starts with the gzip magic (BGZF is gzip).  The bytes
 * read are pushed back (glibc allows two), so a pipe is read as it is. */
static int is_gzip(FILE *fp)
{
    int a = getc(fp);
    if (a == EOF) {
        clearerr(fp); /* the first read reports its error (a directory) */
        return 0;
    }
    if (a != 0x1f) {
        ungetc(a, fp);
        return 0;
    }
    int b = getc(fp);
    if (b != EOF)
        ungetc(b, fp);
    ungetc(a, fp);
    return b == 0x8b;
}

int vw_table_open(const char *path, const char *what, vw_table_t **ret)
{
    if (!path || !ret)
        return -EINVAL;
    errno = 0;
    int use_stdin = strcmp(path, "-") == 0;
    FILE *fp = use_stdin ? stdin : fopen(path, "r");
    struct stat st;
    if (fp && !use_stdin && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        fp = NULL;
        errno = EISDIR;
    }
    if (!fp) {
        int e = errno ? errno : EIO;
        vw_error("%s: cannot open %s: %s", path, what ? what : "table", strerror(e));
        return -e;
    }
    vw_table_t *t = vw_table_from_fp(fp, path);
    if (!t) {
        if (!use_stdin)
            fclose(fp);
        return oom(path);
    }
    t->own_fp = !use_stdin;
    if (!use_stdin && is_gzip(fp)) {
        fclose(fp);
        t->fp = NULL;
        t->own_fp = 0;
        errno = 0;
        if (!(t->bz = bgzf_open(path, "r"))) {
            int e = errno ? errno : EIO;
            vw_error("%s: cannot open %s: %s", path, what ? what : "table", strerror(e));
            vw_table_close(t);
            return -e;
        }
    }
    *ret = t;
    return 0;
}

void vw_table_close(vw_table_t *t)
{
    if (!t)
        return;
    if (t->bz)
        bgzf_close(t->bz);
    if (t->own_fp && t->fp)
        fclose(t->fp);
    free(t->ks.s);
    free(t->buf);
    free(t->fields);
    free(t->hdr);
    free(t->hdr_buf);
    free(t->path);
    free(t);
}

const char *vw_table_path(const vw_table_t *t)
{
    return t ? t->path : "";
}

long vw_table_lineno(const vw_table_t *t)
{
    return t ? t->lineno : 0;
}

int vw_table_ncols(const vw_table_t *t)
{
    return t ? t->ncols : 0;
}

int vw_table_nfields(const vw_table_t *t)
{
    return t ? t->nf : 0;
}

const char *vw_table_colname(const vw_table_t *t, int i)
{
    return t && i >= 0 && i < t->ncols ? t->hdr[i] : NULL;
}

/* Reads one line into the buffer of the backend; returns its length
 * (ending included), -1 at the end, or -errno (logged). */
static long read_raw(vw_table_t *t, char **ret_s)
{
    errno = 0;
    if (t->bz) {
        int n = bgzf_getline(t->bz, '\n', &t->ks);
        if (n >= 0) {
            *ret_s = t->ks.s ? t->ks.s : (char *)"";
            return (long)t->ks.l;
        }
        if (n == -1)
            return -1;
    } else {
        ssize_t n = getline(&t->buf, &t->m_buf, t->fp);
        if (n >= 0) {
            *ret_s = t->buf;
            return (long)n;
        }
        if (!ferror(t->fp) && errno != ENOMEM)
            return -1;
    }
    int e = errno ? errno : EIO;
    vw_error("%s: read error after line %ld: %s", t->path, t->lineno, strerror(e));
    return -e;
}

int vw_table_next_line(vw_table_t *t, char **ret_line)
{
    char *s = NULL;
    long n = read_raw(t, &s);
    if (n == -1)
        return 0;
    if (n < 0)
        return (int)n;
    t->lineno++;
    if (memchr(s, '\0', (size_t)n)) {
        vw_table_error(t->path, t->lineno, NULL, "line contains a NUL byte (not a text file?)");
        return VW_EPARSE;
    }
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    if (t->lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    *ret_line = s;
    return 1;
}

/* A line of only spaces and tabs (or nothing) is blank. */
static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

static int count_fields(const char *s)
{
    int n = 1;
    for (; *s; s++)
        n += *s == '\t';
    return n;
}

static int is_known(int i, const int *col, int n_spec)
{
    for (int j = 0; j < n_spec; j++)
        if (col[j] == i)
            return 1;
    return 0;
}

/* Lists the header fields no spec column claimed: 'a', 'b' (caller frees).
 * *ret is NULL when there are none.  Returns 0 or -ENOMEM. */
static int unknown_list(char *const *fields, int n, const int *col, int n_spec, char **ret)
{
    size_t len = 0;
    *ret = NULL;
    for (int i = 0; i < n; i++)
        if (!is_known(i, col, n_spec))
            len += strlen(fields[i]) + 4;
    if (len == 0)
        return 0;
    char *s = malloc(len + 1), *p = s;
    if (!s)
        return -ENOMEM;
    *p = '\0';
    for (int i = 0; i < n; i++)
        if (!is_known(i, col, n_spec))
            p += sprintf(p, "%s'%s'", p == s ? "" : ", ", fields[i]);
    *ret = s;
    return 0;
}

/* Maps the split header onto the spec.  Returns 0 or VW_EPARSE (logged). */
static int map_columns(vw_table_t *t, const vw_table_col_t *spec, int n_spec, int *col)
{
    int nocase = (t->flags & VW_TABLE_NOCASE) != 0;
    for (int j = 0; j < n_spec; j++)
        col[j] = -1;
    for (int i = 0; i < t->ncols; i++) {
        for (int j = 0; j < n_spec; j++) {
            if ((nocase ? strcasecmp(spec[j].name, t->fields[i]) : strcmp(spec[j].name, t->fields[i])) != 0)
                continue;
            if (col[j] >= 0) {
                vw_table_error(t->path, t->lineno, spec[j].name, "duplicate column in the header");
                return VW_EPARSE;
            }
            col[j] = i;
            break;
        }
    }
    for (int j = 0; j < n_spec; j++) {
        if (spec[j].required && col[j] < 0) {
            vw_table_error(t->path, t->lineno, spec[j].name, "required column missing from the header");
            return VW_EPARSE;
        }
    }
    return 0;
}

int vw_table_header_parse(vw_table_t *t, char *line, const vw_table_col_t *spec, int n_spec, unsigned flags,
                          int *col)
{
    int ret;
    if (!t || !line || (n_spec > 0 && (!spec || !col)))
        return -EINVAL;
    if (line[0] == '#' && !(flags & VW_TABLE_HEADER_NO_HASH))
        line++;
    t->flags = flags;
    int n = count_fields(line);
    char **f = realloc(t->fields, (size_t)n * sizeof(*f));
    if (f) {
        t->fields = f;
        t->m_fields = n;
    }
    char **h = f ? realloc(t->hdr, (size_t)n * sizeof(*h)) : NULL;
    if (h)
        t->hdr = h;
    free(t->hdr_buf);
    if (!f || !h || !(t->hdr_buf = vw_strdup(line)))
        return oom(t->path);
    t->ncols = n;
    vw_split_tabs(line, f, n);
    vw_split_tabs(t->hdr_buf, h, n);
    if ((ret = map_columns(t, spec, n_spec, col)) < 0)
        return ret;
    if (flags & VW_TABLE_UNKNOWN_IGNORE)
        return 0;
    char *unknown;
    if (unknown_list(f, n, col, n_spec, &unknown) < 0)
        return oom(t->path);
    if (!unknown)
        return 0;
    if (flags & VW_TABLE_UNKNOWN_REFUSE) {
        vw_table_error(t->path, t->lineno, NULL, "unknown column(s) %s", unknown);
        ret = VW_EPARSE;
    } else {
        vw_table_warn(t->path, t->lineno, NULL, "ignoring unknown column(s) %s", unknown);
    }
    free(unknown);
    return ret;
}

int vw_table_header(vw_table_t *t, const char *what, const vw_table_col_t *spec, int n_spec,
                    unsigned flags, int *col)
{
    char *line = NULL;
    int ret;
    if (!t || (n_spec > 0 && (!spec || !col)))
        return -EINVAL;
    while ((ret = vw_table_next_line(t, &line)) == 1
           && (is_blank(line) || ((flags & VW_TABLE_SKIP_META) && line[0] == '#' && line[1] == '#')))
        ;
    if (ret < 0)
        return ret;
    if (ret == 0) {
        vw_error("%s: the %s is empty; expected a header line", t->path, what ? what : "table");
        return VW_EPARSE;
    }
    return vw_table_header_parse(t, line, spec, n_spec, flags, col);
}

int vw_table_next(vw_table_t *t, char ***ret_fields, char **ret_comment)
{
    char *line;
    int ret;
    if (!t || !ret_fields || t->ncols <= 0)
        return -EINVAL;
    while ((ret = vw_table_next_line(t, &line)) == 1) {
        if (line[0] == '#' && ret_comment) {
            *ret_comment = line;
            return VW_TABLE_COMMENT;
        }
        if (line[0] != '#' && !is_blank(line))
            break;
    }
    if (ret != 1)
        return ret;
    /* one pass: split into the slots there are, count the rest */
    int n = 1;
    t->fields[0] = line;
    for (char *p = strchr(line, '\t'); p; p = strchr(p + 1, '\t')) {
        if (n < t->m_fields) {
            *p = '\0';
            t->fields[n] = p + 1;
        }
        n++;
    }
    if (n != t->ncols && !(t->flags & VW_TABLE_RAGGED)) {
        vw_table_error(t->path, t->lineno, NULL, "expected %d tab-separated fields as in the header, found %d",
                       t->ncols, n);
        return VW_EPARSE;
    }
    if (n > t->m_fields) { /* a ragged row longer than any before: split the rest */
        char **f = realloc(t->fields, (size_t)n * sizeof(*f));
        if (!f)
            return oom(t->path);
        t->fields = f;
        int k = t->m_fields;
        t->m_fields = n;
        for (char *p = strchr(f[k - 1], '\t'); p && k < n; p = strchr(p + 1, '\t')) {
            *p = '\0';
            f[k++] = p + 1;
        }
    }
    for (int i = n; i < t->ncols; i++)
        t->fields[i] = NULL;
    t->nf = n;
    *ret_fields = t->fields;
    return VW_TABLE_ROW;
}

int vw_table_row(vw_table_t *t, char ***ret_fields)
{
    return vw_table_next(t, ret_fields, NULL);
}

/* ======================================================================== */
/* Fields                                                                    */
/* ======================================================================== */

int vw_table_is_na(const char *s, unsigned flags)
{
    if (!s)
        return 0;
    return strcmp(s, "NA") == 0 || ((flags & VW_NUM_EMPTY) && s[0] == '\0');
}

int vw_table_parse_double(const char *s, unsigned flags, double lo, double hi, double *ret_v)
{
    double v;
    if (!s || !ret_v)
        return VW_EPARSE;
    if (((flags & VW_NUM_NA) && strcmp(s, "NA") == 0) || ((flags & VW_NUM_EMPTY) && s[0] == '\0')) {
        *ret_v = NAN;
        return 0;
    }
    /* strtod skips leading space and reads hex floats ("0x1p3", "-0X2"):
     * neither is a table value */
    const char *q = s + (s[0] == '-' || s[0] == '+');
    if (s[0] == ' ' || s[0] == '\t' || (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')))
        return VW_EPARSE;
    if (vw_parse_double(s, &v) != 0)
        return VW_EPARSE;
    if (isinf(v)) {
        if (!(flags & VW_NUM_INFINITE))
            return VW_EPARSE;
    } else if (v < lo || v > hi) {
        return VW_EPARSE;
    }
    *ret_v = v;
    return 0;
}

int vw_table_parse_long(const char *s, long lo, long hi, long *ret_v)
{
    long v;
    if (!s || !ret_v || s[0] == ' ' || s[0] == '\t')
        return VW_EPARSE;
    if (vw_parse_long(s, &v) != 0 || v < lo || v > hi)
        return VW_EPARSE;
    *ret_v = v;
    return 0;
}

char *vw_table_fmt_double(char *buf, double v)
{
    if (isnan(v)) {
        memcpy(buf, "NA", 3);
        return buf;
    }
    if (isinf(v)) {
        memcpy(buf, v < 0 ? "-inf" : "inf", v < 0 ? 5 : 4);
        return buf;
    }
    /* the shortest precision that reads back exactly; 17 always does */
    int p = 1;
    for (; p < 17; p++) {
        snprintf(buf, VW_TABLE_NUMSZ, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* integers up to 17 digits in full ("100", not "1e+02"): %g prints
     * fixed notation when the decimal exponent is below the precision */
    int x = v != 0 ? (int)floor(log10(fabs(v))) : 0;
    if (x >= 0 && x < 17 && p <= x)
        p = x + 1;
    snprintf(buf, VW_TABLE_NUMSZ, "%.*g", p, v);
    return buf;
}

int vw_table_put_double(FILE *fp, double v)
{
    char b[VW_TABLE_NUMSZ];
    return fputs(vw_table_fmt_double(b, v), fp);
}

int vw_table_put_header(FILE *fp, const vw_table_col_t *spec, int n_spec)
{
    for (int j = 0; j < n_spec; j++) {
        fputc(j ? '\t' : '#', fp);
        fputs(spec[j].name, fp);
    }
    fputc('\n', fp);
    return ferror(fp) ? -EIO : 0;
}

int vw_table_put_num(FILE *fp, double v, const char *fmt)
{
    if (isnan(v))
        return fputs("NA", fp);
    return fprintf(fp, fmt, v);
}

/* ======================================================================== */
/* Contig names                                                              */
/* ======================================================================== */

const char *vw_contig_bare(const char *name)
{
    if (!name)
        return "";
    const char *s = strncasecmp(name, "chr", 3) == 0 && name[3] ? name + 3 : name;
    if (strcmp(s, "M") == 0 || strcmp(s, "MT") == 0)
        return "MT";
    return s;
}

int vw_contig_match(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    return strcmp(vw_contig_bare(a), vw_contig_bare(b)) == 0;
}

/* Appends s to out[0..n) unless present; returns the new count. */
static int add_spelling(char (*out)[VW_CONTIG_NAMESZ], int n, int max, const char *pre, const char *s)
{
    char b[VW_CONTIG_NAMESZ];
    if (n >= max || (size_t)snprintf(b, sizeof(b), "%s%s", pre, s) >= sizeof(b))
        return n;
    /* only names the rule aliases to out[0] ("chrchrM" is not chrM) */
    if (n > 0 && !vw_contig_match(out[0], b))
        return n;
    for (int i = 0; i < n; i++)
        if (strcmp(out[i], b) == 0)
            return n;
    memcpy(out[n], b, strlen(b) + 1);
    return n + 1;
}

int vw_contig_spellings(const char *name, char (*out)[VW_CONTIG_NAMESZ], int max)
{
    if (!name || !out || max <= 0)
        return 0;
    if (strlen(name) >= VW_CONTIG_NAMESZ - 3) {
        if (strlen(name) >= VW_CONTIG_NAMESZ)
            return 0;
        memcpy(out[0], name, strlen(name) + 1);
        return 1;
    }
    const char *bare = vw_contig_bare(name);
    int n = add_spelling(out, 0, max, "", name);
    if (strcmp(bare, "MT") == 0) {
        static const char *const mito[] = {"MT", "M", "chrM", "chrMT"};
        for (size_t i = 0; i < sizeof(mito) / sizeof(mito[0]); i++)
            n = add_spelling(out, n, max, "", mito[i]);
        return n;
    }
    n = add_spelling(out, n, max, "", bare);
    return add_spelling(out, n, max, "chr", bare);
}
