/*
 * evclass.h -- evidence classes: what a count is a count of (fragments,
 * reads, molecules of families >= N, duplex molecules), the name of a
 * class in the model file and the calls, the background of one class in a
 * model file that holds several (docs/umi.md).
 *
 * Class names (the 'class' column of a model file and of the calls table):
 *   fragment, read               the fragment and read units
 *   molecule, molecule_fN        molecules of families >= 1, >= N (N >= 2)
 *   duplex, duplex_fN            duplex molecules (--duplex-only), families >= 1, >= N
 *
 * A model site whose ev_class is NULL (a model file without a class
 * column: one class, named by its '##options=' line) serves every class.
 *
 * Thread safety: no shared state.  vw_evclass_build() logs; the others do
 * not, except vw_evclass_check() and vw_evclass_check_sample(), which say so.
 */
#ifndef VW_EVCLASS_H
#define VW_EVCLASS_H

#include <stddef.h>
#include <stdint.h>

#include "vafwatch/count.h"
#include "vafwatch/inputs.h"
#include "vafwatch/model.h"

#define VW_EVCLASS_MAX 32 /* room for any class name, its NUL included */

/* The name of the class of (unit, min_family, duplex_only), written to buf
 * (n bytes, at least VW_EVCLASS_MAX); returns buf.  min_family and
 * duplex_only only count in the molecule unit; min_family < 1 is 1. */
const char *vw_evclass_name(int unit, int min_family, int duplex_only, char *buf, size_t n);

/* The class of a sample's counts (its unit, min_family, duplex_only). */
const char *vw_evclass_of_sample(const vw_sample_counts_t *s, char *buf, size_t n);

/* Parses a class name (as written by vw_evclass_name(); N at most 1000).
 * Returns 0 and the three values, or VW_EPARSE (outputs untouched). */
int vw_evclass_parse(const char *s, int *ret_unit, int *ret_min_family, int *ret_duplex_only) VW_WARN_UNUSED;

/* Index of the model site at chrom/pos1/ref/alt whose class is 'cls' (or
 * that serves every class: ev_class NULL); 'cls' NULL takes the first site
 * there, whatever its class.  -1 when none. */
int vw_evclass_find(const vw_model_t *m, const char *cls, const char *chrom, int64_t pos1, const char *ref,
                    const char *alt);

/* The distinct classes of the model's sites, comma-separated, in file
 * order, into buf (n bytes; cut short when it does not fit); "" for a
 * model without a class column.  Returns the number of classes. */
int vw_evclass_list(const vw_model_t *m, char *buf, size_t n);

/* Can the model 'path' give the background of class 'cls' to 'sample'?
 * 0: the model has no class column (one class; the caller compares it with
 * its '##options=' line); 1: it holds rows of class cls; VW_EINPUT (logged,
 * naming the file, the sample and the classes it holds) when it holds
 * classes but not this one. */
int vw_evclass_check(const vw_model_t *m, const char *path, const char *cls, const char *sample) VW_WARN_UNUSED;

/* The checks of call and run before calling sample s on the model 'path'
 * (read by vw_model_read_tsv() into m) in class 'cls' (--class; NULL: the
 * sample's own): VW_EINPUT (logged by vw_evclass_check()) when the model
 * holds classes but not this one; else 0, after a warning when cls is not
 * the sample's own class, or when a one-class model's '##options=' line
 * (read from 'path') names another molecule class than the sample's. */
int vw_evclass_check_sample(const vw_model_t *m, const char *path, const char *cls,
                            const vw_sample_counts_t *s) VW_WARN_UNUSED;

/*
 * model build in the molecule unit: one fit per evidence class from the
 * same normals, every site of the result named by its class.  The classes:
 * the one the options name, those of the evidence tables among the inputs
 * (an evidence table holds one class per sample; a VCF counts as
 * fragments), and, when a BAM/CRAM is among them, the standard ones:
 * molecule, molecule_f3 and duplex.  BAM/CRAM normals are counted once per class; a class no normal
 * has (duplex, from simplex UMIs) gets no site.  *ret_ev is the evidence
 * of the options' own class (caller frees with vw_evidence_free()).
 * Logs; returns 0 or negative (model and *ret_ev as far as they got: the
 * caller destroys both).
 */
int vw_evclass_build(const vw_target_opt_t *to, const vw_count_opt_t *opt, char **files, int n_files,
                     const vw_model_opt_t *mo, vw_model_t *model, vw_evidence_t *ret_ev) VW_WARN_UNUSED;

#endif
