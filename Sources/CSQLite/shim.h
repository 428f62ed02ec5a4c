#ifndef GOVSWEEP_CSQLITE_SHIM_H
#define GOVSWEEP_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
static inline sqlite3_destructor_type gs_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
