/* libFuzzer target: the embedded-instance reader (which the simulated host
 * applies to itself), and that what it reads the writer writes back to an
 * equal instance. */
#include <stdlib.h>
#include <string.h>

#include "hyperv/cimxml.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char *text = malloc(size + 1);
    exhv_wmi_obj o = {0}, again = {0};
    exhv_buf b = EXHV_BUF_INIT, c = EXHV_BUF_INIT;
    exhv_error err;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (exhv_cimxml_read(text, &o, &err) == 0) {
        /* Every value read keeps its declared type: the writer takes it. */
        if (exhv_cimxml_write(&b, &o, &err) < 0)
            abort();
        if (exhv_cimxml_read(exhv_buf_str(&b), &again, &err) < 0)
            abort();   /* the writer wrote what the reader refuses */
        if (exhv_cimxml_write(&c, &again, &err) < 0)
            abort();
        if (strcmp(exhv_buf_str(&b), exhv_buf_str(&c)) != 0)
            abort();   /* not a fixed point */
    }
    exhv_wmi_obj_release(&o);
    exhv_wmi_obj_release(&again);
    exhv_buf_release(&b);
    exhv_buf_release(&c);
    free(text);
    return 0;
}
