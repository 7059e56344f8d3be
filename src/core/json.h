/* JSON: a streaming writer and a small DOM reader (RFC 8259). */
#ifndef EXHV_JSON_H
#define EXHV_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* ---- writer ---- */

/* The reader's nesting limit; the writer keeps count one level further (the
 * top level is depth 0), so that whatever was read is written back. */
#define EXHV_JSON_MAX_DEPTH 64
#define EXHV_JW_MAX_DEPTH (EXHV_JSON_MAX_DEPTH + 1)

typedef struct exhv_jw {
    exhv_buf *out;
    int pretty;
    int depth;
    int need_comma[EXHV_JW_MAX_DEPTH];
    int after_key;
} exhv_jw;

void exhv_jw_init(exhv_jw *w, exhv_buf *out, int pretty);
void exhv_jw_obj_begin(exhv_jw *w);
void exhv_jw_obj_end(exhv_jw *w);
void exhv_jw_arr_begin(exhv_jw *w);
void exhv_jw_arr_end(exhv_jw *w);
void exhv_jw_key(exhv_jw *w, const char *key);
void exhv_jw_str(exhv_jw *w, const char *s);      /* NULL writes null */
void exhv_jw_int(exhv_jw *w, int64_t v);
void exhv_jw_uint(exhv_jw *w, uint64_t v);
void exhv_jw_bool(exhv_jw *w, int v);
void exhv_jw_null(exhv_jw *w);
/* key + value shorthands */
void exhv_jw_kstr(exhv_jw *w, const char *key, const char *s);
void exhv_jw_kint(exhv_jw *w, const char *key, int64_t v);
void exhv_jw_kuint(exhv_jw *w, const char *key, uint64_t v);
void exhv_jw_kbool(exhv_jw *w, const char *key, int v);
/* Finish: a newline after the top-level value when pretty. */
void exhv_jw_end(exhv_jw *w);

/* Append s as a JSON string literal (quotes included). Invalid UTF-8 is
 * replaced by U+FFFD so that the output is always valid JSON. */
void exhv_json_quote(exhv_buf *b, const char *s);

/* ---- reader ---- */

typedef enum exhv_json_type {
    EXHV_JSON_NULL,
    EXHV_JSON_BOOL,
    EXHV_JSON_NUMBER,
    EXHV_JSON_STRING,
    EXHV_JSON_ARRAY,
    EXHV_JSON_OBJECT,
} exhv_json_type;

typedef struct exhv_json {
    exhv_json_type type;
    int boolean;
    double num;
    int64_t inum;       /* exact value when is_int */
    int is_int;
    char *str;          /* STRING: UTF-8, no embedded NUL */
    struct exhv_json *items;  /* ARRAY and OBJECT values */
    char **keys;        /* OBJECT keys, parallel to items */
    size_t count;
    size_t cap;
} exhv_json;


/* Parse text (len bytes, not necessarily NUL-terminated). On success *out
 * owns a new tree (free with exhv_json_free). On failure *out is untouched
 * and err says where ("line L, column C: ..."). A member name given twice in
 * one object is refused (RFC 8259 leaves it to the reader; taking either
 * value would silently lose the other). */
int exhv_json_parse(const char *text, size_t len, exhv_json **out, exhv_error *err);
void exhv_json_free(exhv_json *v);

/* Lookups. All accept NULL and return NULL / the fallback when the member is
 * missing or of another type. */
const exhv_json *exhv_json_get(const exhv_json *obj, const char *key);
const char *exhv_json_get_str(const exhv_json *obj, const char *key);
int64_t exhv_json_get_int(const exhv_json *obj, const char *key, int64_t fallback);
int exhv_json_get_bool(const exhv_json *obj, const char *key, int fallback);

/* Write a parsed tree back (used to persist simulated hosts). */
void exhv_jw_value(exhv_jw *w, const exhv_json *v);

/* Tree building, for code that edits a parsed document. Each returns the new
 * or replaced member, or NULL on allocation failure. */
exhv_json *exhv_json_obj_set(exhv_json *obj, const char *key, exhv_json_type type);
exhv_json *exhv_json_arr_push(exhv_json *arr, exhv_json_type type);
void exhv_json_clear(exhv_json *v);   /* free contents, become null */
int exhv_json_set_str(exhv_json *v, const char *s);
void exhv_json_set_int(exhv_json *v, int64_t i);
void exhv_json_set_bool(exhv_json *v, int b);
/* Deep copy src into dst (dst is cleared first). 0 or -1. */
int exhv_json_copy(exhv_json *dst, const exhv_json *src);
/* Remove the member `key` from obj, or item `index` from an array. */
void exhv_json_obj_remove(exhv_json *obj, const char *key);
void exhv_json_arr_remove(exhv_json *arr, size_t index);

#endif
