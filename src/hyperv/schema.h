/* The Msvm classes and properties exhv writes into embedded instances, with
 * their CIM types, transcribed from Microsoft's class documentation (each
 * entry in schema.c says which page). The serializer types what it writes
 * from this table, and the simulated host refuses what does not match it. */
#ifndef EXHV_SCHEMA_H
#define EXHV_SCHEMA_H

#include "hyperv/wmi.h"

typedef struct exhv_schema_prop {
    const char *name;
    exhv_cim type;
    int array;
} exhv_schema_prop;

/* Property `name` of class `cls` (names compared without case, as WMI
 * does); NULL when the table does not know it. */
const exhv_schema_prop *exhv_schema_find(const char *cls, const char *name);
/* The properties of class `cls` ({NULL}-ended), or NULL; and a property of
 * such a list by name: for callers that check many properties of one class. */
const exhv_schema_prop *exhv_schema_props(const char *cls);
const exhv_schema_prop *exhv_schema_prop_in(const exhv_schema_prop *props, const char *name);
/* Does the table describe class `cls`? */
int exhv_schema_knows(const char *cls);
/* "uint64", ...; and back: EXHV_CIM_NONE when unknown. */
const char *exhv_cim_name(exhv_cim t);
exhv_cim exhv_cim_parse(const char *name);

#endif
