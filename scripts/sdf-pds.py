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
  4. the same three in each --pds directory, in order;
  5. drivers/<class>/X/ in the source tree (the platform's driver and
     virtualiser PDs, for every system).

The top-level Makefile passes the directories of PDS= and, only for a
system inside the source tree, the tree's example programs (pds/) as --pds
directories. A program found nowhere is an error (with where it looked,
and any file of that name in another language), so that an out-of-tree
system never runs an in-tree example by accident.

The fragment sets SYSTEM_PDS (programs to build), and per program X:
PD_SRCS_X (sources), PD_INCS_X (include directories), PD_DIR_X (the
directory its object names are relative to) and PD_LIBS_X (the words of a
file X/libraries, if the program directory has one: extra libraries such
as lwip). Prebuilt images are listed in SYSTEM_PREBUILT. SYSTEM_RESOLVED
names the description to compile.
"""
import argparse
import glob
import os
import re
import sys
import xml.parsers.expat

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


def program_images(system_file):
    """(stem, line, column) of each program image in document order, each stem once."""
    found = []
    parser = xml.parsers.expat.ParserCreate()

    def start(tag, attrs):
        path = attrs.get("path")
        if tag != "program_image" or not path:
            return
        stem = os.path.basename(path)
        if stem.endswith(".elf"):
            stem = stem[:-4]
        if stem and stem not in [s for s, _, _ in found]:
            found.append((stem, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartElementHandler = start
    try:
        with open(system_file, "rb") as f:
            parser.ParseFile(f)
    except (xml.parsers.expat.ExpatError, OSError):
        pass    # sdfgen reports the problem with a location
    return found


SOURCE_SUFFIXES = (".c", ".S")


def sources_in(directory):
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                found.append(os.path.join(dirpath, name))
    return found


def find_program(stem, search_dirs, drivers):
    """(kind, path) of the first candidate that exists, or None."""
    for where in search_dirs:
        directory = os.path.join(where, stem)
        if os.path.isdir(directory) and sources_in(directory):
            return "dir", directory
        for suffix, kind in ((".c", "file"), (".elf", "elf")):
            if os.path.isfile(os.path.join(where, stem + suffix)):
                return kind, os.path.join(where, stem + suffix)
    for d in drivers:
        if os.path.basename(d) == stem and sources_in(d):
            return "dir", d
    return None


def explain_missing(system_file, stem, line, column, search_dirs, srctree):
    """The error for a program found nowhere, with what might have been meant."""
    shown = [os.path.relpath(d) if d.startswith(srctree + os.sep) else d for d in search_dirs]
    lines = [f"{system_file}:{line}:{column}: error: no program for program_image '{stem}.elf': "
             f"looked for {stem}/ (C and assembly sources), {stem}.c and a prebuilt {stem}.elf in "
             + ", ".join(shown) + ", and among the drivers"]
    for where in search_dirs:
        others = [p for p in sorted(glob.glob(os.path.join(glob.escape(where), glob.escape(stem)) + ".*"))
                  if not p.endswith((".c", ".elf"))]
        for other in others:
            lines.append(f"  note: {other} is not built here (only .c and .S sources are): build "
                         f"{stem}.elf yourself and put it next to the .system file or in a PDS= "
                         f"directory")
        directory = os.path.join(where, stem)
        if os.path.isdir(directory):
            lines.append(f"  note: {directory}/ has no .c or .S file")
    in_tree = os.path.join(srctree, "pds", stem)
    if os.path.isdir(in_tree) and os.path.join(srctree, "pds") not in search_dirs:
        lines.append(f"  note: the source tree has an example program pds/{stem}/; an out-of-tree "
                     f"system uses it only when asked: make ... PDS={os.path.join(srctree, 'pds')}")
    return "\n".join(lines)


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
    build, prebuilt, errors = [], [], []
    search_dirs = list(dict.fromkeys([system_dir] + [os.path.abspath(d) for d in args.pds]))
    drivers = sorted(d for d in glob.glob(os.path.join(srctree, "drivers", "*", "*"))
                     if os.path.isdir(d) and os.path.basename(os.path.dirname(d)) != "kernel")
    # The resolved description keeps the original's line numbers.
    for stem, line, column in program_images(resolved):
        chosen = find_program(stem, search_dirs, drivers)
        if chosen is None:
            errors.append(explain_missing(args.system, stem, line, column, search_dirs, srctree))
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
        lines.append(f"PD_DIR_{stem} := " + make_word(incs[0]))
        libraries = os.path.join(path, "libraries") if kind == "dir" else None
        libs = open(libraries).read().split() if libraries and os.path.isfile(libraries) else []
        lines.append(f"PD_LIBS_{stem} := " + " ".join(make_word(lib) for lib in libs))
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1
    lines.append("SYSTEM_PDS := " + " ".join(make_word(s) for s in build))
    lines.append("SYSTEM_PREBUILT := " + " ".join(prebuilt))
    lines.append(f"SYSTEM_DIR := {make_word(system_dir)}")
    lines.append(f"SYSTEM_RESOLVED := {make_word(resolved)}")
    write_if_changed(args.out, "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
