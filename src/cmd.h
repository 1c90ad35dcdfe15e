/* cmd.h -- subcommand entry points and the options every subcommand shares.
 *
 * Thread safety: everything here runs on the main thread, except what
 * vw_cmd_run_workers() hands to its workers; vw_cmd_line() may be read from
 * any thread once main has set it.  Functions that log do so through log.h.
 */
#ifndef VW_CMD_H
#define VW_CMD_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include <htslib/sam.h>

/* Exit codes (documented in the README). */
#define VW_EXIT_OK 0
#define VW_EXIT_DATA 1
#define VW_EXIT_USAGE 2

/* Long-only option ids shared by all subcommands (values above any char). */
enum {
    VW_OPT_VERBOSITY = 1000,
    VW_OPT_VERSION,
    VW_OPT_QUIET,
    VW_OPT_OUTPUT_PREFIX,   /* --output-prefix STR (call, track, leadtime, cnv) */
    VW_OPT_JSON,            /* --json FILE (count, call, leadtime) */
    VW_OPT_CMD_FIRST = 1100 /* first id free for a subcommand */
};

#define VW_OPT_COMMON_LONG                                      \
    {"verbosity", required_argument, NULL, VW_OPT_VERBOSITY},   \
    {"quiet", no_argument, NULL, VW_OPT_QUIET},                 \
    {"version", no_argument, NULL, VW_OPT_VERSION},             \
    {"help", no_argument, NULL, 'h'}

#define VW_OPT_COMMON_HELP                                                          \
    "Generic:\n"                                                                    \
    "      --verbosity INT      0 quiet, 1 errors, 2 warnings, 3 info, 4 debug [2]\n" \
    "      --quiet              same as --verbosity 1\n"                            \
    "      --version            print the version and exit\n"                       \
    "  -h, --help               print this help and exit\n"

/* Parses an integer option value in [lo, hi]; logs "NAME takes an integer
 * from LO to HI" and returns -1 when it is not one, else 0 and *ret. */
int vw_cmd_long_arg(const char *name, const char *arg, long lo, long hi, long *ret);

/* Runs fn(arg) in 'workers' threads (fn takes its jobs from a shared
 * queue in arg) and waits for them; in this thread when workers <= 1 or no
 * thread can be started. */
void vw_cmd_run_workers(void *(*fn)(void *), void *arg, int workers);

/* Handles the common options; returns 1 if 'c' was one of them, with
 * *ret_exit set to -1 to go on or to an exit code to stop with. */
int vw_cmd_common(int c, const char *arg, void (*usage)(FILE *), int *ret_exit);

/* The full command line, for provenance (set by main with
 * vw_cmd_set_line(); vw_cmd_free_line() releases it).  Not thread-safe:
 * set once before any worker starts. */
const char *vw_cmd_line(void);
void vw_cmd_set_line(int argc, char *argv[]);
void vw_cmd_free_line(void);
/* The running command's name (borrowed; it must outlive the command), used
 * in log lines and in the "Try 'vafwatch NAME --help'." hint. */
void vw_cmd_set_name(const char *name);

/* -@/--threads (and -t, where it meant threads before): one validator.
 * Returns 0 with *ret_threads set, or -1 after logging. */
#define VW_OPT_THREADS_LONG {"threads", required_argument, NULL, '@'}
int vw_cmd_threads_arg(const char *arg, int *ret_threads);
/* A FILE option value that looks like an option ('--json --track': the
 * option once was a flag): logs "NAME takes a FILE, not the option 'ARG'"
 * and returns -1; else 0. */
int vw_cmd_file_arg(const char *name, const char *arg);

/* Target selection shared by catalogue, count and the later stages. */
#include "vafwatch/catalogue.h"
typedef struct {
    const char *build;       /* --build, NULL: from the first input's header */
    const char **targets;    /* --targets files */
    int n_targets;
    int no_builtin;          /* --no-builtin */
    const char *reference;   /* --reference */
    const char **regions;    /* -r/--region arguments (REG[,REG...]) */
    int n_regions;
    const char *regions_file; /* -R/--regions-file BED, or NULL */
} vw_target_opt_t;
/* -r/--region and -R/--regions-file (count, model, call): keeps the
 * targets that overlap a region (contigs matched with or without "chr").
 * Nothing happens when neither was given.  Logs on failure; returns 0,
 * VW_EINPUT (a bad region, or no target left), VW_EPARSE or -errno. */
int vw_cmd_region_filter(const vw_target_opt_t *o, vw_targets_t *ts);
/* Checks one -r argument; logs and returns VW_EINPUT when it cannot be read. */
int vw_cmd_region_check(const char *arg);
#define VW_OPT_REGION_LONG                                           \
    {"region", required_argument, NULL, 'r'},                        \
    {"regions-file", required_argument, NULL, 'R'}
#define VW_OPT_REGION_HELP                                                                    \
    "  -r, --region REG         only the targets in REG: CHR, CHR:POS or CHR:BEG-END\n"       \
    "                           (1-based); comma-separated or repeated\n"                     \
    "  -R, --regions-file BED   only the targets in the regions of BED (0-based starts)\n"

#include "vafwatch/call.h"
#include "vafwatch/count.h"
/* Options choosing the targets and filtering reads, shared by count, model,
 * call and run (short letters -T -f -q -Q; long-only ids below). */
enum {
    VW_OPT_CO_BUILD = 1300, VW_OPT_CO_NO_BUILTIN, VW_OPT_CO_STREAM, VW_OPT_CO_EXCL, VW_OPT_CO_PROPER,
    VW_OPT_CO_UNIT, VW_OPT_CO_UMI, VW_OPT_CO_MIN_FAMILY, VW_OPT_CO_MIN_AGREE, VW_OPT_CO_DUPLEX,
    VW_OPT_CL_ADJUST = 1320, VW_OPT_CL_CI, VW_OPT_CL_MIN_DEPTH, VW_OPT_CL_FLOOR, VW_OPT_CL_VETO, VW_OPT_CL_KNOWN
};
/* The reading options of every command that reads alignments (count,
 * model, call, run, cnv, cnv --genome): -f, --stream, -q, --excl-flags. */
#define VW_OPT_READ_LONG                                             \
    {"reference", required_argument, NULL, 'f'},                     \
    {"stream", no_argument, NULL, VW_OPT_CO_STREAM},                 \
    {"min-MQ", required_argument, NULL, 'q'},                        \
    {"excl-flags", required_argument, NULL, VW_OPT_CO_EXCL}
#define VW_OPT_COUNT_LONG                                            \
    VW_OPT_READ_LONG,                                                \
    {"targets", required_argument, NULL, 'T'},                       \
    {"no-builtin", no_argument, NULL, VW_OPT_CO_NO_BUILTIN},         \
    {"build", required_argument, NULL, VW_OPT_CO_BUILD},             \
    {"min-BQ", required_argument, NULL, 'Q'},                        \
    {"proper-pair", no_argument, NULL, VW_OPT_CO_PROPER},            \
    {"count-unit", required_argument, NULL, VW_OPT_CO_UNIT},         \
    {"umi", required_argument, NULL, VW_OPT_CO_UMI},                 \
    {"min-family", required_argument, NULL, VW_OPT_CO_MIN_FAMILY},   \
    {"min-agree", required_argument, NULL, VW_OPT_CO_MIN_AGREE},     \
    {"duplex-only", no_argument, NULL, VW_OPT_CO_DUPLEX}
/* Help lines of the read filters (count, model, call); the format takes
 * the minimum mapping quality (int), base quality (int) and the excluded
 * flags (string), in this order. */
#define VW_OPT_FILTER_HELP                                                                    \
    "  -q, --min-MQ INT         skip reads with mapping quality < INT [%d]\n"               \
    "  -Q, --min-BQ INT         skip SNV/MNV bases with base quality < INT [%d]\n"          \
    "      --excl-flags FLAGS   skip reads with any of these flags [%s]\n"                  \
    "      --proper-pair        count properly paired reads only\n"                         \
    "      --count-unit UNIT    fragment, read (as samtools mpileup -x) or molecule [fragment]\n"
/* Help lines of the molecule options (count, call, run). */
#define VW_OPT_MOLECULE_HELP                                                                  \
    "Molecules (--count-unit molecule; reads with UMIs, docs/umi.md):\n"                      \
    "      --umi SOURCE         auto, tag (RX) or name (after the last '_' or ':') [auto]\n"  \
    "      --min-family INT     families of fewer fragments do not vote [1]\n"               \
    "      --min-agree FLOAT    consensus share of the quality-weighted votes [0.66]\n"      \
    "      --duplex-only        count only duplex molecules (both strands agree)\n"
/* The calling options shared by call and run (alpha is named per command). */
#define VW_OPT_CALL_LONG                                             \
    {"adjust", required_argument, NULL, VW_OPT_CL_ADJUST},           \
    {"ci", required_argument, NULL, VW_OPT_CL_CI},                   \
    {"min-depth", required_argument, NULL, VW_OPT_CL_MIN_DEPTH},     \
    {"bg-floor", required_argument, NULL, VW_OPT_CL_FLOOR},          \
    {"veto", required_argument, NULL, VW_OPT_CL_VETO},               \
    {"known", required_argument, NULL, VW_OPT_CL_KNOWN}
/* Handle one option of those groups: return 1 when 'c' was one, with
 * *ret_exit -1 (go on) or VW_EXIT_USAGE (said why).  'to' collects -T into
 * to->targets and -r into to->regions, which must have room for every
 * argument. */
int vw_cmd_count_opt(int c, const char *arg, vw_target_opt_t *to, vw_count_opt_t *co, int *ret_exit);
int vw_cmd_call_opt(int c, const char *arg, vw_call_opt_t *co, int *ret_exit);

/* Builds the target set: the built-in catalogue in the build (given, or
 * detected from 'first_input' when not NULL) plus user targets, sorted and
 * de-duplicated, REF-checked against the reference when one is given
 * (built-in rows that do not match are dropped with a warning; user rows
 * that do not match are an error).  Logs on failure; returns NULL. */
vw_targets_t *vw_cmd_targets(const vw_target_opt_t *o, const char *first_input);
/* The same with the header of the first input already read (an input that
 * can be opened only once: a pipe, standard input). */
vw_targets_t *vw_cmd_targets_hdr(const vw_target_opt_t *o, const char *first_input, const sam_hdr_t *first_hdr);
/* 1 for standard input ("-") and any existing path that is neither a
 * regular file nor a directory (a FIFO, /dev/fd/N of a process
 * substitution): such an input can be read once only. */
int vw_cmd_is_pipe(const char *path);

/* Build of an alignment or VCF/BCF file from its header (@SQ or ##contig
 * lengths), or UNKNOWN; *ret_chr as vw_build_detect(). */
vw_build_t vw_cmd_file_build(const char *path, const char *reference, int *ret_chr);

/* Evidence for the model and call stages, from any mix of evidence tables
 * (vafwatch count output), BAM/CRAM and VCF/BCF files. */
#include "vafwatch/count.h"
typedef struct {
    vw_targets_t *ts;          /* the targets (from the catalogue/-T, or from the tables alone) */
    vw_sample_counts_t **s;    /* n samples, in input order */
    int *is_bam;               /* per sample: 1 when it was counted from a BAM/CRAM here */
    int n;
} vw_evidence_t;

/* Loads every input: when at least one is a BAM/CRAM/VCF the targets are
 * built as for 'count' from the first such file and table rows are matched
 * to them; when all are tables, the targets are the union of their rows.
 * Logs on failure; returns 0 or a negative code. */
int vw_cmd_evidence(const vw_target_opt_t *to, const vw_count_opt_t *co, char **files, int n_files,
                    vw_evidence_t *ret);
void vw_cmd_evidence_free(vw_evidence_t *e);

/* Chooses the background of every target of one sample -- the model's
 * site (pon), else the sample's own substitution class ('sb', may be NULL:
 * self), else the floor (default) -- into bg[0..ts->n-1] and appends the
 * sample's calls.  Adds to *n_model / *n_default the targets that used
 * each.  Logs on failure; returns 0 or negative. */
#include "vafwatch/call.h"
#include "vafwatch/model.h"
int vw_cmd_call_sample(const vw_call_opt_t *co, const vw_model_t *model, const vw_targets_t *ts,
                       const vw_sample_counts_t *s, const vw_selfbg_t *sb, double cfdna_ng_ml, vw_bg_t *bg,
                       vw_calls_t *calls, int *n_model, int *n_default);

/* The progress line (cmd_progress.c): "\rvafwatch CMD: VERB done/n UNIT, x M
 * reads/s" on stderr, shown only when stderr is a terminal and the
 * verbosity is at least warnings (not --quiet).  Not thread-safe: callers
 * that step from several threads hold their own lock. */
#include <stdint.h>
#include <time.h>
typedef struct {
    const char *cmd, *verb, *unit;
    int on;            /* 1: printing */
    int n, done;
    int64_t reads;
    time_t t0;
} vw_progress_t;
void vw_progress_init(vw_progress_t *p, const char *cmd, const char *verb, const char *unit, int n);
/* One more item done, having read 'reads' records. */
void vw_progress_step(vw_progress_t *p, int64_t reads);
/* Ends the line (when one was printed). */
void vw_progress_end(vw_progress_t *p);
/* Copy number (cmd_cnv.c, run_cnv.c). */
#include "vafwatch/cnv.h"
/* One name per input file from a comma-separated list (split in place):
 * *ret (caller frees the array).  Returns 0, -1 (ENOMEM) or -2 (not one
 * name per file; logged). */
int vw_cmd_split_names(char *sample_arg, int n_files, char ***ret);
/* The build told by a BAM/CRAM header (@SQ lengths), or VW_BUILD_UNKNOWN. */
vw_build_t vw_cmd_cnv_build(const char *path, const char *reference);
/* Counts fragments per region of one file ('name' NULL: @RG SM) and
 * normalises them.  Logs on failure; returns NULL.  Caller owns; free with
 * vw_cnv_sample_destroy(). */
vw_cnv_sample_t *vw_cmd_cnv_load_sample(const char *path, const char *name, const vw_cnv_regions_t *rs,
                                        const vw_count_opt_t *copt, int gc);
/* The copy-number step of vafwatch run (run_cnv.c). */
typedef struct {
    const char *bed;         /* --cnv-bed: regions with gene names, or NULL */
    int builtin;             /* --cnv-builtin: the built-in gene spans */
    const char *ref_bed;     /* --cnv-ref: reference regions (every line), or NULL */
    const char **pon;        /* --cnv-pon files (BAM/CRAM normals, or one PoN TSV) */
    int n_pon;
    const char *tf_from;     /* --tf-from: target id of a truncal mutation, or NULL */
    const char *build;       /* --build, or NULL */
} vw_run_cnv_opt_t;
/* Runs cnv over the sheet's plasma draws (BAM/CRAM; VCF draws are skipped)
 * against the PoN (--cnv-pon, else the sheet's normal samples, else none),
 * with TF per draw = min(1, 2 VAF) of the --tf-from target where it is
 * detected, writes OUTDIR/vafwatch.cnv.tsv and hands the rows over
 * (*ret: caller owns, free with vw_cnv_rows_destroy()).  Logs on failure;
 * returns 0 or negative. */
#include "vafwatch/timeline.h"
int vw_cmd_run_cnv(const vw_run_cnv_opt_t *o, const vw_timeline_t *tl, const vw_calls_t *calls,
                   const vw_count_opt_t *copt, const char *outdir, vw_cnv_rows_t **ret);
/* 1 when 'out' names an existing regular file that is also one of the n_in
 * inputs (same device and inode; NULL and "-" entries are skipped). */
int vw_cmd_output_is_input(const char *out, const char *const *in, int n_in);
/* 1 (after logging "OUT: the output would overwrite an input file") when
 * one of outs is one of ins (the same file). */
int vw_cmd_outputs_clash(const char *const *outs, int n_out, const char *const *ins, int n_in);
/* 1 (after logging) when an input lies in directory 'dir' at a relative
 * path 'is_output' says the command writes; 0 when none does (or 'dir' is
 * not there yet). */
int vw_cmd_dir_clash(const char *dir, const char *const *ins, int n_in, int (*is_output)(const char *rel));
/* The files 'report -d DIR' writes, relative to DIR. */
int vw_cmd_is_report_file(const char *rel);
/* Sample names every table reader reads back: not empty, not beginning
 * with '#', no control character.  Logs "WHERE: ..." and returns
 * VW_EINPUT when not. */
int vw_cmd_name_ok(const char *name, const char *where);
/* vw_cmd_name_ok() for every sample, and no name given twice (two inputs,
 * or two VCFs with the same columns).  Logs; returns 0 or VW_EINPUT. */
int vw_cmd_check_names(vw_sample_counts_t *const *s, int n);

int main_catalogue(int argc, char *argv[]);
int main_model(int argc, char *argv[]);
int main_call(int argc, char *argv[]);
int main_count(int argc, char *argv[]);
int main_track(int argc, char *argv[]);
int main_leadtime(int argc, char *argv[]);

/* Options shared by track and leadtime (cmd_track.c). */
#include "vafwatch/timeline.h"
#include "vafwatch/track.h"
enum {
    VW_OPT_TRACK_ALPHA = 1200,
    VW_OPT_TRACK_CUSUM_K,
    VW_OPT_TRACK_TRUNCAL,
    VW_OPT_TRACK_CNV,
    VW_OPT_TRACK_SHEET,
    VW_OPT_TRACK_RULE,
    VW_OPT_TRACK_LAST
};
#define VW_OPT_TRACK_LONG                                           \
    {"sheet", required_argument, NULL, VW_OPT_TRACK_SHEET},         \
    {"events", required_argument, NULL, 'e'},                       \
    {"rule", required_argument, NULL, VW_OPT_TRACK_RULE},           \
    {"emergence-alpha", required_argument, NULL, VW_OPT_TRACK_ALPHA}, \
    {"cusum-k", required_argument, NULL, VW_OPT_TRACK_CUSUM_K},     \
    {"truncal", required_argument, NULL, VW_OPT_TRACK_TRUNCAL}
/* Prints the Input and Emergence help sections. */
void vw_cmd_track_help(FILE *fp);
/* Handles one shared option; returns 1 if it was one, *ret_exit as vw_cmd_common(). */
int vw_cmd_track_opt(int c, const char *arg, vw_track_opt_t *o, const char **sheet,
                     const char **events, int *ret_exit);
/* Reads sheet (no file check), events and calls tables and runs tracking.
 * Logs on failure; returns 0 or negative. */
int vw_cmd_track_load(const char *sheet, const char *events, char **files, int n_files,
                      char *const *cnv_files, int n_cnv, const vw_track_opt_t *opt, vw_timeline_t **ret_tl,
                      vw_track_t **ret_tr);
/* Help line of --cnv FILE (track, leadtime, report). */
#define VW_OPT_TRACK_CNV_HELP                                                              \
    "      --cnv FILE           gene copy-number table(s) of the draws (vafwatch cnv:\n"      \
    "                           PREFIX.vafwatch.cnv.tsv): each patient x gene becomes an\n"   \
    "                           amplification series (emergence, lead time); repeatable\n"
/* As vw_cmd_track_load(), also handing over the calls read (*ret_cs: caller
 * owns, free with vw_calls_destroy()) when ret_cs is not NULL. */
#include "vafwatch/call.h"
int vw_cmd_track_load_calls(const char *sheet, const char *events, char **files, int n_files,
                            char *const *cnv_files, int n_cnv, const vw_track_opt_t *opt, vw_timeline_t **ret_tl,
                            vw_track_t **ret_tr, vw_calls_t **ret_cs);
/* Writes one output atomically; logs; returns 0 or -1. */
int vw_cmd_write(const char *path, int (*write)(FILE *, const void *), const void *obj);
/* Writes n files as one set: each under a temporary name, all complete and
 * flushed before the first is renamed into place.  Logs; returns 0 or -1. */
int vw_cmd_write_set(const char *const *paths, int (*const *write)(FILE *, const void *), const void *const *objs,
                     int n);
/* "PREFIX.vafwatch.KIND" (caller frees), NULL on ENOMEM. */
char *vw_cmd_prefixed(const char *prefix, const char *kind);
/* 1 (after logging) when an output of track, leadtime or report (outs, or
 * the report files in outdir when not NULL) is one of their inputs. */
int vw_cmd_track_clash(const char *sheet, const char *events, char **files, int n_files, char **cnv, int n_cnv,
                       const char *const *outs, int n_out, const char *outdir);
int main_cnv(int argc, char *argv[]);
/* vafwatch cnv --genome (cmd_cnv_genome.c): genome-wide copy number from shallow WGS. */
int main_cnv_genome(int argc, char *argv[]);
/* The genome-wide step of vafwatch run (run_genome.c): reads the n
 * summaries of cnv --genome (PREFIX.vafwatch.genome.tsv) and writes
 * OUTDIR/vafwatch.genome_series.tsv for the sheet's plasma draws.  Logs on
 * failure; returns 0 or -1. */
int vw_cmd_run_genome(char *const *files, int n, const vw_timeline_t *tl, const char *outdir);
int main_run(int argc, char *argv[]);
int main_report(int argc, char *argv[]);

/* Tumour-informed monitoring in vafwatch run (run_patient.c). */
#include "vafwatch/patient.h"
#include "vafwatch/timeline.h"
typedef struct {
    int n_patients;          /* as in the timeline */
    int any;                 /* some patient has its own targets */
    vw_targets_t **own;      /* per patient: its own targets as loaded (sorted), NULL: none */
    uint8_t *is_base;        /* per target of the merged set: a catalogue or --targets row */
    uint8_t **mine;          /* per patient (NULL: none): per merged target, 1 when one of its own */
} vw_run_patients_t;
/* Loads every patient's targets file (checks: not empty, the build of a
 * VCF/BCF, the REF against --reference), adds the targets to 'ts' (sorted,
 * de-duplicated) and records which are whose.  Nothing happens when no
 * patient has a targets file (rp->any 0).  Logs on failure (naming the
 * file and the cohort sheet line); returns 0 or -1. */
int vw_run_patients_load(const vw_timeline_t *tl, const vw_target_opt_t *to, const char *first_input,
                         vw_targets_t *ts, vw_run_patients_t *rp);
/* The same for evidence already counted on the patients' targets ('call
 * --sheet'): 'ts' is not changed; every patient target must be in it (else
 * an error naming the file).  A row is tested in every patient when no
 * patient owns it, or it is a built-in (either build) or --targets row. */
int vw_run_patients_mark(const vw_timeline_t *tl, const vw_target_opt_t *to, const vw_targets_t *ts,
                         vw_run_patients_t *rp);
void vw_run_patients_free(vw_run_patients_t *rp);
/* The targets one patient is tested on (catalogue and --targets rows and
 * its own, marked known; patient -1: none of its own) and a sample's
 * counts over them: shallow copies
 * borrowing from 'ts' and 's'; idx[j] is the index in ts. */
typedef struct {
    vw_targets_t ts;
    vw_sample_counts_t s;
    int *idx;
} vw_run_view_t;
int vw_run_view(const vw_run_patients_t *rp, int patient, const vw_targets_t *ts, const vw_sample_counts_t *s,
                vw_run_view_t *v);
void vw_run_view_free(vw_run_view_t *v);
/* The patient-level test of one draw over the view's known targets (bg and
 * calls: the view's, in its order) appended to 'rows'.  Logs on failure;
 * returns 0 or negative. */
int vw_run_patient_row(const vw_patient_opt_t *po, const vw_patient_t *p, const vw_sample_t *smp,
                       const vw_run_view_t *v, const vw_bg_t *bg, const vw_model_t *model,
                       const vw_selfbg_t *sb, const vw_call_t *calls, vw_patient_rows_t *rows);

#endif
