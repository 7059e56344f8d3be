#include "core/text.h"
#include "t.h"

static void cell(const char *s, int cols, int pad, const char *want, int want_cols)
{
    exhv_buf b = EXHV_BUF_INIT;
    int n = exhv_text_cell(&b, s, cols, pad);
    CHECK_STR(exhv_buf_str(&b), want);
    CHECK_INT(n, want_cols);
    exhv_buf_release(&b);
}

static void t_cells(void)
{
    cell("abc", 10, 5, "abc  ", 5);
    cell("abcdefghij", 6, 0, "abc...", 6);
    cell("测试机", -1, 0, "测试机", 6);          /* wide characters: 2 columns */
    cell("测试机测试机", 7, 0, "测试...", 7);
    cell("a\nb\tc\x1b", -1, 0, "a\\nb\\tc\\x1b", 11); /* no raw control characters */
    cell("bad\xff", -1, 0, "bad\xEF\xBF\xBD", 4);
    cell(NULL, 3, 3, "   ", 3);
}

static void tail(const char *s, int cols, const char *want, int want_cols)
{
    exhv_buf b = EXHV_BUF_INIT;
    int n = exhv_text_cell_tail(&b, s, cols);
    CHECK_STR(exhv_buf_str(&b), want);
    CHECK_INT(n, want_cols);
    exhv_buf_release(&b);
}

/* A cut path keeps its file name. */
static void t_tail(void)
{
    tail("/srv/labs/host.json", 40, "/srv/labs/host.json", 19);
    tail("/srv/labs/host.json", 13, ".../host.json", 13);
    tail("/a/测试机.json", 10, "...机.json", 10); /* 测 and 试 go whole */
    tail("/a/测试机.json", 9, "....json", 8);   /* no half of a wide character */
    tail("x\n/y", 5, "x\\n/y", 5);             /* escapes still apply */
    tail("x\n/y", 4, "...y", 4);
}

static void t_utf8(void)
{
    char out[4];
    uint32_t cp;
    CHECK(exhv_utf8_valid("测试机", strlen("测试机")));
    CHECK(!exhv_utf8_valid("\xC0\x80", 2));          /* overlong NUL */
    CHECK(!exhv_utf8_valid("\xED\xA0\x80", 3));      /* surrogate */
    CHECK_INT(exhv_utf8_encode(0x6D4B, out), 3);
    CHECK_INT(exhv_utf8_decode((const unsigned char *)out, 3, &cp), 3);
    CHECK_INT(cp, 0x6D4B);
    CHECK_INT(exhv_utf8_encode(0xD800, out), 0);
}

T_CASES(text_tests) = {
    {"text/cells", t_cells},
    {"text/tail", t_tail},
    {"text/utf8", t_utf8},
    T_END,
};
