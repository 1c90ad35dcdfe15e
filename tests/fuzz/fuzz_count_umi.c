/* fuzz_count_umi.c -- the UMI path: the fuzz input is SAM records after a
 * fixed header (one 200 bp contig), counted in stream mode in the molecule
 * unit.  The input's first byte picks the variant (one count a run, to keep
 * the harness fast): the UMI told by the first read, from RX, from the read
 * name, or duplex-only with families of 2 or more.  Checks the documented
 * identities of the counts and of the molecule table. */
#include "vafwatch/count.h"
#include "fuzz_util.h"

static vw_targets_t *ts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (!ts) {
        static const char tsv[] = "chrom\tpos\tref\talt\n"
                                  "sim1\t20\tA\tC\n"
                                  "sim1\t30\tAC\tGT\n"
                                  "sim1\t40\tATT\tA\n";
        ts = fz_targets(tsv);
    }
    static const char hdr[] = "@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:sim1\tLN:200\n@RG\tID:a\tSM:s1\n";
    if (n == 0)
        return 0;
    int k = data[0] & 3;
    const char *path = fz_write("in.sam", hdr, data + 1, n - 1);
    static const int src[] = {VW_UMI_AUTO, VW_UMI_TAG, VW_UMI_NAME, VW_UMI_AUTO};
    {
        vw_count_opt_t opt;
        vw_count_opt_init(&opt);
        opt.stream = 1;
        opt.min_mq = 0;
        opt.min_bq = 0;
        opt.unit = VW_UNIT_MOLECULE;
        opt.umi_source = src[k];
        if (k == 3) {
            opt.min_family = 2;
            opt.duplex_only = 1;
        }
        vw_sample_counts_t *res = NULL;
        if (vw_count_file(path, NULL, ts, &opt, &res) != 0)
            return 0;
        for (int i = 0; i < res->n; i++) {
            const vw_count_t *c = &res->c[i];
            const vw_molcount_t *m = c->mol;
            if (!m || c->depth != c->ref + c->alt + c->other || c->discordant != m->no_consensus)
                abort();
            if (m->ref + m->alt + m->other + m->no_consensus + m->small != m->families
                || m->duplex_ref > m->ref || m->duplex_alt > m->alt || m->fragments < m->families)
                abort();
            if ((opt.duplex_only ? m->duplex_alt : m->alt) != c->alt)
                abort();
            (void)vw_famsize_median(m->fam_hist);
        }
        vw_sample_counts_t *one[1] = {res};
        FILE *fp = fopen("/dev/null", "w");
        if (fp) {
            if (vw_count_write_molecules(fp, ts, one, 1) != 0)
                abort();
            fclose(fp);
        }
        vw_sample_counts_destroy(res);
    }
    return 0;
}
