/* test_pipeline.c -- the run chain called through the library
 * (vafwatch/pipeline.h), without the command line: the return codes, the
 * progress callbacks, the recorded command line and the reports' date.  The cohort is the one
 * of tests/cli/test_outset.sh: six one-site VCF draws (four plasma, two
 * normals), hand-counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vw_test.h"
#include "vafwatch/log.h"
#include "vafwatch/pipeline.h"

typedef struct {
    int n_start, n_step, n_end, n_draws;
    int64_t reads;
} prog_t;

static void p_start(void *ctx, int n) { ((prog_t *)ctx)->n_start++, ((prog_t *)ctx)->n_draws = n; }
static void p_step(void *ctx, int64_t reads) { ((prog_t *)ctx)->n_step++, ((prog_t *)ctx)->reads += reads; }
static void p_end(void *ctx) { ((prog_t *)ctx)->n_end++; }

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    vw_test_put(p, text);
}

/* the one-site VCF of a draw with 'ref' and 'alt' reads */
static void put_vcf(const char *dir, int i, int ref, int alt)
{
    char name[32], text[1024];
    snprintf(name, sizeof(name), "v%d.vcf", i);
    snprintf(text, sizeof(text),
             "##fileformat=VCFv4.2\n##contig=<ID=sim1,length=2000>\n"
             "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"d\">\n"
             "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"d\">\n"
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tX\n"
             "sim1\t1000\t.\tC\tT\t.\tPASS\t.\tAD:DP\t%d,%d:%d\n", ref, alt, ref + alt);
    put(dir, name, text);
}

static int file_has(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof(line), fp))
        found = strstr(line, needle) != NULL;
    fclose(fp);
    return found;
}

static void test_run_library(void **state)
{
    (void)state;
    char dir[] = "/tmp/vw_test_pipeline_XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chdir(dir), 0); /* the sheet's paths are relative to the working directory */
    put(".", "t.tsv", "chrom\tpos\tref\talt\tid\nsim1\t1000\tC\tT\tT1\n");
    for (int i = 1; i <= 6; i++)
        put_vcf(".", i, 1000 + i, i * 3);
    put(".", "two.tsv",
        "patient\tsample\tdate\tfile\ttype\nP1\tS1\t2023-01-05\tv1.vcf\tplasma\nP1\tS2\t2023-03-01\tv2.vcf\tplasma\n"
        "P2\tS3\t2023-01-05\tv3.vcf\tplasma\nP2\tS4\t2023-03-01\tv4.vcf\tplasma\nN\tN1\t2023-01-01\tv5.vcf\tnormal\n"
        "N\tN2\t2023-01-02\tv6.vcf\tnormal\n");
    put(".", "events.tsv",
        "patient\tdate\tevent\tdetail\nP1\t2023-01-01\ttreatment_start\tx\nP2\t2023-01-01\ttreatment_start\tx\n");

    const char *targets[] = {"t.tsv"};
    prog_t pr = {0};
    vw_pipeline_opt_t o;
    memset(&o, 0, sizeof(o));
    o.sheet = "two.tsv";
    o.events = "events.tsv";
    o.outdir = "out";
    o.to.targets = targets;
    o.to.n_targets = 1;
    o.to.no_builtin = 1;
    vw_count_opt_init(&o.copt);
    vw_call_opt_init(&o.cl);
    vw_track_opt_init(&o.topt);
    o.threads = 2;
    o.flank = 50;
    o.use_cache = 1;
    o.command = "pipeline-unit-test";
    o.progress = (vw_pipeline_progress_t){p_start, p_step, p_end, &pr};
    vw_log_set_level(VW_LOG_ERROR);

    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);
    /* six rows in the sheet: one start with 6, six steps, one end; one
     * record read from each VCF */
    assert_int_equal(pr.n_start, 1);
    assert_int_equal(pr.n_draws, 6);
    assert_int_equal(pr.n_step, 6);
    assert_int_equal(pr.n_end, 1);
    assert_int_equal(pr.reads, 6);
    assert_int_equal(file_has("out/vafwatch.track.tsv", "T1"), 1);
    /* the command line recorded is the option, not the process's */
    assert_int_equal(file_has("out/vafwatch.model.tsv", "##command=pipeline-unit-test"), 1);

    /* again: every draw from the cache, so no record read */
    memset(&pr, 0, sizeof(pr));
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);
    assert_int_equal(pr.n_step, 6);
    assert_int_equal(pr.reads, 0);

    /* the reports' date: given (day 19782 = 2024-02-29, `date -u -d @$((19782 * 86400))`),
     * a bad SOURCE_DATE_EPOCH then not read; none; left to SOURCE_DATE_EPOCH (a bad one is a
     * usage error found before counting) */
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    o.report_date_set = 1;
    o.report_date = 19782;
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);
    assert_int_equal(file_has("out/report/vafwatch.report.json", "\"report_date\": \"2024-02-29\""), 1);
    o.report_date = VW_DATE_NONE;
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);
    assert_int_equal(file_has("out/report/vafwatch.report.json", "\"report_date\": null"), 1);
    o.report_date_set = 0;
    memset(&pr, 0, sizeof(pr));
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_USAGE);
    assert_int_equal(pr.n_start, 0);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1); /* 2023-11-14 */
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);
    assert_int_equal(file_has("out/report/vafwatch.report.json", "\"report_date\": \"2023-11-14\""), 1);
    unsetenv("SOURCE_DATE_EPOCH");

    /* --no-builtin without targets is a usage error, found before counting */
    memset(&pr, 0, sizeof(pr));
    o.to.n_targets = 0;
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_USAGE);
    assert_int_equal(pr.n_start, 0);

    /* no callbacks at all is fine */
    o.to.n_targets = 1;
    o.use_cache = 0;
    memset(&o.progress, 0, sizeof(o.progress));
    assert_int_equal(vw_pipeline_run(&o), VW_PIPELINE_OK);

    assert_int_equal(chdir("/"), 0);
    assert_int_equal(vw_test_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_library),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
