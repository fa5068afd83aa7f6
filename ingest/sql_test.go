package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the sqlite3 driver, for the tests only

	"github.com/forecast-dev/forecast/ingest"
)

// mustOpenDB opens a fresh SQLite database in a temporary directory and
// runs the statements.
func mustOpenDB(tb testing.TB, stmts ...string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(tb.TempDir(), "data.sqlite"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// TestSQLMatchesCSV reads the airline series from its CSV and from an
// SQLite table holding the same rows (times as TEXT in one table, as
// DATETIME in another, values as REAL), and checks that both give the same
// series and so the same windows.
func TestSQLMatchesCSV(t *testing.T) {
	const path = "../testdata/ingest/airline/series.csv"
	want, err := ingest.Load(openData(t, path), ingest.Options{Name: path, Target: "Passengers"})
	if err != nil {
		t.Fatal(err)
	}
	db := mustOpenDB(t,
		`CREATE TABLE air (month TEXT, passengers REAL)`,
		`CREATE TABLE air_dt (month DATETIME, passengers REAL, note TEXT)`)
	for i, v := range want.Values() {
		// Rows inserted backwards: the loader sorts them.
		j := len(want.Values()) - 1 - i
		if _, err := db.Exec(`INSERT INTO air VALUES (?, ?)`, want.Time(j).Format("2006-01"), want.Values()[j]); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO air_dt VALUES (?, ?, NULL)`, want.Time(i), v); err != nil {
			t.Fatal(err)
		}
	}
	for _, opt := range []ingest.Options{
		{Table: "air", Target: "passengers"},
		{Table: "air_dt", Target: "passengers"},
		{Query: "SELECT month AS ds, passengers AS y FROM air_dt WHERE passengers > 0", Target: "y"},
	} {
		opt.Name = "data.sqlite"
		d, err := ingest.LoadSQL(context.Background(), db, opt)
		if err != nil {
			t.Fatalf("LoadSQL(%+v): %v", opt, err)
		}
		got := d.Series[0]
		if !slices.Equal(got.Values(), want.Values()) || got.Freq != want.Freq || !slices.EqualFunc(got.Times(), want.Times(), func(a, b time.Time) bool { return a.Equal(b) }) {
			t.Fatalf("LoadSQL(%+v) = %v … (%v), want %v … (%v)", opt, got.Values()[:3], got.Freq, want.Values()[:3], want.Freq)
		}
		const L, H = 12, 6
		for _, s := range ingest.Windows(len(want.Values()), L, H, 0, len(want.Values())) {
			if !slices.Equal(got.Values()[s:s+L+H], want.Values()[s:s+L+H]) {
				t.Fatalf("window %d differs", s)
			}
		}
	}
}

func TestLoadSQLErrors(t *testing.T) {
	db := mustOpenDB(t,
		`CREATE TABLE obs (ds TEXT, y REAL)`,
		`INSERT INTO obs VALUES ('2020-01-01', 1), ('2020-01-02', 'x'), ('2020-01-03', 3)`,
		`CREATE TABLE dup (ds TEXT, y REAL)`,
		`INSERT INTO dup VALUES ('2020-01-01', 1), ('2020-01-02', 2), ('2020-01-02', 3)`,
		`CREATE TABLE nulls (ds TEXT, y REAL)`,
		`INSERT INTO nulls VALUES ('2020-01-01', 1), ('2020-01-02', NULL), ('2020-01-03', 3)`)
	tests := []struct {
		Opt   ingest.Options
		Error error
		Msg   string
	}{
		{ingest.Options{Table: "obs", Target: "y"}, ingest.ErrBadNumber, `data.sqlite: table "obs", row 2, column "y": parse "x" as a number: invalid syntax`},
		{ingest.Options{Table: "dup", Target: "y"}, ingest.ErrDuplicateTime, `data.sqlite: table "dup", row 3, column "ds": duplicate time "2020-01-02", first on row 2`},
		{ingest.Options{Table: "nulls", Target: "y", Fill: ingest.FillNone}, ingest.ErrMissingValue,
			`data.sqlite: table "nulls", row 2, column "y": missing value "": fill none fills nothing`},
		{ingest.Options{Table: "nope", Target: "y"}, ingest.ErrMissingColumn, `data.sqlite: table "nope": no such table; the tables are "dup", "nulls", "obs"`},
		{ingest.Options{Table: "obs", Target: "z"}, ingest.ErrMissingColumn, `data.sqlite: table "obs": no target column "z"; the columns are "ds", "y"`},
		{ingest.Options{Query: "SELECT ds, y FROM obs WHERE typeof(y) = 'real' AND y > 100", Target: "y"}, ingest.ErrEmpty, `data.sqlite: query result: no rows`},
		{ingest.Options{Query: "SELECT ds, y FROM obs", Target: "y"}, ingest.ErrBadNumber, `data.sqlite: query result, row 2, column "y": parse "x" as a number: invalid syntax`},
		{ingest.Options{Query: "SELEC 1", Target: "y"}, nil, `data.sqlite: query result: near "SELEC": syntax error`},
	}
	for _, tt := range tests {
		opt := tt.Opt
		opt.Name = "data.sqlite"
		_, err := ingest.LoadSQL(context.Background(), db, opt)
		if err == nil || err.Error() != tt.Msg {
			t.Errorf("LoadSQL(%+v) error:\ngot  %v\nwant %s", tt.Opt, err, tt.Msg)
			continue
		}
		if tt.Error != nil && !errors.Is(err, tt.Error) {
			t.Errorf("errors.Is(%v, %v) = false", err, tt.Error)
		}
		var pe *ingest.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%v is not a *ParseError", err)
		}
	}
}

func TestReadSQL(t *testing.T) {
	db := mustOpenDB(t, `CREATE TABLE t (a INTEGER, b REAL, c TEXT)`, `INSERT INTO t VALUES (1, 0.1, NULL), (2, 1e300, 'x')`)
	df, err := ingest.ReadSQL(context.Background(), db, "SELECT * FROM t WHERE a > ?", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"a", "b", "c"}, {"1", "0.1", ""}, {"2", "1e+300", "x"}}
	if got := df.Records(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Records() = %q, want %q", got, want)
	}
}
