#ifndef OVERPARAM_CZLIB_SHIM_H
#define OVERPARAM_CZLIB_SHIM_H
// zlib's gz* reader, for the gzipped IDX files Debian ships.
#include <zlib.h>
#endif
