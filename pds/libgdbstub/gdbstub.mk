# libgdbstub, GDB's remote protocol engine (the debug PD's, pds/debugger),
# for the PDs that list `gdbstub` in their `libraries` file (included by
# pds/Makefile when one does). The archive itself is built beside
# libmicrokit (pds/libgdbstub/Makefile).
LIB_gdbstub        := $(O)/pds/libgdbstub/libgdbstub.a
LIB_CFLAGS_gdbstub := -I pds/libgdbstub/include
