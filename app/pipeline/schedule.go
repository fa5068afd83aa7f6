package pipeline

import (
	"context"
	"time"
)

// Clock is the time a Scheduler keeps: the system's, or a test's.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives the time once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// After returns time.After(d).
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Scheduler runs a batch at the times of a schedule, one run at a time: a
// run still going when the next time comes delays that run to the first
// time of the schedule after it ends, and missed times are not made up.
type Scheduler struct {
	Clock Clock
	// Next returns the first time of the schedule after t, or the zero
	// time if there is none (as cron.Schedule's Next).
	Next func(t time.Time) time.Time
	// Waiting, if not nil, is told the time of each next run before the
	// wait for it begins.
	Waiting func(next time.Time)
	// Run runs the batch once; stop says the scheduler is to stop after
	// it (e.g. because the run was interrupted).
	Run func(ctx context.Context) (stop bool)
}

// Stop says why Scheduler.Loop returned.
type Stop int

const (
	// Cancelled: the context was done (a signal), while waiting or
	// during a run. A run that had begun has ended first.
	Cancelled Stop = iota
	// RunStopped: Run asked to stop.
	RunStopped
	// NoFurtherTime: the schedule has no time left.
	NoFurtherTime
)

// Loop waits for each time of the schedule and runs the batch then, until
// ctx is done, Run asks to stop or the schedule has no further time. It
// returns how many runs it began and why it stopped. A ctx done when a
// time comes stops the scheduler before that run begins.
func (s *Scheduler) Loop(ctx context.Context) (runs int, why Stop) {
	for {
		next := s.Next(s.Clock.Now())
		if next.IsZero() {
			return runs, NoFurtherTime
		}
		if s.Waiting != nil {
			s.Waiting(next)
		}
		select {
		case <-ctx.Done():
		case <-s.Clock.After(next.Sub(s.Clock.Now())):
		}
		if ctx.Err() != nil {
			return runs, Cancelled
		}
		runs++
		if s.Run(ctx) {
			return runs, RunStopped
		}
		if ctx.Err() != nil {
			return runs, Cancelled
		}
	}
}
