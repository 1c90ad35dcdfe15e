/* cmd_targets.c -- target selection shared by the subcommands. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/faidx.h>
#include <htslib/sam.h>
#include <htslib/vcf.h>

#include "vafwatch/aln.h"
#include "vafwatch/call.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/count.h"
#include "vafwatch/log.h"
#include "vafwatch/vcfin.h"
#include "vafwatch/inputs.h"
#include "vafwatch/util.h"

/* Build of an alignment or VCF/BCF file from its header (@SQ or ##contig
 * lengths), or UNKNOWN. */
int vw_input_is_pipe(const char *path)
{
    struct stat st;
    return path && (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)));
}

/* ... (a pipe, standard input included, is never opened here: it could not
 * be opened again to be counted; *ret_errno is set when 'path' cannot be
 * opened) */
static vw_build_t file_build(const char *path, const char *reference, int *ret_chr, int *ret_errno)
{
    *ret_chr = -1;
    *ret_errno = 0;
    if (!path || vw_input_is_pipe(path))
        return VW_BUILD_UNKNOWN;
    struct stat st;
    if (stat(path, &st) != 0) {
        *ret_errno = errno;
        return VW_BUILD_UNKNOWN;
    }
    if (vw_vcfin_is_vcf(path)) {
        htsFile *vf = hts_open(path, "r");
        if (!vf)
            return VW_BUILD_UNKNOWN;
        bcf_hdr_t *vh = bcf_hdr_read(vf);
        vw_build_t vb = vh ? vw_vcfin_build(vh, ret_chr) : VW_BUILD_UNKNOWN;
        bcf_hdr_destroy(vh);
        hts_close(vf);
        return vb;
    }
    vw_aln_t *a;
    if (vw_aln_open(path, reference, 0, VW_ALN_HEADER, &a) < 0)
        return VW_BUILD_UNKNOWN;
    vw_build_t b = vw_build_detect(a->h, ret_chr);
    (void)vw_aln_close(a, 1); /* (a header read: a close error is no concern here) */
    return b;
}

vw_build_t vw_input_build(const char *path, const char *reference, int *ret_chr)
{
    int e;
    return file_build(path, reference, ret_chr, &e);
}

vw_targets_t *vw_targets_build(const vw_target_opt_t *o, const char *first_input)
{
    return vw_targets_build_hdr(o, first_input, NULL);
}

vw_targets_t *vw_targets_build_hdr(const vw_target_opt_t *o, const char *first_input, const sam_hdr_t *first_hdr)
{
    vw_targets_t *ts = vw_targets_init();
    faidx_t *fai = NULL;
    uint8_t *keep = NULL;
    if (!ts) {
        vw_error_code(-ENOMEM, "target set");
        return NULL;
    }
    vw_build_t build = VW_BUILD_UNKNOWN;
    int chr = -1;
    int open_errno = 0;
    vw_build_t fbuild = first_hdr ? vw_build_detect(first_hdr, &chr)
                                  : file_build(first_input, o->reference, &chr, &open_errno);
    if (open_errno) {
        vw_error_code(-open_errno, "%s: cannot open", first_input);
        goto fail;
    }
    if (o->build) {
        build = vw_build_parse(o->build);
        if (build == VW_BUILD_UNKNOWN) {
            vw_error("--build: unknown genome build '%s' (use GRCh37 or GRCh38)", o->build);
            goto fail;
        }
    } else if (!o->no_builtin) {
        build = fbuild;
        if (build == VW_BUILD_UNKNOWN) {
            if (first_input)
                vw_error("%s: cannot tell the genome build from the header (@SQ or ##contig lengths); give --build GRCh37 "
                         "or --build GRCh38", first_input);
            else
                vw_error("give --build GRCh37 or --build GRCh38");
            goto fail;
        }
        vw_info("genome build %s (from the header of %s)", vw_build_name(build), first_input);
    }
    if (!o->no_builtin) {
        int r = vw_catalogue_builtin(ts, build);
        if (r < 0) {
            vw_error_code(r, "built-in catalogue");
            goto fail;
        }
    }
    ts->build = build;
    if (chr >= 0) /* name the built-in contigs as the first input does */
        vw_targets_set_naming(ts, chr);
    int n_builtin = ts->n;
    if (o->reference) {
        fai = fai_load(o->reference);
        if (!fai) {
            vw_error("%s: cannot load the reference (missing file or .fai index not writable)", o->reference);
            goto fail;
        }
    }
    for (int i = 0; i < o->n_targets; i++)
        if (vw_targets_load(ts, o->targets[i], fai) < 0)
            goto fail;
    if (ts->n == 0) {
        vw_error("no targets: --no-builtin needs --targets");
        goto fail;
    }
    if (fai) {
        /* check built-in and user rows apart so that their policies differ */
        int bad_user = 0;
        keep = malloc((size_t)ts->n);
        if (!keep) {
            vw_error_code(-ENOMEM, "target set");
            goto fail;
        }
        for (int i = 0; i < ts->n; i++) {
            vw_targets_t one = {1, 1, &ts->t[i], ts->build};
            keep[i] = 1;
            int r = vw_targets_check_ref(&one, fai, o->reference);
            if (r < 0)
                goto fail;
            if (r > 0 && i >= n_builtin)
                bad_user++;
            if (r > 0 && i < n_builtin) {
                vw_warn("built-in target %s dropped: its REF does not match %s", ts->t[i].id, o->reference);
                keep[i] = 0;
            }
        }
        if (bad_user) {
            vw_error("%d user target(s) do not match the reference %s (see the warnings above)", bad_user,
                     o->reference);
            goto fail;
        }
        vw_targets_filter(ts, keep);
    }
    if (vw_targets_region_filter(o, ts) < 0)
        goto fail;
    int dup = vw_targets_sort_unique(ts);
    if (dup > 0)
        vw_info("%d duplicate target(s) removed", dup);
    fai_destroy(fai);
    free(keep);
    return ts;
fail:
    fai_destroy(fai);
    free(keep);
    vw_targets_destroy(ts);
    return NULL;
}

/* 1 when 'out' names an existing regular file that is also one of the
 * inputs (same device and inode): writing it would destroy the input. */
int vw_output_is_input(const char *out, const char *const *in, int n_in)
{
    struct stat so, si;
    if (!out || strcmp(out, "-") == 0 || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
        return 0;
    for (int i = 0; i < n_in; i++)
        if (in[i] && strcmp(in[i], "-") && stat(in[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            return 1;
    return 0;
}

int vw_outputs_clash(const char *const *outs, int n_out, const char *const *ins, int n_in)
{
    for (int i = 0; i < n_out; i++)
        if (vw_output_is_input(outs[i], ins, n_in)) {
            vw_error("%s: the output would overwrite an input file", outs[i]);
            return 1;
        }
    return 0;
}

int vw_dir_clash(const char *dir, const char *const *ins, int n_in, int (*is_output)(const char *rel))
{
    char *rd = realpath(dir, NULL);
    int clash = 0;
    if (!rd)
        return 0; /* not there yet: nothing in it to overwrite */
    size_t l = strlen(rd);
    for (int i = 0; i < n_in && !clash; i++) {
        char *ri = ins[i] && strcmp(ins[i], "-") ? realpath(ins[i], NULL) : NULL;
        if (ri && strncmp(ri, rd, l) == 0 && ri[l] == '/' && is_output(ri + l + 1)) {
            vw_error("%s: the output would overwrite an input file (%s/%s)", ins[i], dir, ri + l + 1);
            clash = 1;
        }
        free(ri);
    }
    free(rd);
    return clash;
}

int vw_report_is_output(const char *rel)
{
    if (!strcmp(rel, "index.html") || !strcmp(rel, "vafwatch.report.json") || !strcmp(rel, "vafwatch_mqc.tsv")
        || !strcmp(rel, "vafwatch_stats_mqc.tsv") || !strcmp(rel, "vafwatch_vaf_mqc.json")
        || !strcmp(rel, VW_OSET_MANIFEST))
        return 1;
    if (strncmp(rel, "patients/", 9) || strchr(rel + 9, '/'))
        return 0;
    size_t n = strlen(rel);
    return (n > 5 && !strcmp(rel + n - 5, ".html")) || (n > 5 && !strcmp(rel + n - 5, ".json"));
}

void vw_run_workers(void *(*fn)(void *), void *arg, int workers)
{
    pthread_t *tids = workers > 1 ? calloc((size_t)workers, sizeof(pthread_t)) : NULL;
    int started = 0;
    for (int i = 0; tids && i < workers; i++)
        if (pthread_create(&tids[i], NULL, fn, arg) == 0)
            started++;
    if (started == 0)
        fn(arg);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    free(tids);
}
