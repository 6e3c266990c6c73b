#include <sqlite3.h>

/// `sqlite3_db_config` is variadic, which Swift cannot call: whether closing the connection
/// checkpoints the WAL (the last connection to close does by default).
static inline int ballast_sqlite3_checkpoint_on_close(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on ? 0 : 1, (int *)0);
}
