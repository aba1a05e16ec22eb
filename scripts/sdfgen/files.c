/* File reading and search-path resolution. */
#include "files.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int read_file(struct arena *arena, const char *path, const unsigned char **data,
              size_t *len)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return errno;
    struct stat st;
    int error = fstat(fileno(file), &st) != 0 ? errno
                : S_ISDIR(st.st_mode)          ? EISDIR
                : !S_ISREG(st.st_mode)         ? EINVAL
                                               : 0;
    if (error) {
        fclose(file);
        return error;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buffer = arena_alloc(arena, size + 1);
    size_t got = size ? fread(buffer, 1, size, file) : 0;
    error = ferror(file) ? EIO : 0;
    fclose(file);
    if (error)
        return error;
    buffer[got] = '\0';
    *data = buffer;
    *len = got;
    return 0;
}

static int try_path(struct arena *arena, const char *path,
                    const unsigned char **data, size_t *len,
                    const char **resolved)
{
    int error = read_file(arena, path, data, len);
    if (error == 0)
        *resolved = path;
    return error;
}

static int disk_load(struct file_loader *self, struct arena *arena,
                     const char *name, const unsigned char **data, size_t *len,
                     const char **resolved)
{
    const struct disk_loader *loader = (const struct disk_loader *)self;
    if (name[0] == '/')
        return try_path(arena, name, data, len, resolved);
    for (size_t i = 0; i < loader->search_path_count; i++) {
        const char *path =
            arena_printf(arena, "%s/%s", loader->search_paths[i], name);
        int error = try_path(arena, path, data, len, resolved);
        if (error != ENOENT)
            return error;
    }
    return try_path(arena, name, data, len, resolved);
}

void disk_loader_init(struct disk_loader *loader,
                      const char *const *search_paths, size_t count)
{
    loader->base.load = disk_load;
    loader->search_paths = search_paths;
    loader->search_path_count = count;
}
