/* The Simplified Chinese catalogue: each English format string exhv writes
 * for people (core/i18n.h) and its translation, with the same printf
 * conversions in the same order. Hyper-V and Windows terms are those of
 * Microsoft's Chinese UI (虚拟机, 主机, 来宾, 检查点, 设备管理器, GPU 分区 ...);
 * names, IDs, paths, commands and PowerShell stay as they are.
 * tests/gui/core_strings.py checks this table against the code: a new
 * sentence in the code needs its entry here, in the section of its file. */
#include "i18n.h"

#include <inttypes.h>

const exhv_tr_entry exhv_tr_zh[] = {
    /* src/core/checks.c */
    {"Build %u: DDA is available (from Windows Server 2016, build 14393).",
     "版本 %u：可以使用 DDA（自 Windows Server 2016，版本 14393 起）。"},
    {"Build %u is too old for DDA: it needs Windows Server 2016 (build 14393) or later; "
     "update Windows.",
     "版本 %u 太旧，无法使用 DDA：需要 Windows Server 2016（版本 14393）或更高版本；请更新 "
     "Windows。"},
    {"Build %u: GPU-PV is available, and exhv can choose which GPU a VM gets.",
     "版本 %u：可以使用 GPU-PV，并且 exhv 可以选择虚拟机使用哪块显卡。"},
    {"Build %u: GPU-PV is available, but Hyper-V picks the GPU a partition uses; choosing it "
     "needs build 22000 or later (Windows 11, or Windows Server 2025).%s",
     "版本 %u：可以使用 GPU-PV，但分区所用的显卡由 Hyper-V 选择；要自己选择，需要版本 22000 "
     "或更高（Windows 11 或 Windows Server 2025）。%s"},
    {" Microsoft documents GPU partitioning on Azure Stack HCI 22H2 and Windows Server 2025, "
     "not on Windows Server 2022.",
     "微软只在 Azure Stack HCI 22H2 和 Windows Server 2025 上提供 GPU 分区的文档，Windows "
     "Server 2022 没有。"},
    {"Build %u has no GPU-PV that exhv supports: it needs build 19041 (Windows 10 2004) or "
     "later, where a VM sees its GPU's model. DDA works.",
     "版本 %u 没有 exhv 支持的 GPU-PV：需要版本 19041（Windows 10 2004）或更高，虚拟机才能识"
     "别显卡型号。DDA 可用。"},
    {"Introduced IOMMU-based GPU isolation.",
     "引入基于 IOMMU 的 GPU 隔离。"},
    {"Build %u is WDDM %d.%d (from build %u): %s",
     "版本 %u 为 WDDM %d.%d（自版本 %u 起）：%s"},
    {"Build %u predates WDDM 2.4 (build 17134): this Windows has no GPU paravirtualization "
     "(DDA does not need it).",
     "版本 %u 早于 WDDM 2.4（版本 17134）：此 Windows 没有 GPU 半虚拟化（DDA 不需要它）。"},
    {"Enhanced virtualization support, improving resource handle management and event "
     "signaling between host and guest.",
     "增强虚拟化支持，改进主机与虚拟机之间的资源句柄管理和事件通知。"},
    {"A hypervisor is running: CPU virtualization is on.",
     "虚拟机监控程序正在运行：CPU 虚拟化已开启。"},
    {"CPU virtualization is enabled in firmware.",
     "已在固件中启用 CPU 虚拟化。"},
    {"CPU virtualization is off: enable Intel VT-x / AMD-V (SVM) and VT-d / AMD-Vi (IOMMU) "
     "in the firmware setup, then restart.",
     "CPU 虚拟化已关闭：请在固件设置中启用 Intel VT-x / AMD-V（SVM）和 VT-d / AMD-Vi（IOMMU）"
     "，然后重启。"},
    {"Hyper-V is installed and its management service answers.",
     "已安装 Hyper-V，其管理服务有响应。"},
    {"Hyper-V is not available%s%s. Turn on the Hyper-V feature (Windows Features, or "
     "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All) and restart.",
     "无法使用 Hyper-V%s%s。请启用 Hyper-V 功能（“Windows 功能”，或 "
     "Enable-WindowsOptionalFeature -Online -FeatureName Microsoft-Hyper-V -All），然后重启。"},
    {"Improved VRAM management. VM VRAM is prioritized in continuous physical GPU memory, "
     "ensuring memory residency status.",
     "改进显存管理。虚拟机显存优先使用连续的物理显存，保证驻留状态。"},
    {"Running as administrator.",
     "正在以管理员身份运行。"},
    {"Not running as administrator: changes to devices and VMs need an elevated prompt "
     "(right-click, Run as administrator).",
     "未以管理员身份运行：更改设备和虚拟机需要提升的权限（右键单击，“以管理员身份运行”）。"},
    {"Server edition: DDA is supported.",
     "服务器版：支持 DDA。"},
    {"Client edition: DDA is supported by Microsoft only on Windows Server; on this edition "
     "a VM with an assigned device may fail to start (ERROR_HV_FEATURE_UNAVAILABLE, "
     "0xC035001E). GPU-PV works.",
     "客户端版：微软仅在 Windows Server 上支持 DDA；在此版本上，分配了设备的虚拟机可能无法启"
     "动（ERROR_HV_FEATURE_UNAVAILABLE，0xC035001E）。GPU-PV 可用。"},
    {"The DDA security policy is relaxed (RequireSecureDeviceAssignment and "
     "RequireSupportedDeviceAssignment are 0): devices without a virtualization-aware driver "
     "can be assigned. `exhv policy on` restores the default.",
     "DDA 安全策略已放宽（RequireSecureDeviceAssignment 和 RequireSupportedDeviceAssignment "
     "均为 0）：没有虚拟化感知驱动的设备也能分配。`exhv policy on` 可恢复默认。"},
    {"VMs can correctly identify physical GPU models and replace Microsoft Virtual Renderer "
     "Driver.",
     "虚拟机能正确识别物理显卡型号，取代 Microsoft 虚拟渲染驱动程序。"},
    {"The DDA security policy is partly relaxed (only %s is 0). `exhv policy off` relaxes "
     "both, `exhv policy on` restores the default.",
     "DDA 安全策略部分放宽（只有 %s 为 0）。`exhv policy off` 放宽两者，`exhv policy on` 恢复"
     "默认。"},
    {"The DDA security policy is the default: this server refuses devices whose driver does "
     "not declare virtualization support. `exhv policy off` relaxes it.",
     "DDA 安全策略为默认：此服务器拒绝驱动未声明支持虚拟化的设备。`exhv policy off` 可放宽它"
     "。"},
    {"The DDA security policy is the default.",
     "DDA 安全策略为默认。"},
    {"Added Cross-Adapter Resource Scan Output (CASO), allowing direct rendering to the "
     "display adapter, reducing latency and bandwidth requirements.",
     "新增跨适配器资源扫描输出（CASO），可直接渲染到显示适配器，降低延迟和带宽需求。"},
    {"GPU %u (%s): the driver version %s does not tell its WDDM level; GPU-PV needs a WDDM "
     "2.4 or later driver.",
     "GPU %u（%s）：驱动版本 %s 看不出其 WDDM 级别；GPU-PV 需要 WDDM 2.4 或更高的驱动。"},
    {"(none)",
     "（无）"},
    {"GPU %u (%s): WDDM %d.%d driver (%s); GPU-PV needs WDDM 2.4 or later: update the driver.",
     "GPU %u（%s）：WDDM %d.%d 驱动（%s）；GPU-PV 需要 WDDM 2.4 或更高：请更新驱动。"},
    {"GPU %u (%s): WDDM %d.%d driver (%s), newer than this host's build (WDDM %d.%d): what "
     "the later levels add is not available on this host.",
     "GPU %u（%s）：WDDM %d.%d 驱动（%s），比此主机的版本（WDDM %d.%d）新：更高级别新增的功能"
     "在此主机上不可用。"},
    {"GPU %u (%s): WDDM %d.%d driver (%s)%s%s",
     "GPU %u（%s）：WDDM %d.%d 驱动（%s）%s%s"},
    {"DMA remapping breaks GPU address limits, allowing GPUs to access more memory beyond "
     "hardware limits. Improved UMD and KMD event signaling for better debugging.",
     "DMA 重映射突破 GPU 寻址限制，使 GPU 能访问超出硬件限制的更多内存。改进 UMD 与 KMD 的事"
     "件通知，便于调试。"},
    {"Hyper-V reports a GPU it can partition, but exhv does GPU-PV from build 19041 on (see "
     "above).",
     "Hyper-V 报告了可以分区的显卡，但 exhv 从版本 19041 起才支持 GPU-PV（见上文）。"},
    {"At least one GPU can be partitioned (GPU-PV).",
     "至少有一块显卡可以分区（GPU-PV）。"},
    {"No GPU can be partitioned: GPU-PV needs a GPU whose driver supports partitioning (a "
     "WDDM 2.4+ driver from NVIDIA, AMD or Intel).",
     "没有可以分区的显卡：GPU-PV 需要驱动支持分区的显卡（NVIDIA、AMD 或 Intel 的 WDDM 2.4 及"
     "以上驱动）。"},
    {"%s is disabled on the host (problem 22): `exhv assign %s --to host` enables it.",
     "%s 在主机上已禁用（问题代码 22）：`exhv assign %s --to host` 可启用它。"},
    {"UMD and KMD share the same memory area, reducing memory copying and transmission, "
     "optimizing memory utilization, and increasing data access speed.",
     "UMD 与 KMD 共享同一内存区域，减少内存复制和传输，优化内存利用率并提高数据访问速度。"},
    {"Added live migration functionality. Enhanced graphics driver timeout detection and "
     "recovery analysis. Introduced WDDM feature query mechanism.",
     "新增实时迁移功能。增强显卡驱动超时检测与恢复（TDR）分析。引入 WDDM 功能查询机制。"},
    {"Windows builds below 17134 have no GPU paravirtualization.",
     "低于版本 17134 的 Windows 没有 GPU 半虚拟化。"},
    {"Builds 17134 to 19040 (WDDM 2.4-2.6) can use the GPU but do not show its model.",
     "版本 17134 至 19040（WDDM 2.4-2.6）可以使用显卡，但不显示其型号。"},
    {"Build 19041 (WDDM 2.7) and later use every GPU-PV feature.",
     "版本 19041（WDDM 2.7）及更高版本可使用全部 GPU-PV 功能。"},

    /* src/core/error.c */
    {"completed",
     "已完成"},
    {"not supported",
     "不支持"},
    {"failed",
     "失败"},
    {"timed out",
     "已超时"},
    {"invalid parameter",
     "参数无效"},
    {"invalid state",
     "状态无效"},
    {"incompatible parameters",
     "参数不兼容"},
    {"job started",
     "作业已启动"},
    {"failed (method specific)",
     "失败（方法特定）"},
    {"access denied",
     "拒绝访问"},
    {"status is unknown",
     "状态未知"},
    {"timeout",
     "超时"},
    {"system is in use",
     "系统正在使用中"},
    {"invalid state for this operation",
     "此操作的状态无效"},
    {"incorrect data type",
     "数据类型不正确"},
    {"system is not available",
     "系统不可用"},
    {"file not found",
     "找不到文件"},
    {"unknown return value",
     "未知的返回值"},

    /* src/core/inf.c */
    {"out of memory reading the INF's install section",
     "读取 INF 的安装节时内存不足"},
    {"the INF has no install section '%s'",
     "INF 没有安装节“%s”"},
    {"no model of this INF names the device '%s' (run `exhv inf FILE` without --hwid to list "
     "the devices it installs)",
     "此 INF 没有任何型号指向设备“%s”（运行不带 --hwid 的 `exhv inf FILE` 可列出它安装的设备"
     "）"},
    {"the INF names install section '%s' for '%s' but does not have it",
     "INF 指定的安装节“%s”（用于“%s”）并不存在"},
    {"%s value '%s' names '%s', which is not a path inside the driver package: exhv does not "
     "copy it (a value must name a file in the package folder, without '..', a drive or a "
     "leading '\\')",
     "%s 值“%s”指向“%s”，它不是驱动程序包内的路径：exhv 不复制它（值必须指向包文件夹中的文件"
     "，不能含“..”、驱动器号或开头的“\\”）"},
    {"%s value '%s' names the destination '%s', which is not a file name in %s: exhv does "
     "not copy it",
     "%s 值“%s”指定的目标“%s”不是 %s 中的文件名：exhv 不复制它"},
    {"the INF file is larger than %u bytes",
     "INF 文件大于 %u 字节"},
    {"out of memory reading the INF file",
     "读取 INF 文件时内存不足"},
    {"out of memory reading the INF's models",
     "读取 INF 的型号时内存不足"},

    /* src/core/json.c */
    {"line %zu, column %zu: %s",
     "第 %zu 行，第 %zu 列：%s"},
    {"truncated \\u escape",
     "\\u 转义不完整"},
    {"bad hex digit in \\u escape",
     "\\u 转义中的十六进制数字无效"},
    {"unterminated string",
     "字符串没有结束"},
    {"control character in string",
     "字符串中有控制字符"},
    {"invalid UTF-8 in string",
     "字符串中有无效的 UTF-8"},
    {"unterminated escape",
     "转义没有结束"},
    {"lone high surrogate",
     "孤立的高代理项"},
    {"bad low surrogate",
     "低代理项无效"},
    {"lone low surrogate",
     "孤立的低代理项"},
    {"\\u0000 is not allowed",
     "不允许 \\u0000"},
    {"unknown escape",
     "未知的转义"},
    {"bad number",
     "数字无效"},
    {"bad fraction",
     "小数部分无效"},
    {"bad exponent",
     "指数无效"},
    {"number too long",
     "数字太长"},
    {"number out of range",
     "数字超出范围"},
    {"nesting too deep",
     "嵌套太深"},
    {"expected a member name",
     "此处应为成员名称"},
    {"duplicate member \"%.100s\" (each name may appear once in an object)",
     "重复的成员“%.100s”（对象中每个名称只能出现一次）"},
    {"expected ':'",
     "此处应为“:”"},
    {"unterminated object",
     "对象没有结束"},
    {"unterminated array",
     "数组没有结束"},
    {"expected ',' or '}'",
     "此处应为“,”或“}”"},
    {"expected ',' or ']'",
     "此处应为“,”或“]”"},
    {"unexpected character",
     "意外的字符"},
    {"unexpected end of input",
     "输入意外结束"},
    {"trailing characters after the JSON value",
     "JSON 值之后还有多余的字符"},

    /* src/core/model.c */
    {"host",
     "主机"},
    {"dismounted",
     "已卸除"},
    {"assigned",
     "已分配"},
    {"missing",
     "缺失"},
    {"off",
     "关闭"},
    {"running",
     "正在运行"},
    {"saved",
     "已保存"},
    {"paused",
     "已暂停"},
    {"starting",
     "正在启动"},
    {"stopping",
     "正在停止"},
    {"other",
     "其他"},
    {"turn off",
     "关闭"},
    {"save",
     "保存"},
    {"shut down",
     "关机"},
    {"unknown",
     "未知"},
    {"disabled",
     "已禁用"},
    {"production",
     "生产"},
    {"production only",
     "仅生产"},
    {"standard",
     "标准"},

    /* src/core/plan.c */
    {"Attach VM %s's disk %s to the host (no drive letter) and find its Windows "
     "volume",
     "把虚拟机 %s 的磁盘 %s 附加到主机（不分配驱动器号），找到其中的 Windows 卷"},
    {"Detach VM %s's disk %s from the host",
     "从主机分离虚拟机 %s 的磁盘 %s"},
    {"Load the guest's SYSTEM hive as HKLM\\%s",
     "把来宾的 SYSTEM 配置单元加载为 HKLM\\%s"},
    {"Unload the guest's SYSTEM hive (HKLM\\%s)",
     "卸载来宾的 SYSTEM 配置单元（HKLM\\%s）"},
    {"Copy the host's whole driver store into VM %s's disk (%zu packages, %s files, "
     "%s bytes), and the System32 files of driver %s",
     "把主机的整个驱动程序存储复制到虚拟机 %s 的磁盘（%zu 个包，%s 个文件，%s 字节），以及驱动 %s 的 System32 文件"},
    {"Copy driver %s into VM %s's disk: %s (%s files, %s bytes), and its System32 "
     "files",
     "把驱动 %s 复制到虚拟机 %s 的磁盘：%s（%s 个文件，%s 字节），以及它的 System32 文件"},
    {"Remove the drivers exhv put into VM %s's disk and put back the guest files "
     "they replaced",
     "删除 exhv 放入虚拟机 %s 磁盘的驱动程序，并放回它们替换的来宾文件"},
    {"Put the driver folders of VM %s's disk back as they were",
     "把虚拟机 %s 磁盘上的驱动文件夹恢复原样"},
    {"Write the driver's values into the guest's SYSTEM hive, in every control set "
     "it uses",
     "把驱动的注册表值写入来宾的 SYSTEM 配置单元，写入它使用的每个控制集"},
    {"Put the guest's SYSTEM hive values back as they were",
     "把来宾 SYSTEM 配置单元中的值恢复原样"},
    {"Record on the host that VM %s has guest driver %s",
     "在主机上记录虚拟机 %s 的来宾驱动为 %s"},
    {"Delete the host's record of VM %s's guest drivers",
     "删除主机上虚拟机 %s 的来宾驱动记录"},
    {"Put the host's record of VM %s's guest drivers back as it was",
     "把主机上虚拟机 %s 的来宾驱动记录恢复原样"},
    {"Delete what was set aside in VM %s's disk, once every step is done",
     "所有步骤完成后，删除在虚拟机 %s 磁盘上暂存的内容"},
    {"# (nothing to do)",
     "# （无事可做）"},
    {"# What exhv replaced or removed in the guest's driver folders is in "
     "Windows\\System32\\exhv-undo on the guest's disk, in the order it was set "
     "aside: move it back by hand",
     "# exhv 在来宾驱动文件夹中替换或删除的内容位于来宾磁盘的 Windows\\System32\\exhv-undo 中，按暂存的先后排列：请手动移回"},
    {"# Put back the values exhv wrote into the guest's SYSTEM hive (see the plan's "
     "hive step)",
     "# 请恢复 exhv 写入来宾 SYSTEM 配置单元的值（见计划中的配置单元步骤）"},
    {"# Put back the host's record under HKLM:\\SOFTWARE\\exhv\\GuestDrivers",
     "# 请恢复主机上 HKLM:\\SOFTWARE\\exhv\\GuestDrivers 下的记录"},
    {"# Nothing to do: a script sets nothing aside",
     "# 无事可做：脚本不暂存任何内容"},
    {"the hardware it referred to is gone, and Hyper-V takes no reference to hardware that "
     "is not there",
     "它所指向的硬件已不存在，而 Hyper-V 不接受对不存在硬件的引用"},
    {"its GPU is gone, and Hyper-V takes no partition of a GPU that is not there",
     "它的显卡已不存在，而 Hyper-V 不接受不存在显卡的分区"},
    {"the value held data of another type, which exhv cannot write back",
     "该值原为其他类型的数据，exhv 无法写回"},
    {"Start VM %s again",
     "再次启动虚拟机 %s"},
    {"Shut down VM %s (turned off if it does not stop in time)",
     "关闭虚拟机 %s（若未及时停止则强制关闭）"},
    {"Set VM %s automatic stop action: %s -> %s",
     "设置虚拟机 %s 的自动停止操作：%s -> %s"},
    {"Set VM %s guest-controlled cache types: %s -> %s",
     "设置虚拟机 %s 的来宾控制的缓存类型：%s -> %s"},
    {"on",
     "开启"},
    {"Set VM %s low MMIO gap: %" PRId64 " MB -> %" PRId64 " MB",
     "设置虚拟机 %s 的低 MMIO 间隙：%" PRId64 " MB -> %" PRId64 " MB"},
    {"Set VM %s high MMIO gap: %" PRId64 " MB -> %" PRId64 " MB",
     "设置虚拟机 %s 的高 MMIO 间隙：%" PRId64 " MB -> %" PRId64 " MB"},
    {"Set VM %s checkpoints: %s -> %s",
     "设置虚拟机 %s 的检查点：%s -> %s"},
    {"Set VM %s %s: %" PRId64 " -> %" PRId64,
     "设置虚拟机 %s 的 %s：%" PRId64 " -> %" PRId64},
    {"Turn on dynamic memory of VM %s",
     "开启虚拟机 %s 的动态内存"},
    {"Turn off dynamic memory of VM %s",
     "关闭虚拟机 %s 的动态内存"},
    {"Disable %s on the host",
     "在主机上禁用 %s"},
    {"Dismount %s from the host",
     "从主机卸除 %s"},
    {"Assign %s to VM %s",
     "将 %s 分配给虚拟机 %s"},
    {"Remove %s from VM %s",
     "将 %s 从虚拟机 %s 中移除"},
    {"Mount %s on the host",
     "在主机上装载 %s"},
    {"Enable %s on the host",
     "在主机上启用 %s"},
    {"Remove VM %s's reference to missing device %s",
     "移除虚拟机 %s 对缺失设备 %s 的引用"},
    {"Restore DDA policy: remove %s",
     "恢复 DDA 策略：删除 %s"},
    {"Relax DDA policy: set %s = 0",
     "放宽 DDA 策略：设置 %s = 0"},
    {"Set DDA policy value %s = %" PRId64,
     "设置 DDA 策略值 %s = %" PRId64},
    {" (now %" PRId64 ")",
     "（当前为 %" PRId64 "）"},
    {" (now a value of another type)",
     "（当前为其他类型的值）"},
    {"Add a GPU partition of %s to VM %s",
     "将 %s 的一个 GPU 分区添加到虚拟机 %s"},
    {"Add a GPU partition to VM %s (Hyper-V chooses the GPU)",
     "将一个 GPU 分区添加到虚拟机 %s（由 Hyper-V 选择显卡）"},
    {"Remove stale GPU partition adapter %s from VM %s",
     "将失效的 GPU 分区适配器 %s 从虚拟机 %s 中移除"},
    {"Remove GPU partition adapter %s from VM %s",
     "将 GPU 分区适配器 %s 从虚拟机 %s 中移除"},
    {"(the one just added)",
     "（刚添加的那个）"},
    {"(unknown step)",
     "（未知步骤）"},
    {"Step %zu: ",
     "第 %zu 步："},

    /* src/core/survey.c */
    {"The hardware is gone: only the VM's reference to it can be removed.",
     "硬件已不存在：只能移除虚拟机对它的引用。"},
    {"It is a PCI bridge: bridges stay with the host.",
     "它是 PCI 桥：桥留在主机上。"},
    {"It has no location path, which DDA needs to name it.",
     "它没有位置路径，而 DDA 需要用位置路径指定它。"},
    {"The firmware reserves memory for it (RMRR): it is shared with the firmware and cannot "
     "be given to a VM.",
     "固件为它保留了内存（RMRR）：它与固件共享，不能交给虚拟机。"},
    {"The PCIe ports above it lack Access Control Services (ACS): it could reach other "
     "devices' memory. A different slot may have ACS.",
     "它上游的 PCIe 端口缺少访问控制服务（ACS）：它可能访问其他设备的内存。换一个插槽也许有 "
     "ACS。"},
    {"Its ACS support up the PCIe hierarchy is unknown.",
     "它在 PCIe 层级上游的 ACS 支持情况未知。"},
    {"It is integrated in the root complex: assignable, but less isolated than a device in a "
     "PCIe slot.",
     "它集成在根复合体中：可以分配，但隔离性不如 PCIe 插槽中的设备。"},
    {"It is a legacy PCI Express endpoint: only display controllers of this kind can be "
     "assigned, and this is one.",
     "它是旧式 PCI Express 端点：这类设备中只有显示控制器可以分配，而它正是显示控制器。"},
    {"It is a legacy PCI Express endpoint that is not a display controller.",
     "它是旧式 PCI Express 端点，且不是显示控制器。"},
    {"The firmware kept control of it (it is treated as plain PCI): it cannot be assigned.",
     "固件保留了对它的控制（它被当作普通 PCI 设备）：不能分配。"},
    {"Its PCI device type is unknown.",
     "它的 PCI 设备类型未知。"},
    {"It is a conventional PCI device or a bridge, not a PCI Express endpoint.",
     "它是传统 PCI 设备或桥，不是 PCI Express 端点。"},
    {"It supports only line-based interrupts; DDA needs MSI or MSI-X.",
     "它只支持基于线路的中断；DDA 需要 MSI 或 MSI-X。"},
    {"Its interrupt support is unknown.",
     "它的中断支持情况未知。"},
    {"Its memory ranges are unknown: the VM's MMIO gaps cannot be sized from them.",
     "它的内存范围未知：无法据此确定虚拟机 MMIO 间隙的大小。"},

    /* src/gui/ops.c */
    {"unknown operation",
     "未知的操作"},
    {"could not start a thread",
     "无法启动线程"},

    /* src/hyperv/actions.c */
    {"%s: no job path",
     "%s：没有作业路径"},
    {"%s failed: Hyper-V answered %s",
     "%s失败：Hyper-V 回答“%s”"},
    {"Hyper-V offers no \"%s\" resources on this host (no Msvm_AllocationCapabilities)",
     "Hyper-V 在此主机上不提供“%s”资源（没有 Msvm_AllocationCapabilities）"},
    {"Hyper-V names no default \"%s\" setting",
     "Hyper-V 没有给出默认的“%s”设置"},
    {"the default \"%s\" setting is gone",
     "默认的“%s”设置已不存在"},
    {"the VM's memory settings were not found",
     "找不到虚拟机的内存设置"},
    {"the VM is gone",
     "虚拟机已不存在"},
    {"asking the guest to shut down",
     "请求来宾关机"},
    {"the VM's guest offers no shutdown service (integration services off or not installed), "
     "so exhv cannot shut it down: shut it down from inside the guest, or turn it off "
     "yourself (Stop-VM -TurnOff), then run exhv again",
     "虚拟机的来宾没有关机服务（集成服务已关闭或未安装），exhv 无法让它关机：请在来宾内部关机"
     "，或自行关闭虚拟机（Stop-VM -TurnOff），然后再次运行 exhv"},
    {"the guest did not accept the shutdown request: %s",
     "来宾未接受关机请求：%s"},
    {"the guest did not shut down within %u s, and turning the VM off failed",
     "来宾未在 %u 秒内关机，并且关闭虚拟机失败"},
    {"no dismounted device is at %s (Msvm_PciExpress not found)",
     "%s 处没有已卸除的设备（找不到 Msvm_PciExpress）"},
    {"%s was not found",
     "找不到 %s"},
    {"the VM holds no device at %s",
     "虚拟机在 %s 处没有设备"},
    {"exhv cannot write %s back: it held a value of another type",
     "exhv 无法写回 %s：它原来的值是其他类型"},
    {"%s: Hyper-V's job %s vanished",
     "%s：Hyper-V 的作业 %s 已消失"},
    {"the GPU %s is not partitionable on this host (no Msvm_PartitionableGpu)",
     "显卡 %s 在此主机上不可分区（没有 Msvm_PartitionableGpu）"},
    {"the VM has no GPU partition adapter %s",
     "虚拟机没有 GPU 分区适配器 %s"},
    {"(none named)",
     "（未指定名称）"},
    {"%s failed: Hyper-V's job ended in state %lld",
     "%s失败：Hyper-V 的作业以状态 %lld 结束"},
    {"VM %s was turned off, not shut down: its guest did not shut down within %u s",
     "虚拟机 %s 被强制关闭，而不是正常关机：其来宾未在 %u 秒内关机"},
    {"%s failed: %s",
     "%s失败：%s"},
    {"unknown step kind %d",
     "未知的步骤类型 %d"},
    {"%s: Hyper-V's job did not finish in %u s",
     "%s：Hyper-V 的作业未在 %u 秒内完成"},
    {"changing the VM's settings",
     "更改虚拟机的设置"},
    {"changing the VM's memory",
     "更改虚拟机的内存"},
    {"the VM",
     "虚拟机"},
    {"starting the VM",
     "启动虚拟机"},
    {"turning the VM off",
     "关闭虚拟机"},
    {"the VM's settings",
     "虚拟机的设置"},
    {"the VM's shutdown integration service",
     "虚拟机的关机集成服务"},
    {"dismounting the device",
     "卸除设备"},
    {"mounting the device on the host",
     "在主机上装载设备"},
    {"assigning the device to the VM",
     "将设备分配给虚拟机"},
    {"removing the device from the VM",
     "从虚拟机移除设备"},
    {"adding the GPU partition adapter",
     "添加 GPU 分区适配器"},
    {"removing the GPU partition adapter",
     "移除 GPU 分区适配器"},

    /* src/hyperv/cimxml.c */
    {"embedded instance: %s",
     "嵌入实例：%s"},
    {"embedded instance %s: property %s %s",
     "嵌入实例 %s：属性 %s %s"},

    /* src/hyperv/connect.c */
    {"'%s' names no simulated host: use test:///default or test:///PATH/host.json with an "
     "absolute path (e.g. test:///tmp/host.json, or test:///C:/lab/host.json on Windows)",
     "“%s”不是模拟主机：请使用 test:///default，或使用绝对路径的 test:///PATH/host.json（例如"
     " test:///tmp/host.json，在 Windows 上为 test:///C:/lab/host.json）"},
    {"hyperv:/// needs Windows; here, use --connect test:///default (the built-in simulated "
     "host) or test:///PATH/host.json",
     "hyperv:/// 需要 Windows；在这里请使用 --connect test:///default（内置的模拟主机）或 "
     "test:///PATH/host.json"},
    {"unknown connection URI '%s': use hyperv:/// (this Windows host), test:///default or "
     "test:///PATH/host.json",
     "未知的连接 URI“%s”：请使用 hyperv:///（此 Windows 主机）、test:///default 或 "
     "test:///PATH/host.json"},

    /* src/hyperv/diag.c */
    {"reading system facts",
     "读取系统信息"},
    {"listing PCI devices",
     "列出 PCI 设备"},
    {"connecting to Hyper-V",
     "连接 Hyper-V"},
    {"querying Hyper-V (%s)",
     "查询 Hyper-V（%s）"},

    /* src/hyperv/executor.c */
    {"stopped on request during step %zu, which put back what it had done",
     "在第 %zu 步中按请求停止，该步已撤回它做过的更改"},
    {"  - step %zu, %s, failed even when tried again: %s.\n",
     "  - 第 %zu 步，%s，重试后仍然失败：%s。\n"},
    {"stopped on request before step %zu",
     "已按要求在第 %zu 步之前停止"},
    {"stopped on request after the last step",
     "已按要求在最后一步之后停止"},
    {"Note: %.*s.\n",
     "注意：%.*s。\n"},
    {"Done.\n",
     "完成。\n"},
    {"Nothing was run. Nothing was changed.\n",
     "没有运行任何步骤。未做任何更改。\n"},
    {"Nothing else was changed, but:",
     "没有做其他更改，但："},
    {"Nothing was changed.",
     "未做任何更改。"},
    {"Stopped before the first step. %s\n",
     "已在第一步之前停止。%s\n"},
    {"Stopped after step %zu of %zu; the %zu step done was undone. %s\n",
     "已在第 %zu 步（共 %zu 步）之后停止；已完成的 %zu 步已撤销。%s\n"},
    {"Stopped after step %zu of %zu; the %zu steps done were undone. %s\n",
     "已在第 %zu 步（共 %zu 步）之后停止；已完成的 %zu 步均已撤销。%s\n"},
    {"Step %zu failed; the %zu step before it was undone. %s\n",
     "第 %zu 步失败；之前的 %zu 步已撤销。%s\n"},
    {"Step %zu failed; the %zu steps before it were undone. %s\n",
     "第 %zu 步失败；之前的 %zu 步均已撤销。%s\n"},
    {"Step %zu failed. %s\n",
     "第 %zu 步失败。%s\n"},
    {"Stopped after step %zu, and the host is not as it was before:\n",
     "已在第 %zu 步之后停止，主机与之前不同：\n"},
    {"Step %zu failed, and the host is not as it was before:\n",
     "第 %zu 步失败，主机与之前不同：\n"},
    {"  - Windows keeps the devnode %s that the undo left, not present (a phantom: it does "
     "nothing, and Device Manager shows it under \"Show hidden devices\").\n",
     "  - 撤销后 Windows 保留了设备节点 %s，它不存在（幻影设备：不起任何作用，设备管理器在“显"
     "示隐藏的设备”下显示它）。\n"},
    {"  - step %zu, %s, stays done: it cannot be undone (%s).\n",
     "  - 第 %zu 步，%s，仍然有效：它无法撤销（%s）。\n"},
    {"  - step %zu, %s, stays done: its undo failed.\n",
     "  - 第 %zu 步，%s，仍然有效：撤销失败。\n"},
    {"  - step %zu, %s, was undone: the adapter is back with the values it had, under a new "
     "ID Hyper-V gave it: %s (was %s).\n",
     "  - 第 %zu 步，%s，已撤销：适配器已恢复原来的值，但 Hyper-V 给了它新的 ID：%s（原为 "
     "%s）。\n"},
    {"  - step %zu, %s, was undone: the device is assigned again, under a new setting ID "
     "Hyper-V gave it: %s (was %s).\n",
     "  - 第 %zu 步，%s，已撤销：设备已重新分配，但 Hyper-V 给了它新的设置 ID：%s（原为 %s）"
     "。\n"},
    {"  - step %zu, %s, was undone: the device is dismounted again, and Hyper-V gave it a "
     "new DeviceID: %s (was %s).\n",
     "  - 第 %zu 步，%s，已撤销：设备已重新卸除，Hyper-V 给了它新的 DeviceID：%s（原为 %s）。"
     "\n"},
    {"To finish putting things back, run this in an administrator PowerShell:\n\n",
     "要彻底恢复原状，请在管理员 PowerShell 中运行：\n\n"},
    {"What cannot be undone stays. To finish the job once the cause of the failure is fixed, "
     "run this in an administrator PowerShell:\n\n",
     "无法撤销的部分保持不变。排除失败原因后，要完成这项工作，请在管理员 PowerShell 中运行："
     "\n\n"},

    /* src/hyperv/guesthive.c */
    {"reading the guest's hive",
     "读取来宾的配置单元"},
    {"the guest's SYSTEM hive has no Select key, so exhv cannot tell which control set "
     "Windows boots: the disk may not hold a Windows system or its hive is damaged; nothing "
     "was written",
     "来宾的 SYSTEM 配置单元没有 Select 项，exhv 无法判断 Windows 从哪个控制集启动：磁盘上可"
     "能没有 Windows 系统，或其配置单元已损坏；未写入任何内容"},
    {"the guest's SYSTEM hive has no Select\\Current, so exhv cannot tell which control set "
     "Windows boots: the hive is damaged; nothing was written",
     "来宾的 SYSTEM 配置单元没有 Select\\Current，exhv 无法判断 Windows 从哪个控制集启动：配"
     "置单元已损坏；未写入任何内容"},
    {"the guest's SYSTEM hive has Select\\%s = %s %llu, which names no control set (a "
     "REG_DWORD from 1 to 999%s): the hive is damaged; nothing was written",
     "来宾的 SYSTEM 配置单元中 Select\\%s = %s %llu，不指向任何控制集（应为 1 到 999 的 "
     "REG_DWORD%s）：配置单元已损坏；未写入任何内容"},
    {", or 0 for none",
     "，或为 0 表示没有"},
    {"the guest's SYSTEM hive has Select\\%s = %u but no %s: the hive is damaged; nothing "
     "was written",
     "来宾的 SYSTEM 配置单元中 Select\\%s = %u，但没有 %s：配置单元已损坏；未写入任何内容"},
    {"the driver has no package to point %s at",
     "驱动程序没有可供 %s 指向的程序包"},
    {"the host's service %s has no %s value: the host's %s driver is not installed as a "
     "service (reinstall it on the host); nothing was written to the guest",
     "主机的服务 %s 没有 %s 值：主机的 %s 驱动程序未作为服务安装（请在主机上重新安装它）；未"
     "向来宾写入任何内容"},
    {"the package %s has several files named %s: exhv cannot tell which file the guest's %s "
     "service should load; nothing was written",
     "程序包 %s 中有多个名为 %s 的文件：exhv 无法判断来宾的 %s 服务应加载哪一个；未写入任何内"
     "容"},
    {"the package %s has no %s: exhv cannot tell which file the guest's %s service should "
     "load; nothing was written",
     "程序包 %s 中没有 %s：exhv 无法判断来宾的 %s 服务应加载哪个文件；未写入任何内容"},
    {"the adapter has no class key to read its runtime values from",
     "适配器没有可读取运行时值的类项"},
    {"the guest's display class key %s belongs to another display driver: the Intel runtime "
     "values were not written (nothing was written)",
     "来宾的显示类项 %s 属于另一个显示驱动程序：未写入 Intel 运行时值（未写入任何内容）"},
    {"the guest's %s has no Microsoft Hyper-V Video display key, where Intel's Level Zero "
     "loader looks for LevelZeroDriverPath before the GPU's first start: start the VM once "
     "without the GPU partition, then import again; nothing was written",
     "来宾的 %s 没有 Microsoft Hyper-V 视频显示项，而 Intel 的 Level Zero 加载程序在显卡首次"
     "启动前会在那里查找 LevelZeroDriverPath：请先在没有 GPU 分区的情况下启动一次虚拟机，然后"
     "重新导入；未写入任何内容"},
    {"this connection cannot edit a guest's registry hive",
     "此连接无法编辑来宾的注册表配置单元"},
    {"the key %s that exhv created was kept: it still holds values or keys",
     "exhv 创建的项 %s 已保留：其中仍有值或子项"},
    {"writing %s\\%s in the guest's hive",
     "在来宾的配置单元中写入 %s\\%s"},
    {"%d of the guest hive's edits could not be undone and are still in the hive: %s; the "
     "write that failed",
     "来宾配置单元中有 %d 处修改无法撤销，仍留在配置单元中：%s；失败的写入"},
    {"the guest's hive is as it was (every edit was undone); the write that failed",
     "来宾的配置单元与之前相同（所有修改均已撤销）；失败的写入"},
    {"%d of the guest hive's edits could not be undone and are still in the hive: %s",
     "来宾配置单元中有 %d 处修改无法撤销，仍留在配置单元中：%s"},

    /* src/hyperv/import.c */
    {"Give the VM its disk back, or give --no-drivers",
     "请把磁盘还给虚拟机，或加上 --no-drivers"},
    {"The guest has the driver of another GPU (%s) from an earlier import: exhv keeps one "
     "GPU's driver in a guest, so this one replaces it.",
     "来宾中有先前导入的另一块显卡（%s）的驱动：exhv 在一个来宾中只保留一块显卡的驱动，因此由这次的驱动替换它。"},
    {"# exhv also records what it copies in HostDriverStore\\exhv-manifest.json, "
     "keeps guest files it replaces and removes older packages it put there; this "
     "script does not.",
     "# exhv 还会在 HostDriverStore\\exhv-manifest.json "
     "中记录它复制的内容，保留它替换的来宾文件，并删除它先前放入的旧包；本脚本不做这些。"},
    {"The host's GPU driver reports paths in its package folders; the guest finds "
     "them in System32\\HostDriverStore under the same names. --all-packages: every "
     "package of the host's driver store, as the seed did.",
     "主机的显卡驱动报告的路径位于其包文件夹中；来宾在 System32\\HostDriverStore "
     "中以相同名称找到它们。--all-packages：复制主机驱动程序存储中的每个包，与原版相同。"},
    {"The host's GPU driver reports paths in these package folders; the guest finds "
     "them in System32\\HostDriverStore under the same names. Older packages exhv "
     "put there are removed.",
     "主机的显卡驱动报告的路径位于这些包文件夹中；来宾在 System32\\HostDriverStore 中以相同名称找到它们。exhv "
     "先前放入的旧包会被删除。"},
    {"# Removes what HostDriverStore\\exhv-manifest.json lists and puts back the "
     "guest files it names under \"backup\".",
     "# 删除 HostDriverStore\\exhv-manifest.json 列出的内容，并放回其中 \"backup\" 指明的来宾文件。"},
    {"this connection cannot write the host's registry",
     "此连接无法写入主机的注册表"},
    {"this run holds no copy of the host's record of the VM's guest drivers",
     "本次运行没有保存主机上该虚拟机来宾驱动记录的副本"},
    {"no guest hive is loaded in this run",
     "本次运行没有加载来宾配置单元"},
    {"A VM's disk can be opened on the host only while the VM is off (--stop).",
     "只有虚拟机关闭时，主机才能打开它的磁盘（--stop）。"},
    {"VM %s is running, and its disk can be opened on the host only while it is "
     "off: shut it down first, or pass --stop to let exhv shut it down (it is "
     "turned off if the guest does not stop within a minute)",
     "虚拟机 %s 正在运行，只有它关闭时主机才能打开它的磁盘：请先关闭它，或加上 --stop 让 exhv 关闭它（来宾一分钟内未停止则强制关闭）"},
    {"VM %s is %s: its disk can be opened on the host only while it is off. Shut it "
     "down or turn it off, then try again",
     "虚拟机 %s 处于%s状态：只有它关闭时主机才能打开它的磁盘。请关闭或强制关闭它，然后重试"},
    {"VM %s has no virtual hard disk, so exhv has no guest to put the GPU's driver "
     "into. Give the VM its disk first, or give --no-drivers and copy the driver by "
     "hand",
     "虚拟机 %s 没有虚拟硬盘，exhv 无处放入显卡驱动。请先给虚拟机添加磁盘，或加上 --no-drivers 并手动复制驱动"},
    {"VM %s's first disk (%s) is not a virtual hard disk (.vhdx, .vhd): exhv does "
     "not take a pass-through physical disk away from its VM. Give --no-drivers and "
     "copy the driver by hand",
     "虚拟机 %s 的第一个磁盘（%s）不是虚拟硬盘（.vhdx、.vhd）：exhv 不会从虚拟机取走直通的物理磁盘。请加上 --no-drivers "
     "并手动复制驱动"},
    {"VM %s has %zu disks: the driver goes into the first, %s, which must hold its "
     "Windows.",
     "虚拟机 %s 有 %zu 个磁盘：驱动放入第一个磁盘 %s，它必须装有 Windows。"},
    {"no GPU on this host can be partitioned, so there is no driver to import",
     "此主机上没有可分区的显卡，因此没有可导入的驱动"},
    {"the host does not say which driver GPU %u (%s) uses (its devnode has no "
     "Driver value), so exhv cannot tell which files the guest needs. Give "
     "--no-drivers and copy the driver by hand",
     "主机没有说明显卡 %u（%s）使用哪个驱动（其设备节点没有 Driver 值），exhv 无法判断来宾需要哪些文件。请加上 --no-drivers "
     "并手动复制驱动"},
    {"the host driver of GPU %u (%s) cannot be imported",
     "无法导入显卡 %u（%s）的主机驱动"},
    {"Give --no-drivers to go on without importing it",
     "加上 --no-drivers 可不导入驱动继续"},
    {"The guest's drivers are files on its disk; the VM is off, so the host can "
     "open it.",
     "来宾的驱动是其磁盘上的文件；虚拟机已关闭，主机可以打开该磁盘。"},
    {"So that `exhv vms` can tell, without opening the disk, when the host's driver "
     "is newer than the guest's.",
     "这样 `exhv vms` 无需打开磁盘即可知道主机驱动何时比来宾的新。"},
    {"Until then the files the copy replaced are kept, so that a failure puts the "
     "guest back as it was.",
     "在此之前保留复制所替换的文件，以便失败时把来宾恢复原样。"},
    {"A hive left loaded keeps the guest's registry file open.",
     "未卸载的配置单元会使来宾的注册表文件保持打开。"},
    {"The VM cannot start while its disk is attached to the host.",
     "磁盘附加在主机上时，虚拟机无法启动。"},
    {"What exhv put into the guest is listed in its manifest on the disk; the VM is "
     "off, so the host can open it.",
     "exhv 放入来宾的内容列在磁盘上的清单中；虚拟机已关闭，主机可以打开该磁盘。"},
    {"The packages and System32 files the manifest lists go; the guest files they "
     "replaced come back.",
     "删除清单列出的包和 System32 文件；放回它们替换的来宾文件。"},
    {"The guest no longer has drivers from exhv to go stale.",
     "来宾不再有来自 exhv、可能过时的驱动。"},
    {"Until then what the purge removed is kept, so that a failure puts the guest "
     "back as it was.",
     "在此之前保留清除所删除的内容，以便失败时把来宾恢复原样。"},
    {"Values exhv wrote into the guest's SYSTEM hive (the NVIDIA service, Intel's "
     "class values) stay; they name HostDriverStore files that are then gone.",
     "exhv 写入来宾 SYSTEM 配置单元的值（NVIDIA 服务、Intel 的类值）会保留；它们指向的 HostDriverStore "
     "文件届时已不存在。"},
    {"VM %s has no GPU partition adapter, so it has no GPU whose driver to import: "
     "`exhv gpu add %s` adds one and imports its driver",
     "虚拟机 %s 没有 GPU 分区适配器，因此没有可导入驱动的显卡：`exhv gpu add %s` 会添加一个并导入其驱动"},
    {"VM %s's GPU partition adapters name GPUs the host no longer has: `exhv gpu "
     "remove %s --stale` removes them, and `exhv gpu add %s` adds one and imports "
     "its driver",
     "虚拟机 %s 的 GPU 分区适配器指向主机上已不存在的显卡：`exhv gpu remove %s --stale` 会删除它们，`exhv gpu "
     "add %s` 会添加一个并导入其驱动"},
    {"Import the host's GPU driver into VM %s",
     "把主机的显卡驱动导入虚拟机 %s"},
    {"no guest disk is attached in this run: a step that attaches it comes first",
     "本次运行没有附加来宾磁盘：需要先有附加磁盘的步骤"},
    {"this connection cannot open VM disks",
     "此连接无法打开虚拟机磁盘"},
    {"a disk is attached already in this run",
     "本次运行已附加了一个磁盘"},
    {"exhv imports drivers into a Windows guest: for another guest, give "
     "--no-drivers",
     "exhv 只把驱动导入 Windows 来宾：其他来宾请加上 --no-drivers"},
    {"this connection cannot load a hive",
     "此连接无法加载配置单元"},
    {"a hive is loaded already in this run",
     "本次运行已加载了一个配置单元"},
    {"%s; putting the guest's driver folders back failed too (%s): what was set "
     "aside stays in Windows\\System32\\exhv-undo on the guest's disk",
     "%s；恢复来宾驱动文件夹也失败了（%s）：暂存的内容留在来宾磁盘的 Windows\\System32\\exhv-undo 中"},
    {"the host's driver changed since exhv planned this (driver %s, now %s): run "
     "the command again",
     "exhv 制定计划后主机驱动已改变（原为 %s，现为 %s）：请重新运行该命令"},
    {"this run holds no log of the guest's driver folders: what an earlier run set "
     "aside is in Windows\\System32\\exhv-undo on the guest's disk",
     "本次运行没有来宾驱动文件夹的日志：先前运行暂存的内容位于来宾磁盘的 Windows\\System32\\exhv-undo 中"},
    /* src/hyperv/import_hive.c */
    {"The driver's values go into the guest's registry, which is a file on its disk.",
     "驱动的值写入来宾的注册表，它是磁盘上的一个文件。"},
    {"CUDA and some games need the NVIDIA service in the guest's registry, its "
     "ImagePath in HostDriverStore.",
     "CUDA 和一些游戏需要来宾注册表中有 NVIDIA 服务，其 ImagePath 指向 HostDriverStore。"},
    {"Intel's OpenCL, Level Zero and media runtimes read these class values, with "
     "HostDriverStore paths.",
     "Intel 的 OpenCL、Level Zero 和媒体运行库读取这些类值，路径指向 HostDriverStore。"},
    /* src/hyperv/journal.c */
    {"the record of an interrupted change (%s) is damaged",
     "中断的更改的记录（%s）已损坏"},
    {"the record of an interrupted change (%s) is not one this exhv reads",
     "中断的更改的记录（%s）不是此版本 exhv 能读取的格式"},
    {"the record of an interrupted change (%s): step %zu has an unknown kind or status, or a "
     "member of the wrong type",
     "中断的更改的记录（%s）：第 %zu 步的类型或状态未知，或某个成员类型错误"},
    {"%s and %s",
     "%s 和 %s"},
    {"An earlier change was interrupted at step %zu of %zu: \"%s\". ",
     "之前的一项更改在第 %zu 步（共 %zu 步）时中断：“%s”。"},
    {"An earlier change did not finish: it stopped after step %zu of %zu: \"%s\". ",
     "之前的一项更改没有完成：它在第 %zu 步（共 %zu 步）之后停止：“%s”。"},
    {"%zu step of it is still in effect. ",
     "其中 %zu 步仍然有效。"},
    {"%zu steps of it are still in effect. ",
     "其中 %zu 步仍然有效。"},
    {"Step %ld was running when exhv stopped: whether it finished is not known. ",
     "exhv 停止时第 %ld 步正在运行：不知道它是否已完成。"},
    {"Run %s to undo what it did, then check with %s whether step %ld took effect.",
     "运行 %s 撤销它所做的更改，然后用 %s 检查第 %ld 步是否已生效。"},
    {"Run %s to undo what it did.",
     "运行 %s 撤销它所做的更改。"},
    {"Run %s to undo what it did, or %s to run the rest.",
     "运行 %s 撤销它所做的更改，或运行 %s 完成其余步骤。"},
    {"Undo the interrupted change \"%s\"",
     "撤销中断的更改“%s”"},
    {"undoes a step of the interrupted change",
     "撤销中断的更改中的一步"},
    {"step %ld of the interrupted change was running when exhv stopped; whether it finished "
     "is not known: check it after this with %s",
     "exhv 停止时中断的更改的第 %ld 步正在运行；不知道它是否已完成：完成本操作后请用 %s 检查"},
    {"step %ld of the interrupted change was running when exhv stopped, and whether it "
     "finished is not known: finishing could run it twice; run %s (undo) instead",
     "exhv 停止时中断的更改的第 %ld 步正在运行，不知道它是否已完成：继续完成可能使它运行两次"
     "；请改为运行 %s（撤销）"},
    {"the interrupted change was already being undone: run %s to finish undoing it",
     "中断的更改已在撤销中：运行 %s 完成撤销"},
    {"Finish the interrupted change \"%s\"",
     "完成中断的更改“%s”"},
    {"recording the plan in progress",
     "记录进行中的计划"},
    {". Read it to see what the earlier change did, check the host with `exhv devices` and "
     "`exhv vms`, then drop the record with `exhv recover --forget` (given the same "
     "--connect as this command)",
     "。请阅读它以了解之前的更改做了什么，用 `exhv devices` 和 `exhv vms` 检查主机，然后用 "
     "`exhv recover --forget`（使用与本命令相同的 --connect）丢弃该记录"},
    {": the guest's driver files stay as that run left them; what it set aside, unless it "
     "was deleted, is in Windows\\System32\\exhv-undo on the guest's disk, to be put back by "
     "hand, or run `exhv gpu drivers` for the VM again to finish the import",
     "：来宾的驱动程序文件保持那次运行留下的样子；它留存的内容（除非已被删除）在来宾磁盘的 "
     "Windows\\System32\\exhv-undo 中，需要手动放回，或为该虚拟机再次运行 `exhv gpu drivers` "
     "以完成导入"},
    {": the guest's driver files stay as that run left them; what it set aside, unless it "
     "was deleted, is in Windows\\System32\\exhv-undo on the guest's disk, to be put back by "
     "hand",
     "：来宾的驱动程序文件保持那次运行留下的样子；它留存的内容（除非已被删除）在来宾磁盘的 "
     "Windows\\System32\\exhv-undo 中，需要手动放回"},
    {": the host's record of the VM's guest drivers stays as that run wrote it",
     "：主机上该虚拟机来宾驱动程序的记录保持那次运行写入的样子"},
    {": the driver's values stay in the guest's SYSTEM hive",
     "：驱动程序的值保留在来宾的 SYSTEM 配置单元中"},
    {": what it deleted is gone",
     "：它删除的内容已不存在"},
    {"step %zu of the interrupted change, %s, stays in effect: exhv cannot undo it from its "
     "record%s",
     "中断的更改的第 %zu 步（%s）仍然有效：exhv 无法根据记录撤销它%s"},
    {"The package %s has no %s, which its CopyToVm value names for %s\\%s: left out.",
     "程序包 %s 中没有 %s，而它的 CopyToVm 值为 %s\\%s 指定了该文件：已略过。"},

    /* src/hyperv/planner.c */
    {"Drivers not imported (--no-drivers): the guest needs the host's GPU driver "
     "files in C:\\Windows\\System32\\HostDriverStore\\FileRepository (`exhv gpu "
     "drivers VM` puts them there).",
     "未导入驱动程序（--no-drivers）：来宾需要在 "
     "C:\\Windows\\System32\\HostDriverStore\\FileRepository 中有主机的显卡驱动文件（`exhv gpu "
     "drivers VM` 会放入）。"},
    {"Its GPU no longer exists, which keeps the VM from starting.",
     "它的显卡已不存在，这会使虚拟机无法启动。"},
    {"The VM gives up this GPU partition.",
     "虚拟机放弃这个 GPU 分区。"},
    {"VM %s has no GPU partition adapter '%s'; its adapters:%s",
     "虚拟机 %s 没有 GPU 分区适配器“%s”；它的适配器：%s"},
    {"Remove GPU partition adapters from VM %s",
     "从虚拟机 %s 移除 GPU 分区适配器"},
    {"VM %s has no stale GPU partition adapter.",
     "虚拟机 %s 没有失效的 GPU 分区适配器。"},
    {"VM %s has no GPU partition adapter.",
     "虚拟机 %s 没有 GPU 分区适配器。"},
    {"Left as they are: guest-controlled cache types %s, low MMIO gap %s, high MMIO gap %s, "
     "automatic stop action %s, checkpoints %s, dynamic memory %s. Change them with Set-VM "
     "if the VM no longer needs them.",
     "保持不变：来宾控制的缓存类型 %s，低 MMIO 间隙 %s，高 MMIO 间隙 %s，自动停止操作 %s，检"
     "查点 %s，动态内存 %s。如果虚拟机不再需要它们，请用 Set-VM 更改。"},
    {"%zu VMs are named '%s' (names match without regard to case, as in Hyper-V's cmdlets): "
     "name one by its ID:%s",
     "有 %zu 台虚拟机名为“%s”（名称匹配不区分大小写，与 Hyper-V 的 cmdlet 相同）：请用 ID 指"
     "定其中一台：%s"},
    {"no VM is named '%s' (see `exhv vms`)",
     "没有名为“%s”的虚拟机（见 `exhv vms`）"},
    {"Hyper-V takes a low MMIO gap of %u to %u MB only, so the VM's %llu MB cannot be set "
     "again",
     "Hyper-V 只接受 %u 到 %u MB 的低 MMIO 间隙，因此无法再设回虚拟机原来的 %llu MB"},
    {"name a device: its location path, instance ID, or part of its name (see `exhv devices`)",
     "请指定设备：它的位置路径、实例 ID 或名称的一部分（见 `exhv devices`）"},
    {"Hyper-V changes a VM's devices only while it is off (you chose to shut running VMs "
     "down).",
     "Hyper-V 只在虚拟机关闭时更改其设备（你选择了关闭正在运行的虚拟机）。"},
    {"Hyper-V changes a VM's devices only while it is off (--stop).",
     "Hyper-V 只在虚拟机关闭时更改其设备（--stop）。"},
    {"VM %s is running: shut it down first, or tick \"Shut down running VMs\" to let exhv "
     "shut it down (it is turned off if the guest does not stop within a minute)",
     "虚拟机 %s 正在运行：请先将其关机，或勾选“关闭正在运行的虚拟机”让 exhv 将其关机（如果来宾一分钟内"
     "未停止，则强制关闭）"},
    {"VM %s is running: shut it down first, or pass --stop to let exhv shut it down (it is "
     "turned off if the guest does not stop within a minute)",
     "虚拟机 %s 正在运行：请先将其关机，或加上 --stop 让 exhv 将其关机（如果来宾一分钟内未停"
     "止，则强制关闭）"},
    {"VM %s is %s: Hyper-V changes devices only on a VM that is off. %s",
     "虚拟机 %s %s：Hyper-V 只更改已关闭虚拟机的设备。%s"},
    {"Start it and shut it down, or turn it off (its saved state is then lost)",
     "请启动它再关机，或将其关闭（其保存的状态随之丢失）"},
    {"Resume it and shut it down, or turn it off (what it was doing is then lost)",
     "请恢复它再关机，或将其关闭（它正在做的工作随之丢失）"},
    {"Wait until it is running or off (`exhv vms` shows it), then try again",
     "请等到它正在运行或已关闭（`exhv vms` 可查看），然后重试"},
    {"Shut it down or turn it off, then try again",
     "请将其关机或关闭，然后重试"},
    {"A VM with an assigned device cannot save its state: it must turn off when the host "
     "stops.",
     "分配了设备的虚拟机不能保存状态：主机停止时它必须关闭。"},
    {"Lets the guest use write-combining on the device's memory, which GPUs need.",
     "让来宾对设备内存使用写合并，显卡需要这一点。"},
    {"VM %s would need %llu MB of 32-bit MMIO for its devices; a VM's low MMIO gap holds at "
     "most %u MB. Assign fewer devices to it.",
     "虚拟机 %s 的设备需要 %llu MB 的 32 位 MMIO；虚拟机的低 MMIO 间隙最多 %u MB。请给它分配"
     "更少的设备。"},
    {"The devices' 32-bit memory ranges plus a %u MB buffer (Microsoft's rule) need %llu MB; "
     "too small a gap gives Code 12 in the guest.",
     "设备的 32 位内存范围加上 %u MB 缓冲（微软的规则）需要 %llu MB；间隙太小会在来宾中出现代"
     "码 12。"},
    {"The devices' 64-bit memory ranges plus a %u MB buffer (Microsoft's rule) need %llu MB; "
     "too small a gap gives Code 12 in the guest.",
     "设备的 64 位内存范围加上 %u MB 缓冲（微软的规则）需要 %llu MB；间隙太小会在来宾中出现代"
     "码 12。"},
    {"Devices assigned by DDA need the VM's memory fixed in place: dynamic memory must be "
     "off.",
     "通过 DDA 分配的设备要求虚拟机内存固定：必须关闭动态内存。"},
    {"Host means the host; a VM named 'host' is reached by its ID: %s",
     "“主机”指的是主机；名为“host”的虚拟机要用其 ID 指定：%s"},
    {"`--to host` means the host; a VM named 'host' is reached by its ID: --to %s",
     "`--to host` 指的是主机；名为“host”的虚拟机要用其 ID 指定：--to %s"},
    {"The VM gets the device.",
     "虚拟机获得该设备。"},
    {"Mounting gives the device back to the host.",
     "装载后设备回到主机。"},
    {"A mounted device comes back disabled; enabling it lets the host use it again.",
     "装载的设备回来时处于禁用状态；启用后主机才能再次使用它。"},
    {"Hyper-V is not available on this host: `exhv status` says what to do",
     "此主机上没有 Hyper-V：`exhv status` 会说明该怎么做"},
    {"Move %s to VM %s",
     "将 %s 移到虚拟机 %s"},
    {"Give %s back to the host",
     "将 %s 还给主机"},
    {"%s is already assigned to VM %s.",
     "%s 已分配给虚拟机 %s。"},
    {"%s is already the host's. %s.",
     "%s 已在主机上。%s。"},
    {"%s is already the host's.%s",
     "%s 已在主机上。%s"},
    {"VM %s is Generation 1: DDA needs a Generation 2 VM",
     "虚拟机 %s 是第 1 代：DDA 需要第 2 代虚拟机"},
    {"the hardware VM %s referred to is gone; `exhv assign %s --to host` removes the stale "
     "reference",
     "虚拟机 %s 引用的硬件已不存在；`exhv assign %s --to host` 可移除这个失效的引用"},
    {"%s cannot be assigned: %s (`exhv survey` shows every check)",
     "%s 不能分配：%s（`exhv survey` 显示所有检查）"},
    {"%s is the host's last display adapter: without it the host has no screen. Pass --force "
     "if you manage the host remotely",
     "%s 是主机的最后一块显示适配器：没有它，主机就没有屏幕。如果你远程管理主机，请加上 "
     "--force"},
    {"%s is partitioned for VMs %s (GPU-PV): taken by DDA, the GPU leaves the host, and "
     "those VMs do not start until `exhv gpu remove VM --stale`. Pass --force to assign it "
     "anyway",
     "%s 已分区给虚拟机 %s（GPU-PV）：DDA 拿走显卡后，它将离开主机，这些虚拟机在运行 `exhv "
     "gpu remove VM --stale` 之前无法启动。如仍要分配，请加上 --force"},
    {"%s is partitioned for VM %s (GPU-PV): taken by DDA, the GPU leaves the host, and that "
     "VM does not start until `exhv gpu remove VM --stale`. Pass --force to assign it anyway",
     "%s 已分区给虚拟机 %s（GPU-PV）：DDA 拿走显卡后，它将离开主机，该虚拟机在运行 `exhv gpu "
     "remove VM --stale` 之前无法启动。如仍要分配，请加上 --force"},
    {"Move %s from VM %s to VM %s",
     "将 %s 从虚拟机 %s 移到虚拟机 %s"},
    {"Move %s from the host to VM %s",
     "将 %s 从主机移到虚拟机 %s"},
    {"Move %s from dismounted to VM %s",
     "将 %s 从已卸除状态移到虚拟机 %s"},
    {"Remove VM %s's reference to missing hardware at %s",
     "移除虚拟机 %s 对 %s 处缺失硬件的引用"},
    {"%zu devices are at %s; name one by its instance ID:%s",
     "%zu 个设备位于 %s；请用实例 ID 指定其中一个：%s"},
    {"(unknown)",
     "（未知）"},
    {"The device is disabled; enabling it lets the host use it again.",
     "设备已禁用；启用后主机才能再次使用它。"},
    {"The host's driver must let go of the device before Hyper-V can take it.",
     "主机的驱动程序必须先释放设备，Hyper-V 才能接管它。"},
    {"Dismounting hands the device from the host to Hyper-V.",
     "卸除操作将设备从主机交给 Hyper-V。"},
    {"The device leaves the VM that holds it.",
     "设备离开持有它的虚拟机。"},
    {"The hardware is gone; the reference keeps the VM from starting.",
     "硬件已不存在；该引用会使虚拟机无法启动。"},
    {"This is a client edition of Windows: Hyper-V may refuse to start a VM with an assigned "
     "device (ERROR_HV_FEATURE_UNAVAILABLE). Microsoft supports DDA on Windows Server.",
     "这是 Windows 的客户端版：Hyper-V 可能拒绝启动分配了设备的虚拟机（"
     "ERROR_HV_FEATURE_UNAVAILABLE）。微软在 Windows Server 上支持 DDA。"},
    {"The DDA security policy is the default: if Hyper-V refuses the device, `exhv policy "
     "off` relaxes it.",
     "DDA 安全策略为默认：如果 Hyper-V 拒绝该设备，`exhv policy off` 可放宽它。"},
    {"VMs that lose their GPU partition (--force): %s. Their adapters go stale and keep them "
     "from starting until `exhv gpu remove VM --stale`.",
     "将失去 GPU 分区的虚拟机（--force）：%s。它们的适配器将失效，在运行 `exhv gpu remove VM "
     "--stale` 之前无法启动。"},
    {"The card's other functions move along (--with-functions): %zu devices in all.",
     "这块卡的其他功能一起移动（--with-functions）：共 %zu 个设备。"},
    {"%s is another function of the same card; --with-functions moves it too.",
     "%s 是同一块卡的另一个功能；--with-functions 会将它一起移动。"},
    {"Relax the DDA security policy",
     "放宽 DDA 安全策略"},
    {"Restore the default DDA security policy",
     "恢复默认的 DDA 安全策略"},
    {"Lets Hyper-V assign devices whose drivers do not declare virtualization support (the "
     "seed's \"disable security policy\").",
     "让 Hyper-V 可以分配驱动未声明支持虚拟化的设备（原版的“禁用安全策略”）。"},
    {"Hyper-V again requires devices and drivers it supports for assignment.",
     "Hyper-V 重新要求分配的设备和驱动是它所支持的。"},
    {"%s holds %s, which exhv cannot write back: it is changed last, so that no undo needs "
     "it.",
     "%s 的值为 %s，exhv 无法写回：它最后更改，这样任何撤销都不需要它。"},
    {"a value it cannot read",
     "无法读取的值"},
    {"both values are already 0 (relaxed).",
     "两个值都已为 0（已放宽）。"},
    {"both values are already absent (the default).",
     "两个值都已不存在（默认）。"},
    {"name a GPU: its location path or instance ID (they stay when cards come and go), its "
     "partition path, its index in `exhv gpus`, or part of its name",
     "请指定显卡：它的位置路径或实例 ID（插拔其他卡时不变）、分区路径、在 `exhv gpus` 中的序"
     "号，或名称的一部分"},
    {"there is no GPU %lu: `exhv gpus` numbers them from 0 to %zu",
     "没有显卡 %lu：`exhv gpus` 将显卡从 0 编号到 %zu"},
    {"no GPU matches '%s' (see `exhv gpus`)",
     "没有与“%s”匹配的显卡（见 `exhv gpus`）"},
    {"'%s' matches %zu GPUs; name one by its location path (an index changes when a card "
     "leaves the host):%s",
     "“%s”匹配 %zu 块显卡；请用位置路径指定其中一块（有卡离开主机时序号会变）：%s"},
    {"GPU %u reports no partition resources, so --share cannot be computed; leave it out to "
     "use Hyper-V's defaults",
     "显卡 %u 未报告分区资源，无法计算 --share；去掉它即可使用 Hyper-V 的默认值"},
    {"no device matches '%s': give a location path, an instance ID, or part of a name that "
     "`exhv devices --all` shows",
     "没有与“%s”匹配的设备：请给出位置路径、实例 ID，或 `exhv devices --all` 所显示名称的一部"
     "分"},
    {"this host (build %u) is too old for GPU-PV: exhv needs build 19041 (Windows 10 2004) "
     "or later, the first where a VM sees its GPU's model. Update the host, or give the VM "
     "the whole GPU by DDA (`exhv assign`)",
     "此主机（版本 %u）太旧，无法使用 GPU-PV：exhv 需要版本 19041（Windows 10 2004）或更高，"
     "这是虚拟机能识别显卡型号的第一个版本。请更新主机，或通过 DDA 把整块显卡交给虚拟机（"
     "`exhv assign`）"},
    {"no GPU on this host can be partitioned: GPU-PV needs a GPU whose driver supports it "
     "(`exhv gpus`)",
     "此主机上没有可以分区的显卡：GPU-PV 需要驱动支持分区的显卡（`exhv gpus`）"},
    {"'%s' matches %zu devices; name one by its location path:%s",
     "“%s”匹配 %zu 个设备；请用位置路径指定其中一个：%s"},
    {"this host (build %u) cannot choose the GPU for a partition: that needs build 22000 or "
     "later. Leave out --gpu and Hyper-V picks one, or update the host",
     "此主机（版本 %u）无法为分区选择显卡：这需要版本 22000 或更高。去掉 --gpu 由 Hyper-V 选"
     "择一块，或更新主机"},
    {"%zu GPUs can be partitioned: choose one with --gpu: its location path (it stays when "
     "cards come and go), its instance ID, its partition path, its index in `exhv gpus`, or "
     "part of its name:%s",
     "有 %zu 块显卡可以分区：请用 --gpu 选择一块：它的位置路径（插拔其他卡时不变）、实例 ID、"
     "分区路径、在 `exhv gpus` 中的序号，或名称的一部分：%s"},
    {"GPU %u (%s) is disabled on the host: its driver, which makes the partitions, does not "
     "run. `exhv assign %s --to host` enables it",
     "显卡 %u（%s）在主机上已禁用：负责创建分区的驱动程序没有运行。`exhv assign %s --to "
     "host` 可启用它"},
    {"GPU %u (%s) cannot be partitioned: its driver does not offer GPU-PV; `exhv gpus` shows "
     "which can",
     "显卡 %u（%s）不能分区：它的驱动不提供 GPU-PV；`exhv gpus` 显示哪些可以"},
    {"VM %s has 1 checkpoint: a VM with a GPU partition cannot use checkpoints. Delete or "
     "apply them first (Hyper-V Manager, or Remove-VMCheckpoint), then try again",
     "虚拟机 %s 有 1 个检查点：有 GPU 分区的虚拟机不能使用检查点。请先删除或应用它们（"
     "Hyper-V 管理器，或 Remove-VMCheckpoint），然后重试"},
    {"VM %s has %zu checkpoints: a VM with a GPU partition cannot use checkpoints. Delete or "
     "apply them first (Hyper-V Manager, or Remove-VMCheckpoint), then try again",
     "虚拟机 %s 有 %zu 个检查点：有 GPU 分区的虚拟机不能使用检查点。请先删除或应用它们（"
     "Hyper-V 管理器，或 Remove-VMCheckpoint），然后重试"},
    {"--low-mmio can be at most %u MB",
     "--low-mmio 最多为 %u MB"},
    {"Add a GPU partition to VM %s",
     "将一个 GPU 分区添加到虚拟机 %s"},
    {"Lets the guest use write-combining on GPU memory.",
     "让来宾对显存使用写合并。"},
    {"GPU-PV needs at least %u MB of high MMIO; too little gives Code 43 in the guest.",
     "GPU-PV 至少需要 %u MB 的高 MMIO；太少会在来宾中出现代码 43。"},
    {"GPU-PV needs at least %u MB of high MMIO and the GPU's VRAM rounded up to a power of "
     "two; too little gives Code 43 in the guest.",
     "GPU-PV 至少需要 %u MB 的高 MMIO，以及向上取整到 2 的幂的显卡显存；太少会在来宾中出现代"
     "码 43。"},
    {"GPU-PV needs at least %u MB of high MMIO and the VRAM of the GPU Hyper-V may pick (the "
     "largest) rounded up to a power of two; too little gives Code 43 in the guest.",
     "GPU-PV 至少需要 %u MB 的高 MMIO，以及 Hyper-V 可能选择的显卡（显存最大的那块）的显存向"
     "上取整到 2 的幂；太少会在来宾中出现代码 43。"},
    {"GPU-PV needs at least 128 MB of low MMIO.",
     "GPU-PV 至少需要 128 MB 的低 MMIO。"},
    {"A VM with a GPU partition cannot save its state: it shuts down when the host stops.",
     "有 GPU 分区的虚拟机不能保存状态：主机停止时它会关机。"},
    {"A VM with a GPU partition cannot take checkpoints.",
     "有 GPU 分区的虚拟机不能创建检查点。"},
    {"GPU partitions need the VM's memory fixed: dynamic memory must be off.",
     "GPU 分区要求虚拟机内存固定：必须关闭动态内存。"},
    {"The VM gets a partition of this GPU.",
     "虚拟机获得这块显卡的一个分区。"},
    {"The VM gets a GPU partition; below build 22000 Hyper-V chooses the GPU.",
     "虚拟机获得一个 GPU 分区；版本 22000 以下由 Hyper-V 选择显卡。"},
    {"Build %u cannot choose the GPU: Hyper-V uses one of the partitionable GPUs, normally "
     "the first (%s).",
     "版本 %u 无法选择显卡：Hyper-V 使用可分区显卡中的一块，通常是第一块（%s）。"},
    {"Partition values from the share you chose: they matter on GPUs that Hyper-V really "
     "partitions (SR-IOV, Windows Server 2025); consumer GPUs share the whole GPU.",
     "分区值来自你选择的份额：它们只在 Hyper-V 真正分区的显卡上起作用（SR-IOV，Windows "
     "Server 2025）；消费级显卡共享整块显卡。"},
    {"Partition values from --share: they matter on GPUs that Hyper-V really partitions "
     "(SR-IOV, Windows Server 2025); consumer GPUs share the whole GPU.",
     "分区值来自 --share：它们只在 Hyper-V 真正分区的显卡上起作用（SR-IOV，Windows Server "
     "2025）；消费级显卡共享整块显卡。"},
    {"Hyper-V is not available on this host, so it has no VMs: `exhv status` says what to do",
     "此主机上没有 Hyper-V，因此没有虚拟机：`exhv status` 会说明该怎么做"},
    {"Partition values are Hyper-V's defaults: on consumer GPUs they have no effect (the "
     "whole GPU is shared); a share above 0 sets them for GPUs where they matter.",
     "分区值为 Hyper-V 的默认值：在消费级显卡上不起作用（整块显卡共享）；份额大于 0 时会为起"
     "作用的显卡设置这些值。"},
    {"Partition values are Hyper-V's defaults: on consumer GPUs they have no effect (the "
     "whole GPU is shared); --share sets them for GPUs where they matter.",
     "分区值为 Hyper-V 的默认值：在消费级显卡上不起作用（整块显卡共享）；--share 会为起作用的"
     "显卡设置这些值。"},
    {"VM %s is Generation 1: GPU-PV is made for Generation 2 VMs and may not work here.",
     "虚拟机 %s 是第 1 代：GPU-PV 是为第 2 代虚拟机设计的，在这里可能无法工作。"},
    {"A high MMIO gap above 64 GB may keep the VM from booting on older CPUs (their physical "
     "address width is too small).",
     "高于 64 GB 的高 MMIO 间隙可能使虚拟机在较旧的 CPU 上无法启动（其物理地址宽度太小）。"},
    {"Drivers not imported: the guest needs the host's GPU driver files in C:\\Windows\\"
     "System32\\HostDriverStore\\FileRepository.",
     "未导入驱动程序：来宾需要在 C:\\Windows\\System32\\HostDriverStore\\FileRepository 中有"
     "主机的显卡驱动文件。"},
    {"name a VM: its name or its ID (see `exhv vms`)",
     "请指定虚拟机：它的名称或 ID（见 `exhv vms`）"},
    {"Hyper-V is not available on this host",
     "此主机上没有 Hyper-V"},
    {"VM %s has no GPU partition adapter '%s': it has none",
     "虚拟机 %s 没有 GPU 分区适配器“%s”：它一个也没有"},
    {"VM %s has %zu GPU partition adapters: name one (its index or ID), or pass --all or "
     "--stale:%s",
     "虚拟机 %s 有 %zu 个 GPU 分区适配器：请指定其中一个（序号或 ID），或加上 --all 或 "
     "--stale：%s"},
    {"Remove stale GPU partition adapters from VM %s",
     "从虚拟机 %s 移除失效的 GPU 分区适配器"},
    {"Remove every GPU partition adapter from VM %s",
     "从虚拟机 %s 移除所有 GPU 分区适配器"},
    {"Remove a GPU partition adapter from VM %s",
     "从虚拟机 %s 移除一个 GPU 分区适配器"},

    /* src/hyperv/resolve.c */
    {"this connection cannot read the host's driver store",
     "此连接无法读取主机的驱动程序存储"},
    {"the GPU has no driver on the host (no class key): install its driver first",
     "主机上没有该显卡的驱动程序（没有类项）：请先安装它的驱动程序"},
    {"%s has no InfPath: the GPU's driver is not installed from a driver package",
     "%s 没有 InfPath：显卡的驱动程序不是从驱动程序包安装的"},
    {"the GPU's driver %s",
     "显卡的驱动程序 %s"},
    {"the driver store puts %s at %s, which is not in a FileRepository folder: exhv does not "
     "know what to copy (exhv inf FILE shows what the INF installs)",
     "驱动程序存储把 %s 放在 %s，它不在 FileRepository 文件夹中：exhv 不知道该复制什么（exhv "
     "inf FILE 可显示 INF 安装的内容）"},
    {"reading %s",
     "读取 %s"},

    /* src/hyperv/sim/fields.c */
    {"scenario %s: %s: %s",
     "场景 %s：%s：%s"},
    {"a number",
     "数字"},
    {"a fraction",
     "小数"},
    {"a string",
     "字符串"},
    {"an array",
     "数组"},
    {"an object",
     "对象"},
    {"must be true or false (not %s)",
     "必须为 true 或 false（而不是%s）"},
    {"must be a string (not %s)",
     "必须为字符串（而不是%s）"},
    {"must be one of: %s",
     "必须是以下之一：%s"},
    {"must be a whole number from %lld to %lld (not %s)",
     "必须为 %lld 到 %lld 之间的整数（而不是%s）"},
    {"a number out of range",
     "超出范围的数字"},
    {"must be an array (not %s)",
     "必须为数组（而不是%s）"},
    {"must be an object (not %s)",
     "必须为对象（而不是%s）"},
    {"must be an array of {\"start\": N, \"length\": N} (not %s)",
     "必须为 {\"start\": N, \"length\": N} 组成的数组（而不是%s）"},
    {"the range ends beyond 2^63 bytes%s",
     "该范围的结尾超出 2^63 字节%s"},
    {"the device's ranges add up to more than 2^63 bytes%s",
     "该设备的范围加起来超过 2^63 字节%s"},
    {"must be hex digits, two per byte%s",
     "必须为十六进制数字，每字节两位%s"},
    {"has the unknown type \"%s\" (dword, qword, sz, expand_sz, multi_sz or binary)",
     "的类型“%s”未知（应为 dword、qword、sz、expand_sz、multi_sz 或 binary）"},
    {"must be an array of volumes%s",
     "必须为卷组成的数组%s"},
    {"needs \"method\"%s",
     "需要 \"method\"%s"},
    {"must be {\"sz\": \"a.b.c.d\"}: Windows keeps a driver's version as a string%s",
     "必须为 {\"sz\": \"a.b.c.d\"}：Windows 以字符串保存驱动程序版本%s"},
    {"differs from the DriverVersion of the device's class key (%.60s), where Windows reads "
     "it: change it there, or leave driver_version out",
     "与设备类项中的 DriverVersion（%.60s）不同，而 Windows 从那里读取它：请在那里更改，或去"
     "掉 driver_version"},
    {"must be \"<package folder>/<name>.inf\" (not '%.100s')",
     "必须为 \"<程序包文件夹>/<名称>.inf\"（而不是“%.100s”）"},

    /* src/hyperv/sim/sim.c */
    {"no WMI object has the path %s",
     "没有路径为 %s 的 WMI 对象"},
    {"cannot write %s: No space left on device (injected fault)",
     "无法写入 %s：设备上没有剩余空间（注入的故障）"},
    {"cannot write %s: it was changed, replaced or removed by another program while exhv was "
     "changing it, and exhv does not overwrite that; look at it, then run the command again",
     "无法写入 %s：exhv 更改它期间，它被其他程序更改、替换或删除，exhv 不会覆盖；请检查它，然"
     "后重新运行命令"},
    {"the simulated host has no method %s.%s",
     "模拟主机没有方法 %s.%s"},
    {"cannot enable device %s",
     "无法启用设备 %s"},
    {"cannot disable device %s",
     "无法禁用设备 %s"},
    {"no present device %s on the host",
     "主机上没有存在的设备 %s"},
    {"cannot write %s\\%s",
     "无法写入 %s\\%s"},
    {"cannot delete %s",
     "无法删除 %s"},
    {"cannot delete %s\\%s",
     "无法删除 %s\\%s"},
    {"cannot load the guest's registry hive %s as HKLM\\%s: that key exists (a hive loaded "
     "already?)",
     "无法将来宾的注册表配置单元 %s 加载为 HKLM\\%s：该项已存在（已经加载了某个配置单元？）"},
    {"too many hives loaded",
     "加载的配置单元过多"},
    {"cannot load the guest's registry hive %s",
     "无法加载来宾的注册表配置单元 %s"},
    {"%s is not a registry hive (a simulated hive is {\"schema\": 1, \"keys\": {...}})",
     "%s 不是注册表配置单元（模拟的配置单元格式为 {\"schema\": 1, \"keys\": {...}}）"},
    {"%s: each key must be an object of values, each value {\"dword\": N}, {\"qword\": N}, "
     "{\"sz\": S}, {\"expand_sz\": S}, {\"multi_sz\": [S...]} or {\"binary\": \"hex\"}",
     "%s：每个项必须是由值组成的对象，每个值为 {\"dword\": N}、{\"qword\": N}、{\"sz\": S}、"
     "{\"expand_sz\": S}、{\"multi_sz\": [S...]} 或 {\"binary\": \"hex\"}"},
    {"no hive is loaded as HKLM\\%s",
     "没有以 HKLM\\%s 加载的配置单元"},
    {"cannot unload the guest's registry hive HKLM\\%s",
     "无法卸载来宾的注册表配置单元 HKLM\\%s"},
    {"scenario %s is not valid JSON",
     "场景 %s 不是有效的 JSON"},
    {"the simulated host %s has no folders for driver stores and VM disks: use a "
     "test:///PATH scenario with \"drivers\" and \"disks\" (docs/scenario.md)",
     "模拟主机 %s 没有驱动程序存储和虚拟机磁盘的文件夹：请使用带有 \"drivers\" 和 \"disks\" "
     "的 test:///PATH 场景（docs/scenario.md）"},
    {"cannot ask the driver store where %s is",
     "无法向驱动程序存储查询 %s 的位置"},
    {"cannot attach %s",
     "无法附加 %s"},
    {"cannot open the virtual disk %s: it does not exist",
     "无法打开虚拟磁盘 %s：它不存在"},
    {"cannot attach %s: the running VM '%s' uses it (turn the VM off first, or give --stop)",
     "无法附加 %s：正在运行的虚拟机“%s”正在使用它（请先关闭该虚拟机，或使用 --stop）"},
    {"cannot attach %s: it is attached already",
     "无法附加 %s：它已经附加"},
    {"too many disks attached",
     "附加的磁盘过多"},
    {"cannot list the volumes of %s",
     "无法列出 %s 的卷"},
    {"cannot detach %s",
     "无法分离 %s"},
    {"there is no simulated host at %s: test:///PATH reads a scenario file that must exist. "
     "Copy scenarios/default.json there and edit it (docs/scenario.md), or use "
     "test:///default",
     "%s 处没有模拟主机：test:///PATH 读取的场景文件必须存在。请把 scenarios/default.json 复"
     "制到那里并编辑（docs/scenario.md），或使用 test:///default"},
    {"opening simulated host",
     "打开模拟主机"},
    {"registry value %s\\%s: bad hex",
     "注册表值 %s\\%s：十六进制数据无效"},
    {"scenario registry value %s\\%s has an unknown type or a value that does not fit it",
     "场景的注册表值 %s\\%s 类型未知，或值与类型不符"},
    {"the simulated WMI cannot parse the query \"%s\"",
     "模拟的 WMI 无法解析查询“%s”"},
    {"class %s is not in ROOT\\virtualization\\v2",
     "类 %s 不在 ROOT\\virtualization\\v2 中"},
    {"writing the built-in host's driver store and disks",
     "写入内置主机的驱动程序存储和磁盘"},

    /* src/hyperv/snapshot.c */
    {"GPU partitioning could not be read (%s%s%s); GPUs are shown as not partitionable and "
     "VMs without GPU partition adapters",
     "无法读取 GPU 分区信息（%s%s%s）；显卡显示为不可分区，虚拟机显示为没有 GPU 分区适配器"},
    {"REG_BINARY (%zu bytes)",
     "REG_BINARY（%zu 字节）"},
    {"a value of unknown type",
     "未知类型的值"},
    {"out of memory while reading the host",
     "读取主机时内存不足"},
    {"the guest driver records (%s) could not be read (%s); guest driver states are not shown",
     "无法读取来宾驱动程序记录（%s）（%s）；不显示来宾驱动程序状态"},
    {"%s is empty",
     "%s 为空"},
    {"AllPackages is %llu, neither 0 nor 1",
     "AllPackages 为 %llu，既不是 0 也不是 1"},
    {"%s is %s, not %s",
     "%s 是 %s，而不是 %s"},
    {"%s is missing",
     "缺少 %s"},
    {"%s could not be read (%s)",
     "无法读取 %s（%s）"},

    /* src/hyperv/win/com.c */
    {"%s failed%s",
     "%s 失败%s"},
    {": access denied; run exhv from an administrator prompt",
     "：拒绝访问；请从管理员命令提示符运行 exhv"},

    /* src/hyperv/win/guest.c */
    {"registry key %s has no known root",
     "注册表项 %s 没有已知的根"},
    {"registry key %s does not exist",
     "注册表项 %s 不存在"},
    {"cannot attach %s under Wine %s: its VirtDisk aborts the process. Run exhv on the "
     "Windows host",
     "无法附加 %s（在 Wine %s 下）：它的 VirtDisk 会终止进程。请在 Windows 主机上运行 exhv"},
    {"this system has no VirtDisk: cannot attach %s",
     "此系统没有 VirtDisk：无法附加 %s"},
    {"%s holds %d Windows installations: exhv does not guess which one the VM starts",
     "%s 包含 %d 个 Windows 安装：exhv 不会猜测虚拟机启动的是哪一个"},
    {"%s holds no Windows volume (no Windows\\System32\\config\\SYSTEM)%s",
     "%s 中没有 Windows 卷（没有 Windows\\System32\\config\\SYSTEM）%s"},
    {"; a volume has no file system: it is probably BitLocker-protected (unlock it in the VM "
     "or turn BitLocker off)",
     "；有一个卷没有文件系统：它可能受 BitLocker 保护（请在虚拟机中解锁，或关闭 BitLocker）"},
    {"this system's SetupAPI cannot say where the driver store keeps %s (no "
     "SetupGetInfDriverStoreLocationW)",
     "此系统的 SetupAPI 无法说明驱动程序存储把 %s 放在哪里（没有 "
     "SetupGetInfDriverStoreLocationW）"},
    {"this system's SetupAPI cannot say where the driver store keeps %s "
     "(SetupGetInfDriverStoreLocationW is not implemented)",
     "此系统的 SetupAPI 无法说明驱动程序存储把 %s 放在哪里（SetupGetInfDriverStoreLocationW "
     "未实现）"},
    {"the driver store has no package for %s",
     "驱动程序存储中没有 %s 的程序包"},

    /* src/hyperv/win/pnp.c */
    {"out of memory listing devices",
     "列出设备时内存不足"},
    {"cannot enable %s under Wine: its device manager aborts the process on that call; run "
     "exhv on Windows",
     "无法在 Wine 下启用 %s：它的设备管理器在这一调用上会终止进程；请在 Windows 上运行 exhv"},
    {"cannot disable %s under Wine: its device manager aborts the process on that call; run "
     "exhv on Windows",
     "无法在 Wine 下禁用 %s：它的设备管理器在这一调用上会终止进程；请在 Windows 上运行 exhv"},
    {"cannot enable %s%s",
     "无法启用 %s%s"},
    {"cannot disable %s%s",
     "无法禁用 %s%s"},
    {": Windows says it cannot be disabled, so it cannot be assigned",
     "：Windows 表示它不能被禁用，因此不能分配"},
    {": no such device",
     "：没有这个设备"},

    /* src/hyperv/win/reg.c */
    {"cannot write registry value %s\\%s%s",
     "无法写入注册表值 %s\\%s%s"},
    {": run exhv as administrator",
     "：请以管理员身份运行 exhv"},
    {"cannot delete registry key %s%s",
     "无法删除注册表项 %s%s"},
    {"cannot delete registry value %s\\%s%s",
     "无法删除注册表值 %s\\%s%s"},
    {"registry value %s\\%s has no type",
     "注册表值 %s\\%s 没有类型"},
    {"a hive is loaded under one key name, not '%s'",
     "配置单元只加载在一个项名下，而不是“%s”"},
    {"cannot load the guest's registry hive %s: exhv needs the backup and restore privileges "
     "(run it as administrator)",
     "无法加载来宾的注册表配置单元 %s：exhv 需要备份和还原特权（请以管理员身份运行）"},
    {"cannot load the guest's registry hive %s as HKLM\\%s%s",
     "无法将来宾的注册表配置单元 %s 加载为 HKLM\\%s%s"},
    {": it is in use (is the VM running, or the hive loaded already?)",
     "：它正在使用中（虚拟机是否在运行，或者配置单元已经加载？）"},
    {"cannot unload the guest's registry hive HKLM\\%s: close any program that has it open "
     "(regedit), then run `reg unload HKLM\\%s`",
     "无法卸载来宾的注册表配置单元 HKLM\\%s：请关闭打开它的程序（regedit），然后运行 `reg "
     "unload HKLM\\%s`"},
    {"registry key %s does not start with HKLM\\, HKCU\\ or HKU\\",
     "注册表项 %s 不以 HKLM\\、HKCU\\ 或 HKU\\ 开头"},
    {"registry value %s\\%s does not exist",
     "注册表值 %s\\%s 不存在"},
    {"cannot read registry value %s\\%s",
     "无法读取注册表值 %s\\%s"},

    /* src/hyperv/win/winports.c */
    {"%s is not safe to trust: %s. It records a change in progress that exhv acts on. As an "
     "administrator, check its owner and permissions, or delete it if no exhv change was "
     "left half-done; nothing was changed",
     "%s 不可信：%s。它记录着 exhv 要据以操作的进行中的更改。请以管理员身份检查它的所有者和权"
     "限；如果没有未完成的 exhv 更改，也可以删除它；未做任何更改"},
    {"the record's folder",
     "记录所在的文件夹"},
    {"cannot build the security of %s",
     "无法构建 %s 的安全描述符"},
    {"the namespace ROOT\\virtualization\\v2 does not exist (running under Wine, which has "
     "no Hyper-V)",
     "命名空间 ROOT\\virtualization\\v2 不存在（在 Wine 下运行，Wine 没有 Hyper-V）"},
    {"the namespace ROOT\\virtualization\\v2 does not exist (the Hyper-V feature is not "
     "installed)",
     "命名空间 ROOT\\virtualization\\v2 不存在（未安装 Hyper-V 功能）"},
    {"Hyper-V is not connected",
     "未连接 Hyper-V"},

    /* src/platform/drvcopy.c */
    {"%s is there already: it holds what an earlier driver import set aside and was "
     "stopped by force before it could put back or drop. exhv does not know whether "
     "the guest still needs it: start the VM; if it works, delete that folder from "
     "the guest's disk, else move its items back by hand (the names are in the "
     "order they were set aside)",
     "%s 已存在：其中是先前一次驱动导入暂存的内容，那次导入在放回或丢弃之前被强行终止。exhv "
     "无法判断来宾是否还需要它：请启动虚拟机；若工作正常，从来宾磁盘删除该文件夹，否则手动把其中各项移回（名称按暂存的先后排列）"},
    {"putting the guest's driver folders back as they were",
     "把来宾驱动文件夹恢复原样"},
    {"%s is not a file: exhv will not read or replace it",
     "%s 不是文件：exhv 不会读取或替换它"},
    {"%s is not a manifest exhv wrote: exhv does not know what in HostDriverStore is its "
     "own. Remove the HostDriverStore folder from the guest's disk by hand to start afresh",
     "%s 不是 exhv 写入的清单：exhv 不知道 HostDriverStore 中哪些是它自己的。请手动从来宾磁盘"
     "中删除 HostDriverStore 文件夹以重新开始"},
    {"%s names a path outside HostDriverStore or System32: exhv does not follow it. Check "
     "the guest's HostDriverStore by hand",
     "%s 指向 HostDriverStore 或 System32 之外的路径：exhv 不会跟随它。请手动检查来宾的 "
     "HostDriverStore"},
    {"%s is not a file: exhv will not replace it",
     "%s 不是文件：exhv 不会替换它"},
    {"%s does not exist",
     "%s 不存在"},
    {"%s is a link or not a folder: exhv does not write through it",
     "%s 是链接或不是文件夹：exhv 不会通过它写入"},
    {"stopped after %llu of %llu files",
     "在 %llu 个文件（共 %llu 个）之后停止"},
    {"the package folder name '%s' is not a single folder name: exhv copies nothing",
     "程序包文件夹名“%s”不是单个文件夹名：exhv 不复制任何内容"},
    {"the file '%s' comes from a package that is not copied: exhv copies nothing",
     "文件“%s”来自一个不复制的程序包：exhv 不复制任何内容"},
    {"'%s' is not a path inside the package %s: exhv copies nothing",
     "“%s”不是程序包 %s 内的路径：exhv 不复制任何内容"},
    {"'%s' is not a file name in %s: exhv copies nothing",
     "“%s”不是 %s 中的文件名：exhv 不复制任何内容"},
    {"the guest's Windows folder",
     "来宾的 Windows 文件夹"},
    {"out of memory",
     "内存不足"},
    {"%s is a folder in the guest: exhv does not replace it",
     "%s 在来宾中是文件夹：exhv 不会替换它"},
    {"%s already holds a file exhv did not record: exhv does not overwrite it",
     "%s 中已有 exhv 未记录的文件：exhv 不会覆盖它"},
    {"exhv has imported no driver into this guest",
     "exhv 没有向此来宾导入过驱动程序"},

    /* src/platform/fs_common.c */
    {"%s is larger than %zu bytes",
     "%s 大于 %zu 字节"},
    {"cannot read %s: %s",
     "无法读取 %s：%s"},

    /* src/platform/posix/fs_posix.c */
    {"%s is %s, not a file: exhv replaces only regular files",
     "%s 是%s，不是文件：exhv 只替换普通文件"},
    {"cannot write %s with its owner (%lu:%lu) kept: %s",
     "无法写入 %s 并保留其所有者（%lu:%lu）：%s"},
    {"a directory",
     "文件夹"},
    {"a FIFO (named pipe)",
     "FIFO（命名管道）"},
    {"a character device",
     "字符设备"},
    {"a block device",
     "块设备"},
    {"a socket",
     "套接字"},
    {"not a regular file",
     "非普通文件"},
    {"%s is %s, not a file: name a scenario file (.json)",
     "%s 是%s，不是文件：请指定一个场景文件（.json）"},
    {"%s is %s, not a file: exhv writes every change back to the scenario file, so name a "
     "regular file",
     "%s 是%s，不是文件：exhv 会把每次更改写回场景文件，请指定一个普通文件"},
    {"%s is read-only: exhv writes every change back to it; make it writable (chmod u+w) or "
     "work on a copy",
     "%s 是只读的：exhv 会把每次更改写回它；请让它可写（chmod u+w），或使用副本"},
    {"%s belongs to another user: writing it back would make it yours; work on a copy, or "
     "run as its owner",
     "%s 属于另一个用户：写回会使它归你所有；请使用副本，或以其所有者身份运行"},

    /* src/platform/posix/lock_posix.c */
    {"the lock file %s is not a regular file: remove it and try again",
     "锁文件 %s 不是普通文件：请删除它后重试"},
    {"cannot create the lock file %s: %s",
     "无法创建锁文件 %s：%s"},
    {"another exhv is changing this host right now (lock %s); wait for it to finish and try "
     "again",
     "另一个 exhv 正在更改此主机（锁 %s）；请等它完成后重试"},

    /* src/platform/win32/fs_win32.c */
    {"%s is not a file: exhv writes every change back to the scenario file, so name a "
     "regular file",
     "%s 不是文件：exhv 会把每次更改写回场景文件，请指定一个普通文件"},
    {"%s is read-only: exhv writes every change back to it; clear its read-only attribute or "
     "work on a copy",
     "%s 是只读的：exhv 会把每次更改写回它；请清除其只读属性，或使用副本"},
    {"%s is not a file: exhv replaces only regular files",
     "%s 不是文件：exhv 只替换普通文件"},
    {"cannot create a file beside %s",
     "无法在 %s 旁边创建文件"},
    {"cannot write %s",
     "无法写入 %s"},
    {"cannot look at %s",
     "无法查看 %s"},
    {"%s (Windows error %lu)",
     "%s（Windows 错误 %lu）"},
    {"cannot remove %s",
     "无法删除 %s"},
    {"cannot open %s: %s",
     "无法打开 %s：%s"},
    {"cannot open %s",
     "无法打开 %s"},
    {"cannot resolve %s",
     "无法解析 %s"},

    /* src/platform/win32/lock_win32.c */
    {"another exhv, run as a different user or as administrator, is changing this host right "
     "now (lock %s); wait for it to finish and try again",
     "另一个 exhv（以其他用户或管理员身份运行）正在更改此主机（锁 %s）；请等它完成后重试"},
    {"cannot create the exhv lock",
     "无法创建 exhv 锁"},

    /* src/platform/win32/tree_win32.c */
    {"cannot list %s",
     "无法列出 %s"},
    {"cannot make the folder %s",
     "无法创建文件夹 %s"},
    {"cannot remove the folder %s",
     "无法删除文件夹 %s"},
    {"cannot change the attributes of %s",
     "无法更改 %s 的属性"},
    {"cannot rename to %s",
     "无法重命名为 %s"},
    {"cannot read the time of %s",
     "无法读取 %s 的时间"},
    {"cannot set the time of %s",
     "无法设置 %s 的时间"},
    {"cannot replace %s",
     "无法替换 %s"},
    {"cannot read %s",
     "无法读取 %s"},

    /* src/platform/posix/tree_posix.c */
    {"not a regular file: %s",
     "不是普通文件：%s"},
    {"cannot copy to %s",
     "无法复制到 %s"},

    /* src/gui/main.c */
    {"could not start a thread to read the host",
     "无法启动读取主机的线程"},

    /* src/platform/posix/scratch_posix.c */
    {"too many scratch folders at once",
     "同时使用的临时文件夹过多"},
    {"the temporary folder's path %s is too long",
     "临时文件夹的路径 %s 太长"},
    {"cannot make a private folder in %s: %s (set TMPDIR to a folder you can write)",
     "无法在 %s 中创建私有文件夹：%s（请把 TMPDIR 设为你可以写入的文件夹）"},
    {"cannot write %s: %s",
     "无法写入 %s：%s"},

    /* src/platform/win32/scratch_win32.c */
    {"cannot find %s",
     "找不到 %s"},
    {"the temporary folder",
     "临时文件夹"},
    {"cannot make a private folder in %s",
     "无法在 %s 中创建私有文件夹"},
};

const size_t exhv_tr_zh_count = sizeof(exhv_tr_zh) / sizeof(exhv_tr_zh[0]);
