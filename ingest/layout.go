package ingest

import (
	"errors"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// timeNames are the names of time columns, the most telling first.
var timeNames = []string{"date", "datetime", "timestamp", "time", "ds", "month", "year"}

// unixNames are the names of columns taken for the time where they hold
// Unix times (see unixTimes); of other values, such as a model's training
// epochs 1, 2, 3, they are data.
var unixNames = []string{"ts", "epoch", "unixtime", "unix_time"}

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

// allNumbers says whether every name reads as a decimal number with a
// fraction or exponent, as a row of data would (names such as 2019 or 101
// may well be column names).
func allNumbers(names []string) bool {
	for _, name := range names {
		if _, err := strconv.ParseFloat(name, 64); err != nil || !strings.ContainsAny(name, ".eE") {
			return false
		}
	}
	return true
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
	if !opt.NoHeader && len(t.names) > 1 && allNumbers(t.names) {
		d.Notes = append(d.Notes, fmt.Sprintf("%s:1: the header holds only numbers (%s, …): if that row is data, give --no-header", displayName(t.file), t.names[0]))
	}
	key, err := t.idColumns(opt.ID)
	if err != nil {
		return nil, err
	}
	switch opt.Layout {
	case "":
		d.Layout = LayoutWide
		if key != nil {
			d.Layout = LayoutLong
		} else if j := t.col("unique_id"); j >= 0 {
			d.Layout, key = LayoutLong, idKey{j}
			d.Notes = append(d.Notes, fmt.Sprintf("%s: long layout, series told apart by the column unique_id", displayName(t.file)))
		}
	case LayoutWide:
		d.Layout, key = LayoutWide, nil
	case LayoutLong:
		if key == nil {
			return nil, t.missingColumn("id", "")
		}
		d.Layout = LayoutLong
	case LayoutRows:
		d.Layout = LayoutRows
		idCol, err := t.rowsID(key)
		if err != nil {
			return nil, err
		}
		return buildRows(t, opt, idCol, d)
	default:
		return nil, mark(ErrBadOption, "unknown layout %q: want wide, long or rows", opt.Layout)
	}

	used := map[int]bool{}
	for _, j := range key {
		used[j] = true
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
	if j := t.unixColumn(used); len(timeCols) == 0 && !opt.NoTime && j >= 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q holds what look like Unix times (%s, …), not taken for the time: give --time %s to read them as times",
			displayName(t.file), t.names[j], t.cols[j][0], t.names[j]))
	}
	for _, j := range timeCols {
		if explicit[j] {
			return nil, t.at(-1, j, mark(ErrBadOption, "the time column cannot also be the target"))
		}
		if used[j] {
			return nil, t.at(-1, j, mark(ErrBadOption, "the time column cannot also be the id or a covariate"))
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
	if key != nil {
		index := map[string]int{}
		for i := range t.nrow {
			if err := key.check(t, i); err != nil {
				return nil, err
			}
			id := key.row(t, i)
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
	several := len(groups)*len(targets) > 1
	var leftOut error // of the first series left out
	t.seriesCols, t.key = targets, key
	for _, g := range groups {
		for _, target := range targets {
			id := t.names[target]
			if key != nil {
				id = g.id
				if len(targets) > 1 {
					id = g.id + ":" + t.names[target]
				}
			}
			s, err := t.series(opt, id, target, g.rows, !several, times, timeCols, covs, d)
			switch {
			case err == nil:
				if s.Quality.Sorted {
					sorted++
				}
				d.Series = append(d.Series, s)
				continue
			case errors.Is(err, errTooFewLeft) && several:
				// Today's row of several stores, one not in yet.
				d.Notes = append(d.Notes, fmt.Sprintf("%s: series %q has no value: left out", displayName(t.file), id))
			case opt.leaveOut && several && SeriesLeftOut(err):
				// Too short or too gappy to read (a new item of one
				// day): the others are read without it.
				if opt.notesFor(id) {
					d.Notes = append(d.Notes, fmt.Sprintf("%v: left out", err))
				}
			default:
				return nil, err
			}
			if leftOut == nil {
				leftOut = err
			}
		}
	}
	if len(d.Series) == 0 && leftOut != nil {
		return nil, leftOut
	}
	if sorted > 1 && key != nil { // a wide file's columns share one order, noted once
		d.Notes = append(d.Notes, fmt.Sprintf("%s: the rows of %d series were out of time order and have been sorted", displayName(t.file), sorted))
	}
	return d, nil
}

// checkID refuses an id that names no series (empty: a row's series was
// read as the target column's name, and its values replaced those of a
// series of that name) or holds a control character (a newline broke the
// lines printed, an escape sequence drove the terminal).
func checkID(id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return mark(ErrBadID, "empty id: every row needs the id of its series")
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		return mark(ErrBadID, "id %s holds a control character", quoteCell(id))
	}
	return nil
}

// idKey is the columns whose cells, joined by "/" in this order, are the
// id of a row's series: one column, or several (Options.ID
// "store_id,item_id" gives ids such as "S1/I01").
type idKey []int

// idColumns resolves Options.ID to the columns of the key: the column so
// named, else, for a name holding commas, the columns it lists; nil for
// no id.
func (t *table) idColumns(id string) (idKey, error) {
	if id == "" {
		return nil, nil
	}
	if j := t.col(id); j >= 0 {
		return idKey{j}, nil
	}
	if !strings.Contains(id, ",") {
		return nil, t.missingColumn("id", id)
	}
	names := strings.Split(id, ",")
	key := make(idKey, len(names))
	for k, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, t.at(-1, -1, mark(ErrBadOption, "id %q: an empty column name", id))
		}
		if key[k] = t.col(name); key[k] < 0 {
			return nil, t.missingColumn("id", name)
		}
	}
	return key, nil
}

// of returns the id of the series of a record.
func (k idKey) of(rec []string) string {
	if len(k) == 1 {
		return rec[k[0]]
	}
	parts := make([]string, len(k))
	for n, j := range k {
		parts[n] = rec[j]
	}
	return strings.Join(parts, "/")
}

// row returns the id of the series of row i of t.
func (k idKey) row(t *table, i int) string {
	if len(k) == 1 {
		return t.cols[k[0]][i]
	}
	parts := make([]string, len(k))
	for n, j := range k {
		parts[n] = t.cols[j][i]
	}
	return strings.Join(parts, "/")
}

// check refuses row i of t, at its cell, if a cell of the key is not an
// id (see checkID): each part of the id names the series. Of a key of
// several columns no part may hold the "/" that joins them, or store A/B
// with item C and store A with item B/C were one series.
func (k idKey) check(t *table, i int) error {
	for _, j := range k {
		cell := t.cols[j][i]
		if err := checkID(cell); err != nil {
			return t.at(i, j, err)
		}
		if len(k) > 1 && strings.Contains(cell, "/") {
			return t.at(i, j, mark(ErrBadID, "id part %s holds the \"/\" that joins the columns of the key", quoteCell(cell)))
		}
	}
	return nil
}

// names lists the names of the key's columns, of those of header.
func (k idKey) names(header []string) string {
	list := make([]string, len(k))
	for n, j := range k {
		list[n] = header[j]
	}
	return strings.Join(list, ", ")
}

// rowsID returns the id column of the rows layout given the key: its one
// column, or the first column for none.
func (t *table) rowsID(key idKey) (int, error) {
	switch len(key) {
	case 0:
		return 0, nil
	case 1:
		return key[0], nil
	}
	return -1, t.at(-1, key[1], mark(ErrBadOption, "the rows layout takes one id column, not %d", len(key)))
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
	for _, name := range unixNames {
		for j, n := range t.names {
			if strings.EqualFold(n, name) && free(j) && t.unixTimes(j) {
				return []int{j}, nil
			}
		}
	}
	// The first column not otherwise used that holds times, past columns
	// of row numbers (pandas' to_csv writes its index first) and of text
	// (the id column of a long layout, store,day,amount, comes before the
	// time as often as after it), but not past a column of numbers.
	for j := range t.names {
		if !free(j) || t.nrow == 0 {
			continue
		}
		if looksLikeTime(strings.TrimSpace(t.cols[j][0])) {
			return []int{j}, nil
		}
		if !t.indexColumn(j) && t.numeric(j) {
			break
		}
	}
	return nil, nil
}

// unixColumn returns the first column not used that holds Unix times
// (see unixTimes), or -1.
func (t *table) unixColumn(used map[int]bool) int {
	for j := range t.cols {
		if !used[j] && t.unixTimes(j) {
			return j
		}
	}
	return -1
}

// unixTimes says whether the cells of column j all look like Unix times
// in seconds or milliseconds of 2001 to 2286 (10 or 13 digits) and
// increase.
func (t *table) unixTimes(j int) bool {
	col := t.cols[j]
	for i, v := range col {
		if !isDigits(v) || len(v) != 10 && len(v) != 13 || len(v) != len(col[0]) || i > 0 && v <= col[i-1] {
			return false
		}
	}
	return len(col) > 0
}

// indexColumn reports whether column j numbers the rows rather than
// holding data: it counts them (rowCounter), or it holds whole numbers
// under no name (read as X0, X1, …), or "index" or "Unnamed: 0", as
// pandas writes its index (a data frame's rows filtered or sorted keep
// their numbers).
func (t *table) indexColumn(j int) bool {
	if t.rowCounter(j) {
		return true
	}
	switch name := t.names[j]; {
	case name == fmt.Sprintf("X%d", j), strings.EqualFold(name, "index"), strings.EqualFold(name, "Unnamed: 0"):
	default:
		return false
	}
	for _, v := range t.cols[j] {
		if !isDigits(strings.TrimSpace(v)) {
			return false
		}
	}
	return true
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
			return nil, t.at(-1, j, mark(ErrBadOption, "the target column cannot also be the id or a covariate"))
		}
		add(j)
	}
	if len(names) > 0 {
		return cols, nil
	}
	// Every numeric column that plays no other part.
	var badCells []error // of the columns of numbers but some cells
	var counters []int
	for j := range t.names {
		if used[j] {
			continue
		}
		if !t.numeric(j) {
			if err := t.notANumber(j); err != nil {
				badCells = append(badCells, err)
			}
			continue
		}
		if t.rowCounter(j) {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q counts the rows: not taken as a series", displayName(t.file), t.names[j]))
			counters = append(counters, j)
			continue
		}
		if t.indexColumn(j) {
			d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q numbers the rows, as an index: not taken as a series", displayName(t.file), t.names[j]))
			counters = append(counters, j)
			continue
		}
		add(j)
	}
	if len(cols) == 0 && len(badCells) > 0 {
		return nil, badCells[0]
	}
	for _, err := range badCells {
		// Left out without a word, a meter's column of one typo went
		// missing from a file of 20.
		d.Notes = append(d.Notes, fmt.Sprintf("%v: not taken as a series", err))
	}
	if len(cols) == 0 && len(counters) > 0 {
		verb := "numbers"
		if len(counters) > 1 {
			verb = "number"
		}
		var first []string // of the first column, at most 3
		for _, v := range t.cols[counters[0]][:min(3, t.nrow)] {
			first = append(first, strings.TrimSpace(v))
		}
		return nil, t.at(-1, -1, mark(ErrMissingColumn, "no target column given, and %s %s the rows (%s, …), taken for an index: name it (--target) if it is the series",
			quoteNames(t, counters), verb, strings.Join(first, ", ")))
	}
	if len(cols) == 0 {
		return nil, t.missingColumn("target", "")
	}
	if d.Layout == LayoutLong && len(cols) > 1 {
		return nil, t.at(-1, -1, mark(ErrMissingColumn, "several numeric columns could be the target (%s): name it with --target", quoteNames(t, cols)))
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
		x, missing, err := t.parseValue(v)
		if err != nil {
			return false
		}
		seen = seen || !missing && !math.IsNaN(x)
	}
	return seen
}

// notANumber returns the error of the first cell of column j that is not a
// number, if the column holds numbers in most of its cells (numbers with a
// decimal comma or thousands separators count); else nil.
func (t *table) notANumber(j int) error {
	var numbers, first int
	var firstErr error
	for i, v := range t.cols[j] {
		_, missing, err := t.parseValue(v)
		if err != nil && firstErr == nil {
			first, firstErr = i, err
		}
		if err == nil && !missing || err != nil && commaNumber(v) {
			numbers++
		}
	}
	if firstErr == nil || 2*numbers <= len(t.cols[j]) {
		return nil
	}
	return t.at(first, j, fmt.Errorf("%w (with no target given, a column is taken only if it holds numbers)", firstErr))
}

// commaNumber reports whether v is a number written with commas, as a
// decimal comma or between thousands ("1,5", "1,500,000").
func commaNumber(v string) bool {
	t := strings.TrimSpace(v)
	if !strings.Contains(t, ",") {
		return false
	}
	_, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
	return err == nil
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
					return nil, "", t.at(i, j, mark(ErrBadTime, "parse %s as the %s of a time: want an integer from %d to %d", quoteCell(t.cols[j][i]), names[k], lo[k], hi[k]))
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
	bad, shifted := p.parseAll(vals, times)
	if bad >= 0 {
		// Another detected format may fit every value; else name those
		// that fit the values before the bad one.
		fits := []timeParser{p}
		for _, alt := range p.alts {
			k, altShifted := alt.parseAll(vals, times)
			if k < 0 {
				shifted = altShifted
				if p.format != formatFiscalYear { // tried first where a month such as 2001-02 starts the column
					alt.note = fmt.Sprintf("read times as %s (%s does not fit %q on %s)", alt.name(), p.name(), vals[bad], t.where(bad))
				}
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
			msg := fmt.Sprintf("parse %s as a time: want %s", quoteCell(vals[bad]), strings.Join(want, " or "))
			if opt.TimeFormat == "" && bad > 0 {
				msg += ", as on " + t.where(0)
			}
			var zone zoneError
			switch _, err := p.parse(strings.TrimSpace(vals[bad])); {
			case errors.As(err, &zone):
				msg = fmt.Sprintf("parse %s as a time: %v", quoteCell(vals[bad]), zone)
			case noSuchTime(err) != "":
				msg = fmt.Sprintf("parse %s as a time: %s", quoteCell(vals[bad]), noSuchTime(err))
			}
			return nil, "", t.at(bad, j, mark(ErrBadTime, "%s", msg))
		}
	}
	if p.note != "" {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q: %s", displayName(t.file), t.names[j], p.note))
	}
	// Instants with an offset are shown, and forecast, in UTC: say so,
	// or 00:00+02:00 reads as a shift of two hours.
	if shifted >= 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("%s: column %q: times with a UTC offset are read as instants, shown and forecast in UTC (%s on %s is %s)",
			displayName(t.file), t.names[j], strings.TrimSpace(vals[shifted]), t.where(shifted), times[shifted].Format("2006-01-02 15:04")))
	}
	return times, p.name(), nil
}
