/*
 * vwsim_umi.c -- the project's UMI read simulator: read pairs of original
 * DNA molecules tagged with duplex UMIs, amplified into families, with the
 * exact truth of the molecules it wrote.
 *
 *   vwsim umi -o PREFIX [options]   (vwsim umi -h lists them)
 *   vwsim_umi -o PREFIX [options]   (the same program on its own)
 *
 * The UMI mode of vwsim: vwsim.c hands 'vwsim umi ...' to vwsim_umi_main()
 * (this file built with VWSIM_UMI_NO_MAIN); built alone it is vwsim_umi.
 * Both write the same files from the same options.  It is a mode of its
 * own rather than a recipe key of vwsim because its unit is the original
 * molecule (families of copies, strand families, UMI errors), not the
 * fragment of vwsim's windows, and its truth is per molecule class.
 *
 * Writes PREFIX.bam (+ .bai), PREFIX.targets.tsv (one SNV target per site)
 * and PREFIX.truth.tsv (per site: the molecules and their alleles).
 *
 * The model (testdata/sim/README.md, "UMI simulator"):
 *  - one custom contig 'sim1' of random bases; one SNV site every 1000 bp,
 *    ALT = the next base in ACGT order after REF;
 *  - per site, --molecules original molecules, each carrying ALT with
 *    probability --vaf; fragment length uniform in [120, 220], placed so that
 *    the left read covers the site; a duplex UMI A-B (two random halves of
 *    --umi-len bases), redrawn when another molecule of the same start and
 *    length has a UMI within two mismatches;
 *  - the top strand family (read 1 forward, RX A-B) has 1 + Geometric copies
 *    (mean --family-mean); the bottom strand family (read 1 reverse, RX B-A)
 *    exists with probability --duplex, with its own size;
 *  - per site, the three error rates below times a log-normal multiplier
 *    (--site-sd, mean 1), and damage 100 times higher at a share --artefact
 *    of the sites;
 *  - errors at the site, each drawn per strand family: --damage (the
 *    strand's template base is another base in every copy), --pcr-error (an
 *    error in the first PCR cycle: each copy carries it with probability
 *    1/2); per read and base: --seq-error (another base); per copy:
 *    --umi-error (one UMI base changed in both reads of the copy).
 *
 * Like vwsim, it links only htslib and libm, never the vafwatch library: an
 * independent source of truth for the molecule counting.
 * Exit status: 0 success (also -h), 1 runtime error, 2 usage error.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#define RL 100         /* read length */
#define FL_MIN 120
#define FL_MAX 220
#define SPACING 1000   /* bp between sites */

typedef struct { uint64_t s; } rng_t;

static uint64_t rng_next(rng_t *r) /* splitmix64 */
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double rng_unif(rng_t *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
static int rng_below(rng_t *r, int n) { return (int)(rng_unif(r) * n); }
static double rng_normal(rng_t *r) /* Box-Muller */
{
    double u = 1.0 - rng_unif(r), v = rng_unif(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* 1 + Geometric: mean m >= 1 (P(size = k) = p (1-p)^(k-1), p = 1/m). */
static int rng_family(rng_t *r, double m)
{
    if (m <= 1)
        return 1;
    double p = 1.0 / m, u = 1.0 - rng_unif(r);
    int k = 1 + (int)floor(log(u) / log(1.0 - p));
    return k < 10000 ? k : 10000;
}

static const char ACGT[] = "ACGT";

typedef struct {
    double vaf, family_mean, duplex, seq_err, pcr_err, damage, umi_err, site_sd, artefact;
    int sites, molecules, umi_len, in_name, simplex;
    uint64_t seed;
    const char *prefix, *sample;
} opt_t;

typedef struct {
    bam1_t **b;
    int n, m;
} recs_t;

static int cmp_rec(const void *x, const void *y)
{
    const bam1_t *a = *(bam1_t *const *)x, *b = *(bam1_t *const *)y;
    if (a->core.pos != b->core.pos)
        return a->core.pos < b->core.pos ? -1 : 1;
    int r = strcmp(bam_get_qname(a), bam_get_qname(b));
    return r ? r : (a->core.flag > b->core.flag) - (a->core.flag < b->core.flag);
}

/* Appends one read. */
static int add_read(recs_t *R, const char *name, int flag, int64_t pos, int64_t mpos, int64_t tlen,
                    const char *seq, const char *umi, int in_name)
{
    if (R->n == R->m) {
        int m = R->m ? 2 * R->m : 4096;
        bam1_t **t = realloc(R->b, (size_t)m * sizeof(*t));
        if (!t)
            return -1;
        R->b = t;
        R->m = m;
    }
    bam1_t *b = bam_init1();
    char q[RL];
    memset(q, 40, RL);
    uint32_t cig = bam_cigar_gen(RL, BAM_CMATCH);
    if (!b || bam_set1(b, strlen(name), name, (uint16_t)flag, 0, pos, 60, 1, &cig, 0, mpos, tlen, RL, seq, q,
                       64) < 0)
        return -1;
    if (!in_name && bam_aux_append(b, "RX", 'Z', (int)strlen(umi) + 1, (const uint8_t *)umi) < 0)
        return -1;
    char mc[16];
    snprintf(mc, sizeof mc, "%dM", RL);
    if (bam_aux_append(b, "MC", 'Z', (int)strlen(mc) + 1, (const uint8_t *)mc) < 0)
        return -1;
    R->b[R->n++] = b;
    return 0;
}

typedef struct {
    int64_t molecules, alt, duplex, duplex_alt, fam3, fam3_alt, fragments;
} truth_t;

static void usage(FILE *fp)
{
    fprintf(fp,
            "Usage: vwsim umi -o PREFIX [options]   (or vwsim_umi -o PREFIX [options])\n"
            "Writes PREFIX.bam (+ .bai), PREFIX.targets.tsv and PREFIX.truth.tsv (testdata/sim/README.md).\n"
            "  --seed N            [1]\n"
            "  --sample NAME       read group SM [SIMUMI]\n"
            "  --sites N           SNV sites, one per 1000 bp [4]\n"
            "  --molecules N       original molecules per site [1000]\n"
            "  --vaf F             share of molecules with ALT at every site [0]\n"
            "  --family-mean F     mean copies per strand family (1 + geometric) [3]\n"
            "  --duplex F          probability that the bottom strand is sequenced too [1]\n"
            "  --simplex           one UMI (no halves): the two strands are separate molecules\n"
            "  --umi-len N         bases per UMI half [8]\n"
            "  --umi-in-name       UMI after the last '_' of the read name instead of RX\n"
            "  --seq-error F       per read base [0]\n"
            "  --pcr-error F       per strand family, first-cycle error at the site [0]\n"
            "  --damage F          per strand, template damage at the site [0]\n"
            "  --umi-error F       per copy, one UMI base changed [0]\n"
            "  --site-sd F         sd of log per-site multipliers of the three error rates (mean 1) [0]\n"
            "  --artefact F        share of sites whose damage rate is 100 times higher [0]\n");
}

int vwsim_umi_main(int argc, char **argv);

int vwsim_umi_main(int argc, char **argv)
{
    opt_t o = {0, 3, 1, 0, 0, 0, 0, 0, 0, 4, 1000, 8, 0, 0, 1, NULL, "SIMUMI"};
    static const struct option lo[] = {
        {"seed", 1, NULL, 1}, {"sites", 1, NULL, 2}, {"molecules", 1, NULL, 3}, {"vaf", 1, NULL, 4},
        {"family-mean", 1, NULL, 5}, {"duplex", 1, NULL, 6}, {"umi-len", 1, NULL, 7},
        {"umi-in-name", 0, NULL, 8}, {"seq-error", 1, NULL, 9}, {"pcr-error", 1, NULL, 10},
        {"damage", 1, NULL, 11}, {"umi-error", 1, NULL, 12}, {"simplex", 0, NULL, 13},
        {"site-sd", 1, NULL, 14}, {"artefact", 1, NULL, 15}, {"sample", 1, NULL, 16},
        {"output", 1, NULL, 'o'}, {"help", 0, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) >= 0) {
        switch (c) {
        case 1: o.seed = strtoull(optarg, NULL, 10); break;
        case 2: o.sites = atoi(optarg); break;
        case 3: o.molecules = atoi(optarg); break;
        case 4: o.vaf = atof(optarg); break;
        case 5: o.family_mean = atof(optarg); break;
        case 6: o.duplex = atof(optarg); break;
        case 7: o.umi_len = atoi(optarg); break;
        case 8: o.in_name = 1; break;
        case 9: o.seq_err = atof(optarg); break;
        case 10: o.pcr_err = atof(optarg); break;
        case 11: o.damage = atof(optarg); break;
        case 12: o.umi_err = atof(optarg); break;
        case 13: o.simplex = 1; break;
        case 14: o.site_sd = atof(optarg); break;
        case 15: o.artefact = atof(optarg); break;
        case 16: o.sample = optarg; break;
        case 'o': o.prefix = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!o.prefix || o.sites < 1 || o.sites > 10000 || o.molecules < 1 || o.umi_len < 2 || o.umi_len > 20
        || o.family_mean < 1 || optind != argc) {
        usage(stderr);
        return 2;
    }
    rng_t rng = {o.seed * 0x2545F4914F6CDD1DULL + 17};
    int64_t clen = (int64_t)(o.sites + 1) * SPACING;
    char *ref = malloc((size_t)clen + 1);
    if (!ref)
        return 1;
    for (int64_t i = 0; i < clen; i++)
        ref[i] = ACGT[rng_below(&rng, 4)];
    ref[clen] = '\0';

    kstring_t path = {0, 0, NULL}, hs = {0, 0, NULL};
    if (!*o.sample || strpbrk(o.sample, "\t\n")) {
        usage(stderr);
        return 2;
    }
    ksprintf(&hs, "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:%lld\n@RG\tID:sim\tSM:%s\n", (long long)clen,
             o.sample);
    sam_hdr_t *h = sam_hdr_parse(hs.l, hs.s);
    ksprintf(&path, "%s.bam", o.prefix);
    samFile *out = sam_open(path.s, "wb");
    if (!h || !out || sam_hdr_write(out, h) < 0) {
        fprintf(stderr, "vwsim_umi: cannot write %s\n", path.s);
        return 1;
    }
    ks_clear(&path);
    ksprintf(&path, "%s.targets.tsv", o.prefix);
    FILE *tg = fopen(path.s, "w");
    ks_clear(&path);
    ksprintf(&path, "%s.truth.tsv", o.prefix);
    FILE *tr = fopen(path.s, "w");
    if (!tg || !tr) {
        fprintf(stderr, "vwsim_umi: cannot write %s\n", path.s);
        return 1;
    }
    fputs("chrom\tpos\tref\talt\tid\n", tg);
    fputs("#id\tpos\tref\talt\tmolecules\talt_molecules\tduplex_molecules\tduplex_alt"
          "\tfamily3_molecules\tfamily3_alt\tfragments\n", tr);
    recs_t R = {NULL, 0, 0};
    int L = o.umi_len;
    char (*umis)[48] = malloc((size_t)o.molecules * sizeof(*umis));
    int *mstart = malloc((size_t)o.molecules * sizeof(int)), *mlen = malloc((size_t)o.molecules * sizeof(int));
    if (!umis || !mstart || !mlen)
        return 1;
    int rc = 0;
    for (int s = 0; s < o.sites && rc == 0; s++) {
        int64_t site = (int64_t)(s + 1) * SPACING - SPACING / 2;
        char rb = ref[site], ab = ACGT[(strchr(ACGT, rb) - ACGT + 1) % 4];
        fprintf(tg, "sim1\t%lld\t%c\t%c\tsite%d\n", (long long)site + 1, rb, ab, s + 1);
        truth_t t = {0, 0, 0, 0, 0, 0, 0};
        /* this site's error rates: a log-normal multiplier (mean 1), and now and then an artefact */
        double mult = o.site_sd > 0 ? exp(o.site_sd * rng_normal(&rng) - o.site_sd * o.site_sd / 2) : 1.0;
        double seq_err = fmin(0.5, o.seq_err * mult), pcr_err = fmin(1, o.pcr_err * mult);
        double damage = fmin(1, o.damage * mult * (o.artefact > 0 && rng_unif(&rng) < o.artefact ? 100 : 1));
        for (int mi = 0; mi < o.molecules; mi++) {
            int alt = rng_unif(&rng) < o.vaf;
            int flen = FL_MIN + rng_below(&rng, FL_MAX - FL_MIN + 1);
            int64_t start = site - rng_below(&rng, RL);
            char umi[48];
            for (int tries = 0;; tries++) {
                for (int k = 0; k < 2 * L; k++)
                    umi[k + (k >= L && !o.simplex)] = ACGT[rng_below(&rng, 4)];
                if (!o.simplex)
                    umi[L] = '-';
                umi[2 * L + !o.simplex] = '\0';
                int clash = 0;
                for (int k = 0; k < mi && !clash; k++) {
                    if (mstart[k] != start || mlen[k] != flen)
                        continue;
                    int d = 0;
                    for (int j = 0; umi[j]; j++)
                        d += umi[j] != umis[k][j];
                    clash = d <= 2;
                }
                if (!clash || tries > 100)
                    break;
            }
            memcpy(umis[mi], umi, sizeof umi);
            mstart[mi] = (int)start;
            mlen[mi] = flen;
            int64_t end = start + flen;
            int nst = o.simplex ? 1 : 1 + (rng_unif(&rng) < o.duplex);
            int size[2] = {rng_family(&rng, o.family_mean), 0};
            if (nst == 2)
                size[1] = rng_family(&rng, o.family_mean);
            t.molecules++;
            t.alt += alt;
            t.fragments += size[0] + size[1];
            if (nst == 2) {
                t.duplex++;
                t.duplex_alt += alt;
            }
            if (size[0] + size[1] >= 3) {
                t.fam3++;
                t.fam3_alt += alt;
            }
            for (int st = 0; st < nst && rc == 0; st++) {
                /* the strand's template base at the site */
                char tb = alt ? ab : rb;
                if (rng_unif(&rng) < damage) {
                    char d;
                    do d = ACGT[rng_below(&rng, 4)]; while (d == tb);
                    tb = d;
                }
                char pb = 0;
                if (rng_unif(&rng) < pcr_err)
                    do pb = ACGT[rng_below(&rng, 4)]; while (pb == tb);
                char rx[48];
                if (st == 0 || o.simplex) {
                    memcpy(rx, umi, sizeof rx);
                } else { /* B-A */
                    memcpy(rx, umi + L + 1, (size_t)L);
                    rx[L] = '-';
                    memcpy(rx + L + 1, umi, (size_t)L);
                    rx[2 * L + 1] = '\0';
                }
                for (int cp = 0; cp < size[st] && rc == 0; cp++) {
                    char cb = pb && rng_unif(&rng) < 0.5 ? pb : tb;
                    char cu[48];
                    memcpy(cu, rx, sizeof cu);
                    if (rng_unif(&rng) < o.umi_err) {
                        int j;
                        do j = rng_below(&rng, (int)strlen(cu)); while (cu[j] == '-');
                        char d;
                        do d = ACGT[rng_below(&rng, 4)]; while (d == cu[j]);
                        cu[j] = d;
                    }
                    char sl[RL + 1], sr[RL + 1];
                    int64_t rpos = end - RL;
                    for (int k = 0; k < RL; k++) {
                        int64_t p = start + k, q = rpos + k;
                        sl[k] = p == site ? cb : ref[p];
                        sr[k] = q == site ? cb : ref[q];
                        for (int r = 0; r < 2; r++) {
                            char *x = r ? &sr[k] : &sl[k];
                            if (seq_err > 0 && rng_unif(&rng) < seq_err) {
                                char d;
                                do d = ACGT[rng_below(&rng, 4)]; while (d == *x);
                                *x = d;
                            }
                        }
                    }
                    sl[RL] = sr[RL] = '\0';
                    char name[160];
                    if (o.in_name)
                        snprintf(name, sizeof name, "s%d.m%d.%c%d_%s", s + 1, mi, st ? 'B' : 'A', cp, cu);
                    else
                        snprintf(name, sizeof name, "s%d.m%d.%c%d", s + 1, mi, st ? 'B' : 'A', cp);
                    /* top: read 1 forward on the left (99/147); bottom: read 1 reverse on the right (83/163) */
                    int fl = st ? 163 : 99, fr = st ? 83 : 147;
                    if (add_read(&R, name, fl, start, rpos, flen, sl, cu, o.in_name) < 0
                        || add_read(&R, name, fr, rpos, start, -flen, sr, cu, o.in_name) < 0)
                        rc = 1;
                }
            }
        }
        fprintf(tr, "site%d\t%lld\t%c\t%c\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n", s + 1, (long long)site + 1,
                rb, ab, (long long)t.molecules, (long long)t.alt, (long long)t.duplex, (long long)t.duplex_alt,
                (long long)t.fam3, (long long)t.fam3_alt, (long long)t.fragments);
        qsort(R.b, (size_t)R.n, sizeof(*R.b), cmp_rec);
        for (int i = 0; i < R.n; i++) {
            if (rc == 0 && sam_write1(out, h, R.b[i]) < 0)
                rc = 1;
            bam_destroy1(R.b[i]);
        }
        R.n = 0;
    }
    free(R.b);
    free(umis);
    free(mstart);
    free(mlen);
    if (sam_close(out) < 0 || fclose(tg) != 0 || fclose(tr) != 0)
        rc = 1;
    ks_clear(&path);
    ksprintf(&path, "%s.bam", o.prefix);
    if (rc == 0 && sam_index_build(path.s, 0) < 0)
        rc = 1;
    if (rc)
        fprintf(stderr, "vwsim_umi: failed writing %s\n", o.prefix);
    sam_hdr_destroy(h);
    free(ref);
    free(path.s);
    free(hs.s);
    return rc;
}

#ifndef VWSIM_UMI_NO_MAIN
int main(int argc, char **argv)
{
    return vwsim_umi_main(argc, argv);
}
#endif
