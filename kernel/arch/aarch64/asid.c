#include <arch/asid.h>
#include <kernel/assert.h>

static asid_pool_t *asid_table[ASID_POOLS];

asid_pool_t *asid_table_get_pool(unsigned pool_index)
{
    assert(pool_index < ASID_POOLS);
    return asid_table[pool_index];
}

void asid_table_set_pool(unsigned pool_index, asid_pool_t *pool)
{
    assert(pool_index < ASID_POOLS);
    asid_table[pool_index] = pool;
}
