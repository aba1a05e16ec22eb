/*
 * Configuration of the kernel sources when they are compiled for the host
 * unit tests (tests/host/kernel). Stands in for the generated autoconf.h:
 * a debug build (assertions on) for one core and one domain.
 */
#ifndef HOST_CONFIG_H
#define HOST_CONFIG_H

#define CONFIG_BOARD "qemu_virt_aarch64"
#define CONFIG_BOARD_QEMU_VIRT_AARCH64 1
#define CONFIG_KERNEL_EL1 1
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_PRINTING 1
#define CONFIG_OPT_LEVEL "-O1"
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_NUM_DOMAINS 1
#define CONFIG_NUM_DOMAIN_SCHEDULES 100
#define CONFIG_ROOT_CNODE_SIZE_BITS 13

/*
 * The kernel's sched_yield (seL4_Yield) has the name of the C library's
 * sched_yield, which the sanitizer runtime and libc call internally: linked
 * into a host program, the kernel's would replace it. Renamed for the host
 * build only (kernel code and tests alike see kernel_sched_yield). A unit
 * that includes <sched.h> or <pthread.h> must not include kernel/sched.h.
 */
#define sched_yield kernel_sched_yield

#endif
