/* libFuzzer target: the JSON reader, and that what it reads the writer
 * writes back to something it reads again. */
#include <stdlib.h>

#include "core/json.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    exhv_json *v = NULL, *again = NULL;
    exhv_error err;
    exhv_buf b = EXHV_BUF_INIT;
    exhv_jw w;

    if (exhv_json_parse((const char *)data, size, &v, &err) < 0)
        return 0;
    exhv_jw_init(&w, &b, size & 1);
    exhv_jw_value(&w, v);
    if (exhv_json_parse(exhv_buf_str(&b), b.len, &again, &err) < 0)
        abort();   /* the writer wrote something the reader rejects */
    exhv_json_free(again);
    exhv_json_free(v);
    exhv_buf_release(&b);
    return 0;
}
