#include "inf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

typedef struct inf_line {
    char *key;
    char **fields;
    size_t nfields;
} inf_line;

typedef struct inf_section {
    char *name;
    inf_line *lines;
    size_t nlines, cap;
} inf_section;

/* A hash index of names compared without regard to ASCII case: each slot
 * holds an item's index + 1, or 0. */
typedef struct ci_index {
    size_t *slots;
    size_t cap, count;      /* cap: a power of two, at least twice count */
} ci_index;

struct exhv_inf {
    inf_section *sections;
    size_t nsections, cap;
    ci_index by_name;       /* sections by name */
    long strings_locale;    /* [Strings.<locale>], or -1 */
    long strings;           /* [Strings], or -1 */
    ci_index str_locale, str;   /* their keys: the line that defines each last */
    long version;
    char *driver_date, *driver_version;
};

/* ---- decoding to UTF-8 ---- */

/* Code point c as UTF-8 at d (room for 4 bytes); its length. */
static size_t utf8_put(char *d, uint32_t c)
{
    if (c == 0)
        c = ' ';   /* a NUL inside the text would end the strings early */
    if (c < 0x80) {
        d[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        d[0] = (char)(0xC0 | (c >> 6));
        d[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        d[0] = (char)(0xE0 | (c >> 12));
        d[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        d[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (c >> 18));
    d[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    d[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), 0 if invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    uint32_t c;
    size_t len;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2, c = p[0] & 0x1F;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3, c = p[0] & 0x0F;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4, c = p[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)))
        return 0;
    return len;
}

static int decode(const unsigned char *p, size_t n, exhv_buf *out)
{
    int utf16 = 0;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        utf16 = 1;
        p += 2, n -= 2;
    } else if (n >= 4 && p[0] != 0 && p[1] == 0 && p[2] != 0 && p[3] == 0) {
        /* UTF-16LE without a byte order mark: ASCII text with every other
         * byte zero. */
        utf16 = 1;
    }
    if (utf16) {
        /* Each code unit becomes at most three bytes, a pair four: room for
         * all of it first, then the bytes are written in place. */
        if (exhv_buf_reserve(out, n / 2 * 3 + 4) < 0)
            return -1;
        for (size_t i = 0; i + 1 < n; i += 2) {
            uint32_t c = (uint32_t)p[i] | ((uint32_t)p[i + 1] << 8);
            if (c >= 0xD800 && c <= 0xDBFF && i + 3 < n) {
                uint32_t lo = (uint32_t)p[i + 2] | ((uint32_t)p[i + 3] << 8);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                } else {
                    c = 0xFFFD;
                }
            } else if (c >= 0xD800 && c <= 0xDFFF) {
                c = 0xFFFD;
            }
            out->len += utf8_put(out->data + out->len, c);
        }
        out->data[out->len] = '\0';
        return 0;
    }
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        p += 3, n -= 3;
    /* Valid UTF-8 is kept; anything else is an ANSI file, read as Latin-1
     * (what Windows-1252 agrees with outside 0x80..0x9F). */
    for (size_t i = 0; i < n;) {
        size_t k;
        uint64_t x;
        /* Eight ASCII bytes at a time. */
        if (n - i >= 8 && (memcpy(&x, p + i, 8), !(x & 0x8080808080808080ull))) {
            i += 8;
            continue;
        }
        if ((k = utf8_seq(p + i, n - i)) == 0) {
            exhv_buf_reset(out);
            if (exhv_buf_reserve(out, 2 * n) < 0)
                return -1;
            for (size_t j = 0; j < n; j++)
                out->len += utf8_put(out->data + out->len, p[j]);
            out->data[out->len] = '\0';
            return 0;
        }
        i += k;
    }
    /* At once, then each NUL made a blank (a NUL would end the strings). */
    {
        size_t from = out->len;
        exhv_buf_add(out, (const char *)p, n);
        if (!exhv_buf_ok(out))
            return -1;
        for (char *z = n ? memchr(out->data + from, '\0', n) : NULL; z;
             z = memchr(z + 1, '\0', out->len - (size_t)(z + 1 - out->data)))
            *z = ' ';
    }
    return 0;
}

/* ---- sections and lines ---- */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* FNV-1a of the first n bytes of s, case folded as exhv_strcaseeq folds. */
static size_t ci_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint64_t)lower((unsigned char)s[i])) * 0x100000001b3ull;
    return (size_t)h;
}

/* The slot of the name s (n bytes) in the index: its item's, or the empty
 * one where it would go. name_of gives item i's name. */
static size_t ci_slot(const ci_index *x, const char *s, size_t n,
                      const char *(*name_of)(const void *ctx, size_t i), const void *ctx)
{
    size_t m = x->cap - 1, k = ci_hash(s, n) & m;
    for (;; k = (k + 1) & m) {
        const char *name;
        if (!x->slots[k])
            return k;
        name = name_of(ctx, x->slots[k] - 1);
        if (strlen(name) == n && exhv_starts_with_ci(name, s))
            return k;
    }
}

/* Item i, named s, into the index (not there yet). 0, or -1 out of memory. */
static int ci_add(ci_index *x, size_t i, const char *(*name_of)(const void *ctx, size_t i),
                  const void *ctx)
{
    if (2 * (x->count + 1) > x->cap) {
        ci_index y = {NULL, x->cap ? 2 * x->cap : 16, 0};
        if (!(y.slots = calloc(y.cap, sizeof(size_t))))
            return -1;
        for (size_t k = 0; k < x->cap; k++)
            if (x->slots[k]) {
                const char *name = name_of(ctx, x->slots[k] - 1);
                y.slots[ci_slot(&y, name, strlen(name), name_of, ctx)] = x->slots[k];
                y.count++;
            }
        free(x->slots);
        *x = y;
    }
    {
        const char *name = name_of(ctx, i);
        x->slots[ci_slot(x, name, strlen(name), name_of, ctx)] = i + 1;
    }
    x->count++;
    return 0;
}

/* Item index of the name s (n bytes), or -1. */
static long ci_find(const ci_index *x, const char *s, size_t n,
                    const char *(*name_of)(const void *ctx, size_t i), const void *ctx)
{
    size_t k;
    if (!x->cap)
        return -1;
    k = ci_slot(x, s, n, name_of, ctx);
    return x->slots[k] ? (long)(x->slots[k] - 1) : -1;
}

static const char *section_name(const void *ctx, size_t i)
{
    return ((const exhv_inf *)ctx)->sections[i].name;
}

static long section_lookup(const exhv_inf *inf, const char *name)
{
    return ci_find(&inf->by_name, name, strlen(name), section_name, inf);
}

/* The section named name, made when it is new: sections of the same name
 * (without regard to case) are one. */
static long section_open(exhv_inf *inf, const char *name)
{
    long i = section_lookup(inf, name);
    if (i >= 0)
        return i;
    if (exhv_grow((void **)&inf->sections, &inf->cap, inf->nsections + 1, sizeof(inf_section)) < 0)
        return -1;
    inf_section *s = &inf->sections[inf->nsections];
    memset(s, 0, sizeof(*s));
    if (!(s->name = exhv_strdup(name)))
        return -1;
    if (ci_add(&inf->by_name, inf->nsections, section_name, inf) < 0) {
        free(s->name);
        return -1;
    }
    return (long)inf->nsections++;
}

static void line_release(inf_line *l)
{
    free(l->key);
    exhv_strv_free(l->fields, l->nfields);
}

void exhv_inf_free(exhv_inf *inf)
{
    if (!inf)
        return;
    for (size_t i = 0; i < inf->nsections; i++) {
        for (size_t j = 0; j < inf->sections[i].nlines; j++)
            line_release(&inf->sections[i].lines[j]);
        free(inf->sections[i].lines);
        free(inf->sections[i].name);
    }
    free(inf->sections);
    free(inf->by_name.slots);
    free(inf->str_locale.slots);
    free(inf->str.slots);
    free(inf->driver_date);
    free(inf->driver_version);
    free(inf);
}

/* A field being read: unquoted trailing blanks are dropped, quoted ones kept. */
typedef struct field {
    exhv_buf b;
    size_t keep;     /* length up to the last quoted or non-blank character */
    int any;         /* anything was written, even "" */
    int last_bs;     /* the last kept character is an unquoted backslash */
} field;

static void field_putc(field *f, char c, int quoted)
{
    if (!quoted && f->b.len == 0 && (c == ' ' || c == '\t'))
        return;
    exhv_buf_putc(&f->b, c);
    if (quoted || (c != ' ' && c != '\t')) {
        f->keep = f->b.len;
        f->last_bs = !quoted && c == '\\';
    }
    f->any = 1;
}

static char *field_take(field *f)
{
    char *s;
    if (f->b.oom)
        return NULL;
    s = exhv_strndup(f->b.data ? f->b.data : "", f->keep);
    exhv_buf_reset(&f->b);
    f->keep = 0;
    f->any = 0;
    f->last_bs = 0;
    return s;
}

static int is_strings_section(const char *name)
{
    return exhv_strcaseeq(name, "Strings") || exhv_starts_with_ci(name, "Strings.");
}

/* Read the logical line starting at *pp (continuations joined, comment
 * dropped) into key and fields. Returns 1 for a line, 0 for a blank one, -1
 * out of memory. */
static int read_line(const char **pp, int no_split, inf_line *out, int *header, exhv_buf *hname)
{
    const char *p = *pp;
    field cur = {EXHV_BUF_INIT, 0, 0, 0};
    char **fields = NULL;
    size_t nf = 0, cap = 0;
    char *key = NULL;
    int quoted = 0, have_key = 0, rc = -1, started = 0;

    *header = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == '[') {
        /* A section header: the name up to ']', the rest of the line ignored. */
        p++;
        exhv_buf_reset(hname);
        while (*p && *p != ']' && *p != '\n' && *p != '\r')
            exhv_buf_putc(hname, *p++);
        while (*p && *p != '\n')
            p++;
        if (*p)
            p++;
        *pp = p;
        /* trim */
        while (hname->len && (hname->data[hname->len - 1] == ' ' || hname->data[hname->len - 1] == '\t'))
            hname->data[--hname->len] = '\0';
        {
            size_t s = 0;
            while (s < hname->len && (hname->data[s] == ' ' || hname->data[s] == '\t'))
                s++;
            if (s)
                memmove(hname->data, hname->data + s, hname->len - s + 1), hname->len -= s;
        }
        *header = 1;
        exhv_buf_release(&cur.b);
        return exhv_buf_ok(hname) ? 1 : -1;
    }
    for (;;) {
        char c = *p;
        if (!c || c == '\n' || (c == '\r' && p[1] == '\n') || (c == ';' && !quoted)) {
            if (c == ';')
                while (*p && *p != '\n')
                    p++;
            /* A backslash ending the line (outside quotes) joins the next one. */
            if (!quoted && cur.last_bs) {
                cur.b.len = cur.keep - 1;
                while (cur.b.len && (cur.b.data[cur.b.len - 1] == ' ' || cur.b.data[cur.b.len - 1] == '\t'))
                    cur.b.len--;
                cur.b.data[cur.b.len] = '\0';
                cur.keep = cur.b.len;
                cur.last_bs = 0;
                if (*p == '\r')
                    p++;
                if (*p == '\n') {
                    p++;
                    continue;
                }
            }
            break;
        }
        p++;
        started = 1;
        if (c == '"') {
            if (quoted && *p == '"') {
                field_putc(&cur, '"', 1);
                p++;
            } else {
                quoted = !quoted;
                cur.any = 1;
                cur.keep = cur.b.len;
            }
            continue;
        }
        if (!quoted && c == '=' && !have_key) {
            have_key = 1;
            if (!(key = field_take(&cur)))
                goto out;
            continue;
        }
        if (!quoted && c == ',' && !no_split) {
            if (exhv_grow((void **)&fields, &cap, nf + 1, sizeof(char *)) < 0)
                goto out;
            if (!(fields[nf] = field_take(&cur)))
                goto out;
            nf++;
            continue;
        }
        if (c == '\r' && !quoted)
            continue;
        field_putc(&cur, c, quoted);
        /* The bytes that follow and mean nothing here, at once: inside
         * quotes all but '"' and line ends; outside, all but those, blanks
         * and the separators. Each ends a run as field_putc would leave
         * it. */
        if (c != ' ' && c != '\t') {
            size_t run = strcspn(p, quoted ? "\"\r\n" : "\"\r\n;=, \t");
            if (run) {
                exhv_buf_add(&cur.b, p, run);
                cur.keep = cur.b.len;
                cur.last_bs = !quoted && p[run - 1] == '\\';
                p += run;
            }
        }
    }
    if (*p == '\r')
        p++;
    if (*p == '\n')
        p++;
    *pp = p;
    if (!started || (!have_key && nf == 0 && cur.keep == 0 && !cur.any)) {
        rc = 0;
        goto out;
    }
    if (exhv_grow((void **)&fields, &cap, nf + 1, sizeof(char *)) < 0)
        goto out;
    if (!(fields[nf] = field_take(&cur)))
        goto out;
    nf++;
    out->key = key;
    out->fields = fields;
    out->nfields = nf;
    key = NULL;
    fields = NULL;
    nf = 0;
    rc = 1;
out:
    if (rc < 0)
        *pp = p + strlen(p);
    free(key);
    exhv_strv_free(fields, nf);
    exhv_buf_release(&cur.b);
    return rc;
}

/* The key of line i of a strings section (NULL-keyed lines are not in its
 * index). */
typedef struct str_ctx {
    const inf_section *sec;
} str_ctx;

static const char *line_key(const void *ctx, size_t i)
{
    return ((const str_ctx *)ctx)->sec->lines[i].key;
}

/* Index a strings section's keys: each key to the last line that defines
 * it, as a later line overrides. */
static int index_strings(const exhv_inf *inf, long sec, ci_index *x)
{
    str_ctx c;
    if (sec < 0)
        return 0;
    c.sec = &inf->sections[sec];
    for (size_t i = 0; i < c.sec->nlines; i++) {
        const inf_line *l = &c.sec->lines[i];
        size_t k;
        if (!l->key || !l->nfields)
            continue;
        if (x->cap && x->slots[k = ci_slot(x, l->key, strlen(l->key), line_key, &c)]) {
            x->slots[k] = i + 1;
            continue;
        }
        if (ci_add(x, i, line_key, &c) < 0)
            return -1;
    }
    return 0;
}

static const char *string_value(const exhv_inf *inf, const char *key, size_t klen)
{
    long secs[2] = {inf->strings_locale, inf->strings};
    const ci_index *idx[2] = {&inf->str_locale, &inf->str};
    for (int s = 0; s < 2; s++) {
        str_ctx c;
        long i;
        if (secs[s] < 0)
            continue;
        c.sec = &inf->sections[secs[s]];
        if ((i = ci_find(idx[s], key, klen, line_key, &c)) >= 0)
            return c.sec->lines[i].fields[0];
    }
    return NULL;
}

/* %strkey% -> its string; %% -> %; an unknown key stays as written (DIRIDs
 * such as %13% are not strings). NULL out of memory. */
static char *substitute(const exhv_inf *inf, const char *s)
{
    exhv_buf b = EXHV_BUF_INIT;
    if (!strchr(s, '%'))
        return exhv_strdup(s);
    while (*s) {
        const char *e;
        if (*s != '%') {
            size_t run = strcspn(s, "%");
            exhv_buf_add(&b, s, run);
            s += run;
            continue;
        }
        if (s[1] == '%') {
            exhv_buf_putc(&b, '%');
            s += 2;
            continue;
        }
        e = strchr(s + 1, '%');
        if (!e) {
            exhv_buf_puts(&b, s);
            break;
        }
        {
            char *k = exhv_strndup(s + 1, (size_t)(e - s - 1));
            const char *v = k ? string_value(inf, k, strlen(k)) : NULL;
            if (v)
                exhv_buf_puts(&b, v);
            else
                exhv_buf_add(&b, s, (size_t)(e - s + 1));
            free(k);
        }
        s = e + 1;
    }
    if (!b.data)
        return exhv_strdup("");
    return exhv_buf_detach(&b);
}

static int substitute_all(exhv_inf *inf)
{
    for (size_t i = 0; i < inf->nsections; i++) {
        if (is_strings_section(inf->sections[i].name))
            continue;
        for (size_t j = 0; j < inf->sections[i].nlines; j++) {
            inf_line *l = &inf->sections[i].lines[j];
            char *n;
            if (l->key) {
                if (!(n = substitute(inf, l->key)))
                    return -1;
                free(l->key);
                l->key = n;
            }
            for (size_t f = 0; f < l->nfields; f++) {
                if (!(n = substitute(inf, l->fields[f])))
                    return -1;
                free(l->fields[f]);
                l->fields[f] = n;
            }
        }
    }
    return 0;
}

int exhv_inf_parse(const void *data, size_t len, const char *locale, exhv_inf **out,
                   exhv_error *err)
{
    exhv_buf text = EXHV_BUF_INIT, hname = EXHV_BUF_INIT;
    exhv_inf *inf = NULL;
    const char *p;
    long cur = -1;
    int no_split = 0;

    if (len > EXHV_INF_MAX_BYTES)
        return exhv_error_set(err, EXHV_E_PARSE, "the INF file is larger than %u bytes",
                              EXHV_INF_MAX_BYTES);
    if (!(inf = calloc(1, sizeof(*inf))))
        goto oom;
    if (decode(data, len, &text) < 0)
        goto oom;
    p = exhv_buf_str(&text);
    while (*p) {
        inf_line line = {NULL, NULL, 0};
        int header;
        int r = read_line(&p, no_split, &line, &header, &hname);
        if (r < 0)
            goto oom;
        if (r == 0)
            continue;
        if (header) {
            if ((cur = section_open(inf, exhv_buf_str(&hname))) < 0)
                goto oom;
            no_split = is_strings_section(inf->sections[cur].name);
            continue;
        }
        if (cur < 0) {
            /* Text before the first section means nothing to SetupAPI. */
            line_release(&line);
            continue;
        }
        inf_section *s = &inf->sections[cur];
        if (exhv_grow((void **)&s->lines, &s->cap, s->nlines + 1, sizeof(inf_line)) < 0) {
            line_release(&line);
            goto oom;
        }
        s->lines[s->nlines++] = line;
    }
    inf->strings = section_lookup(inf, "Strings");
    inf->strings_locale = -1;
    if (locale && *locale) {
        char name[64];
        size_t n = strlen(locale);
        if (n < sizeof(name) - 9) {
            memcpy(name, "Strings.", 8);
            memcpy(name + 8, locale, n + 1);
            inf->strings_locale = section_lookup(inf, name);
        }
    }
    if (index_strings(inf, inf->strings_locale, &inf->str_locale) < 0 ||
        index_strings(inf, inf->strings, &inf->str) < 0 || substitute_all(inf) < 0)
        goto oom;
    inf->version = section_lookup(inf, "Version");
    {
        long v = inf->version;
        if (v >= 0)
            for (size_t i = 0; i < inf->sections[v].nlines; i++) {
                const inf_line *l = &inf->sections[v].lines[i];
                if (l->key && exhv_strcaseeq(l->key, "DriverVer")) {
                    free(inf->driver_date);
                    free(inf->driver_version);
                    inf->driver_date = inf->driver_version = NULL;
                    if (l->nfields > 0 && l->fields[0][0] &&
                        !(inf->driver_date = exhv_strdup(l->fields[0])))
                        goto oom;
                    if (l->nfields > 1 && l->fields[1][0] &&
                        !(inf->driver_version = exhv_strdup(l->fields[1])))
                        goto oom;
                }
            }
    }
    exhv_buf_release(&text);
    exhv_buf_release(&hname);
    *out = inf;
    return 0;
oom:
    exhv_buf_release(&text);
    exhv_buf_release(&hname);
    exhv_inf_free(inf);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory reading the INF file");
}

long exhv_inf_section_find(const exhv_inf *inf, const char *name)
{
    return section_lookup(inf, name);
}

size_t exhv_inf_section_lines(const exhv_inf *inf, long s)
{
    return s < 0 || (size_t)s >= inf->nsections ? 0 : inf->sections[s].nlines;
}

const char *exhv_inf_line_key(const exhv_inf *inf, long s, size_t i)
{
    return i < exhv_inf_section_lines(inf, s) ? inf->sections[s].lines[i].key : NULL;
}

size_t exhv_inf_line_nfields(const exhv_inf *inf, long s, size_t i)
{
    return i < exhv_inf_section_lines(inf, s) ? inf->sections[s].lines[i].nfields : 0;
}

const char *exhv_inf_line_field(const exhv_inf *inf, long s, size_t i, size_t f)
{
    if (i >= exhv_inf_section_lines(inf, s) || f >= inf->sections[s].lines[i].nfields)
        return NULL;
    return inf->sections[s].lines[i].fields[f];
}

const char *exhv_inf_version(const exhv_inf *inf, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < exhv_inf_section_lines(inf, inf->version); i++) {
        const inf_line *l = &inf->sections[inf->version].lines[i];
        if (l->key && exhv_strcaseeq(l->key, key) && l->nfields)
            v = l->fields[0];
    }
    return v;
}

const char *exhv_inf_driver_date(const exhv_inf *inf)
{
    return inf->driver_date;
}

const char *exhv_inf_driver_version(const exhv_inf *inf)
{
    return inf->driver_version;
}

/* ---- models ---- */

/* A TargetOSVersion decoration: nt[Architecture][.[OSMajor][.[OSMinor][.[
 * ProductType][.[SuiteMask][.[BuildNumber]]]]]] (MSD
 * install/inf-manufacturer-section.md). */
typedef struct decoration {
    char arch[16];         /* "" for plain NT */
    unsigned major, minor, build;
    int ok;
} decoration;

static unsigned parse_uint(const char *s, size_t n)
{
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (unsigned long)(s[i] - '0');
        if (v > 0xFFFFFFFFul)
            return 0;
    }
    return (unsigned)v;
}

static decoration parse_decoration(const char *s)
{
    decoration d;
    const char *p = s, *dot;
    size_t n;
    int part = 0;

    memset(&d, 0, sizeof(d));
    if (!exhv_starts_with_ci(s, "nt"))
        return d;
    p += 2;
    dot = strchr(p, '.');
    n = dot ? (size_t)(dot - p) : strlen(p);
    if (n >= sizeof(d.arch))
        return d;
    for (size_t i = 0; i < n; i++)
        d.arch[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
    d.arch[n] = '\0';
    if (d.arch[0] && strcmp(d.arch, "x86") && strcmp(d.arch, "amd64") && strcmp(d.arch, "ia64") &&
        strcmp(d.arch, "arm") && strcmp(d.arch, "arm64"))
        return d;
    p += n;
    while (*p == '.') {
        p++;
        dot = strchr(p, '.');
        n = dot ? (size_t)(dot - p) : strlen(p);
        part++;
        if (part == 1)
            d.major = parse_uint(p, n);
        else if (part == 2)
            d.minor = parse_uint(p, n);
        else if (part == 5)
            d.build = parse_uint(p, n);
        p += n;
    }
    d.ok = 1;
    return d;
}

/* Whether a decoration applies to target, and how well: a higher version
 * is a closer match; an architecture named beats plain NT. */
static int decoration_fits(const decoration *d, const exhv_inf_target *t)
{
    const char *arch = t && t->arch ? t->arch : "amd64";
    unsigned tmaj = t ? t->major : 0, tmin = t ? t->minor : 0, tbuild = t ? t->build : 0;
    if (!d->ok || (d->arch[0] && !exhv_strcaseeq(d->arch, arch)))
        return 0;
    if (tmaj) {
        if (d->major > tmaj || (d->major == tmaj && d->minor > tmin))
            return 0;
        /* The build counts only when major.minor are the target's. */
        if (tbuild && d->major == tmaj && d->minor == tmin && d->build > tbuild)
            return 0;
    }
    return 1;
}

static int decoration_better(const decoration *a, const decoration *b)
{
    if (a->major != b->major)
        return a->major > b->major;
    if (a->minor != b->minor)
        return a->minor > b->minor;
    if (a->build != b->build)
        return a->build > b->build;
    return a->arch[0] && !b->arch[0];
}

void exhv_inf_models_free(exhv_inf_model *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++) {
        free(m[i].manufacturer);
        free(m[i].models_section);
        free(m[i].description);
        free(m[i].install_section);
        exhv_strv_free(m[i].ids, m[i].nids);
    }
    free(m);
}

/* The models section a [Manufacturer] line chooses for target: -1 for
 * none, -2 out of memory. */
static long models_section(const exhv_inf *inf, const inf_line *l, const exhv_inf_target *target,
                           exhv_buf *name)
{
    const char *base = l->fields[0];
    long chosen = -1;
    decoration best;
    int have = 0;

    if (!base[0])
        return -1;
    memset(&best, 0, sizeof(best));
    for (size_t f = 1; f < l->nfields; f++) {
        decoration d = parse_decoration(l->fields[f]);
        if (!decoration_fits(&d, target) || (have && !decoration_better(&d, &best)))
            continue;
        exhv_buf_reset(name);
        exhv_buf_printf(name, "%s.%s", base, l->fields[f]);
        if (!exhv_buf_ok(name))
            return -2;
        best = d;
        have = 1;
        chosen = section_lookup(inf, exhv_buf_str(name));
        /* A decoration named but without its section is not a match. */
        if (chosen < 0)
            have = 0;
    }
    /* No decorated section fits: the undecorated one, if any. An empty
     * decorated section excludes the OS: nothing from this maker. */
    if (!have)
        chosen = section_lookup(inf, base);
    return chosen;
}

/* Is this line of a models section a device? */
static int model_line(const inf_line *ml)
{
    return ml->key && ml->nfields >= 2 && ml->fields[0][0];
}

int exhv_inf_models(const exhv_inf *inf, const exhv_inf_target *target, exhv_inf_model **out,
                    size_t *nout, exhv_error *err)
{
    long man = section_lookup(inf, "Manufacturer");
    exhv_inf_model *m = NULL;
    size_t n = 0, cap = 0;
    exhv_buf name = EXHV_BUF_INIT;

    for (size_t i = 0; i < exhv_inf_section_lines(inf, man); i++) {
        const inf_line *l = &inf->sections[man].lines[i];
        const char *base = l->fields[0];
        long chosen = models_section(inf, l, target, &name);
        if (chosen == -2)
            goto oom;
        if (chosen < 0)
            continue;
        for (size_t j = 0; j < inf->sections[chosen].nlines; j++) {
            const inf_line *ml = &inf->sections[chosen].lines[j];
            exhv_inf_model *e;
            if (!model_line(ml))
                continue;
            if (exhv_grow((void **)&m, &cap, n + 1, sizeof(*m)) < 0)
                goto oom;
            e = &m[n];
            memset(e, 0, sizeof(*e));
            n++;
            if (!(e->manufacturer = exhv_strdup(l->key ? l->key : base)) ||
                !(e->models_section = exhv_strdup(inf->sections[chosen].name)) ||
                !(e->description = exhv_strdup(ml->key)) ||
                !(e->install_section = exhv_strdup(ml->fields[0])) ||
                !(e->ids = calloc(ml->nfields, sizeof(char *))))
                goto oom;
            for (size_t f = 1; f < ml->nfields; f++) {
                if (!ml->fields[f][0])
                    continue;
                if (!(e->ids[e->nids] = exhv_strdup(ml->fields[f])))
                    goto oom;
                e->nids++;
            }
        }
    }
    exhv_buf_release(&name);
    *out = m;
    *nout = n;
    return 0;
oom:
    exhv_buf_release(&name);
    exhv_inf_models_free(m, n);
    return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory reading the INF's models");
}

/* ---- install sections ---- */

void exhv_inf_install_release(exhv_inf_install *in)
{
    if (!in)
        return;
    free(in->hwid);
    free(in->description);
    free(in->section);
    exhv_strv_free(in->copy_inf, in->ncopy_inf);
    exhv_strv_free(in->copy_files, in->ncopy_files);
    exhv_strv_free(in->add_reg, in->nadd_reg);
    for (size_t i = 0; i < in->nctv; i++) {
        free(in->ctv[i].name);
        free(in->ctv[i].src);
        free(in->ctv[i].dst);
    }
    free(in->ctv);
    memset(in, 0, sizeof(*in));
}

static int strv_add(char ***v, size_t *n, const char *s, int unique)
{
    size_t cap = *n;
    if (unique)
        for (size_t i = 0; i < *n; i++)
            if (exhv_strcaseeq((*v)[i], s))
                return 0;
    if (exhv_grow((void **)v, &cap, *n + 1, sizeof(char *)) < 0)
        return -1;
    if (!((*v)[*n] = exhv_strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

/* The AddReg flags (MSD install/inf-addreg-directive.md). */
#define FLG_ADDREG_BINVALUETYPE 0x00000001u
#define FLG_ADDREG_NOCLOBBER 0x00000002u
#define FLG_ADDREG_DELVAL 0x00000004u
#define FLG_ADDREG_APPEND 0x00000008u
#define FLG_ADDREG_KEYONLY 0x00000010u
#define FLG_ADDREG_TYPE_MULTI_SZ 0x00010000u
#define FLG_ADDREG_TYPE_MASK 0xFFFF0001u

static int parse_flags(const char *s, unsigned long *out)
{
    unsigned long v = 0;
    int base = 10;
    if (!s || !*s) {
        *out = 0;
        return 0;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    if (!*s)
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        v = v * (unsigned long)base + (unsigned long)d;
        if (v > 0xFFFFFFFFul)
            return -1;
    }
    *out = v;
    return 0;
}

/* A registry value under HKR\CopyToVm*, as AddReg lines build it. */
typedef struct ctv_value {
    char *subkey;      /* as first written */
    char *name;
    char **strings;
    size_t nstrings;
    int multi;
} ctv_value;

static int ctv_subkey(const char *k, int *when_newer, int *wow64)
{
    static const struct {
        const char *name;
        int when_newer, wow64;
    } keys[] = {{"CopyToVmOverwrite", 0, 0},
                {"CopyToVmWhenNewer", 1, 0},
                {"CopyToVmOverwriteWow64", 0, 1},
                {"CopyToVmWhenNewerWow64", 1, 1}};
    /* A leading backslash names the same subkey of HKR. */
    while (*k == '\\')
        k++;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (exhv_strcaseeq(k, keys[i].name)) {
            *when_newer = keys[i].when_newer;
            *wow64 = keys[i].wow64;
            return 1;
        }
    return 0;
}

static void value_clear(ctv_value *v)
{
    exhv_strv_free(v->strings, v->nstrings);
    v->strings = NULL;
    v->nstrings = 0;
}

/* Apply one AddReg line to the CopyToVm values. */
static int apply_addreg(const inf_line *l, ctv_value **vals, size_t *nvals, size_t *cap)
{
    unsigned long flags;
    int wn = 0, w64 = 0;
    const char *sub, *name;
    ctv_value *v = NULL;

    if (l->key || l->nfields < 3 || !exhv_strcaseeq(l->fields[0], "HKR"))
        return 0;
    sub = l->fields[1];
    name = l->fields[2];
    if (!ctv_subkey(sub, &wn, &w64) || !name[0])
        return 0;
    if (parse_flags(l->nfields > 3 ? l->fields[3] : NULL, &flags) < 0)
        return 0;   /* SetupAPI rejects the line: no value */
    if (flags & FLG_ADDREG_KEYONLY)
        return 0;
    for (size_t i = 0; i < *nvals; i++) {
        int a = 0, b = 0;
        ctv_subkey((*vals)[i].subkey, &a, &b);
        if (a == wn && b == w64 && exhv_strcaseeq((*vals)[i].name, name)) {
            v = &(*vals)[i];
            break;
        }
    }
    if (flags & FLG_ADDREG_DELVAL) {
        if (v)
            value_clear(v), v->multi = -1;
        return 0;
    }
    if (v && v->multi >= 0 && (flags & FLG_ADDREG_NOCLOBBER) && !(flags & FLG_ADDREG_APPEND))
        return 0;
    if (!v) {
        if (exhv_grow((void **)vals, cap, *nvals + 1, sizeof(ctv_value)) < 0)
            return -1;
        v = &(*vals)[*nvals];
        memset(v, 0, sizeof(*v));
        (*nvals)++;
        if (!(v->subkey = exhv_strdup(sub)) || !(v->name = exhv_strdup(name)))
            return -1;
        v->multi = -1;
    }
    if ((flags & FLG_ADDREG_APPEND) && (flags & FLG_ADDREG_TYPE_MASK) == FLG_ADDREG_TYPE_MULTI_SZ) {
        /* FLG_ADDREG_APPEND: each string is added to the MULTI_SZ unless it
         * is already there; a missing value starts empty. */
        if (v->multi < 0)
            v->multi = 1;
        for (size_t f = 4; f < l->nfields; f++) {
            int dup = 0;
            for (size_t k = 0; k < v->nstrings; k++)
                if (exhv_strcaseeq(v->strings[k], l->fields[f]))
                    dup = 1;
            if (!dup && l->fields[f][0] && strv_add(&v->strings, &v->nstrings, l->fields[f], 0) < 0)
                return -1;
        }
        return 0;
    }
    value_clear(v);
    if ((flags & FLG_ADDREG_TYPE_MASK) == FLG_ADDREG_TYPE_MULTI_SZ) {
        v->multi = 1;
        for (size_t f = 4; f < l->nfields; f++)
            if (l->fields[f][0] && strv_add(&v->strings, &v->nstrings, l->fields[f], 0) < 0)
                return -1;
    } else if ((flags & FLG_ADDREG_TYPE_MASK) == 0 || (flags & FLG_ADDREG_TYPE_MASK) == 0x00020000u) {
        v->multi = 0;
        if (strv_add(&v->strings, &v->nstrings, l->nfields > 4 ? l->fields[4] : "", 0) < 0)
            return -1;
    } else {
        /* A binary or DWORD value is no file list: the value is not one the
         * guest can use. */
        v->multi = -1;
    }
    return 0;
}

static const char *base_name(const char *p)
{
    const char *b = p;
    for (; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

static long ddinstall_section(const exhv_inf *inf, const char *name, const exhv_inf_target *t)
{
    /* section.ntamd64, else section.nt, else undecorated (MSD
     * install/inf-file-platform-extensions-and-x64-based-systems.md). */
    char buf[512];
    const char *arch = t && t->arch ? t->arch : "amd64";
    long s;
    if (strlen(name) + strlen(arch) + 4 >= sizeof(buf))
        return -1;
    memcpy(buf, name, strlen(name) + 1);
    strcat(buf, ".nt");
    strcat(buf, arch);
    if ((s = section_lookup(inf, buf)) >= 0)
        return s;
    buf[strlen(name) + 3] = '\0';
    if ((s = section_lookup(inf, buf)) >= 0)
        return s;
    return section_lookup(inf, name);
}

static int split_list(const inf_line *l, char ***v, size_t *n, int unique)
{
    for (size_t f = 0; f < l->nfields; f++)
        if (l->fields[f][0] && strv_add(v, n, l->fields[f], unique) < 0)
            return -1;
    return 0;
}

static int read_install(const exhv_inf *inf, long sec, exhv_inf_install *out, exhv_error *err)
{
    ctv_value *vals = NULL;
    size_t nvals = 0, cap = 0;
    int rc = -1;

    if (!(out->section = exhv_strdup(inf->sections[sec].name)))
        goto oom;
    /* Directives repeat and accumulate: every CopyFiles, CopyINF and AddReg
     * line counts, in file order. */
    for (size_t i = 0; i < inf->sections[sec].nlines; i++) {
        const inf_line *l = &inf->sections[sec].lines[i];
        if (!l->key)
            continue;
        if (exhv_strcaseeq(l->key, "CopyINF") && split_list(l, &out->copy_inf, &out->ncopy_inf, 1) < 0)
            goto oom;
        if (exhv_strcaseeq(l->key, "CopyFiles") && split_list(l, &out->copy_files, &out->ncopy_files, 0) < 0)
            goto oom;
        if (exhv_strcaseeq(l->key, "AddReg") && split_list(l, &out->add_reg, &out->nadd_reg, 0) < 0)
            goto oom;
    }
    for (size_t a = 0; a < out->nadd_reg; a++) {
        long s = section_lookup(inf, out->add_reg[a]);
        for (size_t i = 0; i < exhv_inf_section_lines(inf, s); i++)
            if (apply_addreg(&inf->sections[s].lines[i], &vals, &nvals, &cap) < 0)
                goto oom;
    }
    for (size_t i = 0; i < nvals; i++) {
        const ctv_value *v = &vals[i];
        exhv_inf_ctv *c;
        int wn = 0, w64 = 0;
        size_t ccap = out->nctv;
        /* REG_SZ src, or REG_MULTI_SZ {src[, dst]}; anything else is not a
         * file to copy. */
        if (v->multi < 0 || v->nstrings == 0 || !v->strings[0][0])
            continue;
        ctv_subkey(v->subkey, &wn, &w64);
        if (exhv_grow((void **)&out->ctv, &ccap, out->nctv + 1, sizeof(exhv_inf_ctv)) < 0)
            goto oom;
        c = &out->ctv[out->nctv];
        memset(c, 0, sizeof(*c));
        out->nctv++;
        c->when_newer = wn;
        c->wow64 = w64;
        if (!(c->name = exhv_strdup(v->name)) || !(c->src = exhv_strdup(v->strings[0])) ||
            !(c->dst = exhv_strdup(v->multi && v->nstrings > 1 && v->strings[1][0]
                                       ? v->strings[1] : base_name(v->strings[0]))))
            goto oom;
    }
    rc = 0;
    goto out;
oom:
    exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory reading the INF's install section");
out:
    for (size_t i = 0; i < nvals; i++) {
        free(vals[i].subkey);
        free(vals[i].name);
        value_clear(&vals[i]);
    }
    free(vals);
    return rc;
}

int exhv_inf_install_section(const exhv_inf *inf, const char *section, exhv_inf_install *out,
                             exhv_error *err)
{
    exhv_inf_install in;
    long s = ddinstall_section(inf, section, NULL);
    memset(&in, 0, sizeof(in));
    if (s < 0) {
        exhv_error_set(err, EXHV_E_NOT_FOUND, "the INF has no install section '%s'", section);
        return -2;
    }
    if (read_install(inf, s, &in, err) < 0) {
        exhv_inf_install_release(&in);
        return -1;
    }
    *out = in;
    return 0;
}

/* The IDs Windows reports for a PCI function, most specific first, from its
 * most specific hardware ID (MSD install/identifiers-for-pci-devices.md):
 * VEN&DEV&SUBSYS&REV, VEN&DEV&SUBSYS, VEN&DEV&REV, VEN&DEV. */
static int pci_ids(const char *hwid, char ***v, size_t *n)
{
    char ven[5] = "", dev[5] = "", subsys[9] = "", rev[3] = "";
    const char *p;
    exhv_buf b = EXHV_BUF_INIT;
    int rc = 0;

    if (strv_add(v, n, hwid, 1) < 0)
        return -1;
    if (!exhv_starts_with_ci(hwid, "PCI\\"))
        return 0;
    p = hwid + 4;
    while (*p) {
        const char *e = strchr(p, '&');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 8 && exhv_starts_with_ci(p, "VEN_"))
            memcpy(ven, p + 4, 4);
        else if (len == 8 && exhv_starts_with_ci(p, "DEV_"))
            memcpy(dev, p + 4, 4);
        else if (len == 15 && exhv_starts_with_ci(p, "SUBSYS_"))
            memcpy(subsys, p + 7, 8);
        else if (len == 6 && exhv_starts_with_ci(p, "REV_"))
            memcpy(rev, p + 4, 2);
        p += len;
        if (*p == '&')
            p++;
    }
    if (!ven[0] || !dev[0])
        return 0;
    if (subsys[0] && rev[0]) {
        exhv_buf_printf(&b, "PCI\\VEN_%s&DEV_%s&SUBSYS_%s&REV_%s", ven, dev, subsys, rev);
        rc |= strv_add(v, n, exhv_buf_str(&b), 1);
    }
    if (subsys[0]) {
        exhv_buf_reset(&b);
        exhv_buf_printf(&b, "PCI\\VEN_%s&DEV_%s&SUBSYS_%s", ven, dev, subsys);
        rc |= strv_add(v, n, exhv_buf_str(&b), 1);
    }
    if (rev[0]) {
        exhv_buf_reset(&b);
        exhv_buf_printf(&b, "PCI\\VEN_%s&DEV_%s&REV_%s", ven, dev, rev);
        rc |= strv_add(v, n, exhv_buf_str(&b), 1);
    }
    exhv_buf_reset(&b);
    exhv_buf_printf(&b, "PCI\\VEN_%s&DEV_%s", ven, dev);
    rc |= strv_add(v, n, exhv_buf_str(&b), 1);
    if (!exhv_buf_ok(&b))
        rc = -1;
    exhv_buf_release(&b);
    return rc ? -1 : 0;
}

int exhv_inf_install_for_hwid(const exhv_inf *inf, const char *hwid,
                              const exhv_inf_target *target, exhv_inf_install *out,
                              exhv_error *err)
{
    long man = section_lookup(inf, "Manufacturer");
    size_t nids = 0, best_hw, best_compat;
    char **ids = NULL;
    const inf_line *hit_hw = NULL, *hit_compat = NULL, *hit;
    const char *hit_id;
    exhv_buf name = EXHV_BUF_INIT;
    exhv_inf_install in;
    int rc = -1;

    memset(&in, 0, sizeof(in));
    if (pci_ids(hwid, &ids, &nids) < 0) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    /* The most specific of the device's IDs that any model names wins; a
     * model's own hardware ID before its compatible IDs; among models
     * naming the same ID, the first. One pass over the models the target
     * chooses (as exhv_inf_models lists them), without copying them. */
    best_hw = best_compat = nids;
    for (size_t i = 0; i < exhv_inf_section_lines(inf, man); i++) {
        long chosen = models_section(inf, &inf->sections[man].lines[i], target, &name);
        if (chosen == -2) {
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory reading the INF's models");
            goto out;
        }
        for (size_t j = 0; chosen >= 0 && j < inf->sections[chosen].nlines; j++) {
            const inf_line *ml = &inf->sections[chosen].lines[j];
            int first = 1;
            if (!model_line(ml))
                continue;
            for (size_t f = 1; f < ml->nfields; f++) {
                if (!ml->fields[f][0])
                    continue;
                if (first) {
                    for (size_t k = 0; k < best_hw; k++)
                        if (exhv_strcaseeq(ml->fields[f], ids[k])) {
                            best_hw = k, hit_hw = ml;
                            break;
                        }
                    first = 0;
                    continue;
                }
                for (size_t k = 0; k < best_compat; k++)
                    if (exhv_strcaseeq(ml->fields[f], ids[k])) {
                        best_compat = k, hit_compat = ml;
                        break;
                    }
            }
        }
    }
    hit = hit_hw ? hit_hw : hit_compat;
    hit_id = hit_hw ? ids[best_hw] : hit_compat ? ids[best_compat] : NULL;
    if (!hit) {
        exhv_error_set(err, EXHV_E_NOT_FOUND,
                       "no model of this INF names the device '%s' (run `exhv inf FILE` "
                       "without --hwid to list the devices it installs)", hwid);
        rc = -2;
        goto out;
    }
    {
        long s = ddinstall_section(inf, hit->fields[0], target);
        if (s < 0) {
            exhv_error_set(err, EXHV_E_PARSE,
                           "the INF names install section '%s' for '%s' but does not have it",
                           hit->fields[0], hit_id);
            goto out;
        }
        if (read_install(inf, s, &in, err) < 0)
            goto out;
    }
    if (!(in.hwid = exhv_strdup(hit_id)) || !(in.description = exhv_strdup(hit->key))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    *out = in;
    memset(&in, 0, sizeof(in));
    rc = 0;
out:
    exhv_inf_install_release(&in);
    exhv_strv_free(ids, nids);
    exhv_buf_release(&name);
    return rc;
}

/* ---- paths ---- */

/* The first n characters of a equal b's, ASCII case ignored. */
static int strncasecmp_ascii(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 32);
        if (y >= 'a' && y <= 'z')
            y = (char)(y - 32);
        if (x != y || !x)
            return 0;
    }
    return 1;
}

int exhv_relpath_safe(const char *path)
{
    const char *p = path, *comp;
    if (!path || !*path)
        return 0;
    if (*p == '\\' || *p == '/')
        return 0;
    for (comp = p;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\' || c == '/' || c == '\0') {
            size_t n = (size_t)(p - comp);
            if (n == 0 || (n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
                return 0;
            /* Windows drops trailing dots and blanks: "..." or ".. " is
             * ".." to it. */
            {
                size_t k = n;
                while (k && (comp[k - 1] == '.' || comp[k - 1] == ' '))
                    k--;
                if (k == 0)
                    return 0;
            }
            if (!c)
                return 1;
            comp = p + 1;
            continue;
        }
        if (c < 0x20 || c == 0x7F || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' ||
            c == '>' || c == '|')
            return 0;
    }
}

int exhv_win_filename_ok(const char *name)
{
    static const char *const dev[] = {"CON", "PRN", "AUX", "NUL"};
    size_t n, base;
    if (!name || !*name || strchr(name, '\\') || strchr(name, '/') || !exhv_relpath_safe(name))
        return 0;
    n = strlen(name);
    /* Windows drops a trailing blank or dot: the file made is another. */
    if (name[n - 1] == ' ' || name[n - 1] == '.')
        return 0;
    /* A device name, with any extension (and blanks before it), is the
     * device, not a file ("Naming Files, Paths, and Namespaces"). */
    for (base = 0; name[base] && name[base] != '.'; base++)
        ;
    while (base && name[base - 1] == ' ')
        base--;
    for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
        if (base == 3 && strncasecmp_ascii(name, dev[i], 3))
            return 0;
    if (base == 4 && name[3] >= '1' && name[3] <= '9' &&
        (strncasecmp_ascii(name, "COM", 3) || strncasecmp_ascii(name, "LPT", 3)))
        return 0;
    return 1;
}

int exhv_inf_ctv_check(const exhv_inf_ctv *c, exhv_error *err)
{
    const char *key = c->when_newer ? (c->wow64 ? "CopyToVmWhenNewerWow64" : "CopyToVmWhenNewer")
                                    : (c->wow64 ? "CopyToVmOverwriteWow64" : "CopyToVmOverwrite");
    if (!exhv_relpath_safe(c->src))
        return exhv_error_set(err, EXHV_E_PARSE,
                              "%s value '%s' names '%s', which is not a path inside the driver "
                              "package: exhv does not copy it (a value must name a file in the "
                              "package folder, without '..', a drive or a leading '\\')",
                              key, c->name, c->src);
    if (!exhv_win_filename_ok(c->dst))
        return exhv_error_set(err, EXHV_E_PARSE,
                              "%s value '%s' names the destination '%s', which is not a file "
                              "name in %s: exhv does not copy it",
                              key, c->name, c->dst, c->wow64 ? "SysWOW64" : "System32");
    return 0;
}
