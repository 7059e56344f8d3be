/* Growable UTF-8 string buffer and small allocation helpers. */
#ifndef EXHV_BUF_H
#define EXHV_BUF_H

#include <stdarg.h>

#include "core/compiler.h"
#include <stddef.h>

/* A buffer that is always NUL-terminated once anything was appended.
 * An allocation failure sets `oom`; later appends are ignored, so a caller
 * may append freely and check once with exhv_buf_ok(). */
typedef struct exhv_buf {
    char *data;
    size_t len;
    size_t cap;
    int oom;
} exhv_buf;

#define EXHV_BUF_INIT {NULL, 0, 0, 0}

void exhv_buf_init(exhv_buf *b);
void exhv_buf_release(exhv_buf *b);
void exhv_buf_reset(exhv_buf *b);                     /* len = 0, keeps memory */
void exhv_buf_add(exhv_buf *b, const char *s, size_t n);
/* Make room for `extra` more bytes (and the NUL) in one allocation of that
 * exact size when the buffer must grow. 0, or -1 out of memory. */
int exhv_buf_reserve(exhv_buf *b, size_t extra);
void exhv_buf_puts(exhv_buf *b, const char *s);
void exhv_buf_putc(exhv_buf *b, char c);
void exhv_buf_printf(exhv_buf *b, const char *fmt, ...)
    EXHV_PRINTF(2, 3)
    ;
void exhv_buf_vprintf(exhv_buf *b, const char *fmt, va_list ap);
/* printf for a sentence a person reads: fmt is English and is translated
 * into the language in force first (core/i18n.h). */
void exhv_buf_tprintf(exhv_buf *b, const char *fmt, ...)
    EXHV_PRINTF(2, 3)
    ;
int exhv_buf_ok(const exhv_buf *b);
const char *exhv_buf_str(const exhv_buf *b);          /* "" when empty */
/* Hand the string to the caller (who frees it); the buffer is emptied.
 * Returns NULL after an allocation failure. */
char *exhv_buf_detach(exhv_buf *b);

/* Grow an array to hold at least `want` elements of `size` bytes.
 * Returns 0, or -1 on overflow or allocation failure (array untouched). */
int exhv_grow(void **items, size_t *cap, size_t want, size_t size);

char *exhv_strdup(const char *s);                      /* NULL -> NULL */
char *exhv_strndup(const char *s, size_t n);
void exhv_strv_free(char **v, size_t n);

/* ASCII case-insensitive comparisons (identifiers, paths, WMI names). */
int exhv_strcaseeq(const char *a, const char *b);
/* <0, 0, >0 like strcmp, ASCII case folded; NULL sorts first. */
int exhv_strcasecmp(const char *a, const char *b);
int exhv_starts_with_ci(const char *s, const char *prefix);
int exhv_contains_ci(const char *haystack, const char *needle);

#endif
