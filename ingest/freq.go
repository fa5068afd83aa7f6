package ingest

import (
	"fmt"
	"strings"
	"time"
)

// Freq is the step between consecutive times: either a number of calendar
// months or a fixed duration. When there are times exactly one field is
// non-zero, e.g. monthly is {Months: 1} and hourly is {Step: time.Hour}.
// The zero Freq means integer steps with no times.
type Freq struct {
	Months int
	Step   time.Duration
}

// Add returns t advanced by k steps (k may be negative). Month steps are
// anchored at the start of t's month, then the day of t is kept, clamped
// to the length of the new month: from a day-1 time Add is
// t.AddDate(0, k*f.Months, 0), and Jan 31 plus one month is Feb 28 or 29.
// The zero Freq returns t.
func (f Freq) Add(t time.Time, k int) time.Time {
	if f.Months == 0 {
		return t.Add(time.Duration(k) * f.Step)
	}
	y, m, d := t.Date()
	start := time.Date(y, m+time.Month(k*f.Months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := time.Date(start.Year(), start.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return start.AddDate(0, 0, min(d, last)-1)
}

// String names the step: "hourly", "daily", "weekly", "monthly",
// "quarterly" and "yearly" for the common ones, else "<n>mo" for months,
// "<n>d" for whole days and a duration such as "15m" otherwise. The zero
// Freq is "steps".
func (f Freq) String() string {
	switch f.Months {
	case 0:
	case 1:
		return "monthly"
	case 3:
		return "quarterly"
	case 12:
		return "yearly"
	default:
		return fmt.Sprintf("%dmo", f.Months)
	}
	const day = 24 * time.Hour
	switch {
	case f.Step == 0:
		return "steps"
	case f.Step == time.Hour:
		return "hourly"
	case f.Step == day:
		return "daily"
	case f.Step == 7*day:
		return "weekly"
	case f.Step%day == 0:
		return fmt.Sprintf("%dd", f.Step/day)
	}
	s := f.Step.String() // "1h30m0s", "15m0s", "2h0m0s", "1.5s"
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// InferFreq returns the most common step between consecutive times, the
// smallest on a tie. If all times share the day of the month and the
// clock time, the step is counted in calendar months, so that 1949-01,
// 1949-02, … is monthly although the months differ in length. Times must
// strictly increase, and there must be at least two.
func InferFreq(times []time.Time) (Freq, error) {
	if len(times) < 2 {
		return Freq{}, mark(ErrEmpty, "infer frequency: want at least 2 times, got %d", len(times))
	}
	sameDay := true
	for i := 1; i < len(times); i++ {
		if !times[i].After(times[i-1]) {
			return Freq{}, mark(ErrUnsorted, "infer frequency: time %d (%v) is not after time %d (%v)",
				i, times[i], i-1, times[i-1])
		}
		sameDay = sameDay && times[i].Day() == times[0].Day() && clock(times[i]) == clock(times[0])
	}
	if sameDay {
		return Freq{Months: mode(len(times)-1, func(i int) int {
			return monthIndex(times[i+1]) - monthIndex(times[i])
		})}, nil
	}
	return Freq{Step: mode(len(times)-1, func(i int) time.Duration {
		return times[i+1].Sub(times[i])
	})}, nil
}

// clock returns the time of day of t, in t's location.
func clock(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}

// monthIndex counts months since year 0.
func monthIndex(t time.Time) int {
	return t.Year()*12 + int(t.Month()) - 1
}

// mode returns the most common of x(0), …, x(n-1), the smallest on a tie.
func mode[T int | time.Duration](n int, x func(int) T) T {
	counts := make(map[T]int)
	var best T
	for i := range n {
		v := x(i)
		counts[v]++
		if c := counts[v]; c > counts[best] || c == counts[best] && v < best {
			best = v
		}
	}
	return best
}
