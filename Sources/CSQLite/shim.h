#ifndef GOVSWEEP_CSQLITE_SHIM_H
#define GOVSWEEP_CSQLITE_SHIM_H
#include <sqlite3.h>
/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
static inline sqlite3_destructor_type gs_sqlite_transient(void) { return SQLITE_TRANSIENT; }
/* sqlite3_config is C-variadic, unavailable in Swift. Memory statistics take a global
   mutex on every allocation; the store does not read them. Must run before
   sqlite3_initialize (SQLITE_MISUSE afterwards, which is harmless). */
static inline int gs_sqlite_disable_memstatus(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
#endif
