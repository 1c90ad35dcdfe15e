/* cmd_targets.c -- the option groups that choose targets, filter reads and
 * set the calling (count, model, call, run). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <htslib/sam.h>

#include "vafwatch/call.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "cmd.h"

int vw_cmd_count_opt(int c, const char *arg, vw_target_opt_t *to, vw_count_opt_t *co, int *ret_exit)
{
    long v;
    *ret_exit = -1;
    switch (c) {
    case 'T': to->targets[to->n_targets++] = arg; return 1;
    case 'r':
        if (vw_region_arg_check(arg) < 0)
            *ret_exit = VW_EXIT_USAGE;
        else
            to->regions[to->n_regions++] = arg;
        return 1;
    case 'R': to->regions_file = arg; return 1;
    case VW_OPT_CO_NO_BUILTIN: to->no_builtin = 1; return 1;
    case VW_OPT_CO_BUILD: to->build = arg; return 1;
    case 'f': to->reference = co->reference = arg; return 1;
    case VW_OPT_CO_STREAM: co->stream = 1; return 1;
    case 'q':
    case 'Q':
        if (vw_parse_long(arg, &v) || v < 0 || v > 255) {
            vw_error("-%c takes an integer from 0 to 255, not '%s'", c, arg);
            *ret_exit = VW_EXIT_USAGE;
        } else if (c == 'q') {
            co->min_mq = (int)v;
        } else {
            co->min_bq = (int)v;
        }
        return 1;
    case VW_OPT_CO_EXCL: {
        int f = bam_str2flag(arg);
        if (f < 0) {
            vw_error("--excl-flags: cannot parse '%s' (e.g. UNMAP,SECONDARY or 0x904)", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            co->excl_flags = (uint32_t)f;
        }
        return 1;
    }
    case VW_OPT_CO_PROPER: co->req_flags |= BAM_FPROPER_PAIR; return 1;
    case VW_OPT_CO_UNIT:
        if (!strcmp(arg, "fragment")) {
            co->unit = VW_UNIT_FRAGMENT;
        } else if (!strcmp(arg, "read")) {
            co->unit = VW_UNIT_READ;
        } else if (!strcmp(arg, "molecule")) {
            co->unit = VW_UNIT_MOLECULE;
        } else {
            vw_error("--count-unit takes 'fragment', 'read' or 'molecule', not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CO_UMI:
        if (!strcmp(arg, "auto")) {
            co->umi_source = VW_UMI_AUTO;
        } else if (!strcmp(arg, "tag")) {
            co->umi_source = VW_UMI_TAG;
        } else if (!strcmp(arg, "name")) {
            co->umi_source = VW_UMI_NAME;
        } else {
            vw_error("--umi takes 'auto', 'tag' or 'name', not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CO_MIN_FAMILY:
        if (vw_parse_long(arg, &v) || v < 1 || v > 1000000) {
            vw_error("--min-family takes an integer from 1 to 1000000, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            co->min_family = (int)v;
        }
        return 1;
    case VW_OPT_CO_MIN_AGREE: {
        double d;
        if (vw_parse_double(arg, &d) || !(d > 0.5 && d <= 1)) {
            vw_error("--min-agree takes a share above 0.5 and at most 1, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            co->min_agree = d;
        }
        return 1;
    }
    case VW_OPT_CO_DUPLEX: co->duplex_only = 1; return 1;
    default:
        return 0;
    }
}

int vw_cmd_need_targets(const vw_target_opt_t *to)
{
    if (to->no_builtin && to->n_targets == 0) {
        vw_error("--no-builtin needs --targets");
        return -1;
    }
    return 0;
}

int vw_cmd_call_opt(int c, const char *arg, vw_call_opt_t *co, int *ret_exit)
{
    *ret_exit = -1;
    switch (c) {
    case VW_OPT_CL_ADJUST:
        if (!strcmp(arg, "holm")) co->adjust = VW_ADJ_HOLM;
        else if (!strcmp(arg, "bh")) co->adjust = VW_ADJ_BH;
        else if (!strcmp(arg, "none")) co->adjust = VW_ADJ_NONE;
        else {
            vw_error("--adjust takes holm, bh or none, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CL_CI:
        if (!strcmp(arg, "cp")) co->ci = VW_CI_CP;
        else if (!strcmp(arg, "wilson")) co->ci = VW_CI_WILSON;
        else {
            vw_error("--ci takes cp or wilson, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CL_MIN_DEPTH:
        if (vw_parse_long(arg, &co->min_depth) || co->min_depth < 0) {
            vw_error("--min-depth takes a non-negative integer, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CL_FLOOR:
        if (vw_parse_double(arg, &co->bg_floor) || !(co->bg_floor > 0 && co->bg_floor < 1)) {
            vw_error("--bg-floor takes a number in (0, 1), not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CL_VETO:
        if (vw_flags_parse(arg, &co->veto) != 0) {
            vw_error("--veto: unknown flag in '%s' (none, strand_bias, low_alt_bq, possible_germline, noisy_site, low_depth, "
                     "discordant_mates)", arg);
            *ret_exit = VW_EXIT_USAGE;
        }
        return 1;
    case VW_OPT_CL_KNOWN:
        if (co->n_known == VW_CALL_MAX_KNOWN) {
            vw_error("--known: at most %d known clones", VW_CALL_MAX_KNOWN);
            *ret_exit = VW_EXIT_USAGE;
        } else if (!*arg || *arg == '=' || arg[strlen(arg) - 1] == '=') {
            vw_error("--known takes ID or SAMPLE=ID, not '%s'", arg);
            *ret_exit = VW_EXIT_USAGE;
        } else {
            co->known[co->n_known++] = arg;
        }
        return 1;
    default:
        return 0;
    }
}

int vw_cmd_long_arg(const char *name, const char *arg, long lo, long hi, long *ret)
{
    long v;
    if (vw_parse_long(arg, &v) || v < lo || v > hi) {
        vw_error("%s takes an integer from %ld to %ld, not '%s'", name, lo, hi, arg);
        return -1;
    }
    *ret = v;
    return 0;
}
