#include "pwsh.h"

#include <string.h>

void exhv_pwsh_quote(exhv_buf *b, const char *s)
{
    exhv_buf_putc(b, '\'');
    for (const char *p = s ? s : ""; *p; p++) {
        /* U+2018..U+201B are E2 80 98..9B in UTF-8. */
        if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
            (unsigned char)p[2] >= 0x98 && (unsigned char)p[2] <= 0x9B) {
            exhv_buf_add(b, p, 3);
            exhv_buf_add(b, p, 3);
            p += 2;
            continue;
        }
        if (*p == '\'')
            exhv_buf_putc(b, '\'');
        exhv_buf_putc(b, *p);
    }
    exhv_buf_putc(b, '\'');
}
