/* test_evclass.c -- unit tests of the evidence classes (evclass.c,
 * evclass_build.c): names, the class column of the model file and of the
 * calls table, the background of one class in a model of several, and one
 * fit per class from evidence tables.  Expected numbers are hand
 * computations written beside them (mu of a site fitted on its own:
 * (sum x + 0.5) / (sum n + 1), stats.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "vw_test.h"
#include "vw_test_bam.h"
#include "vafwatch/call.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/model.h"

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    return 0;
}

static void test_names(void **state)
{
    (void)state;
    char b[VW_EVCLASS_MAX];
    assert_string_equal(vw_evclass_name(VW_UNIT_FRAGMENT, 3, 1, b, sizeof b), "fragment");
    assert_string_equal(vw_evclass_name(VW_UNIT_READ, 1, 0, b, sizeof b), "read");
    assert_string_equal(vw_evclass_name(VW_UNIT_MOLECULE, 1, 0, b, sizeof b), "molecule");
    assert_string_equal(vw_evclass_name(VW_UNIT_MOLECULE, 0, 0, b, sizeof b), "molecule");
    assert_string_equal(vw_evclass_name(VW_UNIT_MOLECULE, 3, 0, b, sizeof b), "molecule_f3");
    assert_string_equal(vw_evclass_name(VW_UNIT_MOLECULE, 1, 1, b, sizeof b), "duplex");
    assert_string_equal(vw_evclass_name(VW_UNIT_MOLECULE, 12, 1, b, sizeof b), "duplex_f12");
    vw_sample_counts_t s = {.unit = VW_UNIT_MOLECULE, .min_family = 2, .duplex_only = 1};
    assert_string_equal(vw_evclass_of_sample(&s, b, sizeof b), "duplex_f2");
    /* parse: every name written above reads back to its values */
    static const struct { const char *s; int u, mf, dx; } ok[] = {
        {"fragment", VW_UNIT_FRAGMENT, 1, 0}, {"read", VW_UNIT_READ, 1, 0}, {"molecule", VW_UNIT_MOLECULE, 1, 0},
        {"molecule_f3", VW_UNIT_MOLECULE, 3, 0}, {"duplex", VW_UNIT_MOLECULE, 1, 1},
        {"duplex_f1000", VW_UNIT_MOLECULE, 1000, 1}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int u = -1, mf = -1, dx = -1;
        assert_int_equal(vw_evclass_parse(ok[i].s, &u, &mf, &dx), 0);
        assert_int_equal(u, ok[i].u);
        assert_int_equal(mf, ok[i].mf);
        assert_int_equal(dx, ok[i].dx);
        assert_string_equal(vw_evclass_name(u, mf, dx, b, sizeof b), ok[i].s);
    }
    static const char *const bad[] = {"", "Fragment", "molecule_f1", "molecule_f", "molecule_f03", "duplex_f1001",
                                      "duplex_fx", "molecule_f3x", "molecules", "duplex-f3", "molecule_f-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int u = 7, mf = 7, dx = 7;
        assert_int_equal(vw_evclass_parse(bad[i], &u, &mf, &dx), VW_EPARSE);
        assert_int_equal(u + mf + dx, 21); /* untouched */
    }
    int u, mf, dx;
    assert_int_equal(vw_evclass_parse(NULL, &u, &mf, &dx), VW_EPARSE);
}

#define MODEL_HEAD "##vafwatch_model=1\n##n_normals=3\n" \
    "#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy"

/* A model of two classes: find, list, check, and the file written back byte for byte. */
static void test_model_classes(void **state)
{
    (void)state;
    char path[] = "test_evclass_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *text = MODEL_HEAD "\tclass\n"
        "chr7\t100\tG\tA\tT0\t3\t3000\t3\t0.001\t0.0001\tno\tmolecule\n"
        "chr7\t100\tG\tA\tT0\t3\t1500\t0\t0.0002\t0.0001\tno\tduplex\n"
        "chr7\t200\tC\tT\tT1\t3\t3000\t9\t0.003\t0.0002\tyes\tmolecule\n";
    vw_test_put(path, text);
    vw_model_t *m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), 0);
    assert_int_equal(m->n, 3);
    assert_string_equal(m->s[1].ev_class, "duplex");
    assert_int_equal(vw_evclass_find(m, "molecule", "7", 100, "G", "A"), 0);
    assert_int_equal(vw_evclass_find(m, "duplex", "chr7", 100, "G", "A"), 1);
    assert_int_equal(vw_evclass_find(m, "duplex", "chr7", 200, "C", "T"), -1); /* no duplex row there */
    assert_int_equal(vw_evclass_find(m, NULL, "chr7", 200, "C", "T"), 2);
    assert_int_equal(vw_evclass_find(m, "molecule", "chr7", 100, "G", "C"), -1);
    char list[64];
    assert_int_equal(vw_evclass_list(m, list, sizeof list), 2);
    assert_string_equal(list, "molecule, duplex");
    assert_int_equal(vw_evclass_list(m, list, 5), 2); /* cut short, still terminated */
    assert_string_equal(list, "mole");
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_evclass_check(m, path, "duplex", "S"), 1);
    assert_int_equal(vw_evclass_check(m, path, "fragment", "S"), VW_EINPUT);
    /* written back: the same text after the version line */
    FILE *sink = tmpfile();
    assert_int_equal(vw_model_write_tsv(sink, m, NULL, 0), 0);
    rewind(sink);
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, sink);
    buf[n] = '\0';
    fclose(sink);
    assert_string_equal(buf, text);
    vw_model_destroy(m);
    /* a file without the class column: one class, every class served, no list */
    vw_test_put(path, MODEL_HEAD "\nchr7\t100\tG\tA\tT0\t3\t3000\t3\t0.001\t0.0001\tno\n");
    m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), 0);
    assert_null(m->s[0].ev_class);
    assert_int_equal(vw_evclass_find(m, "duplex", "chr7", 100, "G", "A"), 0);
    assert_int_equal(vw_evclass_list(m, list, sizeof list), 0);
    assert_string_equal(list, "");
    assert_int_equal(vw_evclass_check(m, path, "duplex", "S"), 0);
    vw_model_destroy(m);
    /* a bad class name: the file, line and column */
    vw_test_put(path, MODEL_HEAD "\tclass\nchr7\t100\tG\tA\tT0\t3\t3000\t3\t0.001\t0.0001\tno\tduplx\n");
    m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), VW_EPARSE);
    vw_model_destroy(m);
    vw_log_set_level(VW_LOG_WARN);
    unlink(path);
}

/* The messages vw_evclass_check_sample() logs for sample s in class cls
 * (NULL: its own), into buf; returns its result. */
static int check_sample_log(const vw_model_t *m, const char *path, const char *cls, const vw_sample_counts_t *s,
                            char *buf, size_t n)
{
    FILE *sink = tmpfile();
    assert_non_null(sink);
    vw_log_set_level(VW_LOG_WARN);
    vw_log_set_sink(sink);
    int r = vw_evclass_check_sample(m, path, cls, s);
    vw_log_set_sink(NULL);
    rewind(sink);
    size_t k = fread(buf, 1, n - 1, sink);
    buf[k] = '\0';
    fclose(sink);
    return r;
}

/* The checks of call and run: the class asked for in a model of several
 * classes, the warning when it is not the sample's own; a one-class model
 * against its '##options=' line. */
static void test_check_sample(void **state)
{
    (void)state;
    char path[] = "test_evclass_chk_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    vw_test_put(path, MODEL_HEAD "\tclass\n"
               "chr7\t100\tG\tA\tT0\t3\t3000\t3\t0.001\t0.0001\tno\tmolecule\n"
               "chr7\t100\tG\tA\tT0\t3\t1500\t0\t0.0002\t0.0001\tno\tduplex\n");
    vw_model_t *m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), 0);
    vw_sample_counts_t s;
    memset(&s, 0, sizeof s);
    s.sample = "S1";
    s.unit = VW_UNIT_MOLECULE;
    s.min_family = 1;
    char log[1024];
    /* its own class (molecule): nothing said */
    assert_int_equal(check_sample_log(m, path, NULL, &s, log, sizeof log), 0);
    assert_string_equal(log, "");
    /* --class duplex: held, with a warning that it is not the sample's class */
    assert_int_equal(check_sample_log(m, path, "duplex", &s, log, sizeof log), 0);
    assert_non_null(strstr(log, "warning: sample S1 holds molecule counts; --class duplex takes the background of another class"));
    /* a class the model lacks: an error naming the file and the classes */
    assert_int_equal(check_sample_log(m, path, "molecule_f3", &s, log, sizeof log), VW_EINPUT);
    assert_non_null(strstr(log, ": the model has no background of evidence class molecule_f3 (sample S1); it holds: "
                                "molecule, duplex (count the sample in one of them, or choose one with --class)"));
    assert_non_null(strstr(log, path));
    s.unit = VW_UNIT_FRAGMENT;
    assert_int_equal(check_sample_log(m, path, NULL, &s, log, sizeof log), VW_EINPUT);
    vw_model_destroy(m);
    /* one class, families >= 2 by its options line: a molecule sample of families >= 1 is warned about */
    vw_test_put(path, "##vafwatch_model=1\n##options=vaf_max=0.1;count_unit=molecule;min_family=2;duplex_only=0\n"
               "#chrom\tpos\tref\talt\tid\tn_normals\tdepth_total\talt_total\tmu\trho\tnoisy\n"
               "chr7\t100\tG\tA\tT0\t3\t3000\t3\t0.001\t0.0001\tno\n");
    m = vw_model_init();
    assert_int_equal(vw_model_read_tsv(m, path), 0);
    s.unit = VW_UNIT_MOLECULE;
    assert_int_equal(check_sample_log(m, path, NULL, &s, log, sizeof log), 0);
    assert_non_null(strstr(log, "sample S1 holds molecule (families >= 1) counts but the model"));
    assert_non_null(strstr(log, "was built from molecule (families >= 2) counts"));
    s.min_family = 2; /* the same class: nothing said */
    assert_int_equal(check_sample_log(m, path, NULL, &s, log, sizeof log), 0);
    assert_string_equal(log, "");
    s.min_family = 1; /* --class given: the options line is not compared */
    assert_int_equal(check_sample_log(m, path, "molecule", &s, log, sizeof log), 0);
    assert_string_equal(log, "");
    vw_model_destroy(m);
    unlink(path);
}

/* The calls table's class column: written ("fragment" for none), read back;
 * an older table without the column reads as NULL. */
static void test_calls_class(void **state)
{
    (void)state;
    vw_calls_t *cs = vw_calls_init();
    for (int i = 0; i < 2; i++) {
        vw_call_t c;
        memset(&c, 0, sizeof c);
        c.sample = "S1"; c.chrom = "chr1"; c.ref = "C"; c.alt = "T"; c.id = "x"; c.gene = "G";
        c.protein = "p.X"; c.cdna = "c.X";
        c.pos1 = 100 + i;
        c.depth = 1000; c.ref_count = 999; c.alt_count = 1;
        c.vaf = 0.001; c.vaf_lo = 0.0001; c.vaf_hi = 0.005; c.p_value = 0.5; c.q_value = 0.5; c.lod95 = 0.004;
        c.bg_error = 1e-4; c.copies_per_ml = NAN;
        c.ev_class = i ? "duplex_f2" : NULL;
        assert_int_equal(vw_calls_push(cs, &c), 0);
    }
    char path[] = "test_evclass_calls_XXXXXX";
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    assert_int_equal(vw_calls_write_tsv(fp, cs), 0);
    fclose(fp);
    vw_calls_t *back = vw_calls_init();
    assert_int_equal(vw_calls_read_tsv(back, path), 0);
    assert_int_equal(back->n, 2);
    assert_string_equal(back->c[0].ev_class, "fragment");
    assert_string_equal(back->c[1].ev_class, "duplex_f2");
    vw_calls_destroy(back);
    /* a bad class: refused; no class column: NULL */
    FILE *in = fopen(path, "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, in);
    text[n] = '\0';
    fclose(in);
    char *p = strstr(text, "duplex_f2");
    assert_non_null(p);
    memcpy(p, "duplex_fX", 9);
    vw_test_put(path, text);
    back = vw_calls_init();
    vw_log_set_level(VW_LOG_QUIET);
    assert_int_equal(vw_calls_read_tsv(back, path), VW_EPARSE);
    vw_log_set_level(VW_LOG_WARN);
    vw_calls_destroy(back);
    /* the table without its last column (class): read back with no class */
    char older[4096];
    size_t k = 0;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n'), *tab = line, *t;
        while ((t = memchr(tab, '\t', (size_t)(nl - tab))) != NULL)
            tab = t + 1;
        memcpy(older + k, line, (size_t)(tab - 1 - line));
        k += (size_t)(tab - 1 - line);
        older[k++] = '\n';
        line = nl + 1;
    }
    older[k] = '\0';
    assert_null(strstr(older, "class"));
    vw_test_put(path, older);
    back = vw_calls_init();
    assert_int_equal(vw_calls_read_tsv(back, path), 0);
    assert_int_equal(back->n, 2);
    assert_null(back->c[0].ev_class);
    assert_null(back->c[1].ev_class);
    vw_calls_destroy(back);
    vw_calls_destroy(cs);
    unlink(path);
}

/* n SNVs T0 .. at chr7:1001 + i, G>A */
static vw_targets_t *mk_targets(int n) { return vw_test_targets(n, "chr7", 1000, "G", "A"); }

/* A normal counted in class (min_family, duplex_only): alt[i] of depth[i] molecules. */
static vw_sample_counts_t *mk_normal(const vw_targets_t *ts, const char *name, int mf, int dx, const long *alt,
                                     const long *depth)
{
    vw_sample_counts_t *s = calloc(1, sizeof(*s));
    s->sample = strdup(name);
    s->path = strdup("mem");
    s->n = ts->n;
    s->unit = VW_UNIT_MOLECULE;
    s->min_family = mf;
    s->duplex_only = dx;
    s->c = calloc((size_t)ts->n, sizeof(vw_count_t));
    s->chrom = calloc((size_t)ts->n, sizeof(char *));
    for (int i = 0; i < ts->n; i++) {
        s->chrom[i] = strdup("chr7");
        s->c[i].assessed = 1;
        s->c[i].depth = depth[i];
        s->c[i].alt = alt[i];
        s->c[i].ref = depth[i] - alt[i];
    }
    return s;
}

/* vw_evclass_build on evidence tables of two classes (no BAM: nothing is
 * counted again): one fit per class, each on its own normals. */
static void test_build_tables(void **state)
{
    (void)state;
    vw_targets_t *ts = mk_targets(2);
    /* molecule: T0 x = 1,0,2 of 1000 each, T1 x = 0,0,0 of 1000
     * duplex:   T0 x = 0,0,0 of 400 each,  T1 x = 1,0,0 of 400 */
    long ma[3][2] = {{1, 0}, {0, 0}, {2, 0}}, da[3][2] = {{0, 1}, {0, 0}, {0, 0}};
    long md[2] = {1000, 1000}, dd[2] = {400, 400};
    vw_sample_counts_t *mol[3], *dup[3];
    for (int j = 0; j < 3; j++) {
        char name[8];
        snprintf(name, sizeof name, "M%d", j);
        mol[j] = mk_normal(ts, name, 1, 0, ma[j], md);
        snprintf(name, sizeof name, "D%d", j);
        dup[j] = mk_normal(ts, name, 1, 1, da[j], dd);
    }
    char pa[] = "test_evclass_a_XXXXXX", pb[] = "test_evclass_b_XXXXXX";
    int fa = mkstemp(pa), fb = mkstemp(pb);
    FILE *a = fdopen(fa, "w"), *b = fdopen(fb, "w");
    assert_int_equal(vw_count_write_tsv(a, ts, mol, 3), 0);
    assert_int_equal(vw_count_write_tsv(b, ts, dup, 3), 0);
    fclose(a);
    fclose(b);
    vw_target_opt_t to;
    memset(&to, 0, sizeof to);
    vw_count_opt_t co;
    vw_count_opt_init(&co);
    co.unit = VW_UNIT_MOLECULE;
    vw_model_opt_t mo;
    vw_model_opt_init(&mo);
    mo.shrink = 0; /* each site on its own: the hand values below */
    mo.min_depth = 0;
    char *files[2] = {pa, pb};
    vw_model_t *m = vw_model_init();
    vw_evidence_t ev;
    memset(&ev, 0, sizeof ev);
    assert_int_equal(vw_evclass_build(&to, &co, files, 2, &mo, m, &ev), 0);
    assert_int_equal(ev.n, 6);
    assert_int_equal(m->n, 4);
    char list[64];
    assert_int_equal(vw_evclass_list(m, list, sizeof list), 2);
    assert_string_equal(list, "molecule, duplex");
    int k = vw_evclass_find(m, "molecule", "chr7", 1001, "G", "A");
    assert_true(k >= 0);
    assert_int_equal(m->s[k].depth_total, 3000);
    assert_int_equal(m->s[k].alt_total, 3);
    assert_rel(m->s[k].mu, 3.5 / 3001, 1e-9);
    k = vw_evclass_find(m, "duplex", "chr7", 1001, "G", "A");
    assert_int_equal(m->s[k].depth_total, 1200);
    assert_int_equal(m->s[k].alt_total, 0);
    assert_rel(m->s[k].mu, 0.5 / 1201, 1e-9);
    k = vw_evclass_find(m, "duplex", "chr7", 1002, "G", "A");
    assert_int_equal(m->s[k].alt_total, 1);
    assert_rel(m->s[k].mu, 1.5 / 1201, 1e-9);
    assert_int_equal(vw_evclass_find(m, "molecule_f3", "chr7", 1002, "G", "A"), -1);
    vw_evidence_free(&ev);
    vw_model_destroy(m);
    for (int j = 0; j < 3; j++) {
        vw_sample_counts_destroy(mol[j]);
        vw_sample_counts_destroy(dup[j]);
    }
    vw_targets_destroy(ts);
    unlink(pa);
    unlink(pb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_model_classes),
        cmocka_unit_test(test_check_sample),
        cmocka_unit_test(test_calls_class),
        cmocka_unit_test(test_build_tables),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
