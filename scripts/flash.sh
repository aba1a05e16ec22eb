#!/bin/sh
# Deploy loader.img to a board: flash.sh BOARD IMAGE IMAGES_DIR
# (run by make flash, which passes FLASH_METHODS from the board profile)
#   FLASH=sd    FLASH_MNT=<mounted FAT boot partition>  copy image + boot.ini/boot.scr
#   FLASH=tftp  TFTP_DIR=<tftp root>                    copy image and boot script (creating the directory), print the U-Boot line
#   FLASH=jtag  OPENOCD_CFG=<board cfg>                 load and run through OpenOCD (experimental)
set -e
board=$1 image=$2 images=$3
method=${FLASH:-sd}

die() { echo "flash: $*" >&2; exit 1; }
# FLASH_METHODS: what the board supports (board/<board>/board.mk)
case " ${FLASH_METHODS:-sd tftp jtag} " in
*" $method "*) ;;
*) die "BOARD=$board cannot be deployed with FLASH=$method (it supports: ${FLASH_METHODS})" ;;
esac
[ -f "$image" ] || die "no image $image: run make first"
addr=$(grep '^CONFIG_LOADER_LINK_ADDRESS=' "$images/../include/config/auto.conf" | cut -d= -f2)

case $method in
sd)
    [ -n "$FLASH_MNT" ] || die "FLASH=sd needs FLASH_MNT=<mount point of the card's FAT boot partition>"
    mountpoint -q "$FLASH_MNT" || die "$FLASH_MNT is not a mount point (mount the card's boot partition first)"
    cp "$image" "$FLASH_MNT/loader.img"
    for f in boot.ini boot.scr; do
        [ -f "$images/$f" ] && cp "$images/$f" "$FLASH_MNT/$f"
    done
    sync
    echo "flash: copied loader.img and the boot scripts to $FLASH_MNT; put the card in the $board and power it"
    ;;
tftp)
    [ -n "$TFTP_DIR" ] || die "FLASH=tftp needs TFTP_DIR=<tftp server root>"
    if [ ! -d "$TFTP_DIR" ]; then
        mkdir -p "$TFTP_DIR" || die "cannot create $TFTP_DIR"
        echo "flash: created $TFTP_DIR"
    fi
    cp "$image" "$TFTP_DIR/loader.img"
    cp "$images/boot-tftp.scr" "$TFTP_DIR/boot.scr"
    script=${UBOOT_SCRIPT_ADDR:-$addr}
    echo "flash: copied loader.img and boot.scr to $TFTP_DIR; at the U-Boot prompt run:"
    echo "  setenv autoload no; dhcp; tftp $script boot.scr; source $script"
    echo "or, typing the script's commands yourself:"
    echo "  setenv autoload no; dhcp; tftp $addr loader.img; $(grep -E '^(go|booti) ' "$images/boot-tftp.cmd" | sed "s/\${loadaddr}/$addr/g")"
    ;;
jtag)
    cfg=${OPENOCD_CFG:-board/$board/openocd.cfg}
    [ -f "$cfg" ] || die "FLASH=jtag needs an OpenOCD configuration (OPENOCD_CFG=...); none exists for $board yet"
    openocd -f "$cfg" -c "init; halt; load_image $image $addr bin; resume $addr; shutdown"
    ;;
*)
    die "unknown FLASH=$method (sd, tftp or jtag)"
    ;;
esac
