#include "i18n.h"

#include <stdint.h>
#include <string.h>

/* Set before any worker starts and read-only afterwards (i18n.h). */
static exhv_lang lang_now = EXHV_LANG_EN;
static exhv_front front_now = EXHV_FRONT_CLI;

/* The Chinese catalogue's hash index: open addressing over entry numbers
 * plus one (0 = empty), built once, by the first exhv_lang_set that asks
 * for Chinese. A power of two at least twice the catalogue. */
#define INDEX_SIZE 4096u
static uint16_t zh_index[INDEX_SIZE];
static int zh_indexed;

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void index_zh(void)
{
    for (size_t i = 0; i < exhv_tr_zh_count && i < INDEX_SIZE / 2; i++) {
        uint32_t k = hash(exhv_tr_zh[i].en) & (INDEX_SIZE - 1);
        while (zh_index[k])
            k = (k + 1) & (INDEX_SIZE - 1);
        zh_index[k] = (uint16_t)(i + 1);
    }
    zh_indexed = 1;
}

void exhv_lang_set(exhv_lang lang)
{
    if (lang == EXHV_LANG_ZH && !zh_indexed)
        index_zh();
    lang_now = lang;
}

void exhv_front_set(exhv_front front)
{
    front_now = front;
}

exhv_front exhv_front_get(void)
{
    return front_now;
}

exhv_lang exhv_lang_get(void)
{
    return lang_now;
}

const char *exhv_tr(const char *en)
{
    uint32_t k;
    if (lang_now == EXHV_LANG_EN || !en)
        return en;
    for (k = hash(en) & (INDEX_SIZE - 1); zh_index[k]; k = (k + 1) & (INDEX_SIZE - 1)) {
        const exhv_tr_entry *e = &exhv_tr_zh[zh_index[k] - 1];
        if (strcmp(e->en, en) == 0)
            return e->text;
    }
    return en;
}
