/* Embedded instances (CIM-DTD 2.0 XML), the form Msvm_* methods take their
 * settings in. Written by our own serializer: IWbemObjectTextSrc is missing
 * under Wine, and string pasting would let a VM name break the XML. */
#ifndef EXHV_CIMXML_H
#define EXHV_CIMXML_H

#include "core/buf.h"
#include "core/error.h"
#include "hyperv/wmi.h"

/* Append <INSTANCE CLASSNAME="o->cls"> with each property of o. Scalars and
 * arrays are written as TYPE="string" values (WMI converts them to the
 * property's CIM type); booleans as true/false, integers in decimal; text
 * is XML-escaped. NULL properties are left out. */
void exhv_cimxml_write(exhv_buf *b, const exhv_wmi_obj *o);

/* Read an embedded instance back into a bag of string (and string-array)
 * properties, with its class in out->cls. Strict: anything that is not an
 * INSTANCE of PROPERTY / PROPERTY.ARRAY elements is refused. */
int exhv_cimxml_read(const char *xml, exhv_wmi_obj *out, exhv_error *err);

#endif
