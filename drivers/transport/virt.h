/*
 * What a virtualiser PD is given: per client a queue region and a data
 * region (and the data region's physical address, for virtualisers that
 * pass client buffers to a DMA-capable driver), and the same towards its
 * driver. The system description sets them with these setvars, clientN
 * being the client on the virtualiser's channel 1 + N (docs/drivers.md):
 *
 *   driver_queue, driver_data, driver_data_paddr
 *   clientN_queue, clientN_data, clientN_data_paddr      N = 0..VIRT_MAX_CLIENTS-1
 *
 * A client whose queue region is not mapped does not exist.
 */
#ifndef TRANSPORT_VIRT_H
#define TRANSPORT_VIRT_H

#include <stdint.h>

#define VIRT_MAX_CLIENTS 8
#define VIRT_CH_DRIVER   0
#define VIRT_CH_CLIENT0  1

struct virt_regions {
    uintptr_t queue;
    uintptr_t data;
    uintptr_t data_paddr;
};

extern uintptr_t driver_queue, driver_data, driver_data_paddr;

/* Client n's regions (all zero if it has none). */
struct virt_regions virt_client(unsigned n);
struct virt_regions virt_driver(void);

#endif
