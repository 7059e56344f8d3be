/* WMI objects as property bags, WQL building, object path parsing. Portable:
 * the real port fills these from IWbemClassObject, the simulated one from a
 * scenario. */
#ifndef EXHV_WMI_H
#define EXHV_WMI_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"

typedef enum exhv_vtype {
    EXHV_V_NULL,
    EXHV_V_BOOL,
    EXHV_V_INT,
    EXHV_V_STR,
    EXHV_V_STRS,   /* string[] */
    EXHV_V_INTS,   /* uint16[] / uint64[] ... */
} exhv_vtype;

/* A CIM type, as embedded instances declare it (TYPE="uint64"). */
typedef enum exhv_cim {
    EXHV_CIM_NONE,      /* not declared: the class table decides */
    EXHV_CIM_STRING,
    EXHV_CIM_BOOLEAN,
    EXHV_CIM_UINT8,
    EXHV_CIM_UINT16,
    EXHV_CIM_UINT32,
    EXHV_CIM_UINT64,
    EXHV_CIM_SINT8,
    EXHV_CIM_SINT16,
    EXHV_CIM_SINT32,
    EXHV_CIM_SINT64,
    EXHV_CIM_DATETIME,
    EXHV_CIM__COUNT
} exhv_cim;

typedef struct exhv_value {
    exhv_vtype type;
    exhv_cim cim;     /* the declared CIM type, when one was read */
    int64_t i;        /* BOOL and INT */
    char *s;          /* STR */
    char **strs;      /* STRS */
    int64_t *ints;    /* INTS */
    size_t n;         /* STRS / INTS element count */
} exhv_value;

typedef struct exhv_prop {
    char *name;
    exhv_value v;
} exhv_prop;

typedef struct exhv_wmi_obj {
    char *cls;        /* __CLASS */
    char *path;       /* __PATH (relative paths are fine) */
    exhv_prop *props;
    size_t nprops;
    size_t cap;
} exhv_wmi_obj;

typedef struct exhv_wmi_objs {
    exhv_wmi_obj *items;
    size_t count;
    size_t cap;
} exhv_wmi_objs;

void exhv_value_release(exhv_value *v);
int exhv_value_copy(exhv_value *dst, const exhv_value *src);
void exhv_wmi_obj_release(exhv_wmi_obj *o);
void exhv_wmi_objs_release(exhv_wmi_objs *l);
/* Append an empty object; returns it or NULL on allocation failure. */
exhv_wmi_obj *exhv_wmi_objs_push(exhv_wmi_objs *l);

/* Property access (names compared case-insensitively, as WMI does). */
const exhv_value *exhv_wmi_get(const exhv_wmi_obj *o, const char *name);
const char *exhv_wmi_str(const exhv_wmi_obj *o, const char *name);     /* NULL if absent */
int64_t exhv_wmi_int(const exhv_wmi_obj *o, const char *name, int64_t fallback);
int exhv_wmi_bool(const exhv_wmi_obj *o, const char *name, int fallback);
/* First element of a string array, or the string itself; NULL if absent. */
const char *exhv_wmi_str0(const exhv_wmi_obj *o, const char *name);

/* Setters take copies; they replace a property of the same name. 0 or -1. */
int exhv_wmi_set_str(exhv_wmi_obj *o, const char *name, const char *s);
int exhv_wmi_set_int(exhv_wmi_obj *o, const char *name, int64_t i);
int exhv_wmi_set_bool(exhv_wmi_obj *o, const char *name, int b);
int exhv_wmi_set_strs(exhv_wmi_obj *o, const char *name, const char *const *v, size_t n);
int exhv_wmi_set_value(exhv_wmi_obj *o, const char *name, const exhv_value *v);
/* Append a property known not to be there yet, taking ownership of *v (it
 * is emptied). For ports filling a bag from a source with unique names. */
int exhv_wmi_append_value(exhv_wmi_obj *o, const char *name, exhv_value *v);

/* Append s to b as a WQL string literal: single quotes, with \ and '
 * escaped by a backslash (WQL's rules). NULL is the empty string. */
void exhv_wql_quote(exhv_buf *b, const char *s);

/* Read key `key` of a WMI object path such as
 *   \\HOST\root\virtualization\v2:Msvm_PciExpress.DeviceID="x",SystemName="h"
 * (values may escape " and \ with a backslash). Returns a new string, or
 * NULL when the path has no such key (or is not a path). */
char *exhv_wmi_path_key(const char *path, const char *key);
/* The class named by an object path, copied into out; "" when none. */
void exhv_wmi_path_class(const char *path, char *out, size_t outsz);

#endif
