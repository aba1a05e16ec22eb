/* Kernel console output. Silent (but still type-checked) without CONFIG_PRINTING. */
#ifndef KERNEL_PRINT_H
#define KERNEL_PRINT_H

void console_init(void);
void console_putc(char c);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
