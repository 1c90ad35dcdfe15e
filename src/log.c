/* log.c -- the single reporter (see log.h). */
#include <stdarg.h>
#include <stdio.h>
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

static void vlog(int level, const char *tag, const char *suffix, const char *fmt, va_list ap)
{
    if (level > log_level)
        return;
    FILE *out = log_sink ? log_sink : stderr;
    if (!out) /* never; keeps GCC's -Wformat-overflow quiet under -fsanitize=undefined */
        return;
    fflush(stdout);
    if (log_cmd)
        fprintf(out, "vafwatch %s: %s", log_cmd, tag);
    else
        fprintf(out, "vafwatch: %s", tag);
    vfprintf(out, fmt, ap);
    if (suffix)
        fprintf(out, ": %s", suffix);
    fputc('\n', out);
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
