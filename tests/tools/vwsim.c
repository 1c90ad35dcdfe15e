/*
 * vwsim.c -- the project's read simulator: cfDNA read pairs with known
 * mutant fragments at known fractions, and the exact truth of what it wrote.
 *
 *   vwsim -r RECIPE.tsv -o PREFIX [--seed N] [--fragments N] [--sample NAME]
 *         [--format bam|sam|cram] [--single-end] [--error-rate F] [--dup-rate F]
 *   vwsim umi -o PREFIX [options]   the UMI simulator (vwsim_umi.c: original
 *         molecules, PCR families, duplex strands; PREFIX.truth.tsv per site)
 *
 * Writes PREFIX.bam (+ .bai; or .cram + .crai, or .sam), PREFIX.truth.tsv,
 * PREFIX.cn_truth.tsv when a copy-number key is used, and,
 * when the recipe says "write_fasta 1", PREFIX.fa (+ .fai).  The recipe format
 * and the truth definitions are described in usage() below and in
 * testdata/sim/README.md.
 *
 * This program is an independent source of truth for the vafwatch counting
 * engine: it links only htslib and libm, never the vafwatch library, and it
 * computes the truth from the reads as it generates them, not by re-reading
 * its output.
 *
 * Coordinates: the recipe is 1-based and inclusive (like VCF); everything
 * inside is 0-based and half-open (hts_pos_t beg/end).  "origin" offsets in
 * the fragment machinery are 0-based offsets from the start of the window.
 *
 * Memory: per window, fragments are generated in start order (one stream of
 * sorted uniform starts per fragment class and length, merged by a heap), and
 * the reads that cannot be written yet wait in a second min-heap keyed by
 * position.  Memory is bounded by the number of reads whose mates are still to
 * come, never by the total number of fragments.
 *
 * Exit status: 0 success (also -h), 1 data or runtime error, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#define VWSIM_VERSION "1.0"

#define EXIT_USAGE 2

#define FRAG_MIN 40            /* fragment length is truncated to [FRAG_MIN, FRAG_MAX] */
#define FRAG_MAX 1000
#define INDEL_MAX 30           /* longest simulated insertion or deletion */
#define READ_MAX 1000
#define CUSTOM_MAX 100000000   /* longest custom contig (its sequence is held in memory) */

/* ------------------------------------------------------------------------
 * Reporting
 * ------------------------------------------------------------------------ */

static void error_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void error_msg(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("vwsim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* "vwsim: RECIPE:LINE: message"; line 0 (something missing) gives "vwsim: RECIPE: message" */
static void recipe_error(const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void recipe_error(const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    if (line > 0) fprintf(stderr, "vwsim: %s:%d: ", path, line);
    else fprintf(stderr, "vwsim: %s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* ------------------------------------------------------------------------
 * Random numbers: xoshiro256** seeded through splitmix64.  Every stream is
 * derived from (seed, stream id), so the reference of a window does not
 * depend on how many fragments are drawn, and windows are independent.
 * ------------------------------------------------------------------------ */

typedef struct { uint64_t s[4]; } rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL + 0x8bb84b93962eacc9ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

/* uniform in [0,1) */
static inline double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* uniform in (0,1] */
static inline double rng_unif_pos(rng_t *r) { return (double)((rng_next(r) >> 11) + 1) * 0x1.0p-53; }

/* uniform integer in [0,n), n > 0, without modulo bias */
static uint64_t rng_below(rng_t *r, uint64_t n)
{
    uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;
    do x = rng_next(r); while (x >= lim);
    return x % n;
}

/* standard normal, Marsaglia's polar method */
static double rng_normal(rng_t *r)
{
    double u, v, s;
    do {
        u = 2.0 * rng_unif(r) - 1.0;
        v = 2.0 * rng_unif(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

/* ------------------------------------------------------------------------
 * Genome builds (primary assembly; chrM is the rCRS in both builds)
 * ------------------------------------------------------------------------ */

enum { BUILD_NONE = 0, BUILD_GRCH37, BUILD_GRCH38, BUILD_CUSTOM };

static const struct { const char *core; hts_pos_t len37, len38; } build_contigs[] = {
    {"1", 249250621, 248956422}, {"2", 243199373, 242193529},
    {"3", 198022430, 198295559}, {"4", 191154276, 190214555},
    {"5", 180915260, 181538259}, {"6", 171115067, 170805979},
    {"7", 159138663, 159345973}, {"8", 146364022, 145138636},
    {"9", 141213431, 138394717}, {"10", 135534747, 133797422},
    {"11", 135006516, 135086622}, {"12", 133851895, 133275309},
    {"13", 115169878, 114364328}, {"14", 107349540, 107043718},
    {"15", 102531392, 101991189}, {"16", 90354753, 90338345},
    {"17", 81195210, 83257441}, {"18", 78077248, 80373285},
    {"19", 59128983, 58617616}, {"20", 63025520, 64444167},
    {"21", 48129895, 46709983}, {"22", 51304566, 50818468},
    {"X", 155270560, 156040895}, {"Y", 59373566, 57227415},
    {"M", 16569, 16569},
};
#define N_BUILD_CONTIGS ((int)(sizeof(build_contigs) / sizeof(build_contigs[0])))

/* ------------------------------------------------------------------------
 * Recipe records
 * ------------------------------------------------------------------------ */

typedef struct {
    char *name;
    hts_pos_t len;
    char *seq;          /* custom builds: the whole simulated contig; else NULL */
    int line;
} contig_t;

typedef struct {
    char *cname; int tid;
    hts_pos_t beg, end; /* 0-based half-open */
    int line;
    int idx;            /* 1-based, in output order (used in read names) */
    char *seq;          /* reference bases of [beg,end) */
    int own_seq;
    /* sequence context for repeat windows (the whole contig for custom
     * builds): ctx[0] is the base at ctx_beg */
    const char *ctx; hts_pos_t ctx_beg, ctx_end;
    int *site; int n_site;   /* sites inside, in position order */
    int *var; int n_var;     /* variants inside */
    double p_mut;            /* probability that a fragment carries >= 1 variant */
    double cn;               /* tumour copy number of the window (2 unless a copy_number line says) */
    double pcn;              /* plasma copy number 2 + TF*(cn - 2) */
    double n_expected;       /* expected fragments: base x pcn/2 */
    int64_t n_frag;          /* fragments drawn in this window */
    int max_ins;             /* total inserted bases if every insertion is carried */
} window_t;

typedef struct {
    char *cname; int tid;
    hts_pos_t beg;      /* 0-based */
    char *seq; int len;
    int line;
} forced_t;

enum { VAR_SUB = 0, VAR_DEL, VAR_INS };

typedef struct {
    int64_t frag_ref, frag_alt, frag_other, frag_disc;
    int64_t read_ref, read_alt, read_other;
    int64_t frag_alt_fwd, frag_alt_rev;
} truth_t;

typedef struct {
    char *cname; int tid;
    hts_pos_t pos;      /* 0-based position of REF[0] */
    char *ref, *alt; int l_ref, l_alt;
    double frac;
    int place_right;
    int line;
    int type;
    int win, site;
    /* allele window [wl,wr): REF span for substitutions, the repeat-equivalence
     * window for indels; wseq_ref/wseq_alt are the two alleles over it */
    hts_pos_t wl, wr;
    char *wseq_ref, *wseq_alt; int l_wref, l_walt;
    /* footprint: reference positions a read needs to look at */
    hts_pos_t fp_beg, fp_end;
    /* the edit the reads carry: replace [ebeg, ebeg+elen) with ealt */
    hts_pos_t ebeg; int elen; char *ealt; int l_ealt;
    truth_t t;
} variant_t;

/* a copy_number segment: the windows inside it get n x pCN/2 fragments */
typedef struct {
    char *cname; int tid;
    hts_pos_t beg, end; /* 0-based half-open */
    double cn;
    int line;
} cnseg_t;

typedef struct {
    int tid; hts_pos_t pos;
    int n; int *var;    /* variants at the site */
    double sum;         /* sum of their fractions */
} site_t;

enum { FMT_BAM = 0, FMT_SAM, FMT_CRAM };

/* read_style: plain (constant qualities, short names, RG and MC only), or
 * like a bwa-mem BAM of Illumina reads: instrument names, qualities from
 * the model of illumina_quals() (full range, or binned to 2/12/23/37 as
 * NovaSeq writes them), errors drawn from those qualities, and the tags
 * NM, MD, MC, AS, XS, RG. */
enum { STYLE_PLAIN = 0, STYLE_ILLUMINA, STYLE_ILLUMINA_BINNED };

typedef struct {
    /* settings (recipe, then command line) */
    uint64_t seed;
    char *sample;
    int build, naming_nochr, naming_line, build_line;
    int read_length;
    int64_t fragments;
    double frag_mean, frag_sd, mut_mean, mut_sd;
    double error_rate;
    int base_quality, mapq;
    double dup_rate;
    int write_fasta, write_fasta_line;
    int single_end, format, threads;
    double frag_per_kb;     /* > 0: a window gets frag_per_kb x length/1000 fragments, not 'fragments' */
    double tumour_fraction; /* TF of copy_number segments [0] */
    int poisson;            /* fragment_count poisson: draw each window's count from a Poisson law */
    int cn_truth;           /* write PREFIX.cn_truth.tsv (any of the copy-number keys was used) */
    int read_style;         /* STYLE_PLAIN, or an Illumina-like style (names, qualities, bwa-mem tags) */

    const char *recipe;
    char *cmdline;

    contig_t *ctg; int n_ctg, m_ctg;
    window_t *win; int n_win, m_win;
    forced_t *fs; int n_fs, m_fs;
    variant_t *var; int n_var, m_var;
    site_t *site; int n_site;
    cnseg_t *cns; int n_cns, m_cns;
} sim_t;

#define GROW(p, n, m) do {                                                    \
    if ((n) == (m)) {                                                         \
        int m2_ = (m) ? 2 * (m) : 8;                                          \
        void *p2_ = realloc((p), (size_t)m2_ * sizeof(*(p)));                 \
        if (!p2_) { error_msg("out of memory"); return -1; }                  \
        (p) = p2_; (m) = m2_;                                                 \
    }                                                                         \
} while (0)

static void sim_init(sim_t *S)
{
    memset(S, 0, sizeof(*S));
    S->seed = 1;
    S->read_length = 100;
    S->fragments = 1000;
    S->frag_mean = 167; S->frag_sd = 20;
    S->mut_mean = 145; S->mut_sd = 15;
    S->base_quality = 37;
    S->mapq = 60;
}

static void sim_destroy(sim_t *S)
{
    free(S->sample); free(S->cmdline);
    for (int i = 0; i < S->n_ctg; i++) { free(S->ctg[i].name); free(S->ctg[i].seq); }
    for (int i = 0; i < S->n_win; i++) {
        window_t *w = &S->win[i];
        free(w->cname); free(w->site); free(w->var);
        if (w->own_seq) free(w->seq);
    }
    for (int i = 0; i < S->n_fs; i++) { free(S->fs[i].cname); free(S->fs[i].seq); }
    for (int i = 0; i < S->n_var; i++) {
        variant_t *v = &S->var[i];
        free(v->cname); free(v->ref); free(v->alt);
        free(v->wseq_ref); free(v->wseq_alt); free(v->ealt);
    }
    for (int i = 0; i < S->n_site; i++) free(S->site[i].var);
    for (int i = 0; i < S->n_cns; i++) free(S->cns[i].cname);
    free(S->cns);
    free(S->ctg); free(S->win); free(S->fs); free(S->var); free(S->site);
}

/* ------------------------------------------------------------------------
 * Recipe parsing.  Logs on failure ("vwsim: RECIPE:LINE: message").
 * ------------------------------------------------------------------------ */

static int parse_int64(const char *s, int64_t *ret)
{
    char *end;
    if (!*s) return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return -1;
    *ret = v;
    return 0;
}

static int parse_uint64(const char *s, uint64_t *ret)
{
    char *end;
    if (!*s || *s == '-' || *s == '+') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *ret = v;
    return 0;
}

static int parse_double(const char *s, double *ret)
{
    char *end;
    if (!*s) return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v)) return -1;
    *ret = v;
    return 0;
}

/* Splits at runs of blanks (tab or space); returns the number of fields,
 * or m + 1 if there are more than m. */
static int split_blank(char *s, char **f, int m)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') *s++ = 0;
        if (!*s) break;
        if (n == m) return m + 1;
        f[n++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') s++;
    }
    return n;
}

/* Upper-cases s in place; returns 0 if it is a non-empty string of ACGT. */
static int check_acgt(char *s)
{
    if (!*s) return -1;
    for (; *s; s++) {
        char c = (char)(*s & ~0x20);
        if (c != 'A' && c != 'C' && c != 'G' && c != 'T') return -1;
        *s = c;
    }
    return 0;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) error_msg("out of memory");
    return d;
}

enum { K_SEED, K_SAMPLE, K_BUILD, K_NAMING, K_READ_LENGTH, K_FRAGMENTS, K_FRAG_MEAN,
       K_FRAG_SD, K_MUT_MEAN, K_MUT_SD, K_ERROR_RATE, K_BASE_QUALITY, K_MAPQ,
       K_DUP_RATE, K_WRITE_FASTA, K_FRAG_PER_KB, K_TUMOUR_FRACTION, K_FRAGMENT_COUNT, K_READ_STYLE,
       K_N_SCALAR };

static const char *scalar_keys[K_N_SCALAR] = {
    "seed", "sample", "build", "naming", "read_length", "fragments", "frag_mean",
    "frag_sd", "mut_frag_mean", "mut_frag_sd", "error_rate", "base_quality", "mapq",
    "dup_rate", "write_fasta", "fragments_per_kb", "tumour_fraction", "fragment_count", "read_style"
};

/* Parses one scalar setting; returns 0 or -1 (logged). */
static int parse_scalar(sim_t *S, int k, char *val, const char *path, int ln)
{
    int64_t i = 0;
    double d = 0;
    switch (k) {
    case K_SEED:
        if (parse_uint64(val, &S->seed) == 0) return 0;
        recipe_error(path, ln, "seed must be a non-negative integer, not '%s'", val);
        return -1;
    case K_SAMPLE:
        free(S->sample);
        if (!(S->sample = xstrdup(val))) return -1;
        return 0;
    case K_BUILD:
        if (strcasecmp(val, "GRCh37") == 0) S->build = BUILD_GRCH37;
        else if (strcasecmp(val, "GRCh38") == 0) S->build = BUILD_GRCH38;
        else if (strcasecmp(val, "custom") == 0) S->build = BUILD_CUSTOM;
        else {
            recipe_error(path, ln, "build must be GRCh37, GRCh38 or custom, not '%s'", val);
            return -1;
        }
        S->build_line = ln;
        return 0;
    case K_NAMING:
        if (strcmp(val, "chr") == 0) S->naming_nochr = 0;
        else if (strcmp(val, "nochr") == 0) S->naming_nochr = 1;
        else {
            recipe_error(path, ln, "naming must be chr or nochr, not '%s'", val);
            return -1;
        }
        S->naming_line = ln;
        return 0;
    case K_READ_LENGTH:
        if (parse_int64(val, &i) == 0 && i >= 10 && i <= READ_MAX) { S->read_length = (int)i; return 0; }
        recipe_error(path, ln, "read_length must be an integer from 10 to %d, not '%s'", READ_MAX, val);
        return -1;
    case K_FRAGMENTS:
        if (parse_int64(val, &i) == 0 && i >= 0 && i <= 1000000000) { S->fragments = i; return 0; }
        recipe_error(path, ln, "fragments must be an integer from 0 to 1e9, not '%s'", val);
        return -1;
    case K_FRAG_MEAN: case K_MUT_MEAN:
        if (parse_double(val, &d) == 0 && d >= FRAG_MIN && d <= FRAG_MAX) {
            *(k == K_FRAG_MEAN ? &S->frag_mean : &S->mut_mean) = d;
            return 0;
        }
        recipe_error(path, ln, "%s must be a number from %d to %d, not '%s'",
                     scalar_keys[k], FRAG_MIN, FRAG_MAX, val);
        return -1;
    case K_FRAG_SD: case K_MUT_SD:
        if (parse_double(val, &d) == 0 && d >= 0 && d <= FRAG_MAX) {
            *(k == K_FRAG_SD ? &S->frag_sd : &S->mut_sd) = d;
            return 0;
        }
        recipe_error(path, ln, "%s must be a number from 0 to %d, not '%s'", scalar_keys[k], FRAG_MAX, val);
        return -1;
    case K_ERROR_RATE:
        if (parse_double(val, &d) == 0 && d >= 0 && d < 1) { S->error_rate = d; return 0; }
        recipe_error(path, ln, "error_rate must be a number in [0,1), not '%s'", val);
        return -1;
    case K_DUP_RATE:
        if (parse_double(val, &d) == 0 && d >= 0 && d <= 1) { S->dup_rate = d; return 0; }
        recipe_error(path, ln, "dup_rate must be a number in [0,1], not '%s'", val);
        return -1;
    case K_BASE_QUALITY:
        if (parse_int64(val, &i) == 0 && i >= 0 && i <= 93) { S->base_quality = (int)i; return 0; }
        recipe_error(path, ln, "base_quality must be an integer from 0 to 93, not '%s'", val);
        return -1;
    case K_MAPQ:
        if (parse_int64(val, &i) == 0 && i >= 0 && i <= 254) { S->mapq = (int)i; return 0; }
        recipe_error(path, ln, "mapq must be an integer from 0 to 254, not '%s'", val);
        return -1;
    case K_WRITE_FASTA:
        if (strcmp(val, "0") == 0 || strcmp(val, "1") == 0) {
            S->write_fasta = val[0] == '1';
            S->write_fasta_line = ln;
            return 0;
        }
        recipe_error(path, ln, "write_fasta must be 0 or 1, not '%s'", val);
        return -1;
    case K_FRAG_PER_KB:
        S->cn_truth = 1;
        if (parse_double(val, &d) == 0 && d > 0 && d <= 1e6) { S->frag_per_kb = d; return 0; }
        recipe_error(path, ln, "fragments_per_kb must be a number in (0,1e6], not '%s'", val);
        return -1;
    case K_TUMOUR_FRACTION:
        S->cn_truth = 1;
        if (parse_double(val, &d) == 0 && d >= 0 && d <= 1) { S->tumour_fraction = d; return 0; }
        recipe_error(path, ln, "tumour_fraction must be a number in [0,1], not '%s'", val);
        return -1;
    case K_FRAGMENT_COUNT:
        if (strcmp(val, "fixed") == 0 || strcmp(val, "poisson") == 0) {
            S->poisson = val[0] == 'p';
            return 0;
        }
        recipe_error(path, ln, "fragment_count must be fixed or poisson, not '%s'", val);
        return -1;
    case K_READ_STYLE:
        if (strcmp(val, "plain") == 0) S->read_style = STYLE_PLAIN;
        else if (strcmp(val, "illumina") == 0) S->read_style = STYLE_ILLUMINA;
        else if (strcmp(val, "illumina_binned") == 0) S->read_style = STYLE_ILLUMINA_BINNED;
        else {
            recipe_error(path, ln, "read_style must be plain, illumina or illumina_binned, not '%s'", val);
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

/* Reads the recipe into S (names unresolved).  Logs on failure. */
static int recipe_read(sim_t *S, const char *path)
{
    int ret = -1, ln = 0, seen[K_N_SCALAR] = {0};
    size_t m = 0;
    char *line = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        error_msg("cannot open recipe '%s': %s", path, strerror(errno));
        return -1;
    }
    while (getline(&line, &m, fp) >= 0) {
        char *f[9], *h;
        int nf, k;
        int64_t a, b;
        ln++;
        if ((h = strchr(line, '#')) != NULL) *h = 0;
        if ((nf = split_blank(line, f, 8)) == 0) continue;
        for (k = 0; k < K_N_SCALAR; k++)
            if (strcmp(f[0], scalar_keys[k]) == 0) break;
        if (k < K_N_SCALAR) {
            if (nf != 2) { recipe_error(path, ln, "'%s' takes exactly one value", f[0]); goto out; }
            if (seen[k]) { recipe_error(path, ln, "'%s' is already set on line %d", f[0], seen[k]); goto out; }
            seen[k] = ln;
            if (parse_scalar(S, k, f[1], path, ln) < 0) goto out;
        } else if (strcmp(f[0], "contig") == 0) {
            if (nf != 3) { recipe_error(path, ln, "usage: contig NAME LENGTH"); goto out; }
            if (parse_int64(f[2], &a) < 0 || a < 1 || a > CUSTOM_MAX) {
                recipe_error(path, ln, "contig length must be an integer from 1 to %d, not '%s'", CUSTOM_MAX, f[2]);
                goto out;
            }
            for (int i = 0; i < S->n_ctg; i++)
                if (strcmp(S->ctg[i].name, f[1]) == 0) {
                    recipe_error(path, ln, "contig '%s' is already defined on line %d", f[1], S->ctg[i].line);
                    goto out;
                }
            for (const char *c = f[1]; *c; c++)
                if (*c < '!' || *c > '~' || (c == f[1] && (*c == '*' || *c == '='))) {
                    recipe_error(path, ln, "'%s' is not a valid contig name", f[1]);
                    goto out;
                }
            GROW(S->ctg, S->n_ctg, S->m_ctg);
            contig_t *c = &S->ctg[S->n_ctg];
            memset(c, 0, sizeof(*c));
            if (!(c->name = xstrdup(f[1]))) goto out;
            c->len = a; c->line = ln;
            S->n_ctg++;
        } else if (strcmp(f[0], "window") == 0) {
            if (nf != 4) { recipe_error(path, ln, "usage: window CONTIG START END (1-based, inclusive)"); goto out; }
            if (parse_int64(f[2], &a) < 0 || parse_int64(f[3], &b) < 0 || a < 1 || b < a) {
                recipe_error(path, ln, "window needs integers 1 <= START <= END, not '%s' '%s'", f[2], f[3]);
                goto out;
            }
            if (b - a + 1 < FRAG_MIN) {
                recipe_error(path, ln, "window is %" PRId64 " bp, shorter than the minimum fragment (%d bp)",
                             b - a + 1, FRAG_MIN);
                goto out;
            }
            GROW(S->win, S->n_win, S->m_win);
            window_t *w = &S->win[S->n_win];
            memset(w, 0, sizeof(*w));
            if (!(w->cname = xstrdup(f[1]))) goto out;
            w->beg = a - 1; w->end = b; w->line = ln; w->tid = -1;
            S->n_win++;
        } else if (strcmp(f[0], "copy_number") == 0) {
            double cn;
            if (nf != 5) { recipe_error(path, ln, "usage: copy_number CONTIG START END CN (1-based, inclusive)"); goto out; }
            if (parse_int64(f[2], &a) < 0 || parse_int64(f[3], &b) < 0 || a < 1 || b < a) {
                recipe_error(path, ln, "copy_number needs integers 1 <= START <= END, not '%s' '%s'", f[2], f[3]);
                goto out;
            }
            if (parse_double(f[4], &cn) < 0 || cn < 0 || cn > 1000) {
                recipe_error(path, ln, "copy number must be a number from 0 to 1000, not '%s'", f[4]);
                goto out;
            }
            GROW(S->cns, S->n_cns, S->m_cns);
            cnseg_t *c = &S->cns[S->n_cns];
            memset(c, 0, sizeof(*c));
            if (!(c->cname = xstrdup(f[1]))) goto out;
            c->beg = a - 1; c->end = b; c->cn = cn; c->line = ln; c->tid = -1;
            S->n_cns++;
            S->cn_truth = 1;
        } else if (strcmp(f[0], "refseq") == 0) {
            if (nf != 4) { recipe_error(path, ln, "usage: refseq CONTIG POS BASES"); goto out; }
            if (parse_int64(f[2], &a) < 0 || a < 1) {
                recipe_error(path, ln, "refseq position must be a positive integer, not '%s'", f[2]);
                goto out;
            }
            if (check_acgt(f[3]) < 0) { recipe_error(path, ln, "refseq bases must be A, C, G or T, not '%s'", f[3]); goto out; }
            GROW(S->fs, S->n_fs, S->m_fs);
            forced_t *r = &S->fs[S->n_fs];
            memset(r, 0, sizeof(*r));
            r->cname = xstrdup(f[1]);
            r->seq = xstrdup(f[3]);
            if (!r->cname || !r->seq) { free(r->cname); free(r->seq); goto out; }
            r->beg = a - 1; r->len = (int)strlen(f[3]); r->line = ln; r->tid = -1;
            S->n_fs++;
        } else if (strcmp(f[0], "variant") == 0) {
            double fr;
            int place_right = 0;
            if (nf != 6 && nf != 7) {
                recipe_error(path, ln, "usage: variant CONTIG POS REF ALT FRACTION [place=left|right]");
                goto out;
            }
            if (parse_int64(f[2], &a) < 0 || a < 1) {
                recipe_error(path, ln, "variant position must be a positive integer, not '%s'", f[2]);
                goto out;
            }
            if (check_acgt(f[3]) < 0) { recipe_error(path, ln, "REF must be A, C, G or T bases, not '%s'", f[3]); goto out; }
            if (check_acgt(f[4]) < 0) { recipe_error(path, ln, "ALT must be A, C, G or T bases, not '%s'", f[4]); goto out; }
            if (parse_double(f[5], &fr) < 0 || fr < 0 || fr > 1) {
                recipe_error(path, ln, "fraction must be a number in [0,1], not '%s'", f[5]);
                goto out;
            }
            if (nf == 7) {
                if (strcmp(f[6], "place=left") == 0) place_right = 0;
                else if (strcmp(f[6], "place=right") == 0) place_right = 1;
                else { recipe_error(path, ln, "7th column must be place=left or place=right, not '%s'", f[6]); goto out; }
            }
            size_t lr = strlen(f[3]), la = strlen(f[4]);
            int type;
            if (lr == la) {
                if (strcmp(f[3], f[4]) == 0) { recipe_error(path, ln, "REF and ALT are equal"); goto out; }
                type = VAR_SUB;
            } else {
                if ((lr > 1 && la > 1) || f[3][0] != f[4][0]) {
                    recipe_error(path, ln, "indels must be VCF-anchored (REF and ALT share the first base, "
                                 "one of them is that base only); '%s>%s' is not supported", f[3], f[4]);
                    goto out;
                }
                type = lr > la ? VAR_DEL : VAR_INS;
                if ((type == VAR_DEL ? lr : la) - 1 > INDEL_MAX) {
                    recipe_error(path, ln, "indels longer than %d bp are not supported", INDEL_MAX);
                    goto out;
                }
            }
            GROW(S->var, S->n_var, S->m_var);
            variant_t *v = &S->var[S->n_var];
            memset(v, 0, sizeof(*v));
            v->cname = xstrdup(f[1]); v->ref = xstrdup(f[3]); v->alt = xstrdup(f[4]);
            if (!v->cname || !v->ref || !v->alt) { free(v->cname); free(v->ref); free(v->alt); goto out; }
            v->l_ref = (int)lr; v->l_alt = (int)la;
            v->pos = a - 1; v->frac = fr; v->place_right = place_right; v->line = ln;
            v->type = type; v->tid = -1;
            S->n_var++;
        } else {
            recipe_error(path, ln, "unknown key '%s'", f[0]);
            goto out;
        }
    }
    if (ferror(fp)) { error_msg("error reading '%s': %s", path, strerror(errno)); goto out; }
    ret = 0;
out:
    free(line);
    fclose(fp);
    return ret;
}

/* ------------------------------------------------------------------------
 * Resolution and validation of the recipe: contigs, windows, reference,
 * variants, sites.  Logs on failure.
 * ------------------------------------------------------------------------ */

static int build_core_index(const char *name)
{
    const char *core = strncmp(name, "chr", 3) == 0 ? name + 3 : name;
    if (strcmp(core, "MT") == 0) core = "M";
    for (int i = 0; i < N_BUILD_CONTIGS; i++)
        if (strcmp(core, build_contigs[i].core) == 0) return i;
    return -1;
}

static int contig_tid(const sim_t *S, const char *name)
{
    if (S->build != BUILD_CUSTOM)
        return build_core_index(name);
    for (int i = 0; i < S->n_ctg; i++)
        if (strcmp(S->ctg[i].name, name) == 0) return i;
    return -1;
}

static int setup_contigs(sim_t *S)
{
    const char *p = S->recipe;
    if (S->build == BUILD_NONE) {
        if (S->n_ctg == 0) {
            recipe_error(p, 0, "no 'build' line (GRCh37, GRCh38 or custom)");
            return -1;
        }
        S->build = BUILD_CUSTOM;
    }
    if (S->build != BUILD_CUSTOM) {
        if (S->n_ctg > 0) {
            recipe_error(p, S->ctg[0].line, "'contig' lines need 'build custom'");
            return -1;
        }
        if (S->write_fasta) {
            recipe_error(p, S->write_fasta_line, "write_fasta 1 needs 'build custom' (a simulated "
                         "GRCh37/GRCh38 would be gigabytes of random bases)");
            return -1;
        }
        for (int i = 0; i < N_BUILD_CONTIGS; i++) {
            GROW(S->ctg, S->n_ctg, S->m_ctg);
            contig_t *c = &S->ctg[S->n_ctg];
            const char *core = build_contigs[i].core;
            char name[8];
            memset(c, 0, sizeof(*c));
            if (S->naming_nochr) snprintf(name, sizeof(name), "%s", strcmp(core, "M") == 0 ? "MT" : core);
            else snprintf(name, sizeof(name), "chr%s", core);
            if (!(c->name = xstrdup(name))) return -1;
            c->len = S->build == BUILD_GRCH37 ? build_contigs[i].len37 : build_contigs[i].len38;
            S->n_ctg++;
        }
    } else {
        if (S->n_ctg == 0) {
            recipe_error(p, S->build_line, "'build custom' needs at least one 'contig NAME LENGTH' line");
            return -1;
        }
        if (S->naming_line) {
            recipe_error(p, S->naming_line, "'naming' applies to GRCh37/GRCh38 only");
            return -1;
        }
    }
    return 0;
}

static int cmp_window(const void *a, const void *b)
{
    const window_t *x = a, *y = b;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    if (x->beg != y->beg) return x->beg < y->beg ? -1 : 1;
    return 0;
}

/* Fills 'n' random bases. */
static void random_bases(rng_t *r, char *s, hts_pos_t n)
{
    static const char acgt[4] = {'A', 'C', 'G', 'T'};
    hts_pos_t i = 0;
    while (i < n) {
        uint64_t x = rng_next(r);
        for (int k = 0; k < 32 && i < n; k++, x >>= 2)
            s[i++] = acgt[x & 3];
    }
}

/* Poisson(mean) by sums of Poisson(<= 16) parts drawn by Knuth's product of
 * uniforms: exact, and fast enough for the means of a simulated panel. */
static int64_t rng_poisson(rng_t *r, double mean)
{
    int64_t n = 0;
    while (mean > 0) {
        double part = mean > 16 ? 16 : mean, lim = exp(-part), p = 1;
        mean -= part;
        for (;;) {
            p *= rng_unif(r);
            if (p <= lim) break;
            n++;
        }
    }
    return n;
}

/* Copy-number segments: resolved, not overlapping each other, each window
 * inside one segment or outside all; then each window's fragment count. */
static int setup_copy_number(sim_t *S)
{
    const char *p = S->recipe;
    for (int i = 0; i < S->n_cns; i++) {
        cnseg_t *c = &S->cns[i];
        if ((c->tid = contig_tid(S, c->cname)) < 0) {
            recipe_error(p, c->line, "unknown contig '%s'", c->cname);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (S->cns[j].tid == c->tid && c->beg < S->cns[j].end && S->cns[j].beg < c->end) {
                recipe_error(p, c->line, "copy_number segment overlaps the one on line %d", S->cns[j].line);
                return -1;
            }
    }
    for (int i = 0; i < S->n_win; i++) {
        window_t *w = &S->win[i];
        w->cn = 2;
        for (int j = 0; j < S->n_cns; j++) {
            const cnseg_t *c = &S->cns[j];
            if (c->tid != w->tid || c->end <= w->beg || w->end <= c->beg)
                continue;
            if (w->beg < c->beg || w->end > c->end) {
                recipe_error(p, c->line, "copy_number segment cuts the window on line %d (a window must lie "
                             "inside one segment or outside all)", w->line);
                return -1;
            }
            w->cn = c->cn;
        }
        w->pcn = 2 + S->tumour_fraction * (w->cn - 2);
        double base = S->frag_per_kb > 0 ? S->frag_per_kb * (double)(w->end - w->beg) / 1000.0 : (double)S->fragments;
        w->n_expected = base * w->pcn / 2;
        if (S->poisson) {
            rng_t r;
            rng_seed(&r, S->seed, 0x400000ULL + (uint64_t)i + 1);
            w->n_frag = rng_poisson(&r, w->n_expected);
        } else {
            w->n_frag = (int64_t)llround(w->n_expected);
        }
    }
    return 0;
}

static int setup_windows(sim_t *S)
{
    const char *p = S->recipe;
    if (S->n_win == 0) {
        recipe_error(p, 0, "no 'window' line: there is nowhere to put fragments");
        return -1;
    }
    for (int i = 0; i < S->n_win; i++) {
        window_t *w = &S->win[i];
        if ((w->tid = contig_tid(S, w->cname)) < 0) {
            recipe_error(p, w->line, "unknown contig '%s'", w->cname);
            return -1;
        }
        if (w->end > S->ctg[w->tid].len) {
            recipe_error(p, w->line, "window end %" PRId64 " is past the end of %s (%" PRId64 " bp)",
                         (int64_t)w->end, S->ctg[w->tid].name, (int64_t)S->ctg[w->tid].len);
            return -1;
        }
    }
    qsort(S->win, (size_t)S->n_win, sizeof(window_t), cmp_window);
    for (int i = 1; i < S->n_win; i++) {
        window_t *a = &S->win[i - 1], *b = &S->win[i];
        if (a->tid == b->tid && b->beg < a->end) {
            int l1 = a->line < b->line ? a->line : b->line, l2 = a->line < b->line ? b->line : a->line;
            recipe_error(p, l2, "window overlaps the window on line %d", l1);
            return -1;
        }
    }
    if (setup_copy_number(S) < 0)
        return -1;
    /* reference sequence */
    if (S->build == BUILD_CUSTOM) {
        for (int i = 0; i < S->n_ctg; i++) {
            contig_t *c = &S->ctg[i];
            rng_t r;
            if (!(c->seq = malloc((size_t)c->len + 1))) { error_msg("out of memory"); return -1; }
            rng_seed(&r, S->seed, 0x100000ULL + (uint64_t)i);
            random_bases(&r, c->seq, c->len);
            c->seq[c->len] = 0;
        }
    }
    for (int i = 0; i < S->n_win; i++) {
        window_t *w = &S->win[i];
        w->idx = i + 1;
        if (S->build == BUILD_CUSTOM) {
            contig_t *c = &S->ctg[w->tid];
            w->seq = c->seq + w->beg;
            w->ctx = c->seq; w->ctx_beg = 0; w->ctx_end = c->len;
        } else {
            rng_t r;
            if (!(w->seq = malloc((size_t)(w->end - w->beg) + 1))) { error_msg("out of memory"); return -1; }
            w->own_seq = 1;
            rng_seed(&r, S->seed, 0x200000ULL + (uint64_t)i);
            random_bases(&r, w->seq, w->end - w->beg);
            w->seq[w->end - w->beg] = 0;
            w->ctx = w->seq;
            w->ctx_beg = w->beg; w->ctx_end = w->end;
        }
    }
    return 0;
}

/* Index of the window holding [beg,end) on tid, or -1. */
static int find_window(const sim_t *S, int tid, hts_pos_t beg, hts_pos_t end)
{
    for (int i = 0; i < S->n_win; i++) {
        const window_t *w = &S->win[i];
        if (w->tid == tid && w->beg <= beg && end <= w->end) return i;
    }
    return -1;
}

/* Pointer to the simulated base at pos (within a window, or anywhere on a custom contig). */
static char *ref_ptr(sim_t *S, int tid, hts_pos_t pos)
{
    if (S->build == BUILD_CUSTOM) return S->ctg[tid].seq + pos;
    int w = find_window(S, tid, pos, pos + 1);
    return w < 0 ? NULL : S->win[w].seq + (pos - S->win[w].beg);
}

static int cmp_forced(const void *a, const void *b)
{
    const forced_t *x = a, *y = b;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    if (x->beg != y->beg) return x->beg < y->beg ? -1 : 1;
    return x->line - y->line;
}

/* Forces refseq bases and every variant's REF into the simulated reference. */
static int setup_forced(sim_t *S)
{
    const char *p = S->recipe;
    for (int i = 0; i < S->n_fs; i++) {
        forced_t *f = &S->fs[i];
        if ((f->tid = contig_tid(S, f->cname)) < 0) {
            recipe_error(p, f->line, "unknown contig '%s'", f->cname);
            return -1;
        }
        if (f->beg + f->len > S->ctg[f->tid].len) {
            recipe_error(p, f->line, "refseq runs past the end of %s", S->ctg[f->tid].name);
            return -1;
        }
        if (S->build != BUILD_CUSTOM && find_window(S, f->tid, f->beg, f->beg + f->len) < 0) {
            recipe_error(p, f->line, "refseq must lie inside one window (only windows are simulated "
                         "for GRCh37/GRCh38)");
            return -1;
        }
    }
    for (int i = 0; i < S->n_var; i++) {
        variant_t *v = &S->var[i];
        if ((v->tid = contig_tid(S, v->cname)) < 0) {
            recipe_error(p, v->line, "unknown contig '%s'", v->cname);
            return -1;
        }
        if ((v->win = find_window(S, v->tid, v->pos, v->pos + v->l_ref)) < 0) {
            recipe_error(p, v->line, "variant REF %s:%" PRId64 "-%" PRId64 " is not inside one window",
                         S->ctg[v->tid].name, (int64_t)v->pos + 1, (int64_t)(v->pos + v->l_ref));
            return -1;
        }
        GROW(S->fs, S->n_fs, S->m_fs);
        forced_t *f = &S->fs[S->n_fs];
        memset(f, 0, sizeof(*f));
        f->tid = v->tid; f->beg = v->pos; f->len = v->l_ref; f->line = v->line;
        if (!(f->seq = xstrdup(v->ref))) return -1;
        S->n_fs++;
    }
    if (S->n_fs > 1) qsort(S->fs, (size_t)S->n_fs, sizeof(forced_t), cmp_forced);
    for (int i = 0; i < S->n_fs; i++) {
        forced_t *a = &S->fs[i];
        for (int j = i + 1; j < S->n_fs; j++) {
            forced_t *b = &S->fs[j];
            if (b->tid != a->tid || b->beg >= a->beg + a->len) break;
            for (hts_pos_t q = b->beg; q < a->beg + a->len && q < b->beg + b->len; q++)
                if (a->seq[q - a->beg] != b->seq[q - b->beg]) {
                    const forced_t *lo = a->line < b->line ? a : b, *hi = a->line < b->line ? b : a;
                    recipe_error(p, hi->line, "reference base %c at %s:%" PRId64 " conflicts with %c from line %d",
                                 hi->seq[q - hi->beg], S->ctg[a->tid].name, (int64_t)q + 1,
                                 lo->seq[q - lo->beg], lo->line);
                    return -1;
                }
        }
    }
    for (int i = 0; i < S->n_fs; i++) {
        forced_t *f = &S->fs[i];
        char *d = ref_ptr(S, f->tid, f->beg);
        if (d) memcpy(d, f->seq, (size_t)f->len);
    }
    return 0;
}

static int cmp_var_pos(const void *a, const void *b)
{
    const variant_t *x = a, *y = b;
    if (x->tid != y->tid) return x->tid < y->tid ? -1 : 1;
    if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
    return x->line - y->line;
}

static char *concat3(const char *a, int la, const char *b, int lb, const char *c, int lc, int *ret_len)
{
    char *s = malloc((size_t)(la + lb + lc) + 1);
    if (!s) { error_msg("out of memory"); return NULL; }
    memcpy(s, a, (size_t)la); memcpy(s + la, b, (size_t)lb); memcpy(s + la + lb, c, (size_t)lc);
    s[la + lb + lc] = 0;
    *ret_len = la + lb + lc;
    return s;
}

/* Computes the allele window, the footprint and the placed edit of v. */
static int setup_variant(sim_t *S, variant_t *v)
{
    const window_t *w = &S->win[v->win];
    hts_pos_t cb = w->ctx_beg, ce = w->ctx_end;
#define REF(p) (w->ctx[(p) - cb])
#define REFP(p) (w->ctx + ((p) - cb))

    if (v->type == VAR_SUB) {
        v->wl = v->pos; v->wr = v->pos + v->l_ref;
        v->fp_beg = v->wl; v->fp_end = v->wr;
        v->ebeg = v->pos; v->elen = v->l_ref;
        v->ealt = xstrdup(v->alt); v->l_ealt = v->l_alt;
        v->wseq_ref = xstrdup(v->ref); v->l_wref = v->l_ref;
        v->wseq_alt = xstrdup(v->alt); v->l_walt = v->l_alt;
        return v->ealt && v->wseq_ref && v->wseq_alt ? 0 : -1;
    }
    if (v->type == VAR_DEL) {
        /* deleting k bases at s gives the same haplotype as at s-1 when
         * ref[s-1] == ref[s+k-1], and as at s+1 when ref[s] == ref[s+k] */
        int k = v->l_ref - 1;
        hts_pos_t d = v->pos + 1, sl = d, sr = d;
        while (sl - 1 >= cb && REF(sl - 1) == REF(sl + k - 1)) sl--;
        while (sr + k < ce && REF(sr) == REF(sr + k)) sr++;
        v->wl = sl; v->wr = sr + k;
        v->ebeg = v->place_right ? sr : sl; v->elen = k;
        v->ealt = xstrdup(""); v->l_ealt = 0;
        if (!v->ealt) return -1;
        int la = (int)(v->ebeg - v->wl), lb = (int)(v->wr - v->ebeg - k);
        v->wseq_alt = concat3(REFP(v->wl), la, "", 0, REFP(v->ebeg + k), lb, &v->l_walt);
    } else {
        /* inserting I before x equals inserting rot(I) before x-1 when
         * ref[x-1] == I[last], and rot'(I) before x+1 when ref[x] == I[0] */
        int k = v->l_alt - 1;
        char *il = malloc((size_t)k + 1), *ir = malloc((size_t)k + 1);
        if (!il || !ir) { free(il); free(ir); error_msg("out of memory"); return -1; }
        memcpy(il, v->alt + 1, (size_t)k); il[k] = 0;
        memcpy(ir, v->alt + 1, (size_t)k); ir[k] = 0;
        hts_pos_t x = v->pos + 1, xl = x, xr = x;
        while (xl - 1 >= cb && REF(xl - 1) == il[k - 1]) {
            memmove(il + 1, il, (size_t)k - 1);
            il[0] = REF(xl - 1);
            xl--;
        }
        while (xr < ce && REF(xr) == ir[0]) {
            memmove(ir, ir + 1, (size_t)k - 1);
            ir[k - 1] = REF(xr);
            xr++;
        }
        v->wl = xl; v->wr = xr;
        v->ebeg = v->place_right ? xr : xl; v->elen = 0;
        v->ealt = v->place_right ? ir : il; v->l_ealt = k;
        free(v->place_right ? il : ir);
        int la = (int)(v->ebeg - v->wl), lb = (int)(v->wr - v->ebeg);
        v->wseq_alt = concat3(REFP(v->wl), la, v->ealt, k, REFP(v->ebeg), lb, &v->l_walt);
    }
    if (!v->wseq_alt) return -1;
    v->wseq_ref = concat3(REFP(v->wl), (int)(v->wr - v->wl), "", 0, "", 0, &v->l_wref);
    if (!v->wseq_ref) return -1;
    v->fp_beg = v->wl - 1; v->fp_end = v->wr + 1;
    return 0;
#undef REF
#undef REFP
}

static int setup_variants(sim_t *S)
{
    const char *p = S->recipe;
    /* sort by position; window indices were set against the sorted windows */
    if (S->n_var > 1) qsort(S->var, (size_t)S->n_var, sizeof(variant_t), cmp_var_pos);
    for (int i = 0; i < S->n_var; i++)
        if (setup_variant(S, &S->var[i]) < 0) return -1;
    for (int i = 0; i < S->n_var; i++) {
        variant_t *a = &S->var[i];
        for (int j = 0; j < S->n_var; j++) {
            variant_t *b = &S->var[j];
            if (j == i || a->tid != b->tid) continue;
            if (a->pos == b->pos) {
                if (j > i && strcmp(a->ref, b->ref) == 0 && strcmp(a->alt, b->alt) == 0) {
                    recipe_error(p, b->line > a->line ? b->line : a->line,
                                 "duplicate variant (also on line %d)", b->line > a->line ? a->line : b->line);
                    return -1;
                }
                continue;
            }
            if (j > i && a->fp_beg < b->fp_end && b->fp_beg < a->fp_end) {
                recipe_error(p, b->line > a->line ? b->line : a->line,
                             "variant overlaps the variant on line %d at a different site%s",
                             b->line > a->line ? a->line : b->line,
                             (a->type != VAR_SUB || b->type != VAR_SUB) ?
                             " (an indel's footprint is its repeat window plus one base each side)" : "");
                return -1;
            }
        }
    }
    /* sites: variants sharing a position */
    if (S->n_var && !(S->site = calloc((size_t)S->n_var, sizeof(site_t)))) { error_msg("out of memory"); return -1; }
    for (int i = 0; i < S->n_var; i++) {
        variant_t *v = &S->var[i];
        site_t *s;
        if (S->n_site > 0 && S->site[S->n_site - 1].tid == v->tid && S->site[S->n_site - 1].pos == v->pos) {
            s = &S->site[S->n_site - 1];
        } else {
            s = &S->site[S->n_site++];
            s->tid = v->tid; s->pos = v->pos;
            if (!(s->var = malloc((size_t)S->n_var * sizeof(int)))) { error_msg("out of memory"); return -1; }
        }
        s->var[s->n++] = i;
        s->sum += v->frac;
        v->site = (int)(s - S->site);
        if (s->sum > 1.0 + 1e-9) {
            recipe_error(p, v->line, "fractions at %s:%" PRId64 " add up to %g, more than 1",
                         S->ctg[v->tid].name, (int64_t)v->pos + 1, s->sum);
            return -1;
        }
    }
    /* per-window lists */
    for (int i = 0; i < S->n_win; i++) {
        window_t *w = &S->win[i];
        w->p_mut = 0;
        double p_wt = 1.0;
        if (S->n_var) {
            w->var = malloc((size_t)S->n_var * sizeof(int));
            w->site = malloc((size_t)S->n_var * sizeof(int));
            if (!w->var || !w->site) { error_msg("out of memory"); return -1; }
        }
        for (int j = 0; j < S->n_var; j++)
            if (S->var[j].win == i) {
                w->var[w->n_var++] = j;
                if (S->var[j].type == VAR_INS) w->max_ins += S->var[j].l_ealt;
            }
        for (int j = 0; j < S->n_site; j++)
            if (S->var[S->site[j].var[0]].win == i) {
                w->site[w->n_site++] = j;
                p_wt *= 1.0 - (S->site[j].sum > 1.0 ? 1.0 : S->site[j].sum);
            }
        w->p_mut = 1.0 - p_wt;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Output: a min-heap of reads waiting for their turn in coordinate order.
 * ------------------------------------------------------------------------ */

typedef struct {
    hts_pos_t pos, mpos, tlen;
    uint64_t serial;
    uint64_t cluster;   /* Illumina styles: lane, tile, x, y of the read's name (cluster_name()) */
    uint32_t win, frag;
    uint16_t flag, n_cigar, n_mcigar, l_seq;
    uint8_t xs;         /* Illumina styles: the XS tag */
    uint32_t data[];    /* cigar[n_cigar], mate cigar[n_mcigar], l_seq bases, then (Illumina styles) l_seq qualities */
} pread_t;

typedef struct {
    htsFile *fp;
    sam_hdr_t *hdr;
    bam1_t *b;
    pread_t **heap; size_t n, m;
    uint64_t serial;
    char *qual;
    kstring_t name, mc, md;
    int mapq, tid;
    int style;          /* read_style */
    const char *ref;    /* the bases of the window being written, from ref_beg */
    hts_pos_t ref_beg;
    const char *sample;
    uint64_t n_reads, n_dup_reads;
} writer_t;

static inline int pread_lt(const pread_t *a, const pread_t *b)
{
    return a->pos < b->pos || (a->pos == b->pos && a->serial < b->serial);
}

static int heap_push(writer_t *W, pread_t *r)
{
    if (W->n == W->m) {
        size_t m2 = W->m ? 2 * W->m : 1024;
        pread_t **h = realloc(W->heap, m2 * sizeof(*h));
        if (!h) return -1;
        W->heap = h; W->m = m2;
    }
    size_t i = W->n++;
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!pread_lt(r, W->heap[up])) break;
        W->heap[i] = W->heap[up];
        i = up;
    }
    W->heap[i] = r;
    return 0;
}

static pread_t *heap_pop(writer_t *W)
{
    pread_t *top = W->heap[0], *last = W->heap[--W->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= W->n) break;
        if (c + 1 < W->n && pread_lt(W->heap[c + 1], W->heap[c])) c++;
        if (!pread_lt(W->heap[c], last)) break;
        W->heap[i] = W->heap[c];
        i = c;
    }
    if (W->n > 0) W->heap[i] = last;
    return top;
}

static void cigar_str(kstring_t *s, const uint32_t *c, int n)
{
    ks_clear(s);
    for (int i = 0; i < n; i++) {
        kputw((int)bam_cigar_oplen(c[i]), s);
        kputc(bam_cigar_opchr(c[i]), s);
    }
}

/* A cluster's place on the flow cell, packed: lane (4 bits), tile (16), x, y (16 each). */
static uint64_t draw_cluster(rng_t *r)
{
    static const int surf[4] = {1101, 1201, 2101, 2201};
    uint64_t lane = 1 + rng_below(r, 4), tile = (uint64_t)surf[rng_below(r, 4)] + rng_below(r, 78);
    uint64_t x = 1000 + rng_below(r, 31000), y = 1000 + rng_below(r, 36000);
    return lane << 48 | tile << 32 | x << 16 | y;
}

/* instrument:run:flowcell:lane:tile:x:y, as Illumina names reads */
static void cluster_name(kstring_t *s, uint64_t c)
{
    ksprintf(s, "VW00731:214:HVWSIMDSX:%u:%u:%u:%u", (unsigned)(c >> 48), (unsigned)(c >> 32 & 0xffff),
             (unsigned)(c >> 16 & 0xffff), (unsigned)(c & 0xffff));
}

/* The tags bwa mem writes, from the read against the window's bases:
 * NM and MD as samtools calmd computes them, AS with bwa's default scores
 * (match 1, mismatch 4, a gap of k bases 6 + k), XS, RG. */
static int bwa_tags(writer_t *W, const pread_t *r, const uint32_t *cig, const char *seq)
{
    const char *ref = W->ref + (r->pos - W->ref_beg);
    int nm = 0, as = 0, run = 0, qi = 0;
    kstring_t *md = &W->md;
    ks_clear(md);
    for (int i = 0; i < r->n_cigar; i++) {
        int op = bam_cigar_op(cig[i]), len = (int)bam_cigar_oplen(cig[i]);
        if (op == BAM_CMATCH) {
            for (int j = 0; j < len; j++, qi++, ref++) {
                if (seq[qi] == *ref) { run++; as++; continue; }
                kputw(run, md); kputc(*ref, md);
                run = 0; nm++; as -= 4;
            }
        } else if (op == BAM_CINS) {
            qi += len; nm += len; as -= 6 + len;
        } else if (op == BAM_CDEL) {
            kputw(run, md); kputc('^', md); kputsn(ref, (size_t)len, md);
            ref += len; run = 0; nm += len; as -= 6 + len;
        }
    }
    kputw(run, md);
    int32_t nm32 = nm, as32 = as < 0 ? 0 : as, xs32 = r->xs;
    if (bam_aux_update_int(W->b, "NM", nm32) < 0
        || bam_aux_append(W->b, "MD", 'Z', (int)md->l + 1, (const uint8_t *)md->s) < 0)
        return -1;
    if (r->flag & BAM_FPAIRED) {
        cigar_str(&W->mc, cig + r->n_cigar, r->n_mcigar);
        if (bam_aux_append(W->b, "MC", 'Z', (int)W->mc.l + 1, (const uint8_t *)W->mc.s) < 0)
            return -1;
    }
    if (bam_aux_update_int(W->b, "AS", as32) < 0 || bam_aux_update_int(W->b, "XS", xs32) < 0)
        return -1;
    return bam_aux_append(W->b, "RG", 'Z', (int)strlen(W->sample) + 1, (const uint8_t *)W->sample);
}

static int write_read(writer_t *W, const pread_t *r)
{
    const uint32_t *cig = r->data, *mcig = r->data + r->n_cigar;
    const char *seq = (const char *)(r->data + r->n_cigar + r->n_mcigar);
    const char *qual = W->style == STYLE_PLAIN ? W->qual : seq + r->l_seq;
    int paired = (r->flag & BAM_FPAIRED) != 0;
    ks_clear(&W->name);
    if (W->style == STYLE_PLAIN) ksprintf(&W->name, "%s:%u:%u", (r->flag & BAM_FDUP) ? "dup" : "sim", r->win, r->frag);
    else cluster_name(&W->name, r->cluster);
    if (bam_set1(W->b, W->name.l, W->name.s, r->flag, W->tid, r->pos, (uint8_t)W->mapq,
                 r->n_cigar, cig, paired ? W->tid : -1, paired ? r->mpos : -1, r->tlen,
                 r->l_seq, seq, qual, 64 + strlen(W->sample)) < 0)
        return -1;
    if (W->style != STYLE_PLAIN) {
        if (bwa_tags(W, r, cig, seq) < 0) return -1;
    } else {
        if (bam_aux_append(W->b, "RG", 'Z', (int)strlen(W->sample) + 1, (const uint8_t *)W->sample) < 0)
            return -1;
        if (paired) {
            cigar_str(&W->mc, mcig, r->n_mcigar);
            if (bam_aux_append(W->b, "MC", 'Z', (int)W->mc.l + 1, (const uint8_t *)W->mc.s) < 0)
                return -1;
        }
    }
    if (sam_write1(W->fp, W->hdr, W->b) < 0) return -1;
    W->n_reads++;
    if (r->flag & BAM_FDUP) W->n_dup_reads++;
    return 0;
}

/* Writes every waiting read with pos <= upto. */
static int flush_reads(writer_t *W, hts_pos_t upto)
{
    while (W->n > 0 && W->heap[0]->pos <= upto) {
        pread_t *r = heap_pop(W);
        int rc = write_read(W, r);
        free(r);
        if (rc < 0) return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------
 * Fragment generation for one window
 * ------------------------------------------------------------------------ */

/* One stream of sorted uniform starts for fragments of one class and length. */
typedef struct {
    hts_pos_t next;
    uint64_t left;
    double u;
    int cls, len;
} fstream_t;

static inline int fstream_lt(const fstream_t *a, const fstream_t *b)
{
    if (a->next != b->next) return a->next < b->next;
    if (a->cls != b->cls) return a->cls < b->cls;
    return a->len < b->len;
}

/* Draws the next start (sequential generation of sorted uniforms: the minimum
 * of m uniforms on (u,1) is 1 - (1-u) * V^(1/m)).  Returns 0 when exhausted. */
static int fstream_advance(fstream_t *s, rng_t *r, hts_pos_t wbeg, hts_pos_t wlen)
{
    if (s->left == 0) return 0;
    s->u = 1.0 - (1.0 - s->u) * pow(rng_unif_pos(r), 1.0 / (double)s->left);
    s->left--;
    hts_pos_t span = wlen - s->len + 1;
    hts_pos_t off = (hts_pos_t)floor(s->u * (double)span);
    if (off >= span) off = span - 1;
    if (off < 0) off = 0;
    s->next = wbeg + off;
    return 1;
}

static void fheap_down(fstream_t *h, int n, int i)
{
    fstream_t x = h[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && fstream_lt(&h[c + 1], &h[c])) c++;
        if (!fstream_lt(&h[c], &x)) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

typedef struct {
    hts_pos_t ebeg; int elen; const char *ealt; int l_ealt;
} edit_t;

typedef struct {
    sim_t *S;
    window_t *w;
    writer_t *W;
    rng_t rng;
    double log_q;          /* log(1 - error_rate) */
    char *mseq; int32_t *morig;   /* the fragment's molecule: bases, window offsets (-1: inserted) */
    char *rseq[4];         /* read bases after errors: pair and its duplicate */
    char *rqual[4];        /* Illumina styles: their qualities (raw Phred, SEQ order) */
    edit_t *ed;
    kstring_t al[2];
    uint32_t frag;
} gen_t;

static int draw_length(rng_t *r, double mean, double sd)
{
    for (;;) {
        double x = mean + (sd > 0 ? sd * rng_normal(r) : 0.0);
        double l = floor(x + 0.5);
        if (l >= FRAG_MIN && l <= FRAG_MAX) return (int)l;
    }
}

/* Builds the molecule of fragment [start,end) carrying edits ed[0..n_ed)
 * (sorted by position).  Returns its length. */
static int build_molecule(gen_t *G, hts_pos_t start, hts_pos_t end, int n_ed)
{
    const window_t *w = G->w;
    const char *ref = w->seq;
    hts_pos_t wb = w->beg, r = start;
    int m = 0;
#define PUSH(base, orig) do { G->mseq[m] = (base); G->morig[m] = (orig); m++; } while (0)
    for (int i = 0; i < n_ed; i++) {
        const edit_t *e = &G->ed[i];
        hts_pos_t eb = e->ebeg, ee = e->ebeg + e->elen;
        while (r < eb && r < end) { PUSH(ref[r - wb], (int32_t)(r - wb)); r++; }
        if (eb >= end) break;
        if (e->elen == 0) {                         /* insertion before eb */
            if (eb > start && eb < end)
                for (int k = 0; k < e->l_ealt; k++) PUSH(e->ealt[k], -1);
        } else if (e->l_ealt == e->elen) {          /* substitution */
            for (int k = 0; k < e->elen; k++)
                if (eb + k >= start && eb + k < end) PUSH(e->ealt[k], (int32_t)(eb + k - wb));
        }                                            /* deletion: nothing */
        if (ee > r) r = ee;
    }
    while (r < end) { PUSH(ref[r - wb], (int32_t)(r - wb)); r++; }
#undef PUSH
    return m;
}

/* Copies n molecule bases into out, applying substitution errors. */
static void apply_errors(gen_t *G, const char *in, char *out, int n)
{
    static const char others[4][3] = {{'C', 'G', 'T'}, {'A', 'G', 'T'}, {'A', 'C', 'T'}, {'A', 'C', 'G'}};
    memcpy(out, in, (size_t)n);
    if (G->S->error_rate <= 0) return;
    double j = 0;
    for (;;) {
        j += floor(log(rng_unif_pos(&G->rng)) / G->log_q);
        if (j >= n) break;
        int i = (int)j, b;
        switch (out[i]) { case 'A': b = 0; break; case 'C': b = 1; break; case 'G': b = 2; break; default: b = 3; }
        out[i] = others[b][rng_below(&G->rng, 3)];
        j += 1;
    }
}

/* ------------------------------------------------------------------------
 * Illumina styles: base qualities and the errors they state.
 *
 * The model (shaped after HiSeq 2500 and NovaSeq runs of 100-150 cycles,
 * e.g. the VarDict and ctDNAtools test BAMs): the mean quality per cycle
 * c of n rises over the first cycles and falls towards the end,
 *   m(c) = 39.5 - 8 exp(-c/4) - 7 (c/n)^2.5;
 * each read has a level of its own (normal, sd 1.5; one read in 20 is 8
 * lower), each base an autocorrelated deviation e_c = 0.5 e_(c-1) + 2.5 z;
 * the result is rounded into [2, 41]; one read in 12 ends in a run of Q2
 * (Illumina's quality masking of a failing tail; geometric, mean 15
 * bases).  The binned style then maps 2 / 3-14 / 15-30 / 31+ to 2, 12, 23,
 * 37 as NovaSeq's binning does.  Each base is then wrong (one of the three
 * other bases, uniformly) with the probability its quality states, 10^(-q/10).
 * ------------------------------------------------------------------------ */

#define ILL_TOP 41       /* the model's parameters (see above) */
#define ILL_FALL 7.0
#define ILL_LEVEL_SD 1.5
#define ILL_AR 0.5
#define ILL_SD 1.0
static double ill_normal[4096];   /* normal quantiles: a fast z for the per-base deviation */
static double ill_perr[64];       /* 10^(-q/10) */

static void illumina_init(void)
{
    for (int i = 0; i < 4096; i++) {
        /* inverse normal CDF by bisection on erfc (once, 4096 values) */
        double p = (i + 0.5) / 4096, lo = -8, hi = 8;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            if (0.5 * erfc(-mid / sqrt(2.0)) < p) lo = mid;
            else hi = mid;
        }
        ill_normal[i] = (lo + hi) / 2;
    }
    for (int q = 0; q < 64; q++) ill_perr[q] = pow(10.0, -q / 10.0);
}

/* Qualities of a read of n bases into q (SEQ order: a reverse read's first
 * cycle is its last base). */
static void illumina_quals(rng_t *r, int style, char *q, int n, int rev)
{
    static double mean[READ_MAX];
    static int mean_n = 0;
    if (mean_n != n) {
        for (int c = 0; c < n; c++)
            mean[c] = ILL_TOP - 8 * exp(-c / 4.0) - ILL_FALL * pow((double)c / n, 2.5);
        mean_n = n;
    }
    double lvl = ILL_LEVEL_SD * rng_normal(r), e = 0;
    if (rng_unif(r) < 0.05) lvl -= 8;
    int tail = n;
    if (rng_unif(r) < 1.0 / 12) {
        int k = 1 + (int)floor(log(rng_unif_pos(r)) / log(1.0 - 1.0 / 15));
        tail = n - k < 0 ? 0 : n - k;
    }
    for (int c = 0; c < n; c++) {
        e = ILL_AR * e + ILL_SD * ill_normal[rng_next(r) >> 52];
        int v = (int)floor(mean[c] + lvl + e + 0.5);
        v = v < 2 ? 2 : v > 41 ? 41 : v;
        if (c >= tail) v = 2;
        if (style == STYLE_ILLUMINA_BINNED) v = v <= 2 ? 2 : v <= 14 ? 12 : v <= 30 ? 23 : 37;
        q[rev ? n - 1 - c : c] = (char)v;
    }
}

/* Copies n molecule bases into out, each wrong with the probability its
 * quality states. */
static void apply_errors_q(rng_t *r, const char *in, char *out, const char *q, int n)
{
    static const char others[4][3] = {{'C', 'G', 'T'}, {'A', 'G', 'T'}, {'A', 'C', 'T'}, {'A', 'C', 'G'}};
    memcpy(out, in, (size_t)n);
    for (int i = 0; i < n; i++) {
        if (rng_unif(r) >= ill_perr[(int)q[i]]) continue;
        int b;
        switch (out[i]) { case 'A': b = 0; break; case 'C': b = 1; break; case 'G': b = 2; break; default: b = 3; }
        out[i] = others[b][rng_below(r, 3)];
    }
}

/* The bases (and, in the Illumina styles, qualities) of one read: molecule
 * slice 'in' of n bases into out / qout. */
static void draw_read(gen_t *G, const char *in, char *out, char *qout, int n, int rev)
{
    if (G->S->read_style == STYLE_PLAIN) {
        apply_errors(G, in, out, n);
        return;
    }
    illumina_quals(&G->rng, G->S->read_style, qout, n, rev);
    apply_errors_q(&G->rng, in, out, qout, n);
}

/* CIGAR of molecule slice [j0,j0+n): returns the number of ops, sets pos
 * (window offset of the first aligned base). */
static int make_cigar(const int32_t *o, int n, uint32_t *cig, int32_t *ret_first)
{
    int nc = 0;
    int32_t last = -1, first = -1;
    for (int j = 0; j < n; j++) {
        int op, len = 1;
        if (o[j] < 0) {
            op = BAM_CINS;
        } else {
            if (last >= 0 && o[j] > last + 1) {
                uint32_t d = (uint32_t)(o[j] - last - 1);
                if (nc > 0 && bam_cigar_op(cig[nc - 1]) == BAM_CDEL) cig[nc - 1] += d << BAM_CIGAR_SHIFT;
                else cig[nc++] = bam_cigar_gen(d, BAM_CDEL);
            }
            op = BAM_CMATCH;
            last = o[j];
            if (first < 0) first = o[j];
        }
        if (nc > 0 && bam_cigar_op(cig[nc - 1]) == (uint32_t)op) cig[nc - 1] += (uint32_t)len << BAM_CIGAR_SHIFT;
        else cig[nc++] = bam_cigar_gen(len, op);
    }
    *ret_first = first;
    return nc;
}

/* Index of the aligned base at window offset t in o[0..n), or -1. */
static int find_j(const int32_t *o, int n, int32_t t)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, k = mid;
        while (k <= hi && o[k] < 0) k++;
        if (k > hi) { hi = mid - 1; continue; }
        if (o[k] == t) return k;
        if (o[k] < t) lo = k + 1;
        else hi = mid - 1;
    }
    return -1;
}

/* First index whose aligned base is >= t, or n. */
static int lower_j(const int32_t *o, int n, int32_t t)
{
    int lo = 0, hi = n;    /* answer in [lo,hi] */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2, k = mid;
        while (k < hi && o[k] < 0) k++;
        if (k == hi) { hi = mid; continue; }
        if (o[k] >= t) hi = mid;
        else lo = k + 1;
    }
    while (lo < n && o[lo] < 0) lo++;
    return lo;
}

enum { AL_NONE = -1, AL_REF = 0, AL_ALT = 1, AL_OTHER = 2 };

/* The allele a read (molecule origins o, bases s, length n) shows for v;
 * its sequence goes to out.  The definitions are those of the truth file. */
static int read_allele(const gen_t *G, const variant_t *v, const int32_t *o, const char *s, int n, kstring_t *out)
{
    int32_t wl = (int32_t)(v->wl - G->w->beg), wr = (int32_t)(v->wr - G->w->beg);
    ks_clear(out);
    if (v->type == VAR_SUB) {
        /* every REF position within the read's aligned span: bases, '-' where deleted */
        int32_t first = -1, last = -1;
        for (int j = 0; j < n; j++) if (o[j] >= 0) { first = o[j]; break; }
        for (int j = n - 1; j >= 0; j--) if (o[j] >= 0) { last = o[j]; break; }
        if (first < 0 || first > wl || last < wr - 1) return AL_NONE;
        int32_t expect = wl;
        for (int j = lower_j(o, n, wl); j < n; j++) {
            if (o[j] < 0) {
                if (expect > wl && expect < wr) kputc(s[j], out);
                continue;
            }
            if (o[j] >= wr) break;
            while (expect < o[j]) { kputc('-', out); expect++; }
            kputc(s[j], out);
            expect = o[j] + 1;
        }
        while (expect < wr) { kputc('-', out); expect++; }
    } else {
        int jl = find_j(o, n, wl - 1), jr = jl < 0 ? -1 : find_j(o, n, wr);
        if (jl < 0 || jr < 0) return AL_NONE;
        kputsn(s + jl + 1, (size_t)(jr - jl - 1), out);
        if (out->s == NULL) kputs("", out);
    }
    if (out->l == (size_t)v->l_wref && memcmp(out->s, v->wseq_ref, out->l) == 0) return AL_REF;
    if (out->l == (size_t)v->l_walt && memcmp(out->s, v->wseq_alt, out->l) == 0) return AL_ALT;
    return AL_OTHER;
}

/* Truth of one non-duplicate fragment; reads are (o_i, s_i, n_i), r1 is the
 * index of read 1 (its strand is the fragment's), is_rev[i] the strands. */
static void add_truth(gen_t *G, hts_pos_t start, hts_pos_t end, int n_reads,
                      const int32_t *o[2], const char *s[2], const int n[2], const int is_rev[2], int r1)
{
    const window_t *w = G->w;
    for (int i = 0; i < w->n_var; i++) {
        variant_t *v = &G->S->var[w->var[i]];
        if (v->fp_end <= start || v->fp_beg >= end) continue;
        int a[2] = {AL_NONE, AL_NONE};
        for (int k = 0; k < n_reads; k++) {
            a[k] = read_allele(G, v, o[k], s[k], n[k], &G->al[k]);
            if (a[k] == AL_REF) v->t.read_ref++;
            else if (a[k] == AL_ALT) v->t.read_alt++;
            else if (a[k] == AL_OTHER) v->t.read_other++;
        }
        int fa;
        if (n_reads == 2 && a[0] != AL_NONE && a[1] != AL_NONE) {
            if (G->al[0].l != G->al[1].l || memcmp(G->al[0].s, G->al[1].s, G->al[0].l) != 0) {
                v->t.frag_disc++;
                continue;
            }
            fa = a[0];
        } else {
            fa = a[0] != AL_NONE ? a[0] : (n_reads == 2 ? a[1] : AL_NONE);
        }
        if (fa == AL_REF) v->t.frag_ref++;
        else if (fa == AL_OTHER) v->t.frag_other++;
        else if (fa == AL_ALT) {
            v->t.frag_alt++;
            if (is_rev[r1]) v->t.frag_alt_rev++;
            else v->t.frag_alt_fwd++;
        }
    }
}

static pread_t *new_read(int n_cigar, int n_mcigar, int l_seq)
{
    pread_t *r = malloc(sizeof(pread_t) + sizeof(uint32_t) * (size_t)(n_cigar + n_mcigar) + 2 * (size_t)l_seq);
    if (!r) return NULL;
    r->n_cigar = (uint16_t)n_cigar; r->n_mcigar = (uint16_t)n_mcigar; r->l_seq = (uint16_t)l_seq;
    return r;
}

/* Emits one fragment (and its duplicate, if drawn). */
static int emit_fragment(gen_t *G, hts_pos_t start, int len, int cls)
{
    sim_t *S = G->S;
    window_t *w = G->w;
    writer_t *W = G->W;
    hts_pos_t end = start + len;
    int n_ed = 0;

    if (flush_reads(W, start) < 0) return -1;
    G->frag++;

    /* haplotype: at most one variant per site; class 1 must carry at least one */
    if (cls) {
        do {
            n_ed = 0;
            for (int i = 0; i < w->n_site; i++) {
                const site_t *st = &S->site[w->site[i]];
                double u = rng_unif(&G->rng), c = 0;
                for (int k = 0; k < st->n; k++) {
                    const variant_t *v = &S->var[st->var[k]];
                    c += v->frac;
                    if (u < c) {
                        edit_t *e = &G->ed[n_ed++];
                        e->ebeg = v->ebeg; e->elen = v->elen; e->ealt = v->ealt; e->l_ealt = v->l_ealt;
                        break;
                    }
                }
            }
        } while (n_ed == 0);
        for (int i = 1; i < n_ed; i++)        /* insertion sort by position */
            for (int k = i; k > 0 && G->ed[k].ebeg < G->ed[k - 1].ebeg; k--) {
                edit_t t = G->ed[k]; G->ed[k] = G->ed[k - 1]; G->ed[k - 1] = t;
            }
    }

    int m = build_molecule(G, start, end, n_ed);
    int rl = S->read_length < m ? S->read_length : m;
    int f1r2 = (int)(rng_next(&G->rng) >> 63);
    int n_reads = S->single_end ? 1 : 2;
    int se_right = S->single_end ? (int)(rng_next(&G->rng) >> 63) : 0;
    int dup = S->dup_rate > 0 && rng_unif(&G->rng) < S->dup_rate;

    /* read k: 0 = left end (forward), 1 = right end (reverse) */
    const int32_t *o[2];
    const char *sq[2];
    int nn[2], is_rev[2], jbeg[2], r1;
    uint32_t cig[2][2 * READ_MAX + 4];
    int nc[2];
    int32_t first[2];
    int ends[2] = {0, 1};
    if (S->single_end) ends[0] = se_right;
    for (int k = 0; k < n_reads; k++) {
        int e = ends[k];
        jbeg[k] = e == 0 ? 0 : m - rl;
        o[k] = G->morig + jbeg[k];
        nn[k] = rl;
        is_rev[k] = e;
        draw_read(G, G->mseq + jbeg[k], G->rseq[k], G->rqual[k], rl, is_rev[k]);
        sq[k] = G->rseq[k];
        nc[k] = make_cigar(o[k], rl, cig[k], &first[k]);
    }
    /* read 1 is the forward (left) read of an F1R2 fragment */
    r1 = S->single_end ? 0 : (f1r2 ? 0 : 1);
    add_truth(G, start, end, n_reads, o, sq, nn, is_rev, r1);

    hts_pos_t tlen = 0;
    if (!S->single_end) {
        int32_t last = G->morig[m - 1];
        for (int j = m - 1; j >= 0 && last < 0; j--) last = G->morig[j];
        tlen = (hts_pos_t)last + 1 - first[0];
    }
    for (int copy = 0; copy <= dup; copy++) {
        uint64_t cluster = S->read_style != STYLE_PLAIN ? draw_cluster(&G->rng) : 0;
        for (int k = 0; k < n_reads; k++) {
            const char *bases = sq[k], *quals = G->rqual[k];
            if (copy) {
                draw_read(G, G->mseq + jbeg[k], G->rseq[2 + k], G->rqual[2 + k], rl, is_rev[k]);
                bases = G->rseq[2 + k];
                quals = G->rqual[2 + k];
            }
            pread_t *r = new_read(nc[k], n_reads == 2 ? nc[1 - k] : 0, rl);
            if (!r) { error_msg("out of memory"); return -1; }
            uint16_t flag = 0;
            if (is_rev[k]) flag |= BAM_FREVERSE;
            if (n_reads == 2) {
                flag |= BAM_FPAIRED | BAM_FPROPER_PAIR;
                if (is_rev[1 - k]) flag |= BAM_FMREVERSE;
                flag |= (k == r1) ? BAM_FREAD1 : BAM_FREAD2;
                r->mpos = w->beg + first[1 - k];
                r->tlen = k == 0 ? tlen : -tlen;
                memcpy(r->data + nc[k], cig[1 - k], sizeof(uint32_t) * (size_t)nc[1 - k]);
            } else {
                r->mpos = -1;
                r->tlen = 0;
            }
            if (copy) flag |= BAM_FDUP;
            r->flag = flag;
            r->pos = w->beg + first[k];
            r->serial = W->serial++;
            r->win = (uint32_t)w->idx;
            r->frag = G->frag;
            memcpy(r->data, cig[k], sizeof(uint32_t) * (size_t)nc[k]);
            memcpy((char *)(r->data + nc[k] + r->n_mcigar), bases, (size_t)rl);
            r->cluster = cluster;
            r->xs = 0;
            if (S->read_style != STYLE_PLAIN) {
                memcpy((char *)(r->data + nc[k] + r->n_mcigar) + rl, quals, (size_t)rl);
                r->xs = rng_unif(&G->rng) < 0.8 ? 0 : (uint8_t)(19 + rng_below(&G->rng, 21));
            }
            if (heap_push(W, r) < 0) { free(r); error_msg("out of memory"); return -1; }
        }
    }
    return 0;
}

static int simulate_window(sim_t *S, window_t *w, writer_t *W)
{
    int ret = -1;
    gen_t G;
    hts_pos_t wlen = w->end - w->beg;
    int lcap = wlen < FRAG_MAX ? (int)wlen : FRAG_MAX;
    uint64_t *cnt = NULL;
    fstream_t *h = NULL;
    int nh = 0;

    memset(&G, 0, sizeof(G));
    G.S = S; G.w = w; G.W = W;
    G.log_q = S->error_rate > 0 ? log1p(-S->error_rate) : 0;
    rng_seed(&G.rng, S->seed, 0x300000ULL + (uint64_t)w->idx);
    size_t mcap = (size_t)FRAG_MAX + (size_t)w->max_ins + 16;
    G.mseq = malloc(mcap);
    G.morig = malloc(mcap * sizeof(int32_t));
    for (int k = 0; k < 4; k++) {
        G.rseq[k] = malloc((size_t)READ_MAX + 1);
        G.rqual[k] = malloc((size_t)READ_MAX + 1);
    }
    G.ed = malloc(sizeof(edit_t) * (size_t)(w->n_site + 1));
    cnt = calloc(2 * (size_t)(lcap + 1), sizeof(uint64_t));
    h = malloc(2 * (size_t)(lcap + 1) * sizeof(fstream_t));
    if (!G.mseq || !G.morig || !G.rseq[0] || !G.rseq[1] || !G.rseq[2] || !G.rseq[3] || !G.rqual[0] || !G.rqual[1]
        || !G.rqual[2] || !G.rqual[3] || !G.ed || !cnt || !h) {
        error_msg("out of memory");
        goto out;
    }
    W->tid = w->tid;
    W->ref = w->seq;
    W->ref_beg = w->beg;

    /* 1. class (carries a variant or not) and length of every fragment */
    for (int64_t i = 0; i < w->n_frag; i++) {
        int cls = w->p_mut > 0 && rng_unif(&G.rng) < w->p_mut;
        int len = cls ? draw_length(&G.rng, S->mut_mean, S->mut_sd) : draw_length(&G.rng, S->frag_mean, S->frag_sd);
        if (len > lcap) len = lcap;
        cnt[(size_t)cls * (size_t)(lcap + 1) + (size_t)len]++;
    }
    /* 2. one stream of sorted starts per (class, length), merged in start order */
    for (int cls = 0; cls < 2; cls++)
        for (int len = 1; len <= lcap; len++) {
            uint64_t c = cnt[(size_t)cls * (size_t)(lcap + 1) + (size_t)len];
            if (!c) continue;
            fstream_t *s = &h[nh];
            s->left = c; s->u = 0; s->cls = cls; s->len = len;
            fstream_advance(s, &G.rng, w->beg, wlen);
            nh++;
        }
    for (int i = nh / 2 - 1; i >= 0; i--) fheap_down(h, nh, i);
    while (nh > 0) {
        hts_pos_t start = h[0].next;
        int len = h[0].len, cls = h[0].cls;
        if (!fstream_advance(&h[0], &G.rng, w->beg, wlen)) h[0] = h[--nh];
        if (nh > 0) fheap_down(h, nh, 0);
        if (emit_fragment(&G, start, len, cls) < 0) goto out;
    }
    if (flush_reads(W, HTS_POS_MAX) < 0) goto out;
    ret = 0;
out:
    free(G.mseq); free(G.morig); free(G.ed);
    for (int k = 0; k < 4; k++) { free(G.rseq[k]); free(G.rqual[k]); }
    free(G.al[0].s); free(G.al[1].s);
    free(cnt); free(h);
    return ret;
}

/* ------------------------------------------------------------------------
 * Output files
 * ------------------------------------------------------------------------ */

enum { OUT_ALN, OUT_IDX, OUT_TRUTH, OUT_FA, OUT_FAI, OUT_CN, OUT_N };

typedef struct {
    char *final[OUT_N];
    char *tmp[OUT_N];
} outset_t;

static int outset_init(outset_t *os, const char *prefix, int format, int fasta, int cn)
{
    static const char *aln_ext[] = {".bam", ".sam", ".cram"}, *idx_ext[] = {".bam.bai", NULL, ".cram.crai"};
    const char *ext[OUT_N] = {aln_ext[format], idx_ext[format], ".truth.tsv", fasta ? ".fa" : NULL,
                              fasta ? ".fa.fai" : NULL, cn ? ".cn_truth.tsv" : NULL};
    memset(os, 0, sizeof(*os));
    for (int i = 0; i < OUT_N; i++) {
        if (!ext[i]) continue;
        size_t n = strlen(prefix) + strlen(ext[i]) + 32;
        os->final[i] = malloc(n);
        os->tmp[i] = malloc(n);
        if (!os->final[i] || !os->tmp[i]) { error_msg("out of memory"); return -1; }
        snprintf(os->final[i], n, "%s%s", prefix, ext[i]);
        snprintf(os->tmp[i], n, "%s%s.tmp%ld", prefix, ext[i], (long)getpid());
    }
    return 0;
}

static void outset_abort(outset_t *os)
{
    for (int i = 0; i < OUT_N; i++)
        if (os->tmp[i]) unlink(os->tmp[i]);
}

static int outset_commit(outset_t *os)
{
    for (int i = 0; i < OUT_N; i++)
        if (os->tmp[i] && rename(os->tmp[i], os->final[i]) < 0) {
            error_msg("cannot rename '%s' to '%s': %s", os->tmp[i], os->final[i], strerror(errno));
            return -1;
        }
    return 0;
}

static void outset_free(outset_t *os)
{
    for (int i = 0; i < OUT_N; i++) { free(os->final[i]); free(os->tmp[i]); }
}

static int write_fasta(const sim_t *S, const outset_t *os)
{
    FILE *fp = fopen(os->tmp[OUT_FA], "w");
    if (!fp) { error_msg("cannot create '%s': %s", os->tmp[OUT_FA], strerror(errno)); return -1; }
    for (int i = 0; i < S->n_ctg; i++) {
        const contig_t *c = &S->ctg[i];
        fprintf(fp, ">%s\n", c->name);
        for (hts_pos_t j = 0; j < c->len; j += 60) {
            fwrite(c->seq + j, 1, (size_t)(c->len - j < 60 ? c->len - j : 60), fp);
            fputc('\n', fp);
        }
    }
    if (ferror(fp) | fclose(fp)) { error_msg("error writing '%s'", os->tmp[OUT_FA]); return -1; }
    if (fai_build3(os->tmp[OUT_FA], os->tmp[OUT_FAI], NULL) < 0) {
        error_msg("cannot index '%s'", os->tmp[OUT_FA]);
        return -1;
    }
    return 0;
}

static int cmp_var_line(const void *a, const void *b)
{
    const variant_t *const *x = a, *const *y = b;
    return cmp_var_pos(*x, *y);
}

static int write_truth(const sim_t *S, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp) { error_msg("cannot create '%s': %s", path, strerror(errno)); return -1; }
    fputs("#chrom\tpos\tref\talt\tfraction\tfrag_depth\tfrag_ref\tfrag_alt\tfrag_other\tfrag_discordant"
          "\tread_depth\tread_ref\tread_alt\tread_other\tfrag_alt_fwd\tfrag_alt_rev\n", fp);
    const variant_t **vs = malloc(sizeof(*vs) * (size_t)(S->n_var + 1));
    if (!vs) { fclose(fp); error_msg("out of memory"); return -1; }
    for (int i = 0; i < S->n_var; i++) vs[i] = &S->var[i];
    if (S->n_var > 1) qsort(vs, (size_t)S->n_var, sizeof(*vs), cmp_var_line);
    for (int i = 0; i < S->n_var; i++) {
        const variant_t *v = vs[i];
        const truth_t *t = &v->t;
        fprintf(fp, "%s\t%" PRId64 "\t%s\t%s\t%.10g\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64
                "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n",
                S->ctg[v->tid].name, (int64_t)v->pos + 1, v->ref, v->alt, v->frac,
                t->frag_ref + t->frag_alt + t->frag_other, t->frag_ref, t->frag_alt, t->frag_other, t->frag_disc,
                t->read_ref + t->read_alt + t->read_other, t->read_ref, t->read_alt, t->read_other,
                t->frag_alt_fwd, t->frag_alt_rev);
    }
    free(vs);
    if (ferror(fp) | fclose(fp)) { error_msg("error writing '%s'", path); return -1; }
    return 0;
}

/* One row per window: its copy number, the plasma copy number and the
 * fragments drawn (before duplicates).  1-based inclusive coordinates. */
static int write_cn_truth(const sim_t *S, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp) { error_msg("cannot create '%s': %s", path, strerror(errno)); return -1; }
    fputs("#chrom\tstart\tend\tlength\tcopy_number\ttumour_fraction\tpcn\texpected_fragments\tfragments\n", fp);
    for (int i = 0; i < S->n_win; i++) {
        const window_t *w = &S->win[i];
        fprintf(fp, "%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%.10g\t%.10g\t%.10g\t%.10g\t%" PRId64 "\n",
                S->ctg[w->tid].name, (int64_t)w->beg + 1, (int64_t)w->end, (int64_t)(w->end - w->beg), w->cn,
                S->tumour_fraction, w->pcn, w->n_expected, w->n_frag);
    }
    if (ferror(fp) | fclose(fp)) { error_msg("error writing '%s'", path); return -1; }
    return 0;
}

static sam_hdr_t *make_header(const sim_t *S)
{
    kstring_t s = KS_INITIALIZE;
    sam_hdr_t *h = NULL;
    kputs("@HD\tVN:1.6\tSO:coordinate\n", &s);
    for (int i = 0; i < S->n_ctg; i++)
        ksprintf(&s, "@SQ\tSN:%s\tLN:%" PRId64 "\n", S->ctg[i].name, (int64_t)S->ctg[i].len);
    if (S->read_style == STYLE_PLAIN) ksprintf(&s, "@RG\tID:%s\tSM:%s\n", S->sample, S->sample);
    else ksprintf(&s, "@RG\tID:%s\tSM:%s\tLB:%s-lib1\tPL:ILLUMINA\tPU:HVWSIMDSX.1\n", S->sample, S->sample, S->sample);
    ksprintf(&s, "@PG\tID:vwsim\tPN:vwsim\tVN:%s\tCL:%s\n", VWSIM_VERSION, S->cmdline);
    if (s.s) h = sam_hdr_parse(s.l, s.s);
    free(s.s);
    return h;
}

static int simulate(sim_t *S, const char *prefix)
{
    int ret = -1, i;
    outset_t os;
    writer_t W;
    memset(&W, 0, sizeof(W));
    if (outset_init(&os, prefix, S->format, S->write_fasta, S->cn_truth) < 0) goto out;

    if (!(W.hdr = make_header(S))) { error_msg("cannot build the SAM header"); goto out; }
    static const char *modes[] = {"wb", "w", "wc"};
    if (!(W.fp = hts_open(os.tmp[OUT_ALN], modes[S->format]))) {
        error_msg("cannot create '%s': %s", os.tmp[OUT_ALN], strerror(errno));
        goto out;
    }
    if (S->format == FMT_CRAM && hts_set_opt(W.fp, CRAM_OPT_NO_REF, 1) < 0) {
        error_msg("cannot set CRAM no_ref");
        goto out;
    }
    if (S->threads > 0 && hts_set_threads(W.fp, S->threads) < 0) {
        error_msg("cannot start %d threads", S->threads);
        goto out;
    }
    if (sam_hdr_write(W.fp, W.hdr) < 0) { error_msg("cannot write the header of '%s'", os.tmp[OUT_ALN]); goto out; }
    if (os.tmp[OUT_IDX] && sam_idx_init(W.fp, W.hdr, 0, os.tmp[OUT_IDX]) < 0) {
        error_msg("cannot start the index of '%s'", os.tmp[OUT_ALN]);
        goto out;
    }
    if (!(W.b = bam_init1()) || !(W.qual = malloc(READ_MAX))) { error_msg("out of memory"); goto out; }
    memset(W.qual, S->base_quality, READ_MAX);
    W.mapq = S->mapq;
    W.sample = S->sample;
    W.style = S->read_style;
    if (S->read_style != STYLE_PLAIN) illumina_init();

    for (i = 0; i < S->n_win; i++)
        if (simulate_window(S, &S->win[i], &W) < 0) {
            error_msg("cannot write '%s'", os.tmp[OUT_ALN]);
            goto out;
        }
    if (os.tmp[OUT_IDX] && sam_idx_save(W.fp) < 0) {
        error_msg("cannot write the index '%s'", os.tmp[OUT_IDX]);
        goto out;
    }
    i = hts_close(W.fp);
    W.fp = NULL;
    if (i < 0) { error_msg("error closing '%s'", os.tmp[OUT_ALN]); goto out; }
    if (write_truth(S, os.tmp[OUT_TRUTH]) < 0) goto out;
    if (S->write_fasta && write_fasta(S, &os) < 0) goto out;
    if (S->cn_truth && write_cn_truth(S, os.tmp[OUT_CN]) < 0) goto out;
    if (outset_commit(&os) < 0) goto out;
    ret = 0;
out:
    if (W.fp) hts_close(W.fp);
    while (W.n > 0) free(heap_pop(&W));
    free(W.heap); free(W.qual); free(W.name.s); free(W.mc.s); free(W.md.s);
    if (W.b) bam_destroy1(W.b);
    if (W.hdr) sam_hdr_destroy(W.hdr);
    if (ret < 0) outset_abort(&os);
    outset_free(&os);
    return ret;
}

/* ------------------------------------------------------------------------
 * Command line
 * ------------------------------------------------------------------------ */

static void usage(FILE *fp)
{
    fprintf(fp,
"\n"
"Program: vwsim (the vafwatch read simulator, version %s)\n"
"Usage:   vwsim -r RECIPE.tsv -o PREFIX [options]\n"
"         vwsim umi -o PREFIX [options]   (UMI families and duplex molecules: vwsim umi -h)\n"
"\n"
"Simulates cfDNA read pairs in windows of a random reference, with variants on\n"
"a known fraction of fragments, and writes the exact truth of the reads written.\n"
"\n"
"Input:\n"
"  -r, --recipe FILE          the recipe (see below)\n"
"Output:\n"
"  -o, --output-prefix STR    write STR.bam + STR.bam.bai, STR.truth.tsv and,\n"
"                             with 'write_fasta 1', STR.fa + STR.fa.fai\n"
"      --format STR           bam, sam (no index) or cram (.cram + .crai,\n"
"                             sequence embedded) [bam]\n"
"  -@, --threads INT          extra compression threads [0]\n"
"Recipe overrides:\n"
"  -s, --seed INT             random seed\n"
"  -n, --fragments INT        fragments per window\n"
"      --sample STR           sample name (RG ID and SM)\n"
"      --error-rate FLOAT     per-base substitution error rate\n"
"      --dup-rate FLOAT       fraction of fragments written again as duplicates\n"
"      --single-end           one read per fragment, from a random end\n"
"Generic:\n"
"  -h, --help                 this text\n"
"      --version              print the version\n"
"\n"
"Recipe (TSV or blank-separated; '#' starts a comment; 1-based inclusive):\n"
"  seed N [1] | sample NAME [SIM] | read_length N [100]\n"
"  fragments N (per window) [1000] | fragments_per_kb F (per kb of window, instead)\n"
"  fragment_count fixed|poisson [fixed] (poisson: each window's count is drawn)\n"
"  tumour_fraction F [0] | copy_number CONTIG START END CN (windows inside get\n"
"                                    fragments x pCN/2, pCN = 2 + TF x (CN - 2))\n"
"  build GRCh37|GRCh38|custom | naming chr|nochr [chr] | contig NAME LENGTH (custom)\n"
"  frag_mean F [167] | frag_sd F [20] | mut_frag_mean F [145] | mut_frag_sd F [15]\n"
"  error_rate F [0] | base_quality N [37] | mapq N [60] | dup_rate F [0]\n"
"  read_style plain|illumina|illumina_binned [plain]: illumina writes Illumina\n"
"                                    names, qualities from a per-cycle model (binned:\n"
"                                    2/12/23/37), errors drawn from the qualities\n"
"                                    (error_rate and base_quality unused) and the\n"
"                                    bwa-mem tags NM, MD, MC, AS, XS, RG\n"
"  write_fasta 0|1 [0] (custom builds only)\n"
"  window CONTIG START END           fragments lie inside; windows must not overlap\n"
"  refseq CONTIG POS BASES           force reference bases (else random)\n"
"  variant CONTIG POS REF ALT FRACTION [place=left|right]\n"
"                                    VCF-style, anchored indels up to %d bp\n"
"\n"
"Truth (PREFIX.truth.tsv), one row per variant, duplicates excluded:\n"
"  #chrom pos ref alt fraction frag_depth frag_ref frag_alt frag_other\n"
"  frag_discordant read_depth read_ref read_alt read_other frag_alt_fwd frag_alt_rev\n"
"Copy-number truth (PREFIX.cn_truth.tsv, when a copy-number key is used), per window:\n"
"  #chrom start end length copy_number tumour_fraction pcn expected_fragments fragments\n"
"\n"
"Exit status: 0 success, 1 data or runtime error, 2 usage error.\n"
"\n", VWSIM_VERSION, INDEL_MAX);
}

static char *join_args(int argc, char *argv[])
{
    kstring_t s = KS_INITIALIZE;
    for (int i = 0; i < argc; i++) {
        if (i) kputc(' ', &s);
        for (const char *c = argv[i]; *c; c++) kputc(*c == '\t' || *c == '\n' ? ' ' : *c, &s);
    }
    return s.s ? s.s : strdup("vwsim");
}

enum { OPT_SAMPLE = 1000, OPT_FORMAT, OPT_SINGLE_END, OPT_ERROR_RATE, OPT_DUP_RATE, OPT_VERSION };

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("vwsim: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'vwsim -h'.\n", stderr);
    return EXIT_USAGE;
}

/* The UMI mode, 'vwsim umi ...' (vwsim_umi.c). */
int vwsim_umi_main(int argc, char **argv);

int main(int argc, char *argv[])
{
    if (argc > 1 && strcmp(argv[1], "umi") == 0)
        return vwsim_umi_main(argc - 1, argv + 1);
    static const struct option lopts[] = {
        {"recipe", required_argument, NULL, 'r'},
        {"output-prefix", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 's'},
        {"fragments", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, '@'},
        {"sample", required_argument, NULL, OPT_SAMPLE},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"single-end", no_argument, NULL, OPT_SINGLE_END},
        {"error-rate", required_argument, NULL, OPT_ERROR_RATE},
        {"dup-rate", required_argument, NULL, OPT_DUP_RATE},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0}
    };
    const char *recipe = NULL, *prefix = NULL, *sample = NULL;
    int have_seed = 0, have_frags = 0, have_err = 0, have_dup = 0, single_end = 0, format = FMT_BAM, threads = 0;
    uint64_t seed = 0;
    int64_t frags = 0;
    double err = 0, dup = 0;
    int c, ret = EXIT_FAILURE;
    sim_t S;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:o:s:n:@:h", lopts, NULL)) >= 0) {
        int64_t v;
        switch (c) {
        case 'r': recipe = optarg; break;
        case 'o': prefix = optarg; break;
        case 's':
            if (parse_uint64(optarg, &seed) < 0) return usage_error("--seed takes a non-negative integer, not '%s'", optarg);
            have_seed = 1;
            break;
        case 'n':
            if (parse_int64(optarg, &frags) < 0 || frags < 0 || frags > 1000000000)
                return usage_error("--fragments takes an integer from 0 to 1e9, not '%s'", optarg);
            have_frags = 1;
            break;
        case '@':
            if (parse_int64(optarg, &v) < 0 || v < 0 || v > 256)
                return usage_error("--threads takes an integer from 0 to 256, not '%s'", optarg);
            threads = (int)v;
            break;
        case OPT_SAMPLE:
            for (const char *q = optarg; *q; q++)
                if (*q <= ' ' || *q > '~') return usage_error("--sample must be printable without blanks");
            if (!*optarg) return usage_error("--sample must not be empty");
            sample = optarg;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "bam") == 0) format = FMT_BAM;
            else if (strcmp(optarg, "sam") == 0) format = FMT_SAM;
            else if (strcmp(optarg, "cram") == 0) format = FMT_CRAM;
            else return usage_error("--format must be bam, sam or cram, not '%s'", optarg);
            break;
        case OPT_SINGLE_END: single_end = 1; break;
        case OPT_ERROR_RATE:
            if (parse_double(optarg, &err) < 0 || err < 0 || err >= 1)
                return usage_error("--error-rate takes a number in [0,1), not '%s'", optarg);
            have_err = 1;
            break;
        case OPT_DUP_RATE:
            if (parse_double(optarg, &dup) < 0 || dup < 0 || dup > 1)
                return usage_error("--dup-rate takes a number in [0,1], not '%s'", optarg);
            have_dup = 1;
            break;
        case 'h':
            usage(stdout);
            return fclose(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
        case OPT_VERSION:
            printf("vwsim %s (htslib %s)\n", VWSIM_VERSION, hts_version());
            return fclose(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) return usage_error("unexpected argument '%s'", argv[optind]);
    if (!recipe) return usage_error("a recipe (-r) is required");
    if (!prefix || !*prefix) return usage_error("an output prefix (-o) is required");

    sim_init(&S);
    S.recipe = recipe;
    if (!(S.cmdline = join_args(argc, argv))) { error_msg("out of memory"); goto out; }
    if (recipe_read(&S, recipe) < 0) goto out;
    if (have_seed) S.seed = seed;
    if (have_frags) S.fragments = frags;
    if (have_err) S.error_rate = err;
    if (have_dup) S.dup_rate = dup;
    if (sample) { free(S.sample); S.sample = NULL; if (!(S.sample = xstrdup(sample))) goto out; }
    if (!S.sample && !(S.sample = xstrdup("SIM"))) goto out;
    S.single_end |= single_end;
    S.format = format;
    S.threads = threads;

    if (setup_contigs(&S) < 0 || setup_windows(&S) < 0 || setup_forced(&S) < 0 || setup_variants(&S) < 0)
        goto out;
    if (simulate(&S, prefix) < 0) goto out;
    ret = EXIT_SUCCESS;
out:
    sim_destroy(&S);
    if (fclose(stdout) != 0 && ret == EXIT_SUCCESS) ret = EXIT_FAILURE;
    return ret;
}
