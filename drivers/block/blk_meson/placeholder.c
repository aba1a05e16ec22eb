#include <block/block.h>
void init(void) {}
void notified(microkit_channel ch) { (void)ch; }
