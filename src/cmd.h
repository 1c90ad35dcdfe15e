/* cmd.h -- subcommand entry points and the options every subcommand shares
 * (the program only: what the library shares is in include/vafwatch/,
 * inputs.h and pipeline.h among them).
 *
 * Thread safety: everything here runs on the main thread; vw_cmd_line()
 * may be read from any thread once main has set it.  Functions that log do
 * so through log.h.
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

/* The report options of report and run (docs/reports.md), one group:
 *   --title STR          the cohort report's title [vafwatch cohort report]
 *   --markers FILE       clinical markers (vw_markers_read())
 *   --param KEY=VALUE    a parameter shown under Methods; repeatable, at most
 *                        VW_CMD_MAX_PARAMS; KEY not empty
 *   --report-date DATE   the reports' date (YYYY-MM-DD); --no-report-date:
 *                        none; the last of the two given wins; else
 *                        SOURCE_DATE_EPOCH (seconds since 1970, UTC) when
 *                        set, else today (UTC). */
enum { VW_OPT_RD_DATE = 1400, VW_OPT_RD_NONE, VW_OPT_RP_TITLE, VW_OPT_RP_MARKERS, VW_OPT_RP_PARAM };
#define VW_CMD_MAX_PARAMS 32
#define VW_OPT_REPORT_LONG                                           \
    {"title", required_argument, NULL, VW_OPT_RP_TITLE},             \
    {"markers", required_argument, NULL, VW_OPT_RP_MARKERS},         \
    {"param", required_argument, NULL, VW_OPT_RP_PARAM},             \
    {"report-date", required_argument, NULL, VW_OPT_RD_DATE},        \
    {"no-report-date", no_argument, NULL, VW_OPT_RD_NONE}
#define VW_OPT_MARKERS_HELP                                                                   \
    "      --markers FILE       clinical markers (patient, date, marker, value[, unit]: CEA,\n"  \
    "                           CA19-9, LDH ...): a panel under the VAF plot, a table, JSON\n"
#define VW_OPT_TITLE_HELP                                                                     \
    "      --title STR          title of the cohort report [vafwatch cohort report]\n"
/* --param's help is each command's (what it adds to), ending with this */
#define VW_OPT_PARAM_MAX_HELP "repeatable, at most " VW_CMD_STR(VW_CMD_MAX_PARAMS) "\n"
#define VW_OPT_REPORT_DATE_HELP                                                               \
    "      --report-date DATE   the report date printed on every page and in the JSON\n"     \
    "                           (YYYY-MM-DD) [$SOURCE_DATE_EPOCH when set, else today, UTC]\n" \
    "      --no-report-date     print no report date\n"
typedef struct {
    int set;       /* 1: given by an option (days may be VW_DATE_NONE: no date) */
    int32_t days;  /* days since 1970-01-01 */
} vw_cmd_date_t;
#include "vafwatch/report.h"
typedef struct {
    vw_cmd_date_t date;                             /* --report-date, --no-report-date */
    const char *title;                              /* --title (borrowed from argv), or NULL */
    const char *markers;                            /* --markers FILE (borrowed from argv), or NULL */
    vw_report_param_t params[VW_CMD_MAX_PARAMS];    /* --param, in the order given; point into pbuf */
    char *pbuf[VW_CMD_MAX_PARAMS];                  /* owned: each "KEY\0VALUE" */
    size_t n_params;
} vw_cmd_report_t;
/* Handles the options of VW_OPT_REPORT_LONG into 'r' (zeroed before the
 * first call): returns 1 if 'c' was one of them, with *ret_exit as
 * vw_cmd_common() (VW_EXIT_USAGE, logged with the option's name, for a
 * malformed date or --param; VW_EXIT_DATA when out of memory), else 0.
 * Free with vw_cmd_report_free(). */
int vw_cmd_report_opt(int c, const char *arg, vw_cmd_report_t *r, int *ret_exit);
void vw_cmd_report_free(vw_cmd_report_t *r);
/* After the options: the date given, else the default (SOURCE_DATE_EPOCH,
 * else today) into d->days, d->set 1.  Returns 0, or -1 after logging
 * when SOURCE_DATE_EPOCH is not a number of seconds (a usage error); it is
 * not read when an option gave the date. */
int vw_cmd_report_date_final(vw_cmd_date_t *d);

/* --flank INT of count, call and run: the self background's bp each side of
 * each target.  Its default (VW_CMD_FLANK_STR for help text) and one
 * validator: returns 0 with *ret_flank set, or -1 after logging. */
#define VW_CMD_FLANK 50
#define VW_CMD_STR_(x) #x
#define VW_CMD_STR(x) VW_CMD_STR_(x)
#define VW_CMD_FLANK_STR VW_CMD_STR(VW_CMD_FLANK)
int vw_cmd_flank_arg(const char *arg, long *ret_flank);

/* --class NAME of call and run: an evidence class (evclass.h).  Returns 0
 * with *ret_class = arg (borrowed), or -1 after logging. */
int vw_cmd_class_arg(const char *arg, const char **ret_class);
/* A FILE option value that looks like an option ('--json --track': the
 * option once was a flag): logs "NAME takes a FILE, not the option 'ARG'"
 * and returns -1; else 0. */
int vw_cmd_file_arg(const char *name, const char *arg);

#include "vafwatch/inputs.h"
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
/* --no-builtin without any -T: logs "--no-builtin needs --targets" and
 * returns -1 (a usage error); else 0. */
int vw_cmd_need_targets(const vw_target_opt_t *to);
int vw_cmd_call_opt(int c, const char *arg, vw_call_opt_t *co, int *ret_exit);





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
    VW_OPT_TRACK_CH_PATIENTS,
    VW_OPT_TRACK_CH_MAX_VAF,
    VW_OPT_TRACK_LAST
};
#define VW_OPT_TRACK_LONG                                           \
    {"sheet", required_argument, NULL, VW_OPT_TRACK_SHEET},         \
    {"events", required_argument, NULL, 'e'},                       \
    {"rule", required_argument, NULL, VW_OPT_TRACK_RULE},           \
    {"emergence-alpha", required_argument, NULL, VW_OPT_TRACK_ALPHA}, \
    {"cusum-k", required_argument, NULL, VW_OPT_TRACK_CUSUM_K},     \
    {"truncal", required_argument, NULL, VW_OPT_TRACK_TRUNCAL},     \
    {"ch-patients", required_argument, NULL, VW_OPT_TRACK_CH_PATIENTS}, \
    {"ch-max-vaf", required_argument, NULL, VW_OPT_TRACK_CH_MAX_VAF}
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
 * owns, free with vw_calls_destroy()) when ret_cs is not NULL, and the
 * copy-number rows read (*ret_cnv: NULL without cnv_files; caller owns,
 * free with vw_cnv_rows_destroy()) when ret_cnv is not NULL: each file is
 * read once. */
#include "vafwatch/call.h"
int vw_cmd_track_load_calls(const char *sheet, const char *events, char **files, int n_files,
                            char *const *cnv_files, int n_cnv, const vw_track_opt_t *opt, vw_timeline_t **ret_tl,
                            vw_track_t **ret_tr, vw_calls_t **ret_cs, vw_cnv_rows_t **ret_cnv);
/* "PREFIX.vafwatch.KIND" (caller frees), NULL on ENOMEM. */
char *vw_cmd_prefixed(const char *prefix, const char *kind);
/* 1 (after logging) when an output of track, leadtime or report (outs, or
 * the report files in outdir when not NULL) is one of their inputs. */
int vw_cmd_track_clash(const char *sheet, const char *events, char **files, int n_files, char **cnv, int n_cnv,
                       const char *const *outs, int n_out, const char *outdir);
int main_cnv(int argc, char *argv[]);
/* vafwatch cnv --genome (cmd_cnv_genome.c): genome-wide copy number from shallow WGS. */
int main_cnv_genome(int argc, char *argv[]);
int main_run(int argc, char *argv[]);
int main_report(int argc, char *argv[]);


#endif
