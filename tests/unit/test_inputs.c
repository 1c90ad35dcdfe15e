/* test_inputs.c -- the name and file checks of inputs.h that every command
 * makes before it writes: a sample name each table reader reads back, no
 * name given twice, and no output that is one of the inputs (the same file
 * by device and inode: a hard link and a symbolic link count, a directory
 * or a missing file does not; an input inside an output directory where
 * the command writes); inputs read once (pipes); outputs written
 * atomically, alone or as a set; the worker pool; the -r check; the build
 * of a file; the target set (catalogue, -T, -r/-R); the evidence of the
 * model and call stages and one sample's calls without a model; one
 * sample's fragments per copy-number region.
 * Messages are captured through vw_log_set_sink() and checked whole or by
 * their part that names the cause. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <htslib/kstring.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_inputs_XXXXXX";
static vw_test_cap_t cap;

static int setup(void **state)
{
    (void)state;
    vw_log_set_level(VW_LOG_ERROR);
    gsl_set_error_handler_off(); /* as main does: the calls' underflows are handled */
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

static void test_input_is_pipe(void **state)
{
    (void)state;
    char f[256], fifo[256], none[256];
    vw_test_put(in_dir(f, sizeof f, "plain.bam"), "x");
    assert_int_equal(mkfifo(in_dir(fifo, sizeof fifo, "fifo"), 0600), 0);
    in_dir(none, sizeof none, "nothing.bam");
    assert_int_equal(vw_input_is_pipe("-"), 1);
    assert_int_equal(vw_input_is_pipe(fifo), 1);
    assert_int_equal(vw_input_is_pipe(f), 0);
    assert_int_equal(vw_input_is_pipe(dir), 0);  /* a directory */
    assert_int_equal(vw_input_is_pipe(none), 0); /* not there: opening it will say so */
    assert_int_equal(vw_input_is_pipe(NULL), 0);
}

/* The names of docs/reports.md's file list, and what report does not write. */
static void test_report_is_output(void **state)
{
    (void)state;
    static const char *const yes[] = {"index.html", "vafwatch.report.json", "vafwatch_mqc.tsv",
                                      "vafwatch_stats_mqc.tsv", "vafwatch_vaf_mqc.json", "vafwatch.manifest.tsv",
                                      "patients/P1.html", "patients/P1.json", "patients/a.b.html"};
    static const char *const no[] = {"notes.txt", "index.htm", "patients/P1.tsv", "patients/x/P1.html",
                                     "other/P1.html", "vafwatch.calls.tsv", ""};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (vw_report_is_output(yes[i]) != 1)
            fail_msg("'%s' is written by report", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (vw_report_is_output(no[i]) != 0)
            fail_msg("'%s' is not written by report", no[i]);
}

static void test_dir_clash(void **state)
{
    (void)state;
    char out[256], pdir[256], idx[256], page[256], notes[256], deep[256], none[256];
    assert_int_equal(mkdir(in_dir(out, sizeof out, "rep"), 0700), 0);
    assert_int_equal(mkdir(in_dir(pdir, sizeof pdir, "rep/patients"), 0700), 0);
    assert_int_equal(mkdir(in_dir(deep, sizeof deep, "rep/patients/x"), 0700), 0);
    vw_test_put(in_dir(idx, sizeof idx, "rep/index.html"), "x");
    vw_test_put(in_dir(page, sizeof page, "rep/patients/P1.json"), "x");
    vw_test_put(in_dir(notes, sizeof notes, "rep/notes.tsv"), "x");
    vw_test_put(in_dir(deep, sizeof deep, "rep/patients/x/P2.html"), "x");
    const char *safe[] = {NULL, "-", notes, deep};
    vw_test_cap_start(&cap);
    assert_int_equal(vw_dir_clash(out, safe, 4, vw_report_is_output), 0);
    char *msg = vw_test_cap_stop(&cap);
    assert_string_equal(msg, "");
    free(msg);
    const char *ins[] = {notes, page};
    vw_test_cap_start(&cap);
    assert_int_equal(vw_dir_clash(out, ins, 2, vw_report_is_output), 1);
    msg = vw_test_cap_stop(&cap);
    char want[768];
    snprintf(want, sizeof want, "vafwatch: %s: the output would overwrite an input file (%s/patients/P1.json)\n", page,
             out);
    assert_string_equal(msg, want);
    free(msg);
    const char *in_idx[] = {idx};
    vw_test_cap_start(&cap);
    assert_int_equal(vw_dir_clash(in_dir(none, sizeof none, "rep2"), in_idx, 1, vw_report_is_output), 0);
    msg = vw_test_cap_stop(&cap);
    assert_string_equal(msg, ""); /* a directory not made yet holds nothing */
    free(msg);
}

static int put_text(FILE *fp, const void *o) { return fputs(o, fp) < 0 ? -EIO : 0; }
static int put_fail(FILE *fp, const void *o)
{
    fputs(o, fp);
    return -EINVAL;
}

/* Asserts that the file 'path' holds exactly 'want' (under 256 bytes). */
static void assert_file(const char *path, const char *want)
{
    char buf[256];
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_string_equal(buf, want);
}

/* Files in 'dir' (the temporary names included). */
static int n_entries(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void test_write_file_set(void **state)
{
    (void)state;
    char w[256], a[256], b[256];
    assert_int_equal(mkdir(in_dir(w, sizeof w, "w"), 0700), 0);
    in_dir(a, sizeof a, "w/a.tsv");
    in_dir(b, sizeof b, "w/b.tsv");
    assert_int_equal(vw_write_file(a, put_text, "one\n"), 0);
    assert_file(a, "one\n");
    /* a failing writer: the old file stays as it was, no temporary file left */
    vw_test_cap_start(&cap);
    assert_int_equal(vw_write_file(a, put_fail, "half"), -1);
    char *msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "writing '"));
    assert_non_null(strstr(msg, "a.tsv'"));
    free(msg);
    assert_file(a, "one\n");
    assert_int_equal(n_entries(w), 1);
    /* a set: both written */
    const char *paths[] = {a, b};
    int (*const ok2[])(FILE *, const void *) = {put_text, put_text};
    const void *objs[] = {"A\n", "B\n"};
    assert_int_equal(vw_write_set(paths, ok2, objs, 2), 0);
    assert_file(a, "A\n");
    assert_file(b, "B\n");
    /* the second fails: neither is replaced (the first was complete, not yet renamed) */
    int (*const bad2[])(FILE *, const void *) = {put_text, put_fail};
    const void *objs2[] = {"A2\n", "B2\n"};
    vw_test_cap_start(&cap);
    assert_int_equal(vw_write_set(paths, bad2, objs2, 2), -1);
    msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "b.tsv'"));
    free(msg);
    assert_file(a, "A\n");
    assert_file(b, "B\n");
    assert_int_equal(n_entries(w), 2);
    assert_int_equal(vw_write_set(paths, ok2, objs, 0), 0); /* nothing to write */
}

/* A queue of jobs the workers share: each job done once, and by which thread. */
typedef struct {
    pthread_mutex_t lock;
    int next, n;
    int done[200];
    pthread_t by[200];
} jobs_t;

static void *work(void *arg)
{
    jobs_t *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        int k = j->next < j->n ? j->next++ : -1;
        pthread_mutex_unlock(&j->lock);
        if (k < 0)
            return NULL;
        j->done[k]++;
        j->by[k] = pthread_self();
    }
}

static void test_run_workers(void **state)
{
    (void)state;
    for (int workers = 0; workers <= 4; workers++) {
        jobs_t j;
        memset(&j, 0, sizeof j);
        pthread_mutex_init(&j.lock, NULL);
        j.n = 200;
        vw_run_workers(work, &j, workers);
        for (int k = 0; k < j.n; k++)
            assert_int_equal(j.done[k], 1);
        if (workers <= 1) /* in this thread */
            for (int k = 0; k < j.n; k++)
                assert_true(pthread_equal(j.by[k], pthread_self()));
        else
            for (int k = 0; k < j.n; k++)
                assert_false(pthread_equal(j.by[k], pthread_self()));
        pthread_mutex_destroy(&j.lock);
    }
}

/* -r: the forms of region.h; a range that ends before it begins, a
 * position 0 (1-based) and text after a digit are refused, naming the
 * argument. */
static void test_region_arg_check(void **state)
{
    (void)state;
    static const char *const good[] = {"chr7", "7:55191822", "chr7:55,019,017-55,211,628", "chr7:1-10,chr12:5",
                                       "HLA-A*01:01"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (vw_region_arg_check(good[i]) != 0)
            fail_msg("'%s' refused", good[i]);
    static const char *const bad[] = {"chr7:20-10", "chr7:0", "chr7:5x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vw_test_cap_start(&cap);
        int r = vw_region_arg_check(bad[i]);
        char *msg = vw_test_cap_stop(&cap);
        if (r != VW_EINPUT || !strstr(msg, "--region: cannot read '"))
            fail_msg("'%s': %d '%s'", bad[i], r, msg);
        free(msg);
    }
}

/* The build of a file from its header: @SQ lengths of a BAM (UCSC and
 * NCBI lengths of chr1, chr7 and chr12: GRCh37 249250621, 159138663,
 * 133851895; GRCh38 248956422, 159345973, 133275309), ##contig lengths
 * of a VCF, naming with or without "chr"; unknown for other contigs, a
 * missing file, a pipe. */
/* Header-only BAMs: b37.bam (chr1, chr7, chr12 of GRCh37), b38.bam (1, 7,
 * 12 of GRCh38) and sim.bam (sim1); their paths into the buffers. */
static const char *const h37 = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:249250621\n"
                               "@SQ\tSN:chr7\tLN:159138663\n@SQ\tSN:chr12\tLN:133851895\n";
static const char *const h38 = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:1\tLN:248956422\n"
                               "@SQ\tSN:7\tLN:159345973\n@SQ\tSN:12\tLN:133275309\n";
static void build_bams(char *b37, char *b38, char *bsim)
{
    vw_test_sam_to_bam(h37, NULL, in_dir(b37, 256, "b37.bam"), 0);
    vw_test_sam_to_bam(h38, NULL, in_dir(b38, 256, "b38.bam"), 0);
    vw_test_sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:6000\n", NULL, in_dir(bsim, 256, "sim.bam"), 0);
}

static void test_input_build(void **state)
{
    (void)state;
    char b37[256], b38[256], bsim[256], vcf[256], none[256];
    build_bams(b37, b38, bsim);
    vw_test_put(in_dir(vcf, sizeof vcf, "c.vcf"),
                "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr7,length=159345973>\n"
                "##contig=<ID=chr12,length=133275309>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
    in_dir(none, sizeof none, "none.bam");
    int chr = 7;
    assert_int_equal(vw_input_build(b37, NULL, &chr), VW_BUILD_GRCH37);
    assert_int_equal(chr, 1);
    assert_int_equal(vw_input_build(b38, NULL, &chr), VW_BUILD_GRCH38);
    assert_int_equal(chr, 0);
    assert_int_equal(vw_input_build(vcf, NULL, &chr), VW_BUILD_GRCH38);
    assert_int_equal(chr, 1);
    assert_int_equal(vw_input_build(bsim, NULL, &chr), VW_BUILD_UNKNOWN);
    assert_int_equal(chr, -1);
    chr = 7;
    assert_int_equal(vw_input_build(none, NULL, &chr), VW_BUILD_UNKNOWN);
    assert_int_equal(chr, -1);
    assert_int_equal(vw_input_build("-", NULL, &chr), VW_BUILD_UNKNOWN); /* not read: it can be read once */
    /* cnv's reader is the same */
    assert_int_equal(vw_cnv_file_build(b37, NULL), VW_BUILD_GRCH37);
    assert_int_equal(vw_cnv_file_build(b38, NULL), VW_BUILD_GRCH38);
    assert_int_equal(vw_cnv_file_build(bsim, NULL), VW_BUILD_UNKNOWN);
}

/* -r/-R on a target set: ten SNVs at chr1 0-based 1000 .. 1009 (1-based
 * 1001 .. 1010); the regions' 1-based (-r) and 0-based half-open (BED)
 * coordinates kept by hand; "1" matches "chr1"; none left is VW_EINPUT. */
static void test_region_filter(void **state)
{
    (void)state;
    static const struct {
        const char *reg; /* -r, or NULL */
        const char *bed; /* -R text, or NULL */
        int n;           /* targets kept */
        long first;      /* the first one's 0-based position */
    } c[] = {
        {"chr1:1003-1005", NULL, 3, 1002},         /* 1-based 1003..1005 */
        {"1:1010", NULL, 1, 1009},                 /* one position, contig without chr */
        {"chr1:1001-1002,chr1:1009-2000", NULL, 4, 1000},
        {"chr1", NULL, 10, 1000},
        {NULL, "chr1\t1000\t1002\n", 2, 1000},     /* BED [1000, 1002) */
        {"chr1:1010", "1\t1004\t1005\n", 2, 1004}, /* both: their union */
        {NULL, NULL, 10, 1000},                    /* neither: all kept */
        {"chr2:1-5000", NULL, 0, 0},
        {"chr1:2001-3000", NULL, 0, 0},
    };
    char bed[256];
    in_dir(bed, sizeof bed, "r.bed");
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        vw_targets_t *ts = vw_test_targets(10, "chr1", 1000, "C", "T");
        vw_target_opt_t o;
        memset(&o, 0, sizeof o);
        const char *regs[1] = {c[i].reg};
        o.regions = regs;
        o.n_regions = c[i].reg != NULL;
        if (c[i].bed) {
            vw_test_put(bed, c[i].bed);
            o.regions_file = bed;
        }
        vw_test_cap_start(&cap);
        int r = vw_targets_region_filter(&o, ts);
        char *msg = vw_test_cap_stop(&cap);
        if (c[i].n == 0) {
            if (r != VW_EINPUT || !strstr(msg, "no target lies in the --region given"))
                fail_msg("case %zu: %d '%s'", i, r, msg);
        } else {
            if (r != 0 || ts->n != c[i].n || ts->t[0].beg != c[i].first)
                fail_msg("case %zu: %d, %d targets from %ld", i, r, ts->n, (long)ts->t[0].beg);
        }
        free(msg);
        vw_targets_destroy(ts);
    }
}

/* The target at 'id_prefix' of ts, or NULL. */
static const vw_target_t *find_id(const vw_targets_t *ts, const char *id_prefix)
{
    for (int i = 0; i < ts->n; i++)
        if (!strncmp(ts->t[i].id, id_prefix, strlen(id_prefix)))
            return &ts->t[i];
    return NULL;
}

/* vw_targets_build and _hdr: the built-in catalogue in the first input's
 * build and contig naming (EGFR T790M c.2369C>T at 1-based 55249071 on
 * GRCh37, 55181378 on GRCh38: dbSNP rs121434569), or --build's; user rows
 * (repeats removed); the errors of a bad --build, an unknown build, an
 * input that cannot be opened, no target at all. */
static void test_targets_build(void **state)
{
    (void)state;
    char b37[256], b38[256], bsim[256], user[256], none[256];
    build_bams(b37, b38, bsim);
    vw_test_put(in_dir(user, sizeof user, "user.tsv"),
                "chrom\tpos\tref\talt\tid\nchr1\t101\tA\tC\tU1\nchr1\t51\tG\tT\tU0\nchr1\t101\tA\tC\tU1\n");
    in_dir(none, sizeof none, "none.bam");
    const char *users[] = {user};
    vw_target_opt_t o;
    memset(&o, 0, sizeof o);

    vw_targets_t *ts = vw_targets_build(&o, b38);
    assert_non_null(ts);
    assert_int_equal(ts->build, VW_BUILD_GRCH38);
    const vw_target_t *t = find_id(ts, "EGFR_T790M");
    assert_non_null(t);
    assert_int_equal((long)t->beg, 55181378L - 1);
    assert_string_equal(t->chrom, "7"); /* named as the BAM names it */
    int n38 = ts->n;
    vw_targets_destroy(ts);

    ts = vw_targets_build(&o, b37);
    assert_non_null(ts);
    assert_int_equal(ts->build, VW_BUILD_GRCH37);
    assert_non_null(t = find_id(ts, "EGFR_T790M"));
    assert_int_equal((long)t->beg, 55249071L - 1);
    assert_string_equal(t->chrom, "chr7");
    vw_targets_destroy(ts);

    /* the header already read (a pipe): the same as from the file */
    sam_hdr_t *h = sam_hdr_parse(strlen(h38), h38);
    assert_non_null(h);
    ts = vw_targets_build_hdr(&o, "-", h);
    sam_hdr_destroy(h);
    assert_non_null(ts);
    assert_int_equal(ts->build, VW_BUILD_GRCH38);
    assert_int_equal(ts->n, n38);
    vw_targets_destroy(ts);

    /* --build over the header; user rows alone */
    o.build = "GRCh37";
    ts = vw_targets_build(&o, NULL);
    assert_non_null(ts);
    assert_int_equal(ts->build, VW_BUILD_GRCH37);
    vw_targets_destroy(ts);
    o.build = NULL;
    o.no_builtin = 1;
    o.targets = users;
    o.n_targets = 1;
    ts = vw_targets_build(&o, NULL);
    assert_non_null(ts);
    assert_int_equal(ts->n, 2); /* U0 and U1 (given twice), in position order */
    assert_string_equal(ts->t[0].id, "U0");
    assert_string_equal(ts->t[1].id, "U1");
    vw_targets_destroy(ts);

    static const struct {
        const char *build, *input;
        int no_builtin;
        const char *want;
    } bad[] = {
        {"hg17", NULL, 0, "--build: unknown genome build 'hg17' (use GRCh37 or GRCh38)"},
        {NULL, NULL, 0, "give --build GRCh37 or --build GRCh38"},
        {NULL, NULL, 1, "no targets: --no-builtin needs --targets"},
    };
    memset(&o, 0, sizeof o);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        o.build = bad[i].build;
        o.no_builtin = bad[i].no_builtin;
        vw_test_cap_start(&cap);
        ts = vw_targets_build(&o, bad[i].input);
        char *msg = vw_test_cap_stop(&cap);
        assert_null(ts);
        if (!strstr(msg, bad[i].want))
            fail_msg("case %zu: '%s'", i, msg);
        free(msg);
    }
    o.build = NULL;
    o.no_builtin = 0;
    const char *paths[] = {bsim, none};
    const char *wants[] = {": cannot tell the genome build from the header", ": cannot open"};
    for (int i = 0; i < 2; i++) {
        vw_test_cap_start(&cap);
        ts = vw_targets_build(&o, paths[i]);
        char *msg = vw_test_cap_stop(&cap);
        assert_null(ts);
        char want[512];
        snprintf(want, sizeof want, "%s%s", paths[i], wants[i]);
        if (!strstr(msg, want))
            fail_msg("'%s' not in '%s'", want, msg);
        free(msg);
    }
}

/* vw_evidence_load: a BAM counted here (six single reads over sim1:101,
 * two of them C: hand count depth 6, alt 2, ref 4), its evidence table
 * read back as another sample, the two mixed (the BAM's targets, the
 * table matched to them), the table alone (its rows are the targets), the
 * same sample twice refused. */
static void test_evidence_load(void **state)
{
    (void)state;
    char bam[256], t[256], tab[256];
    kstring_t reads = {0, 0, NULL};
    for (int i = 0; i < 6; i++)
        ksprintf(&reads, "r%d\t0\tsim1\t91\t60\t20M\t*\t0\t0\tAAAAAAAAAA%cAAAAAAAAA\tIIIIIIIIIIIIIIIIIIII\tRG:Z:g1\n", i,
                 i < 2 ? 'C' : 'A');
    vw_test_sam_to_bam("@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n@RG\tID:g1\tSM:D1\n", reads.s,
                       in_dir(bam, sizeof bam, "ev.bam"), 1);
    free(reads.s);
    vw_test_put(in_dir(t, sizeof t, "ev_t.tsv"), "chrom\tpos\tref\talt\tid\nsim1\t101\tA\tC\tT1\n");
    const char *targets[] = {t};
    vw_target_opt_t to;
    memset(&to, 0, sizeof to);
    to.no_builtin = 1;
    to.targets = targets;
    to.n_targets = 1;
    vw_count_opt_t co;
    vw_count_opt_init(&co);
    vw_evidence_t e;
    char *files[3] = {bam, tab, bam};
    assert_int_equal(vw_evidence_load(&to, &co, files, 1, &e), 0);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.ts->n, 1);
    assert_string_equal(e.s[0]->sample, "D1");
    assert_int_equal(e.is_bam[0], 1);
    assert_int_equal(e.s[0]->c[0].depth, 6);
    assert_int_equal(e.s[0]->c[0].alt, 2);
    assert_int_equal(e.s[0]->c[0].ref, 4);
    /* its table, as sample D2 */
    free(e.s[0]->sample);
    assert_non_null(e.s[0]->sample = strdup("D2"));
    FILE *fp = fopen(in_dir(tab, sizeof tab, "ev_d2.tsv"), "w");
    assert_non_null(fp);
    assert_int_equal(vw_count_write_tsv(fp, e.ts, e.s, 1), 0);
    assert_int_equal(fclose(fp), 0);
    vw_evidence_free(&e);

    assert_int_equal(vw_evidence_load(&to, &co, files, 2, &e), 0);
    assert_int_equal(e.n, 2);
    assert_string_equal(e.s[1]->sample, "D2");
    assert_int_equal(e.is_bam[1], 0);
    assert_int_equal(e.s[1]->c[0].depth, 6);
    assert_int_equal(e.s[1]->c[0].alt, 2);
    vw_evidence_free(&e);

    assert_int_equal(vw_evidence_load(&to, &co, files + 1, 1, &e), 0); /* the table alone */
    assert_int_equal(e.n, 1);
    assert_int_equal(e.ts->n, 1);
    assert_int_equal((long)e.ts->t[0].beg, 100);
    assert_string_equal(e.ts->t[0].alt, "C");
    vw_evidence_free(&e);

    files[1] = bam; /* D1 twice */
    vw_test_cap_start(&cap);
    assert_int_equal(vw_evidence_load(&to, &co, files, 2, &e), VW_EINPUT);
    char *msg = vw_test_cap_stop(&cap);
    assert_non_null(strstr(msg, "sample 'D1' is also given by"));
    free(msg);
    vw_evidence_free(&e);
}

/* vw_cnv_load_sample: single 20-bp reads, each counted at its midpoint
 * (start + 10, docs/copy-number.md): regions ref1 [0, 100), ref2 [100,
 * 200) and gene G [200, 300) of sim1; starts 10, 40, 85 -> ref1 (3), 95,
 * 150 -> ref2 (2), 210, 230, 260, 275 -> G (4), and a read of MAPQ 10
 * and a duplicate in G skipped.  Depth per bp over the reference regions'
 * median: G / ref1 = (4/100) / (3/100) whatever the median of two is.  A
 * file with no fragment in the reference regions is refused. */
static void test_cnv_load_sample(void **state)
{
    (void)state;
    static const struct {
        int start, flag, mapq;
    } rd[] = {{10, 0, 60},  {40, 0, 60},  {85, 0, 60},  {95, 0, 60},  {150, 0, 60}, {210, 0, 60},
              {220, 0, 10}, {230, 0, 60}, {240, 1024, 60}, {260, 0, 60}, {275, 0, 60}};
    kstring_t reads = {0, 0, NULL}, g_only = {0, 0, NULL};
    for (size_t i = 0; i < sizeof rd / sizeof rd[0]; i++) {
        ksprintf(&reads, "c%zu\t%d\tsim1\t%d\t%d\t20M\t*\t0\t0\tAAAAAAAAAAAAAAAAAAAA\tIIIIIIIIIIIIIIIIIIII\n", i,
                 rd[i].flag, rd[i].start + 1, rd[i].mapq);
        if (rd[i].start >= 200)
            ksprintf(&g_only, "c%zu\t%d\tsim1\t%d\t%d\t20M\t*\t0\t0\tAAAAAAAAAAAAAAAAAAAA\tIIIIIIIIIIIIIIIIIIII\n", i,
                     rd[i].flag, rd[i].start + 1, rd[i].mapq);
    }
    char bam[256], bam_g[256];
    const char *hdr = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:1000\n";
    vw_test_sam_to_bam(hdr, reads.s, in_dir(bam, sizeof bam, "cnv.bam"), 1);
    vw_test_sam_to_bam(hdr, g_only.s, in_dir(bam_g, sizeof bam_g, "cnv_g.bam"), 1);
    free(reads.s);
    free(g_only.s);
    vw_cnv_regions_t *rs = vw_cnv_regions_init();
    assert_non_null(rs);
    assert_int_equal(vw_cnv_regions_add(rs, "sim1", 0, 100, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "sim1", 100, 200, ".", 1), 0);
    assert_int_equal(vw_cnv_regions_add(rs, "sim1", 200, 300, "G", 0), 0);
    assert_int_equal(vw_cnv_regions_finish(rs), 0);
    vw_count_opt_t co;
    vw_count_opt_init(&co);
    vw_cnv_sample_t *x = vw_cnv_load_sample(bam, "N1", rs, &co, 0);
    assert_non_null(x);
    assert_string_equal(x->sample, "N1");
    assert_int_equal(x->n, 3);
    assert_int_equal(x->frag[0], 3);
    assert_int_equal(x->frag[1], 2);
    assert_int_equal(x->frag[2], 4);
    assert_rel(x->norm[2] / x->norm[0], 4.0 / 3.0, 1e-12);
    assert_rel(x->norm[1] / x->norm[0], 2.0 / 3.0, 1e-12);
    vw_cnv_sample_destroy(x);
    vw_test_cap_start(&cap);
    assert_null(vw_cnv_load_sample(bam_g, NULL, rs, &co, 0));
    char *msg = vw_test_cap_stop(&cap);
    char want[512];
    snprintf(want, sizeof want, "%s: no fragments in the reference regions", bam_g);
    if (!strstr(msg, want))
        fail_msg("'%s'", msg);
    free(msg);
    vw_cnv_regions_destroy(rs);
}

/* vw_call_one_sample without a model: every target's background is the
 * sample's own (self: a C>T class of 100,000 informative reads, 49 of
 * them T, mu = 49.5 / 100,001 = 4.95e-4 > the floor) or, without it, the
 * floor (default, counted in *n_default); one call a target appended after
 * those already there, each naming the evidence class (the sample's, or
 * the one asked for); 60 ALT reads in 1,000 are detected against either
 * background, none are not. */
static void test_call_one_sample(void **state)
{
    (void)state;
    vw_targets_t *ts = vw_test_targets(3, "sim1", 1000, "C", "T");
    static const int alt[3] = {0, 60, 0};
    vw_count_t c[3];
    memset(c, 0, sizeof c);
    for (int i = 0; i < 3; i++) {
        c[i].assessed = 1;
        c[i].depth = 1000;
        c[i].alt = alt[i];
        c[i].ref = 1000 - alt[i];
        c[i].alt_fwd = alt[i] / 2;
        c[i].alt_rev = alt[i] - alt[i] / 2;
        c[i].ref_fwd = c[i].ref / 2;
        c[i].ref_rev = c[i].ref - c[i].ref / 2;
        c[i].alt_bq_sum = 37 * alt[i];
        c[i].alt_mq_sum = 60 * alt[i];
    }
    vw_sample_counts_t smp;
    memset(&smp, 0, sizeof smp);
    smp.sample = "S1";
    smp.path = "s1.bam";
    smp.n = 3;
    smp.c = c;
    vw_selfbg_t sb;
    memset(&sb, 0, sizeof sb);
    sb.n[VW_SUB_CT] = 100000;
    sb.x[VW_SUB_CT] = 49;
    vw_call_opt_t co;
    vw_call_opt_init(&co);
    vw_calls_t *calls = vw_calls_init();
    assert_non_null(calls);
    vw_bg_t bg[3];
    int n_model = 0, n_default = 0;
    static const struct {
        int self;
        const char *cls, *want_cls;
        vw_bg_source_t src;
        int n_default;
    } runs[] = {
        {0, NULL, "fragment", VW_BG_DEFAULT, 3},
        {1, NULL, "fragment", VW_BG_SELF, 3},   /* (n_default adds up: none more) */
        {1, "duplex", "duplex", VW_BG_SELF, 3}, /* --class names the calls' class */
    };
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        co.ev_class = runs[k].cls;
        assert_int_equal(vw_call_one_sample(&co, NULL, ts, &smp, runs[k].self ? &sb : NULL, NAN, bg, calls, &n_model,
                                            &n_default), 0);
        assert_int_equal(n_model, 0);
        assert_int_equal(n_default, runs[k].n_default);
        assert_int_equal(calls->n, 3 * (int)(k + 1));
        for (int i = 0; i < 3; i++) {
            const vw_call_t *x = &calls->c[3 * k + (size_t)i];
            assert_int_equal(bg[i].source, runs[k].src);
            assert_int_equal(x->background, runs[k].src);
            assert_string_equal(x->ev_class, runs[k].want_cls);
            assert_int_equal(x->alt_count, alt[i]);
            assert_int_equal(x->detected, alt[i] > 0);
        }
        if (runs[k].self)
            assert_rel(bg[0].mu, 49.5 / 100001.0, 1e-12);
        else
            assert_rel(bg[0].mu, co.bg_floor, 1e-12);
    }
    vw_calls_destroy(calls);
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_name_ok),
        cmocka_unit_test(test_sample_names_check),
        cmocka_unit_test(test_output_is_input),
        cmocka_unit_test(test_input_is_pipe),
        cmocka_unit_test(test_report_is_output),
        cmocka_unit_test(test_dir_clash),
        cmocka_unit_test(test_write_file_set),
        cmocka_unit_test(test_run_workers),
        cmocka_unit_test(test_region_arg_check),
        cmocka_unit_test(test_input_build),
        cmocka_unit_test(test_region_filter),
        cmocka_unit_test(test_targets_build),
        cmocka_unit_test(test_evidence_load),
        cmocka_unit_test(test_cnv_load_sample),
        cmocka_unit_test(test_call_one_sample),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
