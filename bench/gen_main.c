/* exhv-gen DEVICES VMS > host.json: a simulated host for benchmarks. */
#include <stdio.h>
#include <stdlib.h>

#include "gen.h"

int main(int argc, char **argv)
{
    char *text;
    if (argc != 3 || atoi(argv[1]) < 1 || atoi(argv[2]) < 0) {
        fprintf(stderr, "usage: exhv-gen DEVICES VMS > host.json\n");
        return 2;
    }
    text = exhv_gen_scenario(atoi(argv[1]), atoi(argv[2]));
    if (!text) {
        fprintf(stderr, "exhv-gen: out of memory\n");
        return 1;
    }
    fputs(text, stdout);
    free(text);
    return 0;
}
