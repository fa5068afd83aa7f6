package ingest_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/forecast-dev/forecast/ingest"
)

// date returns a UTC time.
func date(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// loaded is what a test compares of a series, read back from its table.
type loaded struct {
	Name       string
	Times      []time.Time
	Values     []float64
	Freq       ingest.Freq
	Covariates []ingest.Covariate
}

// loadedOf reads s back.
func loadedOf(s *ingest.Series) loaded {
	return loaded{Name: s.Name, Times: s.Times(), Values: s.Values(), Freq: s.Freq, Covariates: s.Covariates()}
}

var loadTests = []struct {
	Name   string
	Input  string
	Opt    ingest.Options // Name "data.csv" unless set; Target "y" unless Target or Targets is set
	Output *loaded        // compared with loadedOf, Covariates only if not nil
	Error  error          // want errors.Is(err, Error)
	Msg    string         // want err.Error() == Msg
}{{
	Name:  "QuotedHeaderCRLFNoFinalNewline",
	Input: "\"Month\",\"Passengers\"\r\n\"1949-01\",112\r\n\"1949-02\",118\r\n\"1949-03\",132",
	Opt:   ingest.Options{Target: "Passengers"},
	Output: &loaded{
		Name:   "Passengers",
		Times:  []time.Time{date(1949, 1, 1, 0, 0), date(1949, 2, 1, 0, 0), date(1949, 3, 1, 0, 0)},
		Values: []float64{112, 118, 132},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	// Excel for Mac's "CSV (Macintosh)": lines end in CR alone, which
	// encoding/csv reads as one line ("no rows after the header").
	Name:  "CarriageReturnLines",
	Input: "Month;Passengers\r1949-01;112\r1949-02;118\r1949-03;132\r",
	Opt:   ingest.Options{Target: "Passengers"},
	Output: &loaded{
		Name:   "Passengers",
		Times:  []time.Time{date(1949, 1, 1, 0, 0), date(1949, 2, 1, 0, 0), date(1949, 3, 1, 0, 0)},
		Values: []float64{112, 118, 132},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	// A repeated header name is read as y_0, y_1 (gota's rule): the
	// message named columns the file lacks.
	Name:  "RepeatedTargetName",
	Input: "date,y,y\n2020-01-01,1,2\n2020-01-02,3,4\n",
	Error: ingest.ErrMissingColumn,
	Msg:   `data.csv:1: the header names 2 columns "y", read as "y_0" (column 2), "y_1" (column 3): name one of those`,
}, {
	// One day of twelve mistyped: the error is at its line, in days.
	Name:  "MonthlyOneDayMistyped",
	Input: "date,y\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-04-01,4\n2020-05-01,5\n2020-06-01,6\n2020-07-01,7\n2020-08-01,8\n2020-09-15,9\n2020-10-01,10\n2020-11-01,11\n2020-12-01,12\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:10:1 (column "date"): time "2020-09-15" is not on the monthly grid of the series: 45 days after the time before it; set the frequency (--freq), or --fill none to take the rows as they are`,
}, {
	// A reading at 09:00 every day of a time zone: the instants are 23
	// hours apart where the clocks go forward. The error says so.
	Name:  "DailyClockAcrossDaylightSaving",
	Input: "date,y\n2024-03-29T09:00:00+00:00,1\n2024-03-30T09:00:00+00:00,2\n2024-03-31T09:00:00+01:00,3\n2024-04-01T09:00:00+01:00,4\n",
	Error: ingest.ErrBadTime,
	Msg: `data.csv:4:1 (column "date"): time "2024-03-31T09:00:00+01:00" is not on the daily grid of the series: 23 hours after the time before it, ` +
		`as where the clocks change for daylight saving time: write the days as dates (2024-03-31), without a clock time or offset`,
}, {
	// Columns named so in the file are not a repeated name.
	Name:  "SuffixedNamesNotRepeated",
	Input: "date,y_0,y_1\n2020-01-01,1,2\n2020-01-02,3,4\n",
	Error: ingest.ErrMissingColumn,
	Msg:   `data.csv:1: no target column "y"; the columns are "date", "y_0", "y_1"`,
}, {
	Name:  "BOMHourly",
	Input: "\ufeffdate,HUFL,OT\n2016-07-01 00:00:00,5.8,30.5\n2016-07-01 01:00:00,5.6,27.8\n2016-07-01 02:00:00,5.1,27.8\n",
	Opt:   ingest.Options{Target: "OT"},
	Output: &loaded{
		Name:   "OT",
		Times:  []time.Time{date(2016, 7, 1, 0, 0), date(2016, 7, 1, 1, 0), date(2016, 7, 1, 2, 0)},
		Values: []float64{30.5, 27.8, 27.8},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "BOMTimeColumnName",
	Input: "\ufeff\"Date\",y\r\n1981-01-01,20.7\r\n1981-01-02,17.9\r\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(1981, 1, 1, 0, 0), date(1981, 1, 2, 0, 0)},
		Values: []float64{20.7, 17.9},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "DailyWithGapFilledLinear",
	Input: "Date,y\n1984-12-30,1\n1985-01-01,2\n1985-01-02,3\n1985-01-03,4\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(1984, 12, 30, 0, 0), date(1984, 12, 31, 0, 0), date(1985, 1, 1, 0, 0), date(1985, 1, 2, 0, 0), date(1985, 1, 3, 0, 0)},
		Values: []float64{1, 1.5, 2, 3, 4},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "DailyWithGapFillNone",
	Input: "Date,y\n1984-12-30,1\n1985-01-01,2\n1985-01-02,3\n1985-01-03,4\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillNone},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(1984, 12, 30, 0, 0), date(1985, 1, 1, 0, 0), date(1985, 1, 2, 0, 0), date(1985, 1, 3, 0, 0)},
		Values: []float64{1, 2, 3, 4},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "GapFillForward",
	Input: "Date,y\n2020-01-01,1\n2020-01-04,4\n2020-01-05,NA\n", // the last row is not in yet: dropped
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillForward},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0), date(2020, 1, 4, 0, 0)},
		Values: []float64{1, 1, 1, 4},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name: "MissingFillZero",
	// Zeros between values; before the first and after the last the
	// series had not begun or has not come in yet: dropped.
	Input: "Date,y\n2020-01-01,NA\n2020-01-02,2\n2020-01-04,null\n2020-01-05,5\n2020-01-06,\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillZero},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0), date(2020, 1, 4, 0, 0), date(2020, 1, 5, 0, 0)},
		Values: []float64{2, 0, 0, 5},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	// Missing values at the edges cannot be interpolated: they are dropped.
	Name:  "MissingEdgesLinear",
	Input: "Date,y\n2020-01-01,NA\n2020-01-02,2\n2020-01-03,\n2020-01-04, n/a \n2020-01-05,8\n2020-01-06,None\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0), date(2020, 1, 4, 0, 0), date(2020, 1, 5, 0, 0)},
		Values: []float64{2, 4, 6, 8},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:   "NoTimeColumn",
	Input:  "a,y\n1,2\n3,4\n5,-6e-1\n",
	Output: &loaded{Name: "y", Values: []float64{2, 4, -0.6}},
}, {
	// A first column of 4-digit numbers is not taken for years.
	Name:   "NoTimeColumnYearLike",
	Input:  "id,y\n1990,2\n2000,4\n",
	Output: &loaded{Name: "y", Values: []float64{2, 4}},
}, {
	Name:  "UnnamedFirstColumnRFC3339",
	Input: "when,y\n2020-01-01T01:00:00+01:00,1\n2020-01-01T00:15:00Z,2\n2020-01-01T00:30:00.5Z,3\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillNone}, // the last time is off the 15-minute grid
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 1, 0, 15), date(2020, 1, 1, 0, 30).Add(500 * time.Millisecond)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: 15 * time.Minute},
	},
}, {
	Name:  "NamedTimeColumnNotFirst",
	Input: "y,DS\n1,2020-01-01T00:00:00\n2,2020-01-01T00:00:10\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 1, 0, 0).Add(10 * time.Second)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 10 * time.Second},
	},
}, {
	Name:  "ExplicitTimeSemicolonSpaces",
	Input: "id;stamp;y\n1; 2020-03-01 10:00 ; 1.5 \n2;2020-03-01 10:30;2.5\n",
	Opt:   ingest.Options{Time: "stamp", Target: "y", Comma: ';'},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 3, 1, 10, 0), date(2020, 3, 1, 10, 30)},
		Values: []float64{1.5, 2.5},
		Freq:   ingest.Freq{Step: 30 * time.Minute},
	},
}, {
	Name:  "Yearly",
	Input: "year,y\n1990,1\n1991,2\n1993,3\n1994,4\n",
	Opt:   ingest.Options{Time: "year", Target: "y"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(1990, 1, 1, 0, 0), date(1991, 1, 1, 0, 0), date(1992, 1, 1, 0, 0), date(1993, 1, 1, 0, 0), date(1994, 1, 1, 0, 0)},
		Values: []float64{1, 2, 2.5, 3, 4},
		Freq:   ingest.Freq{Months: 12},
	},
}, {
	Name:  "QuotedNewlineInOtherColumn",
	Input: "date,note,y\n2020-01-01,\"two\nlines, one comma\",1\n2020-02-01,,2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 2, 1, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	Name:  "MissingTarget",
	Input: "date,HUFL,y\n2020-01-01,1,2\n2020-01-02,1,2\n",
	Opt:   ingest.Options{Target: "OT"},
	Error: ingest.ErrMissingColumn,
	Msg:   `data.csv:1: no target column "OT"; the columns are "date", "HUFL", "y"`,
}, {
	Name:  "NoTargetGiven",
	Input: "date,y\n2020-01-01,2\n2020-01-02,2\n",
	Opt:   ingest.Options{Name: "-"},
	Error: ingest.ErrMissingColumn,
	Msg:   `<stdin>:1: no target column given; the columns are "date", "y"`,
}, {
	Name:  "MissingTimeColumn",
	Input: "date,y\n2020-01-01,2\n2020-01-02,2\n",
	Opt:   ingest.Options{Time: "ts", Target: "y"},
	Error: ingest.ErrMissingColumn,
	Msg:   `data.csv:1: no time column "ts"; the columns are "date", "y"`,
}, {
	Name:  "TimeIsTarget",
	Input: "date,y\n2020-01-01,2\n2020-01-02,2\n",
	Opt:   ingest.Options{Time: "y", Target: "y"},
	Msg:   `data.csv:1:2 (column "y"): the time column cannot also be the target`,
}, {
	Name:  "BadNumber",
	Input: "Month,y\n1949-01,112\n1949-02,abc\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "y"): parse "abc" as a number: invalid syntax`,
}, {
	Name:  "OutOfRange",
	Input: "y\n1\n1e999\n",
	Opt:   ingest.Options{Name: "", Target: "y"},
	Error: ingest.ErrBadNumber,
	Msg:   `<input>:3:1 (column "y"): parse "1e999" as a number: value out of range`,
}, {
	Name:  "Infinite",
	Input: "t,y\n1,-Inf\n2,1\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "-Inf" as a number: not finite`,
}, {
	Name:  "EmptyValueFillNone",
	Input: "date,y\r\n2020-01-01,1\r\n2020-01-02,\r\n2020-01-03,3\r\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillNone},
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:3:2 (column "y"): missing value "": fill none fills nothing`,
}, {
	Name:  "NAFillNone",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,NA\n2020-01-04,4\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillNone},
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:4:2 (column "y"): missing value "NA": fill none fills nothing`,
}, {
	// Rows after the last value (future rows of planned covariates) are
	// dropped under none too, as under every fill: they were refused.
	Name:  "TrailingMissingFillNone",
	Input: "date,y,promo\n2020-01-01,1,0\n2020-01-02,2,1\n2020-01-03,,1\n",
	Opt:   ingest.Options{Target: "y", Covariates: []string{"promo"}, Fill: ingest.FillNone},
	Output: &loaded{
		Name:       "y",
		Times:      []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0)},
		Values:     []float64{1, 2},
		Freq:       ingest.Freq{Step: 24 * time.Hour},
		Covariates: []ingest.Covariate{{Name: "promo", Values: []float64{0, 1}}},
	},
}, {
	Name:  "TooFewAfterDropping",
	Input: "date,y\n2020-01-01,NaN\n2020-01-02,2\n",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv:1:2 (column "y"): series "y" has 1 value(s) after dropping missing ones: want at least 2`,
}, {
	Name:  "AllMissing",
	Input: "date,y\n2020-01-01,NaN\n2020-01-02,\n",
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:1:2 (column "y"): series "y": every value is missing`,
}, {
	Name:  "SignedNaN",
	Input: "date,y\n2020-01-01,-nan\n2020-01-02,2\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "-nan" as a number: invalid syntax`,
}, {
	Name:  "NullFillNone",
	Input: "date,y\n2020-01-01,1\n2020-01-02,null\n2020-01-03,3\n",
	Opt:   ingest.Options{Target: "y", Fill: ingest.FillNone},
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:3:2 (column "y"): missing value "null": fill none fills nothing`,
}, {
	Name:  "AmbiguousDate",
	Input: "date,y\n01/02/2020,1\n01/03/2020,2\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:2:1 (column "date"): ambiguous date "01/02/2020": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/2006 or 01/02/2006`,
}, {
	Name:  "DayFirstFromData",
	Input: "date,y\n12/01/2020,1\n13/01/2020,2\n14/01/2020,3\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 12, 0, 0), date(2020, 1, 13, 0, 0), date(2020, 1, 14, 0, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "MonthFirstFromDataWithClock",
	Input: "date,y\n1/12/2020 23:00,1\n1/13/2020 0:00,2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 12, 23, 0), date(2020, 1, 13, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "DayFirstAndMonthFirst",
	Input: "date,y\n13/01/2020,1\n01/14/2020,2\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:3:1 (column "date"): parse "01/14/2020" as a time: want the layout 2/1/2006, as on line 2`,
}, {
	Name:  "TimeFormatGo",
	Input: "date,y\n01/02/2020,1\n01/03/2020,2\n",
	Opt:   ingest.Options{Target: "y", TimeFormat: "02/01/2006"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 2, 1, 0, 0), date(2020, 3, 1, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	Name:  "TimeFormatStrftime",
	Input: "date,y\n01/02/2020,1\n01/03/2020,2\n",
	Opt:   ingest.Options{Target: "y", TimeFormat: "%m/%d/%Y"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	// Zone abbreviations get their own offsets, whatever the TZ of the
	// machine (EST was UTC under TZ=UTC), across a change to summer time.
	Name:  "TimeFormatZoneAbbreviation",
	Input: "time,y\n2024-03-31 01:00 CET,1\n2024-03-31 03:00 CEST,2\n2024-03-31 04:00 CEST,3\n",
	Opt:   ingest.Options{Target: "y", TimeFormat: "%Y-%m-%d %H:%M %Z"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2024, 3, 31, 0, 0), date(2024, 3, 31, 1, 0), date(2024, 3, 31, 2, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "TimeFormatZoneAmbiguous",
	Input: "time,y\n2024-01-01 00:00 CST,1\n2024-01-01 01:00 CST,2\n",
	Opt:   ingest.Options{Target: "y", TimeFormat: "2006-01-02 15:04 MST"},
	Error: ingest.ErrBadTime,
	Msg: `data.csv:2:1 (column "time"): parse "2024-01-01 00:00 CST" as a time: time zone "CST" has no single UTC offset known here ` +
		`(CST, IST and BST each name several zones): write the times with offsets such as +01:00, or in UTC`,
}, {
	Name:  "TimeFormatMismatch",
	Input: "date,y\n01/02/2020,1\n2020-01-03,2\n",
	Opt:   ingest.Options{Target: "y", TimeFormat: "%m/%d/%Y"},
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:3:1 (column "date"): parse "2020-01-03" as a time: want the format %m/%d/%Y`,
}, {
	Name:  "YYYYMMDD",
	Input: "date,y\n20200131,1\n20200201,2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 31, 0, 0), date(2020, 2, 1, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "UnixSeconds",
	Input: "timestamp,y\n1700000000,1\n1700000900,2\n1700001800,3\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{time.Unix(1700000000, 0).UTC(), time.Unix(1700000900, 0).UTC(), time.Unix(1700001800, 0).UTC()},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: 15 * time.Minute},
	},
}, {
	Name:  "UnixMilliseconds",
	Input: "time,y\n1700000000000,1\n1700000000500,2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{time.Unix(1700000000, 0).UTC(), time.Unix(1700000000, 5e8).UTC()},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 500 * time.Millisecond},
	},
}, {
	Name:  "TimeFormatUnix",
	Input: "t,y\n0,1\n60,2\n",
	Opt:   ingest.Options{Target: "y", Time: "t", TimeFormat: "unix"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{time.Unix(0, 0).UTC(), time.Unix(60, 0).UTC()},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: time.Minute},
	},
}, {
	Name:  "NumberOfOtherLength",
	Input: "time,y\n1,1\n2,2\n",
	Error: ingest.ErrBadTime,
	Msg: `data.csv:2:1 (column "time"): parse "1" as a time: a 1-digit number is not a year (4 digits), YYYYMMDD (8), ` +
		`Unix seconds (10) or milliseconds (13): give --time-format, or --time none for integer steps`,
}, {
	Name:   "NoTime",
	Input:  "time,y\n1,1\n2,2\n",
	Opt:    ingest.Options{Target: "y", NoTime: true},
	Output: &loaded{Name: "y", Values: []float64{1, 2}},
}, {
	Name:  "TimeParts",
	Input: "No,year,month,day,hour,y\n1,2010,1,1,0,1\n2,2010,1,1,1,2\n3,2010,1,1,2,3\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2010, 1, 1, 0, 0), date(2010, 1, 1, 1, 0), date(2010, 1, 1, 2, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "TimePartsBadDay",
	Input: "y,m,d,v\n2010,2,28,1\n2010,2,30,2\n",
	Opt:   ingest.Options{Target: "v", Time: "y,m,d"},
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:3:3 (column "d"): day 30 is not in 2010-02`,
}, {
	Name:  "TimePartsNotNumber",
	Input: "year,month,v\n2010,1,1\n2010,Feb,2\n",
	Opt:   ingest.Options{Target: "v"},
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:3:2 (column "month"): parse "Feb" as the month of a time: want an integer from 1 to 12`,
}, {
	Name:  "EmptyTime",
	Input: "date,y\n2020-01-01,1\n ,2\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:3:1 (column "date"): empty time`,
}, {
	Name:  "MonthEnd",
	Input: "date,y\n2020-01-31,1\n2020-02-29,2\n2020-04-30,4\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 31, 0, 0), date(2020, 2, 29, 0, 0), date(2020, 3, 31, 0, 0), date(2020, 4, 30, 0, 0)},
		Values: []float64{1, 2, 3, 4},
		Freq:   ingest.Freq{Months: 1, MonthEnd: true},
	},
}, {
	// Anchored at the 30th, February at its end: the absent April is
	// filled on the 30th, not the 28th.
	Name:  "MonthlyDay30",
	Input: "date,y\n2021-01-30,1\n2021-02-28,2\n2021-03-30,3\n2021-05-30,5\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2021, 1, 30, 0, 0), date(2021, 2, 28, 0, 0), date(2021, 3, 30, 0, 0), date(2021, 4, 30, 0, 0), date(2021, 5, 30, 0, 0)},
		Values: []float64{1, 2, 3, 4, 5},
		Freq:   ingest.Freq{Months: 1, Day: 30},
	},
}, {
	// --freq monthly on the same rows takes their anchor.
	Name:  "MonthlyDay30Given",
	Input: "date,y\n2021-01-30,1\n2021-02-28,2\n2021-03-30,3\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Months: 1}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2021, 1, 30, 0, 0), date(2021, 2, 28, 0, 0), date(2021, 3, 30, 0, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Months: 1, Day: 30},
	},
}, {
	Name:  "BusinessDays",
	Input: "date,y\n2024-01-04,1\n2024-01-05,2\n2024-01-08,3\n2024-01-10,5\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2024, 1, 4, 0, 0), date(2024, 1, 5, 0, 0), date(2024, 1, 8, 0, 0), date(2024, 1, 9, 0, 0), date(2024, 1, 10, 0, 0)},
		Values: []float64{1, 2, 3, 4, 5},
		Freq:   ingest.Freq{BusinessDays: 1},
	},
}, {
	Name:  "Quarterly",
	Input: "date,y\n2020-01-01,1\n2020-04-01,2\n2020-10-01,4\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 4, 1, 0, 0), date(2020, 7, 1, 0, 0), date(2020, 10, 1, 0, 0)},
		Values: []float64{1, 2, 3, 4},
		Freq:   ingest.Freq{Months: 3},
	},
}, {
	Name:  "FreqOverride",
	Input: "date,y\n2020-01-01 00:00,1\n2020-01-01 02:00,3\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Step: time.Hour}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 1, 1, 0), date(2020, 1, 1, 2, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "OffGrid",
	Input: "date,y\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n2020-01-01 02:00,3\n2020-01-01 02:30,4\n",
	Error: ingest.ErrBadTime,
	Msg: `data.csv:5:1 (column "date"): time "2020-01-01 02:30" is not on the hourly grid of the series: 30m0s after the time before it; ` +
		`set the frequency (--freq), or --fill none to take the rows as they are`,
}, {
	// The frequency given: the advice is to check it, not to set it.
	Name:  "OffGridFreqGiven",
	Input: "date,y\n2020-01-01 00:00,1\n2020-01-01 01:00,2\n2020-01-01 01:30,4\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Step: time.Hour}},
	Error: ingest.ErrBadTime,
	Msg: `data.csv:4:1 (column "date"): time "2020-01-01 01:30" is not on the hourly grid of the series: 30m0s after the time before it; ` +
		`check the frequency given (--freq hourly), or --fill none to take the rows as they are`,
}, {
	// Delimited by semicolons, as spreadsheets write where the comma is
	// the decimal mark: decimal commas, and points between thousands, are
	// read; a comma that is neither stays an error.
	Name:  "DecimalComma",
	Input: "Monat;Umsatz;Kosten\n2020-01;11,2;#N/A\n2020-02;1.234,5;2\n2020-03;12;3\n",
	Opt:   ingest.Options{Target: "Umsatz"},
	Output: &loaded{
		Name:   "Umsatz",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 2, 1, 0, 0), date(2020, 3, 1, 0, 0)},
		Values: []float64{11.2, 1234.5, 12},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	// FRED's missing value (.), a dash, and percentages (read in percent).
	Name:  "FREDMissingAndPercent",
	Input: "observation_date,rate\n2020-01-01,15.1%\n2020-02-01,.\n2020-03-01,-\n2020-04-01, 16 %\n",
	Opt:   ingest.Options{Target: "rate", Fill: ingest.FillLinear, MaxFill: 1},
	Output: &loaded{
		Name:   "rate",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 2, 1, 0, 0), date(2020, 3, 1, 0, 0), date(2020, 4, 1, 0, 0)},
		Values: []float64{15.1, 15.4, 15.7, 16},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	// Excel's first line naming the delimiter; lines keep their numbers.
	Name:  "ExcelSepLine",
	Input: "\"sep=;\"\r\nMonat;Umsatz\r\n2020-01;11,2\r\n2020-02;x\r\n",
	Opt:   ingest.Options{Target: "Umsatz"},
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:4:2 (column "Umsatz"): parse "x" as a number: invalid syntax`,
}, {
	// A number with points between thousands and no decimals (1.100),
	// among numbers with decimal commas, is a whole number, not 1.1.
	Name:  "DecimalCommaWholeThousands",
	Input: "Datum;Menge\n01.01.2021;1.300,00\n01.02.2021;950,00\n01.03.2021;1.020,50\n01.04.2021;1.100\n",
	Opt:   ingest.Options{Target: "Menge", TimeFormat: "02.01.2006"},
	Output: &loaded{
		Name:   "Menge",
		Times:  []time.Time{date(2021, 1, 1, 0, 0), date(2021, 2, 1, 0, 0), date(2021, 3, 1, 0, 0), date(2021, 4, 1, 0, 0)},
		Values: []float64{1300, 950, 1020.5, 1100},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	// Points alone say nothing of thousands: decimals, as ever.
	Name:  "DecimalPointsAlone",
	Input: "Monat;Menge\n2021-01;1.300\n2021-02;0.950\n2021-03;1.020\n",
	Opt:   ingest.Options{Target: "Menge"},
	Output: &loaded{
		Name:   "Menge",
		Times:  []time.Time{date(2021, 1, 1, 0, 0), date(2021, 2, 1, 0, 0), date(2021, 3, 1, 0, 0)},
		Values: []float64{1.3, 0.95, 1.02},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	Name:  "DecimalPointAmongCommas",
	Input: "Monat;Menge\n2021-01;950,5\n2021-02;1.5\n2021-03;1.020\n",
	Opt:   ingest.Options{Target: "Menge"},
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "Menge"): parse "1.5" as a number: a decimal point among numbers written with decimal commas (1.234,5): write it 1,5`,
}, {
	Name:  "DecimalCommaBad",
	Input: "Monat;Umsatz\n2020-01;11,2\n2020-02;1.23,5\n2020-03;12\n",
	Opt:   ingest.Options{Target: "Umsatz"},
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "Umsatz"): parse "1.23,5" as a number: invalid syntax (thousands separators? write 1.235)`,
}, {
	Name:  "StartAndFreq",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2015, 1, 31, 0, 0), Freq: ingest.Freq{Months: 1, MonthEnd: true}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2015, 1, 31, 0, 0), date(2015, 2, 28, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Months: 1, MonthEnd: true},
	},
}, {
	Name:  "StartMonthlyOn31st",
	Input: "y\n1\n2\n3\n",
	Opt:   ingest.Options{Target: "y", Start: date(2020, 1, 31, 0, 0), Freq: ingest.Freq{Months: 1}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 31, 0, 0), date(2020, 2, 29, 0, 0), date(2020, 3, 31, 0, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Months: 1, MonthEnd: true},
	},
}, {
	Name:  "StartBusinessDaysOnSaturday",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2024, 1, 6, 0, 0), Freq: ingest.Freq{BusinessDays: 1}},
	Error: ingest.ErrBadOption,
	Msg:   "start 2024-01-06 is a Saturday: business days are Monday to Friday",
}, {
	Name:  "StartMonthEndOffEnd",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2020, 1, 15, 0, 0), Freq: ingest.Freq{Months: 1, MonthEnd: true}},
	Error: ingest.ErrBadOption,
	Msg:   "start 2020-01-15 is not the last day of its month, where monthly (end) steps fall",
}, {
	Name:  "StartOffDay30",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2020, 1, 15, 0, 0), Freq: ingest.Freq{Months: 1, Day: 30}},
	Error: ingest.ErrBadOption,
	Msg:   "start 2020-01-15 is not on the monthly (day 30) steps' day of the month, nor the last of a shorter month",
}, {
	Name:  "StartDay30InFebruary",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2021, 2, 28, 0, 0), Freq: ingest.Freq{Months: 1, Day: 30}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2021, 2, 28, 0, 0), date(2021, 3, 30, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Months: 1, Day: 30},
	},
}, {
	Name:  "MonthlyGivenAtMonthEnds",
	Input: "date,y\n2019-12-31,1\n2020-03-31,2\n2020-06-30,3\n2020-09-30,4\n2020-12-31,5\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Months: 3}},
	Output: &loaded{
		Name: "y",
		Times: []time.Time{date(2019, 12, 31, 0, 0), date(2020, 3, 31, 0, 0), date(2020, 6, 30, 0, 0),
			date(2020, 9, 30, 0, 0), date(2020, 12, 31, 0, 0)},
		Values: []float64{1, 2, 3, 4, 5},
		Freq:   ingest.Freq{Months: 3, MonthEnd: true},
	},
}, {
	// Monthly on the last business day: 2023-09-30 was a Saturday,
	// 2024-03-28 the day before Good Friday; April is absent, filled on
	// its last weekday.
	Name:  "MonthlyAtBusinessEnds",
	Input: "date,y\n2023-09-29,1\n2023-10-31,2\n2023-11-30,3\n2023-12-29,4\n2024-01-31,5\n2024-02-29,6\n2024-03-28,7\n2024-05-31,9\n2024-06-28,10\n",
	Opt:   ingest.Options{Target: "y"},
	Output: &loaded{
		Name: "y",
		Times: []time.Time{date(2023, 9, 29, 0, 0), date(2023, 10, 31, 0, 0), date(2023, 11, 30, 0, 0), date(2023, 12, 29, 0, 0), date(2024, 1, 31, 0, 0),
			date(2024, 2, 29, 0, 0), date(2024, 3, 28, 0, 0), date(2024, 4, 30, 0, 0), date(2024, 5, 31, 0, 0), date(2024, 6, 28, 0, 0)},
		Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
		Freq:   ingest.Freq{Months: 1, BusinessEnd: true},
	},
}, {
	Name:  "MonthlyGivenAtBusinessEnds",
	Input: "date,y\n2024-01-31,1\n2024-02-29,2\n2024-03-28,3\n2024-04-30,4\n2024-06-28,6\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Months: 1}, MaxFill: 0.2},
	Output: &loaded{
		Name: "y",
		Times: []time.Time{date(2024, 1, 31, 0, 0), date(2024, 2, 29, 0, 0), date(2024, 3, 28, 0, 0), date(2024, 4, 30, 0, 0),
			date(2024, 5, 31, 0, 0), date(2024, 6, 28, 0, 0)},
		Values: []float64{1, 2, 3, 4, 5, 6},
		Freq:   ingest.Freq{Months: 1, BusinessEnd: true},
	},
}, {
	Name:  "BusinessEndOffGrid",
	Input: "date,y\n2024-01-31,1\n2024-02-29,2\n2024-03-15,3\n",
	Opt:   ingest.Options{Target: "y", Freq: ingest.Freq{Months: 1, BusinessEnd: true}},
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:4:1 (column "date"): time "2024-03-15" is not on the monthly (business end) grid of the series: 15 days after the time before it; check the frequency given (--freq monthly (business end)), or --fill none to take the rows as they are`,
}, {
	Name:  "StartBusinessEnd",
	Input: "y\n1\n2\n3\n",
	Opt:   ingest.Options{Target: "y", Start: date(2024, 3, 28, 0, 0), Freq: ingest.Freq{Months: 1, BusinessEnd: true}},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2024, 3, 28, 0, 0), date(2024, 4, 30, 0, 0), date(2024, 5, 31, 0, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Months: 1, BusinessEnd: true},
	},
}, {
	Name:  "StartBusinessEndOffWeek",
	Input: "y\n1\n2\n",
	Opt:   ingest.Options{Target: "y", Start: date(2024, 3, 22, 0, 0), Freq: ingest.Freq{Months: 1, BusinessEnd: true}},
	Error: ingest.ErrBadOption,
	Msg:   "start 2024-03-22 is not a weekday of the last week of its month, where monthly (business end) steps fall",
}, {
	Name:  "Covariates",
	Input: "date,y,temp,holiday\n2020-01-01,1,5,0\n2020-01-02,NA,NA,1\n2020-01-03,3,7,\n",
	Opt:   ingest.Options{Target: "y", Covariates: []string{"temp", "holiday"}},
	Output: &loaded{
		Name:       "y",
		Times:      []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0)},
		Values:     []float64{1, 2, 3},
		Freq:       ingest.Freq{Step: 24 * time.Hour},
		Covariates: []ingest.Covariate{{Name: "temp", Values: []float64{5, 6, 7}}, {Name: "holiday", Values: []float64{0, 1, 1}}},
	},
}, {
	// A flag blank but on holidays, with --fill zero: 0 at its ends too
	// (the nearest value, 1, had flagged every day before the first).
	Name:  "CovariateFlagFillZero",
	Input: "date,y,holiday\n2020-01-01,1,\n2020-01-02,2,1\n2020-01-03,3,\n2020-01-04,4,1\n2020-01-05,5,\n",
	Opt:   ingest.Options{Target: "y", Covariates: []string{"holiday"}, Fill: ingest.FillZero, MaxFill: 1},
	Output: &loaded{
		Name:       "y",
		Times:      []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0), date(2020, 1, 4, 0, 0), date(2020, 1, 5, 0, 0)},
		Values:     []float64{1, 2, 3, 4, 5},
		Freq:       ingest.Freq{Step: 24 * time.Hour},
		Covariates: []ingest.Covariate{{Name: "holiday", Values: []float64{0, 1, 0, 1, 0}}},
	},
}, {
	Name:  "CovariateMissingColumn",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n",
	Opt:   ingest.Options{Target: "y", Covariates: []string{"temp"}},
	Error: ingest.ErrMissingColumn,
	Msg:   `data.csv:1: no covariate column "temp"; the columns are "date", "y"`,
}, {
	Name:  "CovariateText",
	Input: "date,y,wind\n2020-01-01,1,NW\n2020-01-02,2,SE\n",
	Opt:   ingest.Options{Target: "y", Covariates: []string{"wind"}},
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:3 (column "wind"): parse "NW" as a number: invalid syntax`,
}, {
	Name:  "DecimalCommaQuoted",
	Input: "date,y\n2020-01-01,\"1,5\"\n2020-01-02,2\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "1,5" as a number: invalid syntax (a decimal comma? use a point)`,
}, {
	Name:  "ThousandsSeparators",
	Input: "date,y\n2020-01-01,\"1,500,000\"\n2020-01-02,\"2,500,000\"\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "1,500,000" as a number: invalid syntax (thousands separators? write 1500000)`,
}, {
	Name:  "ThousandsAndDecimalPoint",
	Input: "date,y\n2020-01-01,\"1,234.5\"\n2020-01-02,2\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "1,234.5" as a number: invalid syntax (thousands separators? write 1234.5)`,
}, {
	Name:  "ThousandsOrDecimal",
	Input: "date,y\n2020-01-01,\"1,500\"\n2020-01-02,2\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "1,500" as a number: invalid syntax (a thousands separator or a decimal comma? write 1500 or 1.500)`,
}, {
	Name:  "DetectTab",
	Input: "date\ty\n2020-01-01\t1\n2020-01-02\t2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "DetectPipeQuoted",
	Input: "\"date|x\"|y\n2020-01-01|1\n2020-01-02|2\n",
	Opt:   ingest.Options{Target: "y", Time: "date|x"},
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "NoHeader",
	Input: "0.5,1\n0.6,2\n",
	Opt:   ingest.Options{Target: "2", NoHeader: true},
	Output: &loaded{
		Name:   "2",
		Values: []float64{1, 2},
	},
}, {
	Name:  "NoHeaderRagged",
	Input: "0.5,1\n0.6,2,3\n",
	Opt:   ingest.Options{Target: "2", NoHeader: true},
	Error: csv.ErrFieldCount,
	Msg:   `data.csv:2: wrong number of fields: got 3, the first row has 2`,
}, {
	Name:  "MixedTimeLayouts",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03 00:00,3\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:4:1 (column "date"): parse "2020-01-03 00:00" as a time: want the layout 2006-01-02, as on line 2`,
}, {
	Name:  "MonthOutOfRange",
	Input: "Month,y\n1949-11,1\n1949-12,2\n1949-13,3\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:4:1 (column "Month"): parse "1949-13" as a time: no such date: month out of range`,
}, {
	// Go's literals are no data file's numbers.
	Name:  "Underscores",
	Input: "date,y\n2020-01-01,1\n2020-01-02,1_000\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "y"): parse "1_000" as a number: write it in decimal digits, such as 1000 or 1.5e3`,
}, {
	Name:  "Hexadecimal",
	Input: "date,y\n2020-01-01,1\n2020-01-02,0x1p3\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "y"): parse "0x1p3" as a number: write it in decimal digits, such as 1000 or 1.5e3`,
}, {
	Name:  "TooLarge",
	Input: "date,y\n2020-01-01,1\n2020-01-02,-1e300\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "y"): parse "-1e300" as a number: beyond ±1e150, too large to compute with; rescale the column (e.g. to other units)`,
}, {
	// A huge field is quoted in part.
	Name:  "LongFieldCut",
	Input: "date,y\n2020-01-01,1\n2020-01-02," + strings.Repeat("9", 70) + "x\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:3:2 (column "y"): parse "` + strings.Repeat("9", 64) + `"… (71 bytes) as a number: invalid syntax`,
}, {
	Name:  "DuplicateTime",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-02,3\n",
	Error: ingest.ErrDuplicateTime,
	Msg:   `data.csv:4:1 (column "date"): duplicate time "2020-01-02", first on line 3`,
}, {
	Name:  "DuplicateTimeNotAdjacent",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n2020-01-02,4\n",
	Error: ingest.ErrDuplicateTime,
	Msg:   `data.csv:5:1 (column "date"): duplicate time "2020-01-02", first on line 3`,
}, {
	// Local times where clocks go back: the hour repeated is named so.
	Name:  "DuplicateHourClocksBack",
	Input: "time,y\n2023-10-29 00:00,1\n2023-10-29 01:00,2\n2023-10-29 02:00,3\n2023-10-29 02:00,4\n2023-10-29 03:00,5\n",
	Error: ingest.ErrDuplicateTime,
	Msg: `data.csv:5:1 (column "time"): duplicate time "2023-10-29 02:00", first on line 4; an hour repeated early on a Sunday ` +
		`is the hour clocks go back in local time: write the times in UTC or with their UTC offsets (in central Europe 02:00+02:00, then 02:00+01:00)`,
}, {
	// A repeated hour that is no clock change (a Saturday) is not named so.
	Name:  "DuplicateHourNoClockChange",
	Input: "time,y\n2023-10-28 00:00,1\n2023-10-28 01:00,2\n2023-10-28 02:00,3\n2023-10-28 02:00,4\n2023-10-28 03:00,5\n",
	Error: ingest.ErrDuplicateTime,
	Msg:   `data.csv:5:1 (column "time"): duplicate time "2023-10-28 02:00", first on line 4`,
}, {
	Name:  "UnsortedIsSorted",
	Input: "date,y\n2020-01-01,1\n2020-01-03,3\n2020-01-02,2\n",
	Output: &loaded{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 2, 0, 0), date(2020, 1, 3, 0, 0)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "DuplicateTimesListed",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-01,3\n2020-01-03,4\n2020-01-03,5\n2020-01-03,6\n2020-01-04,1\n2020-01-04,1\n2020-01-05,1\n2020-01-05,1\n",
	Error: ingest.ErrDuplicateTime,
	Msg: `data.csv:4:1 (column "date"): duplicate time "2020-01-01", first on line 2; 5 duplicates in all, ` +
		`also "2020-01-03" on line 6, "2020-01-03" on line 7, "2020-01-04" on line 9, …`,
}, {
	Name:  "EmptyInput",
	Input: "",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv: empty input: want a header and at least 2 rows`,
}, {
	Name:  "HeaderOnly",
	Input: "\ufeffdate,y\r\n",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv: no rows after the header`,
}, {
	// The error names the line of the one row.
	Name:  "OneRow",
	Input: "date,y\n2020-01-01,1",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv:2: series "y" has 1 row: want at least 2`,
}, {
	// One observation, as actuals records it: no frequency to infer.
	Name:   "OneRowSingleRow",
	Input:  "date,y\n2020-01-01,1",
	Opt:    ingest.Options{SingleRow: true},
	Output: &loaded{Name: "y", Times: []time.Time{date(2020, 1, 1, 0, 0)}, Values: []float64{1}},
}, {
	Name:  "Ragged",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2,3\n",
	Error: csv.ErrFieldCount,
	Msg:   `data.csv:3: wrong number of fields: got 3, the header has 2`,
}, {
	Name:  "BareQuote",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\"\n",
	Error: csv.ErrBareQuote,
	Msg:   `data.csv:3: bare " in non-quoted-field at byte 13`,
}, {
	Name:  "UnterminatedQuote",
	Input: "date,y\n2020-01-01,1\n\"2020-01-02,2\n2020-01-03,3\n",
	Error: csv.ErrQuote,
	Msg:   `data.csv:4: extraneous or missing " in quoted-field at byte 14, in the record that starts on line 3`,
}, {
	Name:  "BlankLinesKeepPhysicalLines",
	Input: "date,y\n\n2020-01-01,1\n\n\n2020-01-02,x\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:6:2 (column "y"): parse "x" as a number: invalid syntax`,
}, {
	Name:  "QuotedNewlineKeepsPhysicalLines",
	Input: "date,note,y\n2020-01-01,\"two\nlines\",1\n2020-01-02,ok,x\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:4:3 (column "y"): parse "x" as a number: invalid syntax`,
}, {
	Name:  "InvalidComma",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n",
	Opt:   ingest.Options{Target: "y", Comma: '"'},
	Msg:   `data.csv: csv: invalid field or comment delimiter`,
}}

func TestLoad(t *testing.T) {
	for _, tt := range loadTests {
		t.Run(tt.Name, func(t *testing.T) {
			opt := tt.Opt
			if opt.MaxFill == 0 {
				opt.MaxFill = 1 // these cases test what filling does; TestMaxFill its limit
			}
			if opt.Target == "" && opt.Targets == nil && opt.Name == "" {
				opt.Target = "y"
			}
			if opt.Name == "" && !strings.HasPrefix(tt.Msg, "<") {
				opt.Name = "data.csv"
			}
			got, err := ingest.Load(strings.NewReader(tt.Input), opt)
			if tt.Msg != "" {
				if err == nil {
					t.Fatalf("Load() = %+v, want error %q", got, tt.Msg)
				}
				if err.Error() != tt.Msg {
					t.Errorf("Load() error:\ngot  %q\nwant %q", err, tt.Msg)
				}
				if tt.Error != nil && !errors.Is(err, tt.Error) {
					t.Errorf("errors.Is(%q, %q) = false", err, tt.Error)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load() error: %v", err)
			}
			want := *tt.Output
			cut := loadedOf(got)
			if want.Covariates == nil {
				cut.Covariates = nil
			}
			if !reflect.DeepEqual(cut, want) {
				t.Errorf("Load() output:\ngot  %+v\nwant %+v", cut, want)
			}
		})
	}
}

func TestParseErrorFields(t *testing.T) {
	in := "date,note,y\n2020-01-01,a,1\n2020-01-02,b,?\n"
	_, err := ingest.Load(strings.NewReader(in), ingest.Options{Name: "x.csv", Target: "y"})
	var pe *ingest.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Load() error %v (%T), want a *ParseError", err, err)
	}
	want := ingest.ParseError{File: "x.csv", Line: 3, Column: 3, ColumnName: "y"}
	if pe.File != want.File || pe.Line != want.Line || pe.Column != want.Column || pe.ColumnName != want.ColumnName {
		t.Errorf("ParseError = %+v, want %+v", *pe, want)
	}
	if !errors.Is(err, ingest.ErrBadNumber) {
		t.Errorf("errors.Is(%v, ErrBadNumber) = false", err)
	}
}

func TestReadCSV(t *testing.T) {
	in := "\ufeff\"Date\", Births \r\n\"1959-01-01\",NA\r\n\"1959-01-02\",<nil>"
	df, err := ingest.ReadCSV(strings.NewReader(in), ingest.Options{})
	if err != nil {
		t.Fatalf("ReadCSV() error: %v", err)
	}
	if got, want := df.Names(), []string{"Date", "Births"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	if got, want := df.Types(), []series.Type{series.String, series.String}; !reflect.DeepEqual(got, want) {
		t.Errorf("Types() = %q, want %q", got, want)
	}
	want := [][]string{{"Date", "Births"}, {"1959-01-01", "NA"}, {"1959-01-02", "<nil>"}}
	if got := df.Records(); !reflect.DeepEqual(got, want) {
		t.Errorf("Records():\ngot  %q\nwant %q", got, want)
	}
	// NA is a missing value, and "<nil>" a bad number.
	if _, err := ingest.ToSeries(df, ingest.Options{Name: "b.csv", Target: "Births", Fill: ingest.FillNone}); err == nil ||
		!errors.Is(err, ingest.ErrBadNumber) || !strings.HasPrefix(err.Error(), `b.csv:3:2 (column "Births"): parse "<nil>"`) {
		t.Errorf("ToSeries() error = %v, want a bad number at b.csv:3:2", err)
	}
}

func TestReadCSVHeaderNames(t *testing.T) {
	df, err := ingest.ReadCSV(strings.NewReader(" ,a,a , y\n1,2,3,4\n"), ingest.Options{})
	if err != nil {
		t.Fatalf("ReadCSV() error: %v", err)
	}
	if got, want := df.Names(), []string{"X0", "a_0", "a_1", "y"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
}

func TestReadCSVError(t *testing.T) {
	df, err := ingest.ReadCSV(strings.NewReader("a,b\n1\n"), ingest.Options{Name: "r.csv"})
	if !errors.Is(err, csv.ErrFieldCount) || !errors.Is(df.Err, csv.ErrFieldCount) {
		t.Errorf("ReadCSV() error = %v, df.Err = %v, want csv.ErrFieldCount in both", err, df.Err)
	}
	if _, err := ingest.ToSeries(df, ingest.Options{Name: "r.csv", Target: "b"}); !errors.Is(err, csv.ErrFieldCount) {
		t.Errorf("ToSeries(bad frame) error = %v, want csv.ErrFieldCount", err)
	}
}

func TestToSeriesShortFrames(t *testing.T) {
	frames := []dataframe.DataFrame{
		dataframe.New(series.New([]string{}, series.String, "y")),
		dataframe.New(series.New([]string{"1"}, series.String, "y")),
	}
	for _, df := range frames {
		if _, err := ingest.ToSeries(df, ingest.Options{Target: "y"}); !errors.Is(err, ingest.ErrEmpty) {
			t.Errorf("ToSeries(%d rows) error = %v, want ErrEmpty", df.Nrow(), err)
		}
	}
}

func ExampleLoad() {
	in := "\"Month\",\"Passengers\"\r\n\"1949-01\",112\r\n\"1949-02\",118\r\n\"1949-03\",132"
	s, err := ingest.Load(strings.NewReader(in), ingest.Options{Name: "airline.csv", Target: "Passengers"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, t := range s.Times() {
		fmt.Println(t.Format("2006-01-02"), s.Value(i))
	}
	fmt.Println(s.Freq, s.Freq.Add(s.Time(s.Len()-1), 1).Format("2006-01-02"))

	_, err = ingest.Load(strings.NewReader("Month,Passengers\n1949-01,112\n1949-02,abc\n"),
		ingest.Options{Name: "airline.csv", Target: "Passengers"})
	fmt.Println(err)
	// Output:
	// 1949-01-01 112
	// 1949-02-01 118
	// 1949-03-01 132
	// monthly 1949-04-01
	// airline.csv:3:2 (column "Passengers"): parse "abc" as a number: invalid syntax
}

// fuzzFixtures are the quirky files whose contents seed FuzzLoad.
var fuzzFixtures = []string{
	"../testdata/ingest/airline/series.csv",
	"../testdata/ingest/melbourne-gap/series.csv",
	"../testdata/ingest/pollution/series.csv",
	"../testdata/ingest/m4-rows/series.csv",
	"../testdata/ingest/exchange-noheader/series.csv",
	dataDir + "/monthly_champagne_sales.csv",
	dataDir + "/daily-total-female-births.csv",
}

// Fuzz modes: bits of the mode argument.
const (
	fuzzNoHeader = 1 << iota
	fuzzRows
	fuzzFillNone
	fuzzFillForward
	fuzzFirstID
	fuzzMonthly
)

// FuzzLoad checks that LoadAll never panics and that what it accepts is
// valid: every series has at least 2 finite values, strictly increasing
// times in step with its frequency, and covariates as long as its values.
func FuzzLoad(f *testing.F) {
	for _, tt := range loadTests {
		f.Add(tt.Input, tt.Opt.Target, tt.Opt.Time, uint8(0))
	}
	f.Add("date,y\n2020-01-01,1\n2020-01-02,2\n", "y", "", uint8(0))
	f.Add("\"Month\",\"y\"\r\n\"1949-01\",1\r\n\"1949-02\",2", "y", "Month", uint8(fuzzFillNone))
	f.Add("a,b\n1,2\n3,4\n", "b", "", uint8(fuzzNoHeader))
	f.Add("unit,ds,y\nb,2020-01-01,10\nb,2020-01-03,20\na,2020-01-01,1\na,2020-01-02,x\n", "y", "", uint8(fuzzFirstID))
	for _, path := range fuzzFixtures {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		in := string(b[:min(len(b), 4096)])
		f.Add(in, "", "", uint8(0))
		f.Add(in, "", "", uint8(fuzzRows|fuzzFillForward))
		f.Add(in, "y", "", uint8(fuzzNoHeader|fuzzMonthly))
	}
	f.Fuzz(func(t *testing.T, in, target, timeCol string, mode uint8) {
		opt := ingest.Options{Target: target, Time: timeCol, NoHeader: mode&fuzzNoHeader != 0}
		if mode&fuzzRows != 0 {
			opt.Layout = ingest.LayoutRows
		}
		switch {
		case mode&fuzzFillNone != 0:
			opt.Fill = ingest.FillNone
		case mode&fuzzFillForward != 0:
			opt.Fill = ingest.FillForward
		}
		if mode&fuzzFirstID != 0 && opt.Layout == "" {
			opt.ID, _, _ = strings.Cut(strings.TrimPrefix(in, "\ufeff"), ",")
		}
		if mode&fuzzMonthly != 0 {
			opt.Freq = ingest.Freq{Months: 1}
		}
		d, err := ingest.LoadAll(strings.NewReader(in), opt)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(d.Series) == 0 {
			t.Fatal("no series and no error")
		}
		for _, s := range d.Series {
			checkSeries(t, s, opt.Fill != ingest.FillNone)
		}
	})
}

// checkSeries checks the invariants of a loaded series. A filled one is
// regular: its times are its first one plus 0, 1, 2, … steps, or with
// Freq.BusinessEnd a weekday up to 6 days before, where a holiday moved
// the last business day of the month.
func checkSeries(t *testing.T, s *ingest.Series, filled bool) {
	t.Helper()
	if len(s.Values()) < 2 {
		t.Fatalf("series %q: %d values, want at least 2", s.ID, len(s.Values()))
	}
	for i, v := range s.Values() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("series %q: value %d is %v", s.ID, i, v)
		}
	}
	for _, c := range s.Covariates() {
		if len(c.Values) != len(s.Values()) {
			t.Fatalf("series %q: covariate %q has %d values for %d", s.ID, c.Name, len(c.Values), len(s.Values()))
		}
		for i, v := range c.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("series %q: covariate %q value %d is %v", s.ID, c.Name, i, v)
			}
		}
	}
	if !s.Timed() {
		if s.Freq != (ingest.Freq{}) {
			t.Fatalf("series %q: no times but Freq %+v", s.ID, s.Freq)
		}
		return
	}
	if len(s.Times()) != len(s.Values()) {
		t.Fatalf("series %q: %d times for %d values", s.ID, len(s.Times()), len(s.Values()))
	}
	set := 0
	for _, n := range []bool{s.Freq.Months != 0, s.Freq.Step != 0, s.Freq.BusinessDays != 0} {
		if n {
			set++
		}
	}
	if set != 1 {
		t.Fatalf("series %q: Freq %+v, want exactly one step set", s.ID, s.Freq)
	}
	for i := 1; i < len(s.Times()); i++ {
		if !s.Time(i).After(s.Time(i - 1)) {
			t.Fatalf("series %q: time %d (%v) is not after time %d (%v)", s.ID, i, s.Time(i), i-1, s.Time(i-1))
		}
		want := s.Freq.Add(s.Time(0), i)
		early := want.Sub(s.Time(i))
		moved := s.Freq.BusinessEnd && early > 0 && early < 7*24*time.Hour && early%(24*time.Hour) == 0 &&
			s.Time(i).Weekday() != time.Saturday && s.Time(i).Weekday() != time.Sunday
		if filled && early != 0 && !moved {
			t.Fatalf("series %q: time %d (%v) is not %d %v steps after %v", s.ID, i, s.Time(i), i, s.Freq, s.Time(0))
		}
	}
}

// syntheticCSV returns n hourly rows of a time and three numeric columns.
func syntheticCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("date,a,b,OT\n")
	t := date(2016, 7, 1, 0, 0)
	for i := range n {
		fmt.Fprintf(&b, "%s,%.3f,%.3f,%.6f\n", t.Add(time.Duration(i)*time.Hour).Format(time.DateTime),
			float64(i)*0.5, float64(i%97), math.Sin(float64(i)/24))
	}
	return b.Bytes()
}

func BenchmarkLoad100k(b *testing.B) { benchLoad(b, 100_000) }

// BenchmarkLoad1M loads a 1,000,000-row CSV (a time and 3 numeric
// columns, 45 MB). Besides time and allocation it reports the bytes
// allocated per byte of input (alloc/B) and the heap in use right after
// Load, the series kept, per byte of input (heap/B).
func BenchmarkLoad1M(b *testing.B) {
	if testing.Short() {
		b.Skip("1M rows: skipped with -short")
	}
	benchLoad(b, 1_000_000)
}

func benchLoad(b *testing.B, n int) {
	data := syntheticCSV(n)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	var s *ingest.Series
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		var err error
		s, err = ingest.Load(bytes.NewReader(data), ingest.Options{Target: "OT"})
		if err != nil || s.Len() != n {
			b.Fatalf("Load() = %d values, %v", s.Len(), err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	ops := float64(b.N)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/ops/float64(len(data)), "alloc/B")
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/float64(len(data)), "heap/B")
	runtime.KeepAlive(s)
	runtime.KeepAlive(data)
}

// TestLoadUsedColumns checks that Load, which keeps only the columns it
// reads where it can tell them from the first record, reads a file as if
// it kept them all: an id column the wide layout ignores, a target pattern
// that matches a column of dates, a time found as the first column.
func TestLoadUsedColumns(t *testing.T) {
	in := "date,store,y,z\n2024-01-01,a,1,9\n2024-01-02,a,2,9\n2024-01-03,a,3,9\n"
	s, err := ingest.Load(strings.NewReader(in), ingest.Options{Layout: ingest.LayoutWide, ID: "store", Target: "y"})
	if err != nil || !slices.Equal(s.Values(), []float64{1, 2, 3}) || !s.Timed() {
		t.Errorf("wide layout with an id: %v, %v; want y's 1 2 3 with times", s, err)
	}
	// The dates after a column of text are the time, not a target the
	// pattern matches.
	d, err := ingest.LoadAll(strings.NewReader("x,s_date,s1\nu,2024-01-01,1\nv,2024-01-02,2\n"), ingest.Options{Name: "p.csv", Targets: []string{"s*"}})
	if err != nil || len(d.Series) != 1 || d.Series[0].Name != "s1" || !d.Series[0].Timed() {
		t.Errorf("a target pattern matching dates: %v, want the series s1 timed by s_date", err)
	}
	s, err = ingest.Load(strings.NewReader("when,u,y\n2024-01-01,x,1\n2024-01-02,x,2\n"), ingest.Options{Target: "y"})
	if err != nil || !s.Time(1).Equal(time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("time in the first column: %v, %v", s, err)
	}
}

// TestThousandsPoints: where a series has decimal commas, its points
// stand between thousands (1.300 is 1300, in the rows layout too); but
// 0.500 is no such number, and 1.5e3 is read as ever. Without decimal
// commas, numbers such as 1.300 beside whole ones such as 950 (a
// spreadsheet's #.##0) are read as decimals, as tab files of decimals
// write them (1 beside 0.500), with a note.
func TestThousandsPoints(t *testing.T) {
	d, err := ingest.LoadAll(strings.NewReader("id;v1;v2;v3\nA;1.300;950,5;1.100\nB;1.300;0.950;1.100\n"), ingest.Options{Layout: ingest.LayoutRows})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := d.Series[0].Values(), d.Series[1].Values(); !slices.Equal(a, []float64{1300, 950.5, 1100}) || !slices.Equal(b, []float64{1.3, 0.95, 1.1}) {
		t.Errorf("A %v, B %v; want [1300 950.5 1100] and [1.3 0.95 1.1]", a, b)
	}
	if _, err := ingest.LoadAll(strings.NewReader("Monat;Menge\n2021-01;1,5\n2021-02;0.500\n"), ingest.Options{Name: "m.csv", Target: "Menge"}); err == nil ||
		!strings.Contains(err.Error(), `m.csv:3:2 (column "Menge"): parse "0.500" as a number: a decimal point among numbers written with decimal commas`) {
		t.Errorf("0.500 among decimal commas: %v", err)
	}
	if s, err := ingest.Load(strings.NewReader("Monat;Menge\n2021-01;1,5\n2021-02;1.5e3\n"), ingest.Options{Target: "Menge"}); err != nil || !slices.Equal(s.Values(), []float64{1.5, 1500}) {
		t.Errorf("1.5e3 among decimal commas: %v", err)
	}
	for _, tt := range []struct{ in, note string }{
		{"Datum;Menge\n2021-01;1.300\n2021-02;950\n2021-03;1.020\n", `"1.300" beside whole ones such as "950"`},
		{"Monat\tMenge\n2021-01\t1\n2021-02\t1.250\n2021-03\t2\n", `"1.250" beside whole ones such as "1"`},
	} {
		d, err := ingest.LoadAll(strings.NewReader(tt.in), ingest.Options{Name: "m.csv", Target: "Menge"})
		if err != nil {
			t.Fatal(err)
		}
		v := d.Series[0].Values()
		if v[1] > 1000 || v[0] > 1000 || !slices.ContainsFunc(d.Notes, func(n string) bool {
			return strings.Contains(n, tt.note) && strings.Contains(n, "are read as decimals")
		}) {
			t.Errorf("%q: %v, notes %q; want decimals and a note on %s", tt.in, v, d.Notes, tt.note)
		}
	}
}

// BenchmarkLoadWide2000 loads a wide file of 200 daily rows and 2,000
// series, every column a target (--target 'c*').
func BenchmarkLoadWide2000(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("date")
	for j := range 2000 {
		fmt.Fprintf(&buf, ",c%d", j)
	}
	buf.WriteString("\n")
	for i := range 200 {
		buf.WriteString(date(2024, 1, 1, 0, 0).AddDate(0, 0, i).Format(time.DateOnly))
		for j := range 2000 {
			fmt.Fprintf(&buf, ",%d", (i*7+j)%100)
		}
		buf.WriteString("\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		d, err := ingest.LoadAll(bytes.NewReader(data), ingest.Options{Target: "c*"})
		if err != nil || len(d.Series) != 2000 {
			b.Fatalf("%v, %d series", err, len(d.Series))
		}
	}
}
