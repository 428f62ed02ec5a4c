// The scans are static inline in include/CBytes.h; a C target needs one source file.
#include "CBytes.h"
