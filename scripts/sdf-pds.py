#!/usr/bin/python3
"""Resolve a system description for a board and find its programs' sources.

    sdf-pds.py --srctree DIR --out FILE [--pds DIR]... [--board-header board.h
               --resolved OUT.system] SYSTEM.system

Board values (docs/drivers.md, "Board devices in a system description"):
with --board-header, every ${NAME} in the description is replaced by the
value of `#define NAME value` in the board's board.h, and the processing
instructions <?if NAME?>, <?else?>, <?endif?> keep or drop the lines
between them depending on whether board.h defines NAME. The result, a plain
Microkit system description with the same line numbers, is written to
--resolved (only if it changed); everything after this step reads that.
An undefined name or an unbalanced <?if?> is an error at file:line:column.

Writes a make fragment (only if it changed) for pds/Makefile. For each
<program_image path="X.elf"> (or any path whose file name is X.elf or X),
the program is found, in this order:

  1. X/      next to the .system file: every .c and .S file in it;
  2. X.c     next to the .system file;
  3. X.elf   next to the .system file: a prebuilt image, used as it is;
  4. the same three in each --pds directory (make PDS=...), in order;
  5. pds/X/  in the source tree: every .c and .S file in it;
  6. drivers/<class>/X/ in the source tree (driver and virtualiser PDs).

The fragment sets SYSTEM_PDS (programs to build), and per program X:
PD_SRCS_X (sources), PD_INCS_X (include directories) and PD_LIBS_X (the
words of a file X/libraries, if the program directory has one: extra
libraries such as lwip). Prebuilt images are listed in SYSTEM_PREBUILT. A
program found nowhere is listed in SYSTEM_MISSING so that make can say
which and where it looked. SYSTEM_RESOLVED names the description to
compile.
"""
import argparse
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.*?)\s*(?:/\*.*)?$")
NUMBER_SUFFIX = re.compile(r"^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$")
# What the board step looks at: comments (left alone), <?if NAME?>,
# <?else?>, <?endif?>, and ${NAME}.
TOKEN = re.compile(r"<!--.*?-->|<\?(if|else|endif)(?:\s+([^?]*?))?\s*\?>|\$\{([^}]*)\}", re.S)


def board_values(header):
    """NAME -> value for every object-like #define of board.h; numbers lose
    their C suffixes, and a value naming another macro is resolved."""
    raw = {}
    with open(header) as f:
        for line in f:
            m = DEFINE.match(line)
            if m and "(" not in m.group(1):
                raw[m.group(1)] = m.group(2).strip()

    def resolve(name, seen=()):
        value = raw[name]
        if value in raw and value not in seen:
            return resolve(value, seen + (name,))
        m = NUMBER_SUFFIX.match(value)
        return m.group(1) if m else value.strip('"')
    return {name: resolve(name) for name in raw}


def resolve_board(path, text, values, header):
    """The description with ${NAME} replaced and <?if?> blocks decided;
    comments are left alone and line numbers are kept (dropped text keeps
    its line breaks). Returns (text, errors)."""
    errors, out, stack, pos = [], [], [], 0    # stack: [keep, offset, seen_else]

    def where(offset):
        line = text.count("\n", 0, offset) + 1
        return f"{path}:{line}:{offset - text.rfind(chr(10), 0, offset)}"

    def keeping():
        return all(frame[0] for frame in stack)

    def emit(chunk):
        out.append(chunk if keeping() else "\n" * chunk.count("\n"))

    for m in TOKEN.finditer(text):
        emit(text[pos:m.start()])
        pos = m.end()
        word, arg, name = m.group(1), (m.group(2) or "").strip(), m.group(3)
        if m.group(0).startswith("<!--"):
            emit(m.group(0))
        elif word == "if":
            if not re.fullmatch(r"[A-Za-z_]\w*", arg):
                errors.append(f"{where(m.start())}: error: <?if?> needs one name, got '{arg}'")
            stack.append([arg in values, m.start(), False])
        elif word and not stack:
            errors.append(f"{where(m.start())}: error: <?{word}?> without <?if?>")
        elif word == "else":
            if stack[-1][2]:
                errors.append(f"{where(m.start())}: error: second <?else?> for one <?if?>")
            stack[-1][0] = not stack[-1][0]
            stack[-1][2] = True
        elif word == "endif":
            stack.pop()
        elif keeping():
            if name in values:
                out.append(values[name])
            else:
                errors.append(f"{where(m.start())}: error: '{name}' is not defined in {header} "
                              f"(board values are its #define names)")
                out.append(m.group(0))
    emit(text[pos:])
    for frame in stack:
        errors.append(f"{where(frame[1])}: error: <?if?> without <?endif?>")
    return "".join(out), errors


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def program_names(system_file):
    """Program file stems in document order, each once."""
    try:
        root = ET.parse(system_file).getroot()
    except (ET.ParseError, OSError):
        return []   # sdfgen reports the problem with a location
    names = []
    for element in root.iter("program_image"):
        path = element.get("path")
        if not path:
            continue
        stem = os.path.basename(path)
        if stem.endswith(".elf"):
            stem = stem[:-4]
        if stem and stem not in names:
            names.append(stem)
    return names


def sources_in(directory):
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".c", ".S")):
                found.append(os.path.join(dirpath, name))
    return found


def make_word(path):
    """Make cannot take spaces in file names; refuse them clearly."""
    if any(c in path for c in " \t#$:"):
        sys.exit(f"sdf-pds.py: unsupported character in path '{path}'")
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--srctree", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--pds", action="append", default=[])
    p.add_argument("--board-header")
    p.add_argument("--resolved")
    p.add_argument("system")
    args = p.parse_args()
    system_dir = os.path.dirname(os.path.abspath(args.system))
    srctree = os.path.abspath(args.srctree)
    resolved = os.path.abspath(args.system)
    if args.board_header and args.resolved:
        try:
            with open(args.system) as f:
                text = f.read()
        except OSError as e:
            sys.exit(f"{args.system}: error: {e.strerror}")
        text, errors = resolve_board(args.system, text, board_values(args.board_header),
                                     args.board_header)
        if errors:
            print("\n".join(errors), file=sys.stderr)
            sys.exit(f"{len(errors)} error{'s' if len(errors) > 1 else ''}")
        resolved = os.path.abspath(args.resolved)
        write_if_changed(resolved, text)
    lines = ["# Generated by scripts/sdf-pds.py from " + make_word(os.path.abspath(args.system))]
    build, prebuilt, missing = [], [], []
    drivers = sorted(d for d in glob.glob(os.path.join(srctree, "drivers", "*", "*"))
                     if os.path.isdir(d) and os.path.basename(os.path.dirname(d)) != "kernel")
    for stem in program_names(resolved):
        candidates = []
        for where in [system_dir] + [os.path.abspath(d) for d in args.pds]:
            candidates += [(os.path.join(where, stem), "dir"),
                           (os.path.join(where, stem + ".c"), "file"),
                           (os.path.join(where, stem + ".elf"), "elf")]
        candidates.append((os.path.join(srctree, "pds", stem), "dir"))
        candidates += [(d, "dir") for d in drivers if os.path.basename(d) == stem]
        chosen = None
        for path, kind in candidates:
            if kind == "dir" and os.path.isdir(path) and sources_in(path):
                chosen = (kind, path)
                break
            if kind != "dir" and os.path.isfile(path):
                chosen = (kind, path)
                break
        if chosen is None:
            missing.append(stem)
            continue
        kind, path = chosen
        if kind == "elf":
            prebuilt.append(make_word(path))
            continue
        srcs = sources_in(path) if kind == "dir" else [path]
        incs = [path if kind == "dir" else os.path.dirname(path), system_dir]
        build.append(stem)
        lines.append(f"PD_SRCS_{stem} := " + " ".join(make_word(s) for s in srcs))
        lines.append(f"PD_INCS_{stem} := " + " ".join(make_word(i) for i in dict.fromkeys(incs)))
        libraries = os.path.join(path, "libraries") if kind == "dir" else None
        libs = open(libraries).read().split() if libraries and os.path.isfile(libraries) else []
        lines.append(f"PD_LIBS_{stem} := " + " ".join(make_word(lib) for lib in libs))
    lines.append("SYSTEM_PDS := " + " ".join(make_word(s) for s in build))
    lines.append("SYSTEM_PREBUILT := " + " ".join(prebuilt))
    lines.append("SYSTEM_MISSING := " + " ".join(missing))
    lines.append(f"SYSTEM_DIR := {make_word(system_dir)}")
    lines.append(f"SYSTEM_RESOLVED := {make_word(resolved)}")
    write_if_changed(args.out, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
