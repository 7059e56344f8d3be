/* The language of the text exhv writes for people: plan titles, steps,
 * reasons, notes, results, check and survey sentences, error messages.
 *
 * Text is translated where it is formatted, by its English format string:
 * the functions that take a sentence for a person (exhv_error_set,
 * exhv_error_prefix, exhv_plan_add_note, exhv_buf_tprintf, and exhv_tr for
 * a sentence kept as it is) look the format up in the catalogue of the
 * language in force. English is the catalogue's key and the CLI's language,
 * so English needs no table. tests/gui/core_strings.py checks that every
 * such format has a Chinese entry with the same conversions in the same
 * order. */
#ifndef EXHV_I18N_H
#define EXHV_I18N_H

#include <stddef.h>

typedef enum exhv_lang {
    EXHV_LANG_EN,
    EXHV_LANG_ZH,   /* Simplified Chinese */
} exhv_lang;

/* Set the language. Call it while no other thread formats text (the GUI
 * sets it before it starts a worker); it is only read afterwards. */
void exhv_lang_set(exhv_lang lang);
exhv_lang exhv_lang_get(void);

/* The front end whose words name the user's choices in plans: the CLI's
 * flags (--stop, --share) or the window's controls. Set like the
 * language, before work starts. */
typedef enum exhv_front {
    EXHV_FRONT_CLI,
    EXHV_FRONT_GUI,
} exhv_front;

void exhv_front_set(exhv_front front);
exhv_front exhv_front_get(void);

/* The text of the English format string `en` in the language in force:
 * `en` itself in English or when the catalogue has no entry. The result
 * is static and takes the same printf arguments as `en`. */
#if defined(__GNUC__)
__attribute__((format_arg(1)))
#endif
const char *exhv_tr(const char *en);

/* Marks a literal kept in a table or a variable and translated where it is
 * used, by exhv_tr on it: the catalogue check counts it as a format. */
#define EXHV_N(en) (en)

/* One entry of a catalogue: an English format and its translation. */
typedef struct exhv_tr_entry {
    const char *en, *text;
} exhv_tr_entry;

extern const exhv_tr_entry exhv_tr_zh[];
extern const size_t exhv_tr_zh_count;

#endif
