/* The kernel's table of ASID pools (2^7 pools of 2^9 ASIDs: 16-bit ASIDs). */
#ifndef ARCH_ASID_H
#define ARCH_ASID_H

#include <object/structures.h>

asid_pool_t *asid_table_get_pool(unsigned pool_index);
void asid_table_set_pool(unsigned pool_index, asid_pool_t *pool);

#endif
