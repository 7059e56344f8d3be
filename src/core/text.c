#include "text.h"

#include <stdio.h>
#include <string.h>

size_t exhv_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len;

    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        c = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        c = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Reject overlong forms, surrogates and values past U+10FFFF. */
    if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
        (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
        return 0;
    *cp = c;
    return len;
}

size_t exhv_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int exhv_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;

    while (n) {
        size_t k = exhv_utf8_decode(p, n, &cp);
        if (!k)
            return 0;
        p += k;
        n -= k;
    }
    return 1;
}

/* East Asian wide and fullwidth ranges (Unicode EastAsianWidth W/F, the
 * blocks a VM or device name realistically uses). */
int exhv_char_width(uint32_t cp)
{
    if (cp == 0)
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || cp == 0x200B || (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* One display unit of s: either a visible escape for a control byte or one
 * (possibly replaced) character. Writes its bytes into out. */
static size_t next_unit(const unsigned char *s, size_t n, char out[8], size_t *outlen, int *width)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t cp;
    size_t k = exhv_utf8_decode(s, n, &cp);

    if (!k) {
        memcpy(out, "\xEF\xBF\xBD", 3); /* U+FFFD */
        *outlen = 3;
        *width = 1;
        return 1;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
        out[0] = '\\';
        if (cp == '\n') {
            out[1] = 'n';
            *outlen = 2;
        } else if (cp == '\t') {
            out[1] = 't';
            *outlen = 2;
        } else if (cp == '\r') {
            out[1] = 'r';
            *outlen = 2;
        } else {
            out[1] = 'x';
            out[2] = hex[(cp >> 4) & 0xF];
            out[3] = hex[cp & 0xF];
            *outlen = 4;
        }
        *width = (int)*outlen;
        return k;
    }
    memcpy(out, s, k);
    *outlen = k;
    *width = exhv_char_width(cp);
    return k;
}

/* Columns the whole of s takes once escaped. */
static int units_width(const unsigned char *s, size_t n)
{
    char unit[8];
    size_t ulen;
    int w, total = 0;

    for (size_t i = 0; i < n;) {
        i += next_unit(s + i, n - i, unit, &ulen, &w);
        total += w;
    }
    return total;
}

int exhv_text_cell(exhv_buf *b, const char *str, int cols, int pad)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s), i = 0;
    int used = 0, total, w;
    char unit[8];
    size_t ulen;

    /* Measure first: cut only when the whole does not fit. */
    total = units_width(s, n);
    if (cols >= 0 && total > cols) {
        int room = cols >= 3 ? cols - 3 : cols;
        for (i = 0; i < n;) {
            size_t k = next_unit(s + i, n - i, unit, &ulen, &w);
            if (used + w > room)
                break;
            exhv_buf_add(b, unit, ulen);
            used += w;
            i += k;
        }
        if (cols >= 3) {
            exhv_buf_puts(b, "...");
            used += 3;
        }
    } else {
        for (i = 0; i < n;) {
            i += next_unit(s + i, n - i, unit, &ulen, &w);
            exhv_buf_add(b, unit, ulen);
        }
        used = total;
    }
    while (pad > 0 && used < pad) {
        exhv_buf_putc(b, ' ');
        used++;
    }
    return used;
}

int exhv_text_cell_tail(exhv_buf *b, const char *str, int cols)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s), start = 0;
    int total = units_width(s, n), room, w;
    char unit[8];
    size_t ulen;

    if (cols < 3 || total <= cols)
        return exhv_text_cell(b, str, cols, 0);
    /* Drop units from the front until the rest fits after "...". */
    room = cols - 3;
    while (start < n && total > room) {
        start += next_unit(s + start, n - start, unit, &ulen, &w);
        total -= w;
    }
    exhv_buf_puts(b, "...");
    exhv_text_cell(b, (const char *)s + start, -1, 0);
    return total + 3;
}

void exhv_fmt_mb(char *out, size_t n, uint64_t mb)
{
    if (mb >= 1024 && mb % 1024 == 0)
        snprintf(out, n, "%llu GB", (unsigned long long)(mb / 1024));
    else
        snprintf(out, n, "%llu MB", (unsigned long long)mb);
}
