/* util.c -- error text, atomic output files, small parsing helpers. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <htslib/kstring.h>

#include "vafwatch/util.h"

const char *vw_strerror(int code)
{
    switch (code) {
    case 0: return "success";
    case VW_EPARSE: return "malformed input";
    case VW_EFORMAT: return "invalid or truncated file";
    case VW_EINPUT: return "inconsistent input";
    case VW_EBUILD: return "genome build or contig names do not match";
    case VW_ESTATS: return "numerical failure";
    default: break;
    }
    if (code < 0 && code > -4096)
        return strerror(-code);
    return "unknown error";
}

char *vw_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    else
        errno = ENOMEM;
    return d;
}

int vw_ofile_open(vw_ofile_t *of, const char *path)
{
    memset(of, 0, sizeof(*of));
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->path = vw_strdup(path);
        return of->path ? 0 : -ENOMEM;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* A device or FIFO (/dev/null, /dev/stdout, a named pipe) is
         * written in place: renaming a temporary over it would replace the
         * device node itself (as root, /dev/null became a plain file). */
        if (S_ISDIR(st.st_mode))
            return -EISDIR;
        of->path = vw_strdup(path);
        if (!of->path)
            return -ENOMEM;
        of->fp = fopen(path, "w");
        if (!of->fp) {
            int e = errno;
            free(of->path);
            of->path = NULL;
            return -e;
        }
        return 0;
    }
    size_t n = strlen(path) + 32;
    of->path = vw_strdup(path);
    of->tmp = malloc(n);
    if (!of->path || !of->tmp) {
        free(of->path); free(of->tmp);
        of->path = of->tmp = NULL;
        return -ENOMEM;
    }
    snprintf(of->tmp, n, "%s.tmp%ld", path, (long)getpid());
    of->fp = fopen(of->tmp, "w");
    if (!of->fp) {
        int e = errno;
        free(of->path); free(of->tmp);
        of->path = of->tmp = NULL;
        return -e;
    }
    return 0;
}

int vw_stream_error(FILE *fp)
{
    /* a failed write leaves its bytes in the buffer: flushing them again
     * fails again, with the reason (ENOSPC, EPIPE ...) that ferror() lost */
    errno = 0;
    if (fflush(fp) != 0 && errno != 0)
        return -errno;
    return -EIO;
}

void vw_json_num_field(FILE *fp, const char *key, double v, const char *fmt)
{
    fprintf(fp, ", \"%s\": ", key);
    if (isnan(v))
        fputs("null", fp);
    else
        fprintf(fp, fmt, v);
}

int vw_ofile_commit(vw_ofile_t *of)
{
    int ret = 0;
    if (!of->fp)
        return -EBADF;
    if (of->fp == stdout) {
        if (ferror(stdout))
            ret = vw_stream_error(stdout);
        else if (fflush(stdout) != 0)
            ret = -errno;
    } else {
        if (ferror(of->fp))
            ret = vw_stream_error(of->fp);
        if (fclose(of->fp) != 0 && ret == 0)
            ret = -errno;
        of->fp = NULL;
        if (ret == 0 && of->tmp && rename(of->tmp, of->path) != 0)
            ret = -errno;
        if (ret != 0 && of->tmp)
            unlink(of->tmp);
    }
    of->fp = NULL;
    free(of->path); free(of->tmp);
    of->path = of->tmp = NULL;
    return ret;
}

void vw_ofile_abort(vw_ofile_t *of)
{
    if (of->fp && of->fp != stdout)
        fclose(of->fp);
    if (of->tmp)
        unlink(of->tmp);
    free(of->path); free(of->tmp);
    memset(of, 0, sizeof(*of));
}

int vw_parse_long(const char *s, long *ret_v)
{
    char *end;
    if (!s || !*s)
        return VW_EPARSE;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end)
        return VW_EPARSE;
    *ret_v = v;
    return 0;
}

int vw_parse_double(const char *s, double *ret_v)
{
    char *end;
    if (!s || !*s)
        return VW_EPARSE;
    errno = 0;
    double v = strtod(s, &end);
    /* underflow is not an error: a p-value of 7.9e-310 (subnormal) or
     * 1e-400 (0 in a double) is read as the nearest double; overflow
     * (1e400) is, since "inf" is how infinity is written */
    if (errno == ERANGE && fabs(v) <= DBL_MIN)
        errno = 0;
    if (errno || *end || v != v || end == s)
        return VW_EPARSE;
    *ret_v = v;
    return 0;
}

int vw_split_tabs(char *line, char **fields, int m)
{
    int n = 0;
    char *p = line;
    if (m <= 0)
        return 0;
    fields[n++] = p;
    for (; *p; p++) {
        if (*p == '\t') {
            *p = '\0';
            if (n == m)
                break;
            fields[n++] = p + 1;
        }
    }
    return n;
}

size_t vw_chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return n;
}

void vw_json_str(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", fp); break;
        case '\\': fputs("\\\\", fp); break;
        case '\n': fputs("\\n", fp); break;
        case '\r': fputs("\\r", fp); break;
        case '\t': fputs("\\t", fp); break;
        case '<': fputs("\\u003c", fp); break;
        case '>': fputs("\\u003e", fp); break;
        case '&': fputs("\\u0026", fp); break;
        default:
            if (*p < 0x20)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

/* ------------------------------------------------------------------ */
/* Output sets                                                         */

struct vw_oset_s {
    char *dir;       /* the destination */
    char *stage;     /* dir/.vafwatch.staging.PID */
    int lock_fd;     /* holds flock(LOCK_EX) on dir/.vafwatch.lock */
    char **old;      /* relative paths of the previous manifest */
    int n_old;
};

static char *path_join(const char *a, const char *b)
{
    kstring_t ks = {0, 0, NULL};
    if (ksprintf(&ks, "%s/%s", a, b) < 0)
        return NULL;
    return ks.s;
}

int vw_mkdir_p(const char *path, int self)
{
    char *d = vw_strdup(path);
    if (!d)
        return -ENOMEM;
    for (char *p = d + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0777) != 0 && errno != EEXIST) {
            int e = -errno;
            free(d);
            return e;
        }
        *p = '/';
    }
    int r = self && mkdir(d, 0777) != 0 && errno != EEXIST ? -errno : 0;
    free(d);
    return r;
}

/* Appends to *v the files under root/rel (rel "" for root), relative to
 * root; with 'remove', removes them and their directories instead. */
static int walk(const char *root, const char *rel, int remove, char ***v, int *n, int *m)
{
    char *here = *rel ? path_join(root, rel) : vw_strdup(root);
    if (!here)
        return -ENOMEM;
    DIR *d = opendir(here);
    if (!d) {
        int e = errno == ENOENT ? 0 : -errno;
        free(here);
        return e;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *r = *rel ? path_join(rel, de->d_name) : vw_strdup(de->d_name);
        char *full = r ? path_join(root, r) : NULL;
        struct stat st;
        if (!r || !full) {
            rc = -ENOMEM;
        } else if (lstat(full, &st) != 0) {
            rc = -errno;
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk(root, r, remove, v, n, m);
            if (rc == 0 && remove && rmdir(full) != 0)
                rc = -errno;
        } else if (remove) {
            if (unlink(full) != 0)
                rc = -errno;
        } else {
            if (*n == *m) {
                int nm = *m ? 2 * *m : 32;
                char **t = realloc(*v, (size_t)nm * sizeof(*t));
                if (!t) {
                    rc = -ENOMEM;
                } else {
                    *v = t;
                    *m = nm;
                }
            }
            if (rc == 0) {
                (*v)[(*n)++] = r;
                r = NULL;
            }
        }
        free(r);
        free(full);
    }
    closedir(d);
    free(here);
    return rc;
}

static void free_list(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A manifest line names a file inside the set: relative, no '..'. */
static int safe_rel(const char *r)
{
    if (!*r || r[0] == '/' || !strcmp(r, VW_OSET_MANIFEST))
        return 0;
    for (const char *p = r; *p; p++)
        if (p[0] == '.' && p[1] == '.' && (p == r || p[-1] == '/') && (p[2] == '/' || !p[2]))
            return 0;
    return 1;
}

static int read_manifest(vw_oset_t *os)
{
    char *mp = path_join(os->dir, VW_OSET_MANIFEST);
    if (!mp)
        return -ENOMEM;
    FILE *fp = fopen(mp, "r");
    free(mp);
    if (!fp)
        return errno == ENOENT ? 0 : -errno;
    kstring_t line = {0, 0, NULL};
    int rc = 0, m = 0, c;
    for (;;) {
        line.l = 0;
        while ((c = fgetc(fp)) != EOF && c != '\n')
            kputc(c, &line);
        if (line.l == 0 && c == EOF)
            break;
        if (!line.s || line.s[0] == '#' || !safe_rel(line.s))
            continue;
        if (os->n_old == m) {
            m = m ? 2 * m : 32;
            char **t = realloc(os->old, (size_t)m * sizeof(*t));
            if (!t) {
                rc = -ENOMEM;
                break;
            }
            os->old = t;
        }
        if (!(os->old[os->n_old] = vw_strdup(line.s))) {
            rc = -ENOMEM;
            break;
        }
        os->n_old++;
    }
    free(line.s);
    fclose(fp);
    return rc;
}

static void oset_free(vw_oset_t *os)
{
    if (os->lock_fd >= 0)
        close(os->lock_fd); /* releases the lock */
    free_list(os->old, os->n_old);
    free(os->dir);
    free(os->stage);
    free(os);
}

int vw_oset_begin(const char *dir, vw_oset_t **ret)
{
    vw_oset_t *os = calloc(1, sizeof(*os));
    if (!os)
        return -ENOMEM;
    os->lock_fd = -1;
    int rc = 0;
    char *lp = NULL, *slash_dir = path_join(dir, "x");
    if (!slash_dir || !(os->dir = vw_strdup(dir)) || !(lp = path_join(dir, ".vafwatch.lock"))) {
        rc = -ENOMEM;
        goto out;
    }
    if ((rc = vw_mkdir_p(slash_dir, 0)) < 0)
        goto out;
    if ((os->lock_fd = open(lp, O_RDWR | O_CREAT, 0666)) < 0) {
        rc = -errno;
        goto out;
    }
    if (flock(os->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            rc = -EBUSY;
            goto out;
        }
        /* a file system without locks (ENOLCK, EOPNOTSUPP ...): the set is still staged and
         * committed, only a second writer is not kept out */
    }
    /* what a killed run left staged: only this process holds the lock now */
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && rc == 0 && (de = readdir(d)) != NULL)
        if (strncmp(de->d_name, ".vafwatch.staging.", 18) == 0) {
            char *sp = path_join(dir, de->d_name);
            if (!sp)
                rc = -ENOMEM;
            else if ((rc = walk(sp, "", 1, NULL, NULL, NULL)) == 0 && rmdir(sp) != 0)
                rc = -errno;
            free(sp);
        }
    if (d)
        closedir(d);
    if (rc < 0)
        goto out;
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "%s/.vafwatch.staging.%ld", dir, (long)getpid());
    if (!(os->stage = ks.s)) {
        rc = -ENOMEM;
        goto out;
    }
    if (mkdir(os->stage, 0777) != 0) {
        rc = -errno;
        goto out;
    }
    rc = read_manifest(os);
out:
    free(lp);
    free(slash_dir);
    if (rc < 0) {
        if (os->stage)
            rmdir(os->stage);
        oset_free(os);
        return rc;
    }
    *ret = os;
    return 0;
}

const char *vw_oset_dir(const vw_oset_t *os)
{
    return os->stage;
}

void vw_oset_abort(vw_oset_t *os)
{
    if (!os)
        return;
    if (walk(os->stage, "", 1, NULL, NULL, NULL) == 0)
        rmdir(os->stage);
    oset_free(os);
}

int vw_oset_commit(vw_oset_t *os)
{
    char **v = NULL;
    int n = 0, m = 0;
    int rc = walk(os->stage, "", 0, &v, &n, &m);
    if (rc == 0 && n > 1)
        qsort(v, (size_t)n, sizeof(*v), str_cmp);
    for (int i = 0; rc == 0 && i < n; i++) {
        char *from = path_join(os->stage, v[i]), *to = path_join(os->dir, v[i]);
        if (!from || !to)
            rc = -ENOMEM;
        else if ((rc = vw_mkdir_p(to, 0)) == 0 && rename(from, to) != 0)
            rc = -errno;
        free(from);
        free(to);
    }
    if (rc == 0) {
        /* the manifest, last: the set is complete when it names it */
        char *mp = path_join(os->dir, VW_OSET_MANIFEST);
        vw_ofile_t of = {0};
        if (!mp || (rc = vw_ofile_open(&of, mp)) < 0) {
            rc = rc < 0 ? rc : -ENOMEM;
        } else {
            fputs("#files of the last complete vafwatch output in this directory\n", of.fp);
            for (int i = 0; i < n; i++)
                fprintf(of.fp, "%s\n", v[i]);
            rc = vw_ofile_commit(&of);
        }
        free(mp);
    }
    /* the previous set's files this one no longer has */
    for (int k = 0; rc == 0 && k < os->n_old; k++) {
        if (n > 0 && bsearch(&os->old[k], v, (size_t)n, sizeof(*v), str_cmp))
            continue;
        char *p = path_join(os->dir, os->old[k]);
        struct stat st;
        if (!p)
            rc = -ENOMEM;
        else if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) != 0 && errno != ENOENT)
            rc = -errno;
        free(p);
    }
    if (walk(os->stage, "", 1, NULL, NULL, NULL) == 0)
        rmdir(os->stage);
    free_list(v, n);
    oset_free(os);
    return rc;
}
