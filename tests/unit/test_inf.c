/* The INF reader on the fixtures of tests/data/inf (written for these tests
 * in the shape of the vendors' display INFs) and on small inline texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/inf.h"
#include "platform/fs.h"
#include "t.h"

static exhv_inf *load(const char *name, const char *locale)
{
    static const char *const dirs[] = {"tests/data/inf/", "../tests/data/inf/",
                                       "../../tests/data/inf/"};
    exhv_error err;
    for (size_t i = 0; i < 3; i++) {
        char path[256], *data = NULL;
        size_t len;
        exhv_inf *inf = NULL;
        snprintf(path, sizeof(path), "%s%s", dirs[i], name);
        if (exhv_fs_read_file(path, EXHV_INF_MAX_BYTES, &data, &len, &err) < 0)
            continue;
        if (exhv_inf_parse(data, len, locale, &inf, &err) < 0)
            fprintf(stderr, "  %s: %s\n", name, err.message);
        free(data);
        return inf;
    }
    fprintf(stderr, "  fixture %s not found\n", name);
    return NULL;
}

static exhv_inf *text(const char *s)
{
    exhv_inf *inf = NULL;
    exhv_error err;
    if (exhv_inf_parse(s, strlen(s), "0409", &inf, &err) < 0)
        return NULL;
    return inf;
}

static const exhv_inf_ctv *ctv(const exhv_inf_install *in, const char *name)
{
    for (size_t i = 0; i < in->nctv; i++)
        if (strcmp(in->ctv[i].name, name) == 0)
            return &in->ctv[i];
    return NULL;
}

static void test_inf_nvidia_version_and_subsys_model(void)
{
    exhv_inf *inf = load("nv_dispx.inf", "0409");
    exhv_inf_install in;
    exhv_error err;
    CHECK(inf != NULL);
    if (!inf)
        return;
    CHECK_STR(exhv_inf_version(inf, "Class"), "Display");
    CHECK_STR(exhv_inf_version(inf, "Provider"), "NVIDIA-like Test Vendor");
    CHECK_STR(exhv_inf_version(inf, "CatalogFile"), "NV_DISPX.CAT");
    CHECK_STR(exhv_inf_driver_date(inf), "10/15/2025");
    CHECK_STR(exhv_inf_driver_version(inf), "32.0.15.6094");

    /* The OEM card's most specific ID: the SUBSYS model wins. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2684&SUBSYS_16F110DE&REV_A1", NULL,
                                    &in, &err) == 0);
    CHECK_STR(in.hwid, "PCI\\VEN_10DE&DEV_2684&SUBSYS_16F110DE");
    CHECK_STR(in.section, "Section048");
    CHECK_STR(in.description, "Example GPU 4090 \"Founders\" (OEM)");
    CHECK(ctv(&in, "SubsysOnly") != NULL);
    exhv_inf_install_release(&in);

    /* Another board of the same chip: the generic model. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2684&SUBSYS_88881043&REV_A1", NULL,
                                    &in, &err) == 0);
    CHECK_STR(in.hwid, "PCI\\VEN_10DE&DEV_2684");
    CHECK_STR(in.section, "Section047");
    CHECK(ctv(&in, "SubsysOnly") == NULL);
    exhv_inf_install_release(&in);

    exhv_inf_free(inf);
    /* [Strings.0804] before [Strings]; UTF-8 without a byte order mark. */
    inf = load("nv_dispx.inf", "0804");
    CHECK(inf && exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2684&SUBSYS_16F110DE", NULL,
                                           &in, &err) == 0);
    CHECK_STR(in.description, "\xe7\xa4\xba\xe4\xbe\x8b GPU 4090 (OEM)");
    exhv_inf_install_release(&in);
    if (!inf)
        return;
    /* A device no model names. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_9999", NULL, &in, &err) == -2);
    CHECK(err.code == EXHV_E_NOT_FOUND);
    exhv_inf_free(inf);
}

static void test_inf_nvidia_directives_accumulate(void)
{
    exhv_inf *inf = load("nv_dispx.inf", NULL);
    exhv_inf_install in;
    exhv_error err;
    const exhv_inf_ctv *c;
    if (!inf) {
        CHECK(inf != NULL);
        return;
    }
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2204", NULL, &in, &err) == 0);
    /* 22 CopyFiles lines, six AddReg lines with seven sections. */
    CHECK_INT(in.ncopy_files, 22);
    CHECK_STR(in.ncopy_files == 22 ? in.copy_files[21] : NULL, "nv_files_22");
    CHECK_INT(in.nadd_reg, 7);
    CHECK_INT(in.ncopy_inf, 1);
    CHECK_STR(in.ncopy_inf ? in.copy_inf[0] : NULL, "nvhdax.inf");

    /* REG_MULTI_SZ then REG_SZ_APPEND: [src, dst]. */
    c = ctv(&in, "CudaDriverFiles");
    CHECK(c && c->when_newer && !c->wow64);
    CHECK_STR(c ? c->src : NULL, "nvcuda_loader64.dll");
    CHECK_STR(c ? c->dst : NULL, "nvcuda.dll");
    c = ctv(&in, "CudaDriverFilesWow64");
    CHECK(c && c->when_newer && c->wow64);
    CHECK_STR(c ? c->src : NULL, "nvcuda_loader32.dll");
    CHECK_STR(c ? c->dst : NULL, "nvcuda.dll");
    /* Appending a string already there adds nothing: the same name. */
    c = ctv(&in, "NvApi");
    CHECK_STR(c ? c->dst : NULL, "nvapi64.dll");
    /* A value continued on the next line. */
    c = ctv(&in, "NvmlFiles");
    CHECK(c && !c->when_newer);
    CHECK_STR(c ? c->src : NULL, "nvml_loader.dll");
    CHECK_STR(c ? c->dst : NULL, "nvml.dll");
    /* A source in a subfolder keeps it; the destination is a file name. */
    c = ctv(&in, "NvEncode");
    CHECK_STR(c ? c->src : NULL, "B123456\\nvEncodeAPI64.dll");
    CHECK_STR(c ? c->dst : NULL, "nvEncodeAPI64.dll");
    /* REG_SZ: the destination is the source's name. */
    c = ctv(&in, "Smi");
    CHECK_STR(c ? c->dst : NULL, "nvidia-smi.exe");
    /* The later line replaced the earlier value; a deleted value is gone. */
    c = ctv(&in, "Vulkan");
    CHECK_STR(c ? c->src : NULL, "vulkan-1-x64.dll");
    CHECK(ctv(&in, "Gone") == NULL);
    CHECK_INT(in.nctv, 7);
    for (size_t i = 0; i < in.nctv; i++)
        CHECK(exhv_inf_ctv_check(&in.ctv[i], &err) == 0);
    exhv_inf_install_release(&in);
    exhv_inf_free(inf);
}

static void test_inf_decorated_models_follow_the_target(void)
{
    exhv_inf *inf = load("nv_dispx.inf", NULL);
    exhv_inf_install in;
    exhv_error err;
    exhv_inf_target old = {"amd64", 10, 0, 16299}, x86 = {"x86", 10, 0, 0};
    if (!inf) {
        CHECK(inf != NULL);
        return;
    }
    /* Below build 17098 the older models section applies. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2684", &old, &in, &err) == 0);
    CHECK_STR(in.section, "Section001");
    exhv_inf_install_release(&in);
    /* ... and the 3090 is not in it. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2204", &old, &in, &err) == -2);
    /* An empty decorated section excludes that platform. */
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_10DE&DEV_2684", &x86, &in, &err) == -2);
    exhv_inf_free(inf);
}

static void test_inf_amd_copyinf_companions(void)
{
    exhv_inf *inf = load("u0412345.inf", NULL), *ocl = load("amdocl.inf", NULL),
             *old = load("amdocl-old.inf", NULL);
    exhv_inf_install in;
    exhv_error err;
    const exhv_inf_ctv *c;
    CHECK(inf && ocl && old);
    if (!inf || !ocl || !old)
        goto out;
    /* UTF-8 with a byte order mark. */
    CHECK_STR(exhv_inf_version(inf, "Class"), "Display");
    CHECK_STR(exhv_inf_driver_version(inf), "32.0.21013.1000");
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_1002&DEV_744C&SUBSYS_0E3B1002&REV_C8", NULL,
                                    &in, &err) == 0);
    CHECK_STR(in.hwid, "PCI\\VEN_1002&DEV_744C&SUBSYS_0E3B1002&REV_C8");
    CHECK_STR(in.description, "Example Radeon 7900 (OEM)");
    CHECK_STR(in.section, "ati2mtag_Navi31");
    CHECK_INT(in.ncopy_inf, 2);
    CHECK_STR(in.ncopy_inf > 1 ? in.copy_inf[1] : NULL, "amdwin-ab.inf");
    CHECK_INT(in.ncopy_files, 3);
    CHECK_STR(in.ncopy_files > 2 ? in.copy_files[2] : NULL, "@amdkmdag.sys");
    CHECK_INT(in.nctv, 6);
    c = ctv(&in, "amd_opencl32");
    CHECK(c && c->wow64 && !c->when_newer);
    CHECK_STR(c ? c->dst : NULL, "OpenCL.dll");
    c = ctv(&in, "atio6axx");
    CHECK_STR(c ? c->src : NULL, "B412345\\atio6axx.dll");
    CHECK_STR(c ? c->dst : NULL, "atio6axx.dll");
    exhv_inf_install_release(&in);
    /* A companion's DriverVer tells which of its packages goes with it. */
    CHECK_STR(exhv_inf_driver_version(ocl), exhv_inf_driver_version(inf));
    CHECK(strcmp(exhv_inf_driver_version(old), exhv_inf_driver_version(inf)) != 0);
out:
    exhv_inf_free(inf);
    exhv_inf_free(ocl);
    exhv_inf_free(old);
}

static void test_inf_intel_utf16_and_locale(void)
{
    exhv_inf *inf = load("iigd_dchx.inf", "0409"), *neutral = load("iigd_dchx.inf", NULL);
    exhv_inf_install in;
    exhv_error err;
    long s;
    const exhv_inf_ctv *c;
    CHECK(inf && neutral);
    if (!inf || !neutral)
        goto out;
    CHECK_STR(exhv_inf_version(inf, "Provider"), "Intel-like Test Corporation");
    CHECK_STR(exhv_inf_driver_version(inf), "32.0.101.6979");
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_8086&DEV_4680&SUBSYS_00000000&REV_0C", NULL,
                                    &in, &err) == 0);
    /* The 22000 models section; the .NTamd64 install section, not the
     * undecorated one. */
    CHECK_STR(in.section, "iADLSD_w11_DS.NTamd64");
    CHECK_STR(in.description, "Example UHD Graphics 770 (en-US)");
    CHECK_INT(in.ncopy_files, 2);   /* a list continued on the next line */
    CHECK(ctv(&in, "Wrong") == NULL);
    c = ctv(&in, "ControlLib");
    CHECK_STR(c ? c->dst : NULL, "ControlLib.dll");
    c = ctv(&in, "PercentName");
    CHECK_STR(c ? c->src : NULL, "libvpl%x.dll");
    exhv_inf_install_release(&in);
    CHECK(exhv_inf_install_for_hwid(neutral, "PCI\\VEN_8086&DEV_4680", NULL, &in, &err) == 0);
    CHECK_STR(in.description, "Example UHD Graphics 770");
    exhv_inf_install_release(&in);
    /* The runtime class values, DIRID 13 left for the resolver. */
    s = exhv_inf_section_find(inf, "runtime.addreg");
    CHECK(s >= 0);
    CHECK_STR(exhv_inf_line_field(inf, s, 0, 2), "OpenCLDriverName");
    CHECK_STR(exhv_inf_line_field(inf, s, 0, 4), "%13%\\igdrclx64.dll");
    /* By the host's InfSection. */
    CHECK(exhv_inf_install_section(inf, "iADLSD_w11_DS", &in, &err) == 0);
    CHECK_STR(in.section, "iADLSD_w11_DS.NTamd64");
    exhv_inf_install_release(&in);
    CHECK(exhv_inf_install_section(inf, "NoSuchSection", &in, &err) == -2);
out:
    exhv_inf_free(inf);
    exhv_inf_free(neutral);
}

static void test_inf_syntax(void)
{
    exhv_inf *inf = text("junk before any section\n"
                         "[ A ]  ; comment\n"
                         "k = \"a;b\", \" c \" , d\"e\"f ; tail\n"
                         "plain line\n"
                         "q = \"say \"\"hi\"\"\"\n"
                         "p = 100%%, %missing%, %13%\\x\n"
                         "cont = one, \\\n"
                         "   two\n"
                         "path = C:\\dir\\file\n"
                         "[a]\n"
                         "merged = 1\n"
                         "[Strings]\n"
                         "s = \"x, y\"\n");
    long a;
    CHECK(inf != NULL);
    if (!inf)
        return;
    a = exhv_inf_section_find(inf, "a");
    CHECK(a >= 0);
    CHECK_INT(exhv_inf_section_lines(inf, a), 7);
    CHECK_STR(exhv_inf_line_key(inf, a, 0), "k");
    CHECK_INT(exhv_inf_line_nfields(inf, a, 0), 3);
    CHECK_STR(exhv_inf_line_field(inf, a, 0, 0), "a;b");
    CHECK_STR(exhv_inf_line_field(inf, a, 0, 1), " c ");
    CHECK_STR(exhv_inf_line_field(inf, a, 0, 2), "def");
    CHECK(exhv_inf_line_key(inf, a, 1) == NULL);
    CHECK_STR(exhv_inf_line_field(inf, a, 1, 0), "plain line");
    CHECK_STR(exhv_inf_line_field(inf, a, 2, 0), "say \"hi\"");
    CHECK_STR(exhv_inf_line_field(inf, a, 3, 0), "100%");
    CHECK_STR(exhv_inf_line_field(inf, a, 3, 1), "%missing%");
    CHECK_STR(exhv_inf_line_field(inf, a, 3, 2), "%13%\\x");
    CHECK_INT(exhv_inf_line_nfields(inf, a, 4), 2);
    CHECK_STR(exhv_inf_line_field(inf, a, 4, 1), "two");
    /* A backslash inside a value is not a continuation. */
    CHECK_STR(exhv_inf_line_field(inf, a, 5, 0), "C:\\dir\\file");
    CHECK_STR(exhv_inf_line_key(inf, a, 6), "merged");
    /* [Strings] values are not split at commas. */
    CHECK_STR(exhv_inf_line_field(inf, exhv_inf_section_find(inf, "strings"), 0, 0), "x, y");
    exhv_inf_free(inf);
}

static void test_inf_utf16_without_bom_and_latin1(void)
{
    static const char src[] = "[Version]\r\nProvider=%P%\r\n[Strings]\r\nP=\"Caf\xc3\xa9\"\r\n";
    char u16[2 * sizeof(src)], latin[] = "[Version]\nProvider=Caf\xe9\n";
    exhv_inf *inf = NULL;
    exhv_error err;
    size_t n = 0;
    /* é as UTF-16LE: write the ASCII bytes, then fix the one character. */
    for (size_t i = 0; src[i]; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == 0xc3) {
            u16[n++] = (char)0xe9;
            u16[n++] = 0;
            i++;
            continue;
        }
        u16[n++] = (char)c;
        u16[n++] = 0;
    }
    CHECK(exhv_inf_parse(u16, n, NULL, &inf, &err) == 0);
    CHECK_STR(inf ? exhv_inf_version(inf, "Provider") : NULL, "Caf\xc3\xa9");
    exhv_inf_free(inf);
    inf = NULL;
    CHECK(exhv_inf_parse(latin, strlen(latin), NULL, &inf, &err) == 0);
    CHECK_STR(inf ? exhv_inf_version(inf, "Provider") : NULL, "Caf\xc3\xa9");
    exhv_inf_free(inf);
}

static void test_inf_escaping_paths_refused(void)
{
    exhv_inf *inf = load("escape.inf", NULL);
    exhv_inf_install in;
    exhv_error err;
    static const char *const bad[] = {"..\\x.dll", "a\\..\\..\\x", "C:\\x.dll", "\\x.dll",
                                      "/etc/x", "a\\\\b", "x.dll:stream", ".. \\x", "...",
                                      "", "a\\.\\b"};
    static const char *const good[] = {"x.dll", "B123\\x.dll", "a/b/c.so", "lib..x.dll"};
    CHECK(inf != NULL);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK(!exhv_relpath_safe(bad[i]));
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        CHECK(exhv_relpath_safe(good[i]));
    if (!inf)
        return;
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_1234&DEV_0001", NULL, &in, &err) == 0);
    CHECK_INT(in.nctv, 1);
    CHECK(in.nctv == 1 && exhv_inf_ctv_check(&in.ctv[0], &err) < 0);
    CHECK(strstr(err.message, "not a path inside the driver package") != NULL);
    exhv_inf_install_release(&in);
    CHECK(exhv_inf_install_for_hwid(inf, "PCI\\VEN_1234&DEV_0002", NULL, &in, &err) == 0);
    CHECK(in.nctv == 1 && exhv_inf_ctv_check(&in.ctv[0], &err) < 0);
    CHECK(strstr(err.message, "not a file name in System32") != NULL);
    exhv_inf_install_release(&in);
    exhv_inf_free(inf);
}

/* Destinations Windows cannot create as a normal file ("Naming Files,
 * Paths, and Namespaces"): device names with any extension, a trailing
 * blank or dot, nothing. Refused; ordinary names that resemble them pass. */
static void test_inf_ctv_windows_names(void)
{
    static const char *const bad[] = {"CON", "nul.dll", "Com1.dll", "LPT9", "aux.x.y", "PRN",
                                      "x.dll ", "x.dll.", "", "con .dll"};
    static const char *const good[] = {"console.dll", "nulx.dll", "com10.dll", "lpt.dll",
                                       "x.dll", "auxiliary"};
    exhv_error err;
    exhv_inf_ctv c;
    memset(&c, 0, sizeof(c));
    c.name = "v";
    c.src = "x.dll";
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        c.dst = (char *)bad[i];
        CHECK(exhv_inf_ctv_check(&c, &err) < 0);
        CHECK(exhv_inf_ctv_check(&c, &err) < 0 && strstr(err.message, "not a file name") != NULL);
    }
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        c.dst = (char *)good[i];
        CHECK(exhv_inf_ctv_check(&c, &err) == 0);
    }
}

T_CASES(inf_tests) = {
    {"inf_ctv_windows_names", test_inf_ctv_windows_names},
    {"inf_nvidia_version_and_subsys_model", test_inf_nvidia_version_and_subsys_model},
    {"inf_nvidia_directives_accumulate", test_inf_nvidia_directives_accumulate},
    {"inf_decorated_models_follow_the_target", test_inf_decorated_models_follow_the_target},
    {"inf_amd_copyinf_companions", test_inf_amd_copyinf_companions},
    {"inf_intel_utf16_and_locale", test_inf_intel_utf16_and_locale},
    {"inf_syntax", test_inf_syntax},
    {"inf_utf16_without_bom_and_latin1", test_inf_utf16_without_bom_and_latin1},
    {"inf_escaping_paths_refused", test_inf_escaping_paths_refused},
    T_END,
};
