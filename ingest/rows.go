package ingest

import (
	"fmt"
	"strings"
	"time"
)

// rowsSelect is the state of reading the rows layout: the ids to take,
// which of them matched a row, and where each id was seen.
type rowsSelect struct {
	want    []string // the ids to take, names or patterns; nil: all
	matched []bool
	seen    map[string]string // id: where it was first seen ("line 7")
}

// newRowsSelect checks the options of the rows layout and starts reading it.
func newRowsSelect(opt Options) (*rowsSelect, error) {
	if len(opt.Covariates) > 0 {
		return nil, mark(ErrBadOption, "the rows layout has no covariates")
	}
	if !opt.Start.IsZero() && opt.Freq == (Freq{}) {
		return nil, mark(ErrBadOption, "a start time needs a frequency")
	}
	sel := &rowsSelect{seen: map[string]string{}}
	if opt.Target != "" {
		sel.want = append(sel.want, opt.Target)
	}
	sel.want = append(sel.want, opt.Targets...)
	sel.matched = make([]bool, len(sel.want))
	return sel, nil
}

// take reports whether row i of t is to be read: an error for an id seen
// before, false for one not wanted.
func (sel *rowsSelect) take(t *table, idCol, i int) (bool, error) {
	id := t.cols[idCol][i]
	if err := checkID(id); err != nil {
		return false, t.at(i, idCol, err)
	}
	if prev, ok := sel.seen[id]; ok {
		return false, t.at(i, idCol, mark(ErrDuplicateID, "duplicate id %q, first on %s", id, prev))
	}
	sel.seen[id] = t.where(i)
	if sel.want == nil {
		return true, nil
	}
	take := false
	for k, w := range sel.want {
		if matchName(w, id) || w == id {
			take, sel.matched[k] = true, true
		}
	}
	return take, nil
}

// unmatched is the error for a wanted id that no row has, or nil.
func (sel *rowsSelect) unmatched(t *table, idCol int) error {
	for k, ok := range sel.matched {
		if !ok {
			return t.at(-1, idCol, mark(ErrMissingColumn, "no row has the id %q", sel.want[k]))
		}
	}
	return nil
}

// buildRows reads the rows layout: one series per row.
func buildRows(t *table, opt Options, idCol int, d *Dataset) (*Dataset, error) {
	sel, err := newRowsSelect(opt)
	if err != nil {
		return nil, err
	}
	var leftOut error // of the first series left out
	for i := 0; i < t.nrow; i++ {
		take, err := sel.take(t, idCol, i)
		if err != nil {
			return nil, err
		}
		if !take {
			continue
		}
		s, err := rowSeries(t, opt, idCol, i, d)
		switch {
		case err == nil:
			d.Series = append(d.Series, s)
		case opt.leaveOut && SeriesLeftOut(err):
			// Left out if others are read.
			if id := t.cols[idCol][i]; opt.notesFor(id) {
				d.Notes = append(d.Notes, fmt.Sprintf("%v: left out", err))
			}
			if leftOut == nil {
				leftOut = err
			}
		default:
			return nil, err
		}
	}
	if err := sel.unmatched(t, idCol); err != nil {
		return nil, err
	}
	if len(d.Series) == 0 && leftOut != nil {
		return nil, leftOut
	}
	if len(d.Series) == 0 {
		return nil, &ParseError{File: t.file, Err: mark(ErrEmpty, "no rows after the header")}
	}
	return d, nil
}

// rowSeries reads the series of row i.
func rowSeries(t *table, opt Options, idCol, i int, d *Dataset) (*Series, error) {
	id := t.cols[idCol][i]
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
	var vals []float64
	var cells []string
	for j := 0; j <= last; j++ {
		if j != idCol {
			cells = append(cells, t.cols[j][i])
		}
	}
	parse := t.valueParser(cells)
	t.noteThousands(d, id, cells)
	for j := 0; j <= last; j++ {
		if j == idCol {
			continue
		}
		v, miss, err := parse(t.cols[j][i])
		if err != nil {
			return nil, t.at(i, j, err)
		}
		if miss {
			if opt.Fill == FillNone {
				return nil, t.at(i, j, mark(ErrMissingValue, "missing value %s: fill none fills nothing", quoteCell(t.cols[j][i])))
			}
			q.Missing++
		}
		vals = append(vals, v)
	}
	q.Rows = len(vals)
	stats(q, vals)
	var missing []int
	if q.Missing > 0 {
		missing = missingAt(vals)
	}
	lo, hi, err := fill(vals, opt.Fill, q)
	if err != nil {
		return nil, t.at(i, -1, mark(ErrMissingValue, "series %q: %w", id, err))
	}
	vals = vals[lo:hi]
	s.FilledAt = keptAt(missing, lo, hi)
	if len(vals) < opt.minRows() {
		return nil, t.at(i, -1, mark(ErrEmpty, "series %q has %d value(s): want at least %d", id, len(vals), opt.minRows()))
	}
	var times []time.Time
	if !opt.Start.IsZero() {
		if times, s.Freq, err = startTimes(opt.Start, opt.Freq, len(vals)); err != nil {
			return nil, err
		}
	}
	if opt.Fill == FillLinear {
		refillSeasonal(vals, s.FilledAt, CalendarSeason(s.Freq))
	}
	s.setTable(times, vals, nil)
	if err := checkFill(s, opt.MaxFill); err != nil {
		return nil, t.at(i, -1, err)
	}
	if note := fillNote(s, opt.Fill, false); note != "" && opt.notesFor(s.ID) {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: %s", displayName(t.file), note))
	}
	return s, nil
}
