package pipeline_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/robfig/cron/v3"
)

// fakeClock is a Clock whose time moves only when the scheduler waits on
// it (After jumps to the end of the wait) or a test's run advances it, so
// that a Loop runs through hours of schedule at once and in order.
type fakeClock struct {
	now   time.Time
	waits []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.waits = append(c.waits, d)
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// quarterHours is every quarter of an hour; it falls on the same instants
// in every time zone of whole quarter hours, so the test does not depend
// on the machine's.
func quarterHours(t *testing.T) cron.Schedule {
	t.Helper()
	s, err := cron.ParseStandard("*/15 * * * *")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func at(hour, minute, sec int) time.Time {
	return time.Date(2026, 3, 1, hour, minute, sec, 0, time.UTC)
}

func TestSchedulerRunsAtTheScheduledTimes(t *testing.T) {
	clock := &fakeClock{now: at(9, 7, 30)}
	var waited, ran []time.Time
	s := pipeline.Scheduler{
		Clock:   clock,
		Next:    quarterHours(t).Next,
		Waiting: func(next time.Time) { waited = append(waited, next) },
		Run: func(ctx context.Context) bool {
			ran = append(ran, clock.now)
			clock.now = clock.now.Add(2 * time.Minute)
			return len(ran) == 3
		},
	}
	runs, why := s.Loop(context.Background())
	if runs != 3 || why != pipeline.RunStopped {
		t.Fatalf("Loop = %d, %v; want 3 runs stopped by the run", runs, why)
	}
	want := []time.Time{at(9, 15, 0), at(9, 30, 0), at(9, 45, 0)}
	if !slices.Equal(ran, want) || !slices.Equal(waited, want) {
		t.Fatalf("ran at %v after announcing %v, want %v", ran, waited, want)
	}
	// The waits are from the start and from the end of each 2-minute run.
	if wantWaits := []time.Duration{7*time.Minute + 30*time.Second, 13 * time.Minute, 13 * time.Minute}; !slices.Equal(clock.waits, wantWaits) {
		t.Fatalf("waited %v, want %v", clock.waits, wantWaits)
	}
}

// TestSchedulerDelaysRatherThanOverlaps: a run that outlasts the next time
// delays the following run to the first time after it ends; the missed
// time is not made up.
func TestSchedulerDelaysRatherThanOverlaps(t *testing.T) {
	clock := &fakeClock{now: at(9, 0, 0)}
	took := []time.Duration{20 * time.Minute, 0, 15 * time.Minute, 0}
	var ran []time.Time
	s := pipeline.Scheduler{
		Clock: clock,
		Next:  quarterHours(t).Next,
		Run: func(ctx context.Context) bool {
			ran = append(ran, clock.now)
			clock.now = clock.now.Add(took[len(ran)-1])
			return len(ran) == len(took)
		},
	}
	if runs, why := s.Loop(context.Background()); runs != 4 || why != pipeline.RunStopped {
		t.Fatalf("Loop = %d, %v; want 4 runs stopped by the run", runs, why)
	}
	// 09:15 runs to 09:35, so 09:30 is missed; the run of 10:00 ends at
	// 10:15 exactly, and the next time is after that, 10:30.
	if want := []time.Time{at(9, 15, 0), at(9, 45, 0), at(10, 0, 0), at(10, 30, 0)}; !slices.Equal(ran, want) {
		t.Fatalf("ran at %v, want %v", ran, want)
	}
}

func TestSchedulerStopsOnCancel(t *testing.T) {
	t.Run("WhileWaiting", func(t *testing.T) {
		clock := &fakeClock{now: at(9, 0, 0)}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var ran []time.Time
		s := pipeline.Scheduler{
			Clock: clock,
			Next:  quarterHours(t).Next,
			// The signal comes while the scheduler waits for its third run.
			Waiting: func(time.Time) {
				if len(ran) == 2 {
					cancel()
				}
			},
			Run: func(ctx context.Context) bool { ran = append(ran, clock.now); return false },
		}
		if runs, why := s.Loop(ctx); runs != 2 || why != pipeline.Cancelled {
			t.Fatalf("Loop = %d, %v; want 2 runs, cancelled", runs, why)
		}
		if want := []time.Time{at(9, 15, 0), at(9, 30, 0)}; !slices.Equal(ran, want) {
			t.Fatalf("ran at %v, want %v", ran, want)
		}
	})
	t.Run("DuringARun", func(t *testing.T) {
		clock := &fakeClock{now: at(9, 0, 0)}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		waits := 0
		s := pipeline.Scheduler{
			Clock:   clock,
			Next:    quarterHours(t).Next,
			Waiting: func(time.Time) { waits++ },
			// The signal comes during the first run, which ends normally.
			Run: func(ctx context.Context) bool { cancel(); return false },
		}
		if runs, why := s.Loop(ctx); runs != 1 || why != pipeline.Cancelled {
			t.Fatalf("Loop = %d, %v; want 1 run, cancelled", runs, why)
		}
		if waits != 1 {
			t.Fatalf("waited %d times, want once: no wait after the signal", waits)
		}
	})
}

func TestSchedulerStopsWithTheSchedule(t *testing.T) {
	times := []time.Time{at(9, 0, 0), at(12, 0, 0)}
	next := func(t time.Time) time.Time {
		for _, x := range times {
			if x.After(t) {
				return x
			}
		}
		return time.Time{}
	}
	clock := &fakeClock{now: at(8, 0, 0)}
	var ran []time.Time
	s := pipeline.Scheduler{
		Clock: clock,
		Next:  next,
		Run:   func(ctx context.Context) bool { ran = append(ran, clock.now); return false },
	}
	if runs, why := s.Loop(context.Background()); runs != 2 || why != pipeline.NoFurtherTime {
		t.Fatalf("Loop = %d, %v; want 2 runs, then no further time", runs, why)
	}
	if !slices.Equal(ran, times) {
		t.Fatalf("ran at %v, want %v", ran, times)
	}
}
