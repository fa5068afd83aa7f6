package ingest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
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
	opt.leaveOut = true
	return build(t, opt)
}

// ReadSQL runs a query and returns its result as a DataFrame of strings,
// as ReadCSV does for a CSV: NULL becomes "", numbers are written with
// full precision and times in RFC 3339.
func ReadSQL(ctx context.Context, db *sql.DB, query string, args ...any) (dataframe.DataFrame, error) {
	t, err := querySQL(ctx, db, &table{sql: true}, query, false, args...)
	if err != nil {
		return dataframe.DataFrame{Err: err}, err
	}
	return t.frame(), nil
}

func readSQL(ctx context.Context, db *sql.DB, opt Options) (*table, error) {
	c, err := openSource(ctx, db, opt, nil)
	if err != nil {
		return nil, err
	}
	defer c.close()
	return c.readAll()
}

// openSource runs the query that reads opt.Table (every column, in rowid
// order) or opt.Query. With orderBy the rows are ordered by those columns
// (0-based) first, and then by rowid.
func openSource(ctx context.Context, db *sql.DB, opt Options, orderBy idKey) (*sqlCursor, error) {
	t := &table{file: opt.Name, sql: true, table: opt.Table}
	switch {
	case (opt.Table == "") == (opt.Query == ""):
		return nil, &ParseError{File: opt.Name, Err: mark(ErrBadOption, "give a table or a query, not both or neither")}
	case opt.Query != "":
		if orderBy == nil {
			return openSQL(ctx, db, t, opt.Query, false)
		}
		return openSQL(ctx, db, t, fmt.Sprintf("SELECT * FROM (%s) ORDER BY %s", trimQuery(opt.Query), orderBy.positions(1)), false)
	}
	if err := checkTable(ctx, db, opt); err != nil {
		return nil, err
	}
	quoted := quoteIdent(opt.Table)
	order := "1" // the rowid
	if orderBy != nil {
		order = orderBy.positions(2) + ", 1"
	}
	c, err := openSQL(ctx, db, t, "SELECT rowid AS \"rowid \", * FROM "+quoted+" ORDER BY "+order, true)
	if err == nil || !errors.Is(err, ErrRead) {
		return c, err
	}
	// Views and WITHOUT ROWID tables: rows by position.
	q := "SELECT * FROM " + quoted
	if orderBy != nil {
		q += " ORDER BY " + orderBy.positions(1)
	}
	return openSQL(ctx, db, t, q, false)
}

// openColumns runs the query that reads the columns names of opt.Table,
// in rowid order, as openSource reads all of them, or those of the result
// of opt.Query, which is run again, in the order it gives.
func openColumns(ctx context.Context, db *sql.DB, opt Options, names []string) (*sqlCursor, error) {
	t := &table{file: opt.Name, sql: true, table: opt.Table}
	list := make([]string, len(names))
	for k, n := range names {
		list[k] = quoteIdent(n)
	}
	cols := strings.Join(list, ", ")
	if opt.Query != "" {
		return openSQL(ctx, db, t, "SELECT "+cols+" FROM ("+trimQuery(opt.Query)+")", false)
	}
	quoted := quoteIdent(opt.Table)
	c, err := openSQL(ctx, db, t, "SELECT rowid AS \"rowid \", "+cols+" FROM "+quoted+" ORDER BY 1", true)
	if err == nil || !errors.Is(err, ErrRead) {
		return c, err
	}
	return openSQL(ctx, db, t, "SELECT "+cols+" FROM "+quoted, false) // views and WITHOUT ROWID tables
}

// positions lists the key's columns as ORDER BY gives them, by their
// positions in the result, where first is that of column 0.
func (k idKey) positions(first int) string {
	list := make([]string, len(k))
	for n, j := range k {
		list[n] = strconv.Itoa(j + first)
	}
	return strings.Join(list, ", ")
}

// trimQuery returns a query ready to be nested in another: without the
// semicolon that may end it.
func trimQuery(q string) string {
	return strings.TrimRight(strings.TrimSpace(q), ";")
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// checkTable reports a table (or view) that the database does not hold.
func checkTable(ctx context.Context, db *sql.DB, opt Options) error {
	var exists int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", opt.Table).Scan(&exists); err != nil {
		return readError(opt.Name, err)
	}
	if exists > 0 {
		return nil
	}
	var names []string
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return readError(opt.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return readError(opt.Name, err)
		}
		names = append(names, strconv.Quote(n))
	}
	return &ParseError{File: opt.Name, Table: opt.Table,
		Err: mark(ErrMissingColumn, "no such table; the tables are %s", strings.Join(names, ", "))}
}

// sqlCursor reads the rows of a query result one at a time, as text.
type sqlCursor struct {
	t      *table // where errors are located: file and table
	rows   *sql.Rows
	rowid  bool // the first result column is the rowid
	names  []string
	raw    []string // the result's column names as the database gives them, but the rowid
	cells  []any
	ptrs   []any
	rec    []string
	nrow   int64
	closed bool
}

// openSQL runs query. With rowid, the first result column is the rowid.
func openSQL(ctx context.Context, db *sql.DB, t *table, query string, rowid bool, args ...any) (*sqlCursor, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		switch msg := err.Error(); {
		case strings.Contains(msg, "too many attached databases"):
			err = fmt.Errorf("a query reads its own database alone, ATTACH none (%w)", err)
		case strings.Contains(msg, "readonly database"):
			err = fmt.Errorf("a query only reads, writes nothing (%w)", err)
		}
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: mark(ErrRead, "%w", err)}
	}
	names, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: mark(ErrRead, "%w", err)}
	}
	c := &sqlCursor{t: t, rows: rows, rowid: rowid}
	skip := 0
	if rowid {
		skip = 1
	}
	c.names, c.raw = headerNames(names[skip:], false), names[skip:]
	c.cells = make([]any, len(names))
	c.ptrs = make([]any, len(names))
	for j := range c.cells {
		c.ptrs[j] = &c.cells[j]
	}
	c.rec = make([]string, len(c.names))
	return c, nil
}

// next returns the next row's cells and its rowid (or 1-based position),
// or io.EOF. The cells are valid until the following call.
func (c *sqlCursor) next() ([]string, int, error) {
	if !c.rows.Next() {
		err := c.rows.Err()
		c.close()
		if err != nil {
			return nil, 0, &ParseError{File: c.t.file, Table: c.t.table, Query: c.t.table == "", Err: mark(ErrRead, "%w", err)}
		}
		return nil, 0, io.EOF
	}
	c.nrow++
	if err := c.rows.Scan(c.ptrs...); err != nil {
		c.close()
		return nil, 0, &ParseError{File: c.t.file, Table: c.t.table, Query: c.t.table == "", Row: c.nrow, Err: mark(ErrRead, "%w", err)}
	}
	at := c.nrow
	skip := 0
	if c.rowid {
		at, _ = c.cells[0].(int64)
		skip = 1
	}
	for j := range c.rec {
		c.rec[j] = sqlString(c.cells[j+skip])
	}
	return c.rec, int(at), nil
}

// close releases the result.
func (c *sqlCursor) close() {
	if !c.closed {
		c.closed = true
		c.rows.Close()
	}
}

// table returns an empty table of the result's columns, to which rows are
// added.
func (c *sqlCursor) table() *table {
	return &table{file: c.t.file, sql: true, table: c.t.table, names: c.names, cols: make([][]string, len(c.names)), rowids: []int64{}}
}

// readAll reads the remaining rows into a table.
func (c *sqlCursor) readAll() (*table, error) {
	t := c.table()
	for {
		rec, at, err := c.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		t.add(rec, at)
	}
	if t.nrow == 0 {
		return nil, &ParseError{File: t.file, Table: t.table, Query: t.table == "", Err: mark(ErrEmpty, "no rows")}
	}
	return t, nil
}

// querySQL reads the result of query into a table located as t. With
// rowid, the first result column is the rowid.
func querySQL(ctx context.Context, db *sql.DB, t *table, query string, rowid bool, args ...any) (*table, error) {
	c, err := openSQL(ctx, db, t, query, rowid, args...)
	if err != nil {
		return nil, err
	}
	defer c.close()
	return c.readAll()
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
