/* cmd_catalogue.c -- vafwatch catalogue: print (and check) the targets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vafwatch/catalogue.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"
#include "cmd.h"

enum { OPT_BUILD = VW_OPT_CMD_FIRST, OPT_NO_BUILTIN };

static void usage(FILE *fp)
{
    fprintf(fp,
            "\n"
            "Usage: vafwatch catalogue [options]\n\n"
            "Prints the resistance hotspot catalogue (built-in and user targets) as TSV, one row per\n"
            "ALT allele, 1-based positions, + strand alleles.  With --reference every REF is checked.\n\n"
            "Input:\n"
            "      --build NAME         GRCh37 or GRCh38 [GRCh38]\n"
            "  -T, --targets FILE       user targets: VCF/BCF, BED (needs --reference) or TSV with\n"
            "                           columns chrom pos ref alt [id gene protein cdna ...]; repeatable\n"
            "      --no-builtin         only the user targets\n"
            "  -f, --reference FASTA    check every REF against this FASTA (exit 1 on a mismatch)\n"
            "Output:\n"
            "  -o, --output FILE        output file ['-' = standard output]\n"
            VW_OPT_COMMON_HELP
            "\n");
}

int main_catalogue(int argc, char *argv[])
{
    static const struct option lopts[] = {
        {"build", required_argument, NULL, OPT_BUILD},
        {"targets", required_argument, NULL, 'T'},
        {"no-builtin", no_argument, NULL, OPT_NO_BUILTIN},
        {"reference", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        VW_OPT_COMMON_LONG,
        {NULL, 0, NULL, 0}
    };
    vw_target_opt_t to = {.build = "GRCh38"};
    const char *out = "-";
    int ret = VW_EXIT_DATA, c, ex;
    vw_targets_t *ts = NULL;
    vw_ofile_t of = {0};
    to.targets = calloc((size_t)argc, sizeof(char *));
    if (!to.targets)
        return VW_EXIT_DATA;
    while ((c = getopt_long(argc, argv, "T:f:o:h", lopts, NULL)) >= 0) {
        if (vw_cmd_common(c, optarg, usage, &ex)) {
            if (ex >= 0) {
                ret = ex;
                goto out;
            }
            continue;
        }
        switch (c) {
        case OPT_BUILD: to.build = optarg; break;
        case 'T': to.targets[to.n_targets++] = optarg; break;
        case OPT_NO_BUILTIN: to.no_builtin = 1; break;
        case 'f': to.reference = optarg; break;
        case 'o': out = optarg; break;
        default: usage(stderr); ret = VW_EXIT_USAGE; goto out;
        }
    }
    if (optind != argc) {
        vw_error("unexpected argument '%s'", argv[optind]);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    if (vw_cmd_need_targets(&to) < 0) {
        ret = VW_EXIT_USAGE;
        goto out;
    }
    const char *ref[1] = {to.reference};
    if (vw_output_is_input(out, to.targets, to.n_targets) || vw_output_is_input(out, ref, 1)) {
        vw_error("%s: the output would overwrite an input file", out);
        ret = VW_EXIT_USAGE;
        goto out;
    }
    ts = vw_targets_build(&to, NULL);
    if (!ts)
        goto out;
    int r = vw_ofile_open(&of, out);
    if (r < 0) {
        vw_error_code(r, "%s: cannot write", out);
        goto out;
    }
    r = vw_targets_write_tsv(of.fp, ts);
    if (r == -EIO)
        r = vw_stream_error(of.fp);
    if (r == 0)
        r = vw_ofile_commit(&of);
    if (r < 0) {
        vw_error_code(r, "%s: write failed", out);
        goto out;
    }
    ret = VW_EXIT_OK;
out:
    if (ret != VW_EXIT_OK)
        vw_ofile_abort(&of);
    vw_targets_destroy(ts);
    free(to.targets);
    return ret;
}
