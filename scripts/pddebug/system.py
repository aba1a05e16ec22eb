"""Which ELF file holds each PD's symbols, from the system description and
the build's output directory: every program image ends up as
$(O)/system/elf/<stem>.elf (pds/Makefile); `path_for_symbols` (Microkit's
attribute for a stripped image) names another file, found next to the
.system file or in that directory.
"""
import os
import xml.etree.ElementTree as ET


def _stem(path):
    base = os.path.basename(path)
    return base[:-4] if base.endswith(".elf") else base


def pd_programs(system_file, elf_dir):
    """{PD name: ELF path (or None if not found)} in document order."""
    root = ET.parse(system_file).getroot()
    system_dir = os.path.dirname(os.path.abspath(system_file))
    found = {}
    for pd in root.iter("protection_domain"):
        image = pd.find("program_image")
        name = pd.get("name")
        if image is None or not name:
            continue
        candidates = []
        symbols = image.get("path_for_symbols")
        if symbols:
            candidates += [os.path.join(system_dir, symbols), os.path.join(elf_dir, os.path.basename(symbols))]
        if image.get("path"):
            candidates.append(os.path.join(elf_dir, _stem(image.get("path")) + ".elf"))
        found[name] = next((c for c in candidates if os.path.isfile(c)), None)
    return found
