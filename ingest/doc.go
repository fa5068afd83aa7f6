// Package ingest reads time series from CSV files and SQLite databases
// into Series: times, finite values, covariates and a frequency, with a
// report of what the source held (Quality) and of what was done to read it
// (Dataset.Notes). A series holds its rows as a typed gota DataFrame
// (Series.Table: time, value and the covariates), built from the parser's
// columns; Values, Times, Covariates, Value and Time read it back, and the
// forecast package cuts its windows from what they return. LoadAll reads every series of a CSV, LoadSQL those of
// an SQLite table or query, Load the one series of a CSV. Stream and
// StreamSQL yield the series of a source one at a time, holding one series
// in memory in the rows and long layouts and a bounded group of columns in
// the wide layout (see Stream). ReadCSV and
// ReadSQL return the raw cells as a gota DataFrame of strings; ToSeries
// turns one into a series. Dataset.Frame returns the series read as one
// typed gota DataFrame in the long layout (id, step, time, value, filled,
// covariates), built from the series' tables when asked for; Describe reads
// each series' statistics from it (values, filled, minimum, mean and
// maximum), and WriteFrame writes it as CSV. Windows cuts a series into lookback/horizon
// training windows, and Season finds its season length.
//
// Library code never prints: notices come back in Dataset.Notes, errors as
// *ParseError values that locate the problem.
//
// # CSV dialect
//
// The input is CSV as read by encoding/csv (RFC 4180). Fields are
// separated by Options.Comma; when it is 0 the delimiter is detected from
// the first 50 records: the one of , ; tab and | that occurs the same
// non-zero number of times outside quotes in each, the most frequent if
// several do, else ','. Fields may be quoted with '"'; a quoted field may
// hold the delimiter, a doubled quote or a line break. Records end in LF or
// CRLF (or CR alone, in a file whose first 64 KiB hold no LF: Excel for
// Mac's "CSV (Macintosh)"), the last one need not end at all, and blank
// lines are skipped. A leading UTF-8 byte order mark is dropped.
//
// The first record is the header, unless Options.NoHeader is set, in which
// case the columns are named "1", "2", … by position. Header names are
// trimmed of surrounding spaces; an empty name becomes X0, X1, … (by
// position) and a repeated one gets the suffixes _0, _1, … (gota's rule).
// Every other record must have as many fields as the header, except in the
// rows layout, where shorter records are padded with empty fields.
//
// # Layouts
//
// Options.Layout says how series are laid out:
//
//	wide  a time column and one column per series; each target named by
//	      Options.Target and Options.Targets (names, or path.Match patterns
//	      such as "HU*") is a series whose ID is its column name; with no
//	      target named, LoadAll takes every numeric column that is not the
//	      time, an id or a covariate and does not merely count the rows.
//	long  an id column (Options.ID), a time column and a value column: one
//	      row per series and time, the rows of the series in any order. The
//	      series' IDs are the id values, in order of first appearance. An
//	      id of several columns ("store_id,item_id", as M5's sales) joins
//	      their values by "/" ("S1/I01"). A column named unique_id selects
//	      this layout by itself.
//	rows  one series per row, as the M4 competition ships them: an id (the
//	      first column unless Options.ID says) and then the values, to the
//	      last non-empty field. Targets, if named, select rows by id. The
//	      values are integer steps, or dated from Options.Start by
//	      Options.Freq.
//
// For example this long input
//
//	unique_id,ds,y
//	b,2024-01-02,20
//	a,2024-01-01,1
//	b,2024-01-01,10
//	a,2024-01-02,2
//
// gives the series "b" (10, 20) and "a" (1, 2), both daily from 2024-01-01,
// with the notice that the rows of "b" were out of time order and have
// been sorted.
//
// Covariate columns (Options.Covariates) are carried beside each series'
// values as Covariates, filled as the target is (values left missing at
// either end take the nearest value).
//
// # Values
//
// Values must be decimal numbers as strconv.ParseFloat reads them (not
// Go's 1_000 or 0x1p3), optionally surrounded by spaces, and within
// ±MaxMagnitude (1e150); a percentage, 15.1%, is read as 15.1. An empty
// field, NA, N/A, #N/A, NaN, null or None (in any case), . (as FRED
// writes it) or - is a missing value; in SQLite so is NULL. In
// a CSV delimited by other than commas (semicolons, as spreadsheets write
// where the comma is the decimal mark), a number may have a decimal comma
// and points between thousands (1.234,5); where a series' numbers have
// decimal commas, 1.300 is 1300 and a decimal point is refused. Whole
// numbers beside numbers like 1.300 and no decimal comma (a spreadsheet's
// #.##0, or decimals) are read as decimals, with a note. Elsewhere a
// comma inside a number gets the hint that decimal commas are read only
// there.
//
// # Time
//
// The time column is Options.Time, or chosen as Options documents; without
// one (or with Options.NoTime) the rows are integer steps. Its format is
// Options.TimeFormat, a Go layout ("02/01/2006"), a strftime format
// ("%d/%m/%Y") or "unix"/"unixms"; else it is detected from the values:
//
//	2006-01-02T15:04:05Z07:00   RFC 3339, converted to UTC
//	2006-01-02T15:04:05         and the same without a zone, which is UTC
//	2006-01-02 15:04:05Z07:00   and offsets written -0700, -07, " -0700" or " -07:00"
//	2006-01-02 15:04:05
//	2006-01-02T15:04, 2006-01-02 15:04
//	2006-01-02
//	2006/01/02 15:04:05, 2006/01/02 15:04, 2006/01/02, 2006.01.02
//	2006-01, 2006M01            the first of the month (1995M01)
//	Jan-2-2006, 2-Jan-2006      month names, in any case (Jan-1-1995, 01-Jan-1995)
//	2-Jan-06                    1-Jan-95: years 30 to 99 are 19xx, 00 to 29 20xx, as in Excel
//	Jan 2, 2006, January 2, 2006, 2 Jan 2006, 2 January 2006
//	Jan-06, Jan 2006, January 2006 (Jan-49 is 1949, as in Excel)
//	2006                        January 1 (4 digits)
//	1980-W01, 1980W01-1         ISO 8601 weeks: their Monday, or the weekday given
//	20060102                    YYYYMMDD (8 digits), with a notice
//	1700000000                  Unix seconds (9 or 10 digits), with a notice
//	1700000000000               Unix milliseconds (12 or 13 digits), with a notice
//	2/1/2006, 1/2/2006          day/month/year or month/day/year, with / . or -,
//	                            the year in 4 digits or 2, optionally followed
//	                            by 15:04 or 15:04:05
//	1959Q1, 1959-Q1, 1959 Q1,   quarters (the Q in any case), dated on the
//	Q1 1959, Q1-1959            quarter's first day: %YQ%q and so on
//
// Fractional seconds may follow any seconds field. The format is the first
// that fits the first value, and every value must fit it; if a later value
// does not, the other formats that fit the first value are tried in turn
// ("May 1995" fits both Jan 2006 and January 2006; "June 1995" only the
// second), and if none fits every value the error names those that fit the
// values before the one that fails:
//
//	data.csv:4:1 (column "date"): parse "1997-05" as a time: want the layout Jan 2006 or the layout January 2006, as on line 2
//
// Day-first and
// month-first dates are told apart by the data: a first number above 12
// means day first, a second one above 12 month first, and the choice is
// noted. If no value tells, the column is ambiguous and rejected, never
// guessed:
//
//	data.csv:2:1 (column "date"): ambiguous date "01/02/2020": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/2006 or 01/02/2006
//
// A time may also be split over integer columns: Options.Time
// "year,month,day,hour" (parts in the order year, month, day, hour,
// minute, second), chosen by itself when there are columns named year and
// month. The Beijing PM2.5 file is read that way. A second part named
// quarter, qtr or q is a quarter, never a month: "year,quarter", chosen by
// itself too, dates each row on its quarter's first day, and a quarter
// outside 1 to 4 is an error:
//
//	macro.csv:3:2 (column "quarter"): parse "5" as the quarter of a time: want an integer from 1 to 4
//
// Rows are sorted by time if they are not in order, with a notice. Equal
// times in one series are an error naming the first few:
//
//	data.csv:4:1 (column "date"): duplicate time "2024-01-02", first on line 3; 2 duplicates in all, also "2024-01-01" on line 5
//
// In a series of one id column whose equal times another text column
// tells apart, the error ends by naming both as the id to give:
// "give --id store_id,item_id if the series are told apart by both".
//
// # Frequency, gaps and missing values
//
// The step between rows is Options.Freq, else inferred (InferFreq):
// minutes, hours, days, business days, weeks, months anchored at a day of
// the month, at the month's end or at its last business day, quarters and
// years. Freq.Add keeps the anchoring, so forecasts of month-start data
// fall on month starts, those of month-end data on month ends, those of
// data on the last business day (29 January, 26 February, 31 March 2010;
// 28 March 2024 before Good Friday) on the last weekday of the month, and
// those of data on the 30th (with 28 February) on the 30th. ParseFreq
// reads the names that Freq.String prints and pandas-style aliases (15min,
// h, D, B, W, MS, ME, BME, QS, QE, YS, YE).
//
// Rows that are k > 1 steps apart leave k-1 absent steps: a gap. Gaps and
// missing values are reported in Series.Quality and handled by
// Options.Fill:
//
//	linear  (the default) absent steps are inserted and missing values
//	        interpolated linearly
//	ffill   the last value is carried forward
//	zero    0 is put in
//	none    nothing is filled: gaps stay (the rows are taken as consecutive
//	        steps), and a missing value is an error
//
// The first three fill between a series' first value and its last: missing
// values before the first or after the last are dropped (the series had not
// begun, or the rows are future ones of planned covariates). A covariate's
// missing values at its ends take the nearest value, or 0 under zero.
//
// Filling may invent at most Options.MaxFill of a series' values (absent
// steps and missing values filled; 10 % unless set): a series that is more
// guess than data is most often a misread time column or frequency, and is
// an error (ErrTooMuchFill) naming its largest gaps:
//
//	sales.csv:1:2 (column "sales"): series "sales": filling would invent 7 of its 17 values (41.2 %), more than the 10 % allowed: 7 monthly steps absent in 2 gaps, the largest 2020-07-01 to 2020-12-01 (6 steps), 2021-04-01; check the time column and the frequency (--freq), or allow more with --max-fill
//
// FillShare gives the share of a series that was filled.
//
// Of a source of several series, LoadAll and LoadSQL leave out one with
// fewer than two rows or values (one with SingleRow: none) or more filled
// than MaxFill allows, with a note giving its error, as long as another
// is read (SeriesLeftOut says which errors these are); Stream yields it
// with its error.
//
// A time off the frequency's grid (say 02:30 in hourly data) is an error
// unless Fill is none. Given the Melbourne temperatures, which lack
// 1984-12-31 and 1988-12-31, Load returns 3652 daily values, Quality.Gaps
// holds the two gaps, and the notice says
//
//	daily-min-temperatures.csv: series "Temp": 2 gaps of 2 absent steps in all: 2 filled by linear interpolation
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
// and returns the series named and identified Passengers, monthly
// (Freq{Months: 1}), with Quality{Rows: 3, Min: 112, Mean: 120.67, Max: 132}
// and the table
//
//	time (Float, Unix s)   value (Float)
//	-662688000             112            1949-01-01 00:00 UTC
//	-660009600             118            1949-02-01 00:00 UTC
//	-657590400             132            1949-03-01 00:00 UTC
//
// whose Values are 112, 118, 132 and Times 1949-01-01, 02-01 and 03-01.
//
// # SQLite
//
// LoadSQL reads Options.Table (every column, in rowid order) or the result
// of Options.Query from a *sql.DB the caller opened with the sqlite3
// driver; this package does not import a driver. Cells are read as text:
// NULL as a missing value, numbers with full precision, DATE and DATETIME
// columns in RFC 3339, so a series gives the same values, times and
// windows from SQLite as from a CSV. The layouts, time formats and fill
// methods are those of CSV.
//
// # Errors
//
// A problem in the input is reported as a *ParseError, one line giving the
// file name, the physical line (the header is line 1), the 1-based field
// index and the column name, and wrapping one of the sentinel errors (and,
// for bad CSV syntax, the encoding/csv one such as csv.ErrFieldCount), so
// that errors.Is works. Every error of this package wraps a sentinel, bad
// options (ErrBadOption) and a failing reader (ErrRead) included, and
// IsInputError tells them all from faults of the program.
// Had the third line above read "1949-02",abc, the error would be
//
//	passengers.csv:3:2 (column "Passengers"): parse "abc" as a number: invalid syntax
//
// and errors.Is(err, ErrBadNumber) would hold. In SQLite the table and row
// (its rowid, or its position in a query's result) take the place of the
// line:
//
//	data.sqlite: table "obs", row 2, column "y": parse "x" as a number: invalid syntax
//
// # Performance
//
// A CSV is read into one column of strings per field, sharing each
// record's memory: per field that build reads where the wide layout's
// targets are named, not by patterns (Load, LoadAll), else per field of
// the file. Only the columns
// in use are parsed. Loading the one target of a 1,000,000-row CSV of a
// time and three numbers (47 MB) allocates about 4 bytes per byte of input
// (gota boxes each value it is given) and keeps the series' table, 32 MB:
// 16 bytes per cell (BenchmarkLoad1M).
package ingest
