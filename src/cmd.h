/* cmd.h -- subcommand entry points and the options every subcommand shares. */
#ifndef VW_CMD_H
#define VW_CMD_H

#include <getopt.h>

/* Exit codes (documented in the README). */
#define VW_EXIT_OK 0
#define VW_EXIT_DATA 1
#define VW_EXIT_USAGE 2

/* Long-only option ids shared by all subcommands (values above any char). */
enum {
    VW_OPT_VERBOSITY = 1000,
    VW_OPT_VERSION,
    VW_OPT_QUIET,
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

/* Handles the common options; returns 1 if 'c' was one of them, with
 * *ret_exit set to -1 to go on or to an exit code to stop with. */
int vw_cmd_common(int c, const char *arg, void (*usage)(FILE *), int *ret_exit);

/* The full command line, for provenance (set by main). */
const char *vw_cmd_line(void);

/* Target selection shared by catalogue, count and the later stages. */
#include "vafwatch/catalogue.h"
typedef struct {
    const char *build;       /* --build, NULL: from the first input's header */
    const char **targets;    /* --targets files */
    int n_targets;
    int no_builtin;          /* --no-builtin */
    const char *reference;   /* --reference */
} vw_target_opt_t;

/* Builds the target set: the built-in catalogue in the build (given, or
 * detected from 'first_input' when not NULL) plus user targets, sorted and
 * de-duplicated, REF-checked against the reference when one is given
 * (built-in rows that do not match are dropped with a warning; user rows
 * that do not match are an error).  Logs on failure; returns NULL. */
vw_targets_t *vw_cmd_targets(const vw_target_opt_t *o, const char *first_input);

/* 1 when 'out' names an existing regular file that is also one of the n_in
 * inputs (same device and inode; NULL and "-" entries are skipped). */
int vw_cmd_output_is_input(const char *out, const char *const *in, int n_in);

int main_catalogue(int argc, char *argv[]);
int main_count(int argc, char *argv[]);

#endif
