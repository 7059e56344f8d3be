/* UTF-8 text for terminals: validation, display width, safe truncation. */
#ifndef EXHV_TEXT_H
#define EXHV_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decode one UTF-8 sequence at s (n bytes available). Returns its length
 * (1..4) and the code point in *cp, or 0 for an invalid sequence. */
size_t exhv_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encode cp as UTF-8 into out (4 bytes). Returns the length, 0 if invalid. */
size_t exhv_utf8_encode(uint32_t cp, char out[4]);

int exhv_utf8_valid(const char *s, size_t n);

/* Columns a code point takes in a terminal (0, 1 or 2). */
int exhv_char_width(uint32_t cp);

/* Append s to b for a terminal: control characters become visible escapes
 * (\n, \t, \xNN), invalid UTF-8 becomes U+FFFD, and the result is cut to at
 * most `cols` columns (cols < 0: no limit) with "..." where it was cut.
 * Pads with spaces to `pad` columns when pad > 0. Returns columns written. */
int exhv_text_cell(exhv_buf *b, const char *s, int cols, int pad);

/* As exhv_text_cell without padding, but a cut keeps the end and puts
 * "..." first: for paths, whose file name matters most. */
int exhv_text_cell_tail(exhv_buf *b, const char *s, int cols);

/* A size in MB for people: "32 GB" when whole gigabytes, else "528 MB". */
void exhv_fmt_mb(char *out, size_t n, uint64_t mb);

#endif
