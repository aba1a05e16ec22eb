/*
 * Capabilities: two words, type in the top five bits of word 0. Each type
 * packs its fields below; the accessors here are the only code that knows the
 * encoding. Object pointers are stored as physical addresses (>> 4) and turned
 * into kernel pointers through the physical-memory window.
 *
 * Type numbers follow seL4's AArch64 tags (odd = architecture caps), so
 * DebugCapIdentify answers what seL4 would.
 */
#ifndef OBJECT_CAP_H
#define OBJECT_CAP_H

#include <kernel/types.h>
#include <kernel/assert.h>

enum cap_type {
    cap_null                = 0,
    cap_frame               = 1,
    cap_untyped             = 2,
    cap_page_table          = 3,
    cap_endpoint            = 4,
    cap_notification        = 6,
    cap_reply               = 8,
    cap_vspace              = 9,
    cap_cnode               = 10,
    cap_asid_control        = 11,
    cap_thread              = 12,
    cap_asid_pool           = 13,
    cap_vcpu                = 15,       /* hypervisor configuration */
    cap_irq_control         = 14,
    cap_irq_handler         = 16,
    cap_zombie              = 18,
    cap_domain              = 20,
    cap_sched_context       = 22,
    cap_sched_control       = 24,
    cap_smc                 = 25,
};

typedef struct cap {
    word_t w0;
    word_t w1;
} cap_t;

#define CAP_TYPE_SHIFT  59
#define CAP_PTR_BITS    44      /* physical address >> 4 */

static inline enum cap_type cap_get_type(cap_t c)
{
    return (enum cap_type)(c.w0 >> CAP_TYPE_SHIFT);
}

static inline bool cap_is_null(cap_t c)
{
    return cap_get_type(c) == cap_null;
}

static inline cap_t cap_null_new(void)
{
    return (cap_t){ 0, 0 };
}

/* Field helpers: bits [shift, shift + width) of a word. */
static inline word_t field_get(word_t w, unsigned shift, unsigned width)
{
    return (w >> shift) & MASK(width);
}

static inline word_t field_put(word_t v, unsigned shift, unsigned width)
{
    return (v & MASK(width)) << shift;
}

static inline word_t cap_type_bits(enum cap_type t)
{
    return (word_t)t << CAP_TYPE_SHIFT;
}

/* Object pointer field shared by every type that names an object in RAM. */
static inline word_t cap_ptr_bits(const void *obj)
{
    return field_put(paddr_from_ptr(obj) >> 4, 0, CAP_PTR_BITS);
}

static inline void *cap_get_ptr(cap_t c)
{
    return ptr_from_paddr(field_get(c.w0, 0, CAP_PTR_BITS) << 4);
}

/* ---- rights (seL4_CapRights word layout: bit0 write, 1 read, 2 grant, 3 grant-reply) */
#define RIGHT_WRITE         BIT(0)
#define RIGHT_READ          BIT(1)
#define RIGHT_GRANT         BIT(2)
#define RIGHT_GRANT_REPLY   BIT(3)
#define RIGHTS_ALL          0xfull
#define RIGHTS_SHIFT        54      /* w0 bits 54..57 for endpoint/notification */

/*
 * ---- untyped: w0 = type | device(58) | size_bits(52..57) | clean high bits (44..51) | ptr;
 *      w1 = clean low bits (44..63) | free index in 16-byte units (0..43).
 * The free index is where the next object may go. The clean limit says how
 * far above it the memory is known to be zero: Retype zeroes what it is
 * about to hand out first, preemptibly, and records its progress here
 * (kernel/src/untyped.c). It is kept in units of untyped_clean_granule().
 */
#define UNTYPED_INDEX_UNIT_BITS 4
#define UNTYPED_CLEAN_BITS      28
static inline cap_t cap_untyped_new(paddr_t base, unsigned size_bits, bool device, word_t free_index)
{
    return (cap_t){
        cap_type_bits(cap_untyped) | field_put(device, 58, 1) |
            field_put(size_bits, 52, 6) | field_put(base >> 4, 0, CAP_PTR_BITS),
        field_put(free_index >> UNTYPED_INDEX_UNIT_BITS, 0, 44),
    };
}
static inline paddr_t cap_untyped_base(cap_t c) { return field_get(c.w0, 0, CAP_PTR_BITS) << 4; }
static inline unsigned cap_untyped_size_bits(cap_t c) { return field_get(c.w0, 52, 6); }
static inline bool cap_untyped_is_device(cap_t c) { return field_get(c.w0, 58, 1); }
static inline word_t cap_untyped_free_index(cap_t c)
{
    return field_get(c.w1, 0, 44) << UNTYPED_INDEX_UNIT_BITS;
}
static inline cap_t cap_untyped_set_free_index(cap_t c, word_t i)
{
    c.w1 = (c.w1 & ~MASK(44)) | field_put(i >> UNTYPED_INDEX_UNIT_BITS, 0, 44);
    return c;
}
/* The clean limit's unit: 4 KiB, coarser only for untypeds above 2^39
   bytes (the field must hold the whole size, 2^(UNTYPED_CLEAN_BITS - 1) units). */
static inline unsigned untyped_clean_granule_bits(unsigned size_bits)
{
    unsigned widest = UNTYPED_CLEAN_BITS - 1;
    unsigned bits = size_bits > 12 + widest ? size_bits - widest : 12;
    return bits < size_bits ? bits : size_bits;
}
static inline word_t cap_untyped_clean_limit(cap_t c)
{
    word_t units = field_get(c.w1, 44, 20) | (field_get(c.w0, 44, 8) << 20);
    return units << untyped_clean_granule_bits(cap_untyped_size_bits(c));
}
/* `limit` must be a multiple of the granule. */
static inline cap_t cap_untyped_set_clean_limit(cap_t c, word_t limit)
{
    word_t units = limit >> untyped_clean_granule_bits(cap_untyped_size_bits(c));
    c.w1 = (c.w1 & MASK(44)) | field_put(units, 44, 20);
    c.w0 = (c.w0 & ~(MASK(8) << 44)) | field_put(units >> 20, 44, 8);
    return c;
}

/* ---- endpoint / notification: w0 = type | rights | ptr; w1 = badge */
static inline cap_t cap_ipc_new(enum cap_type t, const void *obj, word_t badge, word_t rights)
{
    return (cap_t){ cap_type_bits(t) | field_put(rights, RIGHTS_SHIFT, 4) | cap_ptr_bits(obj), badge };
}
static inline word_t cap_rights(cap_t c) { return field_get(c.w0, RIGHTS_SHIFT, 4); }
static inline word_t cap_badge(cap_t c) { return c.w1; }

/* ---- reply: w0 = type | can_grant(58) | ptr */
static inline cap_t cap_reply_new(const void *reply, bool can_grant)
{
    return (cap_t){ cap_type_bits(cap_reply) | field_put(can_grant, 58, 1) | cap_ptr_bits(reply), 0 };
}
static inline bool cap_reply_can_grant(cap_t c) { return field_get(c.w0, 58, 1); }

/* ---- cnode: w0 = type | radix(53..58) | guard_size(47..52) | ptr; w1 = guard */
static inline cap_t cap_cnode_new(const void *slots, unsigned radix, unsigned guard_size, word_t guard)
{
    return (cap_t){
        cap_type_bits(cap_cnode) | field_put(radix, 53, 6) | field_put(guard_size, 47, 6) |
            cap_ptr_bits(slots),
        guard,
    };
}
static inline unsigned cap_cnode_radix(cap_t c) { return field_get(c.w0, 53, 6); }
static inline unsigned cap_cnode_guard_size(cap_t c) { return field_get(c.w0, 47, 6); }
static inline word_t cap_cnode_guard(cap_t c) { return c.w1; }

/* ---- thread */
static inline cap_t cap_thread_new(const void *tcb)
{
    return (cap_t){ cap_type_bits(cap_thread) | cap_ptr_bits(tcb), 0 };
}

/* ---- sched context: w0 = type | size_bits(53..58) | ptr */
static inline cap_t cap_sched_context_new(const void *sc, unsigned size_bits)
{
    return (cap_t){ cap_type_bits(cap_sched_context) | field_put(size_bits, 53, 6) | cap_ptr_bits(sc), 0 };
}
static inline unsigned cap_sched_context_size_bits(cap_t c) { return field_get(c.w0, 53, 6); }

/*
 * ---- zombie: a CNode or TCB cap whose object is being destroyed.
 *      w0 = type | original type (47..51) | a CNode's radix (53..58) | ptr;
 *      w1 = how many of the object's slots may still hold caps (the first
 *      ones): destruction deletes them from the last down (src/cdt.c).
 */
static inline cap_t cap_zombie_new(cap_t original, word_t slots_left)
{
    return (cap_t){ cap_type_bits(cap_zombie) | field_put(cap_get_type(original), 47, 5) |
                        (original.w0 & (MASK(6) << 53)) | field_get(original.w0, 0, CAP_PTR_BITS),
                    slots_left };
}
static inline enum cap_type cap_zombie_type(cap_t z) { return (enum cap_type)field_get(z.w0, 47, 5); }
static inline word_t cap_zombie_slots_left(cap_t z) { return z.w1; }
static inline cap_t cap_zombie_set_slots_left(cap_t z, word_t n) { z.w1 = n; return z; }

/* ---- caps without an object */
static inline cap_t cap_simple_new(enum cap_type t, word_t data)
{
    return (cap_t){ cap_type_bits(t), data };
}
/* irq handler: w1 = irq; sched control: w1 = core; smc: w1 = badge */
static inline word_t cap_simple_data(cap_t c) { return c.w1; }

/*
 * ---- frames: w0 = type | size(57..58) | vm_rights(55..56) | device(54) |
 *      asid(38..53) | paddr >> 12 (0..35); w1 = mapped(63) | mapped vaddr (0..47)
 */
enum frame_size { frame_4k = 0, frame_2m = 1, frame_1g = 2 };
enum vm_rights { vm_kernel_only = 1, vm_read_only = 2, vm_read_write = 3 };

static inline unsigned frame_size_bits(enum frame_size s)
{
    return s == frame_4k ? 12 : s == frame_2m ? 21 : 30;
}

static inline cap_t cap_frame_new(paddr_t base, enum frame_size size, enum vm_rights rights, bool device)
{
    return (cap_t){
        cap_type_bits(cap_frame) | field_put(size, 57, 2) | field_put(rights, 55, 2) |
            field_put(device, 54, 1) | field_put(base >> 12, 0, 36),
        0,
    };
}
static inline paddr_t cap_frame_base(cap_t c) { return field_get(c.w0, 0, 36) << 12; }
static inline enum frame_size cap_frame_size(cap_t c) { return (enum frame_size)field_get(c.w0, 57, 2); }
static inline enum vm_rights cap_frame_rights(cap_t c) { return (enum vm_rights)field_get(c.w0, 55, 2); }
static inline bool cap_frame_is_device(cap_t c) { return field_get(c.w0, 54, 1); }
static inline bool cap_is_mapped(cap_t c) { return field_get(c.w1, 63, 1); }
static inline vaddr_t cap_mapped_vaddr(cap_t c) { return field_get(c.w1, 0, 48); }
static inline unsigned cap_mapped_asid(cap_t c) { return field_get(c.w0, 38, 16); }

/* Record (or clear, with mapped = false) where a frame or page table is mapped. */
static inline cap_t cap_set_mapping(cap_t c, bool mapped, unsigned asid, vaddr_t vaddr)
{
    c.w0 = (c.w0 & ~(MASK(16) << 38)) | field_put(mapped ? asid : 0, 38, 16);
    c.w1 = mapped ? (field_put(1, 63, 1) | field_put(vaddr, 0, 48)) : 0;
    return c;
}

/* ---- page table / vspace: w0 = type | asid(38..53) | paddr >> 12; w1 = mapped | vaddr */
static inline cap_t cap_table_new(enum cap_type t, paddr_t base)
{
    return (cap_t){ cap_type_bits(t) | field_put(base >> 12, 0, 36), 0 };
}
static inline paddr_t cap_table_base(cap_t c) { return field_get(c.w0, 0, 36) << 12; }

/* ---- asid pool: w0 = type | asid_base >> 9 (36..42) | paddr >> 12 */
static inline cap_t cap_asid_pool_new(paddr_t base, unsigned asid_base)
{
    return (cap_t){ cap_type_bits(cap_asid_pool) | field_put(asid_base >> 9, 36, 7) | field_put(base >> 12, 0, 36), 0 };
}
static inline unsigned cap_asid_pool_base(cap_t c) { return field_get(c.w0, 36, 7) << 9; }

/* ---- vcpu: w0 = type | ptr */
static inline cap_t cap_vcpu_new(const void *vcpu)
{
    return (cap_t){ cap_type_bits(cap_vcpu) | cap_ptr_bits(vcpu), 0 };
}

#endif
