/* Error reporting: recorded once, where it happens, read by the caller. */
#ifndef EXHV_ERROR_H
#define EXHV_ERROR_H

#include <stdarg.h>

#include "core/compiler.h"

typedef enum exhv_errcode {
    EXHV_OK = 0,
    EXHV_E_FAILED,       /* generic failure */
    EXHV_E_USAGE,        /* the caller asked for something malformed */
    EXHV_E_NOT_FOUND,    /* a named object does not exist */
    EXHV_E_NO_MEMORY,
    EXHV_E_IO,           /* file or device I/O */
    EXHV_E_PARSE,        /* malformed input (JSON, INF, .reg, WQL ...) */
    EXHV_E_PLATFORM,     /* an OS or Hyper-V call failed: see platform_code */
    EXHV_E_NO_HYPERV,    /* Hyper-V is not available on this host */
    EXHV_E_UNSUPPORTED,  /* not possible on this platform or connection */
    EXHV_E_AMBIGUOUS,    /* a name matches more than one object: the message lists them */
    EXHV_E_BUSY,         /* another exhv holds the host's lock: try again when it ends */
} exhv_errcode;

/* The platform code's kind, so that a renderer can name it. */
typedef enum exhv_platkind {
    EXHV_PLAT_NONE = 0,
    EXHV_PLAT_ERRNO,
    EXHV_PLAT_HRESULT,
    EXHV_PLAT_WIN32,
    EXHV_PLAT_CONFIGRET,
    EXHV_PLAT_MSVM,      /* an Msvm_* method's ReturnValue or job ErrorCode */
} exhv_platkind;

typedef struct exhv_error {
    exhv_errcode code;
    char message[768];          /* UTF-8; says what happened and what to do */
    exhv_platkind plat_kind;
    unsigned long plat_code;
    char plat_text[256];        /* the platform's words for plat_code */
} exhv_error;

/* Clear an error record to "no error". */
void exhv_error_clear(exhv_error *err);

/* Record an error. err may be NULL (the error is then dropped). Returns -1 so
 * that callers can write `return exhv_error_set(...)`. fmt is English and
 * is translated into the language in force (core/i18n.h), as is
 * exhv_error_prefix's. */
int exhv_error_set(exhv_error *err, exhv_errcode code, const char *fmt, ...)
    EXHV_PRINTF(3, 4)
    ;
int exhv_error_setv(exhv_error *err, exhv_errcode code, const char *fmt, va_list ap);

/* Attach a platform code and its text to an error already set. */
void exhv_error_platform(exhv_error *err, exhv_platkind kind, unsigned long code,
                         const char *text);

/* Prefix the recorded message with context ("reading scenario: ..."). */
void exhv_error_prefix(exhv_error *err, const char *fmt, ...)
    EXHV_PRINTF(2, 3)
    ;

/* Words for an Msvm_* ReturnValue or ConcreteJob ErrorCode (static text). */
const char *exhv_msvm_return_text(unsigned long code);

/* Stable short name of an error code, for JSON ("not_found" ...). */
const char *exhv_errcode_name(exhv_errcode code);

#endif
