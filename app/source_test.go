package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // also registered by package store; explicit for the fixtures here

	"github.com/forecast-dev/forecast/app"
)

// runStdin is run with stdin as standard input and the outputs written to
// out and errOut.
func runStdin(t *testing.T, stdin string, out, errOut io.Writer, args ...string) int {
	t.Helper()
	a := &app.App{Stdin: strings.NewReader(stdin), Stdout: out, Stderr: errOut, Version: "test"}
	return a.Run(context.Background(), args)
}

// mustSQLite creates an SQLite database file with the statements run and
// returns its path.
func mustSQLite(t *testing.T, stmts ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data.sqlite")
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

// TestFitRejectsBadSources feeds fit one bad input of each kind and checks
// the one-line error (its location and cause), the exit code and that the
// database holds nothing.
func TestFitRejectsBadSources(t *testing.T) {
	const ok = "date,y\n2024-01-01,1\n2024-01-02,2\n"
	db := mustSQLite(t,
		`CREATE TABLE obs (ds TEXT, y REAL)`,
		`INSERT INTO obs VALUES ('2024-01-01', 1), ('2024-01-02', 'x'), ('2024-01-03', 3)`)
	tests := []struct {
		Name string
		CSV  string   // written to bad.csv, the data file, unless Args hold --sqlite
		Args []string // after fit bad.csv
		Code int
		Want string // the error line after "forecast: ", with FILE for the data file's path
	}{
		{"BadNumber", ok + "2024-01-03,abc\n", []string{"--target", "y"}, 3,
			`FILE:4:2 (column "y"): parse "abc" as a number: invalid syntax`},
		// Quoted in a comma-delimited file (in one delimited by semicolons
		// it is read).
		{"DecimalComma", "date,y\n2024-01-01,\"1,5\"\n2024-01-02,2\n", []string{"--target", "y"}, 3,
			`FILE:2:2 (column "y"): parse "1,5" as a number: invalid syntax (a decimal comma? use a point)`},
		{"MissingTarget", ok, []string{"--target", "sales"}, 3,
			`FILE:1: no target column "sales"; the columns are "date", "y"`},
		{"MissingCovariate", ok, []string{"--target", "y", "--covariates", "temp"}, 3,
			`FILE:1: no covariate column "temp"; the columns are "date", "y"`},
		{"Duplicates", ok + "2024-01-02,3\n2024-01-01,4\n", []string{"--target", "y"}, 3,
			`FILE:4:1 (column "date"): duplicate time "2024-01-02", first on line 3; 2 duplicates in all, also "2024-01-01" on line 5`},
		{"AmbiguousDate", "date,y\n01/02/2024,1\n01/03/2024,2\n", []string{"--target", "y"}, 3,
			`FILE:2:1 (column "date"): ambiguous date "01/02/2024": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/2006 or 01/02/2006`},
		{"BadTime", ok + "2024-01-3,3\n", []string{"--target", "y"}, 3,
			`FILE:4:1 (column "date"): parse "2024-01-3" as a time: want the layout 2006-01-02, as on line 2`},
		{"TimeFormatMismatch", ok, []string{"--target", "y", "--time-format", "%d/%m/%Y"}, 3,
			`FILE:2:1 (column "date"): parse "2024-01-01" as a time: want the format %d/%m/%Y`},
		{"TimeNotInFormat", ok + "2024-01-03 12:00,3\n", []string{"--target", "y", "--time-format", "2006-01-02"}, 3,
			`FILE:4:1 (column "date"): parse "2024-01-03 12:00" as a time: want the layout 2006-01-02`},
		{"OffGridFill", "date,y\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 02:00,2\n2024-01-01 02:30,3\n", []string{"--target", "y"}, 3,
			`FILE:5:1 (column "date"): time "2024-01-01 02:30" is not on the hourly grid of the series: 30m0s after the time before it; set the frequency (--freq), or --fill none to take the rows as they are`},
		{"MissingFillNone", ok + "2024-01-03,NA\n2024-01-04,4\n", []string{"--target", "y", "--fill", "none"}, 3,
			`FILE:4:2 (column "y"): missing value "NA": fill none fills nothing`},
		{"AllMissing", "date,y\n2024-01-01,NA\n2024-01-02,\n", []string{"--target", "y"}, 3,
			`FILE:1:2 (column "y"): series "y": every value is missing`},
		{"Ragged", ok + "2024-01-03,3,4\n", []string{"--target", "y"}, 3,
			`FILE:4: wrong number of fields: got 3, the header has 2`},
		{"BareQuote", ok + "2024-01-03,3\"\n", []string{"--target", "y"}, 3,
			`FILE:4: bare " in non-quoted-field at byte 13`},
		{"Empty", "", []string{"--target", "y"}, 3,
			`FILE: empty input: want a header and at least 2 rows`},
		{"HeaderOnly", "date,y\r\n", []string{"--target", "y"}, 3,
			`FILE: no rows after the header`},
		{"TimePartsBadDay", "year,month,day,y\n2023,2,28,1\n2023,2,29,2\n", []string{"--target", "y"}, 3,
			`FILE:3:3 (column "day"): day 29 is not in 2023-02`},
		{"CovariateText", "date,y,wind\n2024-01-01,1,NW\n2024-01-02,2,SE\n", []string{"--target", "y", "--covariates", "wind"}, 3,
			`FILE:2:3 (column "wind"): parse "NW" as a number: invalid syntax`},
		{"RowsBadNumber", "id,v1,v2,v3\nH1,1,2,3\nH2,4,?,6\n", []string{"--layout", "rows", "--series", "H1"}, 3,
			`FILE:3:3 (column "v2"): parse "?" as a number: invalid syntax`},
		{"LongDuplicate", "id,date,y\na,2024-01-01,1\nb,2024-01-01,1\na,2024-01-01,2\n", []string{"--id", "id", "--target", "y"}, 3,
			`FILE:4:2 (column "date"): duplicate time "2024-01-01", first on line 2`},
		{"SQLiteBadNumber", "", []string{"--sqlite", db, "--table", "obs", "--target", "y"}, 3,
			`DB: table "obs", row 2, column "y": parse "x" as a number: invalid syntax`},
		{"SQLiteNoTable", "", []string{"--sqlite", db, "--table", "nope", "--target", "y"}, 3,
			`DB: table "nope": no such table; the tables are "obs"`},
		{"SQLiteBadQuery", "", []string{"--sqlite", db, "--query", "SELECT nope FROM obs", "--target", "y"}, 3,
			`DB: query result: no such column: nope`},
		{"SQLiteQueryBadNumber", "", []string{"--sqlite", db, "--query", "SELECT ds, y FROM obs", "--target", "y"}, 3,
			`DB: query result, row 2, column "y": parse "x" as a number: invalid syntax`},
		{"TooMuchFill", "date,y\n2024-01-01,1\n2024-01-02,2\n2024-01-05,5\n2024-01-06,6\n", []string{"--target", "y"}, 3,
			`FILE:1:2 (column "y"): series "y": filling would invent 2 of its 6 values (33.3 %), more than the 10 % allowed: ` +
				`2 daily steps absent in 1 gap, at 2024-01-03 to 2024-01-04 (2 steps); check the time column and the frequency (--freq), or allow more with --max-fill`},
		{"QuarterOutOfRange", "year,quarter,y\n1959,1,1\n1959,2,2\n1959,13,3\n", []string{"--target", "y", "--time", "year,quarter"}, 3,
			`FILE:4:2 (column "quarter"): parse "13" as the quarter of a time: want an integer from 1 to 4`},
		{"MissingFile", "", []string{"--target", "y", "nowhere.csv"}, 3, `nowhere.csv: cannot read data: no such file or directory`},
		{"SQLiteMissingFile", "", []string{"--sqlite", "nowhere.sqlite", "--table", "t", "--target", "y"}, 3, `nowhere.sqlite: cannot read data: no such file or directory`},
		{"Directory", "", []string{"--target", "y", "."}, 3, `.: cannot read data: is a directory`},
		// Usage errors: exit code 2.
		{"BadMaxFill", ok, []string{"--target", "y", "--max-fill", "ten"}, 2, `--max-fill "ten": want a share such as 10% or 0.1`},
		{"ZeroMaxFill", ok, []string{"--target", "y", "--max-fill", "0%"}, 2, `--max-fill "0%": want more than 0 % (to fill nothing, use --fill none)`},
		{"NoTarget", "date,y,z\n2024-01-01,1,5\n2024-01-02,2,6\n", nil, 2, `Required flag "target" not set: FILE holds 2 columns of numbers ("y", "z"): name the one to forecast with --target`},
		{"BadFill", ok, []string{"--target", "y", "--fill", "mean"}, 2, `--fill: unknown fill method "mean": want none, ffill, linear or zero`},
		{"BadDelimiter", ok, []string{"--target", "y", "--delimiter", ";;"}, 2, `--delimiter ";;": want one character other than a quote or line end, or tab`},
		{"BadFreq", ok, []string{"--target", "y", "--freq", "fortnightly"}, 2, `--freq: unknown frequency "fortnightly": want e.g. hourly, daily, business-daily, weekly, monthly, quarterly, yearly, 15min, 2h, D, B, W, MS, ME, BME, QS, QE, YS, YE or a duration such as 90s`},
		{"StartWithoutFreq", ok, []string{"--target", "y", "--start", "2024-01-01"}, 2, `--start needs --freq, the step between values`},
		{"StartOnSaturday", ok, []string{"--target", "y", "--time", "none", "--freq", "B", "--start", "2024-01-06"}, 2, `--start 2024-01-06 is a Saturday: business days are Monday to Friday`},
		{"RowsFreqWithoutStart", "id,1,2,3\na,1,2,3\n", []string{"--layout", "rows", "--freq", "h"}, 2, `--freq with --layout rows needs --start, the time of the first value: the rows have no times`},
		{"BadLayout", ok, []string{"--target", "y", "--layout", "tall"}, 2, `--layout "tall": want wide, long or rows`},
		{"NoSuchSeries", "id,date,y\na,2024-01-01,1\na,2024-01-02,2\n", []string{"--id", "id", "--target", "y", "--series", "c"}, 2,
			`--series "c": FILE holds no such series; it holds "a"`},
		{"SQLiteWithoutTable", "", []string{"--sqlite", db, "--target", "y"}, 2, `--sqlite needs --table or --query (one of them)`},
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			data := writeFile(t, "bad.csv", tt.CSV)
			dbPath := filepath.Join(t.TempDir(), "f.db")
			args := []string{"fit", "--db", dbPath}
			ownSource := tt.Name == "MissingFile" || tt.Name == "Directory" // the source is in Args
			if !ownSource && !strings.Contains(strings.Join(tt.Args, " "), "--sqlite") {
				args = append(args, data)
			}
			code, out, errOut := run(t, append(args, tt.Args...)...)
			if code != tt.Code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.Code, errOut)
			}
			want := strings.NewReplacer("FILE", data, "DB", db).Replace("forecast: " + tt.Want)
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if last := lines[len(lines)-1]; last != want {
				t.Errorf("error:\ngot  %s\nwant %s", last, want)
			}
			for _, l := range lines[:len(lines)-1] {
				if !strings.HasPrefix(l, "note: ") {
					t.Errorf("stderr has a line that is neither a note nor the error: %q", l)
				}
			}
			if out != "" {
				t.Errorf("stdout of a rejected fit: %q", out)
			}
			assertNoRows(t, dbPath)
		})
	}
}

// seriesCSV is an hourly series of n rows with a daily cycle.
func seriesCSV(n int) string {
	var b strings.Builder
	b.WriteString("date,load\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05"),
			20+3*math.Sin(2*math.Pi*float64(i)/24)+0.5*math.Sin(float64(i)*1.7))
	}
	return b.String()
}

// TestFitSQLiteMatchesCSV fits the same series read from a CSV and from an
// SQLite table with the same seed: the models must be identical, which
// they are only if both sources gave the same values, times and windows.
func TestFitSQLiteMatchesCSV(t *testing.T) {
	csvText := seriesCSV(200)
	stmts := []string{`CREATE TABLE load (date TEXT, load REAL)`}
	for _, line := range strings.Split(strings.TrimSpace(csvText), "\n")[1:] {
		d, v, _ := strings.Cut(line, ",")
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO load VALUES ('%s', %s)`, d, v))
	}
	dbData := mustSQLite(t, stmts...)
	data := writeFile(t, "load.csv", csvText)
	fit := []string{"--target", "load", "--lookback", "12", "--horizon", "6", "--season", "24",
		"--hidden", "4", "--epochs", "2", "--batch", "16", "--seed", "3", "--name", "m"}
	var exports []string
	for _, src := range [][]string{{data}, {"--sqlite", dbData, "--table", "load"}} {
		db := filepath.Join(t.TempDir(), "f.db")
		code, out, errOut := run(t, append(append([]string{"fit", "--db", db}, src...), fit...)...)
		if code != 0 {
			t.Fatalf("fit %v: exit %d\n%s%s", src, code, out, errOut)
		}
		if !strings.Contains(out, "200 rows, hourly, 2024-01-01 to 2024-01-09 07:00") {
			t.Errorf("fit %v: summary line:\n%s", src, out)
		}
		_, exp, _ := run(t, "models", "export", "m", "--db", db)
		exports = append(exports, exp)
	}
	if exports[0] == "" || withoutVersionFields(t, []byte(exports[0])) != withoutVersionFields(t, []byte(exports[1])) {
		t.Fatalf("the models fitted from the CSV and from SQLite differ")
	}
}

// TestFitPicksSeries fits one series of a long CSV read from standard
// input, with semicolons, rows out of order and a gap.
func TestFitPicksSeries(t *testing.T) {
	var b strings.Builder
	b.WriteString("unit;date;y\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 199; i >= 0; i-- {
		if i == 50 {
			continue
		}
		for _, u := range []string{"a", "b"} {
			fmt.Fprintf(&b, "%s;%s;%.3f\n", u, t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), math.Sin(float64(i)/4))
		}
	}
	db := filepath.Join(t.TempDir(), "f.db")
	var out, errOut strings.Builder
	code := runStdin(t, b.String(), &out, &errOut, "fit", "-", "--db", db, "--id", "unit", "--target", "y", "--series", "b",
		"--lookback", "12", "--horizon", "6", "--hidden", "4", "--epochs", "1", "--batch", "16")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		"data: -, series b, target y, 200 rows, hourly, 2024-01-01 to 2024-01-09 07:00; 1 absent step in 1 gap: 1 filled",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	for _, want := range []string{"note: <stdin>: delimiter ';' detected", "sorted", `series "b": 1 gap of 1 absent step in all: 1 filled by linear interpolation`} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut.String())
		}
	}
}

// TestFitLeavesOutShortSeries: in a file of several series, one too short
// for the split is left out with a note naming it, and the others are
// fitted with the horizon their own lengths allow (it used to cut the
// horizon to a third of the shortest and then fail every series). A
// constant series (a closed shop's zeros, first in the file), or one that
// repeats itself every week exactly, is not left out: seasonal naive
// forecasts it, and the first series shown is one the network fits. The
// series that end before the longest (an item no longer sold) are named.
func TestFitLeavesOutShortSeries(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date,y\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []struct {
		id string
		n  int
	}{{"closed", 100}, {"long", 300}, {"short", 10}, {"mid", 200}, {"weekly", 60}} {
		for i := 0; i < s.n; i++ {
			y := 50 + 10*math.Sin(2*math.Pi*float64(i)/7) + 0.1*float64(i) + math.Sin(float64(i)*1.3)
			switch s.id {
			case "closed":
				y = 0
			case "weekly":
				y = float64([]int{3, 8, 5, 2, 3, 5, 13}[i%7])
			}
			fmt.Fprintf(&b, "%s,%s,%.3f\n", s.id, t0.AddDate(0, 0, i).Format("2006-01-02"), y)
		}
	}
	data := writeFile(t, "three.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, append([]string{"fit", data, "--id", "id", "--target", "y", "--db", db, "--name", "three"}, "--epochs", "1", "--ensemble", "1")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{`three.csv: left out, series "short": invalid input: series "short" has 10 values`,
		`three.csv: 3 series end more than the horizon (14 steps) before the last time of the others, 2024-10-26: ` +
			`"three/mid" (2024-07-18), "three/closed" (2024-04-09), "three/weekly" (2024-02-29); their forecasts follow their own last values`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "horizon 14,") || !strings.Contains(out, "with the forecasts of three/closed, three/long, three/mid … (4 series)\n") ||
		!strings.Contains(out, "the first, long:") || strings.Contains(errOut, `"closed"`) {
		t.Errorf("want the daily horizon 14, forecasts of closed, long and mid, long shown first:\n%s%s", out, errOut)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM forecasts WHERE series = 'three/closed' AND value = 0 AND method = 'snaive'"); n != 14 {
		t.Errorf("%d forecasts of the closed shop are 0 by seasonal naive, want 14", n)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM forecasts WHERE series = 'three/weekly' AND value = "+
		"CASE (60 + step - 1) % 7 WHEN 0 THEN 3 WHEN 1 THEN 8 WHEN 2 THEN 5 WHEN 3 THEN 2 WHEN 4 THEN 3 WHEN 5 THEN 5 ELSE 13 END AND method = 'snaive'"); n != 14 {
		t.Errorf("%d forecasts of the weekly pattern are its values by seasonal naive, want 14", n)
	}
}

// retailItem is an item of retailItems: its id, the days it spans and
// how many of the days before its last 20 are absent.
type retailItem struct {
	id     string
	n, gap int
}

// retailItems writes a long CSV of the daily sales of items, id,date,sales,
// each ending on 2024-07-18, and returns its path.
func retailItems(t *testing.T, items ...retailItem) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id,date,sales\n")
	end := time.Date(2024, 7, 18, 0, 0, 0, 0, time.UTC)
	for _, it := range items {
		for i := range it.n {
			if i >= it.n-20-it.gap && i < it.n-20 {
				continue
			}
			day := end.AddDate(0, 0, i-it.n+1)
			fmt.Fprintf(&b, "%s,%s,%.2f\n", it.id, day.Format("2006-01-02"), 50+10*math.Sin(float64(i)*2*math.Pi/7)+0.1*float64(i)+float64(i%3))
		}
	}
	return writeFile(t, "retail.csv", b.String())
}

// TestFitLeavesOutSeriesTooShortToRead: in a file of several items, a new
// one of a single row, or one with a gap longer than --max-fill allows,
// failed the fit of all of them (exit 3), the first naming no line. It is
// left out with a note saying why, and the others are fitted; asked for
// alone (--series) it is still an error, naming the file and line, and
// another asked for alone is read without it. actuals records the one
// row as before.
func TestFitLeavesOutSeriesTooShortToRead(t *testing.T) {
	data := retailItems(t, retailItem{"a", 120, 0}, retailItem{"b", 120, 0}, retailItem{"new", 1, 0}, retailItem{"gap", 120, 40})
	db := filepath.Join(t.TempDir(), "f.db")
	flags := []string{"--id", "id", "--target", "sales", "--db", db, "--epochs", "1", "--ensemble", "1", "--hidden", "4", "--window-norm", "none", "--transform", "none"}
	code, out, errOut := run(t, append([]string{"fit", data}, flags...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"note: " + data + `:242: series "new" has 1 row: want at least 2: left out`,
		"note: " + data + `:1:3 (column "sales"): series "gap": filling would invent 40 of its 120 values (33.3 %), more than the 10 % allowed: ` +
			`40 daily steps absent in 1 gap, at 2024-05-20 to 2024-06-28 (40 steps); check the time column and the frequency (--freq), or allow more with --max-fill: left out`,
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "with the forecasts of retail/a, retail/b\n") {
		t.Errorf("want the forecasts of a and b alone:\n%s", out)
	}
	if n := queryInt(t, db, "SELECT count(DISTINCT series) FROM forecasts"); n != 2 {
		t.Errorf("forecasts of %d series stored, want 2", n)
	}

	// Asked for alone, each is an error naming the file and line.
	for id, want := range map[string]string{
		"new": data + `:242: series "new" has 1 row: want at least 2`,
		"gap": data + `:1:3 (column "sales"): series "gap": filling would invent 40 of its 120 values`,
	} {
		code, _, errOut := run(t, append([]string{"fit", data, "--series", id}, flags...)...)
		if code != 3 || !strings.HasPrefix(errOut, "forecast: "+want) {
			t.Errorf("fit --series %s: exit %d, %q; want 3 and %q", id, code, errOut, want)
		}
	}
	mustRun(t, 0, append([]string{"fit", data, "--series", "a"}, flags...)...)

	// actuals records the one row of the new item.
	mustRun(t, 0, "actuals", data, "--id", "id", "--target", "sales", "--db", db)
	if n := queryInt(t, db, "SELECT count(*) FROM actuals WHERE series = 'retail/new'"); n != 1 {
		t.Errorf("%d actuals of the new item, want 1", n)
	}
}

// TestFitNoteOfItemTooShortForTheModel: a new item of 40 days left out of
// a global model with a horizon of 28 was said to give "0 train, 1
// validation and 0 test windows of lookback 0", with no lookback given:
// the note names the horizon and how many values a split of it takes
// (of 56, the item is kept beside the network, forecast by the classical
// methods alone).
func TestFitNoteOfItemTooShortForTheModel(t *testing.T) {
	data := retailItems(t, retailItem{"a", 300, 0}, retailItem{"b", 300, 0}, retailItem{"new", 40, 0})
	code, out, errOut := run(t, "fit", data, "--id", "id", "--target", "sales", "--horizon", "28", "--db", filepath.Join(t.TempDir(), "f.db"),
		"--epochs", "1", "--ensemble", "1", "--hidden", "4", "--window-norm", "none", "--transform", "none")
	want := "note: " + data + `: left out, series "new" has 40 values, too few for windows of horizon 28 in each part of its split, which take at least 56 values`
	if code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr lacks %q:\n%s%s", code, want, out, errOut)
	}
}

// TestSeriesNotesOfItsOwn: a command reading one series of many (--series)
// notes what filling did to that series alone; the others' gaps were noted
// too.
func TestSeriesNotesOfItsOwn(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,shop,units\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, shop := range []string{"a", "b"} {
		for i := range 120 {
			if shop == "b" && i >= 50 && i < 53 {
				continue
			}
			fmt.Fprintf(&b, "%s,%s,%.1f\n", t0.AddDate(0, 0, i).Format(time.DateOnly), shop, 20+float64(i%7)+0.1*float64(i))
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	const gapOfB = `series "b": 1 gap of 3 absent steps in all`
	for shop, want := range map[string]bool{"a": false, "b": true} {
		_, _, errOut := run(t, "fit", data, "--id", "shop", "--target", "units", "--series", shop, "--db", filepath.Join(t.TempDir(), "f.db"))
		if got := strings.Contains(errOut, gapOfB); got != want {
			t.Errorf("fit --series %s: noted b's gap %v, want %v:\n%s", shop, got, want, errOut)
		}
	}
}

// TestFitKeyOfColumns fits a long CSV whose series, as in M5's sales, are
// an item in a store, told apart by two columns (--id store_id,item_id):
// each is stored as SOURCE/STORE/ITEM.
func TestFitKeyOfColumns(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,store_id,item_id,sales\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		for k, key := range [][2]string{{"S1", "I01"}, {"S1", "I02"}, {"S2", "I01"}} {
			y := 20 + 5*float64(k) + 3*math.Sin(2*math.Pi*float64(i)/7) + math.Sin(float64(i)*1.3)
			fmt.Fprintf(&b, "%s,%s,%s,%.3f\n", t0.AddDate(0, 0, i).Format("2006-01-02"), key[0], key[1], y)
		}
	}
	data := writeFile(t, "sales.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "fit", data, "--id", "store_id,item_id", "--target", "sales", "--db", db,
		"--lookback", "14", "--horizon", "7", "--hidden", "4", "--epochs", "1", "--ensemble", "1")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	got := queryStrings(t, db, "SELECT DISTINCT series FROM forecasts ORDER BY series")
	if want := []string{"sales/S1/I01", "sales/S1/I02", "sales/S2/I01"}; !slices.Equal(got, want) {
		t.Errorf("forecasts of %q, want %q", got, want)
	}
}

// TestStartLeavesTimedRows: --start dates the rows of a file without a
// time column; of a file with one, it anchored --freq monthly at the
// month's end all the same, and the file's first days of months were then
// refused as off that grid.
func TestStartLeavesTimedRows(t *testing.T) {
	data := writeFile(t, "m.csv", "date,y\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-04-01,4\n")
	out := mustRun(t, 0, "inspect", data, "--target", "y", "--freq", "monthly", "--start", "2020-01-31")
	if !strings.Contains(out, "2020-01-01  2020-04-01  monthly ") {
		t.Errorf("want the file's monthly times:\n%s", out)
	}
}
