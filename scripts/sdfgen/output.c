/* Output files: directory creation, write-if-changed, graphviz. */
#include "output.h"

#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

bool make_directories(struct diag *diag, const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return false;
    bool ok = true;
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            diag_error(diag, loc_none(), "cannot create directory '%s': %s", copy,
                       strerror(errno));
            ok = false;
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(copy);
    return ok;
}

static bool same_content(const char *path, const char *data, size_t len)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return false;
    bool same = true;
    char buf[8192];
    size_t offset = 0, got;
    while (same && (got = fread(buf, 1, sizeof buf, file)) > 0) {
        same = offset + got <= len && memcmp(buf, data + offset, got) == 0;
        offset += got;
    }
    same = same && !ferror(file) && offset == len;
    fclose(file);
    return same;
}

/* Writes through a temporary file and rename(), so that an interrupted
 * run never leaves a truncated output behind. */
static bool replace_file(struct diag *diag, const char *path, const char *data,
                         size_t len)
{
    size_t tmp_len = strlen(path) + 8;
    char *tmp = malloc(tmp_len);
    if (!tmp)
        return false;
    snprintf(tmp, tmp_len, "%s.tmp", path);
    FILE *file = fopen(tmp, "wb");
    bool ok = file && fwrite(data, 1, len, file) == len;
    ok = file && fclose(file) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        diag_error(diag, loc_none(), "cannot write '%s': %s", path, strerror(errno));
        remove(tmp);
    }
    free(tmp);
    return ok;
}

bool write_output(struct compilation *c, const char *path, emit_fn emit,
                  const void *arg)
{
    char *data = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&data, &len);
    if (!memory) {
        diag_error(c->diag, loc_none(), "out of memory");
        return false;
    }
    emit(c, arg, memory);
    fclose(memory);
    bool ok = same_content(path, data, len) || replace_file(c->diag, path, data, len);
    free(data);
    return ok;
}

void render_svg(struct diag *diag, const char *dot_file, const char *svg_file)
{
    char *argv[] = { "dot", "-Tsvg", "-o", (char *)svg_file, (char *)dot_file, NULL };
    pid_t pid;
    int error = posix_spawnp(&pid, "dot", NULL, NULL, argv, environ);
    if (error) {
        diag_warning(diag, loc_none(),
                     "cannot run 'dot' (graphviz): %s; %s not written",
                     strerror(error), svg_file);
        return;
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        diag_warning(diag, loc_none(), "'dot' failed; %s not written", svg_file);
        remove(svg_file);
    }
}
