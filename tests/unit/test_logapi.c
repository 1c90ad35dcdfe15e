/* test_logapi.c -- log.c: message format, levels, the rate-limited counter.
 * The expected lines are written out from the contract in log.h:
 * "vafwatch <cmd>: <message>[: <text of code>]", warnings prefixed
 * "warning: ", debug "debug: ", each one line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vw_test.h"
#include "vafwatch/log.h"

static char *buf;
static size_t len;
static FILE *sink;

static int setup(void **state)
{
    (void)state;
    buf = NULL;
    len = 0;
    sink = open_memstream(&buf, &len);
    if (!sink)
        return -1;
    vw_log_set_sink(sink);
    vw_log_set_cmd("count");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    vw_log_set_sink(NULL);
    vw_log_set_cmd(NULL);
    vw_log_set_level(VW_LOG_WARN);
    fclose(sink);
    free(buf);
    return 0;
}

/* Everything written to the sink so far. */
static const char *logged(void)
{
    assert_int_equal(fflush(sink), 0);
    return buf ? buf : "";
}

static void test_levels(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_WARN);
    assert_int_equal(vw_log_get_level(), VW_LOG_WARN);
    vw_error("cannot open '%s'", "a.bam");
    vw_warn("%d reads without a mate", 3);
    vw_info("not shown");
    vw_debug("not shown either");
    assert_string_equal(logged(), "vafwatch count: cannot open 'a.bam'\n"
                                  "vafwatch count: warning: 3 reads without a mate\n");
    vw_log_set_level(VW_LOG_DEBUG);
    vw_info("counted %s", "x");
    vw_debug("target %d", 7);
    assert_string_equal(logged() + strlen("vafwatch count: cannot open 'a.bam'\n"
                                          "vafwatch count: warning: 3 reads without a mate\n"),
                        "vafwatch count: counted x\nvafwatch count: debug: target 7\n");
}

static void test_quiet_and_no_cmd(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_QUIET);
    vw_error("never");
    assert_string_equal(logged(), "");
    vw_log_set_level(VW_LOG_ERROR);
    vw_warn("not at level error");
    vw_log_set_cmd(NULL);
    vw_error("bare");
    assert_string_equal(logged(), "vafwatch: bare\n");
}

static void test_error_code(void **state)
{
    (void)state;
    vw_error_code(-ENOENT, "%s", "x.tsv");
    vw_error_code(VW_EPARSE, "x.tsv:3: column '%s'", "pos");
    char expect[256];
    snprintf(expect, sizeof expect,
             "vafwatch count: x.tsv: %s\n"
             "vafwatch count: x.tsv:3: column 'pos': malformed input\n", strerror(ENOENT));
    assert_string_equal(logged(), expect);
}

/* The first 'limit' are printed, then one total line by the summary; no
 * summary line when the limit was not passed. */
static void test_ratewarn(void **state)
{
    (void)state;
    vw_ratewarn_t rw = {"odd CIGARs", 0, 2};
    for (int i = 1; i <= 5; i++)
        vw_ratewarn(&rw, "read r%d: odd CIGAR", i);
    assert_int_equal(rw.n, 5);
    vw_ratewarn_summary(&rw);
    assert_string_equal(logged(), "vafwatch count: warning: read r1: odd CIGAR\n"
                                  "vafwatch count: warning: read r2: odd CIGAR\n"
                                  "vafwatch count: warning: 5 odd CIGARs in total (only the first 2 shown)\n");
    vw_ratewarn_t few = {"gaps", 0, 10};
    vw_ratewarn(&few, "gap");
    size_t before = strlen(logged());
    vw_ratewarn_summary(&few);
    assert_int_equal(strlen(logged()), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_and_no_cmd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ratewarn, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
