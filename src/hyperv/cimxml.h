/* Embedded instances (CIM-DTD 2.0 XML), the form Msvm_* methods take their
 * settings in. Written by our own serializer: IWbemObjectTextSrc is missing
 * under Wine, and string pasting would let a VM name break the XML. */
#ifndef EXHV_CIMXML_H
#define EXHV_CIMXML_H

#include "core/buf.h"
#include "core/error.h"
#include "hyperv/wmi.h"

/* Append <INSTANCE CLASSNAME="o->cls"> with each property of o, each with
 * its real CIM type: the one the value declares (a read instance, or an
 * object read from WMI, which keeps its CIMTYPE), else the one
 * hyperv/schema.c transcribes from Microsoft's class documentation (no
 * known client sends TYPE="string" for an integer or a boolean). Booleans
 * are true/false, integers decimal, text XML-escaped; NULL properties are
 * left out. Returns 0, or -1 when a property has no known type or a value
 * that does not fit it (b is then unchanged). */
int exhv_cimxml_write(exhv_buf *b, const exhv_wmi_obj *o, exhv_error *err);

/* Read an embedded instance back into a bag of typed properties (each value
 * keeps its declared CIM type in .cim), with its class in out->cls. Strict:
 * anything that is not an INSTANCE of PROPERTY / PROPERTY.ARRAY elements
 * with a known TYPE, and values that fit it, is refused. */
int exhv_cimxml_read(const char *xml, exhv_wmi_obj *out, exhv_error *err);

#endif
