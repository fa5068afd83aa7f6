package ingest

import (
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Options says how to read a source. The zero value reads a CSV in the
// wide layout whose delimiter is detected, with an automatically chosen
// time column, every numeric column a series, and gaps and missing values
// filled by linear interpolation. Load, which returns one series, needs
// Target set.
type Options struct {
	// Name is the input's name in error messages. "" shows as "<input>"
	// and "-" as "<stdin>". For SQLite it is the database file.
	Name string

	// Time is the time column. "" means automatic: columns named year and
	// month (in any case, with day, hour, minute and second if present),
	// or year and quarter (or qtr or q), holding integers make up the time
	// together; else a column named
	// date, datetime, timestamp, time, ds, month or year (in any case, in
	// that order of preference); else the first column if its first value
	// parses as a date or date-time (not as a bare year or a number); else
	// none, and the rows are integer steps.
	// Several names separated by commas ("year,month,day,hour") are the
	// parts of the time, in that order: year, month, day, hour, minute,
	// second, each an integer. A second part named quarter, qtr or q (in
	// any case) is the quarter, 1 to 4 (or Q1 to Q4), and the time is the
	// quarter's first day.
	Time string

	// NoTime says there is no time column: the rows are integer steps,
	// or are dated from Start by Freq.
	NoTime bool

	// TimeFormat is the format of the time column: a Go layout such as
	// "02/01/2006", a strftime format such as "%d/%m/%Y" (%d, %m, %H, %M
	// and %S taking one digit or two, as in Python's strptime; %-d is
	// read alike; %q is the quarter, with %Y or %y only: "%YQ%q"), or
	// "unix" or "unixms" for Unix seconds or milliseconds. "" means detect
	// (see the package documentation).
	TimeFormat string

	// Target is the column to forecast.
	Target string

	// Targets are further target columns: names, or patterns in the
	// syntax of path.Match ("HU*"), where "/" is an ordinary character
	// ("*" matches "EUR/USD"). In the wide layout each is a series;
	// with neither Target nor Targets set, LoadAll takes every numeric
	// column that plays no other part.
	Targets []string

	// ID is the id column. Setting it selects the long layout (one row per
	// series and time) unless Layout says otherwise. In the rows layout ""
	// means the first column.
	ID string

	// Layout is LayoutWide, LayoutLong or LayoutRows. "" means long when
	// ID is set or a column is named unique_id, else wide.
	Layout Layout

	// Covariates are columns carried beside each series' target, filled
	// as it is.
	Covariates []string

	// Comma is the field delimiter. 0 means detect it from the first
	// records: the one of , ; tab and | that occurs the same number of
	// times in each, ',' if none does.
	Comma rune

	// NoHeader says the first record is data; the columns are then named
	// "1", "2", … by position.
	NoHeader bool

	// Start dates the steps of series that have no time column (the rows
	// layout, or NoTime) from Start by Freq, which must then be set.
	Start time.Time

	// Freq is the step between rows. The zero Freq means infer it from
	// the times (InferFreq).
	Freq Freq

	// Fill says how gaps (absent time steps) and missing values are
	// filled; "" means FillLinear.
	Fill Fill

	// MaxFill is the largest share (above 0, at most 1) of a series'
	// values that filling may invent, counting absent steps and missing
	// values filled; a series above it is an error (ErrTooMuchFill) that
	// names its largest gaps, since such a series is more guess than data:
	// often a misread time column or frequency. 0 means DefaultMaxFill;
	// 1 allows any share.
	MaxFill float64

	// Table or Query is the SQLite source of LoadSQL: every column of a
	// table, or the result of a query.
	Table, Query string
}

// Layout is how series are laid out in a source.
type Layout string

// The layouts.
const (
	LayoutWide Layout = "wide" // a time column and one column per series
	LayoutLong Layout = "long" // an id, a time and a value column: one row per series and time
	LayoutRows Layout = "rows" // one series per row: an id and then its values (M4)
)

// Fill is how gaps and missing values are filled.
type Fill string

// The fill methods. Missing values before a series' first value are
// dropped by FillForward and FillLinear, and after its last value by
// FillLinear, since there is nothing to fill them from.
const (
	FillNone    Fill = "none"   // fill nothing: gaps stay, and a missing value is an error
	FillForward Fill = "ffill"  // repeat the last value
	FillLinear  Fill = "linear" // interpolate linearly between the values either side
	FillZero    Fill = "zero"   // put 0
)

// ParseFill reads a fill method: none, ffill, linear or zero.
func ParseFill(s string) (Fill, error) {
	switch f := Fill(strings.ToLower(strings.TrimSpace(s))); f {
	case FillNone, FillForward, FillLinear, FillZero:
		return f, nil
	case "":
		return FillLinear, nil
	}
	return "", fmt.Errorf("unknown fill method %q: want none, ffill, linear or zero", s)
}

// Series is one time series: the target values, their times and the step
// between them.
type Series struct {
	Name   string      // target column name; the id in the rows layout
	Times  []time.Time // in UTC; nil when there is no time column
	Values []float64   // finite
	Freq   Freq        // inferred or given step; zero when Times is nil

	// ID tells the series apart within its source: the id value in the
	// long and rows layouts, the target column in the wide one.
	ID string

	// Covariates are the covariate columns, each as long as Values.
	Covariates []Covariate

	// Quality is what the source held before filling.
	Quality Quality
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
	Dropped        int     // missing values at the start or end, dropped
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

// Load reads a CSV holding one series (Options.Target) and returns it.
// Notices are dropped; LoadAll keeps them.
func Load(r io.Reader, opt Options) (*Series, error) {
	t, err := readCSV(r, opt, opt.Layout == LayoutRows)
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

// LoadAll reads every series of a CSV, in the layout opt says.
func LoadAll(r io.Reader, opt Options) (*Dataset, error) {
	t, err := readCSV(r, opt, opt.Layout == LayoutRows)
	if err != nil {
		return nil, err
	}
	return build(t, opt)
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
	return nil, fmt.Errorf("%s holds %d series (%s, …); want one", displayName(opt.Name), len(d.Series), strings.Join(ids, ", "))
}

// timeNames are the names of time columns, the most telling first.
var timeNames = []string{"date", "datetime", "timestamp", "time", "ds", "month", "year"}

// timeParts are the names of the parts of a time split over columns.
var timeParts = []string{"year", "month", "day", "hour", "minute", "second"}

// quarterNames are the names (in any case) that make the second part of a
// time the quarter of the year rather than its month.
var quarterNames = []string{"quarter", "qtr", "q"}

// trimQuarter drops the Q of a quarter written "Q3" (or "q3").
func trimQuarter(v string) string {
	if len(v) == 2 && (v[0] == 'Q' || v[0] == 'q') {
		return v[1:]
	}
	return v
}

// isQuarterName reports whether a column called name holds quarters.
func isQuarterName(name string) bool {
	for _, q := range quarterNames {
		if strings.EqualFold(name, q) {
			return true
		}
	}
	return false
}

// build turns a table into series.
func build(t *table, opt Options) (*Dataset, error) {
	if opt.Fill == "" {
		opt.Fill = FillLinear
	}
	if _, err := ParseFill(string(opt.Fill)); err != nil {
		return nil, err
	}
	d := &Dataset{Notes: t.notes}
	idCol := -1
	if opt.ID != "" {
		if idCol = t.col(opt.ID); idCol < 0 {
			return nil, t.missingColumn("id", opt.ID)
		}
	}
	switch opt.Layout {
	case "":
		d.Layout = LayoutWide
		if idCol >= 0 {
			d.Layout = LayoutLong
		} else if j := t.col("unique_id"); j >= 0 {
			d.Layout, idCol = LayoutLong, j
			d.Notes = append(d.Notes, fmt.Sprintf("%s: long layout, series told apart by the column unique_id", displayName(t.file)))
		}
	case LayoutWide:
		d.Layout, idCol = LayoutWide, -1
	case LayoutLong:
		if idCol < 0 {
			return nil, t.missingColumn("id", "")
		}
		d.Layout = LayoutLong
	case LayoutRows:
		d.Layout = LayoutRows
		if idCol < 0 {
			idCol = 0
		}
		return buildRows(t, opt, idCol, d)
	default:
		return nil, fmt.Errorf("unknown layout %q: want wide, long or rows", opt.Layout)
	}

	used := map[int]bool{}
	if idCol >= 0 {
		used[idCol] = true
	}
	explicit := map[int]bool{} // columns named as targets
	for _, name := range append([]string{opt.Target}, opt.Targets...) {
		if j := t.col(name); j >= 0 {
			explicit[j] = true
		}
	}
	covs := make([]int, len(opt.Covariates))
	for k, name := range opt.Covariates {
		if covs[k] = t.col(name); covs[k] < 0 {
			return nil, t.missingColumn("covariate", name)
		}
		used[covs[k]] = true
	}

	timeCols, err := t.timeColumns(opt, used, explicit)
	if err != nil {
		return nil, err
	}
	for _, j := range timeCols {
		if explicit[j] {
			return nil, t.at(-1, j, fmt.Errorf("the time column cannot also be the target"))
		}
		if used[j] {
			return nil, t.at(-1, j, fmt.Errorf("the time column cannot also be the id or a covariate"))
		}
		used[j] = true
	}
	targets, err := t.targets(opt, used, d)
	if err != nil {
		return nil, err
	}
	var times []time.Time
	if len(timeCols) > 0 {
		names := make([]string, len(timeCols))
		for k, j := range timeCols {
			names[k] = t.names[j]
		}
		d.TimeColumn = strings.Join(names, "+")
		if times, d.TimeFormat, err = t.parseTimes(timeCols, opt, d); err != nil {
			return nil, err
		}
	}

	// The rows of each series.
	type group struct {
		id   string
		rows []int
	}
	var groups []group
	if idCol >= 0 {
		index := map[string]int{}
		for i, id := range t.cols[idCol] {
			k, ok := index[id]
			if !ok {
				k = len(groups)
				index[id] = k
				groups = append(groups, group{id: id})
			}
			groups[k].rows = append(groups[k].rows, i)
		}
	} else {
		groups = []group{{rows: nil}} // nil: every row, in order
	}
	sorted := 0
	for _, g := range groups {
		for _, target := range targets {
			id := t.names[target]
			if idCol >= 0 {
				id = g.id
				if len(targets) > 1 {
					id = g.id + ":" + t.names[target]
				}
			}
			s, err := t.series(opt, id, target, g.rows, len(groups)*len(targets) == 1, times, timeCols, covs, d)
			if err != nil {
				return nil, err
			}
			if s.Quality.Sorted {
				sorted++
			}
			d.Series = append(d.Series, s)
		}
	}
	if sorted > 1 {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: the rows of %d series were out of time order and have been sorted", displayName(t.file), sorted))
	}
	return d, nil
}

// timeColumns resolves Options.Time to the columns that make up the time.
func (t *table) timeColumns(opt Options, used, explicit map[int]bool) ([]int, error) {
	if opt.NoTime {
		return nil, nil
	}
	if opt.Time != "" {
		names := strings.Split(opt.Time, ",")
		if len(names) > len(timeParts) {
			return nil, t.at(-1, -1, mark(ErrBadTime, "time %q: at most %d parts (%s)", opt.Time, len(timeParts), strings.Join(timeParts, ", ")))
		}
		cols := make([]int, len(names))
		for k, name := range names {
			if cols[k] = t.col(strings.TrimSpace(name)); cols[k] < 0 {
				return nil, t.missingColumn("time", strings.TrimSpace(name))
			}
		}
		return cols, nil
	}
	free := func(j int) bool { return !used[j] && !explicit[j] }
	// Parts: year and month at least, or year and quarter, holding integers.
	part := func(quarter bool, names ...string) int {
		for k, n := range t.names {
			if !slices.ContainsFunc(names, func(name string) bool { return strings.EqualFold(n, name) }) || !free(k) || t.nrow == 0 {
				continue
			}
			v := strings.TrimSpace(t.cols[k][0])
			if quarter {
				v = trimQuarter(v)
			}
			if isDigits(v) {
				return k
			}
		}
		return -1
	}
	var parts []int
	for _, p := range timeParts {
		j := part(false, p)
		if j < 0 {
			break
		}
		parts = append(parts, j)
	}
	if len(parts) == 1 {
		if j := part(true, quarterNames...); j >= 0 {
			parts = append(parts, j)
		}
	}
	if len(parts) >= 2 {
		return parts, nil
	}
	for _, name := range timeNames {
		for j, n := range t.names {
			if strings.EqualFold(n, name) && free(j) {
				return []int{j}, nil
			}
		}
	}
	if free(0) && t.nrow > 0 && looksLikeTime(strings.TrimSpace(t.cols[0][0])) {
		return []int{0}, nil
	}
	return nil, nil
}

// targets resolves the target columns of the wide and long layouts.
func (t *table) targets(opt Options, used map[int]bool, d *Dataset) ([]int, error) {
	var names []string
	if opt.Target != "" {
		names = append(names, opt.Target)
	}
	names = append(names, opt.Targets...)
	var cols []int
	add := func(j int) {
		if !slices.Contains(cols, j) {
			cols = append(cols, j)
		}
	}
	for _, name := range names {
		if strings.ContainsAny(name, "*?[") {
			n := len(cols)
			for j, col := range t.names {
				if matchName(name, col) && !used[j] {
					add(j)
				}
			}
			if len(cols) == n {
				return nil, t.missingColumn("target", name)
			}
			continue
		}
		j := t.col(name)
		if j < 0 {
			return nil, t.missingColumn("target", name)
		}
		if used[j] {
			return nil, t.at(-1, j, fmt.Errorf("the target column cannot also be the id or a covariate"))
		}
		add(j)
	}
	if len(names) > 0 {
		return cols, nil
	}
	// Every numeric column that plays no other part.
	for j := range t.names {
		if used[j] || !t.numeric(j) {
			continue
		}
		if t.rowCounter(j) {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q counts the rows: not taken as a series", displayName(t.file), t.names[j]))
			continue
		}
		add(j)
	}
	if len(cols) == 0 {
		return nil, t.missingColumn("target", "")
	}
	if d.Layout == LayoutLong && len(cols) > 1 {
		return nil, t.at(-1, -1, mark(ErrMissingColumn, "several numeric columns could be the target (%s): name it", quoteNames(t, cols)))
	}
	return cols, nil
}

// matchName reports whether a column name or an id matches pattern, in
// the syntax of path.Match but with '/' an ordinary character: path.Match
// stops * at a slash, as file paths want, so "*" would miss "EUR/USD".
func matchName(pattern, name string) bool {
	const slash = "\x00" // a byte path.Match gives no meaning
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", slash), strings.ReplaceAll(name, "/", slash))
	return ok
}

func quoteNames(t *table, cols []int) string {
	q := make([]string, len(cols))
	for k, j := range cols {
		q[k] = strconv.Quote(t.names[j])
	}
	return strings.Join(q, ", ")
}

// numeric reports whether every value of column j is a number or missing,
// and at least one is a number.
func (t *table) numeric(j int) bool {
	seen := false
	for _, v := range t.cols[j] {
		x, missing, err := parseValue(v)
		if err != nil {
			return false
		}
		seen = seen || !missing && !math.IsNaN(x)
	}
	return seen
}

// rowCounter reports whether column j holds 0, 1, 2, … or 1, 2, 3, ….
func (t *table) rowCounter(j int) bool {
	col := t.cols[j]
	if len(col) < 3 {
		return false
	}
	base := 0
	if strings.TrimSpace(col[0]) == "1" {
		base = 1
	}
	for i, v := range col {
		if strings.TrimSpace(v) != strconv.Itoa(i+base) {
			return false
		}
	}
	return true
}

// parseTimes parses the time of every row.
func (t *table) parseTimes(cols []int, opt Options, d *Dataset) ([]time.Time, string, error) {
	times := make([]time.Time, t.nrow)
	if len(cols) > 1 {
		if opt.TimeFormat != "" {
			return nil, "", t.at(-1, cols[0], mark(ErrBadTime, "a time format does not apply to a time in parts (%s)", d.TimeColumn))
		}
		quarter := isQuarterName(t.names[cols[1]])
		if quarter && len(cols) > 2 {
			return nil, "", t.at(-1, cols[2], mark(ErrBadTime, "a time of a year and a quarter (%s) takes no further parts", d.TimeColumn))
		}
		d.Notes = append(d.Notes, fmt.Sprintf("%s: time from the columns %s", displayName(t.file), strings.ReplaceAll(d.TimeColumn, "+", ", ")))
		var f [6]int
		lo, hi := [6]int{1, 1, 1, 0, 0, 0}, [6]int{9999, 12, 31, 23, 59, 59}
		names := timeParts
		if quarter {
			hi[1], names = 4, []string{"year", "quarter"}
		}
		for i := range times {
			f = [6]int{0, 1, 1, 0, 0, 0}
			for k, j := range cols {
				v := strings.TrimSpace(t.cols[j][i])
				if quarter && k == 1 {
					v = trimQuarter(v)
				}
				n, err := strconv.Atoi(v)
				if err != nil || n < lo[k] || n > hi[k] {
					return nil, "", t.at(i, j, mark(ErrBadTime, "parse %q as the %s of a time: want an integer from %d to %d", t.cols[j][i], names[k], lo[k], hi[k]))
				}
				f[k] = n
			}
			if quarter {
				f[1] = 3*f[1] - 2 // the quarter's first month
			}
			tm := time.Date(f[0], time.Month(f[1]), f[2], f[3], f[4], f[5], 0, time.UTC)
			if tm.Day() != f[2] {
				return nil, "", t.at(i, cols[2], mark(ErrBadTime, "day %d is not in %d-%02d", f[2], f[0], f[1]))
			}
			times[i] = tm
		}
		return times, "parts", nil
	}
	j := cols[0]
	vals := t.cols[j]
	if strings.TrimSpace(vals[0]) == "" {
		return nil, "", t.at(0, j, mark(ErrBadTime, "empty time"))
	}
	p, err := chooseTimeParser(vals, opt.TimeFormat, func(i int, err error) error { return t.at(i, j, err) })
	if err != nil {
		return nil, "", err
	}
	if bad := p.parseAll(vals, times); bad >= 0 {
		// Another detected format may fit every value; else name those
		// that fit the values before the bad one.
		fits := []timeParser{p}
		for _, alt := range p.alts {
			k := alt.parseAll(vals, times)
			if k < 0 {
				alt.note = fmt.Sprintf("read times as %s (%s does not fit %q on %s)", alt.name(), p.name(), vals[bad], t.where(bad))
				p, bad = alt, -1
				break
			}
			if k >= bad {
				fits = append(fits, alt)
			}
		}
		if bad >= 0 {
			if strings.TrimSpace(vals[bad]) == "" {
				return nil, "", t.at(bad, j, mark(ErrBadTime, "empty time"))
			}
			want := make([]string, len(fits))
			for k, f := range fits {
				want[k] = f.describe()
			}
			msg := fmt.Sprintf("parse %q as a time: want %s", vals[bad], strings.Join(want, " or "))
			if opt.TimeFormat == "" {
				msg += ", as on " + t.where(0)
			}
			return nil, "", t.at(bad, j, mark(ErrBadTime, "%s", msg))
		}
	}
	if p.note != "" {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q: %s", displayName(t.file), t.names[j], p.note))
	}
	return times, p.name(), nil
}

// maxDuplicates is how many duplicate times an error lists.
const maxDuplicates = 3

// series assembles the series of target over rows (nil: every row).
//
// Rows nil means every row in order; then, if own is set, times is used as
// the series' times without a copy, unless it must be sorted.
func (t *table) series(opt Options, id string, target int, rows []int, own bool, times []time.Time, timeCols, covCols []int, d *Dataset) (*Series, error) {
	s := &Series{Name: t.names[target], ID: id}
	q := &s.Quality
	q.Rows = len(rows)
	if rows == nil {
		q.Rows = t.nrow
	}
	if q.Rows < 2 {
		return nil, t.at(-1, -1, mark(ErrEmpty, "series %q has %d row: want at least 2", id, q.Rows))
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
			d.Notes = append(d.Notes, fmt.Sprintf("%s: rows out of time order (%s on %s comes after %s on %s): sorted by time",
				displayName(t.file), strconv.Quote(t.cols[tcol][i]), t.where(i), strconv.Quote(t.cols[tcol][prev]), t.where(prev)))
			sort.Stable(byTime{rows, ts})
		}
		if err := t.duplicates(rows, ts, tcol); err != nil {
			return nil, err
		}
	}

	var err error
	if s.Values, err = t.values(target, rows, opt.Fill, &q.Missing); err != nil {
		return nil, err
	}
	covs := make([][]float64, len(covCols))
	for k, j := range covCols {
		var missing int
		if covs[k], err = t.values(j, rows, opt.Fill, &missing); err != nil {
			return nil, err
		}
	}
	stats(q, s.Values)

	if ts == nil && !opt.Start.IsZero() {
		if opt.Freq == (Freq{}) {
			return nil, fmt.Errorf("a start time needs a frequency")
		}
		ts = make([]time.Time, q.Rows)
		for k := range ts {
			ts[k] = opt.Freq.Add(opt.Start.UTC(), k)
		}
	}
	if ts != nil {
		if s.Freq = opt.Freq; s.Freq == (Freq{}) {
			if s.Freq, err = InferFreq(ts); err != nil {
				return nil, t.at(-1, -1, err)
			}
		}
		var off int
		if ts, s.Values, covs, off, err = regularize(ts, s.Values, covs, s.Freq, opt.Fill, q); err != nil {
			i := rowAt(rows, off)
			return nil, t.at(i, timeCols[0], mark(ErrBadTime, "time %q %s", t.cols[timeCols[0]][i], err))
		}
	}
	lo, hi, err := fill(s.Values, opt.Fill, q)
	if err != nil {
		return nil, t.at(-1, target, mark(ErrMissingValue, "series %q: %v", id, err))
	}
	s.Values = s.Values[lo:hi]
	if ts != nil {
		s.Times = ts[lo:hi]
	}
	if hi-lo < 2 {
		return nil, t.at(-1, target, mark(ErrEmpty, "series %q has %d value(s) after dropping missing ones: want at least 2", id, hi-lo))
	}
	for k, j := range covCols {
		c := covs[k][lo:hi]
		var cq Quality
		if _, _, err := fill(c, opt.Fill, &cq); err != nil {
			return nil, t.at(-1, j, mark(ErrMissingValue, "series %q: covariate: %v", id, err))
		}
		fillEdges(c)
		s.Covariates = append(s.Covariates, Covariate{Name: t.names[j], Values: c})
	}
	if err := checkFill(s, opt.MaxFill); err != nil {
		return nil, t.at(-1, target, err)
	}
	if note := fillNote(s, opt.Fill); note != "" {
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
// the earliest repeat in the source and lists the first few.
func (t *table) duplicates(rows []int, ts []time.Time, tcol int) error {
	type dup struct{ first, again int }
	var dups []dup
	for k := 1; k < len(ts); k++ {
		if ts[k].Equal(ts[k-1]) {
			first := k - 1
			for first > 0 && ts[first-1].Equal(ts[k]) {
				first--
			}
			dups = append(dups, dup{rowAt(rows, first), rowAt(rows, k)})
		}
	}
	if len(dups) == 0 {
		return nil
	}
	slices.SortFunc(dups, func(a, b dup) int { return a.again - b.again })
	d := dups[0]
	msg := fmt.Sprintf("duplicate time %q, first on %s", t.cols[tcol][d.again], t.where(d.first))
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
	return t.at(d.again, tcol, mark(ErrDuplicateTime, "%s", msg))
}

// values parses column j over rows; missing values are NaN and counted,
// and are an error with FillNone.
func (t *table) values(j int, rows []int, method Fill, missing *int) ([]float64, error) {
	col := t.cols[j]
	n := len(rows)
	if rows == nil {
		n = len(col)
	}
	vals := make([]float64, n)
	for k := range vals {
		i := rowAt(rows, k)
		v, miss, err := parseValue(col[i])
		if err != nil {
			return nil, t.at(i, j, err)
		}
		if miss {
			if method == FillNone {
				return nil, t.at(i, j, mark(ErrMissingValue, "missing value %q: fill is none (want ffill, linear or zero to fill it)", col[i]))
			}
			*missing++
		}
		vals[k] = v
	}
	return vals, nil
}

// parseValue parses a value: a finite number, or a missing value (NaN,
// true) written as empty, NA, N/A, NaN, null or None in any case.
func parseValue(s string) (float64, bool, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return v, false, nil
	}
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "", "na", "n/a", "nan", "null", "none":
		return math.NaN(), true, nil
	}
	v, err = strconv.ParseFloat(t, 64)
	switch {
	case err != nil:
		msg := fmt.Sprintf("parse %q as a number: %v", s, unwrapNum(err))
		if strings.Count(t, ",") == 1 {
			if _, err := strconv.ParseFloat(strings.Replace(t, ",", ".", 1), 64); err == nil {
				msg += " (a decimal comma? use a point)"
			}
		}
		return 0, false, mark(ErrBadNumber, "%s", msg)
	case math.IsInf(v, 0) || math.IsNaN(v):
		return 0, false, mark(ErrBadNumber, "parse %q as a number: not finite", s)
	}
	return v, false, nil
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
