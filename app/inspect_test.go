package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

func TestInspect(t *testing.T) {
	data := writeFile(t, "q.csv", "date;a;b;wind\n"+
		"2024-01-01;1;10;NW\n"+
		"2024-01-02;NA;20;NW\n"+
		"2024-01-03;3;30;SE\n"+
		"2024-01-05;5;50;SE\n") // 2024-01-04 absent
	code, out, errOut := run(t, "inspect", data)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	want := data + `: wide layout, 2 series, time column date (2006-01-02)
SERIES  ROWS  START       END         FREQ   GAPS        MISSING  FILLED    MIN  MEAN  MAX  SEASON
a       4     2024-01-01  2024-01-05  daily  1 (1 step)  1        2 (40 %)  1    3     5    none
b       4     2024-01-01  2024-01-05  daily  1 (1 step)  0        1 (20 %)  10   27.5  50   none
a: absent 2024-01-04; 1 missing value; 2 filled
a: filling invents 40 % of its values, more than --max-fill 10 %: the commands that read data leave it out of the others, and refuse it read alone
b: absent 2024-01-04; 1 filled
b: filling invents 20 % of its values, more than --max-fill 10 %: the commands that read data leave it out of the others, and refuse it read alone
`
	if out != want {
		t.Errorf("inspect output:\n%s\nwant:\n%s", out, want)
	}
	for _, n := range []string{"note: " + data + ": delimiter ';' detected", `note: ` + data + `: series "a": 1 gap of 1 absent step in all, 1 missing value: 2 filled by linear interpolation`} {
		if !strings.Contains(errOut, n) {
			t.Errorf("stderr lacks %q:\n%s", n, errOut)
		}
	}

	// Up to --max-fill, a series is not flagged.
	code, out, _ = run(t, "inspect", data, "--max-fill", "40%")
	if code != 0 || strings.Contains(out, "filling invents") {
		t.Errorf("inspect --max-fill 40%%: exit %d\n%s", code, out)
	}
	// One series, with --fill none and a glob.
	code, out, _ = run(t, "inspect", data, "--target", "b*", "--fill", "none")
	if code != 0 || !strings.Contains(out, "1 series") || !strings.Contains(out, "b: absent 2024-01-04; left as they are") {
		t.Errorf("inspect --target 'b*' --fill none: exit %d\n%s", code, out)
	}
	// JSON, for scripts.
	code, out, _ = run(t, "inspect", data, "--format", "json", "--target", "a")
	var got []struct {
		ID       string
		StoredID string `json:"stored_id"`
		Rows     int
		Values   int
		Freq     string
		Gaps     []struct{ After string }
		Missing  int
		Filled   int
		Share    float64 `json:"fill_share"`
		Over     bool    `json:"over_max_fill"`
		Min, Max *float64
	}
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || len(got) != 1 {
		t.Fatalf("inspect --format json: exit %d, %v:\n%s", code, err, out)
	}
	if g := got[0]; g.ID != "a" || g.StoredID != strings.TrimSuffix(filepath.Base(data), ".csv")+"/a" || g.Rows != 4 || g.Values != 5 || g.Freq != "daily" || len(g.Gaps) != 1 ||
		g.Gaps[0].After != "2024-01-03T00:00:00Z" || g.Missing != 1 || g.Filled != 2 || g.Share != 0.4 || !g.Over || *g.Min != 1 || *g.Max != 5 {
		t.Errorf("inspect --format json = %+v", g)
	}
	// CSV: the values as filled, which read back as the same series.
	code, out, _ = run(t, "inspect", data, "--format", "csv", "--target", "a", "--max-fill", "100%")
	back, err := ingest.LoadAll(strings.NewReader(out), ingest.Options{ID: "id", Target: "value"})
	if code != 0 || err != nil || len(back.Series) != 1 {
		t.Fatalf("inspect --format csv: exit %d, %v:\n%s", code, err, out)
	}
	if s := back.Series[0]; s.ID != "a" || !slices.Equal(s.Values(), []float64{1, 2, 3, 4, 5}) || s.Time(0) != time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("inspect --format csv read back as %s %v from %v, want a [1 2 3 4 5] from 2024-01-01", s.ID, s.Values(), s.Time(0))
	}
	// A bad file: exit 3, one line.
	bad := writeFile(t, "bad.csv", "date,y\n2024-01-01,1\n2024-01-01,2\n")
	code, out, errOut = run(t, "inspect", bad)
	if code != 3 || out != "" || errOut != "forecast: "+bad+`:3:1 (column "date"): duplicate time "2024-01-01", first on line 2`+"\n" {
		t.Errorf("inspect of a bad file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := run(t, "inspect"); code != 2 || !strings.Contains(errOut, "inspect needs exactly one data file") {
		t.Errorf("inspect without a file: exit %d, %s", code, errOut)
	}
}

func TestInspectSQLite(t *testing.T) {
	db := mustSQLite(t,
		`CREATE TABLE obs (unit TEXT, ds TEXT, y REAL)`,
		`INSERT INTO obs VALUES ('a', '2024-01-31', 1), ('a', '2024-02-29', 2), ('a', '2024-03-31', 3),
			('b', '2024-01-01', 5), ('b', '2024-04-01', 6), ('b', '2024-07-01', NULL), ('b', '2024-10-01', 8)`)
	code, out, errOut := run(t, "inspect", "--sqlite", db, "--query", "SELECT * FROM obs WHERE y IS NOT NULL OR unit = 'b'", "--id", "unit")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		db + ":query: long layout, 2 series, time column ds (2006-01-02)",
		"a       3     2024-01-31  2024-03-31  monthly (end)  0     0        0         1    2        3    none",
		"b       4     2024-01-01  2024-10-01  quarterly      0     1        1 (25 %)  5    6.33333  8    none",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// A source query reads its own database and writes nothing: attached to
// it, another database (a forecast store) lost its forecasts.
func TestSQLiteSourceQueryWritesNothing(t *testing.T) {
	src := mustSQLite(t, `CREATE TABLE obs (ds TEXT, y REAL)`, `INSERT INTO obs VALUES ('2024-01-01', 1), ('2024-01-02', 2), ('2024-01-03', 3)`)
	victim := mustSQLite(t, `CREATE TABLE forecasts (v REAL)`, `INSERT INTO forecasts VALUES (1)`)
	created := filepath.Join(t.TempDir(), "new.db")
	for _, tt := range []struct{ query, want string }{
		{"ATTACH '" + victim + "' AS v; DELETE FROM v.forecasts; SELECT ds, y FROM obs", "a query reads its own database alone, ATTACH none"},
		{"ATTACH '" + created + "' AS n; CREATE TABLE n.t (a); SELECT ds, y FROM obs", "a query reads its own database alone, ATTACH none"},
		{"DELETE FROM obs; SELECT ds, y FROM obs", "a query only reads, writes nothing"},
	} {
		if code, _, errOut := run(t, "inspect", "--sqlite", src, "--query", tt.query, "--target", "y"); code != 3 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, %q; want 3 and %q", tt.query, code, errOut, tt.want)
		}
	}
	if n := queryInt(t, victim, `SELECT count(*) FROM forecasts`); n != 1 {
		t.Errorf("the attached database holds %d rows, want 1", n)
	}
	if n := queryInt(t, src, `SELECT count(*) FROM obs`); n != 3 {
		t.Errorf("the source holds %d rows, want 3", n)
	}
	if _, err := os.Stat(created); !os.IsNotExist(err) {
		t.Errorf("a query created %s (%v)", created, err)
	}
}

// TestInspectData runs inspect on every file of testdata/data with the
// flags its layout needs (those of testdata/README.md), and checks what it
// must report: the gaps, NAs and series counts that README gives.
func TestInspectData(t *testing.T) {
	const dir = "../testdata/data"
	tests := []struct {
		File string
		Args []string
		Want []string
	}{
		{"ETTh1.csv", nil, []string{"wide layout, 7 series, time column date (2006-01-02 15:04:05)",
			"OT      17420  2016-07-01  2018-06-26 19:00  hourly  0     0"}},
		{"ETTh2.csv", []string{"--target", "OT"}, []string{"OT      17420  2016-07-01  2018-06-26 19:00  hourly  0     0", "24 (acf"}},
		{"airline-passengers.csv", nil, []string{"Passengers  144   1949-01-01  1960-12-01  monthly  0     0        0       104  280.299  622  12 (acf 0.83)"}},
		{"daily-min-temperatures.csv", nil, []string{"Temp    3650  1981-01-01  1990-12-31  daily  2 (2 steps)", "7 (acf",
			"Temp: absent 1984-12-31, 1988-12-31; 2 filled"}},
		{"daily-total-female-births.csv", nil, []string{"Births  365   1959-01-01  1959-12-31  daily  0     0"}},
		{"monthly-sunspots.csv", nil, []string{"Sunspots  2820  1749-01-01  1983-12-01  monthly  0     0"}},
		{"monthly-car-sales.csv", nil, []string{"Sales   108   1960-01-01  1968-12-01  monthly  0     0", "12 (acf"}},
		{"monthly_champagne_sales.csv", nil, []string{"Sales   105   1964-01-01  1972-09-01  monthly  0     0", "12 (acf"}},
		{"pollution.csv", []string{"--target", "pm2.5"}, []string{"time column year+month+day+hour",
			"pm2.5   43824  2010-01-02  2014-12-31 23:00  hourly  0     2067", "pm2.5: 2067 missing values; 2043 filled, 24 at the start or end dropped"}},
		{"exchange_rate.csv", []string{"--no-header"}, []string{"wide layout, 8 series, no time column (integer steps)", "8       7588  -      -    steps  0     0"}},
		{"m4-hourly-train.csv", []string{"--layout", "rows"}, []string{"rows layout, 414 series", "H1      700", "H414    960"}},
		{"m4-hourly-test.csv", []string{"--layout", "rows"}, []string{"rows layout, 414 series", "H414    48"}},
		{"m4-hourly-naive2-forecasts.csv", []string{"--layout", "rows"}, []string{"rows layout, 414 series", "H414    48"}},
	}
	for _, tt := range tests {
		t.Run(tt.File, func(t *testing.T) {
			code, out, errOut := run(t, append([]string{"inspect", filepath.Join(dir, tt.File)}, tt.Args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range tt.Want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestInspectOutlier: airline passengers with one month typed eight times
// too large (July 1954: 2416 for 302) hid the season from inspect (and
// fit): "none". The season is found without the outlier, and says so.
func TestInspectOutlier(t *testing.T) {
	raw, err := os.ReadFile("../testdata/data/airline-passengers.csv")
	if err != nil {
		t.Fatal(err)
	}
	spoiled := strings.Replace(string(raw), `"1954-07",302`, `"1954-07",2416`, 1)
	if spoiled == string(raw) {
		t.Fatal(`no line "1954-07",302 in airline-passengers.csv`)
	}
	out := mustRun(t, 0, "inspect", writeFile(t, "air.csv", spoiled))
	if !strings.Contains(out, "2416  12 (acf 0.83 without 1 outlier)") {
		t.Errorf("inspect of airline passengers with one month eight times too large:\n%s", out)
	}
	out = mustRun(t, 0, "inspect", writeFile(t, "air.csv", spoiled), "--format", "json")
	var got []struct {
		Season   int `json:"season"`
		Outliers int `json:"season_outliers"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].Season != 12 || got[0].Outliers != 1 {
		t.Errorf("inspect --format json: %v, %+v\n%s", err, got, out)
	}
}

// TestFitNotesSuspectValues: fit and predict say which values look like
// errors in the data (July 1954 typed 302000 for 302), which every method
// then forecasts from as they are, and say nothing of the bundled series
// as published.
func TestFitNotesSuspectValues(t *testing.T) {
	raw, err := os.ReadFile("../testdata/data/airline-passengers.csv")
	if err != nil {
		t.Fatal(err)
	}
	typo := writeFile(t, "air.csv", strings.Replace(string(raw), `"1954-07",302`, `"1954-07",302000`, 1))
	db := filepath.Join(t.TempDir(), "f.db")
	fit := []string{"--target", "Passengers", "--db", db, "--epochs", "1", "--ensemble", "1"}
	const want = ": 1 value far from its trend and season, an error in the data? 1954-07-01 is 302000 (about 308.824 expected)"
	code, _, errOut := run(t, append([]string{"fit", typo}, fit...)...)
	if code != 0 || !strings.Contains(errOut, typo+want) {
		t.Errorf("fit: exit %d, stderr lacks %q:\n%s", code, want, errOut)
	}
	code, _, errOut = run(t, "predict", "--model", "air", typo, "--db", db)
	if code != 0 || !strings.Contains(errOut, typo+want) {
		t.Errorf("predict: exit %d, stderr lacks %q:\n%s", code, want, errOut)
	}
	for file, target := range map[string]string{"airline-passengers.csv": "Passengers", "monthly-car-sales.csv": "Sales",
		"monthly_champagne_sales.csv": "Sales", "daily-total-female-births.csv": "Births", "daily-min-temperatures.csv": "Temp"} {
		code, _, errOut := run(t, "fit", "../testdata/data/"+file, "--target", target, "--db", db, "--epochs", "1", "--ensemble", "1", "--name", "x")
		if code != 0 || strings.Contains(errOut, "far from its trend") {
			t.Errorf("%s: exit %d, notes a value as suspect:\n%s", file, code, errOut)
		}
	}
}
