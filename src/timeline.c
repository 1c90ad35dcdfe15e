/*
 * timeline.c -- ISO 8601 dates, the cohort sheet and the events file (see
 * timeline.h and docs/inputs.md).
 *
 * Dates are computed from the Gregorian leap rule alone (no libc time
 * functions, so no time zone or DST can shift a day).
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vafwatch/log.h"
#include "vafwatch/table.h"
#include "vafwatch/timeline.h"

/* ======================================================================== */
/* Dates                                                                     */
/* ======================================================================== */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return len[m - 1] + (m == 2 && is_leap(y));
}

/* Days in the months before month m (1-12) of a common year. */
static const int days_before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

/* Days from 0001-01-01 to y-01-01, for y >= 1. */
static long days_before_year(int y)
{
    long p = y - 1;
    return 365 * p + p / 4 - p / 100 + p / 400;
}

/* days_before_year(1970): 1969 * 365 + 492 - 19 + 4. */
#define EPOCH_DAYS 719162L

/* Days since 1970-01-01 of a date already known to be valid. */
static int32_t ymd_to_days(int y, int m, int d)
{
    long n = days_before_year(y) + days_before_month[m - 1] + (m > 2 && is_leap(y)) + (d - 1);
    return (int32_t)(n - EPOCH_DAYS);
}

int vw_date_from_ymd(int year, int month, int day, int32_t *ret_days)
{
    if (!ret_days)
        return -EINVAL;
    if (year < VW_DATE_MIN_YEAR || year > VW_DATE_MAX_YEAR || month < 1 || month > 12
        || day < 1 || day > month_length(year, month))
        return VW_EPARSE;
    *ret_days = ymd_to_days(year, month, day);
    return 0;
}

int vw_date_parse(const char *s, int32_t *ret_days)
{
    int v[8], k = 0;
    if (!s || !ret_days)
        return -EINVAL;
    /* Exactly "DDDD-DD-DD": check character by character so that reading
     * stops at the terminating NUL of a short string. */
    for (int i = 0; i < 10; i++) {
        char c = s[i];
        if (i == 4 || i == 7) {
            if (c != '-')
                return VW_EPARSE;
        } else {
            if (c < '0' || c > '9')
                return VW_EPARSE;
            v[k++] = c - '0';
        }
    }
    if (s[10] != '\0')
        return VW_EPARSE;
    int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    int month = v[4] * 10 + v[5];
    int day = v[6] * 10 + v[7];
    return vw_date_from_ymd(year, month, day, ret_days);
}

int vw_date_to_ymd(int32_t days, int *ret_year, int *ret_month, int *ret_day)
{
    if (!ret_year || !ret_month || !ret_day)
        return -EINVAL;
    if (days < ymd_to_days(VW_DATE_MIN_YEAR, 1, 1) || days > ymd_to_days(VW_DATE_MAX_YEAR, 12, 31))
        return VW_EINPUT;
    /* Estimate the year from the mean year length, then correct it. */
    int y = 1970 + (int)floor(days / 365.2425);
    while (y > VW_DATE_MIN_YEAR && ymd_to_days(y, 1, 1) > days)
        y--;
    while (y < VW_DATE_MAX_YEAR && ymd_to_days(y + 1, 1, 1) <= days)
        y++;
    int doy = days - ymd_to_days(y, 1, 1); /* 0-based day of the year */
    int m = 1;
    while (m < 12 && doy >= days_before_month[m] + (m >= 2 && is_leap(y)))
        m++;
    int d = doy - days_before_month[m - 1] - (m > 2 && is_leap(y)) + 1;
    *ret_year = y;
    *ret_month = m;
    *ret_day = d;
    return 0;
}

int vw_date_format(int32_t days, char *buf)
{
    int y, m, d;
    if (!buf)
        return -EINVAL;
    if (vw_date_to_ymd(days, &y, &m, &d) != 0) {
        memcpy(buf, "NA", 3);
        return VW_EINPUT;
    }
    snprintf(buf, VW_DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
    return 0;
}

double vw_date_months(double days)
{
    return days / VW_DAYS_PER_MONTH;
}

/* ======================================================================== */
/* Names                                                                     */
/* ======================================================================== */

static const char *const sample_type_names[] = {"plasma", "normal", "tissue"};
static const char *const event_names[] = {"treatment_start", "treatment_stop", "scan",
                                          "progression", "last_followup", "death"};
static const char *const recist_names[] = {"", "CR", "PR", "SD", "PD", "NE"};

#define N_ELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *vw_timeline_sample_type_name(vw_sample_type_t t)
{
    return (unsigned)t < N_ELEM(sample_type_names) ? sample_type_names[t] : "?";
}

const char *vw_timeline_event_name(vw_event_type_t t)
{
    return (unsigned)t < N_ELEM(event_names) ? event_names[t] : "?";
}

const char *vw_timeline_recist_name(vw_recist_t r)
{
    return (unsigned)r < N_ELEM(recist_names) ? recist_names[r] : "?";
}

/* Index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* ======================================================================== */
/* Messages                                                                  */
/* ======================================================================== */

#define LOG_ERR(path, line, col, ...) vw_table_error(path, line, col, __VA_ARGS__)
#define LOG_WARN(path, line, col, ...) vw_table_warn(path, line, col, __VA_ARGS__)

static int oom(const char *path)
{
    vw_error("%s: out of memory", path);
    return -ENOMEM;
}

/* ======================================================================== */
/* Lookup index                                                              */
/* ======================================================================== */

typedef struct {
    const char *name;
    const vw_patient_t *patient;
    const vw_sample_t *sample;
} sample_ref_t;

struct vw_timeline_index_s {
    const vw_patient_t **by_id;   /* n_patients, sorted by id */
    sample_ref_t *by_name;        /* n_samples, sorted by name then sheet line */
};

static int cmp_patient_ptr(const void *a, const void *b)
{
    const vw_patient_t *x = *(const vw_patient_t *const *)a, *y = *(const vw_patient_t *const *)b;
    return strcmp(x->id, y->id);
}

static int cmp_sample_ref(const void *a, const void *b)
{
    const sample_ref_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (x->sample->line > y->sample->line) - (x->sample->line < y->sample->line);
}

static int build_index(vw_timeline_t *tl)
{
    struct vw_timeline_index_s *ix = calloc(1, sizeof(*ix));
    if (!ix)
        return -ENOMEM;
    ix->by_id = malloc((tl->n_patients ? tl->n_patients : 1) * sizeof(*ix->by_id));
    ix->by_name = malloc((tl->n_samples ? tl->n_samples : 1) * sizeof(*ix->by_name));
    if (!ix->by_id || !ix->by_name) {
        free(ix->by_id);
        free(ix->by_name);
        free(ix);
        return -ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < tl->n_patients; i++) {
        const vw_patient_t *p = &tl->patients[i];
        ix->by_id[i] = p;
        for (size_t j = 0; j < p->n_samples; j++, k++) {
            ix->by_name[k].name = p->samples[j].sample;
            ix->by_name[k].patient = p;
            ix->by_name[k].sample = &p->samples[j];
        }
    }
    qsort(ix->by_id, tl->n_patients, sizeof(*ix->by_id), cmp_patient_ptr);
    qsort(ix->by_name, tl->n_samples, sizeof(*ix->by_name), cmp_sample_ref);
    tl->index_ = ix;
    return 0;
}

static int cmp_key_patient(const void *key, const void *elem)
{
    return strcmp(key, (*(const vw_patient_t *const *)elem)->id);
}

static int cmp_key_sample(const void *key, const void *elem)
{
    return strcmp(key, ((const sample_ref_t *)elem)->name);
}

const vw_patient_t *vw_timeline_find_patient(const vw_timeline_t *tl, const char *id)
{
    if (!tl || !id || !tl->index_)
        return NULL;
    const vw_patient_t *const *p = bsearch(id, tl->index_->by_id, tl->n_patients,
                                           sizeof(*tl->index_->by_id), cmp_key_patient);
    return p ? *p : NULL;
}

const vw_sample_t *vw_timeline_find_sample(const vw_timeline_t *tl, const char *name,
                                           const vw_patient_t **ret_patient)
{
    if (!tl || !name || !tl->index_)
        return NULL;
    const sample_ref_t *r = bsearch(name, tl->index_->by_name, tl->n_samples,
                                    sizeof(*tl->index_->by_name), cmp_key_sample);
    if (!r)
        return NULL;
    if (ret_patient)
        *ret_patient = r->patient;
    return r->sample;
}

/* ======================================================================== */
/* Destroy                                                                   */
/* ======================================================================== */

static void free_sample(vw_sample_t *s)
{
    free(s->patient);
    free(s->sample);
    free(s->path);
    free(s->specimen_id);
    free(s->assay);
    free(s->targets);
    free(s->swgs);
}

static void free_events(vw_event_t *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ev[i].detail);
    free(ev);
}

void vw_timeline_destroy(vw_timeline_t *tl)
{
    if (!tl)
        return;
    for (size_t i = 0; i < tl->n_patients; i++) {
        vw_patient_t *p = &tl->patients[i];
        for (size_t j = 0; j < p->n_samples; j++)
            free_sample(&p->samples[j]);
        free(p->samples);
        free_events(p->events, p->n_events);
        free(p->treatments);
        free(p->id);
    }
    free(tl->patients);
    if (tl->index_) {
        free(tl->index_->by_id);
        free(tl->index_->by_name);
        free(tl->index_);
    }
    free(tl->sheet_path);
    free(tl->events_path);
    free(tl);
}

/* ======================================================================== */
/* Cohort sheet                                                              */
/* ======================================================================== */

enum { SC_PATIENT, SC_SAMPLE, SC_DATE, SC_FILE, SC_TYPE, SC_CFDNA, SC_PLASMA_ML, SC_TARGETS, SC_SPECIMEN, SC_ASSAY, SC_SWGS, SC_N };

static const vw_table_col_t sheet_cols[SC_N] = {
    {"patient", 1}, {"sample", 1}, {"date", 1}, {"file", 1},
    {"type", 0}, {"cfdna_ng_per_ml", 0}, {"plasma_ml", 0}, {"targets", 0}, {"specimen_id", 0}, {"assay", 0},
    {"swgs", 0},
};

/* An optional text column: NULL when the column is absent, empty or NA;
 * *ret_oom is set when the copy fails. */
static char *opt_text(const char *const *f, int c, int *ret_oom)
{
    if (c < 0 || !f[c][0] || strcmp(f[c], "NA") == 0)
        return NULL;
    char *s = vw_strdup(f[c]);
    if (!s)
        *ret_oom = 1;
    return s;
}

/* 'file' resolved against the directory of the sheet: absolute paths are
 * kept, leading "./" is dropped, and a sheet without a directory part
 * leaves the value as it is (it is then relative to the working directory,
 * which is the sheet's directory).  Returns NULL on ENOMEM. */
static char *resolve_path(const char *sheet, const char *file)
{
    if (file[0] == '/')
        return vw_strdup(file);
    while (file[0] == '.' && file[1] == '/') {
        file += 2;
        while (*file == '/')
            file++;
    }
    const char *slash = strrchr(sheet, '/');
    if (!slash)
        return vw_strdup(file);
    size_t dlen = (size_t)(slash - sheet) + 1; /* keep the slash */
    size_t flen = strlen(file);
    char *p = malloc(dlen + flen + 1);
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(p, sheet, dlen);
    memcpy(p + dlen, file, flen + 1);
    return p;
}

/* Parses an optional non-negative (or, strict, positive) number: empty or
 * "NA" give NaN.  Returns 0 or VW_EPARSE. */
static int parse_amount(const char *s, int strict, double *ret_v)
{
    double v;
    if (s[0] == '\0' || strcmp(s, "NA") == 0) {
        *ret_v = NAN;
        return 0;
    }
    if (vw_table_parse_double(s, 0, 0, DBL_MAX, &v) != 0 || (strict && v <= 0))
        return VW_EPARSE;
    *ret_v = v;
    return 0;
}

static int check_file(const char *sheet, long line, const char *column, const char *path)
{
    struct stat st;
    if (access(path, R_OK) != 0) {
        int e = errno;
        LOG_ERR(sheet, line, column, "cannot read '%s': %s", path, strerror(e));
        return VW_EINPUT;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        LOG_ERR(sheet, line, column, "'%s' is a directory, not a file", path);
        return VW_EINPUT;
    }
    return 0;
}

/* Parses one data row into *s (strings allocated).  Returns 0 or a negative
 * code (logged). */
static int parse_sheet_row(const char *path, long line, unsigned flags, const int *col,
                           char **f, vw_sample_t *s)
{
    memset(s, 0, sizeof(*s));
    s->line = line;
    for (int j = 0; j < SC_N; j++) {
        if (sheet_cols[j].required && f[col[j]][0] == '\0') {
            LOG_ERR(path, line, sheet_cols[j].name, "empty value");
            return VW_EPARSE;
        }
    }
    const char *date = f[col[SC_DATE]];
    if (vw_date_parse(date, &s->date) != 0) {
        LOG_ERR(path, line, "date", "invalid date '%s' (expected YYYY-MM-DD, years %d-%d)",
                date, VW_DATE_MIN_YEAR, VW_DATE_MAX_YEAR);
        return VW_EPARSE;
    }
    s->type = VW_SAMPLE_PLASMA;
    if (col[SC_TYPE] >= 0 && f[col[SC_TYPE]][0] != '\0') {
        int t = name_index(sample_type_names, (int)N_ELEM(sample_type_names), f[col[SC_TYPE]]);
        if (t < 0) {
            LOG_ERR(path, line, "type", "invalid sample type '%s' (expected plasma, normal or tissue)",
                    f[col[SC_TYPE]]);
            return VW_EPARSE;
        }
        s->type = (vw_sample_type_t)t;
    }
    s->cfdna_ng_per_ml = NAN;
    if (col[SC_CFDNA] >= 0 && parse_amount(f[col[SC_CFDNA]], 0, &s->cfdna_ng_per_ml) != 0) {
        LOG_ERR(path, line, "cfdna_ng_per_ml", "invalid value '%s' (expected a number >= 0, or NA)",
                f[col[SC_CFDNA]]);
        return VW_EPARSE;
    }
    s->plasma_ml = NAN;
    if (col[SC_PLASMA_ML] >= 0 && parse_amount(f[col[SC_PLASMA_ML]], 1, &s->plasma_ml) != 0) {
        LOG_ERR(path, line, "plasma_ml", "invalid value '%s' (expected a number > 0, or NA)",
                f[col[SC_PLASMA_ML]]);
        return VW_EPARSE;
    }
    s->patient = vw_strdup(f[col[SC_PATIENT]]);
    s->sample = vw_strdup(f[col[SC_SAMPLE]]);
    s->path = resolve_path(path, f[col[SC_FILE]]);
    int text_oom = 0;
    s->specimen_id = opt_text((const char *const *)f, col[SC_SPECIMEN], &text_oom);
    s->assay = opt_text((const char *const *)f, col[SC_ASSAY], &text_oom);
    const char *tg = col[SC_TARGETS] >= 0 ? f[col[SC_TARGETS]] : "";
    int has_targets = tg[0] != '\0' && strcmp(tg, "NA") != 0 && strcmp(tg, ".") != 0;
    if (has_targets)
        s->targets = resolve_path(path, tg);
    const char *sw = col[SC_SWGS] >= 0 ? f[col[SC_SWGS]] : "";
    int has_swgs = sw[0] != '\0' && strcmp(sw, "NA") != 0 && strcmp(sw, ".") != 0;
    if (has_swgs)
        s->swgs = resolve_path(path, sw);
    if (!s->patient || !s->sample || !s->path || text_oom || (has_targets && !s->targets)
        || (has_swgs && !s->swgs)) {
        free_sample(s);
        return oom(path);
    }
    if (!(flags & VW_TIMELINE_NO_FILE_CHECK)) {
        int ret = check_file(path, line, "file", s->path);
        if (ret == 0 && s->targets)
            ret = check_file(path, line, "targets", s->targets);
        if (ret == 0 && s->swgs)
            ret = check_file(path, line, "swgs", s->swgs);
        if (ret < 0) {
            free_sample(s);
            return ret;
        }
    }
    return 0;
}

static int cmp_sample_by_patient(const void *a, const void *b)
{
    const vw_sample_t *x = *(const vw_sample_t *const *)a, *y = *(const vw_sample_t *const *)b;
    int c = strcmp(x->patient, y->patient);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static int cmp_sample_by_date(const void *a, const void *b)
{
    const vw_sample_t *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

typedef struct {
    size_t beg, n;      /* range in the patient-sorted row pointers */
    long first_line;
} group_t;

static int cmp_group(const void *a, const void *b)
{
    const group_t *x = a, *y = b;
    return (x->first_line > y->first_line) - (x->first_line < y->first_line);
}

/* Groups rows[0..n) into patients (order of first appearance) with their
 * samples sorted by date then line.  Takes ownership of the rows' strings
 * on success.  Returns 0 or -ENOMEM (nothing taken). */
static int group_patients(vw_timeline_t *tl, vw_sample_t *rows, size_t n)
{
    vw_sample_t **ptr = malloc(n * sizeof(*ptr));
    group_t *grp = malloc(n * sizeof(*grp));
    size_t n_grp = 0;
    int ret = -ENOMEM;
    if (!ptr || !grp)
        goto out;
    for (size_t i = 0; i < n; i++)
        ptr[i] = &rows[i];
    qsort(ptr, n, sizeof(*ptr), cmp_sample_by_patient);
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(ptr[i]->patient, ptr[i - 1]->patient) != 0) {
            grp[n_grp].beg = i;
            grp[n_grp].n = 0;
            grp[n_grp].first_line = ptr[i]->line;
            n_grp++;
        }
        grp[n_grp - 1].n++;
    }
    qsort(grp, n_grp, sizeof(*grp), cmp_group);
    tl->patients = calloc(n_grp, sizeof(*tl->patients));
    if (!tl->patients)
        goto out;
    /* Allocate everything first, so that a failure leaves the rows owned by
     * the caller. */
    for (size_t g = 0; g < n_grp; g++) {
        vw_patient_t *p = &tl->patients[g];
        p->id = vw_strdup(ptr[grp[g].beg]->patient);
        p->samples = malloc(grp[g].n * sizeof(*p->samples));
        if (!p->id || !p->samples) {
            for (size_t h = 0; h <= g; h++) {
                free(tl->patients[h].id);
                free(tl->patients[h].samples);
            }
            free(tl->patients);
            tl->patients = NULL;
            goto out;
        }
    }
    for (size_t g = 0; g < n_grp; g++) {
        vw_patient_t *p = &tl->patients[g];
        p->first_line = grp[g].first_line;
        p->n_samples = grp[g].n;
        for (size_t k = 0; k < grp[g].n; k++)
            p->samples[k] = *ptr[grp[g].beg + k];
        qsort(p->samples, p->n_samples, sizeof(*p->samples), cmp_sample_by_date);
        p->first_treatment_start = VW_DATE_NONE;
        p->progression_date = VW_DATE_NONE;
        p->death_date = VW_DATE_NONE;
        p->last_followup = p->samples[p->n_samples - 1].date;
    }
    tl->n_patients = n_grp;
    tl->n_samples = n;
    ret = 0;
out:
    free(ptr);
    free(grp);
    return ret;
}

/* Duplicate sample names are an error (the first offending line is
 * reported); the index is sorted by name then line. */
static int check_duplicate_samples(const vw_timeline_t *tl)
{
    const sample_ref_t *r = tl->index_->by_name, *bad = NULL, *first = NULL;
    for (size_t i = 1; i < tl->n_samples; i++) {
        if (strcmp(r[i].name, r[i - 1].name) == 0 && (!bad || r[i].sample->line < bad->sample->line)) {
            size_t f = i - 1;
            while (f > 0 && strcmp(r[f - 1].name, r[i].name) == 0)
                f--;
            bad = &r[i];
            first = &r[f];
        }
    }
    if (bad) {
        LOG_ERR(tl->sheet_path, bad->sample->line, "sample", "duplicate sample name '%s' (first on line %ld)",
                bad->name, first->sample->line);
        return VW_EINPUT;
    }
    return 0;
}

/* A patient's 'targets' may repeat on its rows or be left empty on some;
 * two different values are an error (reported at the later line). */
static int set_patient_targets(vw_timeline_t *tl)
{
    for (size_t i = 0; i < tl->n_patients; i++) {
        vw_patient_t *p = &tl->patients[i];
        const vw_sample_t *first = NULL, *bad = NULL;
        for (size_t j = 0; j < p->n_samples; j++)
            if (p->samples[j].targets && (!first || p->samples[j].line < first->line))
                first = &p->samples[j];
        for (size_t j = 0; first && j < p->n_samples; j++) {
            const vw_sample_t *s = &p->samples[j];
            if (s->targets && strcmp(s->targets, first->targets) != 0 && (!bad || s->line < bad->line))
                bad = s;
        }
        if (bad) {
            LOG_ERR(tl->sheet_path, bad->line, "targets", "patient '%s' has two targets files: '%s' and '%s' (line %ld)",
                    p->id, bad->targets, first->targets, first->line);
            return VW_EINPUT;
        }
        p->targets = first ? first->targets : NULL;
        p->targets_line = first ? first->line : 0;
    }
    return 0;
}

/* Two samples of one patient on one date with one type: allowed, warned. */
static void warn_same_day(const vw_timeline_t *tl)
{
    char dbuf[VW_DATE_BUFSZ];
    for (size_t i = 0; i < tl->n_patients; i++) {
        const vw_patient_t *p = &tl->patients[i];
        for (size_t j = 1; j < p->n_samples; j++) {
            const vw_sample_t *s = &p->samples[j];
            size_t b = j; /* first sample of that day */
            while (b > 0 && p->samples[b - 1].date == s->date)
                b--;
            for (size_t k = b; k < j; k++) {
                const vw_sample_t *o = &p->samples[k];
                if (o->type != s->type)
                    continue;
                vw_date_format(s->date, dbuf);
                LOG_WARN(tl->sheet_path, s->line, "date",
                         "patient '%s' has more than one %s sample on %s: '%s' and '%s' (line %ld)",
                         p->id, vw_timeline_sample_type_name(s->type), dbuf, s->sample, o->sample, o->line);
                break;
            }
        }
    }
}

int vw_timeline_read_sheet(const char *path, unsigned flags, vw_timeline_t **ret_tl)
{
    vw_table_t *r = NULL;
    vw_timeline_t *tl = NULL;
    vw_sample_t *rows = NULL;
    size_t n_rows = 0, m_rows = 0;
    char **fields = NULL;
    int col[SC_N], ret;

    if (!path || !ret_tl || (flags & ~VW_TIMELINE_NO_FILE_CHECK))
        return -EINVAL;
    if ((ret = vw_table_open(path, "cohort sheet", &r)) < 0)
        return ret;
    if ((ret = vw_table_header(r, "cohort sheet", sheet_cols, SC_N, VW_TABLE_UNKNOWN_WARN, col)) < 0)
        goto out;
    while ((ret = vw_table_row(r, &fields)) == 1) {
        if (n_rows == m_rows) {
            size_t m = m_rows ? 2 * m_rows : 16;
            vw_sample_t *t = realloc(rows, m * sizeof(*rows));
            if (!t) {
                ret = oom(path);
                goto out;
            }
            rows = t;
            m_rows = m;
        }
        if ((ret = parse_sheet_row(path, vw_table_lineno(r), flags, col, fields, &rows[n_rows])) < 0)
            goto out;
        n_rows++;
    }
    if (ret < 0)
        goto out;
    if (n_rows == 0) {
        vw_error("%s: no samples: the cohort sheet has a header but no data rows", path);
        ret = VW_EPARSE;
        goto out;
    }

    tl = calloc(1, sizeof(*tl));
    if (!tl || !(tl->sheet_path = vw_strdup(path)) || group_patients(tl, rows, n_rows) < 0) {
        ret = oom(path);
        goto out;
    }
    n_rows = 0; /* the strings now belong to tl */
    if (build_index(tl) < 0) {
        ret = oom(path);
        goto out;
    }
    if ((ret = check_duplicate_samples(tl)) < 0 || (ret = set_patient_targets(tl)) < 0)
        goto out;
    warn_same_day(tl);
    *ret_tl = tl;
    tl = NULL;
    ret = 0;
out:
    for (size_t i = 0; i < n_rows; i++)
        free_sample(&rows[i]);
    free(rows);
    vw_table_close(r);
    vw_timeline_destroy(tl);
    return ret;
}

/* ======================================================================== */
/* Events                                                                    */
/* ======================================================================== */

enum { EC_PATIENT, EC_DATE, EC_EVENT, EC_DETAIL, EC_N };

static const vw_table_col_t event_cols[EC_N] = {
    {"patient", 1}, {"date", 1}, {"event", 1}, {"detail", 0},
};

typedef struct {
    vw_event_t ev;
    size_t patient;     /* index into tl->patients */
} event_row_t;

static int parse_event_row(const vw_timeline_t *tl, const char *path, long line, const int *col,
                           char **f, event_row_t *row)
{
    const char *pid = f[col[EC_PATIENT]], *date = f[col[EC_DATE]], *event = f[col[EC_EVENT]];
    const char *detail = col[EC_DETAIL] >= 0 ? f[col[EC_DETAIL]] : "";
    vw_event_t *ev = &row->ev;

    memset(row, 0, sizeof(*row));
    ev->line = line;
    for (int j = 0; j < EC_N; j++) {
        if (event_cols[j].required && f[col[j]][0] == '\0') {
            LOG_ERR(path, line, event_cols[j].name, "empty value");
            return VW_EPARSE;
        }
    }
    if (vw_date_parse(date, &ev->date) != 0) {
        LOG_ERR(path, line, "date", "invalid date '%s' (expected YYYY-MM-DD, years %d-%d)",
                date, VW_DATE_MIN_YEAR, VW_DATE_MAX_YEAR);
        return VW_EPARSE;
    }
    int t = name_index(event_names, (int)N_ELEM(event_names), event);
    if (t < 0) {
        LOG_ERR(path, line, "event", "unknown event '%s' (expected treatment_start, treatment_stop, "
                "scan, progression, last_followup or death)", event);
        return VW_EPARSE;
    }
    ev->type = (vw_event_type_t)t;
    ev->response = VW_RECIST_NONE;
    if (ev->type == VW_EVENT_SCAN) {
        if (detail[0] == '\0') {
            LOG_ERR(path, line, "detail", "a scan needs its RECIST response (CR, PR, SD, PD or NE)");
            return VW_EPARSE;
        }
        int rr = name_index(recist_names + 1, (int)N_ELEM(recist_names) - 1, detail);
        if (rr < 0) {
            LOG_ERR(path, line, "detail", "invalid RECIST response '%s' (expected CR, PR, SD, PD or NE)",
                    detail);
            return VW_EPARSE;
        }
        ev->response = (vw_recist_t)(rr + 1);
    }
    const vw_patient_t *p = vw_timeline_find_patient(tl, pid);
    if (!p) {
        LOG_ERR(path, line, "patient", "unknown patient '%s' (not in the cohort sheet '%s')",
                pid, tl->sheet_path);
        return VW_EINPUT;
    }
    row->patient = (size_t)(p - tl->patients);
    if (!(ev->detail = vw_strdup(detail)))
        return oom(path);
    return 0;
}

static int cmp_event(const void *a, const void *b)
{
    const vw_event_t *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* Pairs every treatment_stop with its treatment_start(s).  Stops are taken
 * in date order; a stop naming a drug closes the earliest still-open line
 * of that drug started on or before it; a stop without a drug closes every
 * open line started on or before it.  Returns 0 or VW_EINPUT (logged). */
static int pair_treatments(vw_patient_t *q, const char *path)
{
    char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ];
    for (size_t i = 0; i < q->n_events; i++) {
        const vw_event_t *e = &q->events[i];
        if (e->type != VW_EVENT_TREATMENT_STOP)
            continue;
        const char *drug = e->detail;
        int closed = 0;
        for (size_t t = 0; t < q->n_treatments; t++) {
            vw_treatment_t *tr = &q->treatments[t];
            if (tr->has_stop || tr->start > e->date || (drug[0] && strcmp(tr->drug, drug) != 0))
                continue;
            tr->has_stop = 1;
            tr->stop = e->date;
            tr->stop_event = i;
            closed = 1;
            if (drug[0])
                break;
        }
        if (closed)
            continue;
        /* A later start that this stop could have closed? */
        const vw_treatment_t *later = NULL;
        for (size_t t = 0; t < q->n_treatments && !later; t++)
            if (q->treatments[t].start > e->date && (!drug[0] || strcmp(q->treatments[t].drug, drug) == 0))
                later = &q->treatments[t];
        vw_date_format(e->date, d1);
        if (later) {
            vw_date_format(later->start, d2);
            LOG_ERR(path, e->line, "date", "treatment_stop%s%s%s on %s for patient '%s' is before its "
                    "treatment_start on %s (line %ld)", drug[0] ? " of '" : "", drug, drug[0] ? "'" : "",
                    d1, q->id, d2, q->events[later->start_event].line);
        } else {
            LOG_ERR(path, e->line, drug[0] ? "detail" : "event", "treatment_stop%s%s%s on %s for patient "
                    "'%s' has no open treatment_start%s to stop", drug[0] ? " of '" : "", drug,
                    drug[0] ? "'" : "", d1, q->id, drug[0] ? " of that drug" : "");
        }
        return VW_EINPUT;
    }
    return 0;
}

/* Fills the event-derived fields of q (whose events[] are set and sorted)
 * and checks them against each other and q's samples.  Returns 0, -ENOMEM
 * or VW_EINPUT (logged). */
static int derive_events(vw_patient_t *q, const char *path, const char *sheet)
{
    char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ];
    size_t death_ev = 0;
    int ret;

    q->has_death = 0;
    q->death_date = VW_DATE_NONE;
    for (size_t i = 0; i < q->n_events; i++) {
        const vw_event_t *e = &q->events[i];
        if (e->type != VW_EVENT_DEATH)
            continue;
        if (q->has_death) {
            LOG_ERR(path, e->line, "event", "second death for patient '%s' (first on line %ld)",
                    q->id, q->events[death_ev].line);
            return VW_EINPUT;
        }
        q->has_death = 1;
        q->death_date = e->date;
        death_ev = i;
    }
    if (q->has_death) {
        for (size_t i = 0; i < q->n_events; i++) {
            const vw_event_t *e = &q->events[i];
            if (e->date > q->death_date) {
                vw_date_format(e->date, d1);
                vw_date_format(q->death_date, d2);
                LOG_ERR(path, e->line, "date", "%s on %s for patient '%s' is after death on %s (line %ld)",
                        vw_timeline_event_name(e->type), d1, q->id, d2, q->events[death_ev].line);
                return VW_EINPUT;
            }
        }
        for (size_t j = 0; j < q->n_samples; j++) {
            const vw_sample_t *s = &q->samples[j];
            if (s->date > q->death_date) {
                vw_date_format(s->date, d1);
                vw_date_format(q->death_date, d2);
                LOG_ERR(sheet, s->line, "date", "sample '%s' of patient '%s' is dated %s, after death on "
                        "%s (%s:%ld)", s->sample, q->id, d1, d2, path, q->events[death_ev].line);
                return VW_EINPUT;
            }
        }
    }

    /* Treatment lines, in start order (events are sorted). */
    size_t n_start = 0;
    for (size_t i = 0; i < q->n_events; i++)
        n_start += q->events[i].type == VW_EVENT_TREATMENT_START;
    q->treatments = NULL;
    q->n_treatments = 0;
    if (n_start > 0 && !(q->treatments = calloc(n_start, sizeof(*q->treatments))))
        return oom(path);
    for (size_t i = 0; i < q->n_events; i++) {
        if (q->events[i].type != VW_EVENT_TREATMENT_START)
            continue;
        vw_treatment_t *tr = &q->treatments[q->n_treatments++];
        tr->drug = q->events[i].detail;
        tr->start = q->events[i].date;
        tr->stop = VW_DATE_NONE;
        tr->start_event = i;
    }
    q->has_treatment_start = n_start > 0;
    q->first_treatment_start = n_start > 0 ? q->treatments[0].start : VW_DATE_NONE;
    if ((ret = pair_treatments(q, path)) < 0)
        return ret;

    /* Radiographic progression: the first PD scan or the first progression
     * event, whichever is earlier; on a tie the scan (it carries the RECIST
     * assessment), so the progression event must be strictly earlier. */
    long pd = -1, prog = -1;
    for (size_t i = 0; i < q->n_events; i++) {
        const vw_event_t *e = &q->events[i];
        if (pd < 0 && e->type == VW_EVENT_SCAN && e->response == VW_RECIST_PD)
            pd = (long)i;
        if (prog < 0 && e->type == VW_EVENT_PROGRESSION)
            prog = (long)i;
    }
    long pe = pd;
    if (prog >= 0 && (pd < 0 || q->events[prog].date < q->events[pd].date))
        pe = prog;
    q->has_progression = pe >= 0;
    q->progression_date = pe >= 0 ? q->events[pe].date : VW_DATE_NONE;
    q->progression_event = pe >= 0 ? (size_t)pe : 0;
    if (q->has_progression && q->has_treatment_start && q->progression_date < q->first_treatment_start) {
        const vw_event_t *e = &q->events[pe];
        vw_date_format(e->date, d1);
        vw_date_format(q->first_treatment_start, d2);
        LOG_ERR(path, e->line, "date", "radiographic progression (%s) on %s for patient '%s' is before "
                "the first treatment_start on %s (line %ld)",
                e->type == VW_EVENT_SCAN ? "scan PD" : "progression", d1, q->id, d2,
                q->events[q->treatments[0].start_event].line);
        return VW_EINPUT;
    }

    /* Last follow-up: the latest date of any sample or event. */
    int32_t last = q->samples[q->n_samples - 1].date;
    if (q->n_events > 0 && q->events[q->n_events - 1].date > last)
        last = q->events[q->n_events - 1].date;
    q->last_followup = last;
    return 0;
}

/* Warns about a line of one drug started while another line of the same
 * drug is active. */
static void warn_overlaps(const vw_patient_t *p, const char *path)
{
    char d1[VW_DATE_BUFSZ], d2[VW_DATE_BUFSZ];
    for (size_t j = 1; j < p->n_treatments; j++) {
        const vw_treatment_t *b = &p->treatments[j];
        for (size_t i = 0; i < j; i++) {
            const vw_treatment_t *a = &p->treatments[i];
            if (strcmp(a->drug, b->drug) == 0 && a->start <= b->start && (!a->has_stop || b->start <= a->stop)) {
                vw_date_format(b->start, d1);
                vw_date_format(a->start, d2);
                LOG_WARN(path, p->events[b->start_event].line, "event",
                         "patient '%s': treatment_start%s%s%s on %s while the line started on %s "
                         "(line %ld) is still active", p->id, b->drug[0] ? " of '" : "", b->drug,
                         b->drug[0] ? "'" : "", d1, d2, p->events[a->start_event].line);
                break;
            }
        }
    }
}

int vw_timeline_read_events(vw_timeline_t *tl, const char *path)
{
    vw_table_t *r = NULL;
    event_row_t *rows = NULL;
    size_t n_rows = 0, m_rows = 0;
    vw_patient_t *tmp = NULL;
    char **fields = NULL, *events_path = NULL;
    int col[EC_N], ret;

    if (!tl || !path || tl->events_path || !tl->index_)
        return -EINVAL;
    if ((ret = vw_table_open(path, "events file", &r)) < 0)
        return ret;
    if ((ret = vw_table_header(r, "events file", event_cols, EC_N, VW_TABLE_UNKNOWN_WARN, col)) < 0)
        goto out;
    while ((ret = vw_table_row(r, &fields)) == 1) {
        if (n_rows == m_rows) {
            size_t m = m_rows ? 2 * m_rows : 16;
            event_row_t *t = realloc(rows, m * sizeof(*rows));
            if (!t) {
                ret = oom(path);
                goto out;
            }
            rows = t;
            m_rows = m;
        }
        if ((ret = parse_event_row(tl, path, vw_table_lineno(r), col, fields, &rows[n_rows])) < 0)
            goto out;
        n_rows++;
    }
    if (ret < 0)
        goto out;

    /* Work on shallow copies of the patients; commit only if all is well. */
    tmp = calloc(tl->n_patients, sizeof(*tmp));
    events_path = vw_strdup(path);
    if (!tmp || !events_path) {
        ret = oom(path);
        goto out;
    }
    for (size_t i = 0; i < tl->n_patients; i++) {
        tmp[i] = tl->patients[i];
        tmp[i].events = NULL;
        tmp[i].n_events = 0;
        tmp[i].treatments = NULL;
        tmp[i].n_treatments = 0;
    }
    for (size_t k = 0; k < n_rows; k++)
        tmp[rows[k].patient].n_events++;
    for (size_t i = 0; i < tl->n_patients; i++) {
        if (tmp[i].n_events && !(tmp[i].events = malloc(tmp[i].n_events * sizeof(vw_event_t)))) {
            ret = oom(path);
            goto out;
        }
        tmp[i].n_events = 0;
    }
    for (size_t k = 0; k < n_rows; k++) {
        vw_patient_t *q = &tmp[rows[k].patient];
        q->events[q->n_events++] = rows[k].ev;
        rows[k].ev.detail = NULL; /* moved */
    }
    for (size_t i = 0; i < tl->n_patients; i++) {
        if (tmp[i].n_events > 1)
            qsort(tmp[i].events, tmp[i].n_events, sizeof(vw_event_t), cmp_event);
        if ((ret = derive_events(&tmp[i], path, tl->sheet_path)) < 0)
            goto out;
    }

    /* Commit (nothing below can fail). */
    for (size_t i = 0; i < tl->n_patients; i++) {
        free_events(tl->patients[i].events, tl->patients[i].n_events);
        free(tl->patients[i].treatments);
        tl->patients[i] = tmp[i];
    }
    free(tmp);
    tmp = NULL;
    tl->events_path = events_path;
    events_path = NULL;
    for (size_t i = 0; i < tl->n_patients; i++) {
        const vw_patient_t *p = &tl->patients[i];
        warn_overlaps(p, path);
        if (!p->has_treatment_start)
            vw_warn("patient '%s': no treatment_start in '%s'; lead time cannot be computed", p->id, path);
    }
    ret = 0;
out:
    if (tmp) {
        for (size_t i = 0; i < tl->n_patients; i++) {
            free_events(tmp[i].events, tmp[i].n_events);
            free(tmp[i].treatments);
        }
        free(tmp);
    }
    for (size_t k = 0; k < n_rows; k++)
        free(rows[k].ev.detail);
    free(rows);
    free(events_path);
    vw_table_close(r);
    return ret;
}

/* ======================================================================== */
/* Clinical markers                                                          */
/* ======================================================================== */

enum { MC_PATIENT, MC_DATE, MC_MARKER, MC_VALUE, MC_UNIT, MC_N };

static const vw_table_col_t marker_cols[MC_N] = {
    {"patient", 1}, {"date", 1}, {"marker", 1}, {"value", 1}, {"unit", 0},
};

void vw_markers_destroy(vw_markers_t *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].marker);
        free(m->v[i].unit);
    }
    free(m->v);
    free(m->path);
    free(m);
}

static int cmp_marker_value(const void *a, const void *b)
{
    const vw_marker_value_t *x = a, *y = b;
    if (x->patient != y->patient)
        return x->patient < y->patient ? -1 : 1;
    int c = strcmp(x->marker, y->marker);
    if (c)
        return c;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int parse_marker_row(const vw_timeline_t *tl, const char *path, long line, const int *col, char **f,
                            vw_marker_value_t *v)
{
    memset(v, 0, sizeof(*v));
    v->line = line;
    for (int j = 0; j < MC_N; j++)
        if (marker_cols[j].required && f[col[j]][0] == '\0') {
            LOG_ERR(path, line, marker_cols[j].name, "empty value");
            return VW_EPARSE;
        }
    if (vw_date_parse(f[col[MC_DATE]], &v->date) != 0) {
        LOG_ERR(path, line, "date", "invalid date '%s' (expected YYYY-MM-DD, years %d-%d)", f[col[MC_DATE]],
                VW_DATE_MIN_YEAR, VW_DATE_MAX_YEAR);
        return VW_EPARSE;
    }
    if (vw_table_parse_double(f[col[MC_VALUE]], 0, -DBL_MAX, DBL_MAX, &v->value) != 0) {
        LOG_ERR(path, line, "value", "invalid value '%s' (expected a number)", f[col[MC_VALUE]]);
        return VW_EPARSE;
    }
    const vw_patient_t *p = vw_timeline_find_patient(tl, f[col[MC_PATIENT]]);
    if (!p) {
        LOG_ERR(path, line, "patient", "unknown patient '%s' (not in the cohort sheet '%s')", f[col[MC_PATIENT]],
                tl->sheet_path);
        return VW_EINPUT;
    }
    v->patient = (size_t)(p - tl->patients);
    v->marker = vw_strdup(f[col[MC_MARKER]]);
    v->unit = vw_strdup(col[MC_UNIT] >= 0 ? f[col[MC_UNIT]] : "");
    if (!v->marker || !v->unit) {
        free(v->marker);
        free(v->unit);
        v->marker = v->unit = NULL;
        return oom(path);
    }
    return 0;
}

int vw_markers_read(const vw_timeline_t *tl, const char *path, vw_markers_t **ret)
{
    vw_table_t *r = NULL;
    char **fields = NULL;
    int col[MC_N], rc;
    if (!tl || !path || !ret || !tl->index_)
        return -EINVAL;
    vw_markers_t *m = calloc(1, sizeof(*m));
    if (!m)
        return oom(path);
    size_t m_v = 0;
    if ((rc = vw_table_open(path, "markers file", &r)) < 0) {
        free(m);
        return rc;
    }
    if ((rc = vw_table_header(r, "markers file", marker_cols, MC_N, VW_TABLE_UNKNOWN_WARN, col)) < 0)
        goto out;
    if (!(m->path = vw_strdup(path))) {
        rc = oom(path);
        goto out;
    }
    while ((rc = vw_table_row(r, &fields)) == 1) {
        if (m->n == m_v) {
            size_t k = m_v ? 2 * m_v : 16;
            vw_marker_value_t *t = realloc(m->v, k * sizeof(*t));
            if (!t) {
                rc = oom(path);
                goto out;
            }
            m->v = t;
            m_v = k;
        }
        if ((rc = parse_marker_row(tl, path, vw_table_lineno(r), col, fields, &m->v[m->n])) < 0)
            goto out;
        vw_marker_value_t *v = &m->v[m->n++];
        /* one unit per marker over the whole file: compared with the marker's first row */
        for (size_t k = 0; k + 1 < m->n; k++)
            if (strcmp(m->v[k].marker, v->marker) == 0) {
                if (strcmp(m->v[k].unit, v->unit) != 0) {
                    LOG_ERR(path, v->line, "unit", "unit '%s' of marker '%s' differs from '%s' at line %ld (one "
                            "unit per marker; convert the values)", v->unit, v->marker, m->v[k].unit, m->v[k].line);
                    rc = VW_EPARSE;
                    goto out;
                }
                break;
            }
    }
    if (rc < 0)
        goto out;
    if (m->n > 1)
        qsort(m->v, m->n, sizeof(*m->v), cmp_marker_value);
    for (size_t k = 1; k < m->n; k++) {
        const vw_marker_value_t *a = &m->v[k - 1], *b = &m->v[k];
        if (a->patient == b->patient && a->date == b->date && strcmp(a->marker, b->marker) == 0) {
            char d[VW_DATE_BUFSZ];
            LOG_ERR(path, b->line > a->line ? b->line : a->line, NULL,
                    "a second value of marker '%s' for patient '%s' on %s (the other at line %ld)", a->marker,
                    tl->patients[a->patient].id, vw_date_format(a->date, d) == 0 ? d : "?",
                    b->line > a->line ? a->line : b->line);
            rc = VW_EPARSE;
            goto out;
        }
    }
    *ret = m;
    m = NULL;
    rc = 0;
out:
    vw_table_close(r);
    vw_markers_destroy(m);
    return rc;
}

/* ======================================================================== */
/* Queries                                                                   */
/* ======================================================================== */

long vw_timeline_baseline_index(const vw_patient_t *p)
{
    long best = -1;
    if (!p)
        return -1;
    for (size_t j = 0; j < p->n_samples; j++) {
        const vw_sample_t *s = &p->samples[j];
        if (s->type != VW_SAMPLE_PLASMA)
            continue;
        if (!p->has_treatment_start)
            return (long)j;
        if (s->date > p->first_treatment_start)
            break;
        best = (long)j;
    }
    return best;
}

static int active_on(const vw_treatment_t *t, int32_t date)
{
    return t->start <= date && (!t->has_stop || date <= t->stop);
}

const vw_treatment_t *vw_timeline_treatment_at(const vw_patient_t *p, int32_t date)
{
    const vw_treatment_t *best = NULL;
    if (!p)
        return NULL;
    /* treatments[] is in start order, ties in file order: the last active
     * one started last. */
    for (size_t i = 0; i < p->n_treatments; i++)
        if (active_on(&p->treatments[i], date))
            best = &p->treatments[i];
    return best;
}

size_t vw_timeline_treatments_at(const vw_patient_t *p, int32_t date, const vw_treatment_t **out, size_t m)
{
    size_t n = 0;
    if (!p)
        return 0;
    for (size_t i = 0; i < p->n_treatments; i++) {
        if (active_on(&p->treatments[i], date)) {
            if (out && n < m)
                out[n] = &p->treatments[i];
            n++;
        }
    }
    return n;
}
