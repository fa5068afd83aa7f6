package ingest

import (
	"slices"
	"time"

	"github.com/go-gota/gota/dataframe"
)

// A series' table is a gota DataFrame with a row per value and the columns
//
//	time     Float  the value's time in Unix seconds (only if the series
//	                has times; whole seconds are exact to ±2⁵³ s)
//	time_ns  Float  the nanoseconds within that second (only if a time
//	                has any)
//	value    Float  the target value, finite
//
// and then one Float column per covariate, named as the covariate. Every
// column is Float because the frame is built by gota's LoadMatrix, which
// takes Float columns only and builds each once, where dataframe.New
// copies the columns it is given. The columns are found by position, so a
// covariate may be called "time".
const (
	timeColumn  = "time"
	nanosColumn = "time_ns"
	valueColumn = "value"
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

// tableMatrix gives LoadMatrix the cells of a series' table.
type tableMatrix struct {
	times []time.Time // of the time columns
	lead  int         // time columns: 0, time, or time and time_ns
	cols  [][]float64 // value and covariates
}

func (m tableMatrix) Dims() (int, int) { return len(m.cols[0]), m.lead + len(m.cols) }

func (m tableMatrix) At(i, j int) float64 {
	switch {
	case j >= m.lead:
		return m.cols[j-m.lead][i]
	case j == 0:
		return float64(m.times[i].Unix())
	}
	return float64(m.times[i].Nanosecond())
}

// setTable makes s's table of times, values and covariates.
func (s *Series) setTable(times []time.Time, values []float64, covariates []Covariate) {
	m := tableMatrix{times: times, cols: [][]float64{values}}
	names := []string{valueColumn}
	if times != nil {
		m.lead, names = 1, []string{timeColumn, valueColumn}
		if slices.ContainsFunc(times, func(t time.Time) bool { return t.Nanosecond() != 0 }) {
			m.lead, names = 2, []string{timeColumn, nanosColumn, valueColumn}
		}
	}
	s.covNames = nil
	for _, c := range covariates {
		m.cols = append(m.cols, c.Values)
		names = append(names, c.Name)
		s.covNames = append(s.covNames, c.Name)
	}
	s.table = dataframe.LoadMatrix(m)
	s.table.SetNames(names...) // as many as the columns: cannot fail
	s.n, s.lead = len(values), m.lead
}

// Table returns the series as a gota DataFrame: a row per value, the
// columns time (and time_ns) if the series has times, value and the
// covariates. It is the series' own: gota's methods return copies, but an
// element set through Elem changes the series.
func (s *Series) Table() dataframe.DataFrame { return s.table }

// Len returns the number of values.
func (s *Series) Len() int { return s.n }

// Timed reports whether the series has times.
func (s *Series) Timed() bool { return s.lead > 0 }

// valueAt is the position of the value column in the table.
func (s *Series) valueAt() int { return s.lead }

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
	if !s.Timed() {
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
	var sec, nsec float64
	switch s.lead {
	case 0:
		return time.Time{}
	case 2:
		nsec = s.table.Elem(i, 1).Float()
	}
	sec = s.table.Elem(i, 0).Float()
	return time.Unix(int64(sec), int64(nsec)).UTC()
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
	covs := s.Covariates()
	for k := range covs {
		covs[k].Values = covs[k].Values[:n]
	}
	var times []time.Time
	if s.Timed() {
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
