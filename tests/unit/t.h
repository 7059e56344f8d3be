/* A small test harness: each TEST is a function; CHECKs inside it record
 * failures with file and line. The runner prints "N passed, N failed". */
#ifndef EXHV_T_H
#define EXHV_T_H

#include <stdio.h>
#include <string.h>

extern int t_current_failed;

#define CHECK(cond)                                                                     \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            t_current_failed++;                                                         \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);  \
        }                                                                               \
    } while (0)

#define CHECK_STR(a, b)                                                                 \
    do {                                                                                \
        const char *t_a = (a), *t_b = (b);                                              \
        if (!t_a || !t_b || strcmp(t_a, t_b) != 0) {                                    \
            t_current_failed++;                                                         \
            fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,          \
                    t_a ? t_a : "(null)", t_b ? t_b : "(null)");                        \
        }                                                                               \
    } while (0)

#define CHECK_INT(a, b)                                                                 \
    do {                                                                                \
        long long t_a = (long long)(a), t_b = (long long)(b);                           \
        if (t_a != t_b) {                                                               \
            t_current_failed++;                                                         \
            fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, \
                    #a, t_a, t_b);                                                      \
        }                                                                               \
    } while (0)

typedef struct t_case {
    const char *name;
    void (*fn)(void);
} t_case;

#define T_CASES(suite) const t_case suite[]
#define T_END {NULL, NULL}

#endif
