/* vw_test.h -- helpers shared by the cmocka unit tests. */
#ifndef VW_TEST_H
#define VW_TEST_H

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* cmocka 1.1.5 has no assert_double_equal: relative-or-absolute tolerance. */
#define assert_close(a, b, tol) do {                                          \
    double a_ = (a), b_ = (b), t_ = (tol);                                    \
    double d_ = fabs(a_ - b_), s_ = fmax(fabs(a_), fabs(b_));                 \
    if (!(d_ <= t_ || d_ <= t_ * s_))                                         \
        fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, a_, b_, t_); \
} while (0)

#endif
