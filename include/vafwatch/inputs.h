/*
 * inputs.h -- what the commands and the pipeline share about their inputs:
 * the target set (built-in catalogue, --targets, -r/-R), the evidence of
 * the model and call stages, sample-name checks, the build of a file, the
 * "an output would overwrite an input" checks, the background choice of
 * one sample, one or a set of outputs written atomically, and a pool of
 * worker threads.
 *
 * Return codes: 0 or a negative code of util.h (-errno, VW_E*) unless said
 * otherwise; functions that can fail log why through log.h.  Returned
 * objects are owned by the caller (the destroy function is named).
 * Thread safety: no shared state; distinct objects may be used from
 * distinct threads.  vw_run_workers() starts and joins its own threads.
 */
#ifndef VW_INPUTS_H
#define VW_INPUTS_H

#include <stdio.h>

#include <htslib/sam.h>

#include "vafwatch/call.h"
#include "vafwatch/catalogue.h"
#include "vafwatch/cnv.h"
#include "vafwatch/count.h"
#include "vafwatch/model.h"

/* Target selection shared by catalogue, count and the later stages
 * (every array borrowed). */
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
int vw_targets_region_filter(const vw_target_opt_t *o, vw_targets_t *ts);
/* Checks one -r argument; logs and returns VW_EINPUT when it cannot be read. */
int vw_region_arg_check(const char *arg);

/* Builds the target set: the built-in catalogue in the build (given, or
 * detected from 'first_input' when not NULL) plus user targets, sorted and
 * de-duplicated, REF-checked against the reference when one is given
 * (built-in rows that do not match are dropped with a warning; user rows
 * that do not match are an error).  Logs on failure; returns NULL.
 * Caller owns; free with vw_targets_destroy(). */
vw_targets_t *vw_targets_build(const vw_target_opt_t *o, const char *first_input);
/* The same with the header of the first input already read (an input that
 * can be opened only once: a pipe, standard input). */
vw_targets_t *vw_targets_build_hdr(const vw_target_opt_t *o, const char *first_input, const sam_hdr_t *first_hdr);
/* 1 for standard input ("-") and any existing path that is neither a
 * regular file nor a directory (a FIFO, /dev/fd/N of a process
 * substitution): such an input can be read once only. */
int vw_input_is_pipe(const char *path);
/* Build of an alignment or VCF/BCF file from its header (@SQ or ##contig
 * lengths), or UNKNOWN; *ret_chr as vw_build_detect(). */
vw_build_t vw_input_build(const char *path, const char *reference, int *ret_chr);

/* Evidence for the model and call stages, from any mix of evidence tables
 * (vafwatch count output), BAM/CRAM and VCF/BCF files. */
typedef struct {
    vw_targets_t *ts;          /* the targets (from the catalogue/-T, or from the tables alone) */
    vw_sample_counts_t **s;    /* n samples, in input order */
    int *is_bam;               /* per sample: 1 when it was counted from a BAM/CRAM here */
    int n;
} vw_evidence_t;
/* Loads every input: when at least one is a BAM/CRAM/VCF the targets are
 * built as for 'count' from the first such file and table rows are matched
 * to them; when all are tables, the targets are the union of their rows.
 * Logs on failure; returns 0 or a negative code.  Free *ret with
 * vw_evidence_free() (also after a failure). */
int vw_evidence_load(const vw_target_opt_t *to, const vw_count_opt_t *co, char **files, int n_files,
                     vw_evidence_t *ret);
void vw_evidence_free(vw_evidence_t *e);

/* Sample names every table reader reads back: not empty, not beginning
 * with '#', no control character.  Logs "WHERE: ..." and returns
 * VW_EINPUT when not. */
int vw_sample_name_ok(const char *name, const char *where);
/* vw_sample_name_ok() for every sample, and no name given twice (two
 * inputs, or two VCFs with the same columns).  Logs; returns 0 or VW_EINPUT. */
int vw_sample_names_check(vw_sample_counts_t *const *s, int n);

/* Chooses the background of every target of one sample -- the model's
 * site (pon; in a model of several evidence classes the rows of co->ev_class,
 * else of the sample's own class, which the model must hold: VW_EINPUT
 * otherwise), else the sample's own substitution class ('sb', may be NULL:
 * self), else the floor (default) -- into bg[0..ts->n-1] and appends the
 * sample's calls, each naming the class (evclass.h).  Adds to *n_model / *n_default the targets that used
 * each.  Logs on failure; returns 0 or negative. */
int vw_call_one_sample(const vw_call_opt_t *co, const vw_model_t *model, const vw_targets_t *ts,
                       const vw_sample_counts_t *s, const vw_selfbg_t *sb, double cfdna_ng_ml, vw_bg_t *bg,
                       vw_calls_t *calls, int *n_model, int *n_default);

/* The build told by a BAM/CRAM header (@SQ lengths), or VW_BUILD_UNKNOWN. */
vw_build_t vw_cnv_file_build(const char *path, const char *reference);
/* Counts fragments per region of one file ('name' NULL: @RG SM) and
 * normalises them.  Logs on failure; returns NULL.  Caller owns; free with
 * vw_cnv_sample_destroy(). */
vw_cnv_sample_t *vw_cnv_load_sample(const char *path, const char *name, const vw_cnv_regions_t *rs,
                                    const vw_count_opt_t *copt, int gc);

/* 1 when 'out' names an existing regular file that is also one of the n_in
 * inputs (same device and inode; NULL and "-" entries are skipped). */
int vw_output_is_input(const char *out, const char *const *in, int n_in);
/* 1 (after logging "OUT: the output would overwrite an input file") when
 * one of outs is one of ins (the same file). */
int vw_outputs_clash(const char *const *outs, int n_out, const char *const *ins, int n_in);
/* 1 (after logging) when an input lies in directory 'dir' at a relative
 * path 'is_output' says the command writes; 0 when none does (or 'dir' is
 * not there yet). */
int vw_dir_clash(const char *dir, const char *const *ins, int n_in, int (*is_output)(const char *rel));
/* The files 'report -d DIR' writes, relative to DIR. */
int vw_report_is_output(const char *rel);

/* Writes one output atomically (vw_ofile, util.h); logs; returns 0 or -1. */
int vw_write_file(const char *path, int (*write)(FILE *, const void *), const void *obj);
/* Writes n files as one set: each under a temporary name, all complete and
 * flushed before the first is renamed into place.  Logs; returns 0 or -1. */
int vw_write_set(const char *const *paths, int (*const *write)(FILE *, const void *), const void *const *objs,
                 int n);

/* Runs fn(arg) in 'workers' threads (fn takes its jobs from a shared
 * queue in arg) and waits for them; in this thread when workers <= 1 or no
 * thread can be started. */
void vw_run_workers(void *(*fn)(void *), void *arg, int workers);

#endif
