/* fuzz_bam_read.c -- the BAM record reader (vw_aln_bam_read1, vw_aln_read1):
 * the fuzz input is raw record bytes after a fixed header (two contigs),
 * taken up to the first record longer than 64 kB and written into BGZF
 * blocks (its first byte, when there are more, sets where a block ends, so
 * that records end at and run across block ends).  Read side by side with
 * htslib's bam_read1 and sam_read1, every record, return value and file
 * position must be the same. */
#include <stddef.h>
#include <string.h>

#include <htslib/bgzf.h>
#include <htslib/sam.h>

#include "vafwatch/aln.h"
#include "fuzz_util.h"

static const char hdr_text[] = "@HD\tVN:1.6\n@SQ\tSN:c1\tLN:1000\n@SQ\tSN:c2\tLN:2000\n";

/* hdr + data[0..n) as a BAM at 'path'; the block ends after 'cut' bytes of the data */
static int write_bam(const char *path, const uint8_t *data, size_t n, size_t cut)
{
    samFile *out = sam_open(path, "wb1");
    sam_hdr_t *h = sam_hdr_parse(strlen(hdr_text), hdr_text);
    int rc = out && h && sam_hdr_write(out, h) == 0 ? 0 : -1;
    if (rc == 0 && cut > 0 && cut < n)
        rc = bgzf_write(out->fp.bgzf, data, cut) == (ssize_t)cut && bgzf_flush(out->fp.bgzf) == 0 ? 0 : -1;
    else
        cut = 0;
    if (rc == 0 && bgzf_write(out->fp.bgzf, data + cut, n - cut) != (ssize_t)(n - cut))
        rc = -1;
    sam_hdr_destroy(h);
    if (out && sam_close(out) != 0)
        rc = -1;
    return rc;
}

static void same_or_abort(int ra, int rb, const bam1_t *x, const bam1_t *y, BGZF *fa, BGZF *fb)
{
    if (ra != rb)
        abort();
    if (ra < 0)
        return;
    if (memcmp(&x->core, &y->core, offsetof(bam1_core_t, isize) + sizeof(x->core.isize)) != 0 || x->l_data != y->l_data
        || memcmp(x->data, y->data, (size_t)x->l_data) != 0 || bgzf_tell(fa) != bgzf_tell(fb))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_init();
    if (n < 2)
        return 0;
    char bam[128];
    snprintf(bam, sizeof bam, "%s/in.bam", fz_dir);
    /* the records up to the first longer than 64 kB: htslib allocates what a
     * record's length says (2 GB for a hostile one), both readers alike */
    size_t len = 1;
    while (len + 4 <= n) {
        uint32_t bl;
        memcpy(&bl, data + len, 4);
        if (bl > 65536)
            break;
        len += 4 + (size_t)bl;
    }
    if (len > n)
        len = n;
    if (write_bam(bam, data + 1, len - 1, (size_t)data[0] * 4) != 0)
        abort();
    for (int pass = 0; pass < 2; pass++) { /* bam_read1, then sam_read1 with the header's test */
        samFile *a = sam_open(bam, "r"), *b = sam_open(bam, "r");
        sam_hdr_t *ha = a ? sam_hdr_read(a) : NULL, *hb = b ? sam_hdr_read(b) : NULL;
        bam1_t *x = bam_init1(), *y = bam_init1();
        if (!ha || !hb || !x || !y)
            abort();
        for (int i = 0; i < 10000; i++) {
            int ra = pass ? sam_read1(a, ha, x) : bam_read1(a->fp.bgzf, x);
            int rb = pass ? vw_aln_read1(b, hb, y) : vw_aln_bam_read1(b->fp.bgzf, y);
            same_or_abort(ra, rb, x, y, a->fp.bgzf, b->fp.bgzf);
            if (ra < 0)
                break;
        }
        bam_destroy1(x);
        bam_destroy1(y);
        sam_hdr_destroy(ha);
        sam_hdr_destroy(hb);
        sam_close(a);
        sam_close(b);
    }
    return 0;
}
