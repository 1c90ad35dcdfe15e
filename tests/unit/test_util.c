/* test_util.c -- util.c: JSON string escaping, atomic output files, number
 * parsing, line and string helpers, error texts, stream errors. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vw_test.h"
#include "vafwatch/util.h"

/* What vw_json_str() writes for s, as a C string (caller frees). */
static char *json_of(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    vw_json_str(fp, s);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* A sample named <script>"x must come out as inert JSON text: the quote
 * escaped, and the angle brackets as \u escapes so that the string can sit
 * inside an HTML <script> block of the report without closing it. */
static void test_json_str_script(void **state)
{
    (void)state;
    char *j = json_of("<script>\"x");
    assert_string_equal(j, "\"\\u003cscript\\u003e\\\"x\"");
    assert_null(strchr(j, '<'));
    assert_null(strchr(j, '>'));
    free(j);
    j = json_of("</script><script>alert(1)</script>");
    assert_null(strstr(j, "</"));
    free(j);
}

static void test_json_str_controls(void **state)
{
    (void)state;
    char *j = json_of("a\\b\n\t\r\x01\x1f&");
    assert_string_equal(j, "\"a\\\\b\\n\\t\\r\\u0001\\u001f\\u0026\"");
    free(j);
    j = json_of("");
    assert_string_equal(j, "\"\"");
    free(j);
    j = json_of("caf\xc3\xa9"); /* UTF-8 passes through */
    assert_string_equal(j, "\"caf\xc3\xa9\"");
    free(j);
}

/* A committed file appears whole under its name; an aborted one leaves
 * nothing behind; an unwritable place is an error, not a crash. */
static void test_ofile(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_util.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/out.tsv", dir);
    vw_ofile_t of = {0};
    assert_int_equal(vw_ofile_open(&of, path), 0);
    fputs("x\n", of.fp);
    assert_int_equal(access(path, F_OK), -1); /* not there until committed */
    assert_int_equal(vw_ofile_commit(&of), 0);
    assert_int_equal(access(path, F_OK), 0);
    vw_ofile_t ab = {0};
    snprintf(path, sizeof path, "%s/aborted.tsv", dir);
    assert_int_equal(vw_ofile_open(&ab, path), 0);
    fputs("half", ab.fp);
    vw_ofile_abort(&ab);
    vw_ofile_abort(&ab); /* twice is safe */
    assert_int_equal(access(path, F_OK), -1);
    snprintf(path, sizeof path, "%s/no/such/dir/x.tsv", dir);
    vw_ofile_t bad = {0};
    assert_true(vw_ofile_open(&bad, path) < 0);
    vw_ofile_abort(&bad);
    /* only out.tsv is left */
    snprintf(path, sizeof path, "%s/out.tsv", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* A FIFO (as /dev/null, a device) is written in place and stays a FIFO:
 * renaming a temporary over it would replace the node. A directory is
 * EISDIR. */
static void test_ofile_special(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_util.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    int rd = open(fifo, O_RDONLY | O_NONBLOCK); /* a reader, so that opening for writing does not block */
    assert_true(rd >= 0);
    vw_ofile_t of = {0};
    assert_int_equal(vw_ofile_open(&of, fifo), 0);
    fputs("x\n", of.fp);
    assert_int_equal(vw_ofile_commit(&of), 0);
    char buf[8] = {0};
    assert_int_equal(read(rd, buf, sizeof buf - 1), 2);
    assert_string_equal(buf, "x\n");
    close(rd);
    struct stat st;
    assert_int_equal(stat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    vw_ofile_t d = {0};
    assert_int_equal(vw_ofile_open(&d, dir), -EISDIR);
    vw_ofile_abort(&d);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

/* Numbers vafwatch writes it reads back: underflow (a subnormal p-value
 * such as 7.9e-310, or 1e-400, which is 0 in a double) is read as the
 * nearest double; "inf" is infinity; overflow and junk are errors.
 * Expected values: the C library's own strtod of the same text. */
static void test_parse_double_extremes(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(vw_parse_double("7.9e-310", &v), 0);
    assert_true(v == strtod("7.9e-310", NULL) && v > 0 && v < DBL_MIN);
    assert_int_equal(vw_parse_double("4.941e-324", &v), 0);
    assert_true(v == 4.9406564584124654e-324);
    assert_int_equal(vw_parse_double("1e-400", &v), 0);
    assert_true(v == 0);
    assert_int_equal(vw_parse_double("-1e-400", &v), 0);
    assert_true(v == 0);
    assert_int_equal(vw_parse_double("0", &v), 0);
    assert_true(v == 0);
    assert_int_equal(vw_parse_double("1e300", &v), 0);
    assert_true(v == 1e300);
    assert_int_equal(vw_parse_double("inf", &v), 0);
    assert_true(isinf(v) && v > 0);
    assert_int_equal(vw_parse_double("-inf", &v), 0);
    assert_true(isinf(v) && v < 0);
    v = 42;
    assert_int_equal(vw_parse_double("1e400", &v), VW_EPARSE);
    assert_int_equal(vw_parse_double("nan", &v), VW_EPARSE);
    assert_int_equal(vw_parse_double("1e-5x", &v), VW_EPARSE);
    assert_int_equal(vw_parse_double("", &v), VW_EPARSE);
    assert_true(v == 42); /* untouched on failure */
}

static void put_file(const char *dir, const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    vw_test_put(p, text);
}

static int exists(const char *dir, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    return access(p, F_OK) == 0;
}

/* An output set: nothing appears in the directory before the commit; an
 * aborted set leaves the directory as it was; a second set is refused while
 * one is open; a commit writes the manifest and removes the files of the
 * previous manifest it no longer has, and nothing else. */
static void test_oset(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_oset.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[300];
    snprintf(out, sizeof out, "%s/out", dir);
    vw_oset_t *os = NULL, *os2 = (vw_oset_t *)1;
    assert_int_equal(vw_oset_begin(out, &os), 0);
    assert_int_equal(vw_oset_begin(out, &os2), -EBUSY); /* one writer at a time */
    assert_true(os2 == (vw_oset_t *)1);                   /* untouched on failure */
    char sub[400];
    snprintf(sub, sizeof sub, "%s/pages", vw_oset_dir(os));
    assert_int_equal(mkdir(sub, 0777), 0);
    put_file(vw_oset_dir(os), "a.tsv", "1\n");
    put_file(vw_oset_dir(os), "pages/P1.html", "p1\n");
    put_file(vw_oset_dir(os), "pages/P2.html", "p2\n");
    assert_false(exists(out, "a.tsv")); /* staged, not yet there */
    assert_int_equal(vw_oset_commit(os), 0);
    assert_true(exists(out, "a.tsv") && exists(out, "pages/P2.html") && exists(out, VW_OSET_MANIFEST));
    put_file(out, "mine.txt", "the user's\n");
    /* an aborted set changes nothing */
    assert_int_equal(vw_oset_begin(out, &os), 0);
    put_file(vw_oset_dir(os), "a.tsv", "2\n");
    vw_oset_abort(os);
    FILE *fp = fopen(strcat(strcpy(sub, out), "/a.tsv"), "r");
    assert_non_null(fp);
    assert_int_equal(fgetc(fp), '1');
    fclose(fp);
    /* the next set without P2: its page goes, the user's file stays */
    assert_int_equal(vw_oset_begin(out, &os), 0);
    snprintf(sub, sizeof sub, "%s/pages", vw_oset_dir(os));
    assert_int_equal(mkdir(sub, 0777), 0);
    put_file(vw_oset_dir(os), "a.tsv", "3\n");
    put_file(vw_oset_dir(os), "pages/P1.html", "p1\n");
    assert_int_equal(vw_oset_commit(os), 0);
    assert_false(exists(out, "pages/P2.html"));
    assert_true(exists(out, "pages/P1.html") && exists(out, "mine.txt"));
    /* no staging directory is left */
    DIR *d = opendir(out);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        assert_null(strstr(de->d_name, "staging"));
    closedir(d);
    vw_oset_abort(NULL);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

/* vw_parse_long: the whole text is one decimal integer (strtol semantics:
 * leading white space is skipped, nothing may follow); the limits of a
 * 64-bit long are 2^63 - 1 and -2^63; *ret_v is untouched on failure. */
static void test_parse_long(void **state)
{
    (void)state;
    long v = 0;
    assert_int_equal(vw_parse_long("42", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(vw_parse_long("-7", &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(vw_parse_long("+0012", &v), 0);
    assert_int_equal(v, 12);
    assert_int_equal(vw_parse_long(" 3", &v), 0);
    assert_int_equal(v, 3);
    if (sizeof(long) == 8) {
        assert_int_equal(vw_parse_long("9223372036854775807", &v), 0);
        assert_true(v == 9223372036854775807L);
        assert_int_equal(vw_parse_long("-9223372036854775808", &v), 0);
        assert_true(v == -9223372036854775807L - 1);
        v = 5;
        assert_int_equal(vw_parse_long("9223372036854775808", &v), VW_EPARSE);
        assert_int_equal(v, 5);
    }
    v = 5;
    const char *bad[] = {"", "x", "3x", "3 ", "1.5", "1e3", "--1", "0x10", "12\t"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(vw_parse_long(bad[i], &v), VW_EPARSE);
        assert_int_equal(v, 5);
    }
    assert_int_equal(vw_parse_long(NULL, &v), VW_EPARSE);
}

/* vw_chomp strips every trailing CR and LF and returns the new length. */
static void test_chomp(void **state)
{
    (void)state;
    char a[] = "abc\r\n", b[] = "abc", c[] = "\n", d[] = "", e[] = "a\tb\n\n", f[] = "x\ry";
    assert_int_equal(vw_chomp(a), 3);
    assert_string_equal(a, "abc");
    assert_int_equal(vw_chomp(b), 3);
    assert_string_equal(b, "abc");
    assert_int_equal(vw_chomp(c), 0);
    assert_string_equal(c, "");
    assert_int_equal(vw_chomp(d), 0);
    assert_int_equal(vw_chomp(e), 3);
    assert_string_equal(e, "a\tb");
    assert_int_equal(vw_chomp(f), 3);   /* an inner CR stays */
    assert_string_equal(f, "x\ry");
}

static void test_strdup(void **state)
{
    (void)state;
    const char *src = "KRAS\tG12D";
    char *d = vw_strdup(src);
    assert_non_null(d);
    assert_ptr_not_equal(d, src);
    assert_string_equal(d, src);
    free(d);
    d = vw_strdup("");
    assert_non_null(d);
    assert_string_equal(d, "");
    free(d);
}

/* The domain codes have their own text; -errno gives strerror's; anything
 * else still gives text (never NULL). */
static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(vw_strerror(0), "success");
    assert_string_equal(vw_strerror(VW_EPARSE), "malformed input");
    assert_string_equal(vw_strerror(VW_EFORMAT), "invalid or truncated file");
    assert_string_equal(vw_strerror(VW_EINPUT), "inconsistent input");
    assert_string_equal(vw_strerror(VW_EBUILD), "genome build or contig names do not match");
    assert_string_equal(vw_strerror(VW_ESTATS), "numerical failure");
    assert_string_equal(vw_strerror(-ENOENT), strerror(ENOENT));
    assert_string_equal(vw_strerror(-ENOSPC), strerror(ENOSPC));
    assert_non_null(vw_strerror(-9999));
    assert_non_null(vw_strerror(7));
    assert_true(strlen(vw_strerror(-9999)) > 0);
}

/* ', "key": value' with the caller's format, null for NaN. */
static void test_json_num_field(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    vw_json_num_field(fp, "vaf", 0.00341, "%.4g");
    vw_json_num_field(fp, "p", NAN, "%.4g");
    vw_json_num_field(fp, "n", 12.0, "%.0f");
    vw_json_num_field(fp, "tiny", -1.5e-300, "%.3g");
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(buf, ", \"vaf\": 0.00341, \"p\": null, \"n\": 12, \"tiny\": -1.5e-300");
    free(buf);
}

/* The cause of a failed write: /dev/full fails every flush with ENOSPC. */
static void test_stream_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp) {
        skip();
        return;
    }
    fputs("x", fp);
    assert_true(fflush(fp) != 0);
    fputs("more", fp);
    assert_int_equal(vw_stream_error(fp), -ENOSPC);
    fclose(fp);
    /* a stream with nothing pending to fail tells nothing: -EIO */
    fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(vw_stream_error(fp), -EIO);
    fclose(fp);
}

/* vw_mkdir_p: the directories above a path, and the path itself only with
 * 'self'; an existing directory is fine; a file in the way is -ENOTDIR
 * (mkdir -p's answer). */
static void test_mkdir_p(void **state)
{
    (void)state;
    char root[] = "/tmp/vw_mkdir_XXXXXX";
    assert_non_null(mkdtemp(root));
    char p[256], q[256];
    struct stat st;
    snprintf(p, sizeof p, "%s/a/b/c.txt", root);
    assert_int_equal(vw_mkdir_p(p, 0), 0);
    snprintf(q, sizeof q, "%s/a/b", root);
    assert_int_equal(stat(q, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(stat(p, &st), -1); /* not the path itself */
    assert_int_equal(vw_mkdir_p(p, 1), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(vw_mkdir_p(p, 1), 0); /* exists: fine */
    snprintf(q, sizeof q, "%s/f", root);
    FILE *fp = fopen(q, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(p, sizeof p, "%s/f/x", root);
    assert_int_equal(vw_mkdir_p(p, 1), -ENOTDIR);
    assert_int_equal(remove(q), 0);
    /* what was made, deepest first: nothing else is left (rmdir of a non-empty directory fails) */
    static const char *const made[] = {"a/b/c.txt", "a/b", "a"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", root, made[i]);
        assert_int_equal(rmdir(p), 0);
    }
    assert_int_equal(rmdir(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_str_script),
        cmocka_unit_test(test_json_str_controls),
        cmocka_unit_test(test_ofile),
        cmocka_unit_test(test_ofile_special),
        cmocka_unit_test(test_parse_double_extremes),
        cmocka_unit_test(test_oset),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_chomp),
        cmocka_unit_test(test_strdup),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_json_num_field),
        cmocka_unit_test(test_stream_error),
        cmocka_unit_test(test_mkdir_p),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
