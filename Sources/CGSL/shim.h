#ifndef SYNTHBENCH_CGSL_SHIM_H
#define SYNTHBENCH_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_version.h>

/// Turns GSL's abort-on-error handler off once; callers check returned status codes instead.
static inline void synthbench_gsl_quiet(void) { gsl_set_error_handler_off(); }
#endif
