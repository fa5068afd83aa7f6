package app

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/store"
)

// fixedClock is a clock that shows the time a test sets.
type fixedClock struct{ now time.Time }

// Now returns the time the test set.
func (c *fixedClock) Now() time.Time { return c.now }

// After returns a channel that holds the time d after the set time.
func (c *fixedClock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- c.now.Add(d)
	return ch
}

// A batch takes "now" from its clock: the run's records, the versions'
// ages and so the refit policy's decisions follow the clock, not the
// machine's time.
func TestBatchOnInjectedClock(t *testing.T) {
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
	clock := &fixedClock{}
	db.Now = clock.Now
	a := &App{Stdout: io.Discard, Stderr: io.Discard, Version: "test"}
	opt := batchOptions{workers: 1, command: "batch", clock: clock}
	for _, step := range []struct {
		after   time.Duration
		trained []string
	}{
		{0, []string{"m@1"}},                  // no version yet
		{6 * 24 * time.Hour, nil},             // m@1 is 6 days old: reused
		{8 * 24 * time.Hour, []string{"m@2"}}, // m@1 is 8 days old: refit
	} {
		clock.now = start.Add(step.after)
		sum, err := a.runBatch(ctx, db, jf, opt, []string{"batch"})
		if err != nil {
			t.Fatal(err)
		}
		if sum.done != 1 || sum.failed != 0 || !reflect.DeepEqual(sum.versions, step.trained) {
			t.Errorf("at start+%v: %d done, %d failed, trained %v; want 1 done and %v trained", step.after, sum.done, sum.failed, sum.versions, step.trained)
		}
		if !sum.run.StartedAt.Equal(clock.now) || sum.elapsed != 0 {
			t.Errorf("at start+%v: run started %v and took %v, want the clock's time and no time", step.after, sum.run.StartedAt, sum.elapsed)
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
