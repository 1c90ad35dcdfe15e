/* main.c -- the vafwatch dispatcher: vafwatch <command> [options]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "vw_config.h"
#include "vafwatch/log.h"
#include "cmd.h"

typedef struct {
    const char *name;
    int (*func)(int, char *[]);
    const char *help;
} vw_command_t;

static const vw_command_t commands[] = {
    {"catalogue", main_catalogue, "print the built-in resistance hotspot catalogue or check targets"},
    {"count", main_count, "count reference and mutant fragments at the targets in BAM/CRAM files"},
    {"model", main_model, "fit the background error model on a panel of normals (model build)"},
    {"call", main_call, "decide per sample and target: detected, p-value, VAF with CI, LoD95"},
    {"track", main_track, "follow each target over a patient's draws: emergence, trend, growth"},
    {"leadtime", main_leadtime, "lead time of molecular emergence over radiographic progression"},
    {"report", main_report, "cohort and per-patient HTML reports with SVG plots, JSON and a MultiQC table"},
    {"cnv", main_cnv, "gene copy number (ERBB2, MET, KRAS, EGFR amplification) from depth vs normals"},
    {"run", main_run, "the whole chain on a cohort sheet: count, call, track, lead time"},
    {NULL, NULL, NULL}
};

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Program: vafwatch (follow drug-resistance clones in serial plasma samples)\n"
            "Version: %s\n\n"
            "Usage:   vafwatch <command> [options]\n\n"
            "Commands:\n", VW_VERSION_LONG);
    for (const vw_command_t *c = commands; c->name; c++)
        fprintf(fp, "  %-12s %s\n", c->name, c->help);
    fprintf(fp,
            "\n"
            "  help [cmd]   this text, or the help of one command\n"
            "  version      print the version\n\n"
            "'vafwatch <command> --help' describes a command's options.\n"
            "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n\n");
}

static const vw_command_t *find(const char *name)
{
    for (const vw_command_t *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int main(int argc, char *argv[])
{
    int ret;
    gsl_set_error_handler_off();
    vw_log_set_level(VW_LOG_WARN);
    if (argc < 2) {
        usage(stderr);
        return VW_EXIT_USAGE;
    }
    vw_cmd_set_line(argc, argv);
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (argc > 2 && strcmp(name, "help") == 0) {
            const vw_command_t *c = find(argv[2]);
            if (!c) {
                fprintf(stderr, "vafwatch: unknown command '%s'\n", argv[2]);
                vw_cmd_free_line();
                return VW_EXIT_USAGE;
            }
            char *hargv[] = {(char *)c->name, "--help", NULL};
            vw_cmd_set_name(c->name);
            ret = c->func(2, hargv);
        } else {
            usage(stdout);
            ret = VW_EXIT_OK;
        }
    } else if (strcmp(name, "version") == 0 || strcmp(name, "--version") == 0) {
        printf("vafwatch %s\n", VW_VERSION_LONG);
        ret = VW_EXIT_OK;
    } else {
        const vw_command_t *c = find(name);
        if (!c) {
            fprintf(stderr, "vafwatch: unknown command '%s'\n", name);
            usage(stderr);
            vw_cmd_free_line();
            return VW_EXIT_USAGE;
        }
        vw_cmd_set_name(c->name);
        ret = c->func(argc - 1, argv + 1);
    }
    vw_cmd_free_line();
    if (fclose(stdout) != 0 && ret == VW_EXIT_OK) {
        fprintf(stderr, "vafwatch: closing standard output: %s\n", strerror(errno));
        ret = VW_EXIT_DATA;
    }
    return ret;
}
