/* make-export-fixture: the export tests' survey file, for the shell tests.
 *
 *   make-export-fixture OUT.sqlite FORMS_DIR */
#include "config.h"

#include "core/error.h"
#include "export_fixture.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make-export-fixture OUT.sqlite FORMS_DIR\n");
        return 2;
    }
    struct export_fixture fx;
    struct error err = ERROR_INIT;
    if (!export_fixture_build(argv[1], argv[2], &fx, &err)) {
        char *msg = error_format(&err);
        fprintf(stderr, "make-export-fixture: %s\n", msg);
        free(msg);
        error_clear(&err);
        return 1;
    }
    printf("%s %s %s\n", fx.deleted_record, fx.deleted_item, fx.deleted_note);
    return 0;
}
