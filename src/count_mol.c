/* count_mol.c -- the molecule table: family sizes, consensus and duplex
 * counts per sample x target of the samples counted in molecules. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/count.h"

int vw_count_write_molecules(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples)
{
    fputs("#sample\tchrom\tpos\tref\talt\tid\tmin_family\tfragments\tmolecules\tfamily_median"
          "\tsingleton_share\tbelow_min_family\tno_consensus\tmol_ref\tmol_alt\tmol_other"
          "\tduplex_ref\tduplex_alt\tduplex_other\n", fp);
    for (int k = 0; k < n_samples; k++) {
        if (s[k]->unit != VW_UNIT_MOLECULE)
            continue;
        for (int i = 0; i < ts->n; i++) {
            const vw_target_t *t = &ts->t[i];
            const vw_molcount_t *m = s[k]->c[i].mol;
            fprintf(fp, "%s\t%s\t%lld\t%s\t%s\t%s\t%d", s[k]->sample, s[k]->chrom[i], (long long)t->beg + 1,
                    t->ref, t->alt, t->id, s[k]->min_family);
            if (!m) {
                fputs("\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n", fp);
                continue;
            }
            fprintf(fp, "\t%lld\t%lld", (long long)m->fragments, (long long)m->families);
            int med = vw_famsize_median(m->fam_hist);
            if (med < 0)
                fputs("\tNA\tNA", fp);
            else
                fprintf(fp, "\t%d\t%.4f", med, (double)m->fam_hist[1] / (double)m->families);
            fprintf(fp, "\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n", (long long)m->small,
                    (long long)m->no_consensus, (long long)m->ref, (long long)m->alt, (long long)m->other,
                    (long long)m->duplex_ref, (long long)m->duplex_alt, (long long)m->duplex_other);
        }
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

const char *vw_count_class(const vw_count_opt_t *opt, char *buf, size_t n)
{
    if (opt->unit == VW_UNIT_READ)
        snprintf(buf, n, "read");
    else if (opt->unit != VW_UNIT_MOLECULE)
        snprintf(buf, n, "fragment");
    else if (opt->duplex_only)
        snprintf(buf, n, "duplex molecule (families >= %d)", opt->min_family);
    else
        snprintf(buf, n, "molecule (families >= %d)", opt->min_family);
    return buf;
}

void vw_count_json_molecules(FILE *fp, const vw_molcount_t *m, int min_family, int duplex_only)
{
    fprintf(fp, ", \"molecules\": {\"min_family\": %d, \"duplex_only\": %s, \"fragments\": %lld, \"molecules\": %lld",
            min_family, duplex_only ? "true" : "false", (long long)m->fragments, (long long)m->families);
    int med = vw_famsize_median(m->fam_hist);
    if (med < 0)
        fputs(", \"family_median\": null, \"singleton_share\": null", fp);
    else
        fprintf(fp, ", \"family_median\": %d, \"singleton_share\": %.4f", med,
                (double)m->fam_hist[1] / (double)m->families);
    fprintf(fp, ", \"below_min_family\": %lld, \"no_consensus\": %lld, \"mol_ref\": %lld, \"mol_alt\": %lld"
                ", \"mol_other\": %lld, \"duplex_ref\": %lld, \"duplex_alt\": %lld, \"duplex_other\": %lld}",
            (long long)m->small, (long long)m->no_consensus, (long long)m->ref, (long long)m->alt,
            (long long)m->other, (long long)m->duplex_ref, (long long)m->duplex_alt, (long long)m->duplex_other);
}
