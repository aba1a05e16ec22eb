/*
 * The RSP engine on the simulated machine, speaking on stdin/stdout, for
 * gdb-multiarch's `target remote | rsp_server` (run.sh drives a real gdb
 * through it: the protocol as gdb speaks it, not as the tests think it does).
 */
#include "fake_target.h"

#include <stdlib.h>
#include <unistd.h>

static int write_all(const char *bytes, size_t len)
{
    while (len) {
        ssize_t n = write(1, bytes, len);
        if (n <= 0)
            return -1;
        bytes += n;
        len -= (size_t)n;
    }
    return 0;
}

int main(void)
{
    struct fake *f = calloc(1, sizeof *f);
    fake_init(f);
    f->write_out = write_all;
    char buf[4096];
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n <= 0)
            break;
        f->out_len = 0;
        gdbstub_input(&f->stub, buf, (size_t)n);
    }
    free(f);
    return 0;
}
