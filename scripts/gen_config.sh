#!/bin/sh
# gen_config.sh AUTOCONF_H > kernel/gen_config.h
#
# The kernel configuration under seL4's header name, include/kernel/
# gen_config.h, for what Microkit code and Makefiles read from it: our
# Kconfig symbols as autoconf.h defines them (many are seL4's names too:
# CONFIG_DEBUG_BUILD, CONFIG_PRINTING, CONFIG_MAX_NUM_NODES,
# CONFIG_NUM_DOMAINS, CONFIG_ALLOW_SMC_CALLS, CONFIG_ROOT_CNODE_SIZE_BITS),
# then the seL4 symbols that follow from them. Microkit's example Makefiles
# take the architecture with
#     grep 'CONFIG_SEL4_ARCH  ' gen_config.h | cut -d' ' -f4
# so every line is "#define NAME  VALUE" (two spaces), as seL4 writes it.
set -e
autoconf=$1
[ -f "$autoconf" ] || { echo "gen_config.sh: no $autoconf" >&2; exit 1; }
has() { grep -q "^#define $1 1\$" "$autoconf"; }
define() { printf '#define %s  %s\n' "$1" "$2"; }

echo "/* Generated from autoconf.h by scripts/gen_config.sh. */"
echo "#ifndef KERNEL_GEN_CONFIG_H"
echo "#define KERNEL_GEN_CONFIG_H"
sed -n 's/^#define \(CONFIG_[A-Za-z0-9_]*\) \(.*\)$/#define \1  \2/p' "$autoconf"
define CONFIG_SEL4_ARCH aarch64
define CONFIG_ARCH_AARCH64 1
define CONFIG_ARCH_ARM 1
define CONFIG_WORD_SIZE 64
define CONFIG_KERNEL_MCS 1
define CONFIG_HAVE_FPU 1
define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
if has CONFIG_KERNEL_EL2; then define CONFIG_ARM_HYPERVISOR_SUPPORT 1; fi
if has CONFIG_BENCHMARK; then define CONFIG_ENABLE_BENCHMARKS 1; fi
echo "#endif"
