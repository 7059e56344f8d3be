#include "cimxml.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "hyperv/schema.h"

static void xml_escape(exhv_buf *b, const char *s)
{
    /* Runs of bytes that stand as they are, copied at once. */
    static const char special[] = "<>&\"'\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r"
                                  "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                                  "\x1c\x1d\x1e\x1f";
    for (; *s; s++) {
        size_t run = strcspn(s, special);
        if (run) {
            exhv_buf_add(b, s, run);
            s += run - 1;
            continue;
        }
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

static int type_fail(exhv_error *err, const exhv_wmi_obj *o, const exhv_prop *p, const char *why)
{
    return exhv_error_set(err, EXHV_E_FAILED, "embedded instance %s: property %s %s",
                          o->cls ? o->cls : "?", p->name, why);
}

/* Does integer x fit CIM type t? uint64 values above 2^63 travel as the
 * same 64 bits in an int64_t. */
static int int_fits(exhv_cim t, int64_t x)
{
    switch (t) {
    case EXHV_CIM_UINT8: return x >= 0 && x <= 0xFF;
    case EXHV_CIM_UINT16: return x >= 0 && x <= 0xFFFF;
    case EXHV_CIM_UINT32: return x >= 0 && x <= 0xFFFFFFFFLL;
    case EXHV_CIM_UINT64: return 1;
    case EXHV_CIM_SINT8: return x >= -128 && x <= 127;
    case EXHV_CIM_SINT16: return x >= -32768 && x <= 32767;
    case EXHV_CIM_SINT32: return x >= INT32_MIN && x <= INT32_MAX;
    default: return 1;
    }
}

static void put_int(exhv_buf *b, exhv_cim t, int64_t x)
{
    char num[32];
    if (t == EXHV_CIM_UINT64)
        snprintf(num, sizeof(num), "%" PRIu64, (uint64_t)x);
    else
        snprintf(num, sizeof(num), "%" PRId64, x);
    exhv_buf_puts(b, num);
}

int exhv_cimxml_write(exhv_buf *b, const exhv_wmi_obj *o, exhv_error *err)
{
    exhv_buf out = EXHV_BUF_INIT;
    for (size_t i = 0; i < o->nprops; i++) {
        const exhv_prop *p = &o->props[i];
        const exhv_schema_prop *sp = exhv_schema_find(o->cls, p->name);
        int array = p->v.type == EXHV_V_STRS || p->v.type == EXHV_V_INTS;
        exhv_cim t = p->v.cim ? p->v.cim : sp ? sp->type : EXHV_CIM_NONE;
        if (p->v.type == EXHV_V_NULL)
            continue;
        if (t == EXHV_CIM_NONE) {
            exhv_buf_release(&out);
            return type_fail(err, o, p, "has no known CIM type (add it to hyperv/schema.c)");
        }
        if (!p->v.cim && sp && sp->array != array) {
            exhv_buf_release(&out);
            return type_fail(err, o, p, sp->array ? "is an array" : "is not an array");
        }
        if (!(array && p->v.n == 0) &&
            ((t == EXHV_CIM_STRING || t == EXHV_CIM_DATETIME)
                 ? p->v.type != EXHV_V_STR && p->v.type != EXHV_V_STRS
             : t == EXHV_CIM_BOOLEAN ? p->v.type != EXHV_V_BOOL && p->v.type != EXHV_V_INTS
                                     : p->v.type != EXHV_V_INT && p->v.type != EXHV_V_INTS)) {
            exhv_buf_release(&out);
            return type_fail(err, o, p, "has a value of another type than its CIM type");
        }
        exhv_buf_puts(&out, array ? "<PROPERTY.ARRAY NAME=\"" : "<PROPERTY NAME=\"");
        xml_escape(&out, p->name);
        exhv_buf_printf(&out, "\" TYPE=\"%s\">", exhv_cim_name(t));
        if (array)
            exhv_buf_puts(&out, "<VALUE.ARRAY>");
        for (size_t k = 0; k < (array ? p->v.n : 1); k++) {
            int64_t x = p->v.type == EXHV_V_INTS ? p->v.ints[k] : p->v.i;
            exhv_buf_puts(&out, "<VALUE>");
            if (p->v.type == EXHV_V_STR)
                xml_escape(&out, p->v.s ? p->v.s : "");
            else if (p->v.type == EXHV_V_STRS)
                xml_escape(&out, p->v.strs[k] ? p->v.strs[k] : "");
            else if (t == EXHV_CIM_BOOLEAN)
                exhv_buf_puts(&out, x ? "true" : "false");
            else if (!int_fits(t, x)) {
                exhv_buf_release(&out);
                return type_fail(err, o, p, "has a value out of its CIM type's range");
            } else
                put_int(&out, t, x);
            exhv_buf_puts(&out, "</VALUE>");
        }
        exhv_buf_puts(&out, array ? "</VALUE.ARRAY></PROPERTY.ARRAY>" : "</PROPERTY>");
    }
    if (!exhv_buf_ok(&out)) {
        exhv_buf_release(&out);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    exhv_buf_puts(b, "<INSTANCE CLASSNAME=\"");
    xml_escape(b, o->cls ? o->cls : "");
    exhv_buf_puts(b, "\">");
    exhv_buf_add(b, out.data, out.len);
    exhv_buf_puts(b, "</INSTANCE>");
    exhv_buf_release(&out);
    return exhv_buf_ok(b) ? 0 : exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
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

/* <NAME attr="v" ...> ; *name_attr gets the NAME= or CLASSNAME= attribute,
 * *type_attr (when given) the TYPE= attribute. */
static int open_tag(rd *r, const char *want, char **name_attr, char **type_attr)
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
        } else if (type_attr && strcmp(key, "TYPE") == 0) {
            free(*type_attr);
            *type_attr = exhv_buf_detach(&val);
            if (!*type_attr)
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
    int rc = open_tag(r, "VALUE", NULL, NULL);
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

/* A VALUE's text as CIM type t: one scalar into v (type set by the caller's
 * choice of scalar or array). */
static int convert(rd *r, exhv_cim t, const char *text, int64_t *x)
{
    char *end;
    if (t == EXHV_CIM_BOOLEAN) {
        if (exhv_strcaseeq(text, "true"))
            *x = 1;
        else if (exhv_strcaseeq(text, "false"))
            *x = 0;
        else
            return fail(r, "a boolean VALUE is neither true nor false");
        return 0;
    }
    if (!*text || (*text == '-' ? t < EXHV_CIM_SINT8 || !text[1] : !(*text >= '0' && *text <= '9')))
        return fail(r, "an integer VALUE is not a decimal number of its type");
    errno = 0;
    if (t >= EXHV_CIM_SINT8) {
        long long v = strtoll(text, &end, 10);
        *x = v;
    } else {
        unsigned long long v = strtoull(text, &end, 10);
        *x = (int64_t)v;
        if (t != EXHV_CIM_UINT64 && v > (unsigned long long)INT64_MAX)
            errno = ERANGE;
    }
    if (errno || *end || !int_fits(t, *x))
        return fail(r, "an integer VALUE is out of its type's range");
    return 0;
}

static int text_type(exhv_cim t)
{
    return t == EXHV_CIM_STRING || t == EXHV_CIM_DATETIME;
}

/* TYPE is required on PROPERTY and PROPERTY.ARRAY (CIM-DTD 2.0). */
static int declared(rd *r, const char *type, exhv_cim *t)
{
    if (!type)
        return fail(r, "a property has no TYPE");
    if ((*t = exhv_cim_parse(type)) == EXHV_CIM_NONE)
        return fail(r, "a property has a TYPE exhv does not know");
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
    if ((rc = open_tag(&r, "INSTANCE", &o.cls, NULL)) != 0) {
        if (rc > 0)
            fail(&r, "expected <INSTANCE CLASSNAME=...>");
        goto bad;
    }
    if (!o.cls || !*o.cls) {
        fail(&r, "INSTANCE without CLASSNAME");
        goto bad;
    }
    for (;;) {
        char *name = NULL, *type = NULL;
        exhv_cim t = EXHV_CIM_NONE;
        ws(&r);
        if (strncmp(r.p, "</INSTANCE", 10) == 0)
            break;
        if ((rc = open_tag(&r, "PROPERTY", &name, &type)) == 0) {
            char *v = NULL;
            exhv_value val = {0};
            int ok = name != NULL && declared(&r, type, &t) == 0;
            if (!name)
                fail(&r, "PROPERTY without NAME");
            val.cim = t;
            ws(&r);
            if (ok && (strncmp(r.p, "<VALUE>", 7) == 0 || strncmp(r.p, "<VALUE ", 7) == 0)) {
                ok = value(&r, &v) == 0;
                if (ok && text_type(t)) {
                    val.type = EXHV_V_STR;
                    val.s = v;
                    v = NULL;
                } else if (ok) {
                    val.type = t == EXHV_CIM_BOOLEAN ? EXHV_V_BOOL : EXHV_V_INT;
                    ok = convert(&r, t, v, &val.i) == 0;
                }
                free(v);
            }
            if (ok && (close_tag(&r, "PROPERTY") < 0 || exhv_wmi_set_value(&o, name, &val) < 0))
                ok = 0;
            free(name);
            free(type);
            exhv_value_release(&val);
            if (!ok)
                goto bad;
            continue;
        }
        if (rc < 0 || (rc = open_tag(&r, "PROPERTY.ARRAY", &name, &type)) != 0) {
            free(name);
            free(type);
            if (rc > 0)
                fail(&r, "expected <PROPERTY> or <PROPERTY.ARRAY>");
            goto bad;
        }
        {
            exhv_value val = {.type = EXHV_V_STRS};
            size_t cap = 0;
            int ok = name != NULL && declared(&r, type, &t) == 0;
            if (!name)
                fail(&r, "PROPERTY.ARRAY without NAME");
            if (ok && !text_type(t))
                val.type = EXHV_V_INTS;
            val.cim = t;
            if (ok && (rc = open_tag(&r, "VALUE.ARRAY", NULL, NULL)) == 0) {
                for (;;) {
                    char *v;
                    ws(&r);
                    if (strncmp(r.p, "</VALUE.ARRAY", 13) == 0)
                        break;
                    if (value(&r, &v) < 0) {
                        ok = 0;
                        break;
                    }
                    if (val.type == EXHV_V_STRS) {
                        if (exhv_grow((void **)&val.strs, &cap, val.n + 1, sizeof(char *)) < 0) {
                            free(v);
                            ok = 0;
                            break;
                        }
                        val.strs[val.n++] = v;
                    } else {
                        int64_t x = 0;
                        int bad_value = convert(&r, t, v, &x) < 0;
                        free(v);
                        if (bad_value ||
                            exhv_grow((void **)&val.ints, &cap, val.n + 1, sizeof(int64_t)) < 0) {
                            ok = 0;
                            break;
                        }
                        val.ints[val.n++] = x;
                    }
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
            free(type);
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
