package store

import "database/sql"

// SQL returns the connection pool, for tests of per-connection settings.
func (db *DB) SQL() *sql.DB { return db.db }

// FormatError exposes formatError to the tests of driver error messages.
func (db *DB) FormatError(err error) error { return db.formatError(err) }
