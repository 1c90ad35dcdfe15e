/* fuzz_wig.c -- vw_gwig_read() (readCounter/HMMcopy fixedStep WIG) on
 * arbitrary text, then vw_gaps_read() (centromere tables) and
 * vw_gsum_read_tsv() (cnv --genome summaries) on the same bytes, and, when the WIG
 * parses, matching it against a fixed track and the masking and
 * correction steps of the genome-wide copy number on its bins. */
#include <math.h>

#include "vafwatch/cnv_genome.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    const char *path = fz_write("in.wig", NULL, data, n);
    vw_gwig_t *w = NULL;
    vw_gaps_t *gp = NULL;
    if (vw_gaps_read(path, &gp) != 0)
        gp = NULL;
    vw_gsum_t *sum = vw_gsum_init();
    if (!sum)
        abort();
    (void)vw_gsum_read_tsv(sum, path);
    for (int i = 0; i < sum->n; i++)
        if (!(sum->fit[i].tf >= 0 && sum->fit[i].tf <= 1))
            abort();
    vw_gsum_destroy(sum);
    if (vw_gwig_read(path, &w) == 0) {
        if (w->n > 0 && w->step <= 0)
            abort();
        for (int i = 0; i < w->n; i++)
            if (w->beg[i] >= w->end[i] || w->cid[i] < 0 || w->cid[i] >= w->n_chrom)
                abort();
        (void)vw_gwig_build(w);
        vw_gwig_t *ref = vw_gwig_init(w->step);
        if (!ref || vw_gwig_add_contig(ref, "chr1", 3 * w->step) != 0)
            abort();
        double *out = malloc(sizeof(double) * (size_t)(w->n ? w->n : 1));
        if (!out)
            abort();
        (void)vw_gwig_transfer(w, "in", ref, "ref", out);
        free(out);
        vw_gwig_destroy(ref);
        if (w->n < 20000) { /* keep each execution fast */
            vw_genome_t *g = vw_genome_init("s", w);
            w = NULL;
            if (!g)
                abort();
            vw_genome_opt_t o;
            vw_genome_opt_init(&o);
            for (int i = 0; i < g->w->n; i++)
                g->gc[i] = g->w->v[i] <= 1 ? g->w->v[i] : NAN;
            (void)vw_genome_mask(g, gp, &o, NULL, 0);
            (void)vw_genome_correct(g, &o);
            vw_genome_destroy(g);
        }
    }
    vw_gwig_destroy(w);
    vw_gaps_destroy(gp);
    return 0;
}
