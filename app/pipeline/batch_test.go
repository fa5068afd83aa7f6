package pipeline_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
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
