/* Scenario generator: a simulated host with N devices and M VMs. */
#ifndef EXHV_BENCH_GEN_H
#define EXHV_BENCH_GEN_H

/* A scenario (JSON text, caller frees) with `ndevices` PCI functions and
 * `nvms` VMs; every fourth VM holds a device by DDA and every third has a
 * GPU partition. NULL on allocation failure. */
char *exhv_gen_scenario(int ndevices, int nvms);

#endif
