package ingest

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
)

// LoadSQL reads the series of an SQLite table (opt.Table: every column,
// in rowid order) or query result (opt.Query), in the layout opt says, as
// LoadAll reads a CSV. Errors name the table and the row: its rowid for a
// table that has one, else its position in the result. opt.Name should be
// the database file. The caller opens db (with the sqlite3 driver) and
// closes it.
func LoadSQL(ctx context.Context, db *sql.DB, opt Options) (*Dataset, error) {
	t, err := readSQL(ctx, db, opt)
	if err != nil {
		return nil, err
	}
	return build(t, opt)
}

// ReadSQL runs a query and returns its result as a DataFrame of strings,
// as ReadCSV does for a CSV: NULL becomes "", numbers are written with
// full precision and times in RFC 3339.
func ReadSQL(ctx context.Context, db *sql.DB, query string, args ...any) (dataframe.DataFrame, error) {
	t, err := querySQL(ctx, db, &table{sql: true}, query, args...)
	if err != nil {
		return dataframe.DataFrame{Err: err}, err
	}
	return t.frame(), nil
}

func readSQL(ctx context.Context, db *sql.DB, opt Options) (*table, error) {
	t := &table{file: opt.Name, sql: true, table: opt.Table}
	switch {
	case (opt.Table == "") == (opt.Query == ""):
		return nil, fmt.Errorf("%s: give a table or a query, not both or neither", displayName(opt.Name))
	case opt.Query != "":
		return querySQL(ctx, db, t, opt.Query)
	}
	var exists int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", opt.Table).Scan(&exists); err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(opt.Name), err)
	}
	if exists == 0 {
		var names []string
		rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", displayName(opt.Name), err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
			names = append(names, strconv.Quote(n))
		}
		return nil, &ParseError{File: opt.Name, Table: opt.Table,
			Err: mark(ErrMissingColumn, "no such table; the tables are %s", strings.Join(names, ", "))}
	}
	quoted := `"` + strings.ReplaceAll(opt.Table, `"`, `""`) + `"`
	t.rowids = []int64{}
	tt, err := querySQL(ctx, db, t, "SELECT rowid AS \"rowid \", * FROM "+quoted+" ORDER BY rowid")
	if err == nil {
		return tt, nil
	}
	// Views and WITHOUT ROWID tables: rows by position.
	t = &table{file: opt.Name, sql: true, table: opt.Table}
	return querySQL(ctx, db, t, "SELECT * FROM "+quoted)
}

// querySQL reads the result of query into t. If t.rowids is not nil, the
// first result column is the rowid.
func querySQL(ctx context.Context, db *sql.DB, t *table, query string, args ...any) (*table, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: err}
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	skip := 0
	if t.rowids != nil {
		skip = 1
	}
	t.names = headerNames(names[skip:], false)
	t.cols = make([][]string, len(t.names))
	cells := make([]any, len(names))
	ptrs := make([]any, len(names))
	for j := range cells {
		ptrs[j] = &cells[j]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		if skip == 1 {
			id, _ := cells[0].(int64)
			t.rowids = append(t.rowids, id)
		}
		for j := range t.cols {
			t.cols[j] = append(t.cols[j], sqlString(cells[j+skip]))
		}
		t.nrow++
	}
	if err := rows.Err(); err != nil {
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: err}
	}
	if t.nrow == 0 {
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: mark(ErrEmpty, "no rows: want at least 2")}
	}
	return t, nil
}

// sqlString writes a cell as text: NULL as "" (a missing value), numbers
// with full precision, times in RFC 3339.
func sqlString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case []byte:
		return string(x)
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}
