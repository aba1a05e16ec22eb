# lwIP for the PDs that list `lwip` in their `libraries` file (included by
# pds/Makefile when one does). lwIP is Debian's source package `lwip`
# (2.1.3, with Debian's patches), fetched once per output directory by
# scripts/fetch-debian-source.sh; the port (lwipopts.h, arch/cc.h, the glue
# net_lwip.c) is ours. Output: $(O)/drivers/lwip/liblwip.a.
LWIP_VERSION := 2.1.3
LWIP_DIR     := $(O)/deps/lwip-$(LWIP_VERSION)
LWIP_OUT     := $(O)/drivers/lwip
LWIP_STAMP   := $(LWIP_DIR)/.fetched
LIB_lwip     := $(LWIP_OUT)/liblwip.a
LIB_CFLAGS_lwip := -I drivers/network/lwip/include -I $(LWIP_DIR)/src/include

# lwIP's core, IPv4 and Ethernet (its src/Filelists.mk: COREFILES,
# CORE4FILES, the Ethernet part of NETIFFILES).
LWIP_SRCS := $(addprefix src/core/,init.c def.c dns.c inet_chksum.c ip.c mem.c memp.c netif.c \
    pbuf.c raw.c stats.c sys.c altcp.c altcp_alloc.c altcp_tcp.c tcp.c tcp_in.c tcp_out.c \
    timeouts.c udp.c) \
    $(addprefix src/core/ipv4/,autoip.c dhcp.c etharp.c icmp.c igmp.c ip4_frag.c ip4.c ip4_addr.c) \
    src/netif/ethernet.c
LWIP_OBJS := $(patsubst %.c,$(LWIP_OUT)/%.o,$(LWIP_SRCS))
LWIP_PORT_OBJS := $(LWIP_OUT)/port/net_lwip.o

# Third-party code: its own warnings are not ours to fix.
LWIP_CFLAGS := $(filter-out -Werror -W%,$(TARGET_CFLAGS)) -w -I lib/include $(LIB_CFLAGS_lwip)
LWIP_PORT_CFLAGS := $(TARGET_CFLAGS) -I drivers -I pds/libmicrokit/include -I pds/include -I kernel/uapi \
    -I lib/include -I $(O)/include $(LIB_CFLAGS_lwip)

$(LWIP_STAMP):
	$(Q)scripts/fetch-debian-source.sh lwip $(LWIP_VERSION) $(LWIP_DIR)
	$(Q)touch $@

# Every lwIP source exists once the package is unpacked.
$(addprefix $(LWIP_DIR)/,$(LWIP_SRCS)): $(LWIP_STAMP)

$(LWIP_OUT)/%.o: $(LWIP_DIR)/%.c $(FLAG_STAMPS) | $(LWIP_STAMP)
	$(call log,CC,$@)
	$(call compile,$(CC) $(LWIP_CFLAGS))

$(LWIP_OUT)/port/%.o: drivers/network/lwip/%.c $(FLAG_STAMPS) | $(LWIP_STAMP)
	$(call log,CC,$@)
	$(call compile,$(CC) $(LWIP_PORT_CFLAGS))

$(LIB_lwip): $(LWIP_OBJS) $(LWIP_PORT_OBJS)
	$(call log,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

-include $(call depfiles,$(LWIP_OBJS) $(LWIP_PORT_OBJS))
