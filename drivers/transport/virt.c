/* The setvars of a virtualiser (virt.h). */
#include "virt.h"

uintptr_t driver_queue, driver_data, driver_data_paddr;

#define CLIENT(n) uintptr_t client##n##_queue, client##n##_data, client##n##_data_paddr;
CLIENT(0) CLIENT(1) CLIENT(2) CLIENT(3) CLIENT(4) CLIENT(5) CLIENT(6) CLIENT(7)
#undef CLIENT

struct virt_regions virt_client(unsigned n)
{
#define CLIENT(k) case k: return (struct virt_regions){ client##k##_queue, client##k##_data, \
                                                        client##k##_data_paddr };
    switch (n) {
    CLIENT(0) CLIENT(1) CLIENT(2) CLIENT(3) CLIENT(4) CLIENT(5) CLIENT(6) CLIENT(7)
    default:
        return (struct virt_regions){ 0, 0, 0 };
    }
#undef CLIENT
}

struct virt_regions virt_driver(void)
{
    return (struct virt_regions){ driver_queue, driver_data, driver_data_paddr };
}
