package ingest

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// Options says how to read a CSV. The zero value reads comma-separated input
// with an automatically chosen time column, but Target must be set.
type Options struct {
	// Name is the input's name in error messages. "" shows as "<input>"
	// and "-" as "<stdin>".
	Name string

	// Time is the time column. "" means automatic: the first column named
	// date, time, timestamp, datetime, month or ds (in any case), else the
	// first column if its first value parses as a date or date-time (not
	// as a bare year), else none, and the rows are integer steps.
	Time string

	// Target is the column to forecast. It is required.
	Target string

	// Comma is the field delimiter. 0 means ','.
	Comma rune
}

// Series is one time series: the target values, their times and the step
// between them.
type Series struct {
	Name   string      // target column name
	Times  []time.Time // in UTC; nil when there is no time column
	Values []float64   // finite
	Freq   Freq        // inferred step; zero when Times is nil
}

// utf8BOM is the byte order mark some editors put at the start of a file.
const utf8BOM = "\ufeff"

// Load reads a CSV and returns its target series: ReadCSV then ToSeries,
// except that errors give the physical line even where blank lines or
// quoted line breaks are present.
func Load(r io.Reader, opt Options) (*Series, error) {
	df, lines, err := read(r, opt)
	if err != nil {
		return nil, err
	}
	return toSeries(df, opt, lines)
}

// ReadCSV reads a CSV with a header into a DataFrame whose columns are all
// strings, exactly as written apart from the quoting. It checks the CSV
// syntax and that every record has as many fields as the header; the
// columns themselves are checked by ToSeries.
func ReadCSV(r io.Reader, opt Options) (dataframe.DataFrame, error) {
	df, _, err := read(r, opt)
	return df, err
}

// read is ReadCSV that also returns the physical line of each record,
// the header's first.
func read(r io.Reader, opt Options) (dataframe.DataFrame, []int, error) {
	records, lines, err := readRecords(r, opt)
	if err != nil {
		return dataframe.DataFrame{Err: err}, nil, err
	}
	df := dataframe.LoadRecords(records,
		dataframe.HasHeader(true),
		dataframe.DetectTypes(false),
		dataframe.DefaultType(series.String),
		dataframe.NaNValues(nil), // keep "NA" and friends as written
	)
	if df.Err != nil {
		err := fmt.Errorf("%s: %w", displayName(opt.Name), df.Err)
		return dataframe.DataFrame{Err: err}, nil, err
	}
	return df, lines, nil
}

// readRecords reads all records and the line each starts on.
func readRecords(r io.Reader, opt Options) ([][]string, []int, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(utf8BOM)); err == nil && string(b) == utf8BOM {
		if _, err := br.Discard(len(utf8BOM)); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", displayName(opt.Name), err)
		}
	}
	cr := csv.NewReader(br)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.FieldsPerRecord = -1 // checked below, with a clearer message

	var (
		records [][]string
		lines   []int
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, csvError(opt.Name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(records) == 0 {
			for i, name := range rec {
				rec[i] = strings.TrimSpace(name)
			}
		} else if len(rec) != len(records[0]) {
			return nil, nil, &ParseError{File: opt.Name, Line: line,
				Err: fmt.Errorf("%w: got %d, the header has %d", csv.ErrFieldCount, len(rec), len(records[0]))}
		}
		records = append(records, rec)
		lines = append(lines, line)
	}
	switch len(records) {
	case 0:
		return nil, nil, &ParseError{File: opt.Name, Err: mark(ErrEmpty, "empty input: want a header and at least 2 rows")}
	case 1:
		return nil, nil, &ParseError{File: opt.Name, Err: mark(ErrEmpty, "no rows after the header: want at least 2")}
	}
	return records, lines, nil
}

// csvError turns an error from encoding/csv into one that names the input.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", displayName(name), err)
	}
	cause := fmt.Errorf("%w at byte %d", pe.Err, pe.Column)
	if pe.StartLine != pe.Line {
		cause = fmt.Errorf("%w at byte %d, in the record that starts on line %d", pe.Err, pe.Column, pe.StartLine)
	}
	return &ParseError{File: name, Line: pe.Line, Err: cause}
}

// ToSeries validates a DataFrame read by ReadCSV and returns its target
// series. Line numbers in its errors assume the header is on line 1 and
// every row on the next line; Load knows the real lines.
func ToSeries(df dataframe.DataFrame, opt Options) (*Series, error) {
	return toSeries(df, opt, nil)
}

// frame locates cells of a DataFrame in its file.
type frame struct {
	file  string
	names []string
	lines []int // physical line of the header and each row; nil: one per line
}

// line returns the physical line of row i, -1 being the header.
func (f *frame) line(i int) int {
	if f.lines == nil {
		return i + 2
	}
	return f.lines[i+1]
}

// cellError returns a ParseError for row i and column j.
func (f *frame) cellError(i, j int, err error) error {
	return &ParseError{File: f.file, Line: f.line(i), Column: j + 1, ColumnName: f.names[j], Err: err}
}

// column returns the index of the column called name, which plays role.
func (f *frame) column(name, role string) (int, error) {
	for j, n := range f.names {
		if n == name {
			return j, nil
		}
	}
	quoted := make([]string, len(f.names))
	for j, n := range f.names {
		quoted[j] = strconv.Quote(n)
	}
	msg := fmt.Sprintf("no %s column %q", role, name)
	if name == "" {
		msg = fmt.Sprintf("no %s column given", role)
	}
	return 0, &ParseError{File: f.file, Line: f.line(-1),
		Err: mark(ErrMissingColumn, "%s; the columns are %s", msg, strings.Join(quoted, ", "))}
}

func toSeries(df dataframe.DataFrame, opt Options, lines []int) (*Series, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("%s: %w", displayName(opt.Name), df.Err)
	}
	f := &frame{file: opt.Name, names: df.Names(), lines: lines}
	target, err := f.column(opt.Target, "target")
	if err != nil {
		return nil, err
	}
	if n := df.Nrow(); n < 2 {
		return nil, &ParseError{File: opt.Name, Err: mark(ErrEmpty, "want at least 2 rows, got %d", n)}
	}
	tcol, err := f.timeColumn(df, opt.Time, target)
	if err != nil {
		return nil, err
	}

	s := &Series{Name: f.names[target]}
	raw := df.Col(f.names[target]).Records()
	s.Values = make([]float64, len(raw))
	for i, v := range raw {
		if s.Values[i], err = parseValue(v); err != nil {
			return nil, f.cellError(i, target, err)
		}
	}
	if tcol < 0 {
		return s, nil
	}
	if s.Times, err = f.parseTimes(df.Col(f.names[tcol]).Records(), tcol); err != nil {
		return nil, err
	}
	if s.Freq, err = InferFreq(s.Times); err != nil {
		return nil, &ParseError{File: opt.Name, Err: err}
	}
	return s, nil
}

// timeColumn returns the index of the time column, or -1 if there is none.
func (f *frame) timeColumn(df dataframe.DataFrame, name string, target int) (int, error) {
	if name != "" {
		j, err := f.column(name, "time")
		if err == nil && j == target {
			return 0, &ParseError{File: f.file, Line: f.line(-1), Column: j + 1, ColumnName: name,
				Err: errors.New("the time column cannot also be the target")}
		}
		return j, err
	}
	for j, n := range f.names {
		switch strings.ToLower(n) {
		case "date", "time", "timestamp", "datetime", "month", "ds":
			if j != target {
				return j, nil
			}
		}
	}
	if target != 0 {
		first := strings.TrimSpace(df.Elem(0, 0).String())
		if _, ok := layoutOf(first, layouts[:len(layouts)-1]); ok {
			return 0, nil
		}
	}
	return -1, nil
}

// parseTimes parses the time column j. The layout is the first one that
// fits row 0, and must fit every row; times must strictly increase.
func (f *frame) parseTimes(raw []string, j int) ([]time.Time, error) {
	layout, ok := layoutOf(strings.TrimSpace(raw[0]), layouts)
	if !ok {
		return nil, f.cellError(0, j, mark(ErrBadTime,
			"parse %q as a time: want one of the layouts %s", raw[0], strings.Join(layouts, ", ")))
	}
	times := make([]time.Time, len(raw))
	for i, v := range raw {
		t, err := time.Parse(layout, strings.TrimSpace(v))
		if err != nil {
			return nil, f.cellError(i, j, mark(ErrBadTime,
				"parse %q as a time: want the layout %s, as on line %d", v, layout, f.line(0)))
		}
		times[i] = t.UTC()
		if i == 0 || t.After(times[i-1]) {
			continue
		}
		for k := i - 1; k >= 0; k-- {
			if t.Equal(times[k]) {
				return nil, f.cellError(i, j, mark(ErrDuplicateTime,
					"duplicate time %q, first on line %d", v, f.line(k)))
			}
		}
		return nil, f.cellError(i, j, mark(ErrUnsorted,
			"time %q is before %q on line %d: rows must be in increasing time order", v, raw[i-1], f.line(i-1)))
	}
	return times, nil
}

// layouts are the time formats tried, in order.
var layouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01",
	"2006",
}

// layoutOf returns the first of the layouts that parses s.
func layoutOf(s string, layouts []string) (string, bool) {
	for _, l := range layouts {
		if _, err := time.Parse(l, s); err == nil {
			return l, true
		}
	}
	return "", false
}

// parseValue parses a target value, which must be a finite number.
func parseValue(s string) (float64, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "":
		return 0, mark(ErrMissingValue, "empty value: gap filling is not supported yet")
	case "na", "n/a", "nan", "null", "none":
		return 0, mark(ErrMissingValue, "missing value %q: gap filling is not supported yet", s)
	}
	v, err := strconv.ParseFloat(t, 64) // "nan" in any case was caught above
	switch {
	case err != nil:
		return 0, mark(ErrBadNumber, "parse %q as a number: %w", s, errors.Unwrap(err))
	case math.IsInf(v, 0):
		return 0, mark(ErrBadNumber, "parse %q as a number: not finite", s)
	}
	return v, nil
}
