/*
 * Address spaces: PageTable Map/Unmap and Page Map/Unmap/GetAddress with
 * seL4's checks and errors, 4 KiB / 2 MiB / 1 GiB frames, sharing by cap
 * copies, unmapping on delete, and device frames driven from user level.
 * ASIDs are in vspace_asid.c, cache maintenance in vspace_cache.c, VM
 * faults in vmfault.c.
 */
#include "vm.h"

/* A raw Page_Map / PageTable_Map with the vspace as extra cap 0. */
static seL4_Word raw_map(seL4_CPtr cap, seL4_Word label, seL4_Word len, seL4_CPtr vspace,
                         seL4_Word vaddr)
{
    seL4_SetCap(0, vspace);
    return kt_call_raw(cap, label, len, vspace ? 1 : 0, vaddr, seL4_ReadWrite.words[0],
                       seL4_ARM_Default_VMAttributes, 0);
}

/* ------------------------------------------------------------ page tables */

TEST(vspace_pt_levels, "PageTable_Map installs a table at the first missing level, down to "
                       "level 3; Page_Map reports the missing level's bits")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr frame = KT_FRAME();
    static const seL4_Word bits_left[] = { 39, 30, 21 };
    for (int level = VM_ROOT_LEVEL; level < 3; level++) {
        KT_ERR(seL4_ARM_Page_Map(frame, vs, VM_VA_512G, VM_RW, VM_CACHED), seL4_FailedLookup);
        KT_MR_EQ(0, 0);                         /* not the source */
        KT_MR_EQ(1, seL4_MissingCapability);
        KT_MR_EQ(2, bits_left[level]);
        seL4_CPtr pt = KT_NEW(seL4_ARM_PageTableObject, 0);
        KT_OK(seL4_ARM_PageTable_Map(pt, vs, VM_VA_512G, VM_CACHED));
    }
    /* The walk now reaches page level: no further table fits. */
    seL4_CPtr extra = KT_NEW(seL4_ARM_PageTableObject, 0);
    KT_ERR(seL4_ARM_PageTable_Map(extra, vs, VM_VA_512G, VM_CACHED), seL4_DeleteFirst);
    KT_OK(seL4_ARM_Page_Map(frame, vs, VM_VA_512G, VM_RW, VM_CACHED));
    return KT_PASS;
}

TEST(vspace_pt_map_errors, "PageTable_Map: mapped table, unassigned or wrong VSpace, vaddr "
                           "above UserTop, truncated, wrong label")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr pt = KT_NEW(seL4_ARM_PageTableObject, 0);
    seL4_CPtr pt2 = KT_NEW(seL4_ARM_PageTableObject, 0);
    seL4_CPtr unassigned = KT_NEW(seL4_ARM_VSpaceObject, 0);
    seL4_CPtr ep = KT_EP();

    KT_ERR(seL4_ARM_PageTable_Map(pt, unassigned, VM_VA_GIB, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_PageTable_Map(pt, ep, VM_VA_GIB, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_PageTable_Map(pt, pt2, VM_VA_GIB, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_PageTable_Map(pt, vs, seL4_UserTop + 1, VM_CACHED), seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_ARM_PageTable_Map(pt, vs, ~0ul, VM_CACHED), seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(raw_map(pt, ARMPageTableMap, 1, vs, VM_VA_GIB), seL4_TruncatedMessage);
    KT_ERR(raw_map(pt, ARMPageTableMap, 2, 0, VM_VA_GIB), seL4_TruncatedMessage);
    KT_ERR(raw_map(pt, ARMPageMap, 3, vs, VM_VA_GIB), seL4_IllegalOperation);
    KT_ERR(raw_map(pt, ARMVSpaceClean_Data, 2, 0, 0), seL4_IllegalOperation);

    /* The last user address is fine; a mapped table cannot map again. */
    KT_OK(seL4_ARM_PageTable_Map(pt, vs, seL4_UserTop, VM_CACHED));
    KT_ERR(seL4_ARM_PageTable_Map(pt, vs, VM_VA_GIB, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 0);
    return KT_PASS;
}

TEST(vspace_pt_over_block, "PageTable_Map where a 2 MiB block is mapped: DeleteFirst")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr large = KT_NEW(seL4_ARM_LargePageObject, 0);
    seL4_CPtr pt = KT_NEW(seL4_ARM_PageTableObject, 0);
    VM_MAP(large, vs, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_ERR(seL4_ARM_PageTable_Map(pt, vs, VM_VA_GIB + 0x1000, VM_CACHED), seL4_DeleteFirst);
    return KT_PASS;
}

TEST(vspace_pt_unmap, "PageTable_Unmap: cuts the table out and empties it; needs the last "
                      "cap (RevokeFirst); unmapped tables unmap as a no-op")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr frame = KT_FRAME(), other = KT_FRAME();
    int tables = 0;
    KT_OK(vm_map(frame, vs, VM_VA_GIB, VM_RW, VM_CACHED, &tables));
    KT_EQ(tables, VM_TABLES_FOR_PAGE);
    seL4_CPtr pt3 = vm_last_table();        /* the level-3 table */
    KT_CAP_IS(pt3, KT_CAP_PAGE_TABLE);

    seL4_CPtr copy = KT_COPY(pt3, seL4_AllRights);      /* mapped tables may be copied */
    KT_ERR(seL4_ARM_PageTable_Unmap(pt3), seL4_RevokeFirst);
    KT_OK(kt_delete(copy));
    KT_OK(seL4_ARM_PageTable_Unmap(pt3));
    KT_OK(seL4_ARM_PageTable_Unmap(pt3));

    /* The slot is empty again: another frame needs a table there. */
    KT_ERR(seL4_ARM_Page_Map(other, vs, VM_VA_GIB, VM_RW, VM_CACHED), seL4_FailedLookup);
    KT_MR_EQ(2, 21);
    /* Remapped, the table is empty: the old frame's mapping is gone. */
    KT_OK(seL4_ARM_PageTable_Map(pt3, vs, VM_VA_GIB, VM_CACHED));
    KT_OK(seL4_ARM_Page_Map(other, vs, VM_VA_GIB, VM_RW, VM_CACHED));
    /* The first frame's cap still thinks it is mapped: unmap is harmless. */
    KT_OK(seL4_ARM_Page_Unmap(frame));
    KT_OK(seL4_ARM_Page_Map(frame, vs, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED));
    /* Copies of unmapped tables do not exist (seL4's derivation rule). */
    seL4_CPtr fresh = KT_NEW(seL4_ARM_PageTableObject, 0);
    KT_ERR(seL4_CNode_Copy(KT_ROOT_CNODE, kt_slot(), KT_DEPTH, KT_ROOT_CNODE, fresh, KT_DEPTH,
                           seL4_AllRights), seL4_IllegalOperation);
    return KT_PASS;
}

TEST(vspace_pt_delete_unmaps, "Deleting the last cap of a mapped table unmaps it")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, vs, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_OK(kt_delete(vm_last_table()));
    KT_ERR(seL4_ARM_Page_Map(KT_FRAME(), vs, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED),
           seL4_FailedLookup);
    KT_MR_EQ(2, 21);
    return KT_PASS;
}

/* ------------------------------------------------------------ frames */

TEST(vspace_frame_map_access, "Page_Map into the root VSpace: the memory reads as zero and "
                              "keeps what is written")
{
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    for (seL4_Word off = 0; off < 4096; off += 512)
        KT_EQ(vm_peek(VM_VA_GIB + off), 0);
    vm_poke(VM_VA_GIB, 0x1234abcd);
    vm_poke(VM_VA_GIB + 4088, 0x55);
    KT_EQ(vm_peek(VM_VA_GIB), 0x1234abcd);
    KT_EQ(vm_peek(VM_VA_GIB + 4088), 0x55);
    return KT_PASS;
}

TEST(vspace_frame_map_errors, "Page_Map: alignment, UserTop, unassigned or wrong VSpace, "
                              "truncated, wrong label")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr frame = KT_FRAME(), large = KT_NEW(seL4_ARM_LargePageObject, 0);
    seL4_CPtr unassigned = KT_NEW(seL4_ARM_VSpaceObject, 0);
    seL4_CPtr pt = KT_NEW(seL4_ARM_PageTableObject, 0);

    KT_ERR(seL4_ARM_Page_Map(frame, unassigned, VM_VA_GIB, VM_RW, VM_CACHED),
           seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_Page_Map(frame, pt, VM_VA_GIB, VM_RW, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    KT_ERR(seL4_ARM_Page_Map(frame, vs, VM_VA_GIB + 0x800, VM_RW, VM_CACHED),
           seL4_AlignmentError);
    KT_ERR(seL4_ARM_Page_Map(large, vs, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED),
           seL4_AlignmentError);
    KT_ERR(seL4_ARM_Page_Map(frame, vs, seL4_UserTop + 1, VM_RW, VM_CACHED),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_ARM_Page_Map(large, vs, (seL4_UserTop + 1) - 0x100000, VM_RW, VM_CACHED),
           seL4_AlignmentError);
    KT_ERR(seL4_ARM_Page_Map(large, vs, (seL4_UserTop + 1) & ~0x1ffffful, VM_RW, VM_CACHED),
           seL4_InvalidArgument);
    KT_ERR(raw_map(frame, ARMPageMap, 2, vs, VM_VA_GIB), seL4_TruncatedMessage);
    KT_ERR(raw_map(frame, ARMPageMap, 3, 0, VM_VA_GIB), seL4_TruncatedMessage);
    KT_ERR(raw_map(frame, ARMPageTableMap, 2, vs, VM_VA_GIB), seL4_IllegalOperation);
    KT_ERR(raw_map(frame, ARMASIDPoolAssign, 0, vs, 0), seL4_IllegalOperation);

    /* The last page and the last 2 MiB below UserTop are fine. */
    VM_MAP(frame, vs, (seL4_UserTop + 1) - 0x1000, VM_RW, VM_CACHED);
    VM_MAP(large, vs, (seL4_UserTop + 1) - 0x400000, VM_RW, VM_CACHED);
    return KT_PASS;
}

TEST(vspace_frame_map_over_mapping, "Page_Map over an existing mapping: DeleteFirst, the "
                                    "first mapping stays")
{
    seL4_CPtr a = KT_FRAME(), b = KT_FRAME();
    VM_MAP(a, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 77);
    KT_ERR(seL4_ARM_Page_Map(b, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED), seL4_DeleteFirst);
    KT_EQ(vm_peek(VM_VA_GIB), 77);
    /* A copy of the mapped cap is unmapped: for it too the slot is taken. */
    seL4_CPtr copy = KT_COPY(a, seL4_AllRights);
    KT_ERR(seL4_ARM_Page_Map(copy, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED),
           seL4_DeleteFirst);
    return KT_PASS;
}

TEST(vspace_frame_map_wrong_size, "Page_Map of the wrong size for the tables present: "
                                  "FailedLookup with the level's bits")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr small = KT_FRAME(), large = KT_NEW(seL4_ARM_LargePageObject, 0);
    /* A level-3 table at VM_VA_GIB: a 2 MiB frame cannot go there. */
    VM_MAP(small, vs, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_ERR(seL4_ARM_Page_Map(large, vs, VM_VA_GIB, VM_RW, VM_CACHED), seL4_FailedLookup);
    KT_MR_EQ(1, seL4_MissingCapability);
    KT_MR_EQ(2, 12);
    /* A 2 MiB block at the next 2 MiB: a 4 KiB frame inside it finds no table. */
    VM_MAP(large, vs, VM_VA_GIB + 0x200000, VM_RW, VM_CACHED);
    KT_ERR(seL4_ARM_Page_Map(KT_FRAME(), vs, VM_VA_GIB + 0x201000, VM_RW, VM_CACHED),
           seL4_FailedLookup);
    KT_MR_EQ(2, 21);
    return KT_PASS;
}

TEST(vspace_frame_remap, "Page_Map of a mapped cap: same VSpace and vaddr changes rights; "
                         "another vaddr or VSpace is refused")
{
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 9);
    KT_OK(seL4_ARM_Page_Map(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RO, VM_CACHED));
    KT_EQ(vm_peek(VM_VA_GIB), 9);
    KT_OK(seL4_ARM_Page_Map(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_NX));
    vm_poke(VM_VA_GIB, 10);
    KT_EQ(vm_peek(VM_VA_GIB), 10);
    KT_ERR(seL4_ARM_Page_Map(frame, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED),
           seL4_InvalidArgument);
    KT_MR_EQ(0, 0);
    KT_ERR(seL4_ARM_Page_Map(frame, vs, VM_VA_GIB, VM_RW, VM_CACHED), seL4_InvalidCapability);
    KT_MR_EQ(0, 1);
    return KT_PASS;
}

TEST(vspace_frame_unmap, "Page_Unmap frees the slot; unmapping an unmapped cap succeeds")
{
    seL4_CPtr a = KT_FRAME(), b = KT_FRAME();
    KT_OK(seL4_ARM_Page_Unmap(a));
    VM_MAP(a, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_OK(seL4_ARM_Page_Unmap(a));
    KT_OK(seL4_ARM_Page_Unmap(a));
    VM_MAP(b, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    vm_poke(VM_VA_GIB, 5);
    /* The unmapped cap maps anywhere again. */
    VM_MAP(a, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, VM_CACHED);
    KT_EQ(vm_peek(VM_VA_GIB + 0x1000), 0);
    KT_EQ(vm_peek(VM_VA_GIB), 5);
    return KT_PASS;
}

TEST(vspace_frame_share_by_copy, "Sharing: a copy of a frame cap maps the same memory at "
                                 "another address")
{
    seL4_CPtr frame = KT_FRAME();
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    seL4_CPtr copy = KT_COPY(frame, seL4_AllRights);
    VM_MAP(copy, KT_ROOT_VSPACE, VM_VA_GIB + 0x3000, VM_RW, VM_CACHED);
    KT_EQ(vm_paddr(copy), vm_paddr(frame));
    vm_poke(VM_VA_GIB + 8, 0xfeed);
    KT_EQ(vm_peek(VM_VA_GIB + 0x3000 + 8), 0xfeed);
    return KT_PASS;
}

TEST(vspace_frame_delete_unmaps, "Deleting a mapped frame cap unmaps it, even when copies "
                                 "remain")
{
    seL4_CPtr frame = KT_FRAME();
    seL4_CPtr copy = KT_COPY(frame, seL4_AllRights);
    VM_MAP(frame, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_OK(kt_delete(frame));                /* not the last cap */
    VM_MAP(copy, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    KT_OK(kt_delete(copy));                 /* the last cap */
    VM_MAP(KT_FRAME(), KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    return KT_PASS;
}

TEST(vspace_frame_get_address, "Page_GetAddress: the physical address, the same for copies, "
                               "consecutive for consecutive frames")
{
    seL4_CPtr ut = KT_UNTYPED(13);
    seL4_CPtr a = kt_slot(), b = kt_slot();
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, KT_ROOT_CNODE, 0, 0, a, 1));
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, KT_ROOT_CNODE, 0, 0, b, 1));
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(a);
    KT_OK(r.error);
    KT_NE(r.paddr, 0);
    KT_EQ(r.paddr & 0x1fff, 0);             /* the untyped's 8 KiB alignment */
    KT_EQ(vm_paddr(b), r.paddr + 0x1000);
    KT_EQ(vm_paddr(KT_COPY(a, seL4_AllRights)), r.paddr);
    return KT_PASS;
}

TEST(vspace_large_page, "2 MiB frames map as level-2 blocks: one table, whole range usable")
{
    seL4_CPtr large = KT_NEW(seL4_ARM_LargePageObject, 0);
    int tables = 0;
    KT_OK(vm_map(large, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED, &tables));
    KT_EQ(tables, 1);
    vm_poke(VM_VA_GIB, 1);
    vm_poke(VM_VA_GIB + 0x1ffff8, 2);
    KT_EQ(vm_peek(VM_VA_GIB) + vm_peek(VM_VA_GIB + 0x1ffff8), 3);
    KT_EQ(vm_paddr(large) & 0x1ffffful, 0);
    return KT_PASS;
}

TEST(vspace_huge_page, "1 GiB frames (from device memory) map as level-1 blocks")
{
    seL4_Word paddr = 0, bits = 0;
    seL4_CPtr ut = kt_device_untyped(30, &paddr, &bits);
    if (!ut)
        return kt_skip("no device untyped of 1 GiB");
    kt_revoke(ut);
    seL4_CPtr vs = VM_VSPACE();
    seL4_CPtr huge = kt_slot();
    KT_OK(seL4_Untyped_Retype(ut, seL4_ARM_HugePageObject, 0, KT_ROOT_CNODE, 0, 0, huge, 1));
    KT_EQ(vm_paddr(huge), paddr);
    KT_ERR(seL4_ARM_Page_Map(huge, vs, VM_VA_512G + 0x200000, VM_RW, 0), seL4_AlignmentError);
    int tables = 0;
    KT_OK(vm_map(huge, vs, VM_VA_512G, VM_RW, 0, &tables));
    KT_EQ(tables, 1 - VM_ROOT_LEVEL);   /* a level-1 table, unless the root is level 1 */
    /* A table cannot go where the block is. */
    KT_ERR(seL4_ARM_PageTable_Map(KT_NEW(seL4_ARM_PageTableObject, 0), vs, VM_VA_512G + 0x1000,
                                  VM_CACHED), seL4_DeleteFirst);
    KT_OK(seL4_ARM_Page_Unmap(huge));
    return KT_PASS;
}

/* ------------------------------------------------------------ device frames */

#define PL011_PHYS   0x09000000ul
#define PL011_DR     0x000
#define PL011_FR     0x018
#define PL011_FR_TXFF (1u << 5)

static uint32_t mmio_read(seL4_Word va)
{
    return *(volatile uint32_t *)va;
}

TEST(vspace_device_frame_uart, "A device frame maps with device attributes (even when "
                               "asked for cacheable) and drives the PL011 from user level")
{
    seL4_CPtr uart = VM_DEVICE_FRAME(PL011_PHYS);
    seL4_CPtr uncached = KT_COPY(uart, seL4_AllRights);
    VM_MAP(uart, KT_ROOT_VSPACE, VM_VA_GIB, VM_RW, VM_CACHED);
    VM_MAP(uncached, KT_ROOT_VSPACE, VM_VA_GIB + 0x1000, VM_RW, 0);
    /* PrimeCell identification: PL011 peripheral id 0x11 0x10, cell id 0x0d 0xf0 0x05 0xb1. */
    for (seL4_Word base = VM_VA_GIB; base <= VM_VA_GIB + 0x1000; base += 0x1000) {
        KT_EQ(mmio_read(base + 0xfe0) & 0xff, 0x11);
        KT_EQ(mmio_read(base + 0xfe4) & 0xff, 0x10);
        KT_EQ(mmio_read(base + 0xff0) & 0xff, 0x0d);
        KT_EQ(mmio_read(base + 0xff4) & 0xff, 0xf0);
        KT_EQ(mmio_read(base + 0xff8) & 0xff, 0x05);
        KT_EQ(mmio_read(base + 0xffc) & 0xff, 0xb1);
    }
    /* Transmit a line through the user mapping. */
    for (const char *p = "KT|NOTE: vspace_device_frame_uart: hello from user level\n"; *p; p++) {
        while (mmio_read(VM_VA_GIB + PL011_FR) & PL011_FR_TXFF)
            ;
        *(volatile uint32_t *)(VM_VA_GIB + PL011_DR) = (uint8_t)*p;
    }
    return KT_PASS;
}
