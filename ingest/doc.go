// Package ingest reads a time series from CSV: first into a gota
// DataFrame of strings (ReadCSV), then, validated, into a Series of times,
// finite target values and an inferred frequency (ToSeries). Load does
// both. Windows cuts a series into lookback/horizon training windows.
//
// # CSV dialect
//
// The input is CSV as read by encoding/csv (RFC 4180). Fields are
// separated by Options.Comma, ',' by default, and may be quoted with '"';
// a quoted field may hold the delimiter, a doubled quote or a line break.
// Records end in LF or CRLF, the last one need not end at all, and blank
// lines are skipped. A leading UTF-8 byte order mark is dropped.
//
// The first record is the header. Its names are trimmed of surrounding
// spaces; an empty name becomes X0, X1, … and a repeated one gets the
// suffixes _0, _1, … (gota's rule). Every other record must have as many
// fields as the header, and there must be at least two such rows.
//
// # Columns
//
// The target column (Options.Target) must hold finite numbers as
// strconv.ParseFloat reads them, optionally surrounded by spaces. An empty field, NA, N/A, NaN, null or
// None (in any case) is a missing value, which is an error for now: gap
// filling is not supported yet. Other columns are read but not checked.
//
// The time column is Options.Time, or else chosen as Options documents;
// without one the series is indexed by integer steps. Its values are
// parsed with the first of these layouts (see package time) that fits the
// first row, and every row must fit that same layout:
//
//	2006-01-02T15:04:05Z07:00   RFC 3339, converted to UTC
//	2006-01-02T15:04:05
//	2006-01-02 15:04:05
//	2006-01-02 15:04
//	2006-01-02
//	2006-01                     the first of the month
//	2006                        January 1
//
// Fractional seconds may follow any seconds field. The bare year layout
// is not used to guess whether an unnamed first column holds times.
// Times without a zone are taken as UTC. They must strictly increase;
// InferFreq documents how the step is found.
//
// # Example
//
// Given this input (airline passengers; CRLF line ends and no final
// newline are fine):
//
//	"Month","Passengers"
//	"1949-01",112
//	"1949-02",118
//	"1949-03",132
//
// Load(r, Options{Target: "Passengers"}) picks Month as the time column
// and returns
//
//	&Series{
//		Name:   "Passengers",
//		Times:  []time.Time{1949-01-01 00:00 UTC, 1949-02-01 00:00 UTC, 1949-03-01 00:00 UTC},
//		Values: []float64{112, 118, 132},
//		Freq:   Freq{Months: 1}, // String() is "monthly"
//	}
//
// # Errors
//
// A problem in the input is reported as a *ParseError giving the file
// name, the physical line (the header is line 1), the 1-based field index
// and the column name, and wrapping one of the sentinel errors (or an
// encoding/csv one such as csv.ErrFieldCount), so that errors.Is works.
// Had the third line above read "1949-02",abc, the error would be
//
//	passengers.csv:3:2 (column "Passengers"): parse "abc" as a number: invalid syntax
//
// and errors.Is(err, ErrBadNumber) would hold.
package ingest
