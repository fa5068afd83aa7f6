package ingest

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error returned by this package wraps one of
// them, so callers can test with errors.Is, or with IsInputError for any.
var (
	ErrMissingColumn = errors.New("missing column")
	ErrBadNumber     = errors.New("bad number")
	ErrBadTime       = errors.New("bad time")
	ErrDuplicateTime = errors.New("duplicate time")
	ErrUnsorted      = errors.New("times not increasing")
	ErrEmpty         = errors.New("not enough rows")
	ErrMissingValue  = errors.New("missing value")
	ErrTooMuchFill   = errors.New("too much filled")
	ErrSyntax        = errors.New("bad CSV syntax")     // a bare quote, a record of the wrong length, …
	ErrDuplicateID   = errors.New("duplicate id")       // two rows of the rows layout with one id
	ErrBadID         = errors.New("bad id")             // an empty id, or one with a control character
	ErrSeveralSeries = errors.New("several series")     // Load given a source of several series
	ErrBadOption     = errors.New("options do not fit") // an unknown layout or fill, a start without a frequency, …
	ErrRead          = errors.New("cannot read input")  // the reader or the database failed
)

// sentinels are the errors IsInputError looks for.
var sentinels = []error{ErrMissingColumn, ErrBadNumber, ErrBadTime, ErrDuplicateTime, ErrUnsorted,
	ErrEmpty, ErrMissingValue, ErrTooMuchFill, ErrSyntax, ErrDuplicateID, ErrSeveralSeries, ErrBadOption, ErrRead}

// IsInputError reports whether err wraps one of the sentinel errors of
// this package: the input (or the options to read it) is at fault, not
// the program.
func IsInputError(err error) bool {
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// readError is the error for a source that cannot be read.
func readError(name string, err error) error {
	return &ParseError{File: name, Err: mark(ErrRead, "%w", err)}
}

// ParseError locates a problem in the input.
//
// In a CSV, Line is 1-based and counts physical lines, the header being
// line 1; 0 means the error is not tied to a line. Column is the 1-based
// field index; 0 means the whole line. ColumnName is the header of that
// field.
//
// In an SQLite source, Table names the table ("" with Query set for the
// result of a query) and Row the row: its rowid when the table has one,
// else its 1-based position in the result. Line and Column are then 0.
type ParseError struct {
	File       string // as in Options.Name
	Line       int
	Column     int
	ColumnName string
	Table      string // SQLite table
	Query      bool   // the rows came from Options.Query
	Row        int64  // SQLite row; 0 means the error is not tied to a row
	Err        error
}

// Error formats the error as file:line:column (column "name"): cause, or
// for SQLite as file: table "t", row r, column "name": cause, leaving out
// the parts that are unknown.
func (e *ParseError) Error() string {
	s := displayName(e.File)
	if e.Table != "" || e.Query {
		if e.Table != "" {
			s += fmt.Sprintf(": table %q", e.Table)
		} else {
			s += ": query result"
		}
		if e.Row > 0 {
			s += fmt.Sprintf(", row %d", e.Row)
		}
		if e.ColumnName != "" {
			s += fmt.Sprintf(", column %q", e.ColumnName)
		}
		return s + ": " + e.Err.Error()
	}
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Column > 0 {
		s += ":" + strconv.Itoa(e.Column)
	}
	if e.ColumnName != "" {
		s += fmt.Sprintf(" (column %q)", e.ColumnName)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// displayName is the name of the input as shown in errors.
func displayName(name string) string {
	switch name {
	case "":
		return "<input>"
	case "-":
		return "<stdin>"
	}
	return name
}

// kindError is a message that also matches a sentinel: its text is err's
// text, and errors.Is finds both kind and whatever err wraps.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

// mark formats a message as fmt.Errorf does and ties it to the sentinel kind.
func mark(kind error, format string, args ...any) error {
	return &kindError{kind: kind, err: fmt.Errorf(format, args...)}
}
