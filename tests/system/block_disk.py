#!/usr/bin/python3
"""The disk of the block example's test (sdf/block.system, pds/blk_demo/).

    block_disk.py make DISK      write a 12 MiB disk: MBR with two partitions,
                                 each starting with its signature, the rest a
                                 known filler; DISK.orig keeps a copy
    block_disk.py check DISK     after the run: exactly the blocks the clients
                                 write (1, 2 and the last of each partition)
                                 hold their patterns, every other byte is as
                                 it was

Prints what differs and exits 1 if the check fails.
"""
import shutil
import struct
import sys

SECTOR = 512
BLOCK = 4096
SIZE = 12 << 20
# (number, first sector, sectors): 4 MiB each, 4 KiB aligned.
PARTITIONS = [(1, 2048, 8192), (2, 10240, 8192)]


def pattern(p, b):
    """Block b of partition p as blk_demo writes it."""
    return bytes((j * 3 + b * 7 + p * 101) & 0xff for j in range(BLOCK))


def make(path):
    disk = bytearray((i * 13 // 7) & 0xff for i in range(SIZE))
    mbr = bytearray(SECTOR)
    for i, (_, first, count) in enumerate(PARTITIONS):
        mbr[446 + 16 * i:446 + 16 * (i + 1)] = struct.pack("<B3sB3sII", 0, b"\0\0\0", 0x83,
                                                          b"\0\0\0", first, count)
    mbr[510:512] = b"\x55\xaa"
    disk[:SECTOR] = mbr
    for number, first, _ in PARTITIONS:
        sig = f"PARTITION {number} SIGNATURE\n".encode()
        disk[first * SECTOR:first * SECTOR + len(sig)] = sig
    with open(path, "wb") as f:
        f.write(disk)
    shutil.copyfile(path, path + ".orig")


def check(path):
    with open(path, "rb") as f:
        disk = bytearray(f.read())
    with open(path + ".orig", "rb") as f:
        expected = bytearray(f.read())
    for number, first, count in PARTITIONS:
        blocks = count * SECTOR // BLOCK
        for b in (1, 2, blocks - 1):
            off = first * SECTOR + b * BLOCK
            expected[off:off + BLOCK] = pattern(number, b)
    if disk == expected:
        print("disk: the clients' blocks hold their patterns, nothing else changed")
        return 0
    bad = sorted({i // BLOCK for i in range(len(disk)) if disk[i] != expected[i]})
    print(f"disk: {len(bad)} block(s) of 4 KiB differ from what the clients should have "
          f"written, first at byte offsets {[hex(b * BLOCK) for b in bad[:8]]}")
    return 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("make", "check"):
        sys.exit(__doc__)
    sys.exit(make(sys.argv[2]) if sys.argv[1] == "make" else check(sys.argv[2]))
