#include "dtb_file.h"

#include "fdt_header.h"
#include <stdio.h>
#include <stdlib.h>

#include "file.h"

int dtb_file_load(struct dtb_file *dtb, const char *path)
{
    *dtb = (struct dtb_file){ .path = path };
    if (file_read(path, &dtb->bytes, &dtb->size) != 0)
        return -1;
    struct fdt_header_facts facts;
    enum fdt_header_status status = fdt_header_check(dtb->bytes, dtb->size, &facts);
    if (status != FDT_HEADER_OK) {
        fprintf(stderr, "mkpayload: %s: not a usable device tree blob: %s\n", path,
                fdt_header_status_text(status));
        return -1;
    }
    dtb->size = facts.totalsize;
    return 0;
}

void dtb_file_free(struct dtb_file *dtb)
{
    free(dtb->bytes);
    *dtb = (struct dtb_file){ 0 };
}
