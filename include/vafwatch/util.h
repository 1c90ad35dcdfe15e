/*
 * util.h -- error codes, small helpers shared by every module.
 *
 * Return convention (every library function that can fail):
 *   0 on success, a negative value on failure: -errno for system errors,
 *   or one of the VW_E* domain codes below.  vw_strerror() turns either into
 *   text.  Constructors return NULL and set errno.
 */
#ifndef VW_UTIL_H
#define VW_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define VW_WARN_UNUSED __attribute__((warn_unused_result))
#define VW_FORMAT(a, b) __attribute__((format(printf, a, b)))
#else
#define VW_WARN_UNUSED
#define VW_FORMAT(a, b)
#endif

/* Domain error codes (all below -4095, so they never collide with -errno). */
enum {
    VW_EPARSE  = -5001, /* malformed text input (file:line is logged by the parser) */
    VW_EFORMAT = -5002, /* a binary input is not what it claims (truncated BAM, bad BGZF) */
    VW_EINPUT  = -5003, /* well-formed input that contradicts itself or the options */
    VW_EBUILD  = -5004, /* genome build or contig naming mismatch */
    VW_ESTATS  = -5005  /* a numerical routine failed to converge */
};

/* Text for a return code (negative errno or VW_E*).  Never NULL. */
const char *vw_strerror(int code);

/* A growable output file written under a temporary name and renamed into
 * place by vw_ofile_commit(); vw_ofile_abort() removes the temporary.
 * Path "-" means standard output (no rename). */
typedef struct vw_ofile_s {
    FILE *fp;
    char *path;     /* final name */
    char *tmp;      /* temporary name, NULL for stdout */
} vw_ofile_t;

/* The reason a stream's write failed: -errno of flushing it again (the
 * bytes a failed write leaves in the buffer fail again: -ENOSPC, -EPIPE),
 * or -EIO when that tells nothing. */
int vw_stream_error(FILE *fp);

/* Writes ', "key": value' to a JSON object, the value with 'fmt', or null
 * when it is NaN. */
void vw_json_num_field(FILE *fp, const char *key, double v, const char *fmt);

/* Opens 'path' for writing under a temporary name.  An existing path that
 * is not a regular file (a device such as /dev/null, a FIFO) is written in
 * place, never replaced; a directory is -EISDIR.  Returns 0 or -errno. */
int vw_ofile_open(vw_ofile_t *of, const char *path) VW_WARN_UNUSED;
/* Flushes, closes and renames to the final name.  Returns 0 or -errno;
 * on failure the temporary is removed. */
int vw_ofile_commit(vw_ofile_t *of) VW_WARN_UNUSED;
/* Closes and removes the temporary.  Safe on an unopened/committed handle. */
void vw_ofile_abort(vw_ofile_t *of);

/* An output set: the files a command writes into one directory, committed
 * together.  vw_oset_begin() creates 'dir', takes its lock (a second
 * vafwatch writing into 'dir' gets -EBUSY; the lock goes with the process,
 * so a killed run leaves none; on a file system without locks there is
 * none), removes what a killed run left staged, and
 * makes an empty staging directory, vw_oset_dir(), into which the command
 * writes everything.  vw_oset_commit() renames every staged file into
 * 'dir', then writes 'dir'/vafwatch.manifest.tsv (the list of the set,
 * last), then removes the files of the previous manifest that this set no
 * longer has (a model when there are no normals now, the pages of a patient
 * dropped from the sheet; nothing else is ever removed).  vw_oset_abort()
 * removes the staging directory: 'dir' keeps the previous set untouched.
 * Both release the lock and free the set (NULL accepted).  Return 0 or
 * -errno. */
typedef struct vw_oset_s vw_oset_t;
#define VW_OSET_MANIFEST "vafwatch.manifest.tsv"
int vw_oset_begin(const char *dir, vw_oset_t **ret) VW_WARN_UNUSED;
const char *vw_oset_dir(const vw_oset_t *os);
int vw_oset_commit(vw_oset_t *os) VW_WARN_UNUSED;

/* Creates every directory above 'path' (the part before its last '/'),
 * and 'path' itself when 'self' is non-zero, as 'mkdir -p' does; existing
 * directories are fine.  Returns 0 or -errno (the first mkdir that failed). */
int vw_mkdir_p(const char *path, int self) VW_WARN_UNUSED;
void vw_oset_abort(vw_oset_t *os);

/* Parses a whole decimal integer / double; returns 0 or VW_EPARSE. */
int vw_parse_long(const char *s, long *ret_v) VW_WARN_UNUSED;
int vw_parse_double(const char *s, double *ret_v) VW_WARN_UNUSED;

/* Splits 'line' in place at tabs; returns the number of fields (at most m). */
int vw_split_tabs(char *line, char **fields, int m);

/* Strips a trailing "\n" or "\r\n" in place; returns the new length. */
size_t vw_chomp(char *s);

/* Duplicates with abort-free failure: returns NULL and errno=ENOMEM. */
char *vw_strdup(const char *s);

/* Appends C-escaped JSON string (with quotes) to fp. */
void vw_json_str(FILE *fp, const char *s);

#endif
