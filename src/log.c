/* log.c -- the single reporter (see log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/hts_log.h>

#include "vafwatch/log.h"

static int log_level = VW_LOG_WARN;
static const char *log_cmd = NULL;
static FILE *log_sink = NULL; /* NULL: stderr */

void vw_log_set_level(int level)
{
    log_level = level;
    /* htslib's own messages add lines to our one-line errors: they are
     * shown from --verbosity 3 (info) on */
    hts_set_log_level(level >= VW_LOG_DEBUG ? HTS_LOG_INFO : level >= VW_LOG_INFO ? HTS_LOG_WARNING
                      : HTS_LOG_OFF);
}

int vw_log_get_level(void) { return log_level; }
void vw_log_set_cmd(const char *cmd) { log_cmd = cmd; }
void vw_log_set_sink(FILE *fp) { log_sink = fp; }

/* "vafwatch <cmd>: <tag><message>[: <suffix>]\n" into buf (snprintf
 * rules: returns the full length, writes at most size - 1 characters). */
static int msg_format(char *buf, size_t size, const char *tag, const char *suffix, const char *fmt, va_list ap)
{
    int a = log_cmd ? snprintf(buf, size, "vafwatch %s: %s", log_cmd, tag) : snprintf(buf, size, "vafwatch: %s", tag);
    if (a < 0)
        return a;
    size_t l = (size_t)a;
    int b = vsnprintf(buf + (l < size ? l : size - 1), l < size ? size - l : 1, fmt, ap);
    if (b < 0)
        return b;
    l += (size_t)b;
    int c = snprintf(buf + (l < size ? l : size - 1), l < size ? size - l : 1, "%s%s\n", suffix ? ": " : "",
                     suffix ? suffix : "");
    if (c < 0)
        return c;
    return (int)(l + (size_t)c);
}

/* The message is formatted into one buffer and written with one fwrite
 * under the stream's lock: lines from worker threads never interleave
 * (stderr is unbuffered, so the line is one write(2)). */
static void vlog(int level, const char *tag, const char *suffix, const char *fmt, va_list ap)
{
    if (level > log_level)
        return;
    FILE *out = log_sink ? log_sink : stderr;
    if (!out) /* never; keeps GCC's -Wformat-overflow quiet under -fsanitize=undefined */
        return;
    char stack[1024], *buf = stack;
    va_list aq;
    va_copy(aq, ap);
    int n = msg_format(stack, sizeof stack, tag, suffix, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof stack) {
        if (!(buf = malloc((size_t)n + 1))) { /* out of memory: the message cut to the stack buffer */
            buf = stack;
            n = (int)sizeof stack - 1;
            stack[n - 1] = '\n';
        } else {
            n = msg_format(buf, (size_t)n + 1, tag, suffix, fmt, ap);
        }
    }
    flockfile(out);
    fflush(stdout);
    if (n > 0)
        fwrite(buf, 1, (size_t)n, out);
    funlockfile(out);
    if (buf != stack)
        free(buf);
}

void vw_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_ERROR, "", NULL, fmt, ap);
    va_end(ap);
}

void vw_error_code(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_ERROR, "", vw_strerror(code), fmt, ap);
    va_end(ap);
}

void vw_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_WARN, "warning: ", NULL, fmt, ap);
    va_end(ap);
}

void vw_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_INFO, "", NULL, fmt, ap);
    va_end(ap);
}

void vw_debug(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_DEBUG, "debug: ", NULL, fmt, ap);
    va_end(ap);
}

void vw_ratewarn(vw_ratewarn_t *rw, const char *fmt, ...)
{
    rw->n++;
    if (rw->n > rw->limit)
        return;
    va_list ap;
    va_start(ap, fmt);
    vlog(VW_LOG_WARN, "warning: ", NULL, fmt, ap);
    va_end(ap);
}

void vw_ratewarn_summary(const vw_ratewarn_t *rw)
{
    if (rw->n > rw->limit)
        vw_warn("%ld %s in total (only the first %ld shown)", rw->n, rw->what, rw->limit);
}
