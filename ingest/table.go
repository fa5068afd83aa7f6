package ingest

import (
	"math"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// A series' table is a gota DataFrame with a row per value and the columns
//
//	time   Int    the value's time (only if the series has times): Unix
//	              nanoseconds, or Unix seconds if a time lies outside the
//	              years 1678 to 2262 that nanoseconds reach
//	value  Float  the target value, finite
//
// and then one Float column per covariate, named as the covariate. The
// columns are found by position, so a covariate may be called "time".
const (
	timeColumn  = "time"
	valueColumn = "value"
)

// Nanosecond times reach from minNanoTime to maxNanoTime.
var (
	minNanoTime = time.Unix(0, math.MinInt64)
	maxNanoTime = time.Unix(0, math.MaxInt64)
)

// NewSeries returns the series of values (finite) at times (nil: the
// values are steps; else as many as values, in UTC) with the covariates
// (each as long as values), named id. Its Freq and Quality are left for
// the caller to set; the slices are not kept.
func NewSeries(id string, times []time.Time, values []float64, covariates ...Covariate) *Series {
	s := &Series{Name: id, ID: id}
	s.setTable(times, values, covariates)
	return s
}

// setTable makes s's table of times, values and covariates.
func (s *Series) setTable(times []time.Time, values []float64, covariates []Covariate) {
	cols := make([]series.Series, 0, 2+len(covariates))
	s.timed, s.seconds = times != nil, false
	if s.timed {
		for _, t := range times {
			if t.Before(minNanoTime) || t.After(maxNanoTime) {
				s.seconds = true
				break
			}
		}
		stamps := make([]int, len(times))
		for i, t := range times {
			if s.seconds {
				stamps[i] = int(t.Unix())
			} else {
				stamps[i] = int(t.UnixNano())
			}
		}
		cols = append(cols, series.New(stamps, series.Int, timeColumn))
	}
	cols = append(cols, series.New(values, series.Float, valueColumn))
	for _, c := range covariates {
		cols = append(cols, series.New(c.Values, series.Float, c.Name))
	}
	s.covNames = s.covNames[:0]
	for _, c := range covariates {
		s.covNames = append(s.covNames, c.Name)
	}
	s.table = dataframe.New(cols...)
	s.n = len(values)
}

// Table returns the series as a gota DataFrame: a row per value, the
// columns time (if the series has times), value and the covariates.
// gota's methods copy what they return, so the series cannot be changed
// through it.
func (s *Series) Table() dataframe.DataFrame { return s.table }

// Len returns the number of values.
func (s *Series) Len() int { return s.n }

// Timed reports whether the series has times.
func (s *Series) Timed() bool { return s.timed }

// valueAt is the position of the value column in the table.
func (s *Series) valueAt() int {
	if s.timed {
		return 1
	}
	return 0
}

// Values returns a copy of the values.
func (s *Series) Values() []float64 {
	return s.column(s.valueAt())
}

// Value returns the i-th value.
func (s *Series) Value(i int) float64 {
	return s.table.Elem(i, s.valueAt()).Float()
}

// column returns a copy of the Float column j.
func (s *Series) column(j int) []float64 {
	v := make([]float64, s.n)
	for i := range v {
		v[i] = s.table.Elem(i, j).Float()
	}
	return v
}

// Times returns a copy of the times, in UTC; nil if the series has none.
func (s *Series) Times() []time.Time {
	if !s.timed {
		return nil
	}
	ts := make([]time.Time, s.n)
	for i := range ts {
		ts[i] = s.Time(i)
	}
	return ts
}

// Time returns the time of the i-th value; the zero time if the series
// has no times.
func (s *Series) Time(i int) time.Time {
	if !s.timed {
		return time.Time{}
	}
	stamp, _ := s.table.Elem(i, 0).Int() // never NA: set from times
	if s.seconds {
		return time.Unix(int64(stamp), 0).UTC()
	}
	return time.Unix(0, int64(stamp)).UTC()
}

// Covariates returns a copy of the covariates, each as long as the series.
func (s *Series) Covariates() []Covariate {
	if len(s.covNames) == 0 {
		return nil
	}
	covs := make([]Covariate, len(s.covNames))
	for k, name := range s.covNames {
		covs[k] = Covariate{Name: name, Values: s.column(s.valueAt() + 1 + k)}
	}
	return covs
}

// CovariateNames returns the names of the covariates, in order.
func (s *Series) CovariateNames() []string {
	return append([]string(nil), s.covNames...)
}

// Head returns the series of the first n values of s (n ≤ s.Len()), with
// its name, frequency and quality; FilledAt keeps the positions before n.
func (s *Series) Head(n int) *Series {
	h := *s
	h.covNames = nil
	covs := s.Covariates()
	for k := range covs {
		covs[k].Values = covs[k].Values[:n]
	}
	var times []time.Time
	if s.timed {
		times = s.Times()[:n]
	}
	h.setTable(times, s.Values()[:n], covs)
	h.FilledAt = nil
	for _, k := range s.FilledAt {
		if k < n {
			h.FilledAt = append(h.FilledAt, k)
		}
	}
	return &h
}
