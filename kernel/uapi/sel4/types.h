/*
 * sel4/types.h - libsel4's name for "all the API types"; here it is the
 * pure ABI header. Kept so that code including <sel4/types.h> compiles.
 */
#ifndef SEL4_UAPI_TYPES_H
#define SEL4_UAPI_TYPES_H

#include <sel4/abi.h>

#endif /* SEL4_UAPI_TYPES_H */
