#!/usr/bin/python3
"""Tests of the board step of scripts/sdf-pds.py (docs/drivers.md, "Board
devices in a system description"): ${NAME} substitution from a board.h,
<?if?>/<?else?>/<?endif?>, comments left alone, line numbers kept, every
error reported with file:line:column, and the driver program search.
Prints PASS/FAIL lines and "N passed, N failed"."""
import importlib.util
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPT = os.path.join(ROOT, "scripts", "sdf-pds.py")
spec = importlib.util.spec_from_file_location("sdf_pds", SCRIPT)
sdf_pds = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sdf_pds)

HEADER = """/* a board */
#define BOARD_UART_PHYS     0x09000000UL    /* PL011 */
#define BOARD_IRQ           33
#define BOARD_DRIVER        serial_pl011
#define BOARD_ALIAS         BOARD_UART_PHYS
#define BOARD_QUOTED        "text"
#define BOARD_FN(x)         (x)
"""
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS sdf_board/{name}")
    else:
        failed += 1
        print(f"FAIL sdf_board/{name}: {detail}")


def resolve(text):
    with tempfile.NamedTemporaryFile("w", suffix=".h", delete=False) as h:
        h.write(HEADER)
    try:
        return sdf_pds.resolve_board("x.system", text, sdf_pds.board_values(h.name), "board.h")
    finally:
        os.unlink(h.name)


def main():
    with tempfile.NamedTemporaryFile("w", suffix=".h", delete=False) as h:
        h.write(HEADER)
    values = sdf_pds.board_values(h.name)
    os.unlink(h.name)
    check("values", values["BOARD_UART_PHYS"] == "0x09000000" and values["BOARD_IRQ"] == "33"
          and values["BOARD_DRIVER"] == "serial_pl011" and values["BOARD_ALIAS"] == "0x09000000"
          and values["BOARD_QUOTED"] == "text" and "BOARD_FN" not in values, str(values))

    out, err = resolve('<a p="${BOARD_UART_PHYS}" i="${BOARD_IRQ}"/>\n<b x="${BOARD_DRIVER}.elf"/>\n')
    check("substitution", not err and out == '<a p="0x09000000" i="33"/>\n<b x="serial_pl011.elf"/>\n',
          repr(out) + str(err))

    text = "<s>\n<?if BOARD_IRQ?>\n<yes/>\n<?else?>\n<no/>\n<?endif?>\n<?if NOPE?>\n<x a='${NOPE}'/>\n<?endif?>\n</s>\n"
    out, err = resolve(text)
    check("if-else-keeps-lines", not err and out.count("\n") == text.count("\n") and "<yes/>" in out
          and "<no/>" not in out and "<x" not in out, repr(out) + str(err))

    out, err = resolve("<s><?if BOARD_IRQ?><?if NOPE?>a<?else?>b<?endif?><?endif?></s>")
    check("nested-if", not err and out == "<s>b</s>", repr(out) + str(err))

    out, err = resolve("<!-- ${UNDEFINED} <?if X?> -->\n<s/>")
    check("comments-untouched", not err and out == "<!-- ${UNDEFINED} <?if X?> -->\n<s/>", repr(out) + str(err))

    out, err = resolve('<s>\n  <a x="${NOPE}" y="${ALSO_NOPE}"/>\n</s>')
    check("undefined-names", len(err) == 2 and err[0].startswith("x.system:2:9: error: 'NOPE'")
          and err[1].startswith("x.system:2:21: error: 'ALSO_NOPE'"), str(err))

    _, err = resolve("<s>\n<?else?>\n<?endif?>\n<?if BOARD_IRQ?>\n</s>")
    check("unbalanced", len(err) == 3 and "x.system:2:1: error: <?else?> without <?if?>" in err[0]
          and "x.system:3:1: error: <?endif?> without <?if?>" in err[1]
          and "x.system:4:1: error: <?if?> without <?endif?>" in err[2], str(err))

    _, err = resolve("<?if A B?><?endif?><?if X?><?else?><?else?><?endif?>")
    check("bad-directives", len(err) == 2 and "needs one name" in err[0] and "second <?else?>" in err[1],
          str(err))

    # The whole script: errors stop it with status 1, the resolved file is
    # written only on success, and drivers/<class>/X/ programs are found.
    with tempfile.TemporaryDirectory() as d:
        bad = os.path.join(d, "bad.system")
        open(bad, "w").write('<system><memory_region name="m" phys_addr="${NOPE}"/></system>\n')
        r = subprocess.run([sys.executable, SCRIPT, "--srctree", ROOT, "--out", os.path.join(d, "pds.mk"),
                            "--board-header", os.path.join(ROOT, "board", "odroidc4", "board.h"),
                            "--resolved", os.path.join(d, "out.system"), bad],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check("script-error-exit", r.returncode == 1 and "bad.system:1:44: error: 'NOPE'" in r.stdout
              and not os.path.exists(os.path.join(d, "out.system")), r.stdout)
        good = os.path.join(d, "good.system")
        open(good, "w").write('<system><protection_domain name="s">'
                              '<program_image path="${BOARD_SERIAL_DRIVER}.elf"/></protection_domain>'
                              '<protection_domain name="v"><program_image path="serial_virt_tx.elf"/>'
                              '</protection_domain></system>\n')
        r = subprocess.run([sys.executable, SCRIPT, "--srctree", ROOT, "--out", os.path.join(d, "pds.mk"),
                            "--board-header", os.path.join(ROOT, "board", "odroidc4", "board.h"),
                            "--resolved", os.path.join(d, "out.system"), good],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        mk = open(os.path.join(d, "pds.mk")).read() if r.returncode == 0 else r.stdout
        check("script-finds-drivers", r.returncode == 0 and "SYSTEM_PDS := serial_meson serial_virt_tx" in mk
              and "drivers/serial/serial_meson/meson.c" in mk and "serial_meson.elf" in
              open(os.path.join(d, "out.system")).read(), mk)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
