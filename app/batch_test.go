package app_test

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/internal/testfiles"
)

// batchSettings are small model settings for batch tests.
const batchSettings = `
[job.settings]
lookback = 12
horizon = 6
season = 24
layers = 1
hidden = 4
epochs = 2
batch = 32
`

// writeSeriesDir writes n hourly series into a new directory (see
// testfiles.SeriesDir).
var writeSeriesDir = testfiles.SeriesDir

// writeRows writes a rows-layout CSV (as M4) of n series of rows values,
// with the value at index bad of series badRow written as "x" if badRow >= 0.
func writeRows(t *testing.T, n, rows, badRow, bad int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("id")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, ",V%d", i)
	}
	b.WriteString("\n")
	for k := 0; k < n; k++ {
		fmt.Fprintf(&b, "T%d", k)
		for i := 0; i < rows; i++ {
			if k == badRow && i == bad {
				b.WriteString(",x")
				continue
			}
			fmt.Fprintf(&b, ",%.3f", 100+float64(k)+5*math.Sin(2*math.Pi*float64(i)/24)+math.Sin(float64(i*k)))
		}
		b.WriteString("\n")
	}
	return writeFile(t, "rows.csv", b.String())
}

// writeJobs writes a jobs file and returns its path.
func writeJobs(t *testing.T, body string) string {
	t.Helper()
	return writeFile(t, "jobs.toml", body)
}

// queryInt runs a query returning one integer on the database at path.
func queryInt(t *testing.T, path, query string) int {
	t.Helper()
	var n int
	mustQuery(t, path, query, &n)
	return n
}

// mustQuery runs a query returning one value on the database at path and
// scans it into dest.
func mustQuery(t *testing.T, path, query string, dest any) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(query).Scan(dest); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestBatch checks what batch prints and its exit code; what a batch does
// is tested on its typed results in package pipeline.
func TestBatch(t *testing.T) {
	dir := writeSeriesDir(t, 6, 200)
	// A broken series, which fails, and one too short to forecast, left
	// out (skipped) until it has a season of values.
	if err := os.WriteFile(filepath.Join(dir, "s90.csv"), []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s91.csv"), []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 02:00,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"
refit = "always"

[job.source]
path = %q
target = "load"
%s`, filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")

	code, out, errOut := run(t, "batch", jobs, "--db", db, "--workers", "3")
	if code != 7 {
		t.Fatalf("batch: exit %d, want 7 (some series failed)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"batch run 1: " + jobs + ", 1 job, 3 workers\n",
		"job load: fit a first version: model \"load\" not found\n",
		"job load: trained load@1 on 6 series (2 series left out: unreadable, too short or flat to train on, or of another frequency)",
		"job load: series s90/load failed: " + filepath.Join(dir, "s90.csv") + ":3:2 (column \"load\"): parse \"oops\" as a number",
		"run 1 failed (1 of 8 series failed): 6 series done, 1 failed, 1 skipped, 36 forecasts stored",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "note: job load: series s91/load: left out: model load@1: invalid input: the model's snaive forecast needs more than a season (24) of values, the input has 3") {
		t.Errorf("stderr does not say why s91/load is left out:\n%s", errOut)
	}
	if want := "forecast: run 1: 1 of 8 series failed; see: select * from batch_series where run_id = 1 and status = 'failed'\n"; errOut[strings.LastIndex(errOut[:len(errOut)-1], "\n")+1:] != want {
		t.Errorf("stderr ends %q, want %q", errOut, want)
	}
	if got, want := countRows(t, db), "runs=1 model_versions=1 forecasts=36 actuals=0"; got != want {
		t.Fatalf("rows: %s, want %s", got, want)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM batch_series WHERE status = 'done' AND forecasts = 6`); got != 6 {
		t.Fatalf("done series=%d, want 6", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM locks`); got != 0 {
		t.Fatalf("locks=%d after the batch, want 0", got)
	}

	// The same data again: nothing new (skip), and no refit needed.
	code, out, _ = run(t, "batch", jobs, "--db", db)
	if code != 7 || !strings.Contains(out, "every series was forecast from its data before or is shorter than the lookback (12): no fit") ||
		!strings.Contains(out, "0 series done, 1 failed, 7 skipped (1 left out: too short or gappy; the rest forecast from this cut-off before)") {
		t.Fatalf("second batch: exit %d\n%s", code, out)
	}
	if got, want := countRows(t, db), "runs=2 model_versions=1 forecasts=36 actuals=0"; got != want {
		t.Fatalf("rows after the second batch: %s, want %s", got, want)
	}

	// New data for one series: only it is forecast.
	f, err := os.OpenFile(filepath.Join(dir, "s00.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "2024-01-09 08:00,1.5\n")
	f.Close()
	os.Remove(filepath.Join(dir, "s90.csv"))
	os.Remove(filepath.Join(dir, "s91.csv"))
	never := strings.Replace(string(mustRead(t, jobs)), `refit = "always"`, `refit = "never"`, 1)
	out = mustRun(t, 0, "batch", writeJobs(t, never), "--db", db)
	if !strings.Contains(out, "job load: reuse load@1 (refit never)") || !strings.Contains(out, "1 series done, 0 failed, 5 skipped") {
		t.Fatalf("third batch:\n%s", out)
	}

	// replace: the same cut-offs forecast again, the earlier forecasts replaced.
	replace := strings.Replace(never, `refit = "never"`, "refit = \"never\"\non-existing = \"replace\"", 1)
	out = mustRun(t, 0, "batch", writeJobs(t, replace), "--db", db)
	if !strings.Contains(out, "6 series done, 0 failed, 0 skipped") {
		t.Fatalf("replacing batch:\n%s", out)
	}
	if got, want := queryInt(t, db, `SELECT count(*) FROM forecasts`), 36+6; got != want {
		t.Fatalf("forecasts=%d, want %d: one per series, cut-off and step", got, want)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM runs WHERE finished_at IS NULL`); got != 0 {
		t.Fatalf("%d unfinished runs", got)
	}
}

func TestBatchShards(t *testing.T) {
	dir := writeSeriesDir(t, 8, 150)
	body := fmt.Sprintf(`
[[job]]
name = "load"
refit = "never"

[job.source]
path = %q
target = "load"
%s`, filepath.Join(dir, "*.csv"), batchSettings)
	jobs := writeJobs(t, body)
	base := filepath.Join(t.TempDir(), "base.db")
	mustRun(t, 0, "batch", jobs, "--db", base)

	// Each shard forecasts a copy of base; merged, they hold each series once.
	var shards []string
	total := 0
	for i := 0; i < 3; i++ {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("shard%d.db", i))
		if err := os.WriteFile(db, mustRead(t, base), 0o644); err != nil {
			t.Fatal(err)
		}
		replace := strings.Replace(body, `refit = "never"`, "refit = \"never\"\non-existing = \"replace\"", 1)
		mustRun(t, 0, "batch", writeJobs(t, replace), "--db", db, "--shard", fmt.Sprintf("%d/3", i))
		total += queryInt(t, db, `SELECT count(*) FROM batch_series WHERE run_id = 2`)
		shards = append(shards, db)
	}
	if total != 8 {
		t.Fatalf("the shards forecast %d series in all, want 8", total)
	}
	all := filepath.Join(t.TempDir(), "all.db")
	mustRun(t, 0, append(append([]string{"merge"}, shards...), "--into", all)...)
	out := mustRun(t, 0, append(append([]string{"merge"}, shards...), "--into", all)...)
	if !strings.Contains(out, "copied 0 runs, 0 model versions, 0 forecasts") {
		t.Fatalf("merging again copied something:\n%s", out)
	}
	if got, want := countRows(t, all), "runs=4 model_versions=1 forecasts=48 actuals=0"; got != want {
		t.Fatalf("merged: %s, want %s", got, want)
	}
	if got := queryInt(t, all, `SELECT count(*) FROM batch_series WHERE status = 'done' AND run_id > 1`); got != 8 {
		t.Fatalf("done series of the shard runs=%d, want 8", got)
	}

	code, _, errOut := run(t, "batch", jobs, "--db", base, "--shard", "3/3")
	if code != 2 || !strings.Contains(errOut, `--shard "3/3": want I/N with 0 <= I < N`) {
		t.Fatalf("--shard 3/3: exit %d, %s", code, errOut)
	}
}

func TestBatchDryRun(t *testing.T) {
	dir := writeSeriesDir(t, 3, 150)
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"
refit = "if-older-than 7d"

[job.source]
path = %q
target = "load"
%s`, filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	out := mustRun(t, 0, "batch", jobs, "--db", db, "--dry-run")
	for _, want := range []string{
		"job load: fit a first version: model \"load\" not found\n",
		"  s00/load  2024-01-07T05:00:00Z  forecast\n",
		"job load: would fit a new version of load and forecast: 3 series, skip 0, 0 unreadable\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a dry run made the database %s (stat: %v)", db, err)
	}
	mustRun(t, 0, "batch", jobs, "--db", db)
	stored := countRows(t, db)
	out = mustRun(t, 0, "batch", jobs, "--db", db, "--dry-run")
	if !regexp.MustCompile(`job load: reuse load@1 \(refit if-older-than 7d\), trained \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n`).MatchString(out) ||
		!strings.Contains(out, "  s01/load  2024-01-07T05:00:00Z  skip: forecast from this cut-off before\n") {
		t.Fatalf("second dry run:\n%s", out)
	}
	if got := countRows(t, db); got != stored {
		t.Fatalf("a dry run after a batch wrote: %s, then %s", stored, got)
	}

	// A job that would fail makes the dry run exit as the batch would.
	broken := writeJobs(t, strings.Replace(string(mustRead(t, jobs)), filepath.Join(dir, "*.csv"), filepath.Join(dir, "none*.csv"), 1))
	code, out, errOut := run(t, "batch", broken, "--db", db, "--dry-run")
	if code != 7 || !strings.Contains(out, "job load: would fail: source path") || !strings.Contains(errOut, `dry run: 1 of 1 jobs would fail: "load"`) {
		t.Errorf("dry run of a failing job: exit %d, want 7:\n%s%s", code, out, errOut)
	}
	// So does a series that cannot be read, which the batch fails alone.
	if err := os.WriteFile(filepath.Join(dir, "s03.csv"), []byte("time,load\n2024-01-01T00:00:00Z,abc\n2024-01-01T01:00:00Z,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "batch", jobs, "--db", db, "--dry-run")
	if code != 7 || !strings.Contains(out, "1 unreadable") || !strings.Contains(errOut, `dry run: series would fail: 1 series in job "load"`) {
		t.Errorf("dry run with an unreadable series: exit %d, want 7:\n%s%s", code, out, errOut)
	}
	if code, _, errOut := run(t, "batch", jobs, "--db", db); code != 7 {
		t.Errorf("the batch itself: exit %d, want 7 as its dry run:\n%s", code, errOut)
	}
	// And a series the model it reuses cannot forecast (daily, where the
	// model is of hourly data), which the dry run passed.
	var daily strings.Builder
	daily.WriteString("time,load\n")
	for i := range 150 {
		fmt.Fprintf(&daily, "%s,%d\n", time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), 10+i%7)
	}
	os.Remove(filepath.Join(dir, "s03.csv"))
	if err := os.WriteFile(filepath.Join(dir, "s04.csv"), []byte(daily.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = run(t, "batch", jobs, "--db", db, "--dry-run")
	if code != 7 || !strings.Contains(out, "  s04/load  2024-05-29T00:00:00Z  fail: invalid input: the data is daily, but model load@1") || !strings.Contains(out, "0 unreadable, 1 it cannot forecast") ||
		!strings.Contains(errOut, `dry run: series would fail: 1 series in job "load"`) {
		t.Errorf("dry run with a series of another frequency: exit %d, want 7:\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run(t, "batch", jobs, "--db", db); code != 7 || !strings.Contains(out, "series s04/load failed: invalid input: the data is daily") {
		t.Errorf("the batch itself: exit %d, want 7 as its dry run:\n%s%s", code, out, errOut)
	}
}

func TestBatchLocked(t *testing.T) {
	dir := writeSeriesDir(t, 1, 150)
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"
[job.source]
path = %q
target = "load"
%s`, filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", jobs, "--db", db)
	host, _ := os.Hostname()
	now := time.Now().UTC().Format(time.RFC3339)

	// This live process holds the lock.
	mustExec(t, db, fmt.Sprintf(`INSERT INTO locks VALUES ('batch', 'x', '%s', %d, 'schedule', '%s', '%s')`, host, os.Getpid(), now, now))
	code, _, errOut := run(t, "batch", jobs, "--db", db, "--wait", "100ms")
	if want := fmt.Sprintf("forecast: database %s is in use by forecast schedule (pid %d on %s, since %s); try again when it has finished\n", db, os.Getpid(), host, now); code != 8 || errOut != want {
		t.Fatalf("exit %d, stderr %q; want 8, %q", code, errOut, want)
	}

	// A lock left by a process that is gone is stale.
	mustExec(t, db, `UPDATE locks SET pid = 99999999`)
	code, out, errOut := run(t, "batch", jobs, "--db", db)
	if code != 0 || !strings.Contains(errOut, "note: took over the stale lock of forecast schedule (pid 99999999") {
		t.Fatalf("stale lock: exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestBatchJobsFileErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	for _, tt := range []struct {
		name, body, want string
	}{
		{"NoJobs", `title = "x"`, `unknown key "title" (the file holds [[job]] tables)`},
		{"Syntax", `[[job]`, `jobs file`},
		{"NoName", "[[job]]\n[job.source]\npath = \"a.csv\"", `job 1: name is required`},
		{"BadRefit", "[[job]]\nname = \"a\"\nrefit = \"sometimes\"\n[job.source]\npath = \"a.csv\"", `job "a": refit "sometimes": want always, never, if-older-than DURATION`},
		{"BadKey", "[[job]]\nname = \"a\"\nmodle = \"b\"\n[job.source]\npath = \"a.csv\"", `job "a": unknown key "modle"`},
		{"BadSourceKey", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\ntarge = \"y\"", `job "a": source: unknown key "targe"; the keys are target, time,`},
		{"BadSetting", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[job.settings]\nlookback = 0", `job "a": --lookback must be auto or a whole number from 1 up, got "0"`},
		{"NoSource", "[[job]]\nname = \"a\"", `job "a": [job.source] is required`},
		{"SameModel", "[[job]]\nname = \"a\"\n[job.source]\npath = \"a.csv\"\n[[job]]\nname = \"b\"\nmodel = \"a\"\n[job.source]\npath = \"b.csv\"", `two jobs use the model "a"`},
		{"OnExisting", "[[job]]\nname = \"a\"\non-existing = \"keep\"\n[job.source]\npath = \"a.csv\"", `on-existing "keep": want skip or replace`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := run(t, "batch", writeJobs(t, tt.body), "--db", db)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errOut, tt.want)
			}
		})
	}
}

func TestBatchSQLiteSource(t *testing.T) {
	src := filepath.Join(t.TempDir(), "shop.db")
	mustExec(t, src, `CREATE TABLE sales (store TEXT, day TEXT, amount REAL)`)
	var b strings.Builder
	b.WriteString(`INSERT INTO sales VALUES `)
	for k, store := range []string{"a", "b", "c"} {
		for i := 0; i < 120; i++ {
			if k+i > 0 {
				b.WriteString(",")
			}
			day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
			fmt.Fprintf(&b, "('%s', '%s', %.2f)", store, day, float64(10*(k+1))+math.Sin(float64(i)*2*math.Pi/7)+0.2*math.Sin(float64(i*(k+2))))
		}
	}
	mustExec(t, src, b.String())
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "sales"
refit = "always"

[job.source]
sqlite = %q
table = "sales"
id = "store"
time = "day"
target = "amount"
series = ["a", "c"]
%s
season = 7`, src, strings.Replace(batchSettings, "season = 24\n", "", 1)))
	db := filepath.Join(t.TempDir(), "f.db")
	out := mustRun(t, 0, "batch", jobs, "--db", db)
	if !strings.Contains(out, "trained sales@1 on 2 series") || !strings.Contains(out, "2 series done, 0 failed, 0 skipped") {
		t.Fatalf("batch:\n%s", out)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM forecasts WHERE series = 'shop.sales/c' AND time = '2024-04-30T00:00:00Z'`); got != 1 {
		t.Fatalf("forecast of c for 2024-04-30: %d rows, want 1", got)
	}
	// A series the job names that the source does not hold fails the job
	// naming it (the batch said every series was forecast before, exit 0).
	code, out, errOut := run(t, "batch", writeJobs(t, strings.Replace(string(mustRead(t, jobs)), `series = ["a", "c"]`, `series = ["a", "e"]`, 1)), "--db", db)
	if code == 0 || !strings.Contains(out+errOut, `holds no series "e" (named by the job's series); it holds "b"`) {
		t.Errorf("a job naming a series the source lacks: exit %d\n%s%s", code, out, errOut)
	}
}

// TestBatchShortSeries runs a job on one series too short for the network:
// the classical methods forecast it, and the job says so.
func TestBatchShortSeries(t *testing.T) {
	db := filepath.Join(t.TempDir(), "f.db")
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"short\"\nhorizon = 24\n\n[job.source]\npath = %q\ntarget = \"load\"\n", writeSeries(t, 48)))
	out := mustRun(t, 0, "batch", jobs, "--db", db)
	if !strings.Contains(out, "too short for the network") || !strings.Contains(out, "24 forecasts stored") {
		t.Errorf("batch output does not say the series was too short for the network, or stored no 24 forecasts:\n%s", out)
	}
	// Its version deleted with its forecasts, the next batch fits and
	// forecasts anew rather than skipping the series as done.
	mustRun(t, 0, "models", "rm", "short@1", "--cascade", "--db", db)
	out = mustRun(t, 0, "batch", jobs, "--db", db)
	if !strings.Contains(out, "1 series done, 0 failed, 0 skipped, 24 forecasts stored") {
		t.Errorf("batch after the version was deleted:\n%s", out)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM forecasts`); n != 24 {
		t.Errorf("%d forecasts stored after the batch, want 24", n)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM batch_series WHERE status = 'replaced' AND error = 'its forecasts were deleted with short@1'`); n != 1 {
		t.Errorf("%d batch series marked replaced by the deletion, want 1", n)
	}
}

// TestPredictRowsSeries: a model fitted on every row of a rows-layout file
// forecasts one of its rows named by --series alone; --target defaults
// to that row, not to the model's common feature "target".
func TestPredictRowsSeries(t *testing.T) {
	rows := writeRows(t, 3, 200, -1, 0)
	db := filepath.Join(t.TempDir(), "f.db")
	net := []string{"--lookback", "12", "--horizon", "6", "--season", "24", "--layers", "1", "--hidden", "4", "--epochs", "2",
		"--window-norm", "none", "--transform", "none", "--ensemble", "1", "--fallback", "none", "--db", db}
	mustRun(t, 0, append([]string{"fit", rows, "--layout", "rows", "--target", "T*", "--name", "rows"}, net...)...)
	out := mustRun(t, 0, "predict", "--model", "rows", rows, "--layout", "rows", "--series", "T1", "--db", db)
	if !strings.Contains(out, "target T1, 200 rows") || !strings.Contains(out, "forecast of T1 by gru") {
		t.Errorf("predict --series T1:\n%s", out)
	}
	if errOut := mustRun(t, 2, "predict", "--model", "rows", rows, "--layout", "rows", "--db", db); !strings.Contains(errOut, "name the row to forecast with --series") {
		t.Errorf("predict --layout rows without --series: %q", errOut)
	}
}

// TestBatchLeavesOutSeriesShortForTheSeason: with the season left to the
// data, each series was checked alone, where a series of 5 months has no
// season; among series of six years the set's season is 12, and the short
// one then failed the whole refit ("the train part (4 values) is too short
// for season 12"). It is now left out of training, the others trained on,
// and of forecasting, skipped until it has a season of values, as an item
// of one day is, where it failed the batch (exit 7) every day.
func TestBatchLeavesOutSeriesShortForTheSeason(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,month,sales\n")
	for _, s := range []struct {
		id string
		n  int
	}{{"a", 72}, {"b", 72}, {"c", 72}, {"new", 5}} {
		for i := range s.n {
			month := time.Date(2019, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC)
			fmt.Fprintf(&b, "%s,%s,%.2f\n", s.id, month.Format("2006-01"), 100+20*math.Sin(2*math.Pi*float64(i)/12)+float64(i)+3*math.Sin(float64(i)*1.7))
		}
	}
	data := writeFile(t, "shops.csv", b.String())
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "shops"

[job.source]
path = %q
id = "id"
target = "sales"

[job.settings]
hidden = 4
epochs = 1
ensemble = 1
`, data))
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "batch", jobs, "--db", db)
	if code != 0 || !strings.Contains(out, "trained shops@1 on 3 series (1 series left out") ||
		!strings.Contains(out, "3 series done, 0 failed, 1 skipped (left out: too short or gappy)") {
		t.Fatalf("batch: exit %d, want 0 with the short series left out of training and forecasting\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, "before the last time of the others") {
		t.Errorf("the series left out is named as one whose forecasts follow its own last values:\n%s", errOut)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM batch_series WHERE series = 'shops/new' AND status = 'skipped' AND error LIKE '%needs more than a season (12)%'`); n != 1 {
		t.Errorf("%d skipped rows of shops/new naming the season it needs, want 1", n)
	}
	body, err := os.ReadFile(jobs)
	if err != nil {
		t.Fatal(err)
	}
	jobs = writeJobs(t, strings.Replace(string(body), `name = "shops"`, "name = \"shops\"\nrefit = \"never\"", 1))
	if code, out, errOut := run(t, "batch", jobs, "--db", db, "--dry-run"); code != 0 || !regexp.MustCompile(`shops/new +- +skip: left out: .*needs more than a season \(12\)`).MatchString(out) ||
		strings.Contains(errOut+out, "before the last time of the others") {
		t.Errorf("dry run: exit %d, want 0 with shops/new left out\n%s%s", code, out, errOut)
	}
	if n := queryInt(t, db, `SELECT count(DISTINCT series) FROM forecasts`); n != 3 {
		t.Errorf("forecasts of %d series, want 3", n)
	}
	if n := queryInt(t, db, `SELECT json_extract(params, '$.season') FROM model_versions`); n != 12 {
		t.Errorf("season %d, want 12", n)
	}

	// A series forecast before that lost values (a source cut to its
	// first six months) is not left out: it fails, as the batch does.
	var cut []string
	aRows := 0
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if strings.HasPrefix(line, "a,") {
			if aRows++; aRows > 6 {
				continue
			}
		}
		cut = append(cut, line)
	}
	if err := os.WriteFile(data, []byte(strings.Join(cut, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run(t, "batch", jobs, "--db", db, "--dry-run"); code != 7 || !regexp.MustCompile(`shops/a +2019-06-01T00:00:00Z +fail: .*needs more than a season \(12\)`).MatchString(out) {
		t.Errorf("dry run of a cut source: exit %d, want 7 with shops/a failing\n%s%s", code, out, errOut)
	}
	if code, out, errOut := run(t, "batch", jobs, "--db", db); code != 7 || !strings.Contains(out, "series shops/a failed: ") {
		t.Errorf("batch of a cut source: exit %d, want 7 with shops/a failed\n%s%s", code, out, errOut)
	}
}

// TestBatchMissingAlias: a job that reuses NAME@ALIAS of a model that has
// versions but not the alias fails, naming the alias and how to set it;
// it used to take the alias's absence for a model's and train a version.
// Under refit always it trains, and the new version takes the alias.
func TestBatchMissingAlias(t *testing.T) {
	dir := writeSeriesDir(t, 2, 200)
	job := func(refit, alias string) string {
		return writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"
refit = %q
alias = %q
on-existing = "replace"

[job.source]
path = %q
target = "load"
%s`, refit, alias, filepath.Join(dir, "*.csv"), batchSettings))
	}
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", job("never", "latest"), "--db", db)
	code, out, errOut := run(t, "batch", job("never", "champion"), "--db", db)
	want := `job load: failed: model "load" has no alias "champion" to reuse (its newest version is load@1): promote a version to it (forecast models promote load@1 --alias champion)`
	if code != 7 || !strings.Contains(out, want) {
		t.Errorf("exit %d, want 7 and %q:\n%s%s", code, want, out, errOut)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM model_versions`); n != 1 {
		t.Errorf("%d versions, want the first alone", n)
	}
	mustRun(t, 0, "batch", job("always", "champion"), "--db", db)
	if n := queryInt(t, db, `SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.model_version_id WHERE a.alias = 'champion'`); n != 2 {
		t.Errorf("champion is version %d, want 2", n)
	}
}

// TestBatchSeriesIDOfSeveral: a job whose series-id names one series but
// whose source holds several fails as a job, naming two of them; it used
// to fail with the database's UNIQUE constraint.
func TestBatchSeriesIDOfSeveral(t *testing.T) {
	dir := writeSeriesDir(t, 2, 200)
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"

[job.source]
path = %q
target = "load"
series-id = "everything"
%s`, filepath.Join(dir, "*.csv"), batchSettings))
	db := filepath.Join(t.TempDir(), "f.db")
	code, out, errOut := run(t, "batch", jobs, "--db", db)
	want := `job load: failed: series-id "everything" names one series, but source ` + filepath.Join(dir, "*.csv") + ` holds more ("s00/load" and "s01/load" at least): pick one with series`
	if code == 0 || !strings.Contains(out, want) || strings.Contains(out+errOut, "UNIQUE") {
		t.Errorf("exit %d, want a job failure %q:\n%s%s", code, want, out, errOut)
	}
	if n := queryInt(t, db, `SELECT count(*) FROM forecasts`); n != 0 {
		t.Errorf("%d forecasts stored", n)
	}
}

// TestBatchLeavesOutNewItems: a new item of one day, or one with no value
// yet, failed a daily batch (exit 7) where fit leaves it out of the file:
// it is skipped with the reason, and the others are forecast. An item no
// longer sold is named, as fit names it.
func TestBatchLeavesOutNewItems(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,date,y\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range []string{"a", "b"} {
		for i := range 120 {
			fmt.Fprintf(&b, "%s,%s,%d\n", id, t0.AddDate(0, 0, i).Format("2006-01-02"), 10+i%7+i%3)
		}
	}
	for i := range 60 { // an item no longer sold since day 60
		fmt.Fprintf(&b, "old,%s,%d\n", t0.AddDate(0, 0, i).Format("2006-01-02"), 5+i%7)
	}
	fmt.Fprintf(&b, "new,%s,4\n", t0.AddDate(0, 0, 119).Format("2006-01-02"))
	fmt.Fprintf(&b, "blank,%s,\nblank,%s,\n", t0.AddDate(0, 0, 118).Format("2006-01-02"), t0.AddDate(0, 0, 119).Format("2006-01-02"))
	data := writeFile(t, "items.csv", b.String())
	jobs := writeJobs(t, fmt.Sprintf(`
[[job]]
name = "items"
refit = "always"

[job.source]
path = %q
id = "id"
target = "y"
%s`, data, strings.Replace(batchSettings, "season = 24\n", "season = 7\n", 1)))
	db := filepath.Join(t.TempDir(), "f.db")
	if out := mustRun(t, 0, "batch", jobs, "--db", db, "--dry-run"); !strings.Contains(out, "  items/new    -                     skip: left out: ") ||
		!strings.Contains(out, `note: job items: 1 series ends more than the horizon (6 steps) before the last time of the others, 2024-04-29: "items/old" (2024-02-29)`) {
		t.Errorf("the dry run does not leave new out, or does not name old as ended:\n%s", out)
	}
	code, out, errOut := run(t, "batch", jobs, "--db", db)
	if code != 0 || !strings.Contains(out, "3 series done, 0 failed, 2 skipped (left out: too short or gappy)") ||
		!strings.Contains(errOut, `series items/new: left out: `) ||
		!strings.Contains(errOut, `note: job items: 1 series ends more than the horizon (6 steps) before the last time of the others, 2024-04-29: "items/old" (2024-02-29)`) {
		t.Fatalf("exit %d, want 0 with new and blank left out:\n%s%s", code, out, errOut)
	}
	if n := queryInt(t, db, "SELECT count(*) FROM batch_series WHERE status = 'skipped' AND error LIKE '%every value is missing%'"); n != 1 {
		t.Errorf("%d skipped series record why, want 1 (blank)", n)
	}
}

// TestBatchLeavesOutSeriesTooShortToScale: a new series long enough for
// the network's lookback but too short for a train part to scale it by
// is left out as one under a season is, not failed every run.
func TestBatchLeavesOutSeriesTooShortToScale(t *testing.T) {
	dir := writeSeriesDir(t, 4, 400)
	var tiny strings.Builder
	tiny.WriteString("date,load\n")
	t0 := time.Date(2024, 1, 17, 7, 0, 0, 0, time.UTC)
	for i := range 9 {
		fmt.Fprintf(&tiny, "%s,%d\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), 5+i%3)
	}
	if err := os.WriteFile(filepath.Join(dir, "s99.csv"), []byte(tiny.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	jobs := writeJobs(t, fmt.Sprintf("[[job]]\nname = \"load\"\nhorizon = 14\n[job.source]\npath = %q\ntarget = \"load\"\n[job.settings]\nlookback = 7\nseason = 7\nlayers = 1\nhidden = 4\nepochs = 1\n",
		filepath.Join(dir, "*.csv")))
	code, out, errOut := run(t, "batch", jobs, "--db", filepath.Join(t.TempDir(), "f.db"))
	if code != 0 || !strings.Contains(errOut, "series s99/load: left out: ") || !strings.Contains(errOut, "too few to scale by") {
		t.Errorf("batch: exit %d, want 0 with s99/load left out as too short to scale\n%s%s", code, out, errOut)
	}
}

// TestBatchSkipNotesOtherVersion: with on-existing "skip", a batch after
// an alias was moved back to an older version skips the series the newer
// one forecast from the same data; it says so, and how to forecast them
// with the version the job uses.
func TestBatchSkipNotesOtherVersion(t *testing.T) {
	dir := writeSeriesDir(t, 2, 200)
	job := func(refit, onExisting string) string {
		return writeJobs(t, fmt.Sprintf(`
[[job]]
name = "load"
refit = %q
alias = "champion"
on-existing = %q

[job.source]
path = %q
target = "load"
%s`, refit, onExisting, filepath.Join(dir, "*.csv"), batchSettings))
	}
	db := filepath.Join(t.TempDir(), "f.db")
	mustRun(t, 0, "batch", job("always", "replace"), "--db", db)
	mustRun(t, 0, "batch", job("always", "replace"), "--db", db) // load@2, the champion
	mustRun(t, 0, "models", "promote", "load@1", "--alias", "champion", "--db", db)
	want := `note: job load: 2 series skipped, forecast from the same data by another version than load@1, which the job uses: on-existing = "replace" forecasts them with it`
	if code, out, errOut := run(t, "batch", job("never", "skip"), "--db", db); code != 0 || !strings.Contains(errOut, want) {
		t.Errorf("batch after the alias moved back: exit %d, want %q\n%s%s", code, want, out, errOut)
	}
	// Once load@1 forecast them (replace), skipping them says nothing of it.
	mustRun(t, 0, "batch", job("never", "replace"), "--db", db)
	if _, _, errOut := run(t, "batch", job("never", "skip"), "--db", db); strings.Contains(errOut, "another version") {
		t.Errorf("batch of the version that forecast the series:\n%s", errOut)
	}
}
