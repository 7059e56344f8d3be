#include "error.h"
#include "i18n.h"

#include <stdio.h>
#include <string.h>

void exhv_error_clear(exhv_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

int exhv_error_setv(exhv_error *err, exhv_errcode code, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    exhv_error_clear(err);
    err->code = code;
    vsnprintf(err->message, sizeof(err->message), exhv_tr(fmt), ap);
    return -1;
}

int exhv_error_set(exhv_error *err, exhv_errcode code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    exhv_error_setv(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

void exhv_error_platform(exhv_error *err, exhv_platkind kind, unsigned long code,
                         const char *text)
{
    if (!err)
        return;
    err->plat_kind = kind;
    err->plat_code = code;
    snprintf(err->plat_text, sizeof(err->plat_text), "%s", text ? text : "");
}

void exhv_error_prefix(exhv_error *err, const char *fmt, ...)
{
    char prefix[256], old[sizeof(err->message)];
    va_list ap;

    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), exhv_tr(fmt), ap);
    va_end(ap);
    memcpy(old, err->message, sizeof(old));
    snprintf(err->message, sizeof(err->message), "%s: %s", prefix, old);
}

/* Msvm return values: Microsoft's Hyper-V WMI v2 documentation
 * (reference/hyperv-wmi.md, "Return values and jobs"). */
const char *exhv_msvm_return_text(unsigned long code)
{
    switch (code) {
    case 0: return exhv_tr("completed");
    case 1: return exhv_tr("not supported");
    case 2: return exhv_tr("failed");
    case 3: return exhv_tr("timed out");
    case 4: return exhv_tr("invalid parameter");
    case 5: return exhv_tr("invalid state");
    case 6: return exhv_tr("incompatible parameters");
    case 4096: return exhv_tr("job started");
    case 32768: return exhv_tr("failed (method specific)");
    case 32769: return exhv_tr("access denied");
    case 32770: return exhv_tr("not supported");
    case 32771: return exhv_tr("status is unknown");
    case 32772: return exhv_tr("timeout");
    case 32773: return exhv_tr("invalid parameter");
    case 32774: return exhv_tr("system is in use");
    case 32775: return exhv_tr("invalid state for this operation");
    case 32776: return exhv_tr("incorrect data type");
    case 32777: return exhv_tr("system is not available");
    case 32778: return exhv_tr("out of memory");
    case 32779: return exhv_tr("file not found");
    default: return exhv_tr("unknown return value");
    }
}

const char *exhv_errcode_name(exhv_errcode code)
{
    static const char *const names[] = {
        [EXHV_OK] = "ok",
        [EXHV_E_FAILED] = "failed",
        [EXHV_E_USAGE] = "usage",
        [EXHV_E_NOT_FOUND] = "not_found",
        [EXHV_E_NO_MEMORY] = "no_memory",
        [EXHV_E_IO] = "io",
        [EXHV_E_PARSE] = "parse",
        [EXHV_E_PLATFORM] = "platform",
        [EXHV_E_NO_HYPERV] = "no_hyperv",
        [EXHV_E_UNSUPPORTED] = "unsupported",
        [EXHV_E_AMBIGUOUS] = "ambiguous",
        [EXHV_E_BUSY] = "busy",
    };
    if ((unsigned)code < sizeof(names) / sizeof(names[0]) && names[code])
        return names[code];
    return "failed";
}
