#ifndef OVERPARAM_COPENBLAS_SHIM_H
#define OVERPARAM_COPENBLAS_SHIM_H
// One module for CBLAS, LAPACKE and OpenBLAS's own thread/config calls, so the
// numerics module imports a single C dependency.
#include <cblas.h>
#include <lapacke.h>
#endif
