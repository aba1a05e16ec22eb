#!/bin/bash
# Builds the program images the SDF tests use, with tests/sdf/mkelf.
#   make_elfs.sh MKELF OUTDIR
set -euo pipefail
mkelf=$1
out=$2
mkdir -p "$out"

text=(--segment 200000:800:800:rx)
data=(--segment 201000:100:2000:rw)
libmicrokit=(
    --symbol microkit_name:201000:64
    --symbol microkit_passive:201040:1
    --symbol microkit_irqs:201048:8
    --symbol microkit_notifications:201050:8
    --symbol microkit_pps:201058:8
)
setvars=(
    --symbol buffer_vaddr:201100:8
    --symbol buffer_size:201108:8
    --symbol prefill_size:201110:8
    --symbol dma_paddr:201118:8
    --symbol uart_base:201120:8
    --symbol child_id:201128:8
    --symbol irq_ch:201130:8
    --symbol server_ch:201138:8
    --symbol vcpu_id:201140:8
    --symbol small_var:201148:4
    --symbol outside_var:300000:8
    --symbol local_var:201150:8:local
)

# A PD linked with libmicrokit, with variables for setvars.
"$mkelf" "$out/pd.elf" "${text[@]}" "${data[@]}" "${libmicrokit[@]}" "${setvars[@]}"
# The same image without a symbol table, and one not using libmicrokit.
"$mkelf" "$out/stripped.elf" "${text[@]}" "${data[@]}"
"$mkelf" "$out/nolib.elf" "${text[@]}" "${data[@]}" --symbol buffer_vaddr:201100:8
# Text and data sharing a page (merged into one rwx region).
"$mkelf" "$out/shared.elf" --segment 200000:800:800:rx --segment 200800:100:900:rw \
    "${libmicrokit[@]/2010/2008}"
# libmicrokit variables of the wrong size.
"$mkelf" "$out/oddlib.elf" "${text[@]}" "${data[@]}" \
    --symbol microkit_name:201000:64 --symbol microkit_irqs:201048:4 \
    --symbol microkit_passive:201040:8
# A segment where the test maps a region, and one over the stack.
"$mkelf" "$out/high.elf" "${text[@]}" --segment 10000000:100:200000:rw
"$mkelf" "$out/stack.elf" "${text[@]}" --segment 7ffffffd0000:100:40000:rw
# Debuggers (debugger="true"): with pd_debug_info (struct pd_debug_info,
# 16 + 64 * 88 + 128 * 32 bytes), and with one of the wrong size.
"$mkelf" "$out/debugger.elf" "${text[@]}" --segment 201000:100:4000:rw "${libmicrokit[@]}" \
    --symbol pd_debug_info:202000:9744
"$mkelf" "$out/debugger_small.elf" "${text[@]}" "${data[@]}" "${libmicrokit[@]}" \
    --symbol pd_debug_info:201100:8
# Not usable: another machine, cut short.
"$mkelf" "$out/x86.elf" --machine 62 "${text[@]}"
head -c 40 "$out/pd.elf" > "$out/truncated.elf"
