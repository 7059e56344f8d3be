#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "hyperv/ports.h"
#include "hyperv/import.h"
#include "hyperv/sim/sim.h"
#include "platform/lock.h"
#if defined(_WIN32)
#include "hyperv/win/winports.h"
#endif

const char *exhv_conn_default_uri(void)
{
    const char *env = getenv("EXHV_CONNECT");
    if (env && *env)
        return env;
#if defined(_WIN32)
    return "hyperv:///";
#else
    /* No Hyper-V off Windows: the built-in simulated host. */
    return "test:///default";
#endif
}

int exhv_conn_open(const char *uri, exhv_conn **out, exhv_error *err)
{
    exhv_conn *c;
    int rc;

    if (!uri)
        uri = exhv_conn_default_uri();
    c = calloc(1, sizeof(*c));
    if (!c || !(c->uri = exhv_strdup(uri))) {
        free(c);
        return exhv_error_set(err, EXHV_E_NO_MEMORY, "out of memory");
    }
    if (exhv_starts_with_ci(uri, "test://")) {
        const char *path = uri + strlen("test://");
        c->simulated = 1;
        if (strcmp(path, "/default") == 0)
            rc = exhv_sim_open_default(&c->ops, &c->ctx, err);
        else if (path[0] == '/' && path[1])
#if defined(_WIN32)
            /* test:///C:/lab/h.json is C:/lab/h.json. */
            rc = exhv_sim_open_file(path[2] == ':' ? path + 1 : path, &c->ops, &c->ctx, err);
#else
            /* test:///tmp/h.json is /tmp/h.json (and test:///C:/h.json is
             * /C:/h.json: drive letters are Windows's). */
            rc = exhv_sim_open_file(path, &c->ops, &c->ctx, err);
#endif
        else
            rc = exhv_error_set(err, EXHV_E_USAGE,
                                "'%s' names no simulated host: use test:///default or "
                                "test:///PATH/host.json with an absolute path (e.g. "
                                "test:///tmp/host.json, or test:///C:/lab/host.json on "
                                "Windows)", uri);
    } else if (exhv_strcaseeq(uri, "hyperv:///") || exhv_strcaseeq(uri, "hyperv://")) {
#if defined(_WIN32)
        rc = exhv_win_open(&c->ops, &c->ctx, err);
#else
        rc = exhv_error_set(err, EXHV_E_UNSUPPORTED,
                            "hyperv:/// needs Windows; here, use --connect test:///default "
                            "(the built-in simulated host) or test:///PATH/host.json");
#endif
    } else {
        rc = exhv_error_set(err, EXHV_E_USAGE,
                            "unknown connection URI '%s': use hyperv:/// (this Windows "
                            "host), test:///default or test:///PATH/host.json", uri);
    }
    if (rc < 0) {
        free(c->uri);
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

int exhv_conn_lock(exhv_conn *c, exhv_error *err)
{
    const char *name = c->ops->lock_name ? c->ops->lock_name(c->ctx) : NULL;
    if (c->lock || !name)
        return 0;
    if (exhv_lock_acquire(name, &c->lock, err) < 0)
        return -1;
    if (c->ops->begin_change && c->ops->begin_change(c->ctx, err) < 0) {
        exhv_conn_unlock(c);
        return -1;
    }
    return 0;
}

void exhv_conn_unlock(exhv_conn *c)
{
    if (!c)
        return;
    exhv_lock_release(c->lock);
    c->lock = NULL;
}

void exhv_conn_close(exhv_conn *c)
{
    if (!c)
        return;
    exhv_import_session_end(c);
    exhv_conn_unlock(c);
    if (c->ops && c->ops->close)
        c->ops->close(c->ctx);
    free(c->uri);
    free(c);
}

void exhv_regval_release(exhv_regval *v)
{
    free(v->str);
    free(v->bin);
    memset(v, 0, sizeof(*v));
}

int exhv_regval_number(const exhv_regval *v, uint64_t *out)
{
    uint64_t n = 0;
    switch (v->type) {
    case EXHV_REG_DWORD:
    case EXHV_REG_QWORD:
        *out = v->num;
        return 0;
    case EXHV_REG_BINARY:
        if (v->len == 0 || v->len > 8)
            return -1;
        for (size_t i = v->len; i-- > 0;)
            n = (n << 8) | v->bin[i];
        *out = n;
        return 0;
    default:
        return -1;
    }
}

char *exhv_gpu_path_to_instance_id(const char *name)
{
    exhv_buf b = EXHV_BUF_INIT;
    const char *p = name;

    if (!name)
        return NULL;
    if (strncmp(p, "\\\\?\\", 4) == 0 || strncmp(p, "\\\\.\\", 4) == 0)
        p += 4;
    for (; *p; p++) {
        if (p[0] == '#' && p[1] == '{')
            break;
        exhv_buf_putc(&b, *p == '#' ? '\\' : *p);
    }
    return exhv_buf_detach(&b);
}
