/* count_spill.c -- waiting mates on disk: runs of pending-mate records,
 * each sorted by the mate's start, in unlinked temporary files.  count_pend.c
 * writes a run when the table reaches its bound and reads the runs back as
 * the stream reaches the mates (see count_priv.h for the layers). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "count_priv.h"

/* A new, empty run in $TMPDIR (or /tmp), removed from the directory at
 * once: the file goes away with its handle, also on a crash. */
int count_spill_open(spill_run_t *r, const char *path)
{
    memset(r, 0, sizeof(*r));
    const char *dir = getenv("TMPDIR");
    kstring_t t = {0, 0, NULL};
    if (ksprintf(&t, "%s/vafwatch-mates-XXXXXX", dir && *dir ? dir : "/tmp") < 0)
        return -ENOMEM;
    int fd = mkstemp(t.s);
    int err = errno;
    if (fd >= 0) {
        unlink(t.s);
        if (!(r->f = fdopen(fd, "w+b"))) {
            err = errno;
            close(fd);
        }
    }
    if (!r->f)
        vw_error("%s: cannot create a temporary file for waiting mates in %s: %s", path,
                 dir && *dir ? dir : "/tmp", strerror(err));
    free(t.s);
    return r->f ? 0 : -err;
}

/* The code of a failed write: errno (ENOSPC for a full disk), else -EIO. */
static int write_err(void)
{
    return errno > 0 ? -errno : -EIO;
}

int count_spill_write(spill_run_t *r, const spill_rec_t *h, const char *name, const obs_t *obs)
{
    errno = 0;
    if (fwrite(h, sizeof(*h), 1, r->f) != 1 || fwrite(name, 1, h->name_len, r->f) != h->name_len
        || fwrite(obs, sizeof(obs_t), (size_t)h->n_obs, r->f) != (size_t)h->n_obs)
        return write_err();
    return 0;
}

/* Reads the next record into the run's head; r->have 0 at the end. */
int count_spill_next(spill_run_t *r)
{
    r->have = 0;
    size_t n = fread(&r->rec, sizeof(r->rec), 1, r->f);
    if (n != 1)
        return ferror(r->f) ? -EIO : 0;
    if (ks_resize(&r->name, r->rec.name_len + 1) < 0)
        return -ENOMEM;
    if (r->rec.n_obs > r->m_obs) {
        obs_t *o = realloc(r->obs, (size_t)r->rec.n_obs * sizeof(obs_t));
        if (!o)
            return -ENOMEM;
        r->obs = o;
        r->m_obs = r->rec.n_obs;
    }
    if (fread(r->name.s, 1, r->rec.name_len, r->f) != r->rec.name_len
        || fread(r->obs, sizeof(obs_t), (size_t)r->rec.n_obs, r->f) != (size_t)r->rec.n_obs)
        return -EIO; /* a file we wrote ourselves cannot end inside a record */
    r->name.s[r->rec.name_len] = '\0';
    r->have = 1;
    return 0;
}

/* After the last write: back to the start, the first record in the head. */
int count_spill_rewind(spill_run_t *r)
{
    errno = 0;
    if (fflush(r->f) != 0 || fseek(r->f, 0, SEEK_SET) != 0)
        return write_err();
    return count_spill_next(r);
}

void count_spill_close(spill_run_t *r)
{
    if (r->f)
        fclose(r->f);
    free(r->name.s);
    free(r->obs);
    memset(r, 0, sizeof(*r));
}

/* Merges runs [0, n) into one new run *out (sorted by the mate's start as
 * each of them), closing them. */
int count_spill_merge(spill_run_t *runs, int n, spill_run_t *out, const char *path)
{
    int ret = count_spill_open(out, path);
    while (ret == 0) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (runs[i].have && (best < 0 || runs[i].rec.mpos < runs[best].rec.mpos))
                best = i;
        if (best < 0)
            break;
        spill_run_t *r = &runs[best];
        if ((ret = count_spill_write(out, &r->rec, r->name.s, r->obs)) == 0)
            ret = count_spill_next(r);
    }
    for (int i = 0; i < n; i++)
        count_spill_close(&runs[i]);
    if (ret == 0)
        ret = count_spill_rewind(out);
    return ret;
}
