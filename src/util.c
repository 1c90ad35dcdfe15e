/* util.c -- error text, atomic output files, small parsing helpers. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
