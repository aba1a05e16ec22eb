/*
 * Test runner: one child process per test (see harness.h). The child's
 * stderr goes to a temporary file that is shown, indented, under a FAIL
 * line (sanitizer reports, kernel panics); the reason of a failed check
 * travels back through a shared page.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define REASON_SIZE 2048
#define TEST_TIMEOUT_S 20

static struct test_case *tests_head;
static char *reason;            /* shared with the child */
static char note[512];
static bool forked = true;
static uint64_t rand_state;

void test_register(struct test_case *tc)
{
    /* Constructors run in an unspecified order: keep the list sorted by
       source position so tests run (and print) in the order written. */
    struct test_case **link = &tests_head;
    while (*link && (strcmp((*link)->file, tc->file) < 0 ||
                     (strcmp((*link)->file, tc->file) == 0 && (*link)->line < tc->line)))
        link = &(*link)->next;
    tc->next = *link;
    *link = tc;
}

void test_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note, sizeof(note), fmt, ap);
    va_end(ap);
}

_Noreturn void test_fail(const char *file, int line, const char *fmt, ...)
{
    char msg[REASON_SIZE];
    int n = 0;
    if (file) {
        const char *base = strrchr(file, '/');
        n = snprintf(msg, sizeof(msg), "%s:%d: ", base ? base + 1 : file, line);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    va_end(ap);
    if (note[0] && strlen(msg) + strlen(note) + 4 < sizeof(msg)) {
        strcat(msg, " [");
        strcat(msg, note);
        strcat(msg, "]");
    }
    if (forked) {
        snprintf(reason, REASON_SIZE, "%s", msg);
        fflush(stdout);
        _exit(1);
    }
    printf("FAIL %s\n", msg);
    fflush(stdout);
    exit(1);
}

uint64_t test_rand(void)
{
    uint64_t x = rand_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rand_state = x;
}

uint64_t test_rand_below(uint64_t n)
{
    return n ? test_rand() % n : 0;
}

static bool selected(const struct test_case *tc, int argc, char **argv)
{
    bool any = false;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        any = true;
        if (strstr(tc->name, argv[i]))
            return true;
    }
    return !any;
}

/* First line of the child's stderr that says what went wrong. */
static void describe_from_log(FILE *log, char *out, size_t size)
{
    char line[1024];
    rewind(log);
    while (fgets(line, sizeof(line), log)) {
        if (strstr(line, "ERROR: AddressSanitizer") || strstr(line, "runtime error:") ||
            strstr(line, "ERROR: LeakSanitizer") || strstr(line, "KERNEL PANIC")) {
            line[strcspn(line, "\n")] = 0;
            snprintf(out, size, "%s", line);
            return;
        }
    }
}

static void show_log(FILE *log)
{
    char line[1024];
    rewind(log);
    while (fgets(line, sizeof(line), log))
        printf("    | %s%s", line, strchr(line, '\n') ? "" : "\n");
}

static bool run_forked(struct test_case *tc)
{
    FILE *log = tmpfile();
    if (!log) {
        perror("tmpfile");
        exit(2);
    }
    memset(reason, 0, REASON_SIZE);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        dup2(fileno(log), 2);
        alarm(TEST_TIMEOUT_S);
        tc->fn();
        fflush(stdout);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (ok) {
        printf("PASS %s/%s\n", tc->suite, tc->name);
    } else {
        char why[REASON_SIZE];
        if (reason[0])
            snprintf(why, sizeof(why), "%s", reason);
        else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
            snprintf(why, sizeof(why), "timed out after %d s", TEST_TIMEOUT_S);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof(why), "killed by signal %d (%s)", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(status));
        if (!reason[0]) {
            char line[1024] = "";
            describe_from_log(log, line, sizeof(line));
            if (line[0])
                snprintf(why + strlen(why), sizeof(why) - strlen(why), ": %s", line);
        }
        printf("FAIL %s/%s: %s\n", tc->suite, tc->name, why);
        show_log(log);
    }
    fclose(log);
    return ok;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--no-fork") == 0)
            forked = false;
    setvbuf(stdout, NULL, _IOLBF, 0);
    reason = mmap(NULL, REASON_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (reason == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    unsigned passed = 0, failed = 0;
    for (struct test_case *tc = tests_head; tc; tc = tc->next) {
        if (!selected(tc, argc, argv))
            continue;
        note[0] = 0;
        rand_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)tc->line;
        if (forked) {
            if (run_forked(tc))
                passed++;
            else
                failed++;
        } else {
            tc->fn();
            printf("PASS %s/%s\n", tc->suite, tc->name);
            passed++;
        }
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
