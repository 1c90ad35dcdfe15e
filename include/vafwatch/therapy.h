/*
 * therapy.h -- which catalogue targets are relevant to a patient's therapy
 * (the therapy-relevance map of hierarchical testing, docs/calling.md).
 *
 * A map is a list of rules (class, kind, value):
 *   drug     value is a drug name that belongs to the class ("cetuximab")
 *   gene     every target of that gene is relevant to the class ("KRAS")
 *   protein  GENE:p.CHANGE, one protein change ("EGFR:p.T790M")
 *   id       one target id ("EGFR_C797S_c.2390G>C")
 *   context  the target's therapy context contains the text (any case)
 * Names, drugs and genes match in any case.  The built-in map
 * (vw_therapy_map_builtin()) is documented in docs/calling.md; a user map
 * is a TSV with the columns class, kind and value (vw_therapy_map_read()).
 *
 * Thread safety: a map is read-only after it is made; any number of
 * threads may query one map.  Logging goes through log.h.
 */
#ifndef VW_THERAPY_H
#define VW_THERAPY_H

#include "vafwatch/catalogue.h"
#include "vafwatch/timeline.h"
#include "vafwatch/util.h"

typedef enum {
    VW_TSEL_DRUG = 0,
    VW_TSEL_GENE,
    VW_TSEL_PROTEIN,
    VW_TSEL_ID,
    VW_TSEL_CONTEXT
} vw_therapy_kind_t;

typedef struct {
    char *cls;               /* therapy class, e.g. "anti_egfr_mab" */
    vw_therapy_kind_t kind;
    char *value;
} vw_therapy_rule_t;

typedef struct vw_therapy_map_s {
    int n, m;
    vw_therapy_rule_t *r;
} vw_therapy_map_t;

/* The built-in map (caller owns; free with vw_therapy_map_destroy()).
 * NULL with errno ENOMEM. */
vw_therapy_map_t *vw_therapy_map_builtin(void);

/* Reads a user map (TSV, header by name: class kind value; '#' comments).
 * An unknown kind, an empty class or value, or a protein without
 * 'GENE:' is an error naming the file, line and column.  An empty map (a
 * header, no rule) is accepted (nothing is relevant: no restriction).
 * Returns 0 and *ret (caller owns), or VW_EPARSE / -errno.  Logs on failure. */
int vw_therapy_map_read(const char *path, vw_therapy_map_t **ret) VW_WARN_UNUSED;

/* Accepts NULL. */
void vw_therapy_map_destroy(vw_therapy_map_t *m);

/* The class of 'name': the class itself when a rule names it, else the
 * class of the drug 'name' (any case); NULL when the map knows neither.
 * The string is borrowed from the map. */
const char *vw_therapy_class(const vw_therapy_map_t *m, const char *name);

/* 1 when a rule of class 'cls' selects target t, else 0. */
int vw_therapy_relevant(const vw_therapy_map_t *m, const char *cls, const vw_target_t *t);

/* Gives every target of 'ts' without a therapy context ("." or NULL: a
 * counts table does not carry it) the context of the built-in catalogue
 * row with the same id, REF and ALT, so that the map's 'context' rules
 * select the same targets whatever the evidence was read from.  Returns
 * the number of targets set, or -ENOMEM. */
int vw_therapy_fill_context(vw_targets_t *ts) VW_WARN_UNUSED;

/* The therapy classes of one sample into out[0..max-1] (borrowed from the
 * map; each class once): the classes of names[0..n_names-1] (--therapy;
 * every name must be known: vw_therapy_class()), else, when n_names is 0,
 * the drugs of the patient's treatment_start events (a detail of several
 * drugs split at '+', ',', ';', '/' or space; 'pat' may be NULL).  A drug
 * the map does not know is skipped and counted in *n_unknown (may be
 * NULL).  Returns the number of classes. */
int vw_therapy_sample_classes(const vw_therapy_map_t *m, const char *const *names, int n_names,
                              const vw_patient_t *pat, const char **out, int max, int *n_unknown);

#endif
