/* vw_test.h -- helpers shared by the cmocka unit tests. */
#ifndef VW_TEST_H
#define VW_TEST_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vafwatch/log.h"

/* Removes a scratch directory and everything below it (no shell, no
 * external command).  Returns 0 or -1. */
static inline int vw_test_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub || vw_test_rmtree(sub) != 0)
            rc = -1;
    }
    closedir(d);
    return rmdir(path) == 0 ? rc : -1;
}

/* What log.h writes between vw_test_cap_start() and vw_test_cap_stop(),
 * which returns it (caller frees; "" when nothing was logged). */
typedef struct {
    FILE *fp;
    char *buf;
    size_t len;
} vw_test_cap_t;

static inline void vw_test_cap_start(vw_test_cap_t *c)
{
    c->buf = NULL;
    c->len = 0;
    c->fp = open_memstream(&c->buf, &c->len);
    assert_non_null(c->fp);
    vw_log_set_sink(c->fp);
}

static inline char *vw_test_cap_stop(vw_test_cap_t *c)
{
    vw_log_set_sink(NULL);
    assert_int_equal(fclose(c->fp), 0);
    c->fp = NULL;
    return c->buf;
}

/* Writes 'text' to the file 'path' (created or replaced), asserting every
 * step (the close included). */
static inline void vw_test_put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

/* cmocka 1.1.5 has no assert_double_equal.  Two checks, chosen per
 * expectation (never "either"):
 *   assert_rel(x, expect, rtol)  |x - expect| <= rtol * |expect|; use it for
 *                                every value that has a scale, tails included
 *                                (expect 0 then demands x == 0 exactly);
 *   assert_abs(x, expect, atol)  |x - expect| <= atol; use it for values whose
 *                                natural error is absolute (a probability near
 *                                0 or 1 from a root finder, a difference that
 *                                should vanish).
 * A NaN on either side fails both. */
#define assert_rel(x, expect, rtol) do {                                      \
    double x_ = (x), e_ = (expect), t_ = (rtol);                              \
    if (!(fabs(x_ - e_) <= t_ * fabs(e_)))                                    \
        fail_msg("%s = %.17g, expected %.17g (relative tolerance %g, "        \
                 "relative error %.3g)", #x, x_, e_, t_,                      \
                 e_ != 0 ? fabs(x_ - e_) / fabs(e_) : HUGE_VAL);              \
} while (0)

#define assert_abs(x, expect, atol) do {                                      \
    double x_ = (x), e_ = (expect), t_ = (atol);                              \
    if (!(fabs(x_ - e_) <= t_))                                               \
        fail_msg("%s = %.17g, expected %.17g (absolute tolerance %g, "        \
                 "difference %.3g)", #x, x_, e_, t_, fabs(x_ - e_));          \
} while (0)

#endif
