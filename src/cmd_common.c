/* cmd_common.c -- what every subcommand shares: the generic options, the
 * threads option, the command line kept for provenance and the name of
 * the running command (for the "Try 'vafwatch CMD --help'" hint), the
 * report options (report, run) and the split of a per-file names list
 * (-s/--samples). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vw_config.h"
#include "vafwatch/evclass.h"
#include "vafwatch/log.h"
#include "vafwatch/report.h"
#include "vafwatch/timeline.h"
#include "vafwatch/util.h"
#include "cmd.h"

static char *cmd_line = NULL;
static const char *cmd_name = NULL;

const char *vw_cmd_line(void) { return cmd_line ? cmd_line : "vafwatch"; }

static char *join_args(int argc, char *argv[])
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        size_t l = strlen(argv[i]);
        memcpy(p, argv[i], l);
        p += l;
        *p++ = i + 1 < argc ? ' ' : '\0';
    }
    if (argc == 0)
        *p = '\0';
    return s;
}

void vw_cmd_set_line(int argc, char *argv[])
{
    free(cmd_line);
    cmd_line = argc > 0 ? join_args(argc, argv) : NULL;
}

void vw_cmd_set_name(const char *name)
{
    cmd_name = name;
    vw_log_set_cmd(name);
}

void vw_cmd_free_line(void)
{
    free(cmd_line);
    cmd_line = NULL;
}

int vw_cmd_common(int c, const char *arg, void (*cmd_usage)(FILE *), int *ret_exit)
{
    long v;
    *ret_exit = -1;
    switch (c) {
    case VW_OPT_VERBOSITY:
        if (vw_parse_long(arg, &v) != 0 || v < 0 || v > 4) {
            vw_error("--verbosity takes an integer from 0 to 4, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            vw_log_set_level((int)v);
        }
        return 1;
    case VW_OPT_QUIET:
        vw_log_set_level(VW_LOG_ERROR);
        return 1;
    case VW_OPT_VERSION:
        printf("vafwatch %s\n", VW_VERSION_LONG);
        *ret_exit = VW_EXIT_OK;
        return 1;
    case 'h':
        cmd_usage(stdout);
        *ret_exit = VW_EXIT_OK;
        return 1;
    case '?':
        fprintf(stderr, "Try 'vafwatch %s --help'.\n", cmd_name ? cmd_name : "<command>");
        *ret_exit = VW_EXIT_USAGE;
        return 1;
    default:
        return 0;
    }
}

int vw_cmd_file_arg(const char *name, const char *arg)
{
    if (arg[0] == '-' && arg[1] == '-') {
        vw_error("%s takes a FILE, not the option '%s'", name, arg);
        return -1;
    }
    return 0;
}

int vw_cmd_threads_arg(const char *arg, int *ret_threads)
{
    long v;
    if (vw_cmd_long_arg("--threads", arg, 1, 256, &v) < 0)
        return -1;
    *ret_threads = (int)v;
    return 0;
}

int vw_cmd_flank_arg(const char *arg, long *ret_flank)
{
    return vw_cmd_long_arg("--flank", arg, 1, 100000, ret_flank);
}

int vw_cmd_class_arg(const char *arg, const char **ret_class)
{
    int u, mf, dx;
    if (vw_evclass_parse(arg, &u, &mf, &dx) != 0) {
        vw_error("--class takes an evidence class (fragment, read, molecule, molecule_fN, duplex, duplex_fN), "
                 "not '%s'", arg);
        return -1;
    }
    *ret_class = arg;
    return 0;
}

/* --param KEY=VALUE into r.  Logs; returns 0 or a VW_EXIT_ code. */
static int report_param(const char *arg, vw_cmd_report_t *r)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || r->n_params == VW_CMD_MAX_PARAMS) {
        vw_error("--param takes KEY=VALUE (at most %d), not '%s'", VW_CMD_MAX_PARAMS, arg);
        return VW_EXIT_USAGE;
    }
    char *p = vw_strdup(arg);
    if (!p) {
        vw_error_code(-ENOMEM, "--param");
        return VW_EXIT_DATA;
    }
    p[eq - arg] = '\0';
    r->pbuf[r->n_params] = p;
    r->params[r->n_params].key = p;
    r->params[r->n_params].value = p + (eq - arg) + 1;
    r->n_params++;
    return 0;
}

int vw_cmd_report_opt(int c, const char *arg, vw_cmd_report_t *r, int *ret_exit)
{
    *ret_exit = -1;
    switch (c) {
    case VW_OPT_RP_TITLE: r->title = arg; return 1;
    case VW_OPT_RP_MARKERS: r->markers = arg; return 1;
    case VW_OPT_RP_PARAM: {
        int ex = report_param(arg, r);
        if (ex)
            *ret_exit = ex;
        return 1;
    }
    case VW_OPT_RD_DATE:
        if (vw_date_parse(arg, &r->date.days) != 0) {
            vw_error("--report-date: '%s' is not a date (YYYY-MM-DD)", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        r->date.set = 1;
        return 1;
    case VW_OPT_RD_NONE:
        r->date.days = VW_DATE_NONE;
        r->date.set = 1;
        return 1;
    default:
        return 0;
    }
}

void vw_cmd_report_free(vw_cmd_report_t *r)
{
    for (size_t i = 0; i < r->n_params; i++)
        free(r->pbuf[i]);
    r->n_params = 0;
}

int vw_cmd_report_date_final(vw_cmd_date_t *d)
{
    if (d->set)
        return 0;
    if (vw_report_default_date(&d->days) < 0) {
        vw_error("SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970 (or use --report-date)",
                 getenv("SOURCE_DATE_EPOCH"));
        return -1;
    }
    d->set = 1;
    return 0;
}

int vw_cmd_split_names(char *sample_arg, int n_files, char ***ret)
{
    char **samples = calloc((size_t)n_files, sizeof(char *));
    int k = 0;
    for (char *p = sample_arg; samples && p && k < n_files + 1; k++) {
        char *q = strchr(p, ',');
        if (q)
            *q++ = '\0';
        if (k < n_files)
            samples[k] = p;
        p = q;
    }
    *ret = samples;
    if (!samples)
        return -1;
    if (k != n_files) {
        vw_error("--samples: give exactly one name per input file (%d)", n_files);
        return -2;
    }
    return 0;
}
