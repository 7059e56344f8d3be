#include "wmi.h"

#include <stdlib.h>
#include <string.h>

void exhv_value_release(exhv_value *v)
{
    free(v->s);
    exhv_strv_free(v->strs, v->n);
    free(v->ints);
    memset(v, 0, sizeof(*v));
}

int exhv_value_copy(exhv_value *dst, const exhv_value *src)
{
    exhv_value t = *src;
    t.s = NULL;
    t.strs = NULL;
    t.ints = NULL;
    if (src->type == EXHV_V_STR && !(t.s = exhv_strdup(src->s ? src->s : "")))
        return -1;
    if (src->type == EXHV_V_STRS) {
        t.strs = calloc(src->n ? src->n : 1, sizeof(char *));
        if (!t.strs)
            return -1;
        for (size_t i = 0; i < src->n; i++)
            if (!(t.strs[i] = exhv_strdup(src->strs[i] ? src->strs[i] : ""))) {
                exhv_strv_free(t.strs, i);
                return -1;
            }
    }
    if (src->type == EXHV_V_INTS) {
        t.ints = malloc((src->n ? src->n : 1) * sizeof(int64_t));
        if (!t.ints)
            return -1;
        if (src->n)
            memcpy(t.ints, src->ints, src->n * sizeof(int64_t));
    }
    *dst = t;
    return 0;
}

void exhv_wmi_obj_release(exhv_wmi_obj *o)
{
    free(o->cls);
    free(o->path);
    for (size_t i = 0; i < o->nprops; i++) {
        free(o->props[i].name);
        exhv_value_release(&o->props[i].v);
    }
    free(o->props);
    memset(o, 0, sizeof(*o));
}

void exhv_wmi_objs_release(exhv_wmi_objs *l)
{
    for (size_t i = 0; i < l->count; i++)
        exhv_wmi_obj_release(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

exhv_wmi_obj *exhv_wmi_objs_push(exhv_wmi_objs *l)
{
    if (exhv_grow((void **)&l->items, &l->cap, l->count + 1, sizeof(*l->items)) < 0)
        return NULL;
    memset(&l->items[l->count], 0, sizeof(l->items[0]));
    return &l->items[l->count++];
}

const exhv_value *exhv_wmi_get(const exhv_wmi_obj *o, const char *name)
{
    for (size_t i = 0; o && i < o->nprops; i++)
        if (exhv_strcaseeq(o->props[i].name, name))
            return &o->props[i].v;
    return NULL;
}

const char *exhv_wmi_str(const exhv_wmi_obj *o, const char *name)
{
    const exhv_value *v = exhv_wmi_get(o, name);
    return v && v->type == EXHV_V_STR ? v->s : NULL;
}

const char *exhv_wmi_str0(const exhv_wmi_obj *o, const char *name)
{
    const exhv_value *v = exhv_wmi_get(o, name);
    if (v && v->type == EXHV_V_STRS)
        return v->n ? v->strs[0] : NULL;
    return v && v->type == EXHV_V_STR ? v->s : NULL;
}

int64_t exhv_wmi_int(const exhv_wmi_obj *o, const char *name, int64_t fallback)
{
    const exhv_value *v = exhv_wmi_get(o, name);
    if (v && (v->type == EXHV_V_INT || v->type == EXHV_V_BOOL))
        return v->i;
    /* WMI hands uint64 properties over as strings (VT_BSTR). */
    if (v && v->type == EXHV_V_STR && v->s && *v->s) {
        char *end;
        long long ll = strtoll(v->s, &end, 10);
        if (*end == '\0')
            return ll;
    }
    return fallback;
}

int exhv_wmi_bool(const exhv_wmi_obj *o, const char *name, int fallback)
{
    const exhv_value *v = exhv_wmi_get(o, name);
    if (v && (v->type == EXHV_V_BOOL || v->type == EXHV_V_INT))
        return v->i != 0;
    return fallback;
}

int exhv_wmi_set_value(exhv_wmi_obj *o, const char *name, const exhv_value *val)
{
    exhv_value copy;
    exhv_prop *p = NULL;

    if (exhv_value_copy(&copy, val) < 0)
        return -1;
    for (size_t i = 0; i < o->nprops; i++)
        if (exhv_strcaseeq(o->props[i].name, name))
            p = &o->props[i];
    if (p) {
        exhv_value_release(&p->v);
        p->v = copy;
        return 0;
    }
    if (exhv_grow((void **)&o->props, &o->cap, o->nprops + 1, sizeof(*o->props)) < 0)
        goto fail;
    p = &o->props[o->nprops];
    if (!(p->name = exhv_strdup(name)))
        goto fail;
    p->v = copy;
    o->nprops++;
    return 0;
fail:
    exhv_value_release(&copy);
    return -1;
}

int exhv_wmi_append_value(exhv_wmi_obj *o, const char *name, exhv_value *v)
{
    exhv_prop *p;
    if (exhv_grow((void **)&o->props, &o->cap, o->nprops + 1, sizeof(*o->props)) < 0)
        return -1;
    p = &o->props[o->nprops];
    if (!(p->name = exhv_strdup(name)))
        return -1;
    p->v = *v;
    memset(v, 0, sizeof(*v));
    o->nprops++;
    return 0;
}

int exhv_wmi_set_str(exhv_wmi_obj *o, const char *name, const char *s)
{
    exhv_value v = {.type = EXHV_V_STR, .s = (char *)s};
    return exhv_wmi_set_value(o, name, &v);
}

int exhv_wmi_set_int(exhv_wmi_obj *o, const char *name, int64_t i)
{
    exhv_value v = {.type = EXHV_V_INT, .i = i};
    return exhv_wmi_set_value(o, name, &v);
}

int exhv_wmi_set_bool(exhv_wmi_obj *o, const char *name, int b)
{
    exhv_value v = {.type = EXHV_V_BOOL, .i = b != 0};
    return exhv_wmi_set_value(o, name, &v);
}

int exhv_wmi_set_strs(exhv_wmi_obj *o, const char *name, const char *const *strs, size_t n)
{
    exhv_value v = {.type = EXHV_V_STRS, .strs = (char **)strs, .n = n};
    return exhv_wmi_set_value(o, name, &v);
}

void exhv_wql_quote(exhv_buf *b, const char *s)
{
    exhv_buf_putc(b, '\'');
    for (; s && *s; s++) {
        if (*s == '\'' || *s == '\\')
            exhv_buf_putc(b, '\\');
        exhv_buf_putc(b, *s);
    }
    exhv_buf_putc(b, '\'');
}

/* The part after "namespace:" (or the whole when there is no namespace). */
static const char *path_rel(const char *path)
{
    const char *colon = NULL, *p;
    /* The namespace separator is the last ':' before any quote. The C
     * library scans: a path may be a whole fuzzed document. */
    size_t q = strcspn(path, "\"");
    for (p = memchr(path, ':', q); p; p = memchr(p + 1, ':', q - (size_t)(p + 1 - path)))
        colon = p;
    return colon ? colon + 1 : path;
}

void exhv_wmi_path_class(const char *path, char *out, size_t outsz)
{
    const char *rel = path_rel(path);
    size_t n = 0;
    while (rel[n] && rel[n] != '.' && rel[n] != '=' && n + 1 < outsz)
        n++;
    memcpy(out, rel, n);
    out[n] = '\0';
}

char *exhv_wmi_path_key(const char *path, const char *key)
{
    const char *p;
    size_t klen = strlen(key);

    if (!path)
        return NULL;
    p = strchr(path_rel(path), '.');
    if (!p)
        return NULL;
    p++;
    while (*p) {
        const char *name = p;
        p += strcspn(p, "=");
        if (!*p)
            return NULL;
        int match = (size_t)(p - name) == klen && exhv_starts_with_ci(name, key);
        p++; /* '=' */
        /* Only the wanted value is copied; the others are stepped over. */
        exhv_buf val = EXHV_BUF_INIT;
        if (*p == '"') {
            p++;
            for (;;) {
                size_t run = strcspn(p, "\"\\");
                if (match)
                    exhv_buf_add(&val, p, run);
                p += run;
                if (*p != '\\')
                    break;
                if (p[1] == '"' || p[1] == '\\')
                    p++;
                if (match)
                    exhv_buf_putc(&val, *p);
                p++;
            }
            if (*p != '"') {
                exhv_buf_release(&val);
                return NULL;
            }
            p++;
        } else {
            const char *v = p;
            p += strcspn(p, ",");
            if (match)
                exhv_buf_add(&val, v, (size_t)(p - v));
        }
        if (match)
            return exhv_buf_detach(&val);
        if (*p == ',')
            p++;
        else
            break;
    }
    return NULL;
}
