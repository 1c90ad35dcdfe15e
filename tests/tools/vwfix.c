/*
 * vwfix -- writes the test fixtures that would otherwise need samtools:
 * SAM text to BAM or CRAM, BAM/CRAM indexes, FASTA indexes.  htslib only
 * (never the vafwatch library), so the fixtures are independent of the code
 * under test.  The spelling follows samtools so that a test reads the same:
 *
 *   vwfix faidx REF.fa                          REF.fa.fai
 *   vwfix view -b [-1] -o OUT.bam IN.sam|-      BAM (-1: compression level 1)
 *   vwfix view -C -T REF.fa -o OUT.cram IN.sam|-  CRAM against REF.fa
 *   vwfix index IN.bam|IN.cram                  .bai / .crai
 *
 * Unlike samtools view, no @PG line is added: the records and header are
 * written as read.  Exit 0, 1 on a failure (one line on stderr naming the
 * file), 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/faidx.h>
#include <htslib/hts.h>
#include <htslib/sam.h>

static int usage(void)
{
    fputs("usage: vwfix faidx REF.fa\n"
          "       vwfix view (-b [-1] | -C -T REF.fa) -o OUT IN.sam|-\n"
          "       vwfix index IN.bam|IN.cram\n",
          stderr);
    return 2;
}

static int cmd_faidx(int argc, char **argv)
{
    if (argc != 2)
        return usage();
    if (fai_build(argv[1]) != 0) {
        fprintf(stderr, "vwfix faidx: cannot index '%s'\n", argv[1]);
        return 1;
    }
    return 0;
}

static int cmd_index(int argc, char **argv)
{
    if (argc != 2)
        return usage();
    int rc = sam_index_build(argv[1], 0);
    if (rc != 0) {
        fprintf(stderr, "vwfix index: cannot index '%s' (%d)\n", argv[1], rc);
        return 1;
    }
    return 0;
}

/* Copies every record of 'in' to 'out' (both open); 0 or 1. */
static int copy_records(samFile *in, samFile *out, const char *inpath, const char *outpath)
{
    sam_hdr_t *h = sam_hdr_read(in);
    if (!h) {
        fprintf(stderr, "vwfix view: cannot read the header of '%s'\n", inpath);
        return 1;
    }
    int ret = 1, r;
    bam1_t *b = bam_init1();
    if (!b || sam_hdr_write(out, h) != 0) {
        fprintf(stderr, "vwfix view: cannot write the header of '%s'\n", outpath);
        goto out;
    }
    while ((r = sam_read1(in, h, b)) >= 0) {
        if (sam_write1(out, h, b) < 0) {
            fprintf(stderr, "vwfix view: cannot write a record to '%s'\n", outpath);
            goto out;
        }
    }
    if (r < -1) {
        fprintf(stderr, "vwfix view: '%s': malformed record\n", inpath);
        goto out;
    }
    ret = 0;
out:
    bam_destroy1(b);
    sam_hdr_destroy(h);
    return ret;
}

static int cmd_view(int argc, char **argv)
{
    int bam = 0, cram = 0, fast = 0;
    const char *out_path = NULL, *ref = NULL, *in_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-b"))
            bam = 1;
        else if (!strcmp(argv[i], "-C"))
            cram = 1;
        else if (!strcmp(argv[i], "-1"))
            fast = 1;
        else if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out_path = argv[++i];
        else if (!strcmp(argv[i], "-T") && i + 1 < argc)
            ref = argv[++i];
        else if (!in_path && (argv[i][0] != '-' || !strcmp(argv[i], "-")))
            in_path = argv[i];
        else
            return usage();
    }
    if (bam == cram || !out_path || !in_path || (cram && !ref) || (cram && fast))
        return usage();
    samFile *in = sam_open(in_path, "r");
    if (!in) {
        fprintf(stderr, "vwfix view: cannot open '%s'\n", in_path);
        return 1;
    }
    samFile *out = sam_open(out_path, cram ? "wc" : fast ? "wb1" : "wb");
    if (!out) {
        fprintf(stderr, "vwfix view: cannot create '%s'\n", out_path);
        sam_close(in);
        return 1;
    }
    int ret = 0;
    if (cram && hts_set_fai_filename(out, ref) != 0) {
        fprintf(stderr, "vwfix view: cannot use the reference '%s'\n", ref);
        ret = 1;
    }
    if (ret == 0)
        ret = copy_records(in, out, in_path, out_path);
    if (sam_close(out) < 0) {
        fprintf(stderr, "vwfix view: cannot close '%s'\n", out_path);
        ret = 1;
    }
    sam_close(in);
    if (ret)
        remove(out_path);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (!strcmp(argv[1], "faidx"))
        return cmd_faidx(argc - 1, argv + 1);
    if (!strcmp(argv[1], "view"))
        return cmd_view(argc - 1, argv + 1);
    if (!strcmp(argv[1], "index"))
        return cmd_index(argc - 1, argv + 1);
    return usage();
}
