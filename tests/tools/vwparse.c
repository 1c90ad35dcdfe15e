/* vwparse.c -- a test driver for the parsers no subcommand reads yet.
 *
 *   vwparse sheet SHEET [EVENTS]   cohort sheet (no file check), then events
 *   vwparse calls CALLS            calls table
 *
 * Prints one summary line on success (exit 0); on a data error the parser
 * has logged one line and the exit code is 1; usage errors exit 2.  Used by
 * the error-contract table (tests/cli/errors.tst) until the subcommands that
 * read these files exist; not installed. */
#include <stdio.h>
#include <string.h>

#include "vafwatch/call.h"
#include "vafwatch/log.h"
#include "vafwatch/timeline.h"

int main(int argc, char *argv[])
{
    if (argc < 3 || (strcmp(argv[1], "sheet") && strcmp(argv[1], "calls")) ||
        (!strcmp(argv[1], "calls") && argc != 3) || argc > 4) {
        fprintf(stderr, "Usage: vwparse sheet SHEET [EVENTS] | vwparse calls CALLS\n");
        return 2;
    }
    vw_log_set_cmd("vwparse");
    if (!strcmp(argv[1], "calls")) {
        vw_calls_t *cs = vw_calls_init();
        if (!cs)
            return 1;
        int rc = vw_calls_read_tsv(cs, argv[2]);
        if (rc == 0)
            printf("%d calls\n", cs->n);
        vw_calls_destroy(cs);
        return rc == 0 ? 0 : 1;
    }
    vw_timeline_t *tl = NULL;
    if (vw_timeline_read_sheet(argv[2], VW_TIMELINE_NO_FILE_CHECK, &tl) < 0)
        return 1;
    int rc = argc == 4 ? vw_timeline_read_events(tl, argv[3]) : 0;
    if (rc == 0)
        printf("%zu patients, %zu samples\n", tl->n_patients, tl->n_samples);
    vw_timeline_destroy(tl);
    return rc == 0 ? 0 : 1;
}
