package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxFill is the share of a series' values filling may invent when
// Options.MaxFill is 0.
const DefaultMaxFill = 0.10

// maxGapsNamed is how many gaps the error of too much filling names.
const maxGapsNamed = 3

// FillShare is the share of s's values that filling invented.
func FillShare(s *Series) float64 {
	if s.Len() == 0 {
		return 0
	}
	return float64(s.Quality.Filled) / float64(s.Len())
}

// checkFill refuses a series of which filling invented more than max of
// the values (0: DefaultMaxFill), naming the largest gaps.
func checkFill(s *Series, max float64) error {
	if max == 0 {
		max = DefaultMaxFill
	}
	share := FillShare(s)
	if share <= max {
		return nil
	}
	q := s.Quality
	var what []string
	if q.GapSteps > 0 {
		gaps := slices.Clone(q.Gaps)
		slices.SortStableFunc(gaps, func(a, b Gap) int { return cmp.Compare(b.Steps, a.Steps) })
		var at []string
		for _, g := range gaps[:min(len(gaps), maxGapsNamed)] {
			first := s.Freq.Add(g.After, 1)
			if g.Steps == 1 {
				at = append(at, FormatTime(first))
			} else {
				at = append(at, fmt.Sprintf("%s to %s (%d steps)", FormatTime(first), FormatTime(s.Freq.Add(g.After, g.Steps)), g.Steps))
			}
		}
		largest := "the largest"
		if len(gaps) == 1 {
			largest = "at"
		}
		what = append(what, fmt.Sprintf("%s absent in %s, %s %s", plural(q.GapSteps, s.Freq.String()+" step"), plural(len(q.Gaps), "gap"), largest, strings.Join(at, ", ")))
	}
	if q.Missing > 0 {
		what = append(what, plural(q.Missing, "missing value"))
	}
	if closed := closedWeekdays(s); closed != "" {
		return mark(ErrTooMuchFill, "series %q: filling would invent %d of its %d values (%s), more than the %s allowed: every %s is absent; "+
			"if nothing happens then (a shop closed), --fill zero --max-fill %d%% records those days as 0, and forecasts them so",
			s.ID, q.Filled, s.Len(), percent(share), percent(max), closed, int(math.Floor(100*share))+1)
	}
	return mark(ErrTooMuchFill, "series %q: filling would invent %d of its %d values (%s), more than the %s allowed: %s; "+
		"check the time column and the frequency (--freq), or allow more with --max-fill",
		s.ID, q.Filled, s.Len(), percent(share), percent(max), strings.Join(what, "; "))
}

// closedWeekdays names the days of the week, one or two, on which a daily
// series s is absent every week ("Sunday", "Saturday and Sunday") and
// which account for all its absent days; "" if there are none such, or it
// has missing values besides.
func closedWeekdays(s *Series) string {
	q := s.Quality
	if s.Freq != (Freq{Step: day}) || q.GapSteps == 0 || q.Missing > 0 {
		return ""
	}
	absent := map[time.Weekday]int{}
	for _, g := range q.Gaps {
		for k := 1; k <= g.Steps; k++ {
			absent[s.Freq.Add(g.After, k).Weekday()]++
		}
	}
	if len(absent) > 2 {
		return ""
	}
	var days []string
	for wd := time.Monday; wd <= time.Monday+6; wd++ {
		d := wd % 7
		n, ok := absent[d]
		if !ok {
			continue
		}
		// Every such day of the series' span, or all but one at either end.
		all := 0
		for t := s.Time(0); !t.After(s.Time(s.Len() - 1)); t = t.AddDate(0, 0, 1) {
			if t.Weekday() == d {
				all++
			}
		}
		if n < all || all < 4 {
			return ""
		}
		days = append(days, d.String())
	}
	return strings.Join(days, " and ")
}

// percent writes a share as a percentage to a tenth: "66.3 %", "10 %".
func percent(share float64) string {
	return strconv.FormatFloat(math.Round(1000*share)/10, 'f', -1, 64) + " %"
}

// FormatTime writes a time as a date, with the clock time if it is not
// midnight.
func FormatTime(t time.Time) string {
	switch {
	case t.Nanosecond() != 0:
		return t.Format("2006-01-02 15:04:05.999999999")
	case t.Second() != 0:
		return t.Format("2006-01-02 15:04:05")
	case t.Hour() != 0 || t.Minute() != 0:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// regularize puts a series on the grid of f from its first time: rows that
// are k > 1 steps apart have k-1 absent steps between them, which are
// recorded in q and, unless method is FillNone, inserted as missing values
// (NaN) into the values and covariates. A row off the grid is an error,
// reported with its index, unless method is FillNone, which leaves the
// rows as they are; given says f was given, not inferred.
func regularize(ts []time.Time, vals []float64, covs [][]float64, f Freq, given bool, method Fill, q *Quality) ([]time.Time, []float64, [][]float64, int, error) {
	n := len(ts)
	setFreq := "set the frequency (--freq)"
	if given {
		setFreq = "check the frequency given (--freq " + f.String() + ")"
	}
	var steps []int // steps[k] from ts[k-1] to ts[k]; allocated at the first gap
	total := 1
	for k := 1; k < n; k++ {
		st, ok := f.steps(ts[k-1], ts[k])
		switch {
		case !ok || st < 1:
			if method != FillNone {
				gap := ts[k].Sub(ts[k-1])
				if dst := gap%day == time.Hour || gap%day == day-time.Hour; dst && f.Months == 0 && f.Step%day == 0 && gap > time.Hour {
					return nil, nil, nil, k, fmt.Errorf("is not on the %s grid of the series: %s after the time before it, "+
						"as where the clocks change for daylight saving time: write the days as dates (2024-03-31), without a clock time or offset", f, durationText(gap))
				}
				return nil, nil, nil, k, fmt.Errorf("is not on the %s grid of the series: %s after the time before it; "+
					"%s, or --fill none to take the rows as they are", f, durationText(gap), setFreq)
			}
			q.Irregular++
			st = 1
		case st > 1:
			q.Gaps = append(q.Gaps, Gap{After: ts[k-1], Steps: st - 1})
			q.GapSteps += st - 1
			if method == FillNone {
				st = 1
			}
		}
		if st > 1 && steps == nil {
			steps = make([]int, n)
			for i := 1; i < k; i++ {
				steps[i] = 1
			}
		}
		if steps != nil {
			steps[k] = st
		}
		total += st
	}
	if method == FillNone || q.GapSteps == 0 {
		return ts, vals, covs, 0, nil
	}
	if limit := 10*n + 1_000_000; total > limit {
		worst := 1
		for k := range steps {
			if steps[k] > steps[worst] {
				worst = k
			}
		}
		return nil, nil, nil, worst, fmt.Errorf("leaves %d absent %s steps after the time before it: too many to fill; "+
			"%s, or --fill none", steps[worst]-1, f, setFreq)
	}
	nts := make([]time.Time, 0, total)
	nvals := make([]float64, 0, total)
	ncovs := make([][]float64, len(covs))
	for c := range covs {
		ncovs[c] = make([]float64, 0, total)
	}
	for k := range n {
		for j := 1; j < steps[k]; j++ {
			nts = append(nts, f.Add(ts[k-1], j))
			nvals = append(nvals, math.NaN())
			for c := range covs {
				ncovs[c] = append(ncovs[c], math.NaN())
			}
		}
		nts = append(nts, ts[k])
		nvals = append(nvals, vals[k])
		for c := range covs {
			ncovs[c] = append(ncovs[c], covs[c][k])
		}
	}
	return nts, nvals, ncovs, 0, nil
}

// errAllMissing is fill's error for values that are all missing.
var errAllMissing = errors.New("every value is missing")

// fill fills the NaNs of v in place as method says and returns the range
// [lo, hi) to keep: missing values before the first value and after the
// last are left out by every method, since they are no gap in the series
// but rows before it began or after it ends (a store not in yet, future
// rows of planned covariates, which FillZero had turned into days of no
// sales). It counts what it filled and dropped in q.
func fill(v []float64, method Fill, q *Quality) (lo, hi int, err error) {
	first, last, missing := -1, -1, 0
	for k, x := range v {
		if math.IsNaN(x) {
			missing++
			continue
		}
		if first < 0 {
			first = k
		}
		last = k
	}
	if first < 0 {
		return 0, 0, errAllMissing
	}
	if missing == 0 {
		return 0, len(v), nil
	}
	dropped := first + len(v) - 1 - last
	q.Filled += missing - dropped
	q.Dropped += dropped
	prev := first
	for k := first + 1; k <= last; k++ {
		if math.IsNaN(v[k]) {
			switch method {
			case FillZero:
				v[k] = 0
			case FillForward:
				v[k] = v[k-1]
			}
			continue
		}
		if method == FillLinear && k > prev+1 {
			a, b := v[prev], v[k]
			for m := prev + 1; m < k; m++ {
				w := float64(m-prev) / float64(k-prev)
				v[m] = a + w*(b-a)
			}
		}
		prev = k
	}
	return first, last + 1, nil
}

// missingAt returns the indexes of the NaNs of v, the values fill is to
// fill or drop; nil if none.
func missingAt(v []float64) []int {
	var at []int
	for k, x := range v {
		if math.IsNaN(x) {
			at = append(at, k)
		}
	}
	return at
}

// keptAt returns the indexes of at in [lo, hi), less lo: where they are
// in the values fill keeps; nil if none.
func keptAt(at []int, lo, hi int) []int {
	var kept []int
	for _, k := range at {
		if k >= lo && k < hi {
			kept = append(kept, k-lo)
		}
	}
	return kept
}

// fillEdges sets NaNs at either end of v to the nearest value.
func fillEdges(v []float64) {
	for k := 1; k < len(v); k++ {
		if math.IsNaN(v[k]) {
			v[k] = v[k-1]
		}
	}
	for k := len(v) - 2; k >= 0; k-- {
		if math.IsNaN(v[k]) {
			v[k] = v[k+1]
		}
	}
}

// fillNote says what was filled in s, or "". Zoned says that its times
// were written in UTC or with their offsets, where no clock changes.
func fillNote(s *Series, method Fill, zoned bool) string {
	q := s.Quality
	var found []string
	if len(q.Gaps) > 0 {
		gaps := fmt.Sprintf("%s of %s in all", plural(len(q.Gaps), "gap"), plural(q.GapSteps, "absent step"))
		if !zoned && clocksForward(s) {
			gaps += " (an hour absent early on a Sunday is the hour clocks go forward in local time: write the times in UTC or with their UTC offsets)"
		}
		found = append(found, gaps)
	}
	if q.Missing > 0 {
		found = append(found, plural(q.Missing, "missing value"))
	}
	if q.Irregular > 0 {
		found = append(found, fmt.Sprintf("%s off the %s grid", plural(q.Irregular, "step"), s.Freq))
	}
	if len(found) == 0 {
		return ""
	}
	msg := fmt.Sprintf("series %q: %s", s.ID, strings.Join(found, ", "))
	if method == FillNone && q.Dropped > 0 { // SkipMissing's
		msg += fmt.Sprintf(": %s without a value left out", plural(q.Dropped, "row"))
		if len(q.Gaps) == 0 && q.Irregular == 0 {
			return msg
		}
		return msg + ", the times left as they are (fill none)"
	}
	if method == FillNone {
		return msg + ": left as they are (fill none)"
	}
	var done []string
	if q.Filled > 0 {
		how := map[Fill]string{FillForward: "the last value carried forward", FillLinear: "linear interpolation", FillZero: "zero"}[method]
		done = append(done, fmt.Sprintf("%d filled by %s", q.Filled, how))
	}
	if q.Dropped > 0 {
		done = append(done, fmt.Sprintf("%d at the start or end dropped", q.Dropped))
	}
	return msg + ": " + strings.Join(done, ", ")
}

// clocksForward reports whether every gap of s, of steps of an hour or
// less, is one hour from 01:00 or 02:00 of a Sunday of March, April,
// September or October: where local clocks go forward, as in Europe and
// North America (March) or Australia and New Zealand (September,
// October), an hour no clock shows.
func clocksForward(s *Series) bool {
	q := s.Quality
	if len(q.Gaps) == 0 || s.Freq.Months > 0 || s.Freq.BusinessDays > 0 || s.Freq.Step <= 0 || s.Freq.Step > time.Hour {
		return false
	}
	for _, g := range q.Gaps {
		start := g.After.Add(s.Freq.Step)
		switch start.Month() {
		case time.March, time.April, time.September, time.October:
		default:
			return false
		}
		if time.Duration(g.Steps)*s.Freq.Step != time.Hour || start.Weekday() != time.Sunday || start.Hour() < 1 || start.Hour() > 2 || start.Minute() != 0 {
			return false
		}
	}
	return true
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// durationText writes d in whole days or hours where it is one ("45
// days", not "1080h0m0s"), else as a Go duration.
func durationText(d time.Duration) string {
	switch {
	case d == day:
		return "1 day"
	case d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return d.String()
}

// refillSeasonal fills again the values of v at filled (in increasing
// order, none at either end), which linear interpolation filled, where v
// shows the season of m steps (Seasonal, its autocorrelation peaking at
// m): linearly between the values less
// their season, and the season added back, as R's forecast::na.interp
// does (with a classical decomposition for its STL). A line across a
// quarter's peak put 1984's first quarter of UK gas at 586 where it was
// 989; the season puts it near the peaks either side.
func refillSeasonal(v []float64, filled []int, m int) {
	n := len(v)
	if len(filled) == 0 || m < 2 || n < 3*m || !Seasonal(v, m) {
		return
	}
	// A season, not persistence: the autocorrelation peaks at the season
	// rather than decaying through it, as in a random walk or the daily
	// temperatures, whose lag of a week passes the test.
	if r := ACF(lessLine(v), m); !(r[m] > r[m/2]) {
		return
	}
	// The seasonal indices: the mean deviation of each position of the
	// season from the centred moving average of m steps (2×m for m even),
	// over the values observed, less their mean.
	isFilled := make([]bool, n)
	for _, k := range filled {
		isFilled[k] = true
	}
	half := m / 2
	sum, count := make([]float64, m), make([]int, m)
	for i := half; i < n-half; i++ {
		var ma float64
		if m%2 == 1 {
			for j := i - half; j <= i+half; j++ {
				ma += v[j]
			}
			ma /= float64(m)
		} else {
			ma = (v[i-half] + v[i+half]) / 2
			for j := i - half + 1; j < i+half; j++ {
				ma += v[j]
			}
			ma /= float64(m)
		}
		if !isFilled[i] {
			sum[i%m] += v[i] - ma
			count[i%m]++
		}
	}
	index := make([]float64, m)
	var mean float64
	for p := range index {
		if count[p] == 0 {
			return // a position never observed: no season to put back
		}
		index[p] = sum[p] / float64(count[p])
		mean += index[p] / float64(m)
	}
	for p := range index {
		index[p] -= mean
	}
	// Each run of filled values, between the observed values either side.
	for r := 0; r < len(filled); {
		first := filled[r]
		last := first
		for r++; r < len(filled) && filled[r] == last+1; r++ {
			last = filled[r]
		}
		before, after := first-1, last+1
		a, b := v[before]-index[before%m], v[after]-index[after%m]
		for k := first; k <= last; k++ {
			w := float64(k-before) / float64(after-before)
			v[k] = a + w*(b-a) + index[k%m]
		}
	}
}
