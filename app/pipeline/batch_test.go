package pipeline_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/internal/testfiles"
	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// A batch takes "now" from its clock: the run's records, the versions'
// ages and so the refit policy's decisions follow the clock, not the
// machine's time.
func TestRunBatchOnInjectedClock(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("date,y\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 200 {
		fmt.Fprintf(&b, "%s,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), 10+math.Sin(2*math.Pi*float64(i)/24)+0.1*math.Sin(float64(3*i)))
	}
	data := filepath.Join(dir, "load.csv")
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	jf, err := readJobsText(t, fmt.Sprintf(`[[job]]
name = "m"
refit = "if-older-than 7d"
on-existing = "replace"
[job.source]
path = %q
target = "y"
[job.settings]
lookback = 12
horizon = 6
season = 24
layers = 1
hidden = 4
epochs = 1
`, data))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "f.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC) // years from the machine's time either way
	clock := &fakeClock{}
	db.Now = clock.Now
	opt := pipeline.BatchOptions{Workers: 1, Command: "batch", Args: []string{"batch"}, ProgramVersion: "test", Clock: clock}
	for _, step := range []struct {
		after   time.Duration
		trained []string
	}{
		{0, []string{"m@1"}},                  // no version yet
		{6 * 24 * time.Hour, nil},             // m@1 is 6 days old: reused
		{8 * 24 * time.Hour, []string{"m@2"}}, // m@1 is 8 days old: refit
	} {
		clock.now = start.Add(step.after)
		sum, err := pipeline.RunBatch(ctx, db, jf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Done != 1 || sum.Failed != 0 || !reflect.DeepEqual(sum.Versions, step.trained) {
			t.Errorf("at start+%v: %d done, %d failed, trained %v; want 1 done and %v trained", step.after, sum.Done, sum.Failed, sum.Versions, step.trained)
		}
		if !sum.Run.StartedAt.Equal(clock.now) || sum.Elapsed != 0 {
			t.Errorf("at start+%v: run started %v and took %v, want the clock's time and no time", step.after, sum.Run.StartedAt, sum.Elapsed)
		}
	}
	mv, err := db.FindModelVersion(ctx, store.ModelRef{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(8 * 24 * time.Hour); mv.Version != 2 || !mv.CreatedAt.Equal(want) {
		t.Errorf("newest version %s created %v, want m@2 created %v", mv.Ref(), mv.CreatedAt, want)
	}
}

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

// writeFile writes content to a new file called name and returns its path.
var writeFile = testfiles.File

// writeSeriesDir writes n hourly series into a new directory (see
// testfiles.SeriesDir).
var writeSeriesDir = testfiles.SeriesDir

// batchRun is a batch run of a test and the events it told.
type batchRun struct {
	sum    *pipeline.BatchSummary
	events []pipeline.Event
}

// stored returns the outcomes of the series the run stored, by series id.
func (r batchRun) stored() map[string]*store.BatchSeries {
	out := map[string]*store.BatchSeries{}
	for _, e := range r.events {
		if s, ok := e.(pipeline.SeriesStored); ok {
			out[s.Series.Series] = s.Series
		}
	}
	return out
}

// runJobs runs the jobs file body on db with opt (2 workers if not set)
// and records the events.
func runJobs(t *testing.T, db *store.DB, body string, opt pipeline.BatchOptions) batchRun {
	t.Helper()
	jf, err := readJobsText(t, body)
	if err != nil {
		t.Fatal(err)
	}
	var r batchRun
	opt.Command = "batch"
	if opt.Workers == 0 {
		opt.Workers = 2
	}
	opt.Progress = func(e pipeline.Event) { r.events = append(r.events, e) }
	if r.sum, err = pipeline.RunBatch(context.Background(), db, jf, opt); err != nil {
		t.Fatal(err)
	}
	return r
}

// What a batch killed while it forecasts leaves: once its first series is
// stored, its run names the version it trained and its job row the
// decision and the version, though neither has finished.
func TestRunBatchRecordsAsItGoes(t *testing.T) {
	dir := writeSeriesDir(t, 3, 200)
	body := fmt.Sprintf("[[job]]\nname = \"load\"\nrefit = \"always\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings)
	db := openStore(t)
	jf, err := readJobsText(t, body)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite3", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var seen string
	opt := pipeline.BatchOptions{Workers: 1, Command: "batch", Progress: func(e pipeline.Event) {
		if _, ok := e.(pipeline.SeriesStored); !ok || seen != "" {
			return
		}
		if err := reader.QueryRow(`
			SELECT r.wrote || ' ' || j.status || ' ' || j.decision || ' ' || coalesce(j.model_version_id, 'NULL')
			FROM runs AS r JOIN batch_jobs AS j ON j.run_id = r.id`).Scan(&seen); err != nil {
			t.Error(err)
		}
	}}
	if _, err := pipeline.RunBatch(context.Background(), db, jf, opt); err != nil {
		t.Fatal(err)
	}
	// The series are stored in groups: the first group's count.
	if head, tail := `{"model_versions":["load@1"],"forecasts":`, ` running fit a first version: model "load" not found 1`; !strings.HasPrefix(seen, head) || !strings.HasSuffix(seen, tail) {
		t.Errorf("after the first series stored:\n got %s\nwant %s…%s", seen, head, tail)
	}
}

// A glob of files: a series that cannot be read and one too short to
// forecast fail alone and are recorded with their errors; the second run
// skips what was forecast from the same data and trains nothing; a third,
// on new data of one series, reuses the version for it alone.
func TestRunBatchResults(t *testing.T) {
	dir := writeSeriesDir(t, 6, 200)
	broken := filepath.Join(dir, "s90.csv")
	if err := os.WriteFile(broken, []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,oops\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s91.csv"), []byte("date,load\n2024-01-01 00:00,1\n2024-01-01 01:00,2\n2024-01-01 02:00,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("[[job]]\nname = \"load\"\nrefit = \"always\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings)
	db := openStore(t)

	r := runJobs(t, db, body, pipeline.BatchOptions{Workers: 3})
	sum := r.sum
	if sum.Done != 6 || sum.Failed != 1 || sum.Skipped != 1 || sum.Forecasts != 36 || sum.JobsFailed != 0 || sum.Interrupted {
		t.Fatalf("summary %+v: want 6 done, 1 failed, 1 skipped, 36 forecasts, no job failed", sum)
	}
	if !reflect.DeepEqual(sum.Versions, []string{"load@1"}) || sum.Failures() != "1 of 8 series failed" || sum.Cause() == nil {
		t.Errorf("versions %v, failures %q, cause %v: want load@1 trained, 1 of 8 series failed", sum.Versions, sum.Failures(), sum.Cause())
	}
	if len(sum.Jobs) != 1 {
		t.Fatalf("%d job results, want 1", len(sum.Jobs))
	}
	j := sum.Jobs[0]
	if !j.Refit || j.Decision != `fit a first version: model "load" not found` || j.Trained != "load@1" || j.Model != "load@1" || !j.Forecast || j.Err != nil {
		t.Errorf("job %+v: want a first version load@1 trained and forecast with", j)
	}
	var failed []string
	for _, f := range j.Failures {
		failed = append(failed, f.Series)
	}
	// s90's column cannot be read: it fails under the id it would have
	// had; s91 reads but is too short for the model: left out.
	if !reflect.DeepEqual(failed, []string{"s90/load"}) {
		t.Errorf("failures %v, want s90/load", failed)
	}
	stored := r.stored()
	if len(stored) != 8 {
		t.Fatalf("%d series stored, want 8", len(stored))
	}
	if s := stored["s90/load"]; s == nil || s.Status != "failed" || !strings.Contains(s.Error, broken+`:3:2 (column "load"): parse "oops" as a number`) {
		t.Errorf("s90/load: %+v, want failed on line 3, column 2", s)
	}
	if s := stored["s91/load"]; s == nil || s.Status != "skipped" || s.Cutoff != "-" || !strings.Contains(s.Error, "needs more than a season (24) of values, the input has 3") {
		t.Errorf("s91/load: %+v, want skipped as too short for the season", s)
	}
	if s := stored["s00/load"]; s.Status != "done" || len(s.Forecasts) != 6 || s.ModelVersionID == 0 {
		t.Errorf("s00/load: %s with %d forecasts, want done with 6", s.Status, len(s.Forecasts))
	}

	// The same data again: nothing is trained, the forecast series skipped.
	r = runJobs(t, db, body, pipeline.BatchOptions{})
	j = r.sum.Jobs[0]
	if r.sum.Done != 0 || r.sum.Skipped != 7 || r.sum.Failed != 1 || r.sum.Versions != nil || j.Trained != "" || j.Model != "load@1" {
		t.Errorf("second run %+v, job %+v: want 7 skipped by load@1, 1 failed, nothing trained", r.sum, j)
	}
	if !slicesContain(r.events, pipeline.NoFit{Job: "load", Lookback: 12, ShortToo: true}) {
		t.Errorf("events %v: want NoFit, the short series not forecast before", r.events)
	}
	// The job's row says no fit followed the decision to refit.
	reader, err := sql.Open("sqlite3", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	var decision string
	if err := reader.QueryRow(`SELECT decision FROM batch_jobs WHERE run_id = ?`, r.sum.Run.ID).Scan(&decision); err != nil {
		t.Fatal(err)
	}
	if want := "refit (always) after load@1; no fit: every series was forecast from its data before or is shorter than the lookback"; decision != want {
		t.Errorf("second run's decision %q, want %q", decision, want)
	}

	// New data for one series: only it is forecast, by the stored version.
	f, err := os.OpenFile(filepath.Join(dir, "s00.csv"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "2024-01-09 08:00,1.5\n")
	f.Close()
	os.Remove(broken)
	os.Remove(filepath.Join(dir, "s91.csv"))
	r = runJobs(t, db, strings.Replace(body, `"always"`, `"never"`, 1), pipeline.BatchOptions{})
	j = r.sum.Jobs[0]
	if j.Refit || j.Model != "load@1" || j.Done != 1 || j.Skipped != 5 || j.Failed != 0 || r.sum.Cause() != nil {
		t.Errorf("third run, job %+v: want load@1 reused, 1 done, 5 skipped", j)
	}
	if s := r.stored()["s00/load"]; s == nil || s.Status != "done" {
		t.Errorf("s00/load: %+v, want it forecast again", s)
	}
}

// A file of another frequency among a glob's, read first, with room for
// one series to train on, is left out of training and fails alone; the
// others, of the commonest frequency, are trained on and forecast.
func TestRunBatchOtherFrequency(t *testing.T) {
	dir := writeSeriesDir(t, 3, 200)
	var b strings.Builder
	b.WriteString("date,load\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 400 {
		fmt.Fprintf(&b, "%s,%.4f\n", t0.Add(time.Duration(i)*15*time.Minute).Format("2006-01-02 15:04"), 5+math.Sin(float64(i)/4))
	}
	if err := os.WriteFile(filepath.Join(dir, "a00.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("[[job]]\nname = \"load\"\nrefit = \"always\"\ntrain-series = 1\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings)
	r := runJobs(t, openStore(t), body, pipeline.BatchOptions{})
	j := r.sum.Jobs[0]
	if j.Err != nil || j.Trained != "load@1" || r.sum.Done != 3 || r.sum.Failed != 1 {
		t.Fatalf("job %+v, summary %+v: want load@1 trained on the hourly series, 3 done, 1 failed", j, r.sum)
	}
	if s := r.stored()["a00/load"]; s == nil || s.Status != "failed" || !strings.Contains(s.Error, "the data is 15m, but model load@1 was trained on hourly data") {
		t.Errorf("a00/load: %+v, want failed for its frequency", s)
	}
}

// slicesContain reports whether events holds e.
func slicesContain(events []pipeline.Event, e pipeline.Event) bool {
	for _, x := range events {
		if x == e {
			return true
		}
	}
	return false
}

// The shards of N partition the series: each id is in exactly one, and
// the runs of the N shards forecast every series once.
func TestShards(t *testing.T) {
	const n = 3
	counts := make([]int, n)
	for k := range 1000 {
		id := fmt.Sprintf("series-%d", k)
		in := 0
		for i := range n {
			if (pipeline.BatchOptions{Shard: i, Shards: n}).InShard(id) {
				in++
				counts[i]++
			}
		}
		if in != 1 {
			t.Fatalf("%s is in %d of %d shards, want 1", id, in, n)
		}
	}
	for i, c := range counts {
		if c < 250 {
			t.Errorf("shard %d of %d holds %d of 1000 ids, want about a third", i, n, c)
		}
	}
	// Ids of bytes of one parity, as shops' names may be, spread over 2
	// and 4 shards too: the low bits of FNV-1a alone put every such id in
	// one shard of 2 and two of 4.
	even := "bdfhjlnprtvxz"
	for _, shards := range []int{2, 4} {
		counts := make([]int, shards)
		for k := range 169 {
			id := string([]byte{even[k/13], even[k%13]})
			for i := range shards {
				if (pipeline.BatchOptions{Shard: i, Shards: shards}).InShard(id) {
					counts[i]++
				}
			}
		}
		for i, c := range counts {
			if c < 169/shards/2 {
				t.Errorf("shard %d of %d holds %d of 169 ids of even bytes, want about %d", i, shards, c, 169/shards)
			}
		}
	}

	dir := writeSeriesDir(t, 8, 150)
	body := fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s", filepath.Join(dir, "*.csv"), batchSettings)
	db := openStore(t)
	runJobs(t, db, body, pipeline.BatchOptions{Shard: 0, Shards: 0}) // all series, training load@1
	replace := strings.Replace(body, "name = \"load\"\n", "name = \"load\"\non-existing = \"replace\"\n", 1)
	seen := map[string]int{}
	for i := range n {
		r := runJobs(t, db, replace, pipeline.BatchOptions{Shard: i, Shards: n})
		for id := range r.stored() {
			seen[id]++
		}
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("%s forecast by %d shards, want 1", id, k)
		}
	}
	// A shard that holds none of the series says so, not that every
	// series was forecast before.
	const many = 64
	tried := false
	for i := range many {
		empty := true
		for id := range seen {
			empty = empty && !(pipeline.BatchOptions{Shard: i, Shards: many}).InShard(id)
		}
		if !empty {
			continue
		}
		r := runJobs(t, openStore(t), body, pipeline.BatchOptions{Shard: i, Shards: many})
		if got := r.sum.Jobs[0].Decision; !strings.HasSuffix(got, "; no fit: no series in this shard") {
			t.Errorf("shard %d/%d of none of the series: decision %q", i, many, got)
		}
		tried = true
		break
	}
	if !tried {
		t.Fatalf("none of %d shards is empty of %d series", many, len(seen))
	}
	if len(seen) != 8 {
		t.Errorf("the shards forecast %d series, want all 8: %v", len(seen), seen)
	}
}

// A dry run plans what a batch would do, and writes nothing: first a fit
// and every series forecast; after the batch, the version reused and every
// series skipped; and, with actuals far from the forecasts, a refit by
// realised accuracy.
func TestDryRun(t *testing.T) {
	dir := writeSeriesDir(t, 3, 150)
	body := fmt.Sprintf("[[job]]\nname = \"load\"\nrefit = \"if-accuracy-worse-than 3\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
		filepath.Join(dir, "*.csv"), batchSettings)
	jf, err := readJobsText(t, body)
	if err != nil {
		t.Fatal(err)
	}
	ctx, db := context.Background(), openStore(t)
	var opt pipeline.BatchOptions // one worker, the system's clock
	plan := func() *pipeline.JobPlan {
		t.Helper()
		plans, err := pipeline.DryRun(ctx, db, jf, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 1 {
			t.Fatalf("%d plans, want 1", len(plans))
		}
		return plans[0]
	}
	p := plan()
	if !p.Refit || p.Model != "" || p.Forecast != 3 || p.Skip != 0 || p.Unreadable != 0 || p.Err != nil {
		t.Errorf("first plan %+v: want a fit and 3 series forecast", p)
	}
	if want := (pipeline.SeriesPlan{ID: "s00/load", Cutoff: "2024-01-07T05:00:00Z", Action: pipeline.Forecast}); p.Series[0] != want {
		t.Errorf("first series %+v, want %+v", p.Series[0], want)
	}
	if runs := countRuns(t, db); runs != 0 {
		t.Fatalf("a dry run recorded %d runs", runs)
	}

	runJobs(t, db, body, pipeline.BatchOptions{})
	p = plan()
	if p.Refit || p.Model != "load@1" || p.Forecast != 0 || p.Skip != 3 || !strings.HasPrefix(p.Decision, "reuse load@1 (refit if-accuracy-worse-than 3)") {
		t.Errorf("plan after the batch %+v: want load@1 reused and 3 series skipped", p)
	}

	// Actuals far from every forecast of s00.
	s, err := db.FindForecasts(ctx, store.ForecastFilter{Series: "s00/load"})
	if err != nil {
		t.Fatal(err)
	}
	var actuals []store.Actual
	for _, f := range s {
		actuals = append(actuals, store.Actual{Series: f.Series, Time: f.Time, Value: f.Value + 1000})
	}
	if err := db.SaveActuals(ctx, &store.Run{Command: "actuals", StartedAt: time.Now()}, actuals); err != nil {
		t.Fatal(err)
	}
	p = plan()
	if !p.Refit || !strings.HasPrefix(p.Decision, "refit: load@1 has realised MASE ") || !strings.HasSuffix(p.Decision, "over 1 series, worse than 3") {
		t.Errorf("plan with bad actuals: %q, want a refit by realised MASE over 1 series", p.Decision)
	}
}

// countRuns counts the runs recorded in db.
func countRuns(t *testing.T, db *store.DB) int {
	t.Helper()
	runs, err := db.ListRuns(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(runs)
}

// A rows-layout source (as M4) is streamed a row at a time: the model
// trains on train-series of them, and a series with a bad value fails
// alone, located on its line and column.
func TestRunBatchRowsLayout(t *testing.T) {
	const n, rows = 150, 120
	var b strings.Builder
	b.WriteString("id")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, ",V%d", i)
	}
	b.WriteString("\n")
	for k := range n {
		fmt.Fprintf(&b, "T%d", k)
		for i := range rows {
			if k == 100 && i == 50 {
				b.WriteString(",x")
				continue
			}
			fmt.Fprintf(&b, ",%.3f", 100+float64(k)+5*math.Sin(2*math.Pi*float64(i)/24)+math.Sin(float64(i*k)))
		}
		b.WriteString("\n")
	}
	data := writeFile(t, "rows.csv", b.String())
	db := openStore(t)
	r := runJobs(t, db, fmt.Sprintf("[[job]]\nname = \"rows\"\nrefit = \"always\"\ntrain-series = 20\n[job.source]\npath = %q\nlayout = \"rows\"\n%s",
		data, batchSettings), pipeline.BatchOptions{})
	j := r.sum.Jobs[0]
	if j.Trained != "rows@1" || j.Done != n-1 || j.Failed != 1 || j.Forecasts != (n-1)*6 {
		t.Fatalf("job %+v: want rows@1 trained, %d series done, 1 failed", j, n-1)
	}
	if f := j.Failures[0]; f.Series != "rows/T100" || !strings.HasPrefix(f.Error, data+`:102:52 (column "V51"): parse "x" as a number`) {
		t.Errorf("failure %s: %q, want rows/T100 on line 102, column 52", f.Series, f.Error)
	}
	var trained pipeline.Trained
	for _, e := range r.events {
		if e, ok := e.(pipeline.Trained); ok {
			trained = e
		}
	}
	if trained.Series != 20 || trained.Unusable != 2 || trained.Ref != "rows@1" {
		t.Errorf("trained %s on %d series, %d left out; want rows@1 on 20, the bad series and the one read past the 20th left out", trained.Ref, trained.Series, trained.Unusable)
	}
	mv, err := db.FindModelVersion(context.Background(), store.ModelRef{Name: "rows"})
	if err != nil {
		t.Fatal(err)
	}
	if mv.DataSeries != "20 series" {
		t.Errorf("stored version trained on %q, want 20 series", mv.DataSeries)
	}
}

// A long-layout source is streamed one series at a time: a series with a
// bad value fails alone, located on its line.
func TestRunBatchLongLayout(t *testing.T) {
	const n, rows = 30, 120
	var b strings.Builder
	b.WriteString("unit,ds,y\n")
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := range n {
		for i := range rows {
			v := fmt.Sprintf("%.3f", 100+float64(k)+5*math.Sin(2*math.Pi*float64(i)/24)+math.Sin(float64(i*k)))
			if k == 7 && i == 50 {
				v = "x" // on line 2 + 7*120 + 50 = 892
			}
			fmt.Fprintf(&b, "u%02d,%s,%s\n", k, t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), v)
		}
	}
	data := writeFile(t, "long.csv", b.String())
	r := runJobs(t, openStore(t), fmt.Sprintf("[[job]]\nname = \"long\"\nrefit = \"always\"\ntrain-series = 10\n[job.source]\npath = %q\nid = \"unit\"\ntarget = \"y\"\n%s",
		data, batchSettings), pipeline.BatchOptions{})
	j := r.sum.Jobs[0]
	if j.Done != n-1 || j.Failed != 1 || len(j.Failures) != 1 {
		t.Fatalf("job %+v: want %d series done, 1 failed", j, n-1)
	}
	if f := j.Failures[0]; f.Series != "long/u07" || !strings.HasPrefix(f.Error, data+`:892:3 (column "y"): parse "x" as a number`) {
		t.Errorf("failure %s: %q, want long/u07 on line 892, column 3", f.Series, f.Error)
	}
	if got := len(r.stored()); got != n {
		t.Errorf("%d series stored, want %d", got, n)
	}
}

// A batch and predict forecast a series bit for bit alike from one stored
// version: the forecasts the batch stores are those StoredModel.Predict
// makes of the same data read with the job's options.
func TestRunBatchForecastsAsPredict(t *testing.T) {
	dir := writeSeriesDir(t, 3, 200)
	body := fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s", filepath.Join(dir, "*.csv"), batchSettings)
	jf, err := readJobsText(t, body)
	if err != nil {
		t.Fatal(err)
	}
	db := openStore(t)
	r := runJobs(t, db, body, pipeline.BatchOptions{})
	stored := r.stored()["s01/load"]
	if stored == nil || stored.Status != "done" {
		t.Fatalf("s01/load: %+v, want it forecast", stored)
	}
	mv, err := db.FindModelVersion(context.Background(), store.ModelRef{Name: "load", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	m, err := pipeline.NewStoredModel(mv)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "s01.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := jf.Jobs[0].Source
	opt.Name = f.Name()
	d, err := ingest.LoadAll(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := d.Series[0]
	s.ID = "s01" // a batch over a glob knows a file's one series by the file, as the model does
	pred, err := m.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	if want := pred.Forecasts("s01/load"); !reflect.DeepEqual(stored.Forecasts, want) {
		t.Errorf("batch stored\n%+v\npredict makes\n%+v", stored.Forecasts, want)
	}
}

// A version trained on one series names it as its forecasts are stored
// (SOURCE/ID), as fit's do: "load" named no stored series.
func TestRunBatchVersionNamesItsSeries(t *testing.T) {
	dir := writeSeriesDir(t, 1, 200)
	body := fmt.Sprintf("[[job]]\nname = \"load\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s", filepath.Join(dir, "s00.csv"), batchSettings)
	db := openStore(t)
	r := runJobs(t, db, body, pipeline.BatchOptions{})
	if s := r.stored()["s00/load"]; s == nil || s.Status != "done" {
		t.Fatalf("s00/load: %+v, want it forecast", s)
	}
	mv, err := db.FindModelVersion(context.Background(), store.ModelRef{Name: "load", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if mv.DataSeries != "s00/load" {
		t.Errorf("the version's series is %q, want s00/load", mv.DataSeries)
	}
}

// TestRunBatchNothingToTrainOn: a job whose series are all too short
// fails as a job, saying why and naming the lookback as configured
// ("auto", not 0); one whose series repeat each day exactly, or stay flat
// (nothing to train on: MASE is undefined), is forecast by seasonal naive
// alone, every value exactly, as fit forecasts each, whichever series the
// model was fitted on (the flat one, read first).
func TestRunBatchNothingToTrainOn(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int, value func(i int) int) string {
		var b strings.Builder
		b.WriteString("date,load\n")
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			fmt.Fprintf(&b, "%s,%d\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), value(i))
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	job := func(path string) string {
		return fmt.Sprintf("[[job]]\nname = \"d\"\n[job.source]\npath = %q\ntarget = \"load\"\n[job.settings]\nhorizon = 6\nepochs = 1\n", path)
	}
	r := runJobs(t, openStore(t), job(write("short.csv", 10, func(i int) int { return i })), pipeline.BatchOptions{})
	if len(r.sum.Jobs) != 1 || r.sum.Jobs[0].Err == nil {
		t.Fatalf("jobs %+v: want one that failed", r.sum.Jobs)
	}
	if msg := r.sum.Jobs[0].Err.Error(); !strings.Contains(msg, "with lookback auto and horizon 6") {
		t.Errorf("job error %q: want it to name lookback auto", msg)
	}

	if err := os.Remove(filepath.Join(dir, "short.csv")); err != nil {
		t.Fatal(err)
	}
	write("daily.csv", 200, func(i int) int { return i % 24 })
	write("a_flat.csv", 100, func(int) int { return 3 })
	db := openStore(t)
	r = runJobs(t, db, job(filepath.Join(dir, "*.csv")), pipeline.BatchOptions{})
	if len(r.sum.Jobs) != 1 || r.sum.Jobs[0].Err != nil {
		t.Fatalf("jobs %+v: want one that succeeded", r.sum.Jobs)
	}
	want := map[string]func(step int) float64{
		"daily/load":  func(step int) float64 { return float64((200 + step - 1) % 24) },
		"a_flat/load": func(int) float64 { return 3 },
	}
	for id, next := range want {
		fcs, err := db.FindForecasts(context.Background(), store.ForecastFilter{Series: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(fcs) != 6 {
			t.Fatalf("series %s: %d forecasts stored, want 6", id, len(fcs))
		}
		for _, f := range fcs {
			if f.Value != next(f.Step) || f.Method != forecast.MethodSeasonalNaive {
				t.Errorf("series %s: step %d forecast %g by %s, want %g by seasonal naive", id, f.Step, f.Value, f.Method, next(f.Step))
			}
		}
	}
}

// A signal that comes after a job's last series interrupts nothing: the
// run and its job are recorded as done. One that comes before a job
// begins interrupts that job and the run.
func TestRunBatchSignalledAfterLastSeries(t *testing.T) {
	dir := writeSeriesDir(t, 2, 200)
	job := func(name string) string {
		return fmt.Sprintf("[[job]]\nname = %q\nrefit = \"always\"\n[job.source]\npath = %q\ntarget = \"load\"\n%s",
			name, filepath.Join(dir, "*.csv"), batchSettings)
	}
	for _, tc := range []struct {
		name, body  string
		cancelAt    func(pipeline.Event) bool
		interrupted bool
		status      string // of the last job's row
	}{
		{"after the last series", job("a"), func(e pipeline.Event) bool { _, ok := e.(pipeline.JobFinished); return ok }, false, "ok"},
		{"before the second job forecasts", job("a") + job("b"), func(e pipeline.Event) bool {
			d, ok := e.(pipeline.JobDecided)
			return ok && d.Job == "b"
		}, true, "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := openStore(t)
			jf, err := readJobsText(t, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := pipeline.BatchOptions{Command: "batch", Workers: 2, Progress: func(e pipeline.Event) {
				if tc.cancelAt(e) {
					cancel()
				}
			}}
			sum, err := pipeline.RunBatch(ctx, db, jf, opt)
			if err != nil {
				t.Fatal(err)
			}
			if sum.Interrupted != tc.interrupted || (sum.Cause() != nil) != tc.interrupted {
				t.Errorf("interrupted %v, cause %v: want interrupted %v", sum.Interrupted, sum.Cause(), tc.interrupted)
				for _, j := range sum.Jobs {
					t.Logf("%+v", j)
				}
			}
			reader, err := sql.Open("sqlite3", db.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer reader.Close()
			var runStatus, jobStatus string
			if err := reader.QueryRow(`SELECT status FROM runs WHERE id = ?`, sum.Run.ID).Scan(&runStatus); err != nil {
				t.Fatal(err)
			}
			if err := reader.QueryRow(`SELECT status FROM batch_jobs WHERE run_id = ? ORDER BY job DESC LIMIT 1`, sum.Run.ID).Scan(&jobStatus); err != nil {
				t.Fatal(err)
			}
			if runStatus != tc.status || jobStatus != tc.status {
				t.Errorf("run %s, last job %s: want %s", runStatus, jobStatus, tc.status)
			}
		})
	}
}
