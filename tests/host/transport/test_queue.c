/*
 * Host tests of the driver transport (drivers/transport/): queue order,
 * full and empty, index wrap-around, a misbehaving peer, descriptor bounds,
 * connections, and a producer and a consumer on two threads that wait for
 * each other only through the signal protocol (a lost wake-up hangs, and
 * the watchdog fails the run). Built with ASan+UBSan, and with TSan for the
 * threaded test (run.sh). Prints PASS/FAIL lines and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connection.h"
#include "queue.h"

static int passed, failed;
static const char *current;

#define CHECK(cond) do { if (!(cond)) { \
        printf("FAIL transport/%s: %s:%d: %s\n", current, __FILE__, __LINE__, #cond); \
        failed++; return; } } while (0)

static void run(const char *name, void (*fn)(void))
{
    current = name;
    int before = failed;
    fn();
    if (failed == before) {
        printf("PASS transport/%s\n", name);
        passed++;
    }
}

static void *region(size_t bytes)
{
    void *p = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
    memset(p, 0, bytes);
    return p;
}

static void test_fifo_order(void)
{
    struct queue q;
    void *mem = region(queue_bytes(8, sizeof(uint64_t)));
    CHECK(queue_attach(&q, mem, 8, sizeof(uint64_t)));
    CHECK(queue_empty(&q));
    for (uint64_t i = 0; i < 8; i++)
        CHECK(queue_enqueue(&q, &i));
    CHECK(queue_full(&q));
    uint64_t extra = 99;
    CHECK(!queue_enqueue(&q, &extra));
    CHECK(queue_length(&q) == 8);
    for (uint64_t i = 0; i < 8; i++) {
        uint64_t v;
        CHECK(queue_dequeue(&q, &v));
        CHECK(v == i);
    }
    uint64_t v;
    CHECK(!queue_dequeue(&q, &v));
    free(mem);
}

static void test_bad_attach(void)
{
    struct queue q;
    char mem[256];
    CHECK(!queue_attach(&q, mem, 0, 8));
    CHECK(!queue_attach(&q, mem, 6, 8));
    CHECK(!queue_attach(&q, mem, 4, 0));
    CHECK(!queue_attach(&q, NULL, 4, 8));
    struct queue a, b;
    CHECK(queue_pair_attach(&a, &b, mem, sizeof mem, 4, 16, 16) == sizeof mem);
    CHECK(queue_pair_attach(&a, &b, mem, sizeof mem, 4, 16, 17) == 0);
    CHECK(queue_pair_attach(&a, &b, mem, sizeof mem, 3, 16, 16) == 0);
}

static void test_pair_layout(void)
{
    struct queue a, b;
    size_t need = queue_bytes(16, 16) + queue_bytes(16, 32);
    uint8_t *mem = region(need);
    CHECK(queue_pair_attach(&a, &b, mem, need - 1, 16, 16, 32) == 0);
    CHECK(queue_pair_attach(&a, &b, mem, need, 16, 16, 32) == need);
    CHECK((uint8_t *)b.shared == mem + queue_bytes(16, 16));
    free(mem);
}

static void test_wraparound(void)
{
    struct queue q;
    struct queue_shared *s = region(queue_bytes(4, 4));
    s->head = s->tail = 0xfffffffeu;     /* indices about to wrap */
    CHECK(queue_attach(&q, s, 4, 4));
    for (uint32_t round = 0; round < 10; round++) {
        for (uint32_t i = 0; i < 3; i++)
            CHECK(queue_enqueue(&q, &i));
        CHECK(queue_length(&q) == 3);
        for (uint32_t i = 0; i < 3; i++) {
            uint32_t v;
            CHECK(queue_dequeue(&q, &v) && v == i);
        }
    }
    CHECK(s->tail == 0xfffffffeu + 30);
    free(s);
}

static void test_misbehaving_peer(void)
{
    struct queue q;
    struct queue_shared *s = region(queue_bytes(4, 8));
    CHECK(queue_attach(&q, s, 4, 8));
    s->tail = 1000;                     /* a producer claiming 1000 entries */
    uint64_t v = 1;
    CHECK(!queue_dequeue(&q, &v));
    CHECK(q.broken);
    CHECK(queue_empty(&q));
    CHECK(queue_full(&q));              /* nothing is ever written again */
    CHECK(!queue_enqueue(&q, &v));
    struct queue p;
    struct queue_shared *t = region(queue_bytes(4, 8));
    CHECK(queue_attach(&p, t, 4, 8));
    t->head = 7;                        /* a consumer ahead of the producer */
    CHECK(!queue_enqueue(&p, &v));
    CHECK(p.broken);
    free(s);
    free(t);
}

static void test_desc_bounds(void)
{
    struct buf_desc d = { .addr = 4000, .len = 96 };
    CHECK(buf_desc_within(&d, 4096));
    d.len = 97;
    CHECK(!buf_desc_within(&d, 4096));
    d.addr = UINT64_MAX - 10;
    d.len = 20;
    CHECK(!buf_desc_within(&d, 4096));   /* no wrap-around */
    d.addr = 4096;
    d.len = 0;
    CHECK(buf_desc_within(&d, 4096));
}

static void test_signal_protocol(void)
{
    struct queue q;
    void *mem = region(queue_bytes(4, 4));
    CHECK(queue_attach(&q, mem, 4, 4));
    CHECK(!queue_signal_needed(&q));     /* nobody asked */
    CHECK(queue_request_signal(&q));     /* empty: the consumer may wait */
    uint32_t v = 5;
    CHECK(queue_enqueue(&q, &v));
    CHECK(queue_signal_needed(&q));      /* it asked: notify once */
    CHECK(!queue_signal_needed(&q));
    CHECK(!queue_request_signal(&q));    /* not empty: no wait, request withdrawn */
    CHECK(!queue_signal_needed(&q));
    free(mem);
}

static void test_connection(void)
{
    size_t qbytes = 2 * queue_bytes(8, sizeof(struct buf_desc));
    void *qmem = region(qbytes);
    uint8_t *data = region(4096);
    struct connection owner, other;
    CHECK(connection_attach(&owner, (uintptr_t)qmem, qbytes, 8, (uintptr_t)data, 4096, 1024));
    CHECK(connection_attach(&other, (uintptr_t)qmem, qbytes, 8, (uintptr_t)data, 4096, 1024));
    CHECK(connection_buffers(&owner) == 4);
    struct buf_desc d[5];
    for (int i = 0; i < 4; i++) {
        CHECK(connection_get_buffer(&owner, &d[i]));
        CHECK(d[i].addr == (uint64_t)i * 1024);
    }
    CHECK(!connection_get_buffer(&owner, &d[4]));   /* all in flight */
    memcpy(connection_buffer(&owner, &d[2]), "hi", 3);
    d[2].len = 3;
    CHECK(queue_enqueue(&owner.active, &d[2]));
    struct buf_desc got;
    CHECK(queue_dequeue(&other.active, &got));
    CHECK(strcmp(connection_buffer(&other, &got), "hi") == 0);
    CHECK(queue_enqueue(&other.free, &got));
    CHECK(connection_get_buffer(&owner, &d[4]) && d[4].addr == 2048 && d[4].len == 1024);
    /* A made-up descriptor on `free` is dropped, not handed out. */
    struct buf_desc bogus = { .addr = 100, .len = 10 };
    CHECK(queue_enqueue(&other.free, &bogus));
    CHECK(!connection_get_buffer(&owner, &d[4]));
    bogus.addr = 8192;
    CHECK(connection_buffer(&owner, &bogus) == NULL);
    free(qmem);
    free(data);
}

static void test_offer_all(void)
{
    size_t qbytes = 2 * queue_bytes(4, sizeof(struct buf_desc));
    void *qmem = region(qbytes);
    uint8_t *data = region(8192);
    struct connection c;
    CHECK(connection_attach(&c, (uintptr_t)qmem, qbytes, 4, (uintptr_t)data, 8192, 512));
    CHECK(connection_buffers(&c) == 4);     /* limited by the queue, not the 16 buffers */
    connection_offer_all(&c);
    CHECK(queue_length(&c.free) == 4);
    CHECK(!connection_attach(&c, (uintptr_t)qmem, qbytes, 4, (uintptr_t)data, 100, 512));
    CHECK(!connection_attach(&c, (uintptr_t)qmem, qbytes - 1, 4, 0, 0, 0));
    free(qmem);
    free(data);
}

/* ------------------------------------------------------------ two threads */

#define ITEMS 200000u
#define SLOTS 16u

/* A notification: a binary semaphore the other thread signals. */
struct ntfn { sem_t sem; };

static struct connection prod_side, cons_side;
static uint8_t *shared_data;
static struct ntfn to_consumer, to_producer;
static unsigned long signals_sent;

static void wait_for(struct ntfn *n)
{
    sem_wait(&n->sem);
}

static void notify_peer(struct ntfn *n)
{
    __atomic_add_fetch(&signals_sent, 1, __ATOMIC_RELAXED);
    sem_post(&n->sem);
}

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t i = 0; i < ITEMS; i++) {
        struct buf_desc d;
        while (!connection_get_buffer(&prod_side, &d)) {
            /* No buffer: wait for the consumer to return one. */
            if (queue_request_signal(&prod_side.free))
                wait_for(&to_producer);
        }
        uint32_t *p = connection_buffer(&prod_side, &d);
        p[0] = i;
        p[1] = ~i;
        d.len = 8;
        while (!queue_enqueue(&prod_side.active, &d))
            ;   /* cannot happen: never more buffers than slots */
        if (queue_signal_needed(&prod_side.active))
            notify_peer(&to_consumer);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    uint32_t *bad = arg;
    for (uint32_t expect = 0; expect < ITEMS;) {
        struct buf_desc d;
        if (!queue_dequeue(&cons_side.active, &d)) {
            if (queue_request_signal(&cons_side.active))
                wait_for(&to_consumer);
            continue;
        }
        uint32_t *p = connection_buffer(&cons_side, &d);
        if (!p || d.len != 8 || p[0] != expect || p[1] != ~expect)
            (*bad)++;
        expect++;
        queue_enqueue(&cons_side.free, &d);
        if (queue_signal_needed(&cons_side.free))
            notify_peer(&to_producer);
    }
    return NULL;
}

static void watchdog(int sig)
{
    (void)sig;
    static const char msg[] = "FAIL transport/threads: no progress for 60 s (a lost wake-up?)\n"
                              "0 passed, 1 failed\n";
    (void)!write(1, msg, sizeof msg - 1);
    _exit(1);
}

static void test_threads(void)
{
    size_t qbytes = 2 * queue_bytes(SLOTS, sizeof(struct buf_desc));
    void *qmem = region(qbytes);
    shared_data = region(SLOTS * 64);
    CHECK(connection_attach(&prod_side, (uintptr_t)qmem, qbytes, SLOTS, (uintptr_t)shared_data,
                            SLOTS * 64, 64));
    CHECK(connection_attach(&cons_side, (uintptr_t)qmem, qbytes, SLOTS, (uintptr_t)shared_data,
                            SLOTS * 64, 64));
    sem_init(&to_consumer.sem, 0, 0);
    sem_init(&to_producer.sem, 0, 0);
    uint32_t bad = 0;
    pthread_t p, c;
    alarm(60);
    pthread_create(&c, NULL, consumer, &bad);
    pthread_create(&p, NULL, producer, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    alarm(0);
    CHECK(bad == 0);
    CHECK(queue_empty(&cons_side.active));
    /* Notifications are rarer than items: a busy peer is not signalled. */
    printf("    %u items, %lu notifications\n", ITEMS, signals_sent);
    CHECK(signals_sent < ITEMS);
    free(qmem);
    free(shared_data);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (argc > 1 && strcmp(argv[1], "--threads") == 0) {
        signal(SIGALRM, watchdog);
        run("threads", test_threads);
    } else {
        run("fifo-order", test_fifo_order);
        run("bad-attach", test_bad_attach);
        run("pair-layout", test_pair_layout);
        run("index-wraparound", test_wraparound);
        run("misbehaving-peer", test_misbehaving_peer);
        run("descriptor-bounds", test_desc_bounds);
        run("signal-protocol", test_signal_protocol);
        run("connection", test_connection);
        run("connection-offer-all", test_offer_all);
        signal(SIGALRM, watchdog);
        run("threads", test_threads);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
