/* cmd_progress.c -- the one progress line of run, count and call: on a
 * terminal only (never in a pipe or a workflow log), never with --quiet. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "vafwatch/log.h"
#include "cmd.h"

void vw_progress_init(vw_progress_t *p, const char *cmd, const char *verb, const char *unit, int n)
{
    p->cmd = cmd;
    p->verb = verb;
    p->unit = unit;
    p->on = isatty(STDERR_FILENO) && vw_log_get_level() >= VW_LOG_WARN;
    p->n = n;
    p->done = 0;
    p->reads = 0;
    p->t0 = time(NULL);
}

void vw_progress_step(vw_progress_t *p, int64_t reads)
{
    p->done++;
    p->reads += reads;
    if (!p->on)
        return;
    double dt = difftime(time(NULL), p->t0);
    fprintf(stderr, "\rvafwatch %s: %s %d/%d %s", p->cmd, p->verb, p->done, p->n, p->unit);
    if (dt >= 1 && p->reads > 0)
        fprintf(stderr, ", %.2f M reads/s", (double)p->reads / dt / 1e6);
    fputs("   ", stderr);
    fflush(stderr);
}

void vw_progress_end(vw_progress_t *p)
{
    if (p->on && p->done > 0)
        fputc('\n', stderr);
}
