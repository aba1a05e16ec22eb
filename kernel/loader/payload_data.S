/*
 * The payload packed by scripts/mkpayload, embedded in the image. The
 * Makefile passes its path as PAYLOAD_FILE.
 */
    .section .payload, "a"
    .balign 8
    .global _payload_start
_payload_start:
    .incbin PAYLOAD_FILE
    .global _payload_end
_payload_end:
    .balign 8
