/* Compiler attributes used across exhv. */
#ifndef EXHV_COMPILER_H
#define EXHV_COMPILER_H

/* printf-style checking. MinGW builds use the C99 printf of
 * __USE_MINGW_ANSI_STDIO, so the format kind is gnu_printf there. */
#if defined(__MINGW32__)
#define EXHV_PRINTF(fmt, args) __attribute__((format(gnu_printf, fmt, args)))
#elif defined(__GNUC__)
#define EXHV_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define EXHV_PRINTF(fmt, args)
#endif

#endif
