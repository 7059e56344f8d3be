/* COM WMI: connect, query, execute methods, and VARIANT <-> property bag. */
#define COBJMACROS
#include <windows.h>
#include <oleauto.h>
#include <wbemidl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "hyperv/win/winports.h"
#include "platform/win32/utf16.h"

struct exhv_wbem {
    IWbemServices *svc;
    int com_initialized;   /* this connection balanced a CoInitializeEx */
};

/* Every WBEM_E_* code (wbemcli.h) and the RPC/COM failures a WMI call can
 * end in, with words: FormatMessage knows none of the WBEM codes. */
static const struct {
    unsigned long hr;
    const char *text;
} wbem_texts[] = {
    {0x80041001UL, "WBEM_E_FAILED: the call failed"},
    {0x80041002UL, "WBEM_E_NOT_FOUND: object not found"},
    {0x80041003UL, "WBEM_E_ACCESS_DENIED: access denied"},
    {0x80041004UL, "WBEM_E_PROVIDER_FAILURE: the WMI provider failed"},
    {0x80041005UL, "WBEM_E_TYPE_MISMATCH: a value has the wrong type"},
    {0x80041006UL, "WBEM_E_OUT_OF_MEMORY: out of memory"},
    {0x80041007UL, "WBEM_E_INVALID_CONTEXT: the context is not valid"},
    {0x80041008UL, "WBEM_E_INVALID_PARAMETER: a parameter is not valid"},
    {0x80041009UL, "WBEM_E_NOT_AVAILABLE: the resource is not available"},
    {0x8004100AUL, "WBEM_E_CRITICAL_ERROR: WMI failed critically"},
    {0x8004100BUL, "WBEM_E_INVALID_STREAM: a stream is not valid"},
    {0x8004100CUL, "WBEM_E_NOT_SUPPORTED: not supported"},
    {0x8004100DUL, "WBEM_E_INVALID_SUPERCLASS: the superclass is not valid"},
    {0x8004100EUL, "WBEM_E_INVALID_NAMESPACE: the namespace does not exist"},
    {0x8004100FUL, "WBEM_E_INVALID_OBJECT: the object is not valid"},
    {0x80041010UL, "WBEM_E_INVALID_CLASS: the class does not exist"},
    {0x80041011UL, "WBEM_E_PROVIDER_NOT_FOUND: the WMI provider is not registered"},
    {0x80041012UL, "WBEM_E_INVALID_PROVIDER_REGISTRATION: the provider's registration is not valid"},
    {0x80041013UL, "WBEM_E_PROVIDER_LOAD_FAILURE: the provider could not be loaded"},
    {0x80041014UL, "WBEM_E_INITIALIZATION_FAILURE: a WMI component failed to start"},
    {0x80041015UL, "WBEM_E_TRANSPORT_FAILURE: a network error stopped the call"},
    {0x80041016UL, "WBEM_E_INVALID_OPERATION: the operation is not valid here"},
    {0x80041017UL, "WBEM_E_INVALID_QUERY: the query is not valid"},
    {0x80041018UL, "WBEM_E_INVALID_QUERY_TYPE: the query language is not supported"},
    {0x80041019UL, "WBEM_E_ALREADY_EXISTS: the object already exists"},
    {0x8004101DUL, "WBEM_E_UNEXPECTED: an unexpected error"},
    {0x8004101EUL, "WBEM_E_INCOMPLETE_CLASS: the class is incomplete"},
    {0x80041024UL, "WBEM_E_PROVIDER_NOT_CAPABLE: the provider cannot do this"},
    {0x8004102FUL, "WBEM_E_INVALID_METHOD: the method does not exist"},
    {0x80041030UL, "WBEM_E_INVALID_METHOD_PARAMETERS: the method's parameters are not valid"},
    {0x80041032UL, "WBEM_E_CALL_CANCELLED: the call was cancelled"},
    {0x80041033UL, "WBEM_E_SHUTTING_DOWN: WMI is shutting down"},
    {0x80041034UL, "WBEM_E_PROPAGATED_METHOD: the method is not valid on this object"},
    {0x80041045UL, "WBEM_E_SERVER_TOO_BUSY: the WMI service is too busy"},
    {0x8004106CUL, "WBEM_E_QUOTA_VIOLATION: a WMI quota was exceeded"},
    {0x80043001UL, "WBEMESS_E_REGISTRATION_TOO_BROAD: the query is too broad"},
    {0x80070005UL, "E_ACCESSDENIED: access denied"},
    {0x8007000EUL, "E_OUTOFMEMORY: out of memory"},
    {0x80010108UL, "RPC_E_DISCONNECTED: the WMI service went away"},
    {0x800706BAUL, "RPC_S_SERVER_UNAVAILABLE: the WMI service is not available"},
    {0x800706BEUL, "RPC_S_CALL_FAILED: the call to the WMI service failed"},
};

int exhv_hresult_error(exhv_error *err, unsigned long hr, const char *what)
{
    char text[256] = "";
    wchar_t *w = NULL;

    for (size_t i = 0; i < sizeof(wbem_texts) / sizeof(wbem_texts[0]); i++)
        if (wbem_texts[i].hr == hr)
            snprintf(text, sizeof(text), "%s", wbem_texts[i].text);
    if (!text[0] && FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                                       FORMAT_MESSAGE_IGNORE_INSERTS,
                                   NULL, (DWORD)hr, 0, (LPWSTR)&w, 0, NULL) && w) {
        char *u = exhv_w_to_utf8(w);
        size_t n;
        snprintf(text, sizeof(text), "%s", u ? u : "");
        free(u);
        LocalFree(w);
        n = strlen(text);
        while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
            text[--n] = '\0';
    }
    exhv_error_set(err, EXHV_E_PLATFORM,
                   "%s failed%s", what,
                   hr == 0x80041003UL || hr == 0x80070005UL
                       ? exhv_tr(": access denied; run exhv from an administrator prompt")
                       : "");
    exhv_error_platform(err, EXHV_PLAT_HRESULT, hr, text);
    return -1;
}

int exhv_wbem_connect(const char *ns, exhv_wbem **out, exhv_error *err)
{
    exhv_wbem *w = calloc(1, sizeof(*w));
    IWbemLocator *loc = NULL;
    BSTR bns = NULL;
    wchar_t *wns = NULL;
    HRESULT hr;
    int rc = -1;

    if (!w)
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (SUCCEEDED(hr))
        w->com_initialized = 1;
    else if (hr != RPC_E_CHANGED_MODE) {
        exhv_hresult_error(err, (unsigned long)hr, "CoInitializeEx");
        goto out;
    }
    /* Once per process; RPC_E_TOO_LATE means someone already chose. */
    hr = CoInitializeSecurity(NULL, -1, NULL, NULL, RPC_C_AUTHN_LEVEL_DEFAULT,
                              RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE, NULL);
    if (FAILED(hr) && hr != RPC_E_TOO_LATE) {
        exhv_hresult_error(err, (unsigned long)hr, "CoInitializeSecurity");
        goto out;
    }
    hr = CoCreateInstance(&CLSID_WbemLocator, NULL, CLSCTX_INPROC_SERVER, &IID_IWbemLocator,
                          (void **)&loc);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "creating the WMI locator");
        goto out;
    }
    if (!(wns = exhv_utf8_to_w(ns)) || !(bns = SysAllocString(wns))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    hr = IWbemLocator_ConnectServer(loc, bns, NULL, NULL, NULL, 0, NULL, NULL, &w->svc);
    if (FAILED(hr)) {
        char what[160];
        snprintf(what, sizeof(what), "connecting to WMI namespace %s", ns);
        exhv_hresult_error(err, (unsigned long)hr, what);
        goto out;
    }
    hr = CoSetProxyBlanket((IUnknown *)w->svc, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, NULL,
                           RPC_C_AUTHN_LEVEL_CALL, RPC_C_IMP_LEVEL_IMPERSONATE, NULL, EOAC_NONE);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "CoSetProxyBlanket");
        goto out;
    }
    *out = w;
    w = NULL;
    rc = 0;
out:
    SysFreeString(bns);
    free(wns);
    if (loc)
        IWbemLocator_Release(loc);
    exhv_wbem_close(w);
    return rc;
}

void exhv_wbem_close(exhv_wbem *w)
{
    if (!w)
        return;
    if (w->svc)
        IWbemServices_Release(w->svc);
    if (w->com_initialized)
        CoUninitialize();
    free(w);
}

/* ---- VARIANT -> exhv_value ---- */

static int variant_to_value(const VARIANT *var, CIMTYPE cim, exhv_value *v);
static int variant_to_value_raw(const VARIANT *var, CIMTYPE cim, exhv_value *v);

/* A SAFEARRAY of VT_BSTR, of integers, of VT_VARIANT (each element read
 * into a VARIANT, never into a smaller buffer) or of objects (left out:
 * SafeArrayGetElement would add a reference nobody releases). */
static int array_to_value(SAFEARRAY *sa, VARTYPE vt, CIMTYPE cim, exhv_value *v)
{
    LONG lo, hi;
    size_t n;

    switch (vt) {
    case VT_BSTR: case VT_VARIANT: case VT_I1: case VT_UI1: case VT_I2: case VT_UI2:
    case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_I8: case VT_UI8: case VT_BOOL:
        break;
    default:
        /* Embedded objects, reals, dates: exhv reads none, as for a single
         * value of those types; never a reason to fail the whole object. */
        return 0;
    }
    if (!sa)
        return 0;
    if (FAILED(SafeArrayGetLBound(sa, 1, &lo)) || FAILED(SafeArrayGetUBound(sa, 1, &hi)))
        return -1;
    n = hi >= lo ? (size_t)(hi - lo + 1) : 0;
    if (vt == VT_BSTR || vt == VT_VARIANT) {
        /* Element by element; a VT_VARIANT array whose first element is a
         * string is read as strings, else as integers. */
        int wide = (cim & ~CIM_FLAG_ARRAY) == CIM_UINT64 || (cim & ~CIM_FLAG_ARRAY) == CIM_SINT64;
        int strings = vt == VT_BSTR && !wide;
        if (vt == VT_VARIANT && n) {
            VARIANT first;
            LONG i = lo;
            VariantInit(&first);
            if (SUCCEEDED(SafeArrayGetElement(sa, &i, &first)))
                strings = V_VT(&first) == VT_BSTR && !wide;
            VariantClear(&first);
        }
        v->type = strings ? EXHV_V_STRS : EXHV_V_INTS;
        if (strings ? !(v->strs = calloc(n ? n : 1, sizeof(char *)))
                    : !(v->ints = calloc(n ? n : 1, sizeof(int64_t))))
            return -1;
        for (LONG i = lo; i <= hi; i++) {
            VARIANT e;
            exhv_value one = {0};
            VariantInit(&e);
            if (vt == VT_BSTR) {
                BSTR s = NULL;
                if (FAILED(SafeArrayGetElement(sa, &i, &s)))
                    return -1;
                V_VT(&e) = VT_BSTR;
                V_BSTR(&e) = s;
            } else if (FAILED(SafeArrayGetElement(sa, &i, &e))) {
                return -1;
            }
            if (variant_to_value(&e, cim & ~CIM_FLAG_ARRAY, &one) < 0) {
                VariantClear(&e);
                return -1;
            }
            VariantClear(&e);
            if (strings) {
                v->strs[i - lo] = exhv_strdup(one.type == EXHV_V_STR && one.s ? one.s : "");
                exhv_value_release(&one);
                if (!v->strs[i - lo])
                    return -1;
            } else {
                v->ints[i - lo] = one.type == EXHV_V_INT || one.type == EXHV_V_BOOL ? one.i : 0;
                exhv_value_release(&one);
            }
            v->n = (size_t)(i - lo + 1);
        }
        return 0;
    }
    v->type = EXHV_V_INTS;
    if (!(v->ints = calloc(n ? n : 1, sizeof(int64_t))))
        return -1;
    for (LONG i = lo; i <= hi; i++) {
        union {
            signed char i1;
            unsigned char u1;
            short i2;
            unsigned short u2;
            LONG i4;
            ULONG u4;
            LONGLONG i8;
            VARIANT_BOOL b;
        } e;
        memset(&e, 0, sizeof(e));   /* vt is one the union holds (checked above) */
        if (FAILED(SafeArrayGetElement(sa, &i, &e)))
            return -1;
        switch (vt) {
        case VT_I1: v->ints[i - lo] = e.i1; break;
        case VT_UI1: v->ints[i - lo] = e.u1; break;
        case VT_I2: v->ints[i - lo] = e.i2; break;
        case VT_UI2: v->ints[i - lo] = e.u2; break;
        case VT_UI4: case VT_UINT: v->ints[i - lo] = e.u4; break;
        case VT_I8: case VT_UI8: v->ints[i - lo] = e.i8; break;
        case VT_BOOL: v->ints[i - lo] = e.b != VARIANT_FALSE; break;
        default:
            /* WMI hands uint32 over as VT_I4: read it unsigned. */
            v->ints[i - lo] = (cim & ~CIM_FLAG_ARRAY) == CIM_UINT32 ? (int64_t)e.u4 : e.i4;
            break;
        }
    }
    v->n = n;
    return 0;
}

/* cim is the property's CIM type when known (0 otherwise): WMI hands
 * uint32 over as VT_I4, so 2^31 and above would read negative. */
/* The CIM type WMI declares for a property, as embedded instances name it:
 * a value read from Hyper-V (a default setting sent back with changes)
 * keeps the type of the live class, whatever hyperv/schema.c knows. */
static exhv_cim cim_of(CIMTYPE cim)
{
    switch (cim & ~CIM_FLAG_ARRAY) {
    case CIM_STRING: return EXHV_CIM_STRING;
    case CIM_BOOLEAN: return EXHV_CIM_BOOLEAN;
    case CIM_UINT8: return EXHV_CIM_UINT8;
    case CIM_UINT16: return EXHV_CIM_UINT16;
    case CIM_UINT32: return EXHV_CIM_UINT32;
    case CIM_UINT64: return EXHV_CIM_UINT64;
    case CIM_SINT8: return EXHV_CIM_SINT8;
    case CIM_SINT16: return EXHV_CIM_SINT16;
    case CIM_SINT32: return EXHV_CIM_SINT32;
    case CIM_SINT64: return EXHV_CIM_SINT64;
    case CIM_DATETIME: return EXHV_CIM_DATETIME;
    default: return EXHV_CIM_NONE;   /* references, reals, objects: typed by the table */
    }
}

static int variant_to_value(const VARIANT *var, CIMTYPE cim, exhv_value *v)
{
    int rc = variant_to_value_raw(var, cim, v);
    if (rc == 0 && v->type != EXHV_V_NULL)
        v->cim = cim_of(cim);
    return rc;
}

static int variant_to_value_raw(const VARIANT *var, CIMTYPE cim, exhv_value *v)
{
    memset(v, 0, sizeof(*v));
    if (V_VT(var) & VT_ARRAY) {
        if (array_to_value(V_ARRAY(var), (VARTYPE)(V_VT(var) & VT_TYPEMASK), cim, v) < 0) {
            exhv_value_release(v);
            memset(v, 0, sizeof(*v));
            return -1;
        }
        return 0;
    }
    /* WMI hands 64-bit integers over as decimal strings (VT_BSTR). */
    if (V_VT(var) == VT_BSTR && V_BSTR(var) &&
        ((cim & ~CIM_FLAG_ARRAY) == CIM_UINT64 || (cim & ~CIM_FLAG_ARRAY) == CIM_SINT64)) {
        wchar_t *end = NULL;
        unsigned long long u = 0;
        long long i = 0;
        errno = 0;
        if ((cim & ~CIM_FLAG_ARRAY) == CIM_UINT64)
            u = wcstoull(V_BSTR(var), &end, 10);
        else
            i = wcstoll(V_BSTR(var), &end, 10);
        if (!errno && end && end != V_BSTR(var) && !*end) {
            v->type = EXHV_V_INT;
            v->i = (cim & ~CIM_FLAG_ARRAY) == CIM_UINT64 ? (int64_t)u : i;
            return 0;
        }
    }
    switch (V_VT(var)) {
    case VT_EMPTY: case VT_NULL: return 0;
    case VT_BOOL: v->type = EXHV_V_BOOL; v->i = V_BOOL(var) != VARIANT_FALSE; return 0;
    case VT_I1: v->type = EXHV_V_INT; v->i = V_I1(var); return 0;
    case VT_UI1: v->type = EXHV_V_INT; v->i = V_UI1(var); return 0;
    case VT_I2: v->type = EXHV_V_INT; v->i = V_I2(var); return 0;
    case VT_UI2: v->type = EXHV_V_INT; v->i = V_UI2(var); return 0;
    case VT_I4: case VT_INT:
        v->type = EXHV_V_INT;
        v->i = cim == CIM_UINT32 ? (int64_t)(uint32_t)V_I4(var) : V_I4(var);
        return 0;
    case VT_UI4: case VT_UINT: v->type = EXHV_V_INT; v->i = V_UI4(var); return 0;
    case VT_I8: v->type = EXHV_V_INT; v->i = V_I8(var); return 0;
    case VT_UI8: v->type = EXHV_V_INT; v->i = (int64_t)V_UI8(var); return 0;
    case VT_BSTR:
        v->type = EXHV_V_STR;
        return (v->s = exhv_w_to_utf8(V_BSTR(var) ? V_BSTR(var) : L"")) ? 0 : -1;
    default:
        return 0;   /* dates, embedded objects: not used by exhv */
    }
}

int exhv_wbem_variant_value(const VARIANT *var, long cim, exhv_value *out)
{
    return variant_to_value(var, (CIMTYPE)cim, out);
}

static int get_string(IWbemClassObject *o, const wchar_t *name, char **out)
{
    VARIANT v;
    VariantInit(&v);
    *out = NULL;
    if (SUCCEEDED(IWbemClassObject_Get(o, name, 0, &v, NULL, NULL)) && V_VT(&v) == VT_BSTR)
        *out = exhv_w_to_utf8(V_BSTR(&v));
    VariantClear(&v);
    return 0;
}

static int object_to_bag(IWbemClassObject *o, exhv_wmi_obj *bag, exhv_error *err)
{
    BSTR name = NULL;
    VARIANT var;
    CIMTYPE cim = 0;
    HRESULT hr;
    int rc = -1;

    get_string(o, L"__CLASS", &bag->cls);
    get_string(o, L"__PATH", &bag->path);
    if (!bag->path && !(bag->path = exhv_strdup("")))
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    if (FAILED(hr = IWbemClassObject_BeginEnumeration(o, WBEM_FLAG_NONSYSTEM_ONLY)))
        return exhv_hresult_error(err, (unsigned long)hr, "enumerating WMI properties");
    VariantInit(&var);
    /* Next ends with WBEM_S_NO_MORE_DATA; any failure code is an object
     * read only in part, never a complete one (IWbemClassObject::Next). */
    while ((hr = IWbemClassObject_Next(o, 0, &name, &var, &cim, NULL)) == WBEM_S_NO_ERROR) {
        exhv_value val = {0};   /* released on every path, so never uninitialised */
        char *uname = exhv_w_to_utf8(name);
        if (!uname || variant_to_value(&var, cim, &val) < 0 ||
            exhv_wmi_set_value(bag, uname, &val) < 0) {
            free(uname);
            exhv_value_release(&val);
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        exhv_value_release(&val);
        free(uname);
        SysFreeString(name);
        name = NULL;
        VariantClear(&var);
    }
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "reading WMI properties");
        goto out;
    }
    rc = 0;
out:
    SysFreeString(name);
    VariantClear(&var);
    IWbemClassObject_EndEnumeration(o);
    return rc;
}

int exhv_wbem_query(exhv_wbem *w, const char *wql, exhv_wmi_objs *out, exhv_error *err)
{
    IEnumWbemClassObject *en = NULL;
    exhv_wmi_objs res = {0};
    wchar_t *wq = exhv_utf8_to_w(wql);
    BSTR lang = SysAllocString(L"WQL"), bq = wq ? SysAllocString(wq) : NULL;
    HRESULT hr;
    int rc = -1;

    if (!lang || !bq) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    hr = IWbemServices_ExecQuery(w->svc, lang, bq,
                                 WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, NULL, &en);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "WMI query");
        goto out;
    }
    for (;;) {
        IWbemClassObject *o = NULL;
        ULONG got = 0;
        exhv_wmi_obj *bag;
        hr = IEnumWbemClassObject_Next(en, (LONG)WBEM_INFINITE, 1, &o, &got);
        if (FAILED(hr)) {
            exhv_hresult_error(err, (unsigned long)hr, "reading WMI query results");
            goto out;
        }
        if (got == 0)
            break;
        if (!(bag = exhv_wmi_objs_push(&res))) {
            IWbemClassObject_Release(o);
            exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
            goto out;
        }
        rc = object_to_bag(o, bag, err);
        IWbemClassObject_Release(o);
        if (rc < 0)
            goto out;
        rc = -1;
    }
    *out = res;
    memset(&res, 0, sizeof(res));
    rc = 0;
out:
    exhv_wmi_objs_release(&res);
    if (en)
        IEnumWbemClassObject_Release(en);
    SysFreeString(lang);
    SysFreeString(bq);
    free(wq);
    return rc;
}

int exhv_wbem_get(exhv_wbem *w, const char *path, exhv_wmi_obj *out, exhv_error *err)
{
    wchar_t *wpath = exhv_utf8_to_w(path);
    BSTR bpath = wpath ? SysAllocString(wpath) : NULL;
    IWbemClassObject *o = NULL;
    exhv_wmi_obj bag = {0};
    HRESULT hr;
    int rc = -1;

    if (!bpath) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    hr = IWbemServices_GetObject(w->svc, bpath, WBEM_FLAG_RETURN_WBEM_COMPLETE, NULL, &o, NULL);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "reading a WMI object");
        rc = hr == (HRESULT)0x80041002L ? -2 : -1;   /* WBEM_E_NOT_FOUND */
        goto out;
    }
    if (object_to_bag(o, &bag, err) < 0)
        goto out;
    *out = bag;
    memset(&bag, 0, sizeof(bag));
    rc = 0;
out:
    exhv_wmi_obj_release(&bag);
    if (o)
        IWbemClassObject_Release(o);
    SysFreeString(bpath);
    free(wpath);
    return rc;
}

/* ---- exhv_value -> VARIANT (for in-parameters) ---- */

static int value_to_variant(const exhv_value *v, VARIANT *var)
{
    VariantInit(var);
    switch (v->type) {
    case EXHV_V_NULL:
        V_VT(var) = VT_NULL;
        return 0;
    case EXHV_V_BOOL:
        V_VT(var) = VT_BOOL;
        V_BOOL(var) = v->i ? VARIANT_TRUE : VARIANT_FALSE;
        return 0;
    case EXHV_V_INT:
        /* WMI takes 32-bit integers as VT_I4 whatever their CIM type, and
         * 64-bit ones as decimal strings. */
        if (v->i >= INT32_MIN && v->i <= (int64_t)UINT32_MAX) {
            V_VT(var) = VT_I4;
            V_I4(var) = (LONG)(int32_t)(uint32_t)v->i;
        } else {
            wchar_t num[32];
            swprintf(num, 32, L"%lld", (long long)v->i);
            V_VT(var) = VT_BSTR;
            if (!(V_BSTR(var) = SysAllocString(num)))
                return -1;
        }
        return 0;
    case EXHV_V_STR: {
        wchar_t *w = exhv_utf8_to_w(v->s ? v->s : "");
        V_VT(var) = VT_BSTR;
        V_BSTR(var) = w ? SysAllocString(w) : NULL;
        free(w);
        return V_BSTR(var) ? 0 : -1;
    }
    case EXHV_V_STRS:
    case EXHV_V_INTS: {
        SAFEARRAY *sa = SafeArrayCreateVector(v->type == EXHV_V_STRS ? VT_BSTR : VT_I4, 0,
                                              (ULONG)v->n);
        if (!sa)
            return -1;
        for (LONG i = 0; i < (LONG)v->n; i++) {
            if (v->type == EXHV_V_STRS) {
                wchar_t *w = exhv_utf8_to_w(v->strs[i] ? v->strs[i] : "");
                BSTR b = w ? SysAllocString(w) : NULL;
                free(w);
                if (!b || FAILED(SafeArrayPutElement(sa, &i, b))) {
                    SysFreeString(b);
                    SafeArrayDestroy(sa);
                    return -1;
                }
                SysFreeString(b);   /* PutElement copied it */
            } else {
                LONG x = (LONG)v->ints[i];
                if (FAILED(SafeArrayPutElement(sa, &i, &x))) {
                    SafeArrayDestroy(sa);
                    return -1;
                }
            }
        }
        V_VT(var) = (VARTYPE)(VT_ARRAY | (v->type == EXHV_V_STRS ? VT_BSTR : VT_I4));
        V_ARRAY(var) = sa;
        return 0;
    }
    }
    return -1;
}

int exhv_wbem_exec(exhv_wbem *w, const char *path, const char *method, const exhv_wmi_obj *in,
                   exhv_wmi_obj *out, exhv_error *err)
{
    char cls[256];
    wchar_t *wcls = NULL, *wpath = NULL, *wmethod = NULL;
    BSTR bcls = NULL, bpath = NULL, bmethod = NULL;
    IWbemClassObject *def = NULL, *sig = NULL, *args = NULL, *res = NULL;
    exhv_wmi_obj bag = {0};
    HRESULT hr;
    int rc = -1;

    exhv_wmi_path_class(path, cls, sizeof(cls));
    if (!(wcls = exhv_utf8_to_w(cls)) || !(wpath = exhv_utf8_to_w(path)) ||
        !(wmethod = exhv_utf8_to_w(method)) || !(bcls = SysAllocString(wcls)) ||
        !(bpath = SysAllocString(wpath)) || !(bmethod = SysAllocString(wmethod))) {
        exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
        goto out;
    }
    hr = IWbemServices_GetObject(w->svc, bcls, 0, NULL, &def, NULL);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "reading the WMI class");
        goto out;
    }
    hr = IWbemClassObject_GetMethod(def, wmethod, 0, &sig, NULL);
    if (FAILED(hr)) {
        exhv_hresult_error(err, (unsigned long)hr, "looking up the WMI method");
        goto out;
    }
    if (sig) {
        if (FAILED(hr = IWbemClassObject_SpawnInstance(sig, 0, &args))) {
            exhv_hresult_error(err, (unsigned long)hr, "preparing the method's parameters");
            goto out;
        }
        for (size_t i = 0; in && i < in->nprops; i++) {
            VARIANT var;
            wchar_t *pname = exhv_utf8_to_w(in->props[i].name);
            if (!pname || value_to_variant(&in->props[i].v, &var) < 0) {
                free(pname);
                exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
                goto out;
            }
            hr = IWbemClassObject_Put(args, pname, 0, &var, 0);
            VariantClear(&var);
            free(pname);
            if (FAILED(hr)) {
                char what[192];
                snprintf(what, sizeof(what), "setting parameter %s of %s", in->props[i].name,
                         method);
                exhv_hresult_error(err, (unsigned long)hr, what);
                goto out;
            }
        }
    }
    hr = IWbemServices_ExecMethod(w->svc, bpath, bmethod, 0, NULL, args, &res, NULL);
    if (FAILED(hr)) {
        char what[192];
        snprintf(what, sizeof(what), "calling %s", method);
        exhv_hresult_error(err, (unsigned long)hr, what);
        goto out;
    }
    if (res && object_to_bag(res, &bag, err) < 0)
        goto out;
    *out = bag;
    memset(&bag, 0, sizeof(bag));
    rc = 0;
out:
    exhv_wmi_obj_release(&bag);
    if (res)
        IWbemClassObject_Release(res);
    if (args)
        IWbemClassObject_Release(args);
    if (sig)
        IWbemClassObject_Release(sig);
    if (def)
        IWbemClassObject_Release(def);
    SysFreeString(bcls);
    SysFreeString(bpath);
    SysFreeString(bmethod);
    free(wcls);
    free(wpath);
    free(wmethod);
    return rc;
}
