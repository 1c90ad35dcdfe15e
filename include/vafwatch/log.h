/*
 * log.h -- the single reporter.  Only main.c and cmd_*.c report errors to
 * the user; parsers log file:line detail where their header says so.
 *
 * Every message goes to stderr as "vafwatch <cmd>: <message>", after
 * stdout has been flushed.
 *
 * Thread safety: vw_error, vw_error_code, vw_warn, vw_info and vw_debug may
 * be called from any thread; each message is formatted first and written
 * with one locked write, so lines from threads never interleave.  The
 * setters (level, command, sink) are for the main thread before workers
 * start.  A vw_ratewarn_t counter belongs to one thread.
 */
#ifndef VW_LOG_H
#define VW_LOG_H

#include "vafwatch/util.h"

enum vw_log_level { VW_LOG_QUIET = 0, VW_LOG_ERROR = 1, VW_LOG_WARN = 2, VW_LOG_INFO = 3, VW_LOG_DEBUG = 4 };

/* The only mutable global of the library: the verbosity and the name of the
 * running subcommand (used as the message prefix). */
void vw_log_set_level(int level);
int vw_log_get_level(void);
void vw_log_set_cmd(const char *cmd);
/* Test hook: send messages to 'fp' instead of stderr (NULL: back to stderr).
 * The stream is borrowed; the caller closes it after resetting the sink. */
void vw_log_set_sink(FILE *fp);

void vw_error(const char *fmt, ...) VW_FORMAT(1, 2);
/* As vw_error, with ": <text of code>" appended (code: -errno or VW_E*). */
void vw_error_code(int code, const char *fmt, ...) VW_FORMAT(2, 3);
void vw_warn(const char *fmt, ...) VW_FORMAT(1, 2);
void vw_info(const char *fmt, ...) VW_FORMAT(1, 2);
void vw_debug(const char *fmt, ...) VW_FORMAT(1, 2);

/* A rate-limited warning counter for per-read anomalies: the first 'limit'
 * are printed, the total is printed by vw_ratewarn_summary(). */
typedef struct { const char *what; long n; long limit; } vw_ratewarn_t;
void vw_ratewarn(vw_ratewarn_t *rw, const char *fmt, ...) VW_FORMAT(2, 3);
void vw_ratewarn_summary(const vw_ratewarn_t *rw);

#endif
