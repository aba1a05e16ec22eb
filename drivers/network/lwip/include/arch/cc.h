/* lwIP's architecture header for PDs (lwIP's doc/sys_arch.txt): freestanding
   AArch64, little-endian, no C library beyond lib/include. */
#ifndef LWIP_ARCH_CC_H
#define LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#define LWIP_NO_INTTYPES_H  1
#define LWIP_NO_CTYPE_H     1
/* GCC's limits.h wants a C library's behind it; lwIP needs only these. */
#define LWIP_NO_LIMITS_H    1
#define INT_MAX             __INT_MAX__
#define LWIP_PROVIDE_ERRNO  1
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "lu"

void net_lwip_diag(const char *message);
void net_lwip_assert(const char *message, const char *file, int line) __attribute__((noreturn));
uint32_t net_lwip_rand(void);

/* Diagnostics are dropped (lwIP formats them printf-style); assertions
   stop the PD with a report. */
#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) net_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_RAND() net_lwip_rand()

#endif
