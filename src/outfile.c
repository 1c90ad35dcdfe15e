/* outfile.c -- one output, or a set of outputs, written atomically through
 * vw_ofile (util.h), with the failure logged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "vafwatch/inputs.h"
#include "vafwatch/log.h"
#include "vafwatch/util.h"

/* Writes one output through vw_ofile; logs and returns -1 on failure. */
int vw_write_file(const char *path, int (*write)(FILE *, const void *), const void *obj)
{
    vw_ofile_t of = {0};
    int rc = vw_ofile_open(&of, path);
    if (rc < 0) {
        vw_error_code(rc, "cannot write '%s'", path);
        return -1;
    }
    rc = write(of.fp, obj);
    if (rc == -EIO)
        rc = vw_stream_error(of.fp);
    if (rc < 0) {
        vw_error_code(rc, "writing '%s'", path);
        vw_ofile_abort(&of);
        return -1;
    }
    if ((rc = vw_ofile_commit(&of)) < 0) {
        vw_error_code(rc, "writing '%s'", path);
        return -1;
    }
    return 0;
}

int vw_write_set(const char *const *paths, int (*const *write)(FILE *, const void *), const void *const *objs,
                     int n)
{
    vw_ofile_t *of = calloc((size_t)(n ? n : 1), sizeof(*of));
    int rc = 0, k = 0;
    if (!of) {
        vw_error_code(-ENOMEM, "output files");
        return -1;
    }
    /* every file written and flushed under its temporary name ... */
    for (k = 0; k < n && rc == 0; k++) {
        if ((rc = vw_ofile_open(&of[k], paths[k])) < 0) {
            vw_error_code(rc, "cannot write '%s'", paths[k]);
            break;
        }
        rc = write[k](of[k].fp, objs[k]);
        if (rc == -EIO)
            rc = vw_stream_error(of[k].fp);
        else if (rc == 0 && of[k].fp != stdout && fflush(of[k].fp) != 0)
            rc = errno ? -errno : -EIO;
        if (rc < 0)
            vw_error_code(rc, "writing '%s'", paths[k]);
    }
    /* ... before the first is renamed into place */
    for (int i = 0; i < n && rc == 0; i++)
        if ((rc = vw_ofile_commit(&of[i])) < 0)
            vw_error_code(rc, "writing '%s'", paths[i]);
    for (int i = 0; i < n; i++)
        vw_ofile_abort(&of[i]);
    free(of);
    return rc < 0 ? -1 : 0;
}
