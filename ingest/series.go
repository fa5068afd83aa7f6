package ingest

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
)

// Series is one time series: the target values, their times and
// covariates, held as a gota DataFrame (Table), and what was read to make
// it.
type Series struct {
	Name string // target column name; the id in the rows layout
	Freq Freq   // inferred or given step; zero when the series has no times

	// ID tells the series apart within its source: the id value in the
	// long and rows layouts, the target column in the wide one.
	ID string

	// Quality is what the source held before filling.
	Quality Quality

	// FilledAt holds the indexes of the values filling invented (for
	// missing values and absent steps), in increasing order; nil if none.
	FilledAt []int

	table    dataframe.DataFrame // see table.go
	n        int                 // rows of table
	lead     int                 // time columns of table: 0, 1 or 2
	covNames []string            // the covariates, in the order of their columns
}

// Covariate is a column carried beside a series' target.
type Covariate struct {
	Name   string
	Values []float64 // finite, one per value of the series
}

// Quality describes a series as the source held it.
type Quality struct {
	Rows           int     // rows read
	Missing        int     // missing target values: empty, NA, N/A, NaN, null or None
	Gaps           []Gap   // runs of absent time steps, in time order
	GapSteps       int     // absent steps in all gaps
	Irregular      int     // steps between rows that are no whole number of Freq (FillNone only)
	Filled         int     // values filled: missing values and absent steps
	Dropped        int     // missing values dropped: at the start or end, or any with SkipMissing
	Sorted         bool    // the rows were out of time order and have been sorted
	Min, Mean, Max float64 // of the values read; NaN if none
}

// Gap is a run of absent time steps.
type Gap struct {
	After time.Time // the last time before the gap
	Steps int       // how many steps are absent
}

// Dataset is what a source holds: its series and what was done to read
// them.
type Dataset struct {
	Layout     Layout
	TimeColumn string // the time column(s), "+"-joined; "" if none
	TimeFormat string // the format of the time column, if any
	Series     []*Series
	Notes      []string // notices: delimiter detected, rows sorted, values filled, …
}

// Find returns the series whose ID is id, or nil.
func (d *Dataset) Find(id string) *Series {
	for _, s := range d.Series {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// AppendFrom appends to each series of d the values of the series of
// later with the same ID, and their times when both have times: later
// holds what comes after d, such as the test values the M4 competition
// ships apart. The covariates of each series are appended too, and the
// positions filling invented in later (Series.FilledAt). name names later
// in errors: a series or covariate later lacks is an error wrapping
// ErrMissingColumn, times in one of them only one wrapping ErrBadTime, and
// times that do not follow on one wrapping ErrUnsorted. On error d is left
// as it was.
func (d *Dataset) AppendFrom(later *Dataset, name string) error {
	for _, s := range d.Series {
		t := later.Find(s.ID)
		if t == nil {
			return fmt.Errorf("%w: %s has no series %q", ErrMissingColumn, name, s.ID)
		}
		if s.Timed() != t.Timed() {
			return fmt.Errorf("%w: %s: series %q has times in one file and not in the other", ErrBadTime, name, s.ID)
		}
		if s.Timed() && t.Len() > 0 && s.Len() > 0 && !t.Time(0).After(s.Time(s.Len()-1)) {
			return fmt.Errorf("%w: %s: series %q starts at %s, not after the series' last time %s", ErrUnsorted, name, s.ID,
				t.Time(0).Format(time.RFC3339), s.Time(s.Len()-1).Format(time.RFC3339))
		}
		for _, c := range s.covNames {
			if !slices.Contains(t.covNames, c) {
				return fmt.Errorf("%w: %s: series %q has no covariate %q", ErrMissingColumn, name, s.ID, c)
			}
		}
	}
	for _, s := range d.Series {
		t := later.Find(s.ID)
		for _, k := range t.FilledAt {
			s.FilledAt = append(s.FilledAt, s.Len()+k)
		}
		covs, more := s.Covariates(), t.Covariates()
		for i := range covs {
			c := &covs[i]
			c.Values = append(c.Values, more[slices.Index(t.covNames, c.Name)].Values...)
		}
		var times []time.Time
		if s.Timed() {
			times = append(s.Times(), t.Times()...)
		}
		s.setTable(times, append(s.Values(), t.Values()...), covs)
	}
	return nil
}

// Load reads a CSV holding one series (Options.Target) and returns it.
// Notices are dropped; LoadAll keeps them.
func Load(r io.Reader, opt Options) (*Series, error) {
	t, err := readUsed(r, opt, opt.Layout == LayoutRows)
	if err != nil {
		return nil, err
	}
	if opt.Target == "" && len(opt.Targets) == 0 && opt.Layout != LayoutRows {
		return nil, t.missingColumn("target", "")
	}
	d, err := build(t, opt)
	if err != nil {
		return nil, err
	}
	return d.single(opt)
}

// LoadAll reads every series of a CSV, in the layout opt says. Of
// several series, one too short or too gappy to read (see SeriesLeftOut)
// is left out with a note, unless none is left.
func LoadAll(r io.Reader, opt Options) (*Dataset, error) {
	t, err := readUsed(r, opt, opt.Layout == LayoutRows)
	if err != nil {
		return nil, err
	}
	opt.leaveOut = true
	return build(t, opt)
}

// SeriesLeftOut reports whether err, met reading one series of a source
// of several, is one that LoadAll and LoadSQL leave the series out for,
// reading the others: it has too few rows or values (ErrEmpty), none at
// all (an item whose every row is blank), or filling would invent too
// much of it (ErrTooMuchFill).
func SeriesLeftOut(err error) bool {
	return errors.Is(err, ErrEmpty) || errors.Is(err, errAllMissing) || errors.Is(err, ErrTooMuchFill)
}

// single returns the one series of d.
func (d *Dataset) single(opt Options) (*Series, error) {
	if len(d.Series) == 1 {
		return d.Series[0], nil
	}
	ids := make([]string, 0, 4)
	for _, s := range d.Series[:min(3, len(d.Series))] {
		ids = append(ids, strconv.Quote(s.ID))
	}
	return nil, mark(ErrSeveralSeries, "%s holds %d series (%s, …); want one", displayName(opt.Name), len(d.Series), strings.Join(ids, ", "))
}

// maxDuplicates is how many duplicate times an error lists.
const maxDuplicates = 3

// series assembles the series of target over rows (nil: every row).
//
// Rows nil means every row in order; then, if own is set, times is used as
// the series' times without a copy, unless it must be sorted.
func (t *table) series(opt Options, id string, target int, rows []int, own bool, times []time.Time, timeCols, covCols []int, d *Dataset) (*Series, error) {
	s := &Series{Name: t.names[target], ID: id}
	whole := rows == nil // not one of the series of an id column
	q := &s.Quality
	q.Rows = len(rows)
	if rows == nil {
		q.Rows = t.nrow
	}
	if q.Rows < opt.minRows() {
		at := -1 // the header, where the series has no row
		if q.Rows > 0 {
			at = rowAt(rows, 0)
		}
		return nil, t.at(at, -1, mark(ErrEmpty, "series %q has %s: want at least %d", id, plural(q.Rows, "row"), opt.minRows()))
	}
	var ts []time.Time
	if times != nil {
		tcol := timeCols[0]
		switch {
		case rows == nil && own:
			ts = times
		case rows == nil:
			ts = slices.Clone(times)
		default:
			ts = make([]time.Time, len(rows))
			for k, i := range rows {
				ts[k] = times[i]
			}
		}
		if first := unsortedAt(ts); first > 0 {
			q.Sorted = true
			if rows == nil {
				rows = identity(t.nrow)
				if own {
					ts = slices.Clone(ts)
				}
			} else {
				rows = slices.Clone(rows)
			}
			i, prev := rows[first], rows[first-1]
			note := fmt.Sprintf("%s: rows out of time order (%s on %s comes after %s on %s): sorted by time",
				displayName(t.file), strconv.Quote(t.cols[tcol][i]), t.where(i), strconv.Quote(t.cols[tcol][prev]), t.where(prev))
			if !slices.Contains(d.Notes, note) { // once for the columns of a wide file
				d.Notes = append(d.Notes, note)
			}
			sort.Stable(byTime{rows, ts})
		}
		// The columns that might tell series apart, named only in an error:
		// listed for every series of a wide file of 5,000 columns, they
		// took most of its reading.
		hint := func(first, again int) string {
			used := slices.Concat([]int{target}, t.seriesCols, timeCols, covCols)
			if !whole {
				return t.keyHint(used, first, again)
			}
			if others := t.otherColumns(used); len(others) > 0 {
				return fmt.Sprintf("; if the file holds several series, give the column that tells them apart (--id), e.g. %s", strings.Join(others, ", "))
			}
			return ""
		}
		if err := t.duplicates(rows, ts, tcol, hint); err != nil {
			return nil, err
		}
	}

	skip := opt.SkipMissing && ts != nil // without times, a row left out would shift the later ones
	vals, err := t.values(target, rows, opt.Fill == FillNone && !skip, &q.Missing)
	if err != nil {
		return nil, err
	}
	t.noteThousands(d, id, t.cells(target, rows))
	covs := make([][]float64, len(covCols))
	for k, j := range covCols {
		var missing int
		if covs[k], err = t.values(j, rows, opt.Fill == FillNone, &missing); err != nil {
			return nil, err
		}
	}
	stats(q, vals)

	freq := opt.Freq
	if ts == nil && !opt.Start.IsZero() {
		if ts, freq, err = startTimes(opt.Start, freq, q.Rows); err != nil {
			return nil, err
		}
	}
	if ts != nil {
		if s.Freq = freq; s.Freq == (Freq{}) && len(ts) > 1 {
			if s.Freq, err = InferFreq(ts); err != nil {
				return nil, t.at(-1, -1, err)
			}
		} else if s.Freq.Months != 0 && !s.Freq.MonthEnd && !s.Freq.BusinessEnd && s.Freq.Day == 0 {
			// Months given: anchored where the times are (31 Jan, 29 Feb,
			// 31 Mar; 30 Jan, 28 Feb, 30 Mar; or 29 Jan, 26 Feb, 31 Mar
			// 2010, the last business days).
			if anchor, exact, anchored := dayAnchor(ts); monthEnds(ts) {
				s.Freq.MonthEnd = true
			} else if anchored == len(ts) && exact < anchored {
				s.Freq.Day = anchor
			} else if businessEnds(ts) {
				s.Freq.BusinessEnd = true
			}
		}
		read := ts
		var off int
		if ts, vals, covs, off, err = regularize(ts, vals, covs, s.Freq, opt.Freq != (Freq{}), opt.Fill, q); err != nil {
			if len(timeCols) == 0 { // dated from Options.Start
				return nil, mark(ErrBadOption, "the times from the start by the frequency: time %s %v", FormatTime(read[off]), err)
			}
			i := rowAt(rows, off)
			return nil, t.at(i, timeCols[0], mark(ErrBadTime, "time %s %s", quoteCell(t.cols[timeCols[0]][i]), err))
		}
	}
	if skip && q.Missing > 0 { // after the frequency is inferred from every row
		ts, vals, covs = withoutMissing(ts, vals, covs)
		q.Dropped += q.Missing
		if len(vals) < opt.minRows() {
			return nil, t.at(-1, target, mark(errTooFewLeft, "series %q has %d value(s) after leaving out the missing ones: want at least %d", id, len(vals), opt.minRows()))
		}
	}
	var missing []int
	if q.Missing > 0 || q.GapSteps > 0 {
		missing = missingAt(vals)
	}
	lo, hi, err := fill(vals, opt.Fill, q)
	if err != nil {
		return nil, t.at(-1, target, mark(ErrMissingValue, "series %q: %w", id, err))
	}
	vals = vals[lo:hi]
	s.FilledAt = keptAt(missing, lo, hi)
	if opt.Fill == FillLinear {
		refillSeasonal(vals, s.FilledAt, CalendarSeason(s.Freq))
	}
	if ts != nil {
		ts = ts[lo:hi]
	}
	if hi-lo < opt.minRows() {
		return nil, t.at(-1, target, mark(ErrEmpty, "series %q has %d value(s) after dropping missing ones: want at least %d", id, hi-lo, opt.minRows()))
	}
	var covariates []Covariate
	for k, j := range covCols {
		c := covs[k][lo:hi]
		missing := 0
		for _, v := range c {
			if math.IsNaN(v) {
				missing++
			}
		}
		var cq Quality
		if _, _, err := fill(c, opt.Fill, &cq); err != nil {
			return nil, t.at(-1, j, mark(ErrMissingValue, "series %q: covariate: %v", id, err))
		}
		if opt.Fill == FillZero {
			// A covariate has no ends of its own: a flag left blank but
			// on holidays is 0 before the first and after the last.
			for i, v := range c {
				if math.IsNaN(v) {
					c[i] = 0
				}
			}
		} else {
			fillEdges(c)
		}
		if missing > 0 && opt.notesFor(id) { // 288 of 300 were filled without a word
			d.Notes = append(d.Notes, fmt.Sprintf("%s: series %q: covariate %q: %s of %d filled (%.1f %%)",
				displayName(t.file), id, t.names[j], plural(missing, "missing value"), len(c), 100*float64(missing)/float64(len(c))))
		}
		covariates = append(covariates, Covariate{Name: t.names[j], Values: c})
	}
	s.setTable(ts, vals, covariates)
	if err := checkFill(s, opt.MaxFill); err != nil {
		return nil, t.at(-1, target, err)
	}
	zoned := len(timeCols) == 1 && q.Rows > 0 && utcOffset.MatchString(strings.TrimSpace(t.cols[timeCols[0]][rowAt(rows, 0)]))
	if note := fillNote(s, opt.Fill, zoned); note != "" && opt.notesFor(id) {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: %s", displayName(t.file), note))
	}
	return s, nil
}

// identity returns 0, 1, …, n-1.
func identity(n int) []int {
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// rowAt is the row of the k-th value of a series over rows (nil: all).
func rowAt(rows []int, k int) int {
	if rows == nil {
		return k
	}
	return rows[k]
}

// byTime sorts rows and their times together.
type byTime struct {
	rows []int
	ts   []time.Time
}

func (b byTime) Len() int           { return len(b.rows) }
func (b byTime) Less(i, j int) bool { return b.ts[i].Before(b.ts[j]) }
func (b byTime) Swap(i, j int) {
	b.rows[i], b.rows[j] = b.rows[j], b.rows[i]
	b.ts[i], b.ts[j] = b.ts[j], b.ts[i]
}

// unsortedAt returns the first k with ts[k] before ts[k-1], or 0.
func unsortedAt(ts []time.Time) int {
	for k := 1; k < len(ts); k++ {
		if ts[k].Before(ts[k-1]) {
			return k
		}
	}
	return 0
}

// duplicates reports equal times among sorted rows: the error is located at
// the earliest repeat in the source and lists the first few, and ends in
// what hint says of the first and the repeated row of that time: the
// columns that might tell several series apart.
func (t *table) duplicates(rows []int, ts []time.Time, tcol int, hint func(first, again int) string) error {
	type dup struct{ first, again int }
	var dups []dup
	clocksBack := true // every duplicate is an hour clocks go back at
	for k := 1; k < len(ts); k++ {
		if ts[k].Equal(ts[k-1]) {
			first := k - 1
			for first > 0 && ts[first-1].Equal(ts[k]) {
				first--
			}
			dups = append(dups, dup{rowAt(rows, first), rowAt(rows, k)})
			clocksBack = clocksBack && clockChangeHour(ts, k)
		}
	}
	if len(dups) == 0 {
		return nil
	}
	slices.SortFunc(dups, func(a, b dup) int { return a.again - b.again })
	d := dups[0]
	msg := fmt.Sprintf("duplicate time %s, first on %s", quoteCell(t.cols[tcol][d.again]), t.where(d.first))
	if len(dups) > 1 {
		var more []string
		for _, e := range dups[1:min(len(dups), maxDuplicates+1)] {
			more = append(more, fmt.Sprintf("%q on %s", t.cols[tcol][e.again], t.where(e.again)))
		}
		msg += fmt.Sprintf("; %d duplicates in all, also %s", len(dups), strings.Join(more, ", "))
		if len(dups) > maxDuplicates+1 {
			msg += ", …"
		}
	}
	switch first, again := strings.TrimSpace(t.cols[tcol][d.first]), strings.TrimSpace(t.cols[tcol][d.again]); {
	case first != again && utcOffset.MatchString(first) && utcOffset.MatchString(again):
		msg += fmt.Sprintf(" as %s, the same instant with another UTC offset (is one wrong?)", quoteCell(first))
	case first != again:
		msg += fmt.Sprintf(" as %s, the same time written otherwise", quoteCell(first))
	case clocksBack:
		msg += "; an hour repeated early on a Sunday is the hour clocks go back in local time: write the times in UTC or with their UTC offsets (in central Europe 02:00+02:00, then 02:00+01:00)"
	case t.sameRow(d.first, d.again):
		msg += ": the whole row is repeated"
	default:
		msg += hint(d.first, d.again)
	}
	return t.at(d.again, tcol, mark(ErrDuplicateTime, "%s", msg))
}

// utcOffset matches a time that ends in a UTC offset (+02:00, -0500, Z).
var utcOffset = regexp.MustCompile(`(?:[+-]\d\d:?\d\d|Z)$`)

// sameRow reports whether rows i and k of t hold the same cells, every
// column of the source read.
func (t *table) sameRow(i, k int) bool {
	if len(t.cols) != len(t.sourceNames()) {
		return false // some not read: they may tell the rows apart
	}
	for _, col := range t.cols {
		if col[i] != col[k] {
			return false
		}
	}
	return true
}

// clockChangeHour reports whether ts[k], equal to ts[k-1], looks like an
// hour read twice where local clocks went back: a Sunday between 00:00
// and 03:59 in times at most an hour apart on either side.
func clockChangeHour(ts []time.Time, k int) bool {
	at := ts[k]
	if at.Weekday() != time.Sunday || at.Hour() > 3 {
		return false
	}
	before, after := k-1, k+1
	for before > 0 && ts[before-1].Equal(at) {
		before--
	}
	return before > 0 && at.Sub(ts[before-1]) <= time.Hour && after < len(ts) && ts[after].Sub(at) <= time.Hour && ts[after].After(at)
}

// maxOtherColumns is how many columns otherColumns names.
const maxOtherColumns = 3

// otherColumns quotes the first few columns of the source other than
// those of t at positions used, with "…" after them if there are more.
func (t *table) otherColumns(used []int) []string {
	var out []string
	for _, name := range t.sourceNames() {
		if slices.ContainsFunc(used, func(j int) bool { return t.names[j] == name }) {
			continue
		}
		if len(out) == maxOtherColumns {
			return append(out, "…")
		}
		out = append(out, strconv.Quote(name))
	}
	return out
}

// keyHint is the hint of duplicates for rows first and again of a series
// of one id column that share a time: the first text column but used that
// tells them apart, with the id column a key of both; else "".
func (t *table) keyHint(used []int, first, again int) string {
	if len(t.key) != 1 {
		return ""
	}
	for j := range t.names {
		if j == t.key[0] || slices.Contains(used, j) || t.cols[j][first] == t.cols[j][again] || t.numeric(j) {
			continue
		}
		return fmt.Sprintf("; give --id %s,%s if the series are told apart by both", t.names[t.key[0]], t.names[j])
	}
	return ""
}

// errTooFewLeft is the kind of error, an ErrEmpty, of a series that
// SkipMissing left too few values. Such a series is left out of a source
// of others.
var errTooFewLeft = fmt.Errorf("%w: too few values left", ErrEmpty)

// withoutMissing returns the times, values and covariates of the rows
// whose value is not missing (NaN), in new slices: ts may be shared by
// the series of a file.
func withoutMissing(ts []time.Time, vals []float64, covs [][]float64) ([]time.Time, []float64, [][]float64) {
	var keptTimes []time.Time
	var kept []float64
	keptCovs := make([][]float64, len(covs))
	for k, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		keptTimes, kept = append(keptTimes, ts[k]), append(kept, v)
		for c := range covs {
			keptCovs[c] = append(keptCovs[c], covs[c][k])
		}
	}
	return keptTimes, kept, keptCovs
}

// values parses column j over rows; missing values are NaN and counted,
// and are an error if refuse is set.
func (t *table) values(j int, rows []int, refuse bool, missing *int) ([]float64, error) {
	col := t.cols[j]
	n := len(rows)
	if rows == nil {
		n = len(col)
	}
	vals := make([]float64, n)
	parse := t.valueParser(t.cells(j, rows))
	first, last := -1, -1 // the first and last values not missing
	for k := range vals {
		i := rowAt(rows, k)
		v, miss, err := parse(col[i])
		if err != nil {
			return nil, t.at(i, j, err)
		}
		switch {
		case miss:
			*missing++
		case first < 0:
			first, last = k, k
		default:
			last = k
		}
		vals[k] = v
	}
	if refuse {
		// Missing values between the first value and the last; those
		// before or after are dropped, as every fill drops them.
		for k := first + 1; k < last; k++ {
			if math.IsNaN(vals[k]) {
				i := rowAt(rows, k)
				return nil, t.at(i, j, mark(ErrMissingValue, "missing value %s: fill none fills nothing", quoteCell(col[i])))
			}
		}
	}
	return vals, nil
}

// parseValue parses a value: a finite number, a percentage (15.1%, read
// as 15.1), or a missing value (NaN, true) written as empty, NA, N/A, #N/A
// (Excel's), NaN, null or None in any case, or as . (FRED's) or -.
func parseValue(s string) (float64, bool, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return checkNumber(s, v)
	}
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "", "na", "n/a", "#n/a", "nan", "null", "none", ".", "-":
		return math.NaN(), true, nil
	}
	if n, ok := strings.CutSuffix(t, "%"); ok && n != "" && !strings.HasSuffix(n, "%") {
		if v, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			return checkNumber(n, v)
		}
	}
	v, err = strconv.ParseFloat(t, 64)
	switch {
	case err != nil:
		msg := fmt.Sprintf("parse %s as a number: %v", quoteCell(s), unwrapNum(err))
		point, none := strings.Replace(t, ",", ".", 1), strings.ReplaceAll(t, ",", "")
		_, perr := strconv.ParseFloat(point, 64)
		_, nerr := strconv.ParseFloat(none, 64)
		_, after, _ := strings.Cut(t, ",")
		switch n := strings.Count(t, ","); {
		case n == 1 && perr == nil && len(after) == 3 && nerr == nil:
			msg += fmt.Sprintf(" (a thousands separator or a decimal comma? write %s or %s)", none, point)
		case n == 1 && perr == nil:
			msg += " (a decimal comma? use a point)"
		case n >= 1 && nerr == nil: // 1,500,000 or 1,234.5
			msg += fmt.Sprintf(" (thousands separators? write %s)", none)
		}
		return 0, false, mark(ErrBadNumber, "%s", msg)
	case math.IsInf(v, 0) || math.IsNaN(v):
		return 0, false, mark(ErrBadNumber, "parse %s as a number: not finite", quoteCell(s))
	}
	return checkNumber(s, v)
}

// MaxMagnitude is the largest magnitude of a value read: the squares of
// values and their sums, which scaling and every method compute, stay
// finite up to it. A value of 1e300 among values of 100 overflowed them
// into forecasts of 1e80 and scores of 0.
const MaxMagnitude = 1e150

// checkNumber returns v, read from s by strconv.ParseFloat, if s is a
// number as data files write them and v is within MaxMagnitude.
// ParseFloat also reads Go's literals, which no data file means: digits
// separated by underscores (1_000) and hexadecimal (0x1p3).
func checkNumber(s string, v float64) (float64, bool, error) {
	switch {
	case strings.ContainsAny(s, "_xXpP"):
		return 0, false, mark(ErrBadNumber, "parse %s as a number: write it in decimal digits, such as 1000 or 1.5e3", quoteCell(s))
	case math.Abs(v) > MaxMagnitude:
		return 0, false, mark(ErrBadNumber, "parse %s as a number: beyond ±1e150, too large to compute with; rescale the column (e.g. to other units)", quoteCell(s))
	}
	return v, false, nil
}

// valueParser returns how the cells of one series (a column's, or a row's
// in the rows layout) are parsed: by t.parseValue, or where some have a
// decimal comma (950,5; 1.300,00), with a number written 1.300 read as
// 1300 and one written 1.5 refused. Read cell by cell, 1.100 among
// 1.300,00 and 950,00 was 1.1.
func (t *table) valueParser(cells []string) func(string) (float64, bool, error) {
	if !t.decimalComma || !slices.ContainsFunc(cells, decimalComma) {
		return t.parseValue
	}
	return func(s string) (float64, bool, error) {
		c := strings.TrimSpace(s)
		if !strings.Contains(c, ".") || strings.Contains(c, ",") || strings.ContainsAny(c, "eE") {
			return t.parseValue(s)
		}
		if !groupedThousands(c) {
			return 0, false, mark(ErrBadNumber, "parse %s as a number: a decimal point among numbers written with decimal commas (1.234,5): write it %s",
				quoteCell(s), strings.Replace(c, ".", ",", 1))
		}
		return t.parseValue(strings.ReplaceAll(c, ".", ""))
	}
}

// cells returns the cells of column j over rows (nil: every row).
func (t *table) cells(j int, rows []int) []string {
	if rows == nil {
		return t.cols[j]
	}
	out := make([]string, len(rows))
	for k, i := range rows {
		out[k] = t.cols[j][i]
	}
	return out
}

// noteThousands notes, for the series id of a table of decimalComma
// whose cells mix whole numbers with numbers like 1.300 (see
// pointsLikeThousands), that those were read as decimals.
func (t *table) noteThousands(d *Dataset, id string, cells []string) {
	if !t.decimalComma {
		return
	}
	if whole, grouped := pointsLikeThousands(cells); whole != "" {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: series %q: numbers such as %s beside whole ones such as %s are read as decimals; if the point separates thousands there, write them without it",
			displayName(t.file), id, quoteCell(grouped), quoteCell(whole)))
	}
}

// decimalComma says whether the cell s is a number with a decimal comma,
// and perhaps points between thousands before it: 950,5 or 1.300,00.
func decimalComma(s string) bool {
	c := strings.TrimSpace(s)
	if !strings.Contains(c, ",") {
		return false
	}
	_, err := strconv.ParseFloat(c, 64)
	return err != nil && commaNumber(c)
}

// pointsLikeThousands returns, of cells without a decimal comma, a whole
// number (950) and one whose points all stand before groups of three
// digits (1.300) if there are both, as spreadsheets write whole numbers
// in the format #.##0: read as decimals (1.3) they may be a thousand
// times too small, which a note says.
func pointsLikeThousands(cells []string) (whole, grouped string) {
	for _, s := range cells {
		c := strings.TrimSpace(s)
		switch {
		case strings.Contains(c, ","):
			return "", ""
		case strings.Contains(c, "."):
			if !groupedThousands(c) {
				return "", ""
			}
			grouped = cmp.Or(grouped, c)
		case c != "":
			if _, err := strconv.Atoi(strings.TrimPrefix(c, "+")); err == nil {
				whole = cmp.Or(whole, c)
			}
		}
	}
	if whole == "" || grouped == "" {
		return "", ""
	}
	return whole, grouped
}

// groupedThousands says whether s is a whole number with points between
// groups of three digits: 1.300, -12.345.678; not 0.500.
func groupedThousands(s string) bool {
	groups := strings.Split(strings.TrimLeft(s, "+-"), ".")
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 || groups[0][0] == '0' {
		return false
	}
	for k, g := range groups {
		if k > 0 && len(g) != 3 {
			return false
		}
		for _, r := range g {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// parseValue is parseValue, but in a table of decimalComma a number with
// a decimal comma, and points between groups of three digits before it
// (1.234,5), is read as such.
func (t *table) parseValue(s string) (float64, bool, error) {
	v, missing, err := parseValue(s)
	if err == nil || !t.decimalComma {
		return v, missing, err
	}
	whole, frac, ok := strings.Cut(strings.TrimSpace(s), ",")
	if !ok || strings.Contains(frac, ",") || strings.Contains(frac, ".") {
		return v, missing, err
	}
	groups := strings.Split(whole, ".")
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return v, missing, err
		}
	}
	x, perr := strconv.ParseFloat(strings.Join(groups, "")+"."+frac, 64)
	if perr != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return v, missing, err
	}
	return checkNumber(s, x)
}

// maxQuotedCell is how many bytes of a cell an error quotes.
const maxQuotedCell = 64

// quoteCell quotes the cell s for an error, as %q does, cut after
// maxQuotedCell bytes (at a character boundary) with its length: a field
// of five million digits made an error of five megabytes.
func quoteCell(s string) string {
	if len(s) <= maxQuotedCell {
		return strconv.Quote(s)
	}
	cut := maxQuotedCell
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}

// unwrapNum is the cause of a strconv error.
func unwrapNum(err error) error {
	if ne, ok := err.(*strconv.NumError); ok {
		return ne.Err
	}
	return err
}

// stats sets Min, Mean and Max from the values read.
func stats(q *Quality, vals []float64) {
	q.Min, q.Max = math.Inf(1), math.Inf(-1)
	var sum float64
	n := 0
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		q.Min, q.Max = min(q.Min, v), max(q.Max, v)
		sum += v
		n++
	}
	if n == 0 {
		q.Min, q.Mean, q.Max = math.NaN(), math.NaN(), math.NaN()
		return
	}
	q.Mean = sum / float64(n)
}
