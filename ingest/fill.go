package ingest

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// regularize puts a series on the grid of f from its first time: rows that
// are k > 1 steps apart have k-1 absent steps between them, which are
// recorded in q and, unless method is FillNone, inserted as missing values
// (NaN) into the values and covariates. A row off the grid is an error,
// reported with its index, unless method is FillNone, which leaves the
// rows as they are.
func regularize(ts []time.Time, vals []float64, covs [][]float64, f Freq, method Fill, q *Quality) ([]time.Time, []float64, [][]float64, int, error) {
	n := len(ts)
	var steps []int // steps[k] from ts[k-1] to ts[k]; allocated at the first gap
	total := 1
	for k := 1; k < n; k++ {
		st, ok := f.steps(ts[k-1], ts[k])
		switch {
		case !ok || st < 1:
			if method != FillNone {
				return nil, nil, nil, k, fmt.Errorf("is not on the %s grid of the series: %v after the time before it; "+
					"set the frequency (--freq), or --fill none to take the rows as they are", f, ts[k].Sub(ts[k-1]))
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
			"set the frequency (--freq), or --fill none", steps[worst]-1, f)
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

// fill fills the NaNs of v in place as method says and returns the range
// [lo, hi) to keep: missing values at the start (FillForward, FillLinear)
// and end (FillLinear) cannot be filled and are left out. It counts what it
// filled and dropped in q.
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
		return 0, 0, errors.New("every value is missing")
	}
	if missing == 0 {
		return 0, len(v), nil
	}
	switch method {
	case FillZero:
		for k, x := range v {
			if math.IsNaN(x) {
				v[k] = 0
			}
		}
		q.Filled += missing
		return 0, len(v), nil
	case FillForward:
		for k := first + 1; k < len(v); k++ {
			if math.IsNaN(v[k]) {
				v[k] = v[k-1]
			}
		}
		q.Filled += missing - first
		q.Dropped += first
		return first, len(v), nil
	case FillLinear:
		prev := first
		for k := first + 1; k <= last; k++ {
			if math.IsNaN(v[k]) {
				continue
			}
			if k > prev+1 {
				a, b := v[prev], v[k]
				for m := prev + 1; m < k; m++ {
					w := float64(m-prev) / float64(k-prev)
					v[m] = a + w*(b-a)
				}
			}
			prev = k
		}
		dropped := first + len(v) - 1 - last
		q.Filled += missing - dropped
		q.Dropped += dropped
		return first, last + 1, nil
	}
	return 0, len(v), nil // FillNone: no NaN gets here
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

// fillNote says what was filled in s, or "".
func fillNote(s *Series, method Fill) string {
	q := s.Quality
	var found []string
	if len(q.Gaps) > 0 {
		found = append(found, fmt.Sprintf("%s of %s in all", plural(len(q.Gaps), "gap"), plural(q.GapSteps, "absent step")))
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

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
