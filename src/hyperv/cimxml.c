#include "cimxml.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

static void xml_escape(exhv_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': exhv_buf_puts(b, "&lt;"); break;
        case '>': exhv_buf_puts(b, "&gt;"); break;
        case '&': exhv_buf_puts(b, "&amp;"); break;
        case '"': exhv_buf_puts(b, "&quot;"); break;
        case '\'': exhv_buf_puts(b, "&apos;"); break;
        /* XML 1.0 cannot carry most control characters even as references;
         * keep the whitespace ones as references so they survive parsing. */
        case '\n': exhv_buf_puts(b, "&#10;"); break;
        case '\r': exhv_buf_puts(b, "&#13;"); break;
        case '\t': exhv_buf_puts(b, "&#9;"); break;
        default:
            if ((unsigned char)*s >= 0x20)
                exhv_buf_putc(b, *s);
        }
    }
}

static void scalar(exhv_buf *b, const exhv_value *v, size_t i)
{
    char num[32];
    switch (v->type) {
    case EXHV_V_BOOL: exhv_buf_puts(b, v->i ? "true" : "false"); break;
    case EXHV_V_INT:
        snprintf(num, sizeof(num), "%" PRId64, v->i);
        exhv_buf_puts(b, num);
        break;
    case EXHV_V_STR: xml_escape(b, v->s ? v->s : ""); break;
    case EXHV_V_STRS: xml_escape(b, v->strs[i] ? v->strs[i] : ""); break;
    case EXHV_V_INTS:
        snprintf(num, sizeof(num), "%" PRId64, v->ints[i]);
        exhv_buf_puts(b, num);
        break;
    default: break;
    }
}

void exhv_cimxml_write(exhv_buf *b, const exhv_wmi_obj *o)
{
    exhv_buf_puts(b, "<INSTANCE CLASSNAME=\"");
    xml_escape(b, o->cls ? o->cls : "");
    exhv_buf_puts(b, "\">");
    for (size_t i = 0; i < o->nprops; i++) {
        const exhv_prop *p = &o->props[i];
        if (p->v.type == EXHV_V_NULL)
            continue;
        if (p->v.type == EXHV_V_STRS || p->v.type == EXHV_V_INTS) {
            exhv_buf_puts(b, "<PROPERTY.ARRAY NAME=\"");
            xml_escape(b, p->name);
            exhv_buf_puts(b, "\" TYPE=\"string\"><VALUE.ARRAY>");
            for (size_t k = 0; k < p->v.n; k++) {
                exhv_buf_puts(b, "<VALUE>");
                scalar(b, &p->v, k);
                exhv_buf_puts(b, "</VALUE>");
            }
            exhv_buf_puts(b, "</VALUE.ARRAY></PROPERTY.ARRAY>");
        } else {
            exhv_buf_puts(b, "<PROPERTY NAME=\"");
            xml_escape(b, p->name);
            exhv_buf_puts(b, "\" TYPE=\"string\"><VALUE>");
            scalar(b, &p->v, 0);
            exhv_buf_puts(b, "</VALUE></PROPERTY>");
        }
    }
    exhv_buf_puts(b, "</INSTANCE>");
}

/* ---------------- reader ---------------- */

typedef struct rd {
    const char *p;
    exhv_error *err;
} rd;

static int fail(rd *r, const char *what)
{
    return exhv_error_set(r->err, EXHV_E_PARSE, "embedded instance: %s", what);
}

static void ws(rd *r)
{
    while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
        r->p++;
}

/* Text up to '<' (or the closing quote of an attribute), entities decoded. */
static int text(rd *r, char stop, exhv_buf *out)
{
    while (*r->p && *r->p != stop && *r->p != '<') {
        unsigned char ch = (unsigned char)*r->p;
        /* XML 1.0 allows no control characters but tab, LF and CR. */
        if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
            return fail(r, "control character in text");
        if (ch != '&') {
            exhv_buf_putc(out, *r->p++);
            continue;
        }
        static const struct {
            const char *name;
            char c;
        } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
        int done = 0;
        for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]) && !done; i++)
            if (strncmp(r->p, ents[i].name, strlen(ents[i].name)) == 0) {
                exhv_buf_putc(out, ents[i].c);
                r->p += strlen(ents[i].name);
                done = 1;
            }
        if (done)
            continue;
        if (r->p[1] == '#') {
            char *end;
            int hex = r->p[2] == 'x' || r->p[2] == 'X';
            unsigned long cp = strtoul(r->p + (hex ? 3 : 2), &end, hex ? 16 : 10);
            char enc[4];
            size_t n;
            if (*end != ';' || end == r->p + (hex ? 3 : 2) || cp > 0x10FFFF ||
                (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                !(n = exhv_utf8_encode((uint32_t)cp, enc)))
                return fail(r, "bad character reference");
            exhv_buf_add(out, enc, n);
            r->p = end + 1;
            continue;
        }
        return fail(r, "unknown entity");
    }
    return 0;
}

/* <NAME attr="v" ...> ; *name_out gets NAME, attributes NAME= and CLASSNAME= */
static int open_tag(rd *r, const char *want, char **name_attr)
{
    size_t n = strlen(want);
    ws(r);
    if (*r->p != '<' || strncmp(r->p + 1, want, n) != 0 ||
        (r->p[1 + n] != ' ' && r->p[1 + n] != '>' && r->p[1 + n] != '\t' && r->p[1 + n] != '\n'))
        return 1;   /* not this tag */
    r->p += 1 + n;
    for (;;) {
        char key[32];
        size_t k = 0;
        exhv_buf val = EXHV_BUF_INIT;
        ws(r);
        if (*r->p == '>') {
            r->p++;
            return 0;
        }
        while ((*r->p >= 'A' && *r->p <= 'Z') || (*r->p >= 'a' && *r->p <= 'z') || *r->p == '.') {
            if (k + 1 < sizeof(key))
                key[k++] = *r->p;
            r->p++;
        }
        key[k] = '\0';
        if (!k || *r->p++ != '=' || *r->p++ != '"')
            return fail(r, "bad attribute");
        if (text(r, '"', &val) < 0) {
            exhv_buf_release(&val);
            return -1;
        }
        if (*r->p++ != '"') {
            exhv_buf_release(&val);
            return fail(r, "unterminated attribute");
        }
        if (name_attr && (strcmp(key, "NAME") == 0 || strcmp(key, "CLASSNAME") == 0)) {
            free(*name_attr);
            *name_attr = exhv_buf_detach(&val);
            if (!*name_attr)
                return fail(r, "out of memory");
        } else {
            exhv_buf_release(&val);
        }
    }
}

static int close_tag(rd *r, const char *want)
{
    size_t n = strlen(want);
    ws(r);
    if (strncmp(r->p, "</", 2) != 0 || strncmp(r->p + 2, want, n) != 0)
        return fail(r, "missing closing tag");
    r->p += 2 + n;
    ws(r);
    if (*r->p++ != '>')
        return fail(r, "bad closing tag");
    return 0;
}

static int value(rd *r, char **out)
{
    exhv_buf b = EXHV_BUF_INIT;
    int rc = open_tag(r, "VALUE", NULL);
    if (rc)
        return rc > 0 ? fail(r, "expected <VALUE>") : -1;
    if (text(r, '\0', &b) < 0 || close_tag(r, "VALUE") < 0) {
        exhv_buf_release(&b);
        return -1;
    }
    if (!(*out = exhv_buf_detach(&b)))
        return fail(r, "out of memory");
    return 0;
}

int exhv_cimxml_read(const char *xml, exhv_wmi_obj *out, exhv_error *err)
{
    rd r = {xml, err};
    exhv_wmi_obj o = {0};
    int rc;

    ws(&r);
    if (strncmp(r.p, "<?xml", 5) == 0) {
        const char *e = strstr(r.p, "?>");
        if (!e)
            return fail(&r, "bad XML declaration");
        r.p = e + 2;
    }
    if ((rc = open_tag(&r, "INSTANCE", &o.cls)) != 0) {
        if (rc > 0)
            fail(&r, "expected <INSTANCE CLASSNAME=...>");
        goto bad;
    }
    if (!o.cls || !*o.cls) {
        fail(&r, "INSTANCE without CLASSNAME");
        goto bad;
    }
    for (;;) {
        char *name = NULL;
        ws(&r);
        if (strncmp(r.p, "</INSTANCE", 10) == 0)
            break;
        if ((rc = open_tag(&r, "PROPERTY", &name)) == 0) {
            char *v = NULL;
            exhv_value val = {0};
            ws(&r);
            if (strncmp(r.p, "<VALUE>", 7) == 0 || strncmp(r.p, "<VALUE ", 7) == 0) {
                if (value(&r, &v) < 0) {
                    free(name);
                    goto bad;
                }
                val.type = EXHV_V_STR;
                val.s = v;
            }
            if (!name || close_tag(&r, "PROPERTY") < 0 || exhv_wmi_set_value(&o, name, &val) < 0) {
                if (!name)
                    fail(&r, "PROPERTY without NAME");
                free(name);
                exhv_value_release(&val);
                goto bad;
            }
            free(name);
            exhv_value_release(&val);
            continue;
        }
        if (rc < 0 || (rc = open_tag(&r, "PROPERTY.ARRAY", &name)) != 0) {
            free(name);
            if (rc > 0)
                fail(&r, "expected <PROPERTY> or <PROPERTY.ARRAY>");
            goto bad;
        }
        {
            exhv_value val = {.type = EXHV_V_STRS};
            size_t cap = 0;
            int ok = name != NULL;
            if (!ok)
                fail(&r, "PROPERTY.ARRAY without NAME");
            if (ok && (rc = open_tag(&r, "VALUE.ARRAY", NULL)) == 0) {
                for (;;) {
                    char *v;
                    ws(&r);
                    if (strncmp(r.p, "</VALUE.ARRAY", 13) == 0)
                        break;
                    if (value(&r, &v) < 0 ||
                        exhv_grow((void **)&val.strs, &cap, val.n + 1, sizeof(char *)) < 0) {
                        ok = 0;
                        break;
                    }
                    val.strs[val.n++] = v;
                }
                if (ok && close_tag(&r, "VALUE.ARRAY") < 0)
                    ok = 0;
            } else if (ok && rc > 0) {
                fail(&r, "expected <VALUE.ARRAY>");
                ok = 0;
            } else if (ok) {
                ok = 0;
            }
            if (ok && (close_tag(&r, "PROPERTY.ARRAY") < 0 || exhv_wmi_set_value(&o, name, &val) < 0))
                ok = 0;
            free(name);
            exhv_value_release(&val);
            if (!ok)
                goto bad;
        }
    }
    if (close_tag(&r, "INSTANCE") < 0)
        goto bad;
    ws(&r);
    if (*r.p) {
        fail(&r, "text after </INSTANCE>");
        goto bad;
    }
    *out = o;
    return 0;
bad:
    exhv_wmi_obj_release(&o);
    return -1;
}
