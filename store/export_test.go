package store

import "database/sql"

// SQL returns the connection pool, for tests of per-connection settings.
func (db *DB) SQL() *sql.DB { return db.db }
