/* test_log.c -- unit tests of the reporter (log.c): message format, long
 * messages, and one line per message when threads log at once. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "vw_test.h"

#include "vafwatch/log.h"

static char *read_all(FILE *fp, long *ret_len)
{
    fflush(fp);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, fp), (size_t)n);
    s[n] = '\0';
    *ret_len = n;
    return s;
}

static void test_format(void **state)
{
    (void)state;
    FILE *sink = tmpfile();
    assert_non_null(sink);
    vw_log_set_sink(sink);
    vw_log_set_level(VW_LOG_WARN);
    vw_log_set_cmd("count");
    vw_error("%s:%d: bad", "a.tsv", 7);
    vw_error_code(VW_EFORMAT, "x.bam");
    vw_warn("w%d", 1);
    vw_info("not shown at this level");
    vw_log_set_cmd(NULL);
    vw_error("plain");
    long n;
    char *s = read_all(sink, &n);
    char want[512];
    snprintf(want, sizeof want, "vafwatch count: a.tsv:7: bad\nvafwatch count: x.bam: %s\n"
             "vafwatch count: warning: w1\nvafwatch: plain\n", vw_strerror(VW_EFORMAT));
    assert_string_equal(s, want);
    free(s);
    vw_log_set_sink(NULL);
    fclose(sink);
}

/* A message longer than the reporter's stack buffer arrives whole. */
static void test_long(void **state)
{
    (void)state;
    FILE *sink = tmpfile();
    assert_non_null(sink);
    vw_log_set_sink(sink);
    vw_log_set_cmd("call");
    size_t len = 5000;
    char *m = malloc(len + 1);
    assert_non_null(m);
    memset(m, 'q', len);
    m[len] = '\0';
    vw_error_code(-ENOENT, "%s", m);
    long n;
    char *s = read_all(sink, &n);
    /* "vafwatch call: " + 5000 q + ": " + strerror + "\n" */
    const char *tail = vw_strerror(-ENOENT);
    assert_int_equal(n, (long)(15 + len + 2 + strlen(tail) + 1));
    assert_memory_equal(s, "vafwatch call: ", 15);
    assert_memory_equal(s + 15, m, len);
    assert_memory_equal(s + 15 + len + 2, tail, strlen(tail));
    assert_int_equal(s[n - 1], '\n');
    free(s);
    free(m);
    vw_log_set_cmd(NULL);
    vw_log_set_sink(NULL);
    fclose(sink);
}

#define N_THREADS 4
#define N_MSG 400

static void *logger(void *arg)
{
    char c = *(const char *)arg, m[300];
    memset(m, c, sizeof m - 1);
    m[sizeof m - 1] = '\0';
    for (int i = 0; i < N_MSG; i++)
        vw_warn("%c%s", c, m + (i % 200)); /* lengths vary from 100 to 300 */
    return NULL;
}

/* Threads logging at once: every line is one whole message of one thread
 * (with several writes per message, pieces of other threads' lines get in). */
static void test_threads(void **state)
{
    (void)state;
    FILE *sink = tmpfile();
    assert_non_null(sink);
    vw_log_set_sink(sink);
    vw_log_set_cmd("run");
    pthread_t th[N_THREADS];
    char ch[N_THREADS] = {'a', 'b', 'c', 'd'};
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, logger, &ch[t]), 0);
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    long n;
    char *s = read_all(sink, &n);
    int n_lines = 0, per[N_THREADS] = {0};
    const char *pre = "vafwatch run: warning: ";
    for (char *line = s, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        assert_non_null(nl);
        assert_memory_equal(line, pre, strlen(pre));
        char *body = line + strlen(pre);
        assert_true(body[0] >= 'a' && body[0] < 'a' + N_THREADS);
        for (char *p = body; p < nl; p++)
            assert_int_equal(*p, body[0]);
        long bl = nl - body;
        assert_true(bl >= 101 && bl <= 300);
        per[body[0] - 'a']++;
        n_lines++;
    }
    assert_int_equal(n_lines, N_THREADS * N_MSG);
    for (int t = 0; t < N_THREADS; t++)
        assert_int_equal(per[t], N_MSG);
    free(s);
    vw_log_set_cmd(NULL);
    vw_log_set_sink(NULL);
    fclose(sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_long),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
