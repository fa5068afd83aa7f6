package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app"
	"github.com/forecast-dev/forecast/forecast"
)

// mustRun runs the forecast command and fails the test unless it exits with
// code want; it returns standard output.
func mustRun(t *testing.T, want int, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, args...)
	if code != want {
		t.Fatalf("forecast %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	if want != 0 {
		return errOut
	}
	return out
}

// countRows returns "runs=N model_versions=N forecasts=N actuals=N" of the
// database at path.
func countRows(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var parts []string
	for _, table := range []string{"runs", "model_versions", "forecasts", "actuals"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(parts, " ")
}

// writeHead writes the header and the first n rows of the CSV at path to a
// new file and returns its path.
func writeHead(t *testing.T, path string, n int) string {
	t.Helper()
	lines := strings.SplitAfter(string(mustRead(t, path)), "\n")
	return writeFile(t, fmt.Sprintf("head%d.csv", n), strings.Join(lines[:n+1], ""))
}

func TestModelsCommands(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db, "--name", "load"}, smallFit...)...)

	// A refit takes the parent's hyper-parameters unless given, its name,
	// and its column (it said: Required flag "target" not set).
	out := mustRun(t, 0, "fit", data, "--db", db, "--refit", "load@1", "--epochs", "2")
	if !strings.Contains(out, "model: GRU 2 x 5, lookback 12, horizon 6") || !strings.Contains(out, "stored model load@2") {
		t.Fatalf("refit:\n%s", out)
	}
	var show struct {
		Params  struct{ Lookback, Epochs int }
		Metrics struct {
			History []struct{ Epoch int }
		}
	}
	out = mustRun(t, 0, "models", "show", "load@2", "--format", "json", "--db", db)
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"parent": "load@1"`) || show.Params.Lookback != 12 || show.Params.Epochs != 2 || len(show.Metrics.History) == 0 {
		t.Fatalf("models show load@2:\n%s", out)
	}

	if got, want := mustRun(t, 0, "models", "promote", "load@1", "--alias", "champion", "--db", db), "load@champion is version 1 (new alias)\n"; got != want {
		t.Fatalf("promote: %q, want %q", got, want)
	}
	if got, want := mustRun(t, 0, "models", "tag", "load@champion", "owner=ops", "stage=test", "--db", db), "load@1 tags: owner=ops, stage=test\n"; got != want {
		t.Fatalf("tag: %q, want %q", got, want)
	}
	// A control character would print as another tag or drive the terminal.
	if code, _, errOut := run(t, "models", "tag", "load@1", "k\x01=v", "--db", db); code != 2 || !strings.Contains(errOut, "without control characters") {
		t.Errorf("a tag with a control character: exit %d, %q; want 2", code, errOut)
	}
	if got, want := mustRun(t, 0, "models", "tag", "load@1", "--delete", "stage", "--db", db), "load@1 tags: owner=ops\n"; got != want {
		t.Fatalf("tag --delete: %q, want %q", got, want)
	}
	out = mustRun(t, 0, "models", "show", "load@champion", "--db", db)
	for _, want := range []string{"model:     load@1\n", "aliases:   champion\n", "tags:      owner=ops\n", "parent:    -\n",
		"series load/load, 300 rows, hourly, 2024-01-01 to 2024-01-13 11:00", "params:    target load, lookback 12, horizon 6",
		"protocol v1, window norm none, transform none, ensemble 1, fallback none, levels 80,95\n", "test metrics over", "seasonal naive", "forecasts: 6 stored"} {
		if !strings.Contains(out, want) {
			t.Errorf("models show lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, 0, "models", "list", "--db", db)
	if !strings.Contains(out, "load   1        champion") || !strings.Contains(out, "load   2        -") {
		t.Errorf("models list:\n%s", out)
	}
	out = mustRun(t, 0, "forecasts", "--model", "load@champion", "--format", "csv", "--db", db)
	if n := strings.Count(out, ",load,1,load/load,"); n != 6 {
		t.Errorf("forecasts of load@champion: %d rows of version 1, want 6:\n%s", n, out)
	}

	// rm refuses an aliased version, then one with forecasts.
	if errOut := mustRun(t, 6, "models", "rm", "load@1", "--db", db); !strings.Contains(errOut, "aliased as champion") {
		t.Errorf("rm of an aliased version: %s", errOut)
	}
	if got, want := mustRun(t, 0, "models", "promote", "load", "--alias", "champion", "--remove", "--db", db), "removed load@champion (it named version 1)\n"; got != want {
		t.Fatalf("promote --remove: %q, want %q", got, want)
	}
	if errOut := mustRun(t, 6, "models", "rm", "load@1", "--db", db); !strings.Contains(errOut, "has 6 stored forecasts") {
		t.Errorf("rm of a version with forecasts: %s", errOut)
	}
	if got, want := mustRun(t, 0, "models", "rm", "load@1", "--cascade", "--db", db), "deleted load@1 and its 6 forecasts\n"; got != want {
		t.Fatalf("rm --cascade: %q, want %q", got, want)
	}
	if got, want := countRows(t, db), "runs=2 model_versions=1 forecasts=6 actuals=0"; got != want {
		t.Fatalf("after rm: %s, want %s", got, want)
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"models", "show", "load@1"}, 4, `model "load" has no version 1`},
		{[]string{"models", "show", "load@staging"}, 4, `model "load" has no alias "staging"`},
		{[]string{"models", "export", "nothing"}, 4, `model "nothing" not found`},
		{[]string{"models", "rm", "load"}, 2, "NAME@VERSION"},
		{[]string{"models", "promote", "load@2", "--alias", "7up"}, 2, "must start with a letter"},
		{[]string{"models", "promote", "load@2", "--alias", "latest"}, 2, "reserved"},
		{[]string{"models", "promote", "load", "--alias", "x"}, 2, "NAME@VERSION"},
		{[]string{"models", "tag", "load@2", "novalue"}, 2, "KEY=VALUE"},
		{[]string{"models", "list", "--format", "xml"}, 2, "--format must be table or json"},
	} {
		if errOut := mustRun(t, tt.code, append(tt.args, "--db", db)...); !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: %q lacks %q", tt.args, errOut, tt.want)
		}
	}
	// NAME@latest is the newest version.
	if out := mustRun(t, 0, "models", "show", "load@latest", "--db", db); !strings.Contains(out, "model:     load@2\n") {
		t.Errorf("load@latest:\n%s", out)
	}
}

func TestPredictActualsAccuracy(t *testing.T) {
	full := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	// The three files are one series: --series-id names it so.
	mustRun(t, 0, append([]string{"fit", writeHead(t, full, 250), "--series-id", "load", "--db", db, "--name", "load"}, smallFit...)...)

	// predict reads --target from the model and forecasts after the last row.
	out := mustRun(t, 0, "predict", "--model", "load", writeHead(t, full, 260), "--series-id", "load", "--db", db)
	for _, want := range []string{"model: load@1, lookback 12, horizon 6, trained on load (250 rows, hourly, to 2024-01-11 09:00)",
		"forecast of load by gru after 2024-01-11 19:00:", "2024-01-12 01:00", "stored 6 forecasts of load by load@1 (run 2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("predict output lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, 0, "forecasts", "--run", "latest", "--db", db)
	if !strings.Contains(out, "2    load@1  load    2024-01-11 19:00  1     2024-01-11 20:00") || strings.Count(out, "\n") != 7 {
		t.Errorf("forecasts --run latest:\n%s", out)
	}

	// Rejected input writes nothing.
	before := countRows(t, db)
	daily := writeFile(t, "daily.csv", "date,load\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-04,4\n2024-01-05,5\n"+
		"2024-01-06,6\n2024-01-07,7\n2024-01-08,8\n2024-01-09,9\n2024-01-10,10\n2024-01-11,11\n2024-01-12,12\n2024-01-13,13\n")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"predict", "--model", "load", writeHead(t, full, 11)}, 3, "the model reads the last 12 values (its lookback), but the input has only 11 rows"},
		{[]string{"predict", "--model", "load", daily}, 3, "the data is daily, but model load@1 was trained on hourly data"},
		{[]string{"predict", "--model", "load", "--target", "x", writeFile(t, "x.csv", "date,x\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n")}, 3, `the model reads the feature "load", but the input's target is "x"`},
		{[]string{"predict", "--model", "nothing", full}, 4, `model "nothing" not found`},
		{[]string{"predict", full}, 2, "model"},
		{[]string{"actuals", "--target", "load", writeFile(t, "steps.csv", "load\n1\n2\n")}, 3, "actuals need a time column"},
	} {
		if errOut := mustRun(t, tt.code, append(tt.args, "--db", db)...); !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: %q lacks %q", tt.args, errOut, tt.want)
		}
	}
	if got := countRows(t, db); got != before {
		t.Fatalf("rejected commands wrote: %s, before %s", got, before)
	}

	if out := mustRun(t, 0, "accuracy", "--db", db); !strings.Contains(out, "no stored forecast has an actual yet") {
		t.Errorf("accuracy before actuals:\n%s", out)
	}
	out = mustRun(t, 0, "actuals", full, "--target", "load", "--series-id", "load", "--db", db)
	for _, want := range []string{"stored 300 actuals of load, 0 of them replacing earlier values (run 3)",
		"12 stored forecasts of load (1 model version) have actuals"} {
		if !strings.Contains(out, want) {
			t.Errorf("actuals output lacks %q:\n%s", want, out)
		}
	}
	if out := mustRun(t, 0, "actuals", writeHead(t, full, 10), "--target", "load", "--series-id", "load", "--db", db); !strings.Contains(out, "stored 0 actuals of load, 0 of them replacing earlier values; 10 recorded already, the same") {
		t.Errorf("actuals again, the same:\n%s", out)
	}
	// One observation at a time is enough (no frequency to infer).
	content, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(content), "\n")
	one := writeFile(t, "one.csv", lines[0]+"\n"+lines[251]+"\n")
	if out := mustRun(t, 0, "actuals", one, "--target", "load", "--series-id", "load", "--db", db); !strings.Contains(out, "1 row, 2024-01-11 10:00\nstored 0 actuals of load, 0 of them replacing earlier values; 1 recorded already") {
		t.Errorf("actuals of one row:\n%s", out)
	}

	// The realised MAE and MASE, recomputed here from the stored forecasts
	// and the CSV: each forecast's error scaled by the mean absolute
	// seasonal difference (season 24) of the values it was made from, the
	// 250 rows of the fit or the 260 of the predict.
	var fcs []struct {
		Origin  string
		Time    string
		Value   float64
		Lower   *float64 `json:"lower_95"`
		Upper   *float64 `json:"upper_95"`
		Lower80 *float64 `json:"lower_80"`
		Upper80 *float64 `json:"upper_80"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "forecasts", "--model", "load", "--format", "json", "--db", db)), &fcs); err != nil {
		t.Fatal(err)
	}
	actual, rows := map[string]float64{}, map[string]int{}
	var values []float64
	for i, line := range strings.Split(strings.TrimSpace(string(mustRead(t, full))), "\n")[1:] {
		var v float64
		date, value, _ := strings.Cut(line, ",")
		fmt.Sscanf(value, "%g", &v)
		tm, _ := time.Parse("2006-01-02 15:04:05", date)
		actual[tm.Format(time.RFC3339)], rows[tm.Format(time.RFC3339)] = v, i+1
		values = append(values, v)
	}
	var sum, sumScaled, covered, covered80 float64
	for _, f := range fcs {
		a := actual[f.Time]
		scale, err := forecast.MASEScale(values[:rows[f.Origin]], 24)
		if err != nil || (rows[f.Origin] != 250 && rows[f.Origin] != 260) {
			t.Fatalf("forecast from %s (row %d): %v", f.Origin, rows[f.Origin], err)
		}
		sum += math.Abs(f.Value - a)
		sumScaled += math.Abs(f.Value-a) / scale
		if f.Lower == nil || f.Upper == nil || f.Lower80 == nil || f.Upper80 == nil {
			t.Fatalf("forecast for %s lacks its 80 %% or 95 %% interval", f.Time)
		}
		if *f.Lower <= a && a <= *f.Upper {
			covered++
		}
		if *f.Lower80 <= a && a <= *f.Upper80 {
			covered80++
		}
	}
	wantMAE := sum / float64(len(fcs))
	wantCoverage := covered / float64(len(fcs))
	wantMASE := sumScaled / float64(len(fcs))
	var accs []struct {
		Model     string
		Version   int
		Series    string
		Forecasts int
		MAE       float64
		MASE      *float64
		Coverage  *float64
		// Coverage80 and Coverage95 are those of the 80 % and 95 %
		// intervals; the widest, Coverage, is the 95 %.
		Coverage80 *float64 `json:"coverage_80"`
		Coverage95 *float64 `json:"coverage_95"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "accuracy", "--model", "load", "--format", "json", "--db", db)), &accs); err != nil {
		t.Fatal(err)
	}
	if len(accs) != 1 || accs[0].Forecasts != 12 || len(fcs) != 12 || accs[0].Coverage == nil || accs[0].MASE == nil {
		t.Fatalf("accuracy=%+v over %d forecasts", accs, len(fcs))
	}
	if got := *accs[0].Coverage; got != wantCoverage {
		t.Errorf("coverage %v, want %v", got, wantCoverage)
	}
	if a := accs[0]; a.Coverage95 == nil || *a.Coverage95 != wantCoverage || a.Coverage80 == nil || *a.Coverage80 != covered80/float64(len(fcs)) {
		t.Errorf("coverage_80, coverage_95 = %v, %v; want %v, %v", a.Coverage80, a.Coverage95, covered80/float64(len(fcs)), wantCoverage)
	}
	if a := accs[0]; math.Abs(a.MAE-wantMAE) > 1e-9*wantMAE || math.Abs(*a.MASE-wantMASE) > 1e-9*wantMASE {
		t.Fatalf("MAE, MASE=%v, %v, want %v, %v", a.MAE, *a.MASE, wantMAE, wantMASE)
	}
	out = mustRun(t, 0, "accuracy", "--db", db)
	if !strings.HasPrefix(out, "MODEL  VERSION  SERIES  FORECASTS  MAE") || !strings.Contains(out, "2024-01-11 10:00  2024-01-12 01:00") {
		t.Errorf("accuracy table:\n%s", out)
	}
	if got, want := countRows(t, db), "runs=5 model_versions=1 forecasts=12 actuals=300"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}

	// Without --series-id the actuals are those of the file's series, which
	// has no forecasts; actuals names the series that has.
	if code, out, errOut := run(t, "actuals", full, "--target", "load", "--db", db); code != 0 ||
		!strings.Contains(out, "stored 300 actuals of load/load, 0 of them replacing") ||
		!strings.Contains(out, "no stored forecast of load/load is for these times yet: forecast accuracy scores them once one is") ||
		!strings.Contains(errOut, `note: forecasts of load are stored as "load": to score them, record the actuals with --series-id load`) {
		t.Errorf("actuals without --series-id: exit %d\n%s%s", code, out, errOut)
	}
	// With a --series-id that has no forecasts, the note says it is not it.
	if _, _, errOut := run(t, "actuals", full, "--target", "load", "--series-id", "lode", "--db", db); !strings.Contains(errOut, "--series-id load (not lode)") {
		t.Errorf("actuals with --series-id lode:\n%s", errOut)
	}
}

// TestActualsOffForecastTimes: actuals dated half an hour off the times
// forecast (as month ends are off month starts) score nothing, and are
// told so: forecasts of the series are stored for other times among them.
func TestActualsOffForecastTimes(t *testing.T) {
	data := writeSeries(t, 200)
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db}, smallFit...)...)
	out := mustRun(t, 0, "forecasts", "--format", "csv", "--db", db)
	first := strings.Split(strings.Split(out, "\n")[1], ",")
	at, err := time.Parse(time.RFC3339, first[slices.Index(strings.Split(strings.Split(out, "\n")[0], ","), "time")])
	if err != nil {
		t.Fatalf("forecasts csv:\n%s", out)
	}
	var b strings.Builder
	b.WriteString("time,load\n")
	for k := range 3 {
		fmt.Fprintf(&b, "%s,%d\n", at.Add(time.Duration(k)*time.Hour+30*time.Minute).Format(time.RFC3339), k)
	}
	off := filepath.Join(t.TempDir(), "off.csv")
	if err := os.WriteFile(off, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("no stored forecast of load/load is for these times, though some are for times near them (%s)", at.Format("2006-01-02 15:04"))
	if code, out, errOut := run(t, "actuals", off, "--target", "load", "--series-id", "load/load", "--db", db); code != 0 || !strings.Contains(out, want) {
		t.Errorf("actuals off the forecasts' times: exit %d, want %q\n%s%s", code, want, out, errOut)
	}
	// One actual, as recorded month by month, is told so too.
	one := filepath.Join(t.TempDir(), "one.csv")
	if err := os.WriteFile(one, []byte("time,load\n"+at.Add(90*time.Minute).Format(time.RFC3339)+",1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want = fmt.Sprintf("though some are for times near them (%s)", at.Add(time.Hour).Format("2006-01-02 15:04"))
	if code, out, errOut := run(t, "actuals", one, "--target", "load", "--series-id", "load/load", "--db", db); code != 0 || !strings.Contains(out, want) {
		t.Errorf("one actual off the forecasts' times: exit %d, want %q\n%s%s", code, want, out, errOut)
	}
	// Actuals of times no forecast is near are for times not forecast yet.
	later := filepath.Join(t.TempDir(), "later.csv")
	if err := os.WriteFile(later, []byte("time,load\n"+at.AddDate(0, 1, 0).Format(time.RFC3339)+",1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := run(t, "actuals", later, "--target", "load", "--series-id", "load/load", "--db", db); !strings.Contains(out, "is for these times yet") {
		t.Errorf("an actual a month after the forecasts:\n%s", out)
	}
}

func TestForecastsFilters(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db, "--name", "load"}, smallFit...)...)
	// The same series, forecast again from an older origin.
	mustRun(t, 0, "predict", "--model", "load@1", writeHead(t, data, 200), "--series-id", "load/load", "--db", db)

	for _, tt := range []struct {
		args []string
		rows int
	}{
		{nil, 12},
		{[]string{"--run", "1"}, 6},
		{[]string{"--run", "latest"}, 6},
		{[]string{"--series", "load/load"}, 12},
		{[]string{"--series", "load"}, 0},
		{[]string{"--latest"}, 6},
		{[]string{"--latest", "--run", "2"}, 0},
		{[]string{"--since", "2024-01-13 15:00"}, 3},
		{[]string{"--since", "2024-01-09T10:00:00Z", "--run", "2"}, 4},
	} {
		out := mustRun(t, 0, append([]string{"forecasts", "--format", "csv", "--db", db}, tt.args...)...)
		if n := strings.Count(out, "\n") - 1; n != tt.rows {
			t.Errorf("forecasts %v: %d rows, want %d:\n%s", tt.args, n, tt.rows, out)
		}
		if !strings.HasPrefix(out, "run,model,version,series,origin,time,step,value,method,lower_80,upper_80,lower_95,upper_95\n") {
			t.Errorf("csv header: %s", out)
		}
		if len(tt.args) == 1 && tt.args[0] == "--latest" && strings.Count(out, "\n1,load,1,load/load,2024-01-13T11:00:00Z,") != 6 {
			t.Errorf("forecasts --latest: want the 6 of run 1, from the newest origin:\n%s", out)
		}
	}
	// A filter that matches nothing says so on standard error.
	if code, out, errOut := run(t, "forecasts", "--series", "other", "--db", db); code != 0 || out != "" ||
		errOut != "note: no stored forecast matches --series other\n" {
		t.Errorf("forecasts --series other: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// --level picks the interval columns.
	out := mustRun(t, 0, "forecasts", "--level", "80", "--run", "1", "--db", db)
	if !strings.HasPrefix(out, "RUN  MODEL   SERIES     ORIGIN            STEP  TIME              VALUE    LOWER_80") || strings.Contains(out, "_95") {
		t.Errorf("forecasts --level 80:\n%s", out)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--run", "x"}, "--run must be a run ID or latest"},
		{[]string{"--since", "yesterday"}, "--since"},
		{[]string{"--format", "xml"}, "--format must be table, csv or json"},
	} {
		if errOut := mustRun(t, 2, append([]string{"forecasts", "--db", db}, tt.args...)...); !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: %q lacks %q", tt.args, errOut, tt.want)
		}
	}
	// A second version fitted on fewer hours forecasts none of the last
	// ones: the first version's forecasts for them are named.
	mustRun(t, 0, append([]string{"fit", writeHead(t, data, 200), "--db", db, "--name", "load"}, smallFit...)...)
	for _, args := range [][]string{{"--since", "2024-01-13 15:00"}, {"--model", "load", "--since", "2024-01-13 15:00"}} {
		if code, out, errOut := run(t, append([]string{"forecasts", "--db", db}, args...)...); code != 0 || out != "" ||
			!strings.Contains(errOut, "note: forecasts of older versions match (load@1): give --model load@1") {
			t.Errorf("forecasts %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// cancelWriter cancels a context the first time its output holds "epoch".
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	cancel context.CancelFunc
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if bytes.Contains(p, []byte("epoch")) {
		w.cancel()
	}
	return w.buf.Write(p)
}

// A fit interrupted during training records a failed run and nothing else.
func TestFitInterruptedRecordsFailedRun(t *testing.T) {
	data := writeSeries(t, 300)
	path := filepath.Join(t.TempDir(), "f.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	errOut := &cancelWriter{cancel: cancel}
	a := &app.App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: errOut, Version: "test"}
	code := a.Run(ctx, append([]string{"fit", data, "--db", path, "--name", "load"}, smallFit...))
	if want := "forecast: interrupted: no model or forecast is stored (context canceled)\n"; code != app.ExitInternal || !strings.HasSuffix(errOut.buf.String(), want) {
		t.Fatalf("interrupted fit: exit %d\n%s", code, errOut.buf.String())
	}
	if got, want := countRows(t, path), "runs=1 model_versions=0 forecasts=0 actuals=0"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var command, status, msg, version, args string
	if err := db.QueryRow(`SELECT command, status, error, program_version, args FROM runs`).Scan(&command, &status, &msg, &version, &args); err != nil {
		t.Fatal(err)
	}
	if command != "fit" || status != "failed" || msg != "interrupted: no model or forecast is stored (context canceled)" || version != "test" || !strings.Contains(args, `"--name=load"`) {
		t.Fatalf("run: %s %s %q %s %s", command, status, msg, version, args)
	}
}

// TestFitRefusedLeavesNoDatabase: a fit whose data the model refuses (a
// value below zero under --transform log, found after the database was
// opened) creates no database where none was: it used to leave an empty
// one, with the whole schema and no run. The message names the value's time.
func TestFitRefusedLeavesNoDatabase(t *testing.T) {
	data := writeFile(t, "neg.csv", "date,load\n"+strings.Join(func() []string {
		var rows []string
		for i := range 120 {
			v := 10 + float64(i%24)
			if i == 30 {
				v = -0.5
			}
			rows = append(rows, fmt.Sprintf("%s,%g", time.Date(2024, 1, 1, i, 0, 0, 0, time.UTC).Format("2006-01-02 15:04"), v))
		}
		return rows
	}(), "\n")+"\n")
	path := filepath.Join(t.TempDir(), "new.db")
	args := append([]string{"fit", data, "--db", path}, smallFit...)
	args = append(args, "--transform", "log")
	code, _, errOut := run(t, args...)
	if want := `series "load" has the value -0.5 (2024-01-02 06:00): the log transform needs positive values`; code != app.ExitData || !strings.Contains(errOut, want) {
		t.Errorf("fit --transform log of a negative value: exit %d, %q; want %d and %q", code, errOut, app.ExitData, want)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused fit left %s: %v", path, err)
	}
}

// TestActualsFillNothing: actuals stores the values in the file and no
// other: a gap stays a gap (nothing is interpolated into it, nor replaces
// an observed value there), a row without a value is left out (refused
// where the file has no times), and --fill is not a flag of actuals.
func TestActualsFillNothing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	first := writeFile(t, "first.csv", "date,load\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-04,4\n")
	mustRun(t, 0, "actuals", first, "--target", "load", "--series-id", "load", "--db", db)
	gap := writeFile(t, "gap.csv", "date,load\n2024-01-01,10\n2024-01-02,20\n2024-01-04,40\n")
	mustRun(t, 0, "actuals", gap, "--target", "load", "--series-id", "load", "--db", db)
	got := queryStrings(t, db, `SELECT substr(time, 1, 10) || '=' || value FROM actuals ORDER BY time`)
	if want := []string{"2024-01-01=10.0", "2024-01-02=20.0", "2024-01-03=3.0", "2024-01-04=40.0"}; !slices.Equal(got, want) {
		t.Errorf("actuals %v, want %v: the observed 3 kept where the second file has a gap", got, want)
	}
	// A row without a value is left out, in each series of a file apart:
	// the times the series share are not shifted.
	missing := writeFile(t, "missing.csv", "date,load,temp\n2024-01-05,5,-1\n2024-01-06,,-2\n2024-01-07,7,NA\n")
	if code, _, errOut := run(t, "actuals", missing, "--target", "load,temp", "--db", db); code != 0 || !strings.Contains(errOut, `series "load": 1 missing value: 1 row without a value left out`) {
		t.Errorf("a missing value: exit %d, %q, want 0 and a note of the row left out", code, errOut)
	}
	got = queryStrings(t, db, `SELECT series || ' ' || substr(time, 1, 10) || '=' || value FROM actuals WHERE series LIKE 'missing/%' ORDER BY series, time`)
	if want := []string{"missing/load 2024-01-05=5.0", "missing/load 2024-01-07=7.0", "missing/temp 2024-01-05=-1.0", "missing/temp 2024-01-06=-2.0"}; !slices.Equal(got, want) {
		t.Errorf("actuals with missing values %v, want %v", got, want)
	}
	untimed := writeFile(t, "untimed.csv", "load\n5\nNA\n7\n")
	if code, _, errOut := run(t, "actuals", untimed, "--target", "load", "--db", db); code != 3 || !strings.Contains(errOut, "only where the file has a time column") {
		t.Errorf("a missing value without times: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "actuals", gap, "--target", "load", "--fill", "linear", "--db", db); code != 2 || !strings.Contains(errOut, "-fill") {
		t.Errorf("actuals --fill: exit %d, %q", code, errOut)
	}
}

// queryStrings returns the text of the first column of query's rows in
// the database at path.
func queryStrings(t *testing.T, path, query string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAccuracyOwnScale: the realised MASE of each series of a model fitted
// on two is scaled by that series' own history. Every series was divided
// by the version's mase_scale, that of the first (shop "big", ten
// thousand units), which made the MASE of shop "small" (ten units) a
// thousand times too small. A forecast stored twice (predict run twice
// on the same data) counts once.
func TestAccuracyOwnScale(t *testing.T) {
	var all, head strings.Builder
	all.WriteString("shop,date,sales\n")
	head.WriteString("shop,date,sales\n")
	values := map[string][]float64{}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, shop := range []struct {
		name  string
		level float64
	}{{"big", 10000}, {"small", 10}} {
		for i := range 200 {
			v := shop.level * (1 + 0.1*math.Sin(2*math.Pi*float64(i)/24) + 0.02*math.Sin(float64(i)*1.7))
			line := fmt.Sprintf("%s,%s,%.4f\n", shop.name, t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04:05"), v)
			all.WriteString(line)
			if i < 150 {
				head.WriteString(line)
			}
			var rounded float64
			fmt.Sscanf(fmt.Sprintf("%.4f", v), "%g", &rounded)
			values[shop.name] = append(values[shop.name], rounded)
		}
	}
	db := filepath.Join(t.TempDir(), "f.db")
	fit := append([]string{"fit", writeFile(t, "head.csv", head.String()), "--id", "shop", "--db", db, "--name", "shops"}, smallFit...)
	fit[slices.Index(fit, "load")] = "sales"
	mustRun(t, 0, fit...)
	full := writeFile(t, "all.csv", all.String())
	for _, shop := range []string{"big", "small"} {
		mustRun(t, 0, "actuals", full, "--id", "shop", "--target", "sales", "--series", shop, "--series-id", "head/"+shop, "--db", db)
	}

	accuracy := func() map[string][2]float64 { // series -> forecasts, MASE
		var accs []struct {
			Series    string
			Forecasts int
			MAE       float64
			MASE      *float64
		}
		if err := json.Unmarshal([]byte(mustRun(t, 0, "accuracy", "--model", "shops", "--format", "json", "--db", db)), &accs); err != nil {
			t.Fatal(err)
		}
		got := map[string][2]float64{}
		for _, a := range accs {
			if a.MASE == nil {
				t.Fatalf("%s: no MASE", a.Series)
			}
			got[a.Series] = [2]float64{float64(a.Forecasts), *a.MASE}
		}
		return got
	}
	got := accuracy()
	var fcs []struct {
		Series string
		Time   string
		Value  float64
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "forecasts", "--model", "shops", "--format", "json", "--db", db)), &fcs); err != nil {
		t.Fatal(err)
	}
	for _, shop := range []string{"big", "small"} {
		scale, err := forecast.MASEScale(values[shop][:150], 24)
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		var n int
		for _, f := range fcs {
			if f.Series != "head/"+shop {
				continue
			}
			tm, _ := time.Parse(time.RFC3339, f.Time)
			sum += math.Abs(f.Value - values[shop][int(tm.Sub(t0)/time.Hour)])
			n++
		}
		want := sum / float64(n) / scale
		if g := got["head/"+shop]; n != 6 || g[0] != 6 || math.Abs(g[1]-want) > 1e-9*want {
			t.Errorf("%s: %v forecasts, MASE %v; want 6, %v (%d forecasts stored)", shop, g[0], g[1], want, n)
		}
	}

	// The same forecasts again, from the same origin by the same version:
	// stored by a second run, counted once.
	predict := []string{"predict", "--model", "shops", writeFile(t, "head.csv", head.String()), "--id", "shop", "--db", db}
	mustRun(t, 0, append(predict, "--series", "big")...)
	if again := accuracy(); again["head/big"] != got["head/big"] {
		t.Errorf("after predicting again from the same origin: %v, want %v", again["head/big"], got["head/big"])
	}
}

// TestModelsShowWithoutTest: a network fitted on a series too short for a
// test part was shown with "test metrics over 0 windows" and every score
// 0.0000, a perfect score it never had; fit says there is none, and so
// does models show now.
func TestModelsShowWithoutTest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	data := writeFile(t, "short3.csv", "date,y\n2020-01-01,10\n2020-01-02,12\n2020-01-03,11\n")
	mustRun(t, 0, "fit", data, "--target", "y", "--db", db, "--epochs", "2", "--ensemble", "1")
	out := mustRun(t, 0, "models", "show", "short3", "--db", db)
	if !strings.Contains(out, "training:") || !strings.Contains(out, "test:      none") || strings.Contains(out, "test metrics over") {
		t.Errorf("models show of a network without a test part:\n%s", out)
	}
}

// TestPredictOtherMonthAnchor: a model of month-end data refused the same
// months dated on their first days ("the data is monthly, but model was
// trained on monthly (end) data"); the steps are the same, and the
// forecast is dated as the data are. Another step is still refused.
func TestPredictOtherMonthAnchor(t *testing.T) {
	var ends, starts, quarters strings.Builder
	for _, b := range []*strings.Builder{&ends, &starts, &quarters} {
		b.WriteString("date,y\n")
	}
	for i := range 48 {
		month := time.Date(2019, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
		y := 100 + 10*math.Sin(float64(i)*math.Pi/6) + float64(i)
		fmt.Fprintf(&ends, "%s,%.2f\n", month.AddDate(0, 1, -1).Format("2006-01-02"), y)
		fmt.Fprintf(&starts, "%s,%.2f\n", month.Format("2006-01-02"), y)
		fmt.Fprintf(&quarters, "%s,%.2f\n", month.AddDate(0, 2*i, 0).Format("2006-01-02"), y)
	}
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "fit", writeFile(t, "ends.csv", ends.String()), "--target", "y", "--db", db, "--name", "m", "--epochs", "1", "--ensemble", "1")
	mustRun(t, 0, "predict", writeFile(t, "starts.csv", starts.String()), "--target", "y", "--db", db, "--model", "m")
	if n := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 'starts/y' AND time LIKE '2023-%-01T00:00:00Z'`); n < 12 {
		t.Errorf("%d forecasts of the month-start data on the first of 2023's months", n)
	}
	if code, _, errOut := run(t, "predict", writeFile(t, "quarters.csv", quarters.String()), "--target", "y", "--db", db, "--model", "m"); code != 3 ||
		!strings.Contains(errOut, "the data is quarterly, but model m@1 was trained on monthly (end) data") {
		t.Errorf("quarterly data: exit %d, %s", code, errOut)
	}
}

// A version of a batch that never finished (killed after training) is
// marked in models list and show, and NAME means the version before it.
func TestUnfinishedVersionMarked(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	for range 2 {
		mustRun(t, 0, append([]string{"fit", data, "--db", db, "--name", "load"}, smallFit...)...)
	}
	// load@2 as a batch killed after storing it leaves it.
	mustExec(t, db, `UPDATE runs SET command = 'batch', finished_at = NULL, status = 'failed' WHERE id = 2`)
	out := mustRun(t, 0, "models", "list", "--db", db)
	if !strings.Contains(out, "load   2*") || !strings.Contains(out, "* of a batch that has not finished (running, or killed)") {
		t.Errorf("models list:\n%s", out)
	}
	if out := mustRun(t, 0, "models", "show", "load@2", "--db", db); !strings.Contains(out, "that batch has not finished (running, or killed): not the model's newest") {
		t.Errorf("models show load@2:\n%s", out)
	}
	if out := mustRun(t, 0, "models", "show", "load", "--db", db); !strings.Contains(out, "model:     load@1\n") {
		t.Errorf("models show load, want load@1:\n%s", out)
	}
}

// accuracy after the actuals of a fit's own history, which no forecast
// (of the future) is for: it says so, rather than to record actuals.
func TestAccuracyActualsOfOtherTimes(t *testing.T) {
	data := writeSeries(t, 200)
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db}, smallFit...)...)
	mustRun(t, 0, "actuals", data, "--target", "load", "--db", db)
	if out := mustRun(t, 0, "accuracy", "--db", db); !strings.Contains(out, "the actuals recorded are of other series or times") {
		t.Errorf("accuracy with actuals of the history alone:\n%s", out)
	}
}

// A command that upgrades an older database says so: a forecast older
// than this one, which may share it, refuses it from then on.
func TestUpgradeNoted(t *testing.T) {
	fixture, err := os.ReadFile("../store/testdata/schema-v1/forecast.db")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(db, fixture, 0o644); err != nil {
		t.Fatal(err)
	}
	want := "note: " + db + ": upgraded the database from schema version 1 to "
	if code, _, errOut := run(t, "models", "list", "--db", db); code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("models list of an old database: exit %d, %q; want a note %q…", code, errOut, want)
	}
	if code, _, errOut := run(t, "models", "list", "--db", db); code != 0 || strings.Contains(errOut, "upgraded") {
		t.Errorf("models list again: exit %d, %q; want no note", code, errOut)
	}
}

// TestPredictCovariatesFromModel: predict reads the covariates the model
// was trained with unless --covariates names others (it refused the file
// that fit read: "the model reads the covariates ["x"], the input has []"),
// and models show names them.
func TestPredictCovariatesFromModel(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,load,x\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 300 {
		x := math.Cos(float64(i) / 3)
		fmt.Fprintf(&b, "%s,%.4f,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), 20+3*math.Sin(2*math.Pi*float64(i)/24)+x, x)
	}
	data := writeFile(t, "cov.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--db", db, "--name", "m", "--covariates", "x"}, smallFit...)...)
	if out := mustRun(t, 0, "models", "show", "m", "--db", db); !strings.Contains(out, "params:    target load, covariates x, lookback 12,") {
		t.Errorf("models show does not name the covariate:\n%s", out)
	}
	mustRun(t, 0, "predict", data, "--db", db, "--model", "m")
	// A refit reads them too (it trained without them).
	mustRun(t, 0, "fit", data, "--db", db, "--refit", "m", "--epochs", "1")
	if out := mustRun(t, 0, "models", "show", "m@2", "--db", db); !strings.Contains(out, "params:    target load, covariates x, lookback 12,") {
		t.Errorf("models show of the refit does not name the covariate:\n%s", out)
	}
	if errOut := mustRun(t, 3, "predict", data, "--db", db, "--model", "m", "--covariates", ""); !strings.Contains(errOut, `the model reads the covariates ["x"], the input has none`) {
		t.Errorf("predict --covariates '': %s", errOut)
	}
}

// TestPredictAfterZero: a model fitted where a series stayed above 0 (the
// combination of a network of its logarithm, ETS(M,A,M) and the seasonal
// mean with drift) forecasts it after a day at 0 in predict and batch,
// without the parts that cannot take it, and says so. Both failed the
// series: "ets: ETS(M,A,M) needs positive data".
func TestPredictAfterZero(t *testing.T) {
	write := func(name string, tail ...float64) string {
		var b strings.Builder
		b.WriteString("date,units\n")
		t0 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		noise := rand.New(rand.NewPCG(1, 2))
		for i := range 300 {
			weekend := 1.0
			if i%7 >= 5 {
				weekend = 1.6
			}
			fmt.Fprintf(&b, "%s,%.2f\n", t0.AddDate(0, 0, i).Format(time.DateOnly), 20*math.Exp(0.006*float64(i)+0.05*noise.NormFloat64())*weekend)
		}
		for i, v := range tail {
			fmt.Fprintf(&b, "%s,%g\n", t0.AddDate(0, 0, 300+i).Format(time.DateOnly), v)
		}
		return writeFile(t, name, b.String())
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	out := mustRun(t, 0, "fit", write("shop.csv"), "--target", "units", "--db", db, "--name", "shop", "--ensemble", "1", "--epochs", "5", "--hidden", "8", "--transform", "log")
	if !strings.Contains(out, "forecast by: mean of GRU, ETS(M,A,M), seasonal mean with drift") {
		t.Fatalf("the fit chose another method than this test is about:\n%s", out)
	}
	closed := write("closed.csv", 0)
	code, out, errOut := run(t, "predict", closed, "--db", db, "--model", "shop")
	for _, want := range []string{`ETS(M,A,M) needs values above 0, and "units" has the value 0: ETS(A,`,
		"the network reads the logarithm of its last 28 values", "the combination forecasts without it"} {
		if code != 0 || !strings.Contains(errOut, want) {
			t.Errorf("predict: exit %d, stderr lacks %q:\n%s\n%s", code, want, errOut, out)
		}
	}
	if got := queryStrings(t, db, `SELECT DISTINCT method FROM forecasts WHERE series = 'closed/units'`); len(got) != 1 || !strings.HasPrefix(got[0], "comb(ets(A,") || !strings.HasSuffix(got[0], ",smean_drift)") {
		t.Errorf("stored methods %q, want comb(ets(A,…),smean_drift)", got)
	}
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"shop\"\nrefit = \"never\"\n\n[job.source]\npath = %q\ntarget = \"units\"\n", write("later.csv", 0, 0)))
	code, out, errOut = run(t, "batch", jobs, "--db", db)
	if code != 0 || !strings.Contains(out, "1 series done, 0 failed") || !strings.Contains(errOut, "note: job shop: series later/units: ETS(M,A,M) needs values above 0") {
		t.Errorf("batch: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestSourceName: --source-name (and a job's source-name) stores series as
// NAME/ID, so that a day's export of another file name scores the
// forecasts fit and batch stored; actuals under the file's name point to
// it, and forecasts --series ID to the stored SOURCE/ID.
func TestSourceName(t *testing.T) {
	var history, day strings.Builder
	history.WriteString("date,shop,units\n")
	day.WriteString("date,shop,units\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, shop := range []string{"north", "south"} {
		for i := range 120 {
			fmt.Fprintf(&history, "%s,%s,%g\n", t0.AddDate(0, 0, i).Format(time.DateOnly), shop, 20+float64(i%7)+0.1*float64(i))
		}
		fmt.Fprintf(&day, "%s,%s,33\n", t0.AddDate(0, 0, 120).Format(time.DateOnly), shop)
	}
	data, today := writeFile(t, "sales.csv", history.String()), writeFile(t, "export-0430.csv", day.String())
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "fit", data, "--id", "shop", "--target", "units", "--db", db, "--name", "m", "--epochs", "2", "--ensemble", "1")

	code, out, errOut := run(t, "actuals", today, "--id", "shop", "--target", "units", "--db", db)
	if code != 0 || !strings.Contains(out, "no stored forecast of 2 series (export-0430/north, …)") ||
		!strings.Contains(errOut, "note: forecasts of these series are stored under sales/…: to score them, record the actuals with --source-name sales\n") {
		t.Errorf("actuals under the file's name: exit %d\n%s%s", code, out, errOut)
	}
	// Actuals of series whose forecasts are stored, for later times, are
	// theirs: no hint, though another source's series have their names.
	mustRun(t, 0, "predict", writeFile(t, "other.csv", history.String()), "--id", "shop", "--series", "north", "--target", "units", "--db", db, "--model", "m")
	if code, _, errOut := run(t, "actuals", data, "--id", "shop", "--target", "units", "--db", db); code != 0 || strings.Contains(errOut, "--source-name") {
		t.Errorf("actuals of the fit's own series: exit %d, a hint to store them under another source:\n%s", code, errOut)
	}
	out = mustRun(t, 0, "actuals", today, "--id", "shop", "--target", "units", "--db", db, "--source-name", "sales")
	if !strings.Contains(out, "stored 2 actuals of 2 series (sales/north, …)") || !strings.Contains(out, "2 stored forecasts of them have actuals") {
		t.Errorf("actuals --source-name sales:\n%s", out)
	}
	if code, _, errOut := run(t, "forecasts", "--series", "north", "--db", db); code != 0 || !strings.Contains(errOut, "did you mean --series other/north or sales/north?") {
		t.Errorf("forecasts --series north: exit %d\n%s", code, errOut)
	}
	// A refit of a model of several series needs the flags that read them.
	if errOut := mustRun(t, 2, "fit", data, "--refit", "m", "--db", db); !strings.Contains(errOut, "--refit m@1: it was fitted on 2 series: give the flags that read them again (--target, and --id for a long file)") {
		t.Errorf("fit --refit m: %s", errOut)
	}
	for _, args := range [][]string{{"--source-name", "a/b"}, {"--source-name", "x", "--series-id", "y"}} {
		if code, _, errOut := run(t, append([]string{"actuals", today, "--id", "shop", "--target", "units", "--db", db}, args...)...); code != 2 || !strings.Contains(errOut, "--source-name") {
			t.Errorf("actuals %q: exit %d, want 2\n%s", args, code, errOut)
		}
	}

	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"m\"\nrefit = \"never\"\n\n[job.source]\npath = %q\nid = \"shop\"\ntarget = \"units\"\nsource-name = \"sales\"\n", writeFile(t, "history-0430.csv", history.String())))
	mustRun(t, 0, "batch", jobs, "--db", db)
	if got := queryStrings(t, db, `SELECT DISTINCT series FROM forecasts WHERE run_id = (SELECT max(id) FROM runs) ORDER BY series`); !reflect.DeepEqual(got, []string{"sales/north", "sales/south"}) {
		t.Errorf("batch with source-name stored %q, want sales/north and sales/south", got)
	}
}

// TestPredictOtherSeriesNote: predict of a model of one series on another
// (another id of a long file) says the network scales it by the trained
// series' values; the same series, or a GRU that does not forecast, says
// nothing.
func TestPredictOtherSeriesNote(t *testing.T) {
	var b strings.Builder
	b.WriteString("date,shop,load\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for k, shop := range []string{"north", "south"} {
		for i := range 300 {
			fmt.Fprintf(&b, "%s,%s,%.3f\n", t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339), shop, float64(1+6*k)*(20+3*math.Sin(2*math.Pi*float64(i)/24)+0.5*math.Sin(float64(i)*1.7)))
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, append([]string{"fit", data, "--id", "shop", "--series", "north", "--db", db, "--name", "m"}, smallFit...)...)
	const note = "note: model m@1 was trained on shops/north alone: its network reads shops/south scaled by that series' values"
	if _, _, errOut := run(t, "predict", data, "--id", "shop", "--series", "south", "--model", "m", "--db", db); !strings.Contains(errOut, note) {
		t.Errorf("predict of south lacks %q:\n%s", note, errOut)
	}
	if _, _, errOut := run(t, "predict", data, "--id", "shop", "--series", "north", "--model", "m", "--db", db); strings.Contains(errOut, "alone: its network") {
		t.Errorf("predict of north, the series trained on:\n%s", errOut)
	}
}

// TestAccuracyOfEveryLevel: accuracy gave the coverage of 80 and 95 %
// intervals alone; of a fit with --level 50,90 it showed none. The table
// and csv have a column of each level stored, json a list, as the API's.
func TestAccuracyOfEveryLevel(t *testing.T) {
	data := writeSeries(t, 300)
	db := filepath.Join(t.TempDir(), "f.db")
	args := append([]string{"fit", writeHead(t, data, 250), "--db", db, "--name", "load"}, smallFit...)
	mustRun(t, 0, append(args, "--level", "50,90", "--series-id", "load")...)
	mustRun(t, 0, "actuals", data, "--target", "load", "--series-id", "load", "--db", db)
	table := mustRun(t, 0, "accuracy", "--db", db)
	if !strings.Contains(table, "COVERAGE_50  COVERAGE_80  COVERAGE_90  COVERAGE_95") || !strings.Contains(table, "% of 6") {
		t.Errorf("accuracy table without the 50 and 90 %% coverage:\n%s", table)
	}
	var recs []struct {
		Levels []struct {
			Level     float64
			Intervals int
			Coverage  float64
		}
	}
	if err := json.Unmarshal([]byte(mustRun(t, 0, "accuracy", "--db", db, "--format", "json")), &recs); err != nil || len(recs) != 1 {
		t.Fatalf("accuracy json: %v, %d records", err, len(recs))
	}
	if l := recs[0].Levels; len(l) != 2 || l[0].Level != 0.5 || l[1].Level != 0.9 || l[0].Intervals != 6 || l[0].Coverage > l[1].Coverage {
		t.Errorf("accuracy json levels %+v, want 50 and 90 %% of 6 forecasts, the wider covering more", l)
	}
	csvOut := mustRun(t, 0, "accuracy", "--db", db, "--format", "csv")
	if head := strings.SplitN(csvOut, "\n", 2)[0]; !strings.Contains(head, ",intervals_50,coverage_50,intervals_80,coverage_80,intervals_90,coverage_90,intervals_95,coverage_95,") {
		t.Errorf("accuracy csv header %q", head)
	}
}
