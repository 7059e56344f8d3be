/* PowerShell text for people to read or run: quoting. */
#ifndef EXHV_PWSH_H
#define EXHV_PWSH_H

#include "buf.h"

/* Append s as a single-quoted PowerShell string. PowerShell ends a
 * single-quoted string at ' and at the typographic quotes U+2018..U+201B,
 * so each of those is doubled; everything else, newlines included, stands
 * as it is. */
void exhv_pwsh_quote(exhv_buf *b, const char *s);

#endif
