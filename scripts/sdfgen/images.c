/* Loading the files a system names: PD program images (ELF) and memory
 * region prefill files. For each program image, the page ranges the monitor
 * must allocate (segments rounded out to pages, segments sharing a page
 * merged) and the file bytes it must copy are worked out here, so that the
 * monitor does not need to parse ELF at boot. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"

/* Loads `name` through the file loader, reporting failures as `what`. */
static bool load_file(struct compilation *c, const char *name, const char *what,
                      struct loc loc, const unsigned char **data, size_t *len,
                      const char **resolved)
{
    int error = c->files->load(c->files, c->arena, name, data, len, resolved);
    if (error == ENOENT) {
        diag_error(c->diag, loc,
                   "cannot find %s '%s' (add its directory with --search-path)",
                   what, name);
        return false;
    }
    if (error) {
        diag_error(c->diag, loc, "cannot read %s '%s': %s", what, name,
                   strerror(error));
        return false;
    }
    *VEC_PUSH(c->arena, &c->inputs) = *resolved;
    return true;
}

static struct elf_image *load_elf(struct compilation *c, const char *name,
                                  struct loc loc, const char **resolved)
{
    const unsigned char *data;
    size_t len;
    if (!load_file(c, name, "program image", loc, &data, &len, resolved))
        return NULL;
    struct elf_image *image = arena_alloc(c->arena, sizeof *image);
    const char *problem = elf_parse(image, c->arena, data, len);
    if (problem) {
        diag_error(c->diag, loc, "program image '%s': %s", name, problem);
        return NULL;
    }
    return image;
}

static int compare_regions(const void *a, const void *b)
{
    const struct image_region *x = a, *y = b;
    return (x->vaddr > y->vaddr) - (x->vaddr < y->vaddr);
}

static bool build_image_regions(struct compilation *c, struct pd *pd)
{
    const struct elf_image *image = pd->image;
    struct image_region *pages =
        arena_alloc(c->arena, image->segment_count * sizeof *pages);
    for (size_t i = 0; i < image->segment_count; i++) {
        const struct elf_segment *seg = &image->segments[i];
        bool overflow = false;
        uint64_t start = align_down(seg->vaddr, SMALL_PAGE);
        uint64_t end = align_up(seg->vaddr + seg->mem_size, SMALL_PAGE, &overflow);
        if (overflow) {
            diag_error(c->diag, pd->image_path_loc,
                       "program image '%s' has a segment at the very top of "
                       "the address space",
                       pd->image_path);
            return false;
        }
        pages[i] = (struct image_region){ start, end - start, seg->perms };
        if (seg->file_size)
            *VEC_PUSH(c->arena, &pd->image_copies) = (struct image_copy){
                seg->vaddr, seg->file_offset, seg->file_size,
            };
    }
    qsort(pages, image->segment_count, sizeof *pages, compare_regions);
    for (size_t i = 0; i < image->segment_count; i++) {
        struct image_region *last = pd->image_regions.len
                                        ? &pd->image_regions.items[pd->image_regions.len - 1]
                                        : NULL;
        if (last && pages[i].vaddr < last->vaddr + last->size) {
            uint64_t end = pages[i].vaddr + pages[i].size;
            if (end > last->vaddr + last->size)
                last->size = end - last->vaddr;
            last->perms |= pages[i].perms;
            continue;
        }
        *VEC_PUSH(c->arena, &pd->image_regions) = pages[i];
    }
    return true;
}

static void load_program_image(struct compilation *c, struct pd *pd)
{
    if (!pd->image_path)
        return;
    const char *resolved;
    struct elf_image *image = load_elf(c, pd->image_path, pd->image_path_loc,
                                       &resolved);
    if (!image)
        return;
    pd->symbols = image;
    if (pd->symbols_path) {
        const char *symbols_resolved;
        pd->symbols = load_elf(c, pd->symbols_path, pd->symbols_path_loc,
                               &symbols_resolved);
    }
    pd->image = image;
    pd->image_resolved = resolved;
    if (!build_image_regions(c, pd)) {
        pd->image = NULL;
        return;
    }
    pd->image_index = embed_file(c, resolved, image->len);
}

static void load_prefill(struct compilation *c, struct mr *mr)
{
    const unsigned char *data;
    size_t len;
    const char *resolved;
    if (!load_file(c, mr->prefill_path, "prefill file", mr->prefill_loc, &data,
                   &len, &resolved)) {
        mr->valid = false;
        return;
    }
    if (len == 0) {
        diag_error(c->diag, mr->prefill_loc, "prefill file '%s' is empty",
                   mr->prefill_path);
        mr->valid = false;
        return;
    }
    mr->prefill_size = len;
    mr->prefill_resolved = resolved;
    if (!mr->size_given) {
        bool overflow = false;
        mr->size = align_up(len, mr->page_size, &overflow);
    } else if (len > mr->size) {
        diag_error(c->diag, mr->prefill_loc,
                   "prefill file '%s' has 0x%zx bytes, more than the size "
                   "0x%" PRIx64 " of memory region '%s'",
                   mr->prefill_path, len, mr->size, mr->name);
        mr->valid = false;
        return;
    }
    mr->prefill_index = embed_file(c, resolved, len);
}

void load_images(struct compilation *c)
{
    if (!c->files)
        return;
    for (size_t i = 0; i < c->sys.pds.len; i++)
        load_program_image(c, &c->sys.pds.items[i]);
    for (size_t i = 0; i < c->sys.mrs.len; i++) {
        struct mr *mr = &c->sys.mrs.items[i];
        if (mr->valid && mr->prefill_path)
            load_prefill(c, mr);
    }
}
