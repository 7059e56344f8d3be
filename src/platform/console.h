/* Writing UTF-8 to the terminal or a pipe. */
#ifndef EXHV_CONSOLE_H
#define EXHV_CONSOLE_H

#include <stddef.h>

/* fd 1 = stdout, 2 = stderr. On a Windows console the text is written as
 * UTF-16 (so that 测试机 shows whatever the code page); to a file or pipe
 * the UTF-8 bytes are written unchanged, with \n line ends on every
 * platform so that output compares byte for byte. */
void exhv_console_write(int fd, const char *data, size_t len);

/* Whether writing to stdout failed for another reason than a reader that
 * went away (a full disk, an I/O error): 0, or 1 with the reason's text in
 * why (n bytes). A closed pipe (`exhv ... | head`) is not a failure. */
int exhv_console_out_failed(char *why, size_t n);

#endif
