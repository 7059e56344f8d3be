/* The Simplified Chinese catalogue: each English format string exhv writes
 * for people (core/i18n.h) and its translation, with the same printf
 * conversions in the same order. Hyper-V and Windows terms are those of
 * Microsoft's Chinese UI (虚拟机, 主机, 设备管理器, GPU 分区 ...); names,
 * IDs, paths, commands and PowerShell stay as they are.
 * tests/gui/core_strings.py checks this table against the code. */
#include "i18n.h"

#include <inttypes.h>

const exhv_tr_entry exhv_tr_zh[] = {
    {"out of memory", "内存不足"},
};

const size_t exhv_tr_zh_count = sizeof(exhv_tr_zh) / sizeof(exhv_tr_zh[0]);
