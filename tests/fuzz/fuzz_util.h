/* fuzz_util.h -- shared by the libFuzzer harnesses: a private scratch
 * directory, quiet logging, and writing the fuzz input to a file for the
 * APIs that take paths. */
#ifndef VW_FUZZ_UTIL_H
#define VW_FUZZ_UTIL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "vafwatch/log.h"

static char fz_dir[64];

/* Creates the scratch directory once, silences every logger.  Removing the
 * directory at exit is left to the OS temp cleaner: libFuzzer exits through
 * paths that skip atexit handlers. */
static void fz_init(void)
{
    if (fz_dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(fz_dir, sizeof fz_dir, "%s/vwfuzz.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(fz_dir))
        abort();
    vw_log_set_level(getenv("VW_FUZZ_VERBOSE") ? VW_LOG_DEBUG : VW_LOG_QUIET);
    hts_set_log_level(getenv("VW_FUZZ_VERBOSE") ? HTS_LOG_WARNING : HTS_LOG_OFF);
}

/* Writes pre + data[0..n) into fz_dir/name; returns the path (static buffer). */
static const char *fz_write(const char *name, const char *pre, const uint8_t *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", fz_dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (pre)
        fputs(pre, fp);
    if (n && fwrite(data, 1, n, fp) != n)
        abort();
    if (fclose(fp) != 0)
        abort();
    return path;
}
#endif
