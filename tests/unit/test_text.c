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
/* Widths from Unicode's East Asian Width data: emoji with emoji
 * presentation are two columns wherever they are, combining marks and
 * joiners none. */
static void t_widths(void)
{
    static const struct {
        uint32_t cp;
        int w;
    } cases[] = {
        {'A', 1}, {0xE9, 1}, {0x4E2D, 2}, {0xAC00, 2}, {0xFF21, 2},
        {0x1F680, 2}, /* rocket: outside the old emoji ranges */
        {0x2705, 2}, {0x231A, 2}, {0x2B50, 2}, {0x1F004, 2}, {0x1FA70, 2}, {0x1F6DD, 2},
        {0x1F3FB, 2}, {0x1F600, 2}, {0x1F92F, 2}, {0x20BB7, 2},
        {0x2764, 1},  /* text presentation by default */
        {0x1F1E6, 1}, /* regional indicators are neutral */
        {0x0301, 0}, {0x200D, 0}, {0xFE0F, 0}, {0x20E3, 0}, {0x1F3FB - 1, 2},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (exhv_char_width(cases[i].cp) != cases[i].w)
            fprintf(stderr, "  U+%04X\n", (unsigned)cases[i].cp);
        CHECK_INT(exhv_char_width(cases[i].cp), cases[i].w);
    }
    /* A name with a rocket fills its cell exactly. */
    cell("go\xF0\x9F\x9A\x80", -1, 6, "go\xF0\x9F\x9A\x80  ", 6);
}

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
    {"text/widths", t_widths},
    {"text/tail", t_tail},
    {"text/utf8", t_utf8},
    T_END,
};
