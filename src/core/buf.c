#include "buf.h"
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exhv_buf_init(exhv_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

void exhv_buf_release(exhv_buf *b)
{
    free(b->data);
    exhv_buf_init(b);
}

void exhv_buf_reset(exhv_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int buf_reserve(exhv_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (b->oom)
        return -1;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        goto fail;
    b->data = p;
    b->cap = cap;
    return 0;
fail:
    b->oom = 1;
    return -1;
}

int exhv_buf_reserve(exhv_buf *b, size_t extra)
{
    char *p;
    if (b->oom)
        return -1;
    if (extra > SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return -1;
    }
    if (b->len + extra + 1 <= b->cap)
        return 0;
    if (!(p = realloc(b->data, b->len + extra + 1))) {
        b->oom = 1;
        return -1;
    }
    b->data = p;
    b->cap = b->len + extra + 1;
    return 0;
}

void exhv_buf_add(exhv_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void exhv_buf_puts(exhv_buf *b, const char *s)
{
    exhv_buf_add(b, s, strlen(s));
}

void exhv_buf_putc(exhv_buf *b, char c)
{
    exhv_buf_add(b, &c, 1);
}

void exhv_buf_vprintf(exhv_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || buf_reserve(b, (size_t)n) < 0) {
        b->oom = 1;
        return;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void exhv_buf_printf(exhv_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exhv_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void exhv_buf_tprintf(exhv_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exhv_buf_vprintf(b, exhv_tr(fmt), ap);
    va_end(ap);
}

int exhv_buf_ok(const exhv_buf *b)
{
    return !b->oom;
}

const char *exhv_buf_str(const exhv_buf *b)
{
    return b->data && !b->oom ? b->data : "";
}

char *exhv_buf_detach(exhv_buf *b)
{
    char *s;

    if (b->oom) {
        exhv_buf_release(b);
        return NULL;
    }
    s = b->data ? b->data : exhv_strdup("");
    exhv_buf_init(b);
    return s;
}

int exhv_grow(void **items, size_t *cap, size_t want, size_t size)
{
    size_t ncap;
    void *p;

    if (want <= *cap)
        return 0;
    ncap = *cap ? *cap : 8;
    while (ncap < want) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (size && ncap > SIZE_MAX / size)
        return -1;
    p = realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

char *exhv_strdup(const char *s)
{
    return s ? exhv_strndup(s, strlen(s)) : NULL;
}

char *exhv_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void exhv_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int exhv_strcaseeq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return *a == *b;
}

int exhv_strcasecmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return lower((unsigned char)*a) - lower((unsigned char)*b);
}

int exhv_starts_with_ci(const char *s, const char *prefix)
{
    if (!s || !prefix)
        return 0;
    while (*prefix) {
        if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
            return 0;
        s++, prefix++;
    }
    return 1;
}

int exhv_contains_ci(const char *haystack, const char *needle)
{
    if (!haystack || !needle)
        return 0;
    if (!*needle)
        return 1;
    for (; *haystack; haystack++)
        if (exhv_starts_with_ci(haystack, needle))
            return 1;
    return 0;
}
