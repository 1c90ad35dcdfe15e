/* fuzz_util.h -- shared by the libFuzzer harnesses: a private scratch
 * directory, quiet logging, writing the fuzz input to a file for the APIs
 * that take paths, and a harness's fixed targets. */
#ifndef VW_FUZZ_UTIL_H
#define VW_FUZZ_UTIL_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/log.h"

static char fz_dir[64];

/* Removes the scratch directory (flat: files only) at a normal exit; a
 * crash leaves it for inspection. */
static void fz_cleanup(void)
{
    DIR *d = opendir(fz_dir);
    if (d) {
        struct dirent *e;
        char p[160];
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", fz_dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    rmdir(fz_dir);
}

/* Creates the scratch directory once, silences every logger. */
static void fz_init(void)
{
    if (fz_dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(fz_dir, sizeof fz_dir, "%s/vwfuzz.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(fz_dir))
        abort();
    atexit(fz_cleanup);
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

/* The harness's fixed targets, loaded from TSV text through fz_write() (they
 * are valid: abort when they do not load). */
static inline vw_targets_t *fz_targets(const char *tsv)
{
    vw_targets_t *ts = vw_targets_init();
    if (!ts || vw_targets_load(ts, fz_write("t.tsv", tsv, NULL, 0), NULL) != 0)
        abort();
    return ts;
}
#endif
