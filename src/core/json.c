#include "json.h"
#include "i18n.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Byte classes, looked up once a byte instead of compared four times:
 * most of a document is plain string bytes. C_PLAIN: a
 * byte a string may hold as it is; C_OUT: one the writer copies as it is. */
enum { C_PLAIN = 1, C_OUT = 2 };
#define P (C_PLAIN | C_OUT)   /* printable ASCII but '"' and '\\' */
static const unsigned char cls[256] = {
    [' '] = P,
    ['!'] = P, ['#'] = P, ['$'] = P, ['%'] = P, ['&'] = P,
    ['\''] = P, ['('] = P, [')'] = P, ['*'] = P, ['+'] = P,
    [','] = P, ['-'] = P, ['.'] = P, ['/'] = P,
    ['0'] = P, ['1'] = P, ['2'] = P, ['3'] = P, ['4'] = P,
    ['5'] = P, ['6'] = P, ['7'] = P, ['8'] = P, ['9'] = P,
    [':'] = P, [';'] = P, ['<'] = P, ['='] = P, ['>'] = P,
    ['?'] = P, ['@'] = P,
    ['A'] = P, ['B'] = P, ['C'] = P, ['D'] = P, ['E'] = P,
    ['F'] = P, ['G'] = P, ['H'] = P, ['I'] = P, ['J'] = P,
    ['K'] = P, ['L'] = P, ['M'] = P, ['N'] = P, ['O'] = P,
    ['P'] = P, ['Q'] = P, ['R'] = P, ['S'] = P, ['T'] = P,
    ['U'] = P, ['V'] = P, ['W'] = P, ['X'] = P, ['Y'] = P,
    ['Z'] = P, ['['] = P, [']'] = P, ['^'] = P, ['_'] = P,
    ['`'] = P,
    ['a'] = P, ['b'] = P, ['c'] = P, ['d'] = P, ['e'] = P,
    ['f'] = P, ['g'] = P, ['h'] = P, ['i'] = P, ['j'] = P,
    ['k'] = P, ['l'] = P, ['m'] = P, ['n'] = P, ['o'] = P,
    ['p'] = P, ['q'] = P, ['r'] = P, ['s'] = P, ['t'] = P,
    ['u'] = P, ['v'] = P, ['w'] = P, ['x'] = P, ['y'] = P,
    ['z'] = P, ['{'] = P, ['|'] = P, ['}'] = P, ['~'] = P,
    [0x7f] = C_PLAIN,
};
#undef P

/* ================= writer ================= */

void exhv_jw_init(exhv_jw *w, exhv_buf *out, int pretty)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->pretty = pretty;
}

static void jw_newline(exhv_jw *w)
{
    /* A newline and two spaces a level, appended at once. */
    static const char spaces[] = "\n                                                                "
                                 "                                                                ";
    size_t n;
    if (!w->pretty)
        return;
    n = 1 + 2 * (size_t)w->depth;
    if (n > sizeof(spaces) - 1)
        n = sizeof(spaces) - 1;
    exhv_buf_add(w->out, spaces, n);
}

/* Called before every value and key: separators and indentation. */
static void jw_pre(exhv_jw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            exhv_buf_putc(w->out, ',');
        w->need_comma[w->depth] = 1;
        jw_newline(w);
    }
}

static void jw_open(exhv_jw *w, char c)
{
    jw_pre(w);
    exhv_buf_putc(w->out, c);
    if (w->depth + 1 >= EXHV_JW_MAX_DEPTH) {
        /* Deeper than any document the reader accepts: fail the output
         * rather than write commas in the wrong places. */
        w->out->oom = 1;
        return;
    }
    w->depth++;
    w->need_comma[w->depth] = 0;
}

static void jw_close(exhv_jw *w, char c)
{
    int had = w->need_comma[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (had)
        jw_newline(w);
    exhv_buf_putc(w->out, c);
}

void exhv_jw_obj_begin(exhv_jw *w) { jw_open(w, '{'); }
void exhv_jw_obj_end(exhv_jw *w) { jw_close(w, '}'); }
void exhv_jw_arr_begin(exhv_jw *w) { jw_open(w, '['); }
void exhv_jw_arr_end(exhv_jw *w) { jw_close(w, ']'); }

void exhv_json_quote(exhv_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    uint32_t cp;

    exhv_buf_putc(b, '"');
    while (n) {
        size_t run = 0, k;
        while (run < n && (cls[p[run]] & C_OUT))
            run++;
        if (run) {
            exhv_buf_add(b, (const char *)p, run);
            p += run;
            n -= run;
            continue;
        }
        k = exhv_utf8_decode(p, n, &cp);
        if (!k) {
            exhv_buf_puts(b, "\\ufffd");
            p++, n--;
            continue;
        }
        switch (cp) {
        case '"': exhv_buf_puts(b, "\\\""); break;
        case '\\': exhv_buf_puts(b, "\\\\"); break;
        case '\n': exhv_buf_puts(b, "\\n"); break;
        case '\r': exhv_buf_puts(b, "\\r"); break;
        case '\t': exhv_buf_puts(b, "\\t"); break;
        case '\b': exhv_buf_puts(b, "\\b"); break;
        case '\f': exhv_buf_puts(b, "\\f"); break;
        default:
            if (cp < 0x20 || cp == 0x7F) {
                char e[7] = {'\\', 'u', '0', '0', hex[cp >> 4], hex[cp & 15], 0};
                exhv_buf_puts(b, e);
            } else {
                exhv_buf_add(b, (const char *)p, k);
            }
        }
        p += k;
        n -= k;
    }
    exhv_buf_putc(b, '"');
}

void exhv_jw_key(exhv_jw *w, const char *key)
{
    jw_pre(w);
    exhv_json_quote(w->out, key);
    exhv_buf_puts(w->out, w->pretty ? ": " : ":");
    w->after_key = 1;
}

void exhv_jw_str(exhv_jw *w, const char *s)
{
    if (!s) {
        exhv_jw_null(w);
        return;
    }
    jw_pre(w);
    exhv_json_quote(w->out, s);
}

void exhv_jw_int(exhv_jw *w, int64_t v)
{
    jw_pre(w);
    exhv_buf_printf(w->out, "%" PRId64, v);
}

void exhv_jw_uint(exhv_jw *w, uint64_t v)
{
    jw_pre(w);
    exhv_buf_printf(w->out, "%" PRIu64, v);
}

void exhv_jw_bool(exhv_jw *w, int v)
{
    jw_pre(w);
    exhv_buf_puts(w->out, v ? "true" : "false");
}

void exhv_jw_null(exhv_jw *w)
{
    jw_pre(w);
    exhv_buf_puts(w->out, "null");
}

void exhv_jw_kstr(exhv_jw *w, const char *key, const char *s) { exhv_jw_key(w, key); exhv_jw_str(w, s); }
void exhv_jw_kint(exhv_jw *w, const char *key, int64_t v) { exhv_jw_key(w, key); exhv_jw_int(w, v); }
void exhv_jw_kuint(exhv_jw *w, const char *key, uint64_t v) { exhv_jw_key(w, key); exhv_jw_uint(w, v); }
void exhv_jw_kbool(exhv_jw *w, const char *key, int v) { exhv_jw_key(w, key); exhv_jw_bool(w, v); }

void exhv_jw_end(exhv_jw *w)
{
    if (w->pretty)
        exhv_buf_putc(w->out, '\n');
}

void exhv_jw_value(exhv_jw *w, const exhv_json *v)
{
    switch (v->type) {
    case EXHV_JSON_NULL: exhv_jw_null(w); break;
    case EXHV_JSON_BOOL: exhv_jw_bool(w, v->boolean); break;
    case EXHV_JSON_NUMBER:
        if (v->is_int) {
            exhv_jw_int(w, v->inum);
        } else {
            jw_pre(w);
            exhv_buf_printf(w->out, "%.17g", v->num);
        }
        break;
    case EXHV_JSON_STRING: exhv_jw_str(w, v->str); break;
    case EXHV_JSON_ARRAY:
        exhv_jw_arr_begin(w);
        for (size_t i = 0; i < v->count; i++)
            exhv_jw_value(w, &v->items[i]);
        exhv_jw_arr_end(w);
        break;
    case EXHV_JSON_OBJECT:
        exhv_jw_obj_begin(w);
        for (size_t i = 0; i < v->count; i++) {
            exhv_jw_key(w, v->keys[i]);
            exhv_jw_value(w, &v->items[i]);
        }
        exhv_jw_obj_end(w);
        break;
    }
}

/* ================= reader ================= */

typedef struct parser {
    const char *s;     /* s[n] is a NUL: the scans below stop there unasked */
    size_t n, i;
    int depth;
    exhv_error *err;
} parser;

static int perr(parser *p, const char *what)
{
    size_t line = 1, col, end = p->i < p->n ? p->i : p->n;
    const char *from = p->s, *nl;
    /* memchr, not a byte loop: a refused 20 KB scenario is counted in one
     * pass of the C library's scan. */
    while ((nl = memchr(from, '\n', (size_t)(p->s + end - from)))) {
        line++;
        from = nl + 1;
    }
    col = (size_t)(p->s + end - from) + 1;
    return exhv_error_set(p->err, EXHV_E_PARSE, "line %zu, column %zu: %s", line, col,
                          exhv_tr(what));
}


/* The NUL at s[n] is neither white space nor a plain byte, so these scans
 * need no bound of their own (p->i never passes n); the C library's scan
 * takes a run of white space at once. */
static void skip_ws(parser *p)
{
    p->i += strspn(p->s + p->i, " \t\r\n");
}

/* The end of the run of plain string bytes at i: eight at a time while no
 * byte of the word is below 0x20, at or above 0x80, '"' or '\\' (each test
 * exact for "is there such a byte"), then byte by byte. */
static size_t plain_run(const char *s, size_t i, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    while (n - i >= 8) {
        uint64_t x, q, b;
        memcpy(&x, s + i, 8);
        q = x ^ (ones * '"');
        b = x ^ (ones * '\\');
        if ((((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((b - ones) & ~b) | x) & high)
            break;
        i += 8;
    }
    while (cls[(unsigned char)s[i]] & C_PLAIN)
        i++;
    return i;
}

static void json_release(exhv_json *v)
{
    switch (v->type) {
    case EXHV_JSON_STRING:
        free(v->str);
        break;
    case EXHV_JSON_ARRAY:
    case EXHV_JSON_OBJECT:
        for (size_t i = 0; i < v->count; i++) {
            json_release(&v->items[i]);
            if (v->keys)
                free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
        break;
    default:
        break;
    }
    memset(v, 0, sizeof(*v));
}

void exhv_json_free(exhv_json *v)
{
    if (!v)
        return;
    json_release(v);
    free(v);
}

static int hex4(parser *p, uint32_t *out)
{
    uint32_t v = 0;
    if (p->n - p->i < 4)
        return perr(p, "truncated \\u escape");
    for (int k = 0; k < 4; k++) {
        char c = p->s[p->i++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return perr(p, "bad hex digit in \\u escape");
    }
    *out = v;
    return 0;
}

/* Parse a string literal at p->i (at the opening quote) into *out. */
static int parse_string(parser *p, char **out)
{
    exhv_buf b = EXHV_BUF_INIT;
    uint32_t cp, lo;
    char enc[4];

    p->i++; /* opening quote */
    /* Most strings are plain ASCII without escapes: one exact allocation. */
    {
        size_t k = plain_run(p->s, p->i, p->n);
        if (k < p->n && p->s[k] == '"') {
            if (!(*out = exhv_strndup(p->s + p->i, k - p->i)))
                return exhv_error_set(p->err, EXHV_E_NO_MEMORY, "out of memory");
            p->i = k + 1;
            return 0;
        }
    }
    for (;;) {
        if (p->i >= p->n) {
            perr(p, "unterminated string");
            goto fail;
        }
        unsigned char c = (unsigned char)p->s[p->i];
        /* Plain ASCII runs are copied at once: most of a document is. */
        if (cls[c] & C_PLAIN) {
            size_t start = p->i;
            p->i = plain_run(p->s, p->i, p->n);
            exhv_buf_add(&b, p->s + start, p->i - start);
            continue;
        }
        if (c == '"') {
            p->i++;
            break;
        }
        if (c < 0x20) {
            perr(p, "control character in string");
            goto fail;
        }
        if (c != '\\') {
            size_t k = exhv_utf8_decode((const unsigned char *)p->s + p->i, p->n - p->i, &cp);
            if (!k) {
                perr(p, "invalid UTF-8 in string");
                goto fail;
            }
            exhv_buf_add(&b, p->s + p->i, k);
            p->i += k;
            continue;
        }
        p->i++;
        if (p->i >= p->n) {
            perr(p, "unterminated escape");
            goto fail;
        }
        c = (unsigned char)p->s[p->i++];
        switch (c) {
        case '"': exhv_buf_putc(&b, '"'); break;
        case '\\': exhv_buf_putc(&b, '\\'); break;
        case '/': exhv_buf_putc(&b, '/'); break;
        case 'b': exhv_buf_putc(&b, '\b'); break;
        case 'f': exhv_buf_putc(&b, '\f'); break;
        case 'n': exhv_buf_putc(&b, '\n'); break;
        case 'r': exhv_buf_putc(&b, '\r'); break;
        case 't': exhv_buf_putc(&b, '\t'); break;
        case 'u':
            if (hex4(p, &cp) < 0)
                goto fail;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (p->n - p->i < 2 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u') {
                    perr(p, "lone high surrogate");
                    goto fail;
                }
                p->i += 2;
                if (hex4(p, &lo) < 0)
                    goto fail;
                if (lo < 0xDC00 || lo > 0xDFFF) {
                    perr(p, "bad low surrogate");
                    goto fail;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                perr(p, "lone low surrogate");
                goto fail;
            }
            if (cp == 0) {
                perr(p, "\\u0000 is not allowed");
                goto fail;
            }
            exhv_buf_add(&b, enc, exhv_utf8_encode(cp, enc));
            break;
        default:
            p->i--;
            perr(p, "unknown escape");
            goto fail;
        }
    }
    *out = exhv_buf_detach(&b);
    if (!*out)
        return exhv_error_set(p->err, EXHV_E_NO_MEMORY, "out of memory");
    return 0;
fail:
    exhv_buf_release(&b);
    return -1;
}

static int parse_number(parser *p, exhv_json *v)
{
    size_t start = p->i;
    int is_int = 1;
    char tmp[64];

    if (p->s[p->i] == '-')
        p->i++;
    if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
        return perr(p, "bad number");
    if (p->s[p->i] == '0')
        p->i++;
    else
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        is_int = 0;
        p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return perr(p, "bad fraction");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        is_int = 0;
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return perr(p, "bad exponent");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i - start >= sizeof(tmp))
        return perr(p, "number too long");
    memcpy(tmp, p->s + start, p->i - start);
    tmp[p->i - start] = '\0';
    v->type = EXHV_JSON_NUMBER;
    v->num = strtod(tmp, NULL);
    /* 1e999 would become infinity, which JSON cannot write back. */
    if (!isfinite(v->num))
        return perr(p, "number out of range");
    if (is_int) {
        errno = 0;
        long long ll = strtoll(tmp, NULL, 10);
        if (errno == 0) {
            v->is_int = 1;
            v->inum = ll;
        }
    }
    return 0;
}

static int parse_value(parser *p, exhv_json *v);

static int push_item(parser *p, exhv_json *v, char *key)
{
    size_t cap = v->cap;
    if (v->count < cap && (v->type != EXHV_JSON_OBJECT || v->keys)) {
        /* Room already: most members. */
        if (v->type == EXHV_JSON_OBJECT)
            v->keys[v->count] = key;
        memset(&v->items[v->count], 0, sizeof(v->items[0]));
        v->count++;
        return 0;
    }
    if (exhv_grow((void **)&v->items, &v->cap, v->count + 1, sizeof(*v->items)) < 0)
        return exhv_error_set(p->err, EXHV_E_NO_MEMORY, "out of memory");
    if (v->type == EXHV_JSON_OBJECT) {
        /* The names grow with the items, not at every member: a realloc
         * per member made a large object quadratic. */
        if (!v->keys || cap != v->cap) {
            char **k = realloc(v->keys, v->cap * sizeof(*k));
            if (!k) {
                /* The names still hold only the old capacity: say so, and
                 * the next member grows both again. */
                v->cap = cap;
                return exhv_error_set(p->err, EXHV_E_NO_MEMORY, "out of memory");
            }
            v->keys = k;
        }
        v->keys[v->count] = key;
    }
    memset(&v->items[v->count], 0, sizeof(v->items[0]));
    v->count++;
    return 0;
}

static int parse_container(parser *p, exhv_json *v, int object)
{
    if (++p->depth > EXHV_JSON_MAX_DEPTH)
        return perr(p, "nesting too deep");
    v->type = object ? EXHV_JSON_OBJECT : EXHV_JSON_ARRAY;
    p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == (object ? '}' : ']')) {
        p->i++;
        p->depth--;
        return 0;
    }
    /* A bit per (length, first and last byte) class of the names seen: a
     * name whose bit is clear cannot repeat one, and the search for a
     * duplicate is left out. */
    uint64_t seen = 0;
    for (;;) {
        char *key = NULL;
        skip_ws(p);
        if (object) {
            size_t at = p->i, len;
            uint64_t bit;
            if (p->i >= p->n || p->s[p->i] != '"')
                return perr(p, "expected a member name");
            if (parse_string(p, &key) < 0)
                return -1;
            len = strlen(key);
            bit = (uint64_t)1 << ((len * 7 + (unsigned char)key[0] +
                                   3u * (unsigned char)key[len ? len - 1 : 0]) & 63);
            for (size_t k = 0; (seen & bit) && k < v->count; k++)
                if (v->keys[k][0] == key[0] && strcmp(v->keys[k], key) == 0) {
                    char what[160];
                    snprintf(what, sizeof(what), exhv_tr("duplicate member \"%.100s\" (each "
                                                         "name may appear once in an object)"),
                             key);
                    free(key);
                    p->i = at;
                    return perr(p, what);
                }
            seen |= bit;
            skip_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') {
                free(key);
                return perr(p, "expected ':'");
            }
            p->i++;
        }
        if (push_item(p, v, key) < 0) {
            free(key);
            return -1;
        }
        if (parse_value(p, &v->items[v->count - 1]) < 0)
            return -1;
        skip_ws(p);
        if (p->i >= p->n)
            return perr(p, object ? "unterminated object" : "unterminated array");
        if (p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->s[p->i] == (object ? '}' : ']')) {
            p->i++;
            break;
        }
        return perr(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
    p->depth--;
    return 0;
}

static int parse_lit(parser *p, const char *lit)
{
    size_t k = strlen(lit);
    if (p->n - p->i < k || memcmp(p->s + p->i, lit, k) != 0)
        return perr(p, "unexpected character");
    p->i += k;
    return 0;
}

static int parse_value(parser *p, exhv_json *v)
{
    skip_ws(p);
    if (p->i >= p->n)
        return perr(p, "unexpected end of input");
    switch (p->s[p->i]) {
    case '{': return parse_container(p, v, 1);
    case '[': return parse_container(p, v, 0);
    case '"':
        v->type = EXHV_JSON_STRING;
        return parse_string(p, &v->str);
    case 't':
        v->type = EXHV_JSON_BOOL;
        v->boolean = 1;
        return parse_lit(p, "true");
    case 'f':
        v->type = EXHV_JSON_BOOL;
        return parse_lit(p, "false");
    case 'n':
        v->type = EXHV_JSON_NULL;
        return parse_lit(p, "null");
    default:
        if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9'))
            return parse_number(p, v);
        return perr(p, "unexpected character");
    }
}

int exhv_json_parse(const char *text, size_t len, exhv_json **out, exhv_error *err)
{
    /* A copy ending in a NUL, whatever the caller's text ends with. */
    char *copy = len < SIZE_MAX ? malloc(len + 1) : NULL;
    parser p = {copy, len, 0, 0, err};
    exhv_json *v = copy ? calloc(1, sizeof(*v)) : NULL;

    if (!v) {
        free(copy);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    /* A UTF-8 byte order mark is tolerated: editors on Windows write one. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p.i = 3;
    if (parse_value(&p, v) < 0)
        goto fail;
    skip_ws(&p);
    if (p.i != p.n) {
        perr(&p, "trailing characters after the JSON value");
        goto fail;
    }
    free(copy);
    *out = v;
    return 0;
fail:
    free(copy);
    exhv_json_free(v);
    return -1;
}

const exhv_json *exhv_json_get(const exhv_json *obj, const char *key)
{
    if (!obj || obj->type != EXHV_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

const char *exhv_json_get_str(const exhv_json *obj, const char *key)
{
    const exhv_json *v = exhv_json_get(obj, key);
    return v && v->type == EXHV_JSON_STRING ? v->str : NULL;
}

int64_t exhv_json_get_int(const exhv_json *obj, const char *key, int64_t fallback)
{
    const exhv_json *v = exhv_json_get(obj, key);
    return v && v->type == EXHV_JSON_NUMBER && v->is_int ? v->inum : fallback;
}

int exhv_json_get_bool(const exhv_json *obj, const char *key, int fallback)
{
    const exhv_json *v = exhv_json_get(obj, key);
    return v && v->type == EXHV_JSON_BOOL ? v->boolean : fallback;
}

/* ---- editing ---- */

void exhv_json_clear(exhv_json *v)
{
    json_release(v);
}

exhv_json *exhv_json_obj_set(exhv_json *obj, const char *key, exhv_json_type type)
{
    exhv_json *v = NULL;
    char *k;

    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0)
            v = &obj->items[i];
    if (!v) {
        parser p = {0};
        if (!(k = exhv_strdup(key)))
            return NULL;
        if (push_item(&p, obj, k) < 0) {
            free(k);
            return NULL;
        }
        v = &obj->items[obj->count - 1];
    }
    json_release(v);
    v->type = type;
    return v;
}

exhv_json *exhv_json_arr_push(exhv_json *arr, exhv_json_type type)
{
    parser p = {0};
    if (push_item(&p, arr, NULL) < 0)
        return NULL;
    arr->items[arr->count - 1].type = type;
    return &arr->items[arr->count - 1];
}

int exhv_json_set_str(exhv_json *v, const char *s)
{
    char *c = exhv_strdup(s ? s : "");
    if (!c)
        return -1;
    json_release(v);
    v->type = EXHV_JSON_STRING;
    v->str = c;
    return 0;
}

void exhv_json_set_int(exhv_json *v, int64_t i)
{
    json_release(v);
    v->type = EXHV_JSON_NUMBER;
    v->is_int = 1;
    v->inum = i;
    v->num = (double)i;
}

void exhv_json_set_bool(exhv_json *v, int b)
{
    json_release(v);
    v->type = EXHV_JSON_BOOL;
    v->boolean = b != 0;
}

int exhv_json_copy(exhv_json *dst, const exhv_json *src)
{
    json_release(dst);
    switch (src->type) {
    case EXHV_JSON_STRING:
        return exhv_json_set_str(dst, src->str);
    case EXHV_JSON_ARRAY:
    case EXHV_JSON_OBJECT:
        dst->type = src->type;
        for (size_t i = 0; i < src->count; i++) {
            exhv_json *c = src->type == EXHV_JSON_OBJECT
                               ? exhv_json_obj_set(dst, src->keys[i], EXHV_JSON_NULL)
                               : exhv_json_arr_push(dst, EXHV_JSON_NULL);
            if (!c || exhv_json_copy(c, &src->items[i]) < 0)
                return -1;
        }
        return 0;
    default:
        *dst = *src;
        dst->items = NULL;
        dst->keys = NULL;
        dst->count = dst->cap = 0;
        return 0;
    }
}

static void remove_at(exhv_json *v, size_t i)
{
    json_release(&v->items[i]);
    memmove(&v->items[i], &v->items[i + 1], (v->count - i - 1) * sizeof(v->items[0]));
    if (v->keys) {
        free(v->keys[i]);
        memmove(&v->keys[i], &v->keys[i + 1], (v->count - i - 1) * sizeof(v->keys[0]));
    }
    v->count--;
}

void exhv_json_obj_remove(exhv_json *obj, const char *key)
{
    if (!obj || obj->type != EXHV_JSON_OBJECT)
        return;
    for (size_t i = 0; i < obj->count; i++)
        if (strcmp(obj->keys[i], key) == 0) {
            remove_at(obj, i);
            return;
        }
}

void exhv_json_arr_remove(exhv_json *arr, size_t index)
{
    if (arr && arr->type == EXHV_JSON_ARRAY && index < arr->count)
        remove_at(arr, index);
}
