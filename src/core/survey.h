/* DDA assignability survey: what Microsoft's SurveyDDA.ps1 checks, per
 * device, as data with the reasons in plain words. */
#ifndef EXHV_SURVEY_H
#define EXHV_SURVEY_H

#include <stdint.h>

#include "model.h"

typedef enum exhv_assignability {
    EXHV_ASSIGNABLE,
    EXHV_ASSIGNABLE_WARN,    /* assignable, with warnings */
    EXHV_NOT_ASSIGNABLE,
} exhv_assignability;

#define EXHV_SURVEY_MAX_REASONS 8

typedef struct exhv_survey {
    exhv_assignability verdict;
    const char *reasons[EXHV_SURVEY_MAX_REASONS];  /* static text */
    int nreasons;
    uint64_t mmio_low_bytes;    /* ranges below 4 GiB: the VM's low MMIO gap */
    uint64_t mmio_high_bytes;   /* ranges above: the high MMIO gap */
} exhv_survey;

/* Survey one device. */
void exhv_survey_device(const exhv_device *d, exhv_survey *out);
const char *exhv_assignability_name(exhv_assignability a);  /* "assignable" ... */

/* MB needed for a number of bytes (rounded up). */
uint64_t exhv_bytes_to_mb(uint64_t bytes);

#endif
