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

/* cmocka 1.1.5 has no assert_double_equal: relative-or-absolute tolerance. */
#define assert_close(a, b, tol) do {                                          \
    double a_ = (a), b_ = (b), t_ = (tol);                                    \
    double d_ = fabs(a_ - b_), s_ = fmax(fabs(a_), fabs(b_));                 \
    if (!(d_ <= t_ || d_ <= t_ * s_))                                         \
        fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, a_, b_, t_); \
} while (0)

#endif
