#include <stdlib.h>

#include "core/json.h"
#include "t.h"

static exhv_json *parse(const char *s)
{
    exhv_json *v = NULL;
    exhv_error err;
    if (exhv_json_parse(s, strlen(s), &v, &err) < 0)
        return NULL;
    return v;
}

static void parse_error(const char *s, const char *want)
{
    exhv_json *v = NULL;
    exhv_error err;
    exhv_error_clear(&err);
    CHECK(exhv_json_parse(s, strlen(s), &v, &err) == -1);
    CHECK(v == NULL);
    CHECK_INT(err.code, EXHV_E_PARSE);
    if (!strstr(err.message, want))
        fprintf(stderr, "  message was: %s\n", err.message);
    CHECK(strstr(err.message, want) != NULL);
}

static void t_parse_values(void)
{
    exhv_json *v = parse("{\"a\": [1, -2, 3.5, true, false, null], \"b\": \"x\\ny\", "
                         "\"big\": 1099511627776}");
    CHECK(v != NULL);
    if (!v)
        return;
    const exhv_json *a = exhv_json_get(v, "a");
    CHECK_INT(a->count, 6);
    CHECK_INT(a->items[0].inum, 1);
    CHECK_INT(a->items[1].inum, -2);
    CHECK(!a->items[2].is_int && a->items[2].num == 3.5);
    CHECK(a->items[3].type == EXHV_JSON_BOOL && a->items[3].boolean);
    CHECK(a->items[5].type == EXHV_JSON_NULL);
    CHECK_STR(exhv_json_get_str(v, "b"), "x\ny");
    CHECK_INT(exhv_json_get_int(v, "big", 0), 1099511627776LL);
    CHECK_INT(exhv_json_get_int(v, "missing", 7), 7);
    exhv_json_free(v);
}

static void t_unicode_escapes(void)
{
    exhv_json *v = parse("[\"\\u6d4b\\u8bd5\\u673a\", \"\\ud83d\\ude00\", \"测试机\"]");
    CHECK(v != NULL);
    if (!v)
        return;
    CHECK_STR(v->items[0].str, "测试机");
    CHECK_STR(v->items[1].str, "\xF0\x9F\x98\x80");
    CHECK_STR(v->items[2].str, "测试机");
    exhv_json_free(v);
}

static void t_parse_errors(void)
{
    parse_error("", "unexpected end");
    parse_error("{\"a\": 1,}", "member name");
    parse_error("[1 2]", "expected ','");
    parse_error("{\"a\" 1}", "expected ':'");
    parse_error("\"abc", "unterminated string");
    parse_error("\"\\ud800\"", "surrogate");
    parse_error("\"\\u0000\"", "not allowed");
    parse_error("\"\xff\"", "invalid UTF-8");
    parse_error("\"a\tb\"", "control character");
    parse_error("01", "trailing");
    parse_error("1.", "fraction");
    parse_error("{}\n  x", "line 2, column 3");
    parse_error("tru", "unexpected character");
    parse_error("-2e888", "out of range");
}

static void t_depth_limit(void)
{
    char deep[EXHV_JSON_MAX_DEPTH + 10];
    memset(deep, '[', sizeof(deep) - 1);
    deep[sizeof(deep) - 1] = '\0';
    parse_error(deep, "nesting too deep");
}

/* Whatever depth the reader accepts, the writer writes back as JSON the
 * reader reads again, equal (the fuzz input [x64 ]x63 ,1] once broke it). */
static void t_depth_agree(void)
{
    for (int depth = 60; depth <= EXHV_JSON_MAX_DEPTH + 2; depth++)
        for (int pretty = 0; pretty < 2; pretty++) {
            exhv_buf in = EXHV_BUF_INIT, out = EXHV_BUF_INIT, again = EXHV_BUF_INIT;
            exhv_json *v = NULL, *v2 = NULL;
            exhv_error err;
            exhv_jw w;
            for (int i = 0; i < depth; i++)
                exhv_buf_putc(&in, '[');
            for (int i = 0; i < depth - 1; i++)
                exhv_buf_putc(&in, ']');
            exhv_buf_puts(&in, ",1]");
            if (exhv_json_parse(in.data, in.len, &v, &err) == 0) {
                CHECK(depth <= EXHV_JSON_MAX_DEPTH);
                exhv_jw_init(&w, &out, pretty);
                exhv_jw_value(&w, v);
                CHECK(exhv_json_parse(out.data, out.len, &v2, &err) == 0);
                exhv_jw_init(&w, &again, 0);
                exhv_jw_value(&w, v2);
                CHECK_STR(exhv_buf_str(&again), exhv_buf_str(&in));
            } else {
                CHECK(depth > EXHV_JSON_MAX_DEPTH);
            }
            exhv_json_free(v);
            exhv_json_free(v2);
            exhv_buf_release(&in);
            exhv_buf_release(&out);
            exhv_buf_release(&again);
        }
}

/* A member named twice is refused with its place, at any depth. */
static void t_duplicate_keys(void)
{
    parse_error("{\"a\": 1, \"a\": 2}", "line 1, column 10: duplicate member \"a\"");
    parse_error("{\"x\": {\"LowMmioGapSize\": 1,\n \"LowMmioGapSize\": 2}}",
                "line 2, column 2: duplicate member \"LowMmioGapSize\"");
    parse_error("{\"wmi\": {}, \"b\": 0, \"wmi\": {}}", "duplicate member \"wmi\"");
    {
        exhv_json *ok = parse("{\"a\": {\"a\": 1}, \"b\": [{\"a\": 1}, {\"a\": 2}]}");
        CHECK(ok != NULL);
        exhv_json_free(ok);
    }
}

static void t_writer_escapes(void)
{
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    exhv_jw_init(&w, &b, 0);
    exhv_jw_obj_begin(&w);
    exhv_jw_kstr(&w, "name", "a'b\"c\\d\n\x01 测试机 \xff");
    exhv_jw_kint(&w, "n", -5);
    exhv_jw_key(&w, "list");
    exhv_jw_arr_begin(&w);
    exhv_jw_arr_end(&w);
    exhv_jw_obj_end(&w);
    CHECK_STR(exhv_buf_str(&b),
              "{\"name\":\"a'b\\\"c\\\\d\\n\\u0001 测试机 \\ufffd\",\"n\":-5,\"list\":[]}");
    /* What the writer writes, the reader reads back. */
    exhv_json *v = parse(exhv_buf_str(&b));
    CHECK(v != NULL);
    if (v)
        CHECK_STR(exhv_json_get_str(v, "name"), "a'b\"c\\d\n\x01 测试机 \xEF\xBF\xBD");
    exhv_json_free(v);
    exhv_buf_release(&b);
}

static void t_roundtrip_pretty(void)
{
    const char *src = "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}";
    exhv_json *v = parse(src), *again;
    exhv_buf b = EXHV_BUF_INIT, c = EXHV_BUF_INIT;
    exhv_jw w;
    CHECK(v != NULL);
    if (!v)
        return;
    exhv_jw_init(&w, &b, 1);
    exhv_jw_value(&w, v);
    exhv_jw_end(&w);
    CHECK(strchr(exhv_buf_str(&b), '\n') != NULL);
    again = parse(exhv_buf_str(&b));
    CHECK(again != NULL);
    exhv_jw_init(&w, &c, 0);
    if (again)
        exhv_jw_value(&w, again);
    CHECK_STR(exhv_buf_str(&c), src);
    exhv_json_free(v);
    exhv_json_free(again);
    exhv_buf_release(&b);
    exhv_buf_release(&c);
}

static void t_edit(void)
{
    exhv_json *v = parse("{\"a\": 1, \"list\": [1, 2, 3]}"), copy = {0};
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;
    if (!v) {
        CHECK(v != NULL);
        return;
    }
    exhv_json_set_str(exhv_json_obj_set(v, "a", EXHV_JSON_NULL), "x");
    exhv_json_set_bool(exhv_json_obj_set(v, "new", EXHV_JSON_NULL), 1);
    exhv_json_arr_remove((exhv_json *)exhv_json_get(v, "list"), 1);
    CHECK(exhv_json_copy(&copy, v) == 0);
    exhv_json_obj_remove(v, "new");
    exhv_jw_init(&w, &b, 0);
    exhv_jw_value(&w, &copy);
    CHECK_STR(exhv_buf_str(&b), "{\"a\":\"x\",\"list\":[1,3],\"new\":true}");
    CHECK(exhv_json_get(v, "new") == NULL);
    exhv_json_clear(&copy);
    exhv_json_free(v);
    exhv_buf_release(&b);
}

T_CASES(json_tests) = {
    {"json/parse_values", t_parse_values},
    {"json/unicode_escapes", t_unicode_escapes},
    {"json/parse_errors", t_parse_errors},
    {"json/depth_limit", t_depth_limit},
    {"json/depth_agree", t_depth_agree},
    {"json/duplicate_keys", t_duplicate_keys},
    {"json/writer_escapes", t_writer_escapes},
    {"json/roundtrip_pretty", t_roundtrip_pretty},
    {"json/edit", t_edit},
    T_END,
};
