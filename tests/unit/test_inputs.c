/* test_inputs.c -- the name and file checks of inputs.h that every command
 * makes before it writes: a sample name each table reader reads back, no
 * name given twice, and no output that is one of the inputs (the same file
 * by device and inode: a hard link and a symbolic link count, a directory
 * or a missing file does not).  Messages are captured through
 * vw_log_set_sink() and checked whole. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vw_test.h"
#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_inputs_XXXXXX";
static vw_test_cap_t cap;

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_ERROR);
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return vw_test_rmtree(dir);
}

/* The message of vw_sample_name_ok(name, "sheet.tsv:3"), or "" when the
 * name is accepted (the return code checked against it). */
static char *name_msg(const char *name)
{
    vw_test_cap_start(&cap);
    int r = vw_sample_name_ok(name, "sheet.tsv:3");
    char *msg = vw_test_cap_stop(&cap);
    assert_int_equal(r, msg[0] ? VW_EINPUT : 0);
    return msg;
}

static void test_sample_name_ok(void **state)
{
    (void)state;
    /* accepted: spaces, inner '#', bytes above 0x7f (UTF-8 "é" is c3 a9) */
    static const char *const good[] = {"S1", "P1 d0", "a#b", "\xc3\xa9t\xc3\xa9", "x"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *msg = name_msg(good[i]);
        assert_string_equal(msg, "");
        free(msg);
    }
    static const struct {
        const char *name, *want;
    } bad[] = {
        {"", "vafwatch: sheet.tsv:3: empty sample name\n"},
        {"#S1", "vafwatch: sheet.tsv:3: sample name '#S1' begins with '#', which every table reader takes for a "
                "comment; rename it\n"},
        /* offsets and bytes by hand: the tab is byte 1, DEL 0x7f byte 2, CR 0x0d byte 3 */
        {"S\t1", "vafwatch: sheet.tsv:3: sample name holds a control character (byte 0x09 at offset 1); rename it\n"},
        {"ab\x7f", "vafwatch: sheet.tsv:3: sample name holds a control character (byte 0x7f at offset 2); rename "
                   "it\n"},
        {"abc\r", "vafwatch: sheet.tsv:3: sample name holds a control character (byte 0x0d at offset 3); rename "
                  "it\n"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *msg = name_msg(bad[i].name);
        assert_string_equal(msg, bad[i].want);
        free(msg);
    }
}

/* Three inputs' counts named as given (only sample and path are read). */
static int names_check(const char *a, const char *b, const char *c, char **ret_msg)
{
    vw_sample_counts_t s[3];
    memset(s, 0, sizeof s);
    const char *names[3] = {a, b, c}, *paths[3] = {"a.bam", "b.bam", "c.tsv"};
    vw_sample_counts_t *p[3];
    for (int i = 0; i < 3; i++) {
        s[i].sample = (char *)names[i];
        s[i].path = (char *)paths[i];
        p[i] = &s[i];
    }
    vw_test_cap_start(&cap);
    int r = vw_sample_names_check(p, 3);
    *ret_msg = vw_test_cap_stop(&cap);
    return r;
}

static void test_sample_names_check(void **state)
{
    (void)state;
    char *msg;
    assert_int_equal(names_check("S1", "S2", "s1", &msg), 0); /* names differ in case: distinct */
    assert_string_equal(msg, "");
    free(msg);
    assert_int_equal(names_check("S1", "S2", "S1", &msg), VW_EINPUT);
    assert_string_equal(msg, "vafwatch: c.tsv: sample 'S1' is also given by a.bam: outputs would merge them; give "
                             "each input its own name (--sample)\n");
    free(msg);
    /* a bad name is said before any repeat, named by its input's path */
    assert_int_equal(names_check("S1", "", "S1", &msg), VW_EINPUT);
    assert_string_equal(msg, "vafwatch: b.bam: empty sample name\n");
    free(msg);
    vw_sample_counts_t *none = NULL;
    assert_int_equal(vw_sample_names_check(&none, 0), 0);
}

static const char *in_dir(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
    return buf;
}

static void test_output_is_input(void **state)
{
    (void)state;
    char a[256], b[256], hard[256], sym[256], sub[256], none[256];
    vw_test_put(in_dir(a, sizeof a, "a.tsv"), "x\n");
    vw_test_put(in_dir(b, sizeof b, "b.tsv"), "x\n"); /* the same bytes, another file */
    assert_int_equal(link(a, in_dir(hard, sizeof hard, "hard.tsv")), 0);
    assert_int_equal(symlink(a, in_dir(sym, sizeof sym, "sym.tsv")), 0);
    assert_int_equal(mkdir(in_dir(sub, sizeof sub, "sub"), 0700), 0);
    in_dir(none, sizeof none, "none.tsv");
    const char *ins[] = {NULL, "-", b, a};
    assert_int_equal(vw_output_is_input(a, ins, 4), 1);
    assert_int_equal(vw_output_is_input(hard, ins, 4), 1); /* same inode */
    assert_int_equal(vw_output_is_input(sym, ins, 4), 1);  /* followed */
    assert_int_equal(vw_output_is_input(a, ins, 2), 0);    /* only NULL and "-": skipped */
    assert_int_equal(vw_output_is_input(a, ins, 3), 0);    /* b is another file */
    assert_int_equal(vw_output_is_input(none, ins, 4), 0); /* not there yet */
    assert_int_equal(vw_output_is_input("-", ins, 4), 0);
    assert_int_equal(vw_output_is_input(NULL, ins, 4), 0);
    const char *ins_dir[] = {sub};
    assert_int_equal(vw_output_is_input(sub, ins_dir, 1), 0); /* not a regular file */

    const char *outs[] = {none, "-", hard};
    const char *in_a[] = {a};
    char *msg;
    vw_test_cap_start(&cap);
    assert_int_equal(vw_outputs_clash(outs, 3, in_a, 1), 1);
    msg = vw_test_cap_stop(&cap);
    char want[512];
    snprintf(want, sizeof want, "vafwatch: %s: the output would overwrite an input file\n", hard);
    assert_string_equal(msg, want);
    free(msg);
    vw_test_cap_start(&cap);
    assert_int_equal(vw_outputs_clash(outs, 2, in_a, 1), 0);
    msg = vw_test_cap_stop(&cap);
    assert_string_equal(msg, "");
    free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_name_ok),
        cmocka_unit_test(test_sample_names_check),
        cmocka_unit_test(test_output_is_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
