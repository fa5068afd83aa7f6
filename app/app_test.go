package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app"
	"github.com/forecast-dev/forecast/app/internal/testfiles"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
)

// run runs the forecast command in-process and returns its exit code and
// outputs.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app.App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Version: "test"}
	code = a.Run(context.Background(), args)
	return code, out.String(), errOut.String()
}

// writeSeries writes an hourly CSV of n rows of a noisy daily cycle with a
// trend and returns its path.
func writeSeries(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("date,load\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		v := 20 + 0.01*float64(i) + 3*math.Sin(2*math.Pi*float64(i)/24) + 0.5*math.Sin(float64(i)*1.7)
		fmt.Fprintf(&b, "%s,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05"), v)
	}
	return writeFile(t, "load.csv", b.String())
}

// writeFile writes content to a new file called name and returns its path.
var writeFile = testfiles.File

// smallFit trains one tiny GRU with every choice fixed, so that the tests
// of storage and export see the network alone and run fast.
var smallFit = []string{"--target", "load", "--lookback", "12", "--horizon", "6", "--season", "24",
	"--layers", "2", "--hidden", "5", "--epochs", "3", "--batch", "16",
	"--window-norm", "none", "--transform", "none", "--ensemble", "1", "--fallback", "none"}

func TestFitStoresModelAndForecasts(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, append([]string{"fit", data, "--db", db, "--name", "load"}, smallFit...)...)
	if code != 0 {
		t.Fatalf("fit exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"test metrics", "GRU", "naive", "seasonal naive", "2024-01-13 12:00", "stored model load@1"} {
		if !strings.Contains(out, want) {
			t.Errorf("fit output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "epoch   1/3") {
		t.Errorf("fit progress lacks epoch lines:\n%s", errOut)
	}

	// A second fit of the same name makes version 2.
	if code, out, errOut := run(t, append([]string{"fit", data, "--db", db, "--name", "load"}, smallFit...)...); code != 0 || !strings.Contains(out, "load@2") {
		t.Fatalf("second fit: exit %d\n%s\n%s", code, out, errOut)
	}

	code, out, errOut = run(t, "forecasts", "--model", "load@1", "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("forecasts exit %d: %s", code, errOut)
	}
	var fcs []struct {
		Model   string
		Version int
		Time    string
		Step    int
		Value   float64
	}
	if err := json.Unmarshal([]byte(out), &fcs); err != nil {
		t.Fatalf("forecasts json: %v\n%s", err, out)
	}
	if len(fcs) != 6 || fcs[0].Version != 1 || fcs[0].Time != "2024-01-13T12:00:00Z" || fcs[5].Step != 6 {
		t.Fatalf("forecasts = %+v, want 6 steps of load@1 from 2024-01-13T12:00:00Z", fcs)
	}

	// A level no listed forecast has: a note, not silently empty columns.
	code, out, errOut = run(t, "forecasts", "--model", "load@1", "--level", "80,57", "--db", db)
	if code != 0 || !strings.Contains(out, "LOWER_57") || !strings.Contains(errOut, "note: no forecast listed has a 57 % interval (--level)") {
		t.Errorf("forecasts --level 80,57: exit %d\n%s%s", code, out, errOut)
	}
	if _, _, errOut = run(t, "forecasts", "--model", "load@1", "--level", "80,95", "--db", db); errOut != "" {
		t.Errorf("forecasts --level 80,95 of levels stored: stderr %q", errOut)
	}

	code, out, errOut = run(t, "models", "list", "--db", db)
	if code != 0 || strings.Count(out, "load ") != 2 {
		t.Errorf("models list: exit %d, want two versions of load:\n%s%s", code, out, errOut)
	}
	// Its JSON has the test MASE the table shows, as the version's
	// metrics hold it.
	var list []struct {
		Version  int
		TestMASE *float64 `json:"test_mase"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "models", "list", "--format", "json", "--db", db)), &list); err != nil || len(list) != 2 {
		t.Fatalf("models list json: %v, %d versions", err, len(list))
	}
	var show struct {
		Metrics struct {
			Test struct{ Selected struct{ MASE float64 } }
		}
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "models", "show", "load@1", "--format", "json", "--db", db)), &show); err != nil {
		t.Fatal(err)
	}
	for _, v := range list {
		if v.Version == 1 && (v.TestMASE == nil || *v.TestMASE != show.Metrics.Test.Selected.MASE || !strings.Contains(out, fmt.Sprintf("%.4f", *v.TestMASE))) {
			t.Errorf("models list json: load@1 test_mase %v, its metrics %v, the table:\n%s", v.TestMASE, show.Metrics.Test.Selected.MASE, out)
		}
	}
}

// TestExportReproducesForecasts recomputes the stored forecasts from the JSON
// export alone with refForecast, a plain-loop implementation of the GRU of
// package gru's documentation that shares no code with package gru.
func TestExportReproducesForecasts(t *testing.T) {
	for _, tt := range []struct {
		name  string
		extra []string
	}{
		{"Plain", nil},
		{"NormLastEnsemble", []string{"--window-norm", "last", "--ensemble", "3"}},
		{"NormMean", []string{"--window-norm", "mean"}},
		{"Log", []string{"--transform", "log", "--window-norm", "last"}},
		{"NormSeason", []string{"--window-norm", "season", "--season", "5"}},
	} {
		t.Run(tt.name, func(t *testing.T) { exportReproducesForecasts(t, tt.extra) })
	}
}

func exportReproducesForecasts(t *testing.T, extra []string) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	if code, out, errOut := run(t, append(append([]string{"fit", data, "--db", db, "--name", "m"}, smallFit...), extra...)...); code != 0 {
		t.Fatalf("fit exit %d\n%s\n%s", code, out, errOut)
	}
	exportPath := filepath.Join(t.TempDir(), "m.json")
	if code, _, errOut := run(t, "models", "export", "m@1", "--format", "json", "-o", exportPath, "--db", db); code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	raw, err := os.ReadFile(exportPath)
	if err != nil {
		t.Fatal(err)
	}
	// -o - is standard output, as models import reads "-" (it wrote a file named -).
	t.Chdir(t.TempDir())
	if code, out, errOut := run(t, "models", "export", "m@1", "-o", "-", "--db", db); code != 0 || out != string(raw) {
		t.Errorf("export -o -: exit %d, %d bytes on standard output, want the export's %d: %s", code, len(out), len(raw), errOut)
	}
	// An export that cannot be written is a storage error (exit 5), and
	// the device written to stays.
	if _, err := os.Stat("/dev/full"); err == nil {
		if code, _, errOut := run(t, "models", "export", "m@1", "-o", "/dev/full", "--db", db); code != 5 || !strings.Contains(errOut, "write the export to /dev/full") {
			t.Errorf("export to /dev/full: exit %d, %q; want 5", code, errOut)
		}
		if _, err := os.Stat("/dev/full"); err != nil {
			t.Fatalf("/dev/full after a failed export: %v", err)
		}
	}
	// models import - reads the export from standard input.
	var imported, importErr strings.Builder
	if code := runStdin(t, string(raw), &imported, &importErr, "models", "import", "-", "--name", "piped", "--db", db); code != 0 || !strings.Contains(imported.String(), "imported <stdin> as piped@1") {
		t.Fatalf("models import -: exit %d, %q, %q", code, imported.String(), importErr.String())
	}
	var exp refExport
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if exp.Format != "forecast-gru-json/1" || exp.Lookback != 12 || exp.Horizon != 6 || len(exp.Layers) != 2 || exp.InputFeatures[0] != "load" {
		t.Fatalf("export header = %q L %d H %d layers %d features %v", exp.Format, exp.Lookback, exp.Horizon, len(exp.Layers), exp.InputFeatures)
	}

	// The last lookback values of the target, read straight from the CSV.
	lines := strings.Split(strings.TrimSpace(string(mustRead(t, data))), "\n")
	var last []float64
	for _, line := range lines[len(lines)-exp.Lookback:] {
		var v float64
		if _, err := fmt.Sscanf(line[strings.IndexByte(line, ',')+1:], "%g", &v); err != nil {
			t.Fatal(err)
		}
		last = append(last, v)
	}
	want := refForecast(exp, last)

	code, out, errOut := run(t, "forecasts", "--model", "m", "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("forecasts exit %d: %s", code, errOut)
	}
	var got []struct{ Value float64 }
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != len(want) {
		t.Fatalf("forecasts: %v, %d rows, want %d", err, len(got), len(want))
	}
	for k := range want {
		if d := math.Abs(got[k].Value-want[k]) / math.Max(math.Abs(want[k]), 1e-300); d > 1e-9 {
			t.Errorf("step %d: stored %v, recomputed from the export %v (relative difference %.2g)", k+1, got[k].Value, want[k], d)
		}
	}
}

type refExport struct {
	Format        string   `json:"format"`
	Lookback      int      `json:"lookback"`
	Horizon       int      `json:"horizon"`
	InputFeatures []string `json:"input_features"`
	Scaler        struct {
		Kind      string
		Mean, Std []float64
	} `json:"scaler"`
	WindowNorm string `json:"window_norm"`
	Season     int    `json:"season"`
	refWeights
	Ensemble []refWeights `json:"ensemble"`
}

type refWeights struct {
	Layers []map[string]json.RawMessage `json:"layers"`
	WOut   [][]float64                  `json:"W_out"`
	BOut   []float64                    `json:"b_out"`
}

// refForecast recomputes the forecast of an export whose only input is the
// target from its last values, as the documentation of packages gru (the
// equations) and forecast (the export layout) says.
func refForecast(e refExport, last []float64) []float64 {
	seq := make([][]float64, len(last))
	for t, v := range last {
		if e.Scaler.Kind == "log-zscore" {
			v = math.Log(v)
		}
		seq[t] = []float64{(v - e.Scaler.Mean[0]) / e.Scaler.Std[0]}
	}
	// The inputs lose the window's level; each output step is relative to
	// the level, or under "season" to the value one season before.
	var level float64
	switch e.WindowNorm {
	case "last", "season":
		level = seq[len(seq)-1][0]
	case "mean":
		for _, x := range seq {
			level += x[0] / float64(len(seq))
		}
	}
	off := make([]float64, e.Horizon)
	for k := range off {
		off[k] = level
		if e.WindowNorm == "season" {
			off[k] = seq[len(seq)-e.Season+k%e.Season][0]
		}
	}
	for _, x := range seq {
		x[0] -= level
	}
	members := e.Ensemble
	if len(members) == 0 {
		members = []refWeights{e.refWeights}
	}
	y := make([]float64, e.Horizon)
	for _, m := range members {
		for k, v := range refNetwork(m, seq) {
			y[k] += v / float64(len(members))
		}
	}
	for k := range y {
		y[k] = (y[k]+off[k])*e.Scaler.Std[0] + e.Scaler.Mean[0]
		if e.Scaler.Kind == "log-zscore" {
			y[k] = math.Exp(y[k])
		}
	}
	return y
}

// refNetwork runs the layers and the head of w on seq with plain loops.
func refNetwork(w refWeights, seq [][]float64) []float64 {
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	matvec := func(m [][]float64, v []float64) []float64 {
		out := make([]float64, len(m))
		for i, row := range m {
			for j, w := range row {
				out[i] += w * v[j]
			}
		}
		return out
	}
	for _, l := range w.Layers {
		mat := func(k string) (m [][]float64) { json.Unmarshal(l[k], &m); return }
		vec := func(k string) (v []float64) { json.Unmarshal(l[k], &v); return }
		Wr, Wz, Wh, Ur, Uz, Uh := mat("W_r"), mat("W_z"), mat("W_h"), mat("U_r"), mat("U_z"), mat("U_h")
		br, bz, bh := vec("b_r"), vec("b_z"), vec("b_h")
		h := make([]float64, len(br))
		out := make([][]float64, len(seq))
		for t, x := range seq {
			wrx, urh := matvec(Wr, x), matvec(Ur, h)
			wzx, uzh := matvec(Wz, x), matvec(Uz, h)
			whx, uhh := matvec(Wh, x), matvec(Uh, h)
			next := make([]float64, len(h))
			for i := range h {
				r := sigmoid(wrx[i] + urh[i] + br[i])
				cand := math.Tanh(whx[i] + r*uhh[i] + bh[i])
				z := sigmoid(wzx[i] + uzh[i] + bz[i])
				next[i] = (1-z)*h[i] + z*cand
			}
			h, out[t] = next, next
		}
		seq = out
	}
	y := matvec(w.WOut, seq[len(seq)-1])
	for k := range y {
		y[k] += w.BOut[k]
	}
	return y
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFitIsDeterministic(t *testing.T) {
	data := writeSeries(t, 300)
	var exports [2]string
	for i := range exports {
		db := filepath.Join(t.TempDir(), "f.db")
		if code, _, errOut := run(t, append([]string{"fit", data, "--db", db, "--name", "m", "--seed", "7"}, smallFit...)...); code != 0 {
			t.Fatalf("fit exit %d: %s", code, errOut)
		}
		_, exports[i], _ = run(t, "models", "export", "m", "--db", db)
	}
	if exports[0] == "" || withoutVersionFields(t, []byte(exports[0])) != withoutVersionFields(t, []byte(exports[1])) {
		t.Fatalf("two fits with seed 7 exported different models")
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	good := "date,load\n2024-01-01 00:00:00,1\n2024-01-01 01:00:00,2\n"
	for _, tt := range []struct {
		name, csv string
		args      []string
		code      int
		want      []string // substrings of the one-line error
	}{
		{"MissingTarget", good, []string{"--target", "sales"}, 3, []string{"sales", "load"}},
		{"TextValue", good + "2024-01-01 02:00:00,abc\n", []string{"--target", "load"}, 3, []string{":4", "abc"}},
		{"DuplicateTime", good + "2024-01-01 01:00:00,3\n", []string{"--target", "load"}, 3, []string{":4", "2024-01-01 01:00:00"}},
		{"NoTargetFlag", "date,load,temp\n2024-01-01 00:00:00,1,5\n2024-01-01 01:00:00,2,6\n", nil, 2, []string{`holds 2 columns of numbers ("load", "temp"): name the one to forecast with --target`}},
		{"BadHorizon", good, []string{"--target", "load", "--horizon", "0"}, 2, []string{"--horizon"}},
		{"TooShort", good, []string{"--target", "load"}, 3, []string{"bad.csv: invalid input: ", "too few"}},
		{"NameWithAt", good, []string{"--target", "load", "--name", "x@y"}, 2, []string{`--name "x@y": a name must not hold '@'`}},
		{"BlankName", good, []string{"--target", "load", "--name", "  "}, 2, []string{"--name", "must not be empty"}},
		{"SeasonTooLong", good + "2024-01-01 02:00:00,3\n2024-01-01 03:00:00,4\n2024-01-01 04:00:00,5\n2024-01-01 05:00:00,6\n", []string{"--target", "load", "--season", "1000"}, 3, []string{"bad.csv: invalid input: "}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := writeFile(t, "bad.csv", tt.csv)
			db := filepath.Join(t.TempDir(), "f.db")
			code, _, errOut := run(t, append([]string{"fit", data, "--db", db}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			if n := strings.Count(strings.TrimSpace(errOut), "\n"); n != 0 && tt.code != 2 {
				t.Errorf("error is %d lines, want one:\n%s", n+1, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error %q lacks %q", errOut, w)
				}
			}
			assertNoRows(t, db)
		})
	}
}

// TestFitRejectsConflictingSettings: settings that cannot go together once
// the data has chosen the rest (window normalisation season with a
// lookback under the season found) are refused before anything is printed
// or stored (the split and model lines used to come first).
func TestFitRejectsConflictingSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "fit", writeSeries(t, 300), "--target", "load", "--window-norm", "season", "--lookback", "6", "--db", db)
	if want := "load.csv: invalid input: window normalisation season needs a lookback (6) of at least a season (24)"; code != 3 || out != "" || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 3, nothing and %q", code, out, errOut, want)
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database was made: %v", err)
	}
}

// assertNoRows checks that the database, if it was created at all, holds no
// model version and no forecast.
func assertNoRows(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"model_versions", "forecasts", "runs"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		if n != 0 {
			t.Errorf("%s has %d rows after a rejected fit, want 0", table, n)
		}
	}
}

// TestModelNotFound: a model missing from a database is exit 4; a database
// that does not exist is a storage error (exit 5), and the commands that
// only read, or need a stored model, do not create it.
func TestModelNotFound(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	data := writeSeries(t, 300)
	for _, args := range [][]string{{"models", "list"}, {"models", "export", "nothing@3"}, {"forecasts"}, {"accuracy"},
		{"predict", data, "--model", "air"}, {"fit", data, "--refit", "air"}, {"models", "promote", "air@1", "--alias", "best"},
		{"models", "tag", "air@1", "k=v"}, {"models", "rm", "air@1"}} {
		want := "database " + db + " does not exist"
		if code, _, errOut := run(t, append(args, "--db", db)...); code != 5 || !strings.Contains(errOut, want) {
			t.Errorf("%v on no database: exit %d, stderr %q; want 5 and %q", args, code, errOut, want)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the commands that only read or need a model made %s: %v", db, err)
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, _, errOut := run(t, "models", "export", "nothing@3", "--db", db)
	if code != 4 || !strings.Contains(errOut, "nothing") {
		t.Errorf("export of a missing model: exit %d, stderr %q; want 4 naming the model", code, errOut)
	}
}

func TestFitWithoutTimeColumn(t *testing.T) {
	var b strings.Builder
	b.WriteString("load\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, "%.4f\n", 20+0.01*float64(i)+3*math.Sin(2*math.Pi*float64(i)/24))
	}
	data := writeFile(t, "steps.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, append([]string{"fit", data, "--db", db}, smallFit...)...)
	if code != 0 {
		t.Fatalf("fit exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "no time column") || !strings.Contains(out, "after the last row") {
		t.Errorf("fit output does not say the series has no time column:\n%s", out)
	}
	code, out, errOut = run(t, "forecasts", "--model", "steps", "--format", "csv", "--db", db)
	if code != 0 || strings.Count(out, "\n") != 7 || !strings.Contains(out, "1,steps,1,steps/load,,,1,") {
		t.Errorf("forecasts: exit %d, want a header and 6 rows with empty times:\n%s%s", code, out, errOut)
	}
}

// TestFitAtBusinessMonthEnds fits monthly finance data dated on each
// month's last business day, 2024-03-28 the day before Good Friday and
// 2021-05-28 before Memorial Day: it is read as monthly, with the monthly
// season and horizon, and the forecasts are stored on the last weekday of
// each month. It was refused as off a 31-day grid.
func TestFitAtBusinessMonthEnds(t *testing.T) {
	holidays := map[string]bool{"2021-05-31": true, "2024-03-29": true}
	var b strings.Builder
	b.WriteString("date,close\n")
	for i := range 72 {
		d := time.Date(2019, time.Month(i+2), 0, 0, 0, 0, 0, time.UTC) // the month's last day
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || holidays[d.Format(time.DateOnly)] {
			d = d.AddDate(0, 0, -1)
		}
		fmt.Fprintf(&b, "%s,%.2f\n", d.Format(time.DateOnly), 100+0.5*float64(i)+10*math.Sin(2*math.Pi*float64(i)/12))
	}
	data := writeFile(t, "closes.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "fit", data, "--target", "close", "--db", db, "--hidden", "4", "--epochs", "2", "--ensemble", "1")
	if got := queryStrings(t, db, `SELECT data_freq || ' season ' || json_extract(params, '$.season') FROM model_versions`); !reflect.DeepEqual(got, []string{"monthly (business end) season 12"}) {
		t.Errorf("stored model versions %q, want monthly (business end) season 12", got)
	}
	got := queryStrings(t, db, `SELECT DISTINCT substr(time, 1, 10) FROM forecasts ORDER BY time`)
	var want []string
	for k := range 18 {
		d := time.Date(2025, time.Month(k+2), 0, 0, 0, 0, 0, time.UTC)
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		want = append(want, d.Format(time.DateOnly))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("forecast times %q, want the last weekdays of the months %q", got, want)
	}
}

// buildForecast builds the forecast binary into a temporary folder, for the
// tests that run it as a separate process, and returns its path.
func buildForecast(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "forecast")
	if out, err := exec.Command("go", "build", "-o", bin, "./forecast").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestFitShortSeries fits a series of two seasons with a horizon of one,
// too short for the network: the classical methods forecast it, the
// version stores no weights, and predict forecasts the fit's values from
// it, bit for bit.
func TestFitShortSeries(t *testing.T) {
	data := writeSeries(t, 48)
	db := filepath.Join(t.TempDir(), "f.db")
	out := mustRun(t, 0, "fit", data, "--target", "load", "--horizon", "24", "--db", db, "--name", "short")
	if !strings.Contains(out, "too short for the network") {
		t.Errorf("fit output does not say the series is too short for the network:\n%s", out)
	}
	// predict makes the fit's forecasts again, bit for bit, which are not
	// stored twice.
	if out := mustRun(t, 0, "predict", "--model", "short", data, "--target", "load", "--db", db); !strings.Contains(out, "the same 24 forecasts of ") || !strings.Contains(out, "are stored already (run 1)") {
		t.Errorf("predict on the fit's data does not find the fit's forecasts:\n%s", out)
	}
	// A refit on more data chooses the lookback and ensemble the version
	// has none of, and trains the network: on 200 values, as the season
	// stays the version's, 1 (see forecast.ClassicalOnly).
	if out := mustRun(t, 0, "fit", writeSeries(t, 200), "--target", "load", "--refit", "short", "--db", db); !strings.Contains(out, "model: GRU") {
		t.Errorf("refit on 200 values trained no network:\n%s", out)
	}
	sdb, err := store.OpenForReading(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	mv, err := sdb.FindModelVersion(context.Background(), store.ModelRef{Name: "short", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := forecast.ParseParams(mv.Params); err != nil || !p.ClassicalOnly || len(mv.Weights) != 0 {
		t.Errorf("params %+v (%v), %d bytes of weights; want classical only and none", p, err, len(mv.Weights))
	}
	rows, err := sdb.FindForecasts(context.Background(), store.ForecastFilter{Model: &store.ModelRef{Name: "short", Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	byRun := map[int64][]float64{}
	for _, r := range rows {
		byRun[r.RunID] = append(byRun[r.RunID], r.Value)
	}
	if len(byRun) != 1 || len(byRun[1]) != 24 {
		t.Errorf("stored forecasts by run %v; want 24 from fit (run 1) alone", byRun)
	}
}

// TestFitConstantSeries: a series that never changes is fitted, not
// refused: seasonal naive forecasts its value with intervals of no width,
// the output and models show say why, and the summary view has no test
// scores for it.
func TestFitConstantSeries(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "closed.csv")
	var b strings.Builder
	b.WriteString("date,sales\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%s,0\n", time.Date(2020, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	}
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "f.db")
	out := mustRun(t, 0, "fit", data, "--target", "sales", "--db", db)
	for _, want := range []string{
		"model: none: the series is constant (every value 0); horizon 18, season 1: naive forecasts it exactly\n",
		"forecast by: naive, which forecasts every value of the series exactly",
		"test metrics: none: the series is constant (every value 0), and MASE",
		"    18  2026-06-01      0        0         0        0         0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("fit output lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, 0, "models", "show", "closed", "--db", db); !strings.Contains(out, "which forecasts the series exactly") {
		t.Errorf("models show:\n%s", out)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM model_versions_summary WHERE test_mase IS NULL AND method = 'naive' AND forecasts = 18`); n != 1 {
		t.Errorf("%d summary rows without test scores forecast by naive, want 1", n)
	}
}

// TestPlotOfSeveralSeries: fit and backtest of several series plot the
// first, and say which.
func TestPlotOfSeveralSeries(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,a,b\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 300 {
		v := 20 + 3*math.Sin(2*math.Pi*float64(i)/24) + 0.5*math.Sin(float64(i)*1.7)
		fmt.Fprintf(&b, "%s,%.4f,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), v, 2*v)
	}
	data := writeFile(t, "two.csv", b.String())
	dir := t.TempDir()
	flags := append([]string{"--target", "a,b"}, smallFit[2:]...)
	out := mustRun(t, 0, append([]string{"fit", data, "--db", filepath.Join(dir, "f.db"), "--plot", filepath.Join(dir, "fit.png")}, flags...)...)
	if want := "fit.png (series a, the first of 2)\n"; !strings.Contains(out, want) {
		t.Errorf("fit output lacks %q:\n%s", want, out)
	}
	_, _, errOut := run(t, append([]string{"backtest", data, "--folds", "1", "--plot", filepath.Join(dir, "bt.png")}, flags...)...)
	if want := "bt.png (series two/a, the first of 2)\n"; !strings.Contains(errOut, want) {
		t.Errorf("backtest stderr lacks %q:\n%s", want, errOut)
	}
}

// TestFitNamesUnconfirmedSeason: a season all the values show but those
// before the test part do not (it starts late) is not used, and fit says
// so, naming --season; given, it is used without a word.
func TestFitNamesUnconfirmedSeason(t *testing.T) {
	var b strings.Builder
	b.WriteString("month,y\n")
	state := uint32(7)
	for i := range 120 {
		state = state*1664525 + 1013904223
		v := 100 + 10*(float64(state>>8)/(1<<24)-0.5)
		if i >= 80 {
			v += 30 * math.Sin(2*math.Pi*float64(i)/12)
		}
		fmt.Fprintf(&b, "%d-%02d-01,%.3f\n", 1990+i/12, i%12+1, v)
	}
	data := writeFile(t, "late.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	note := "season 1: the values before the test part do not confirm the season of 12 that all of them show (as inspect reads them); give --season 12 to use it"
	if code, out, errOut := run(t, "fit", data, "--target", "y", "--db", db); code != 0 || !strings.Contains(errOut, note) || !strings.Contains(out, "season 1,") {
		t.Errorf("fit: exit %d\n%s%s\nwant season 1 and the note", code, out, errOut)
	}
	if code, out, errOut := run(t, "fit", data, "--target", "y", "--season", "12", "--db", db); code != 0 || strings.Contains(errOut, "confirm") || !strings.Contains(out, "season 12,") {
		t.Errorf("fit --season 12: exit %d\n%s%s\nwant season 12 and no note", code, out, errOut)
	}
}

// TestFitWithoutTarget: a file whose one column of numbers is the series
// is fitted without --target, as "forecast fit data.csv" promises, with a
// note naming it.
func TestFitWithoutTarget(t *testing.T) {
	var b strings.Builder
	b.WriteString("month,sales\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d-%02d-01,%d\n", 2000+i/12, i%12+1, 100+i+10*(i%12))
	}
	data := writeFile(t, "sales.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "fit", data, "--epochs", "1", "--hidden", "4", "--db", db)
	if code != 0 || !strings.Contains(errOut, `target "sales", its one column of numbers`) || !strings.Contains(out, "target sales, 60 rows") {
		t.Errorf("fit without --target: exit %d\n%s%s", code, out, errOut)
	}
	// --series names the series without --target: a wide file's column,
	// a long file's series of its one column of numbers.
	var wide, long strings.Builder
	wide.WriteString("month,north,south\n")
	long.WriteString("shop,month,sales\n")
	for i := range 60 {
		month := fmt.Sprintf("%d-%02d-01", 2000+i/12, i%12+1)
		fmt.Fprintf(&wide, "%s,%d,%d\n", month, 100+i+10*(i%12), 300-i+7*(i%12))
		fmt.Fprintf(&long, "north,%s,%d\nsouth,%s,%d\n", month, 100+i+10*(i%12), month, 300-i+7*(i%12))
	}
	for _, args := range [][]string{
		{writeFile(t, "wide.csv", wide.String())},
		{writeFile(t, "long.csv", long.String()), "--id", "shop"},
	} {
		args = append([]string{"fit"}, append(args, "--series", "south", "--epochs", "1", "--hidden", "4", "--db", db)...)
		if code, out, errOut := run(t, args...); code != 0 || !strings.Contains(out, "south") || !strings.Contains(out, "60 rows") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	// A long file without --id: --series names no column there, and the
	// message says how a long file's series are named.
	code, _, errOut = run(t, "fit", writeFile(t, "long.csv", long.String()), "--series", "south", "--db", db)
	if code != 2 || !strings.Contains(errOut, `--series "south": without --target it names a column`) || !strings.Contains(errOut, "needs --id") {
		t.Errorf("fit of a long file --series without --id: exit %d\n%s", code, errOut)
	}
}

// TestFitWithoutIntervals: --level "" is no intervals, as the flag's help
// says: none printed, none stored, none in the version's settings.
func TestFitWithoutIntervals(t *testing.T) {
	var b strings.Builder
	b.WriteString("month,sales\n")
	for i := range 60 {
		fmt.Fprintf(&b, "%d-%02d-01,%d\n", 2000+i/12, i%12+1, 100+i+10*(i%12)+(i*7)%5)
	}
	data := writeFile(t, "sales.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "fit", data, "--target", "sales", "--level", "", "--epochs", "1", "--hidden", "4", "--name", "s", "--db", db)
	if code != 0 || strings.Contains(out, "interval") {
		t.Errorf("fit --level \"\": exit %d, intervals printed:\n%s%s", code, out, errOut)
	}
	if out := mustRun(t, 0, "models", "show", "s", "--db", db); !strings.Contains(out, "levels -") {
		t.Errorf("models show of a fit without intervals:\n%s", out)
	}
	out = mustRun(t, 0, "forecasts", "--model", "s", "--format", "csv", "--db", db)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("forecasts csv: %v\n%s", err, out)
	}
	for _, row := range rows[1:] {
		for i, col := range rows[0] {
			if strings.HasPrefix(col, "lower") && row[i] != "" {
				t.Fatalf("forecast with an interval stored: %s = %s", col, row[i])
			}
		}
	}
}
