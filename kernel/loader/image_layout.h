/*
 * Constants shared by head.S and linker/loader.ld (so: no C, no suffixes).
 * loader_ram_base.h is generated from the board memory map by the Makefile.
 */
#ifndef LOADER_IMAGE_LAYOUT_H
#define LOADER_IMAGE_LAYOUT_H

#include "loader_ram_base.h"    /* LOADER_RAM_BASE: the Image header's text_offset base */

/* head.S copies the first page before running from the copy: it holds all of
 * the relocation code. */
#define LOADER_RELOCATION_PAGE  4096
/* A move shorter than a page first goes to link address + this. */
#define LOADER_STAGING_OFFSET   0x2000
/* Each secondary core's stack while it is in the loader (head.S). */
#define LOADER_SECONDARY_STACK  8192

#endif
