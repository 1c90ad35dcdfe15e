/*
 * table.h -- the one reader and writer of vafwatch's tab-separated tables
 * (cohort sheet, events, markers, calls, evidence, CNV tables, target
 * lists, model), and the one rule for contig names.  The conventions every
 * table shares are in docs/formats.md ("Common table conventions").
 *
 * Reading is streaming: one line at a time into a reused buffer, so a
 * table of any size needs memory for its longest line only.
 *
 *   - A UTF-8 byte-order mark before the first line is skipped; lines end
 *     in LF or CRLF (both removed); a NUL byte is refused (not a text file).
 *   - The header is located by column name: vw_table_header() maps each
 *     column of a spec (required or optional) to its field index; unknown
 *     columns are warned about, ignored silently or refused (per table).
 *   - Errors are logged as "<file>:<line>: column '<x>': <message>"
 *     (vw_table_error()), and the functions that read say "Logs on failure".
 *   - "NA" (and, where a table allows it, the empty field) is a missing
 *     number: NaN.  Numbers are strict: the whole field, finite unless
 *     asked, within a range.
 *   - vw_table_fmt_double() writes the shortest decimal that reads back as
 *     the same double (round trip of every value written, -0 and
 *     subnormals included).
 *
 * Thread safety: a vw_table_t is used by one thread at a time; different
 * tables may be read on different threads.  The parse and format
 * functions and the contig functions are pure (reentrant).  Logging goes
 * through log.h.
 */
#ifndef VW_TABLE_H
#define VW_TABLE_H

#include <stdio.h>

#include "vafwatch/util.h"

/* ------------------------------------------------------------------------ */
/* Reader                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct vw_table_s vw_table_t;

/* A column of a table's spec: its header name and whether the table needs it. */
typedef struct {
    const char *name;
    int required;
} vw_table_col_t;

/* How vw_table_header() treats a header column that no spec names. */
enum {
    VW_TABLE_UNKNOWN_WARN   = 0,      /* one warning listing them all */
    VW_TABLE_UNKNOWN_IGNORE = 1 << 0, /* silently */
    VW_TABLE_UNKNOWN_REFUSE = 1 << 1, /* an error (VW_EPARSE) */
    VW_TABLE_HEADER_NO_HASH = 1 << 2, /* the header has no leading '#' to drop */
    VW_TABLE_NOCASE         = 1 << 3, /* column names match in any case */
    VW_TABLE_RAGGED         = 1 << 4  /* rows may have more or fewer fields than the
                                         header (vw_table_nfields(); the missing are NULL) */
};

/* Opens 'path' for reading (plain text, or gzip/BGZF-compressed; "-" is
 * standard input); 'what' names the table in messages ("cohort sheet":
 * "<path>: cannot open cohort sheet: <reason>"; a directory is -EISDIR).  On success
 * *ret is the reader (caller owns; free with vw_table_close()).  Returns 0
 * or -errno.  Logs on failure. */
int vw_table_open(const char *path, const char *what, vw_table_t **ret) VW_WARN_UNUSED;

/* Reads an already open stream (borrowed; not closed by vw_table_close()).
 * 'path' is the name used in messages (copied).  Returns NULL with errno
 * set on ENOMEM. */
vw_table_t *vw_table_from_fp(FILE *fp, const char *path);

/* Closes (when opened by vw_table_open()) and frees.  NULL accepted. */
void vw_table_close(vw_table_t *t);

/* The name used in messages, and the number of the line last read (1-based,
 * 0 before the first). */
const char *vw_table_path(const vw_table_t *t);
long vw_table_lineno(const vw_table_t *t);

/* Reads the next physical line, with the BOM of line 1 and the line ending
 * removed.  *ret_line is borrowed, writable, valid until the next read.
 * Returns 1, 0 at the end of the file, or a negative code (a read error
 * -errno, a NUL byte VW_EPARSE).  Logs on failure. */
int vw_table_next_line(vw_table_t *t, char **ret_line) VW_WARN_UNUSED;

/* Reads the header: the first line that is not blank (and, with
 * 'skip_meta' set, does not start with "##"), with one leading '#' dropped
 * unless VW_TABLE_HEADER_NO_HASH.  col[j] is set to the field index of
 * spec[j].name, or -1 when the column is absent.  A required column
 * missing or a spec column given twice is VW_EPARSE; an empty table is
 * VW_EPARSE ("the <what> is empty; expected a header line").  'flags':
 * VW_TABLE_UNKNOWN_* and VW_TABLE_HEADER_NO_HASH.  After it,
 * vw_table_ncols() is the header's field count.  Returns 0 or a negative
 * code.  Logs on failure. */
#define VW_TABLE_SKIP_META (1 << 8) /* flag: skip "##" provenance lines before the header */
int vw_table_header(vw_table_t *t, const char *what, const vw_table_col_t *spec, int n_spec,
                    unsigned flags, int *col) VW_WARN_UNUSED;

/* As vw_table_header(), on a line the caller has read with
 * vw_table_next_line() (for formats whose lines before the header carry
 * meaning, such as the model file's '##key=value' lines).  'line' is
 * copied.  Returns 0 or a negative code.  Logs on failure. */
int vw_table_header_parse(vw_table_t *t, char *line, const vw_table_col_t *spec, int n_spec, unsigned flags,
                          int *col) VW_WARN_UNUSED;

/* Number of fields of the header (0 before vw_table_header()). */
int vw_table_ncols(const vw_table_t *t);

/* Number of fields of the last row read (VW_TABLE_RAGGED tables). */
int vw_table_nfields(const vw_table_t *t);

/* The name of header field i (borrowed, valid until vw_table_close()), or
 * NULL when i is out of range. */
const char *vw_table_colname(const vw_table_t *t, int i);

/* Reads the next data row, skipping blank lines and lines starting with
 * '#', and splits it at tabs into exactly vw_table_ncols() fields: another
 * count is VW_EPARSE ("expected N tab-separated fields as in the header,
 * found M").  *ret_fields is borrowed (valid until the next read).
 * Returns 1, 0 at the end, or a negative code.  Logs on failure. */
int vw_table_row(vw_table_t *t, char ***ret_fields) VW_WARN_UNUSED;

/* As vw_table_row(), but a line starting with '#' after the header is
 * handed back: VW_TABLE_COMMENT with *ret_comment set (borrowed, whole
 * line with its '#'), for tables that carry records in comments.  Returns
 * VW_TABLE_ROW, VW_TABLE_COMMENT, 0 at the end, or a negative code.  Logs
 * on failure. */
enum { VW_TABLE_ROW = 1, VW_TABLE_COMMENT = 2 };
int vw_table_next(vw_table_t *t, char ***ret_fields, char **ret_comment) VW_WARN_UNUSED;

/* Logs "<path>:<line>: column '<col>': <message>" as an error or a
 * warning.  line <= 0 leaves out ":<line>", col NULL the column part. */
void vw_table_error(const char *path, long line, const char *col, const char *fmt, ...) VW_FORMAT(4, 5);
void vw_table_warn(const char *path, long line, const char *col, const char *fmt, ...) VW_FORMAT(4, 5);

/* ------------------------------------------------------------------------ */
/* Fields                                                                    */
/* ------------------------------------------------------------------------ */

/* Flags of the number parsers. */
enum {
    VW_NUM_NA       = 1 << 0, /* "NA" is accepted: NaN (doubles) */
    VW_NUM_EMPTY    = 1 << 1, /* the empty field is accepted: NaN */
    VW_NUM_INFINITE = 1 << 2  /* "inf"/"-inf" accepted (otherwise finite only) */
};

/* 1 when s is the missing value "NA" (or, with VW_NUM_EMPTY, empty). */
int vw_table_is_na(const char *s, unsigned flags);

/* Parses a whole decimal double in [lo, hi] (the "C" locale; no leading or
 * trailing space).  NA/empty per 'flags' give NaN without a range check.
 * An underflow reads as the nearest double (a subnormal or 0).  Returns 0
 * (*ret_v set) or VW_EPARSE (*ret_v untouched). */
int vw_table_parse_double(const char *s, unsigned flags, double lo, double hi, double *ret_v) VW_WARN_UNUSED;

/* Parses a whole decimal integer in [lo, hi].  Returns 0 or VW_EPARSE. */
int vw_table_parse_long(const char *s, long lo, long hi, long *ret_v) VW_WARN_UNUSED;

/* Room for any value vw_table_fmt_double() writes ("-2.2250738585072014e-308"). */
#define VW_TABLE_NUMSZ 32

/* Writes v into buf (VW_TABLE_NUMSZ bytes) as the shortest "%.<p>g"
 * (p = 1..17) that strtod() reads back as exactly v: NaN as "NA", the
 * infinities as "inf" and "-inf", negative zero as "-0".  Returns buf. */
char *vw_table_fmt_double(char *buf, double v);

/* fputs(vw_table_fmt_double(v)).  Returns what fputs returns. */
int vw_table_put_double(FILE *fp, double v);

/* ------------------------------------------------------------------------ */
/* Writer                                                                    */
/* ------------------------------------------------------------------------ */

/* Writes the header line of a table from its spec: '#' and the names,
 * tab-separated, then a newline (the reader's spec and the writer's
 * header are then one list).  Returns 0, or -EIO when the stream is in
 * error (vw_stream_error() tells why). */
int vw_table_put_header(FILE *fp, const vw_table_col_t *spec, int n_spec);

/* Writes v with the printf format 'fmt' (one double conversion, a fixed
 * precision such as "%.4g"), or "NA" when v is NaN.  For values that must
 * read back exactly use vw_table_put_double().  Returns what fprintf or
 * fputs returns. */
int vw_table_put_num(FILE *fp, double v, const char *fmt);

/* ------------------------------------------------------------------------ */
/* Contig names                                                              */
/* ------------------------------------------------------------------------ */

/*
 * The one rule for contig names across builds' conventions (UCSC "chr7",
 * Ensembl/NCBI "7"): two names denote the same contig when their bare forms
 * are equal.  The bare form drops a leading "chr" (any case) when
 * something follows it, and writes the mitochondrion "MT":
 *   chr7 = Chr7 = 7;  chrX = X;  chrM = chrMT = M = MT;  chr7_KI270803v1_alt
 *   = 7_KI270803v1_alt;  "chr" alone is itself.
 * Nothing else is aliased (no "GRCh38." prefixes, no NC_ accessions).
 */

/* The bare form of 'name': a pointer into 'name', or the static "MT". */
const char *vw_contig_bare(const char *name);

/* 1 when a and b denote the same contig by the rule above, else 0. */
int vw_contig_match(const char *a, const char *b);

/* The spellings under which a file may name the contig 'name', for looking
 * it up in a header: 'name' itself first, then its bare form, "chr" + bare,
 * and for the mitochondrion also "M", "MT", "chrM", "chrMT" (without
 * repeats).  Writes at most 'max' strings of VW_CONTIG_NAMESZ bytes into
 * out; a longer name is given once, as is.  Returns the count. */
#define VW_CONTIG_NAMESZ 256
int vw_contig_spellings(const char *name, char (*out)[VW_CONTIG_NAMESZ], int max);

#endif
