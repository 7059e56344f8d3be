/* Real-host fidelity: phantom devnodes, the real Msvm_PciExpress DeviceID
 * form, typed and templated embedded instances, shutdown and jobs. */
#include <stdlib.h>

#include "hyperv/actions.h"
#include "hyperv/executor.h"
#include "hyperv/planner.h"
#include "hyperv/sim/sim.h"
#include "t.h"

typedef struct fixture {
    exhv_conn c;
    exhv_host *h;
} fixture;

static int open_text(fixture *f, const char *text, size_t len)
{
    exhv_error err;
    memset(f, 0, sizeof(*f));
    f->c.uri = "test:///unit";
    f->c.simulated = 1;
    if (exhv_sim_open_text(text, len, "unit", &f->c.ops, &f->c.ctx, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static int open_default(fixture *f)
{
    return open_text(f, exhv_sim_default_json, exhv_sim_default_json_len);
}

static int retake(fixture *f)
{
    exhv_error err;
    exhv_host_free(f->h);
    f->h = NULL;
    return exhv_snapshot_take(&f->c, &f->h, &err);
}

static void close_fixture(fixture *f)
{
    exhv_host_free(f->h);
    if (f->c.ops)
        f->c.ops->close(f->c.ctx);
}

/* Rows of the function whose identity (instance ID after the enumerator)
 * is `pure`. */
static size_t rows_of(const exhv_host *h, const char *pure, const exhv_device **last)
{
    size_t n = 0;
    for (size_t i = 0; i < h->ndevices; i++)
        if (exhv_strcaseeq(exhv_pnp_pure_id(h->devices[i].pnp.instance_id), pure)) {
            n++;
            *last = &h->devices[i];
        }
    return n;
}

/* The PnP node `id` as the port lists it: 1 present, 0 a phantom, -1 absent. */
static int node_state(fixture *f, const char *id)
{
    exhv_pnp_dev *l = NULL;
    size_t n = 0;
    exhv_error err;
    int st = -1;
    if (f->c.ops->pnp_list(f->c.ctx, &l, &n, &err) < 0)
        return -2;
    for (size_t i = 0; i < n; i++) {
        if (exhv_strcaseeq(l[i].instance_id, id))
            st = l[i].present;
        exhv_pnp_dev_release(&l[i]);
    }
    free(l);
    return st;
}

static int run_assign(fixture *f, const char *dev, const char *to, exhv_report *r)
{
    exhv_error err;
    exhv_plan p;
    exhv_assign_opts o = {0};
    const exhv_device *d = exhv_device_select(f->h, dev, &err);
    const exhv_vm *vm = NULL;
    int rc;
    if (!d || (strcmp(to, "host") != 0 && !(vm = exhv_vm_select(f->h, to, &err)))) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    if (exhv_plan_assign(f->h, d, vm, &o, &p, &err) < 0) {
        fprintf(stderr, "  %s\n", err.message);
        return -1;
    }
    rc = exhv_plan_execute(&f->c, &p, NULL, NULL, r);
    exhv_plan_release(&p);
    return rc;
}

#define I225 "\\VEN_8086&DEV_15F3&SUBSYS_87D21043&REV_03\\5&2E6B1C3&0&0300"

/* Item 4: a dismount leaves the PCI\ node behind not present, a mount back
 * the PCIP\ node; each function is one row all along. */
static void t_phantoms_dismount_mount(void)
{
    fixture f;
    exhv_report r;
    const exhv_device *d = NULL;
    CHECK(open_default(&f) == 0);
    CHECK(f.h->phantoms > 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(run_assign(&f, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0300)#PCI(0000)", "win11-gaming", &r) == 0);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI" I225), 0);    /* the phantom the dismount left */
    CHECK_INT(node_state(&f, "PCIP" I225), 0);   /* held by the VM */
    CHECK(retake(&f) == 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(d && d->state == EXHV_DDA_ASSIGNED);
    CHECK(d && strcmp(d->pnp.cls, "Net") == 0);  /* known from the phantom */
    CHECK(run_assign(&f, "PCIROOT(0)#PCI(0102)#PCI(0000)#PCI(0300)#PCI(0000)", "host", &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI" I225), 1);
    CHECK_INT(node_state(&f, "PCIP" I225), 0);   /* the phantom the mount left */
    CHECK(retake(&f) == 0);
    CHECK_INT(rows_of(f.h, I225, &d), 1);
    CHECK(d && d->state == EXHV_DDA_HOST && d->pnp.present && d->pnp.problem == 0);
    close_fixture(&f);
}

/* Item 4: rows come from present nodes; phantoms of a dismounted and of an
 * assigned function do not make a second row. */
static void t_phantoms_one_row(void)
{
    fixture f;
    const exhv_device *d = NULL;
    CHECK(open_default(&f) == 0);
    CHECK_INT(rows_of(f.h, "\\VEN_8086&DEV_125C&SUBSYS_00008086&REV_04\\5&2E6B1C3&0&0200", &d), 1);
    CHECK(d && d->state == EXHV_DDA_ASSIGNED);
    CHECK_INT(rows_of(f.h, "\\VEN_1B21&DEV_2142&SUBSYS_87561043&REV_00\\5&2E6B1C3&0&0400", &d), 1);
    CHECK(d && d->state == EXHV_DDA_DISMOUNTED && d->pnp.present);
    for (size_t i = 0; i < f.h->ndevices; i++)
        CHECK(f.h->devices[i].state != EXHV_DDA_HOST || f.h->devices[i].pnp.present);
    close_fixture(&f);
}

/* Item 4: a card swapped into the slot of another: the old card's phantom
 * is neither a row nor the device that is disabled and dismounted. */
static void t_phantoms_swapped_card(void)
{
    fixture f;
    exhv_report r;
    const exhv_device *d = NULL;
    const char *loc = "PCIROOT(0)#PCI(0201)#PCI(0000)";
    size_t at_loc = 0;
    CHECK(open_default(&f) == 0);
    for (size_t i = 0; i < f.h->ndevices; i++)
        at_loc += strcmp(f.h->devices[i].pnp.location_path, loc) == 0;
    CHECK_INT(at_loc, 1);
    CHECK(run_assign(&f, loc, "win11-gaming", &r) == 0);
    CHECK_INT(r.outcome, EXHV_OUTCOME_DONE);
    exhv_report_release(&r);
    CHECK_INT(node_state(&f, "PCI\\VEN_144D&DEV_A808&SUBSYS_A801144D&REV_00\\4&1C3F2A9B&0&0009"), 0);
    CHECK(retake(&f) == 0);
    d = NULL;
    for (size_t i = 0; i < f.h->ndevices; i++)
        if (strcmp(f.h->devices[i].pnp.location_path, loc) == 0)
            d = &f.h->devices[i];
    CHECK(d && d->state == EXHV_DDA_ASSIGNED && strstr(d->pnp.name, "990 PRO") != NULL);
    close_fixture(&f);
}

/* Item 5: a Missing device is known by the PCIP\ path in the reference's
 * DeviceID ("Microsoft:<id>\<PCIP path>"), shown with what the phantoms
 * still tell, and selected by that path. */
static void t_missing_device_id(void)
{
    fixture f;
    exhv_error err;
    const exhv_device *d;
    const char *pcip = "PCIP\\VEN_10DE&DEV_1B80&SUBSYS_37021462&REV_A1\\4&0BADC0DE&0&0011";
    CHECK_STR(exhv_pciexpress_instance("Microsoft:5A7B\\PCIP\\VEN_1&DEV_2\\3"), "PCIP\\VEN_1&DEV_2\\3");
    CHECK(exhv_pciexpress_instance("Microsoft:PCIROOT(0)#PCI(0104)") == NULL);
    CHECK(open_default(&f) == 0);
    d = exhv_device_select(f.h, pcip, &err);
    CHECK(d && d->state == EXHV_DDA_MISSING);
    if (d) {
        CHECK_STR(d->pnp.location_path, "PCIROOT(0)#PCI(0104)#PCI(0000)");
        CHECK_STR(d->pnp.name, "NVIDIA GeForce GTX 1080");
        CHECK(!d->pnp.present);
    }
    close_fixture(&f);
}

/* Item 5: the location path is the PCIROOT( entry of the list, not the
 * first one (an ACPI( entry can come first). */
static void t_location_pciroot(void)
{
    static const char text[] =
        "{\"schema\": 1, \"host\": {\"build\": 26100}, \"pnp\": [{\"instance_id\": "
        "\"PCI\\\\VEN_10DE&DEV_2786\\\\4&1\", \"location_paths\": [\"ACPI(_SB_)#ACPI(PC00)#ACPI(PEG0)\", "
        "\"PCIROOT(0)#PCI(0101)#PCI(0000)\"], \"name\": \"GPU\", \"class\": \"Display\"}]}";
    fixture f;
    CHECK(open_text(&f, text, sizeof(text) - 1) == 0);
    CHECK(f.h && f.h->ndevices == 1);
    if (f.h && f.h->ndevices == 1)
        CHECK_STR(f.h->devices[0].pnp.location_path, "PCIROOT(0)#PCI(0101)#PCI(0000)");
    close_fixture(&f);
}

/* Item 4: a card swapped into the slot of one a VM still refers to: the
 * location names two devices, so it selects neither; instance IDs do. */
static void t_slot_shared(void)
{
    exhv_host h = {0};
    exhv_device d[2];
    exhv_error err;
    const char *loc = "PCIROOT(0)#PCI(0104)#PCI(0000)";
    memset(d, 0, sizeof(d));
    d[0].pnp.instance_id = "PCI\\VEN_10DE&DEV_2786\\4&NEW";
    d[0].pnp.location_path = (char *)loc;
    d[0].pnp.name = "new card";
    d[0].pnp.present = 1;
    d[1].pnp.instance_id = "PCIP\\VEN_10DE&DEV_1B80\\4&OLD";
    d[1].pnp.location_path = (char *)loc;
    d[1].pnp.name = "old card";
    d[1].state = EXHV_DDA_MISSING;
    h.devices = d;
    h.ndevices = 2;
    CHECK(exhv_device_select(&h, loc, &err) == NULL);
    CHECK(strstr(err.message, "name one by its instance ID") != NULL);
    CHECK(exhv_device_select(&h, "PCIP\\VEN_10DE&DEV_1B80\\4&OLD", &err) == &d[1]);
    CHECK(exhv_device_select(&h, "pci\\ven_10de&dev_2786\\4&new", &err) == &d[0]);
}

T_CASES(fidelity_tests) = {
    {"fidelity/slot_shared", t_slot_shared},
    {"fidelity/location_pciroot", t_location_pciroot},
    {"fidelity/phantoms_dismount_mount", t_phantoms_dismount_mount},
    {"fidelity/phantoms_one_row", t_phantoms_one_row},
    {"fidelity/phantoms_swapped_card", t_phantoms_swapped_card},
    {"fidelity/missing_device_id", t_missing_device_id},
    T_END,
};
