/* catalogue_builtin.h -- private: the row type of the built-in table. */
#ifndef VW_CATALOGUE_BUILTIN_H
#define VW_CATALOGUE_BUILTIN_H

typedef struct {
    const char *gene, *transcript, *protein, *cdna, *chrom;
    long pos37, pos38;       /* 1-based */
    const char *ref, *alt;   /* + strand, identical in both builds */
    char strand;
    const char *context;
    int verified;
} vw_builtin_row_t;

extern const vw_builtin_row_t vw_builtin_rows[];
extern const int vw_builtin_n;

#endif
