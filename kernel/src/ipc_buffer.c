#include <kernel/ipc_buffer.h>

word_t *ipc_buffer_of(tcb_t *t)
{
    cap_t frame = t->caps[tcb_ipc_buffer_frame].cap;
    if (cap_get_type(frame) != cap_frame || cap_frame_is_device(frame))
        return NULL;
    word_t offset = t->ipc_buffer & MASK(frame_size_bits(cap_frame_size(frame)));
    return (word_t *)ptr_from_paddr(cap_frame_base(frame) + offset);
}
