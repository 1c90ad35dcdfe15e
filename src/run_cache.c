/* run_cache.c -- the keys and file names of vafwatch run's caches in
 * DIR/counts/ (the counts of the draws, pipeline.c; the genome-wide bins,
 * run_genome.c): pipeline_priv.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/kstring.h>

#include "pipeline_priv.h"

/* DIR/counts/NAME + suffix (".vafwatch.counts.tsv"), NAME the sample name with every
 * byte that is not safe in a file name written as %XX ('%' itself too, and
 * a leading '.'): distinct samples get distinct files ("x/y" is x%2Fy,
 * "x_y" stays x_y), and so do their temporary names. */
char *vw_pipeline_cache_path(const char *dir, const char *sample, const char *suffix)
{
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "%s/counts/", dir);
    for (const unsigned char *p = (const unsigned char *)sample; *p; p++) {
        int safe = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
                   || (*p >= 0x80) || (strchr("_-+=,@", *p) && *p) || (*p == '.' && p != (const unsigned char *)sample);
        if (safe)
            kputc(*p, &ks);
        else
            ksprintf(&ks, "%%%02X", *p);
    }
    kputs(suffix, &ks);
    return ks.s;
}

/* FNV-1a over the first and the last 64 KiB of a regular file (the whole of
 * a small one): with the inode, size and times in the key, a content
 * check that costs two reads. */
static int content_print(const char *path, off_t size, uint64_t *ret)
{
    enum { PART = 65536 };
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -errno;
    unsigned char *buf = malloc(PART);
    uint64_t h = 1469598103934665603ULL;
    int rc = buf ? 0 : -ENOMEM;
    for (int part = 0; rc == 0 && part < 2; part++) {
        if (part == 1 && (size <= PART || fseeko(fp, size > 2 * PART ? size - PART : PART, SEEK_SET) != 0))
            break;
        size_t n = fread(buf, 1, PART, fp);
        if (ferror(fp))
            rc = -EIO;
        for (size_t i = 0; i < n; i++) {
            h ^= buf[i];
            h *= 1099511628211ULL;
        }
    }
    free(buf);
    fclose(fp);
    if (rc == 0)
        *ret = h;
    return rc;
}

int vw_pipeline_file_key(const char *path, const char *kind, const char *opts, char **ret_key)
{
    struct stat st;
    uint64_t print = 0;
    *ret_key = NULL;
    if (stat(path, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return 0;
    int r = content_print(path, st.st_size, &print);
    if (r < 0)
        return r;
    kstring_t ks = {0, 0, NULL};
    ksprintf(&ks, "%s\t%s\t%llu:%llu\t%lld\t%lld.%09ld\t%lld.%09ld\t%016llx\t%s", kind, path,
             (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec,
             (unsigned long long)print, opts);
    if (!ks.s)
        return -ENOMEM;
    for (char *p = ks.s; *p; p++) /* the key is one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    *ret_key = ks.s;
    return 0;
}
