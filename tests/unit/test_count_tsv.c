/* test_count_tsv.c -- the evidence table read back (count_tsv.c): the
 * '#count_unit' lines that give a sample's evidence class are read in the
 * same pass as the rows, by vw_count_read_tsv() and vw_count_read_cache().
 *
 * Every expected value is read off the hand-written tables below. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vw_test.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"

static char dir[] = "/tmp/vw_test_count_tsv_XXXXXX";
static char tgt_path[600];

static const char *hdr = "#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count"
                         "\tother_count\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
                         "\tref_median_fraglen\talt_median_fraglen\n";

/* one row of target sim1:101 C>T for 'sample': 10 fragments, 7 ref, 3 alt */
static void put_row(FILE *fp, const char *sample)
{
    fprintf(fp, "%s\tsim1\t101\tC\tT\tsnv\tG\tp.X\tc.X\t10\t7\t3\t0\t0\t4\t3\t2\t1\t30\t60\t160\t140\n", sample);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(tgt_path, sizeof tgt_path, "%s/t.tsv", dir);
    FILE *fp = fopen(tgt_path, "w");
    if (!fp)
        return -1;
    fputs("chrom\tpos\tref\talt\tid\nsim1\t101\tC\tT\tsnv\n", fp);
    fclose(fp);
    vw_log_set_level(VW_LOG_ERROR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(tgt_path);
    rmdir(dir);
    return 0;
}

static vw_targets_t *load_targets(void)
{
    vw_targets_t *ts = vw_targets_init();
    assert_non_null(ts);
    assert_int_equal(vw_targets_load(ts, tgt_path, NULL), 0);
    return ts;
}

static const vw_sample_counts_t *by_name(vw_sample_counts_t **v, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i]->sample, name) == 0)
            return v[i];
    fail_msg("no sample %s", name);
    return NULL;
}

/* A sample counted in molecules gets its unit, minimum family and duplex
 * setting back from its '#count_unit' line; samples without one, with a
 * malformed one, or whose line follows the first data row, stay fragment
 * counts.  A second line of the same sample wins (the lines are applied in
 * file order). */
static void test_units(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    char path[700];
    snprintf(path, sizeof path, "%s/units.tsv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(hdr, fp);
    fputs("#count_unit\tA\tmolecule\t3\t1\n"
          "#count_unit\tB\tfragment\t1\t0\n"  /* not 'molecule': a comment */
          "#count_unit\tC\tmolecule\tx\t0\n"  /* not a number: a comment */
          "#count_unit\tE\tmolecule\t2\t0\n"
          "#count_unit\tE\tmolecule\t4\t0\n"  /* E: the later line wins */
          "#count_unit\tF\tmolecule\t2\t0\textra\n", fp); /* six fields: a comment */
    put_row(fp, "A");
    fputs("#count_unit\tD\tmolecule\t2\t0\n", fp); /* after the first row: a comment */
    put_row(fp, "B");
    put_row(fp, "C");
    put_row(fp, "D");
    put_row(fp, "E");
    put_row(fp, "F");
    assert_int_equal(fclose(fp), 0);
    vw_sample_counts_t **v = NULL;
    int nv = 0;
    assert_int_equal(vw_count_read_tsv(path, ts, &v, &nv, NULL), 0);
    assert_int_equal(nv, 6);
    const vw_sample_counts_t *a = by_name(v, nv, "A");
    assert_int_equal(a->unit, VW_UNIT_MOLECULE);
    assert_int_equal(a->min_family, 3);
    assert_int_equal(a->duplex_only, 1);
    assert_int_equal(a->c[0].alt, 3); /* the row itself is read as before */
    const vw_sample_counts_t *e = by_name(v, nv, "E");
    assert_int_equal(e->unit, VW_UNIT_MOLECULE);
    assert_int_equal(e->min_family, 4);
    assert_int_equal(e->duplex_only, 0);
    const char *frag[] = {"B", "C", "D", "F"};
    for (int k = 0; k < 4; k++)
        assert_int_equal(by_name(v, nv, frag[k])->unit, VW_UNIT_FRAGMENT);
    for (int i = 0; i < nv; i++)
        vw_sample_counts_destroy(v[i]);
    free(v);
    unlink(path);
    vw_targets_destroy(ts);
}

/* What vw_count_write_tsv() and vw_count_write_cache() write reads back
 * with the same class: the table through vw_count_read_tsv(), the cache
 * entry (gzip-free, one sample) through vw_count_read_cache(). */
static void test_units_round_trip(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    char path[700], cache[700];
    snprintf(path, sizeof path, "%s/mol.tsv", dir);
    snprintf(cache, sizeof cache, "%s/mol.cache.tsv", dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(hdr, fp);
    put_row(fp, "M");
    put_row(fp, "N");
    assert_int_equal(fclose(fp), 0);
    vw_sample_counts_t **v = NULL;
    int nv = 0;
    assert_int_equal(vw_count_read_tsv(path, ts, &v, &nv, NULL), 0);
    assert_int_equal(nv, 2);
    assert_int_equal(v[0]->unit, VW_UNIT_FRAGMENT);
    v[0]->unit = VW_UNIT_MOLECULE; /* M: duplex molecules of families >= 2; N: fragments */
    v[0]->min_family = 2;
    v[0]->duplex_only = 1;
    assert_non_null(fp = fopen(path, "w"));
    assert_int_equal(vw_count_write_tsv(fp, ts, v, nv), 0);
    assert_int_equal(fclose(fp), 0);
    assert_non_null(fp = fopen(cache, "w"));
    assert_int_equal(vw_count_write_cache(fp, ts, v[0], "k"), 0);
    assert_int_equal(fclose(fp), 0);
    vw_sample_counts_t **w = NULL;
    int nw = 0;
    assert_int_equal(vw_count_read_tsv(path, ts, &w, &nw, NULL), 0);
    assert_int_equal(nw, 2);
    assert_string_equal(w[0]->sample, "M");
    assert_int_equal(w[0]->unit, VW_UNIT_MOLECULE);
    assert_int_equal(w[0]->min_family, 2);
    assert_int_equal(w[0]->duplex_only, 1);
    assert_int_equal(w[1]->unit, VW_UNIT_FRAGMENT);
    vw_sample_counts_t *c = NULL;
    assert_int_equal(vw_count_read_cache(cache, ts, "k", &c), 1);
    assert_int_equal(c->unit, VW_UNIT_MOLECULE);
    assert_int_equal(c->min_family, 2);
    assert_int_equal(c->duplex_only, 1);
    vw_sample_counts_destroy(c);
    for (int i = 0; i < nv; i++)
        vw_sample_counts_destroy(v[i]);
    for (int i = 0; i < nw; i++)
        vw_sample_counts_destroy(w[i]);
    free(v);
    free(w);
    unlink(path);
    unlink(cache);
    vw_targets_destroy(ts);
}

/* The table comes from a pipe, which can be read once: the class is still
 * known (a second pass over the file would find it empty). */
static void test_units_from_pipe(void **state)
{
    (void)state;
    vw_targets_t *ts = load_targets();
    char fifo[700];
    snprintf(fifo, sizeof fifo, "%s/pipe.tsv", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *fp = fopen(fifo, "w");
        if (!fp)
            _exit(1);
        fputs(hdr, fp);
        fputs("#count_unit\tP\tmolecule\t5\t0\n", fp);
        put_row(fp, "P");
        _exit(fclose(fp) == 0 ? 0 : 1);
    }
    vw_sample_counts_t **v = NULL;
    int nv = 0;
    assert_int_equal(vw_count_read_tsv(fifo, ts, &v, &nv, NULL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(nv, 1);
    assert_int_equal(v[0]->unit, VW_UNIT_MOLECULE);
    assert_int_equal(v[0]->min_family, 5);
    vw_sample_counts_destroy(v[0]);
    free(v);
    unlink(fifo);
    vw_targets_destroy(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_units_round_trip),
        cmocka_unit_test(test_units_from_pipe),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
