package ingest

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Freq is the step between consecutive times: a number of calendar months,
// a number of business days or a fixed duration. When there are times
// exactly one of Months, BusinessDays and Step is non-zero, e.g. monthly
// is {Months: 1}, hourly {Step: time.Hour} and business-daily
// {BusinessDays: 1}. MonthEnd anchors month steps at the last day of the
// month (monthly data dated 31 Jan, 28 Feb, 31 Mar, …); BusinessEnd at
// the month's last weekday (29 Jan, 26 Feb, 31 Mar 2010, …, finance data
// dated on the last business day, pandas' BME); Day at a day of the month
// that some months are too short for, where those months take their last
// day (30 Jan, 28 Feb, 30 Mar, …, as adding months to 30 Jan in pandas or
// dateutil gives). At most one of MonthEnd, BusinessEnd and Day is set.
// The zero Freq means integer steps with no times.
type Freq struct {
	Months       int
	Step         time.Duration
	BusinessDays int  // Monday to Friday; Saturdays and Sundays are skipped
	MonthEnd     bool // with Months: every time is the last day of its month
	// With Months: every time is the last weekday (Monday to Friday) of
	// its month, or a weekday up to a few days before it where a holiday
	// moved it (28 Mar 2024, before Good Friday): a weekday of the last
	// week of its month.
	BusinessEnd bool
	Day         int // with Months: every time is on this day (29 or 30), or its month's last day if shorter
}

const day = 24 * time.Hour

// Add returns t advanced by k steps (k may be negative), keeping the
// anchoring of t:
//   - Month steps are anchored at the start of t's month, then the day of
//     t is kept, clamped to the length of the new month: from a day-1 time
//     Add is t.AddDate(0, k*f.Months, 0), and Jan 31 plus one month is
//     Feb 28 or 29. With MonthEnd the result is the last day of its month,
//     so Feb 28 plus one month is Mar 31; with BusinessEnd it is the
//     last weekday of its month, so 28 Mar 2024 (before Good Friday) plus
//     one month is 30 Apr 2024, and 31 Mar 2020 less one is 28 Feb (29
//     Feb was a Saturday); with Day it is that day, so with Day 30 Feb 28
//     plus one month is Mar 30.
//   - Business-day steps skip Saturdays and Sundays; from a weekend day
//     the first step lands on the Monday.
//   - Other steps add k*f.Step.
//
// The clock time is kept in every case. The zero Freq returns t.
func (f Freq) Add(t time.Time, k int) time.Time {
	switch {
	case f.BusinessDays != 0:
		return addBusinessDays(t, k*f.BusinessDays)
	case f.Months == 0:
		return addSteps(t, f.Step, k)
	}
	y, m, d := t.Date()
	start := time.Date(y, m+time.Month(k*f.Months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := time.Date(start.Year(), start.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case f.MonthEnd:
		d = last
	case f.BusinessEnd:
		d = lastWeekday(start.Year(), start.Month())
	case f.Day != 0:
		d = f.Day
	}
	return start.AddDate(0, 0, min(d, last)-1)
}

// lastWeekday returns the day of the last weekday (Monday to Friday) of
// month m of year y.
func lastWeekday(y int, m time.Month) int {
	last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	switch last.Weekday() {
	case time.Saturday:
		return last.Day() - 1
	case time.Sunday:
		return last.Day() - 2
	}
	return last.Day()
}

// lastWeekdayOfMonth says whether t is on the last weekday of its month.
func lastWeekdayOfMonth(t time.Time) bool {
	return t.Day() == lastWeekday(t.Year(), t.Month())
}

// businessEndWeek says whether t is a weekday of the last week (the last
// seven days) of its month: where month steps anchored at the business
// end may fall, the last weekday or a few days before it where a holiday
// moved it.
func businessEndWeek(t time.Time) bool {
	return !weekend(t) && t.AddDate(0, 0, 7).Month() != t.Month()
}

// addSteps moves t by k steps of d, in parts where the Duration k·d
// would overflow (beyond 292 years: 10 steps of 300000h).
func addSteps(t time.Time, d time.Duration, k int) time.Time {
	if d <= 0 {
		return t.Add(time.Duration(k) * d)
	}
	most := int(math.MaxInt64 / d) // steps whose Duration fits
	for k != 0 {
		n := max(min(k, most), -most)
		t, k = t.Add(time.Duration(n)*d), k-n
	}
	return t
}

// addBusinessDays moves t by n weekdays. From a Saturday or Sunday the
// count starts at the Friday before (moving forward) or the Monday after
// (moving back), so that the first step forward lands on the Monday.
func addBusinessDays(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 && weekend(t) {
		t = t.AddDate(0, 0, -step)
	}
	// Whole weeks first, then day by day.
	t = t.AddDate(0, 0, 7*step*(n/5))
	for n %= 5; n > 0; {
		t = t.AddDate(0, 0, step)
		if !weekend(t) {
			n--
		}
	}
	return t
}

func weekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Anchored returns f anchored at start, the first of the times f is to
// date from it: month steps from the 31st keep to months' ends (31 Jan,
// 29 Feb, 31 Mar), from the 29th or 30th to that day (see Freq.Day). A
// start off the grid f keeps is refused: a Saturday or Sunday for
// business days, another day than Day (or a shorter month's last),
// a day before the month's last with MonthEnd, a day that
// is not a weekday of the month's last week with BusinessEnd.
func (f Freq) Anchored(start time.Time) (Freq, error) {
	switch {
	case f.BusinessDays != 0 && weekend(start):
		return f, mark(ErrBadOption, "start %s is a %s: business days are Monday to Friday", FormatTime(start), start.Weekday())
	case f.Months == 0:
	case f.Day != 0:
		if start.Day() != f.Day && (start.Day() > f.Day || !lastOfMonth(start)) {
			return f, mark(ErrBadOption, "start %s is not on the %s steps' day of the month, nor the last of a shorter month", FormatTime(start), f)
		}
	case f.MonthEnd:
		if !lastOfMonth(start) {
			return f, mark(ErrBadOption, "start %s is not the last day of its month, where %s steps fall", FormatTime(start), f)
		}
	case f.BusinessEnd:
		if !businessEndWeek(start) {
			return f, mark(ErrBadOption, "start %s is not a weekday of the last week of its month, where %s steps fall", FormatTime(start), f)
		}
	case start.Day() == 31:
		f.MonthEnd = true
	case start.Day() >= 29:
		f.Day = start.Day()
	}
	return f, nil
}

// startTimes returns n times from start (in UTC) by f anchored there (see
// Freq.Anchored), and the anchored f. The first is start itself, also
// where a holiday moved it before its month's last weekday.
func startTimes(start time.Time, f Freq, n int) ([]time.Time, Freq, error) {
	if f == (Freq{}) {
		return nil, f, mark(ErrBadOption, "a start time needs a frequency")
	}
	start = start.UTC()
	f, err := f.Anchored(start)
	if err != nil {
		return nil, f, err
	}
	ts := make([]time.Time, n)
	for k := range ts {
		ts[k] = f.Add(start, k)
	}
	if n > 0 {
		ts[0] = start
	}
	return ts, f, nil
}

// monthEnds says whether every time is on the last day of its month and
// they are not all on one day of the month (31 Jan, 28 Feb, 31 Mar).
func monthEnds(ts []time.Time) bool {
	for _, t := range ts {
		if !lastOfMonth(t) {
			return false
		}
	}
	return slices.ContainsFunc(ts, func(t time.Time) bool { return t.Day() != ts[0].Day() })
}

// businessEnds says whether the times are monthly data dated on the last
// business day: the first and most others (see most) weekdays of the last
// week of their month, three in four of those on its last weekday and the
// rest a few days before it where a holiday moved them (28 Mar 2024,
// before Good Friday), and not all on their month's last day (those are
// month ends, see monthEnds). Data on the last Friday of each month are
// on its last weekday only three months in seven, and are not taken for
// it. A time off the grid among most on it is reported at its own line.
func businessEnds(ts []time.Time) bool {
	var ends, week, last int // times on the month's last day, in its last week on a weekday, on its last weekday
	for _, t := range ts {
		if lastOfMonth(t) {
			ends++
		}
		if businessEndWeek(t) {
			week++
		}
		if lastWeekdayOfMonth(t) {
			last++
		}
	}
	return len(ts) > 0 && businessEndWeek(ts[0]) && most(week, len(ts)) && 4*last >= 3*week && ends < len(ts)
}

// Unanchored is f without its anchoring in the month (MonthEnd,
// BusinessEnd, Day): month steps anchored apart are the same steps.
func (f Freq) Unanchored() Freq {
	f.MonthEnd, f.BusinessEnd, f.Day = false, false, 0
	return f
}

// lastOfMonth says whether t is on the last day of its month.
func lastOfMonth(t time.Time) bool {
	return t.AddDate(0, 0, 1).Day() == 1
}

// steps returns k such that f.Add(a, k) equals b, and false if there is no
// such k: b is not on the grid of a. With BusinessEnd, b may also be a
// weekday of the last week of its month on the clock of a, where a
// holiday moved it before the month's last weekday.
func (f Freq) steps(a, b time.Time) (int, bool) {
	var k int
	switch {
	case f.BusinessDays != 0:
		days := b.Sub(a)
		if days%day != 0 {
			return 0, false
		}
		n := weekdaysBetween(a, int(days/day))
		if n%f.BusinessDays != 0 {
			return 0, false
		}
		k = n / f.BusinessDays
	case f.Months != 0:
		m := monthIndex(b) - monthIndex(a)
		if m%f.Months != 0 {
			return 0, false
		}
		k = m / f.Months
		if f.BusinessEnd && businessEndWeek(b) && clock(b) == clock(a) {
			return k, true
		}
	case f.Step > 0:
		d := b.Sub(a)
		if d%f.Step != 0 {
			return 0, false
		}
		k = int(d / f.Step)
	default:
		return 0, false
	}
	return k, f.Add(a, k).Equal(b)
}

// weekdaysBetween counts the weekdays in (a, a+days] for days >= 0.
func weekdaysBetween(a time.Time, days int) int {
	n := days / 7 * 5
	t := a.AddDate(0, 0, days/7*7)
	for i := 0; i < days%7; i++ {
		t = t.AddDate(0, 0, 1)
		if !weekend(t) {
			n++
		}
	}
	return n
}

// String names the step: "hourly", "daily", "business-daily", "weekly",
// "monthly", "quarterly" and "yearly" for the common ones, else "<n>Y"
// for whole years ("10Y", decadal), "<n>mo" for other months, "<n>bd" for
// business days, "<n>d" for whole days and a
// duration such as "15m" otherwise; month steps anchored at the month's
// end get the suffix " (end)", at its last weekday " (business end)",
// those anchored at a Day " (day 30)". The zero Freq is "steps".
// ParseFreq reads every one of these names back.
func (f Freq) String() string {
	if f.BusinessDays == 1 {
		return "business-daily"
	} else if f.BusinessDays != 0 {
		return fmt.Sprintf("%dbd", f.BusinessDays)
	}
	end := ""
	switch {
	case f.MonthEnd:
		end = " (end)"
	case f.BusinessEnd:
		end = " (business end)"
	case f.Day != 0:
		end = fmt.Sprintf(" (day %d)", f.Day)
	}
	switch {
	case f.Months == 0:
	case f.Months == 1:
		return "monthly" + end
	case f.Months == 3:
		return "quarterly" + end
	case f.Months == 12:
		return "yearly" + end
	case f.Months%12 == 0:
		return fmt.Sprintf("%dY", f.Months/12) + end
	default:
		return fmt.Sprintf("%dmo", f.Months) + end
	}
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

// ParseFreq reads a frequency: a name that String returns ("hourly",
// "monthly (end)", "monthly (business end)", "3mo", "2bd", "15m", …), a
// Go duration ("90s", "1h30m"), or a pandas-style alias with an optional
// count: "min", "h", "D", "B" (business days), "W", "MS" and "ME" (month
// start and end), "BME" or "BM" (the month's last business day), "QS",
// "QE", "BQE", "YS", "YE", "BYE" ("15min", "2h", "3D", "QE").
func ParseFreq(s string) (Freq, error) {
	in := strings.TrimSpace(s)
	switch strings.ToLower(in) {
	case "hourly":
		return Freq{Step: time.Hour}, nil
	case "daily":
		return Freq{Step: day}, nil
	case "business-daily", "business", "bdaily":
		return Freq{BusinessDays: 1}, nil
	case "weekly":
		return Freq{Step: 7 * day}, nil
	case "monthly":
		return Freq{Months: 1}, nil
	case "quarterly":
		return Freq{Months: 3}, nil
	case "yearly", "annual":
		return Freq{Months: 12}, nil
	}
	// Month steps, not anchored yet, anchored once.
	months := func(f Freq, err error) bool { return err == nil && f.Months != 0 && f == Freq{Months: f.Months} }
	if base, ok := strings.CutSuffix(in, " (end)"); ok {
		f, err := ParseFreq(base)
		if !months(f, err) {
			return Freq{}, mark(ErrBadOption, "frequency %q: only month steps can be anchored at the end", s)
		}
		f.MonthEnd = true
		return f, nil
	}
	if base, ok := strings.CutSuffix(in, " (business end)"); ok {
		f, err := ParseFreq(base)
		if !months(f, err) {
			return Freq{}, mark(ErrBadOption, "frequency %q: only month steps can be anchored at the business end", s)
		}
		f.BusinessEnd = true
		return f, nil
	}
	if base, day, ok := strings.Cut(in, " (day "); ok && strings.HasSuffix(day, ")") {
		f, err := ParseFreq(base)
		d, derr := strconv.Atoi(strings.TrimSuffix(day, ")"))
		if !months(f, err) || derr != nil || d < 29 || d > 30 {
			return Freq{}, mark(ErrBadOption, "frequency %q: only month steps can be anchored at a day, the 29th or the 30th", s)
		}
		f.Day = d
		return f, nil
	}
	// A count and a unit.
	i := strings.IndexFunc(in, func(r rune) bool { return !unicode.IsDigit(r) })
	n := 1
	if i > 0 {
		var err error
		if n, err = strconv.Atoi(in[:i]); err != nil || n < 1 {
			return Freq{}, mark(ErrBadOption, "frequency %q: bad count", s)
		}
	}
	unit := in
	if i >= 0 {
		unit = in[i:]
	}
	var f Freq
	switch unit {
	case "min", "T":
		f.Step = stepOf(n, time.Minute)
	case "h", "H":
		f.Step = stepOf(n, time.Hour)
	case "d", "D":
		f.Step = stepOf(n, day)
	case "B", "bd":
		f.BusinessDays = n
	case "W":
		f.Step = stepOf(n, 7*day)
	case "mo", "MS":
		f.Months = n
	case "ME":
		f.Months, f.MonthEnd = n, true
	case "BME", "BM":
		f.Months, f.BusinessEnd = n, true
	case "QS", "Q":
		f.Months = 3 * min(n, maxFreqMonths)
	case "QE":
		f.Months, f.MonthEnd = 3*min(n, maxFreqMonths), true
	case "BQE":
		f.Months, f.BusinessEnd = 3*min(n, maxFreqMonths), true
	case "YS", "AS", "Y", "A":
		f.Months = 12 * min(n, maxFreqMonths)
	case "YE", "AE":
		f.Months, f.MonthEnd = 12*min(n, maxFreqMonths), true
	case "BYE":
		f.Months, f.BusinessEnd = 12*min(n, maxFreqMonths), true
	default:
		if d, err := time.ParseDuration(in); err == nil && d > 0 {
			f.Step = d
		}
	}
	switch {
	case f == (Freq{}):
		return Freq{}, mark(ErrBadOption, "unknown frequency %q: want e.g. hourly, daily, business-daily, weekly, monthly, quarterly, yearly, "+
			"15min, 2h, D, B, W, MS, ME, BME, QS, QE, YS, YE or a duration such as 90s", s)
	case f.Step > maxFreqStep || f.Months > maxFreqMonths || f.BusinessDays > maxFreqBusinessDays:
		return Freq{}, mark(ErrBadOption, "frequency %q: a step of more than 100 years", s)
	}
	return f, nil
}

// The longest step ParseFreq takes, 100 years: a time.Duration holds 292
// at most, and 300000h overflowed the times of ten rows.
const (
	maxFreqStep         = 36525 * day
	maxFreqMonths       = 1200
	maxFreqBusinessDays = 26100
)

// stepOf is n units, or maxFreqStep+1 (refused) where that is longer.
func stepOf(n int, unit time.Duration) time.Duration {
	if n > int(maxFreqStep/unit) {
		return maxFreqStep + 1
	}
	return time.Duration(n) * unit
}

// InferFreq returns the step of the times:
//   - If they share the day of the month and the clock time, the step is
//     counted in calendar months, so that 1949-01, 1949-02, … is monthly
//     although the months differ in length; likewise, with MonthEnd, if
//     every time is the last day of its month, with Day if every time is
//     on the 29th or 30th or, in February, on the month's last day, or
//     with BusinessEnd if every time is the last weekday of its month or,
//     where a holiday moved it, a weekday a few days before (see
//     businessEnds).
//   - Else if the most common step is one day, no time (or, of ten and
//     more, one in ten at most) falls on a Saturday or Sunday and the
//     times span a weekend, the step is one business day: one stray
//     Saturday is then off the grid at its own line, rather than making
//     every weekend a gap.
//   - Else it is the most common step between consecutive times, the
//     smallest on a tie.
//
// Times must strictly increase, and there must be at least two.
func InferFreq(times []time.Time) (Freq, error) {
	if len(times) < 2 {
		return Freq{}, mark(ErrEmpty, "infer frequency: want at least 2 times, got %d", len(times))
	}
	var clocks, days, ends, weekdays int // times on the first one's clock, day of the month; at a month's end; Monday to Friday
	for i, t := range times {
		if i > 0 && !t.After(times[i-1]) {
			return Freq{}, mark(ErrUnsorted, "infer frequency: time %d (%v) is not after time %d (%v)",
				i, t, i-1, times[i-1])
		}
		if clock(t) == clock(times[0]) {
			clocks++
		}
		if t.Day() == times[0].Day() {
			days++
		}
		if lastOfMonth(t) {
			ends++
		}
		if !weekend(t) {
			weekdays++
		}
	}
	n := len(times)
	sameClock, sameDay := most(clocks, n), most(days, n)
	monthEnd := most(ends, n) && lastOfMonth(times[0])
	anchor, exact, anchored := dayAnchor(times)
	onDay := anchor != 0 && anchored > exact && most(anchored, n)
	businessEnd := businessEnds(times)
	if sameClock && (sameDay || monthEnd || onDay || businessEnd) {
		months := mode(len(times)-1, func(i int) int {
			return monthIndex(times[i+1]) - monthIndex(times[i])
		})
		if months > 0 {
			f := Freq{Months: months}
			switch {
			case onDay:
				f.Day = anchor
			case monthEnd && !sameDay:
				f.MonthEnd = true
			case businessEnd && !sameDay:
				f.BusinessEnd = true
			}
			return f, nil
		}
	}
	step := mode(len(times)-1, func(i int) time.Duration {
		return times[i+1].Sub(times[i])
	})
	if step == day && sameClock && most(weekdays, n) && times[len(times)-1].Sub(times[0]) >= 6*day {
		return Freq{BusinessDays: 1}, nil
	}
	return Freq{Step: step}, nil
}

// most says whether k of n times is most of them: all of them, or nine in
// ten of ten and more. One date mistyped (2020-09-15 among first days of
// months) is then off the grid at its own line, rather than making the
// step a day count that the first ordinary month breaks.
func most(k, n int) bool {
	return k == n || n >= 10 && 10*k >= 9*n
}

// dayAnchor returns the day of the month most of the times fall on if it
// is the 29th or the 30th (else 0), how many fall on it, and how many fall
// on it or, in months too short for it, on their last day.
func dayAnchor(times []time.Time) (anchor, exact, anchored int) {
	anchor = mode(len(times), func(i int) int { return times[i].Day() })
	if anchor != 29 && anchor != 30 {
		return 0, 0, 0
	}
	for _, t := range times {
		switch {
		case t.Day() == anchor:
			exact++
			anchored++
		case t.Day() < anchor && lastOfMonth(t):
			anchored++
		}
	}
	return anchor, exact, anchored
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
