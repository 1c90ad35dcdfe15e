/* count_write.c -- the evidence table and its JSON (see count.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/sam.h>

#include "count_priv.h"
#include <stdio.h>

/* ------------------------------------------------------------------ */
/* Writers                                                             */

static void put_mean(FILE *fp, int64_t sum, int64_t n)
{
    if (n > 0)
        fprintf(fp, "\t%.1f", (double)sum / (double)n);
    else
        fputs("\tNA", fp);
}

static void put_int_or_na(FILE *fp, int v)
{
    if (v >= 0)
        fprintf(fp, "\t%d", v);
    else
        fputs("\tNA", fp);
}

int vw_count_write_tsv(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples)
{
    fputs("#sample\tchrom\tpos\tref\talt\tid\tgene\tprotein\tcdna\tdepth\tref_count\talt_count\tother_count"
          "\tdiscordant\tref_fwd\tref_rev\talt_fwd\talt_rev\talt_mean_bq\talt_mean_mq"
          "\tref_median_fraglen\talt_median_fraglen\n", fp);
    for (int k = 0; k < n_samples; k++) {
        const vw_selfbg_t *b = &s[k]->self;
        if (!s[k]->have_self)
            continue;
        fprintf(fp, "#self_background\t%s\t%d\t%lld", s[k]->sample, s[k]->self_flank, (long long)b->n_pos);
        for (int i = 0; i < VW_N_SUB; i++)
            fprintf(fp, "\t%lld", (long long)b->n[i]);
        for (int i = 0; i < VW_N_SUB; i++)
            fprintf(fp, "\t%lld", (long long)b->x[i]);
        if (b->have_disp) {
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%lld", (long long)b->j[i]);
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%.17g", b->sxx[i]);
            for (int i = 0; i < VW_N_SUB; i++)
                fprintf(fp, "\t%.17g", b->snn[i]);
        }
        fputc('\n', fp);
    }
    for (int k = 0; k < n_samples; k++)
        if (s[k]->unit == VW_UNIT_MOLECULE)
            fprintf(fp, "#count_unit\t%s\tmolecule\t%d\t%d\n", s[k]->sample, s[k]->min_family, s[k]->duplex_only);
    for (int k = 0; k < n_samples; k++) {
        for (int i = 0; i < ts->n; i++) {
            const vw_target_t *t = &ts->t[i];
            const vw_count_t *c = &s[k]->c[i];
            fprintf(fp, "%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t%s", s[k]->sample, s[k]->chrom[i],
                    (long long)t->beg + 1, t->ref, t->alt, t->id, t->gene, t->protein, t->cdna);
            if (!c->assessed) {
                /* depth ... alt_median_fraglen: 13 columns */
                fputs("\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n", fp);
                continue;
            }
            fprintf(fp, "\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld", (long long)c->depth,
                    (long long)c->ref, (long long)c->alt, (long long)c->other, (long long)c->discordant,
                    (long long)c->ref_fwd, (long long)c->ref_rev, (long long)c->alt_fwd, (long long)c->alt_rev);
            put_mean(fp, c->alt_bq_sum, c->alt);
            put_mean(fp, c->alt_mq_sum, c->alt);
            put_int_or_na(fp, vw_fraglen_median(c->fl_ref));
            put_int_or_na(fp, vw_fraglen_median(c->fl_alt));
            fputc('\n', fp);
        }
    }
    return ferror(fp) ? vw_stream_error(fp) : 0;
}

int vw_count_write_json(FILE *fp, const vw_targets_t *ts, vw_sample_counts_t *const *s, int n_samples,
                        const char *command)
{
    /* format_version: docs/schema/vafwatch-counts.schema.json */
    fputs("{\n  \"format\": \"vafwatch-counts\",\n  \"format_version\": 1,\n  \"command\": ", fp);
    vw_json_str(fp, command ? command : "");
    fputs(",\n  \"samples\": [", fp);
    for (int k = 0; k < n_samples; k++) {
        fputs(k ? ",\n    {" : "\n    {", fp);
        fputs("\"sample\": ", fp);
        vw_json_str(fp, s[k]->sample);
        fputs(", \"file\": ", fp);
        vw_json_str(fp, s[k]->path);
        fprintf(fp, ", \"build\": \"%s\", \"reads\": %lld, \"reads_used\": %lld, \"targets\": [",
                vw_build_name(s[k]->build), (long long)s[k]->n_reads, (long long)s[k]->n_used);
        for (int i = 0; i < ts->n; i++) {
            const vw_target_t *t = &ts->t[i];
            const vw_count_t *c = &s[k]->c[i];
            fputs(i ? ",\n      {" : "\n      {", fp);
            fputs("\"id\": ", fp);
            vw_json_str(fp, t->id);
            fputs(", \"chrom\": ", fp);
            vw_json_str(fp, s[k]->chrom[i]);
            fprintf(fp, ", \"pos\": %lld, \"ref\": \"%s\", \"alt\": \"%s\", \"gene\": ", (long long)t->beg + 1,
                    t->ref, t->alt);
            vw_json_str(fp, t->gene);
            fputs(", \"protein\": ", fp);
            vw_json_str(fp, t->protein);
            if (!c->assessed) {
                fputs(", \"assessed\": false}", fp);
                continue;
            }
            fputs(", \"assessed\": true", fp);
            fprintf(fp, ", \"depth\": %lld, \"ref_count\": %lld, \"alt_count\": %lld, \"other_count\": %lld"
                        ", \"discordant\": %lld, \"ref_fwd\": %lld, \"ref_rev\": %lld, \"alt_fwd\": %lld"
                        ", \"alt_rev\": %lld",
                    (long long)c->depth, (long long)c->ref, (long long)c->alt, (long long)c->other,
                    (long long)c->discordant, (long long)c->ref_fwd, (long long)c->ref_rev,
                    (long long)c->alt_fwd, (long long)c->alt_rev);
            int mr = vw_fraglen_median(c->fl_ref), ma = vw_fraglen_median(c->fl_alt);
            fputs(", \"ref_median_fraglen\": ", fp);
            if (mr >= 0) fprintf(fp, "%d", mr); else fputs("null", fp);
            fputs(", \"alt_median_fraglen\": ", fp);
            if (ma >= 0) fprintf(fp, "%d", ma); else fputs("null", fp);
            if (c->mol) /* the molecule table's columns (docs/formats.md) */
                vw_count_json_molecules(fp, c->mol, s[k]->min_family, s[k]->duplex_only);
            fputc('}', fp);
        }
        fputs("\n    ]}", fp);
    }
    fputs("\n  ]\n}\n", fp);
    return ferror(fp) ? vw_stream_error(fp) : 0;
}
