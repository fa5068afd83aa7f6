package ingest

import (
	"fmt"
	"strings"
	"time"
)

// buildRows reads the rows layout: one series per row.
func buildRows(t *table, opt Options, idCol int, d *Dataset) (*Dataset, error) {
	if len(opt.Covariates) > 0 {
		return nil, fmt.Errorf("the rows layout has no covariates")
	}
	if !opt.Start.IsZero() && opt.Freq == (Freq{}) {
		return nil, fmt.Errorf("a start time needs a frequency")
	}
	var want []string // the ids to take; nil: all
	if opt.Target != "" {
		want = append(want, opt.Target)
	}
	want = append(want, opt.Targets...)
	matched := make([]bool, len(want))
	seen := map[string]int{}
	for i := 0; i < t.nrow; i++ {
		id := t.cols[idCol][i]
		if prev, ok := seen[id]; ok {
			return nil, t.at(i, idCol, fmt.Errorf("duplicate id %q, first on %s", id, t.where(prev)))
		}
		seen[id] = i
		if want != nil {
			take := false
			for k, w := range want {
				if matchName(w, id) || w == id {
					take, matched[k] = true, true
				}
			}
			if !take {
				continue
			}
		}
		width := len(t.names)
		if t.width != nil {
			width = t.width[i]
		}
		// The values run to the last non-empty field.
		last := -1
		for j := width - 1; j >= 0; j-- {
			if j != idCol && strings.TrimSpace(t.cols[j][i]) != "" {
				last = j
				break
			}
		}
		s := &Series{Name: id, ID: id}
		q := &s.Quality
		for j := 0; j <= last; j++ {
			if j == idCol {
				continue
			}
			v, miss, err := parseValue(t.cols[j][i])
			if err != nil {
				return nil, t.at(i, j, err)
			}
			if miss {
				if opt.Fill == FillNone {
					return nil, t.at(i, j, mark(ErrMissingValue, "missing value %q: fill is none (want ffill, linear or zero to fill it)", t.cols[j][i]))
				}
				q.Missing++
			}
			s.Values = append(s.Values, v)
		}
		q.Rows = len(s.Values)
		stats(q, s.Values)
		lo, hi, err := fill(s.Values, opt.Fill, q)
		if err != nil {
			return nil, t.at(i, -1, mark(ErrMissingValue, "series %q: %v", id, err))
		}
		s.Values = s.Values[lo:hi]
		if len(s.Values) < 2 {
			return nil, t.at(i, -1, mark(ErrEmpty, "series %q has %d value(s): want at least 2", id, len(s.Values)))
		}
		if !opt.Start.IsZero() {
			s.Freq = opt.Freq
			s.Times = make([]time.Time, len(s.Values))
			for k := range s.Times {
				s.Times[k] = opt.Freq.Add(opt.Start.UTC(), k)
			}
		}
		if err := checkFill(s, opt.MaxFill); err != nil {
			return nil, t.at(i, -1, err)
		}
		if note := fillNote(s, opt.Fill); note != "" {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: %s", displayName(t.file), note))
		}
		d.Series = append(d.Series, s)
	}
	for k, ok := range matched {
		if !ok {
			return nil, t.at(-1, idCol, mark(ErrMissingColumn, "no row has the id %q", want[k]))
		}
	}
	if len(d.Series) == 0 {
		return nil, &ParseError{File: t.file, Err: mark(ErrEmpty, "no rows after the header")}
	}
	return d, nil
}
