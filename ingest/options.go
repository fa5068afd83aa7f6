package ingest

import (
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
	// that order of preference); else the first column not otherwise used
	// (as the id or a target named) whose first value parses as a date or
	// date-time (not as a bare year or a number), past columns of text and
	// of row numbers (an index, as pandas writes it) but not past another
	// column of numbers; else none, and the rows are integer steps.
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
	// series and time) unless Layout says otherwise. In the long layout
	// several names separated by commas ("store_id,item_id") are the
	// columns of the id together: a series' ID is their values joined by
	// "/" in that order ("S1/I01"); a column whose name is the whole of ID,
	// commas and all, is still that one column. In the rows layout, which
	// takes one id column, "" means the first column.
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

	// SingleRow lets a series hold one row; else it must hold two at
	// least, the fewest a frequency is inferred from. A series of one row
	// has the zero Freq unless Freq is set. Observations arrive so, one
	// at a time.
	SingleRow bool

	// SkipMissing leaves out the rows of a series whose value is missing,
	// as if they were absent, where FillNone would refuse them; a series
	// without times is refused all the same, where a row left out would
	// shift the later ones. Observations are recorded so: as read, and
	// only those read.
	SkipMissing bool

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

	// Table or Query is the SQLite source of LoadSQL and StreamSQL: every
	// column of a table, or the result of a query.
	Table, Query string

	// Notify, if set, is given the notices of Stream and StreamSQL as
	// they arise (LoadAll and LoadSQL return them in Dataset.Notes).
	Notify func(note string)

	// NotesOf, if set, keeps the notes of one series alone (what filling
	// did, the covariates filled), that of this ID: a command that reads
	// one series of many has nothing to tell of the others.
	NotesOf string

	// leaveOut, set by LoadAll and LoadSQL, leaves a series whose error
	// SeriesLeftOut reports out of a source of others, with a note;
	// Stream yields such a series with its error.
	leaveOut bool
}

// notesFor says whether the notes of the series id are wanted.
func (opt Options) notesFor(id string) bool { return opt.NotesOf == "" || opt.NotesOf == id }

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

// The fill methods fill gaps and missing values between a series' first
// value and its last; missing values before the first and after the last
// are dropped: the series had not begun or has not come in yet.
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
	return "", mark(ErrBadOption, "unknown fill method %q: want none, ffill, linear or zero", s)
}

// minRows is the fewest rows, and values, a series may hold under o.
func (o Options) minRows() int {
	if o.SingleRow {
		return 1
	}
	return 2
}
