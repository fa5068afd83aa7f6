package ingest_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// quarters returns the first days of n quarters from year's first.
func quarters(year, n int) []time.Time {
	ts := make([]time.Time, n)
	for k := range ts {
		ts[k] = date(year, time.Month(1+3*k), 1, 0, 0)
	}
	return ts
}

// TestLoadTimeFixtures loads the repository's files of the time spellings
// analysts' public files use.
func TestLoadTimeFixtures(t *testing.T) {
	quarterly := ingest.Freq{Months: 3}
	tests := []struct {
		Dir, Target string
		Format      string // Dataset.TimeFormat
		Times       []time.Time
		Freq        ingest.Freq
	}{
		// Year and quarter in two columns, as statsmodels' macrodata has
		// them: read as months they made a monthly series with gaps.
		{"quarter-columns", "realgdp", "parts", quarters(1959, 10), quarterly},
		{"quarter-strings", "Sales", "%YQ%q", quarters(1959, 6), quarterly},
		// Business days, the month first and by name, the day unpadded.
		{"month-names", "Close", "Jan-2-2006", []time.Time{
			date(1995, 1, 3, 0, 0), date(1995, 1, 4, 0, 0), date(1995, 1, 5, 0, 0), date(1995, 1, 6, 0, 0),
			date(1995, 1, 9, 0, 0), date(1995, 1, 10, 0, 0), date(1995, 1, 11, 0, 0), date(1995, 1, 12, 0, 0),
			date(1995, 1, 13, 0, 0), date(1995, 1, 16, 0, 0)}, ingest.Freq{BusinessDays: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.Dir, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "ingest", tt.Dir, "series.csv")
			d, err := ingest.LoadAll(openData(t, path), ingest.Options{Name: path, Target: tt.Target})
			if err != nil {
				t.Fatal(err)
			}
			s := d.Series[0]
			if d.TimeFormat != tt.Format {
				t.Errorf("TimeFormat = %q, want %q", d.TimeFormat, tt.Format)
			}
			if s.Freq != tt.Freq || !reflect.DeepEqual(s.Times(), tt.Times) {
				t.Errorf("%s times %v, want %s %v", s.Freq, s.Times(), tt.Freq, tt.Times)
			}
			if s.Quality.Filled != 0 || len(s.Values()) != len(tt.Times) {
				t.Errorf("%d values, %d filled; want %d and none", len(s.Values()), s.Quality.Filled, len(tt.Times))
			}
		})
	}
}

// monthsFrom returns n month starts from the month of year.
func monthsFrom(year, month, n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = date(year, time.Month(month+i), 1, 0, 0) // time.Date normalises the month
	}
	return ts
}

// TestTimeSpellings reads one series written with each spelling of its
// times.
func TestTimeSpellings(t *testing.T) {
	jan95 := []time.Time{date(1995, 1, 1, 0, 0), date(1995, 1, 2, 0, 0), date(1995, 1, 3, 0, 0)}
	months95 := []time.Time{date(1995, 1, 1, 0, 0), date(1995, 2, 1, 0, 0), date(1995, 3, 1, 0, 0)}
	tests := []struct {
		Name   string
		Header string // the time column's name; "date" if ""
		Times  string // three, comma-separated
		Format string // Options.TimeFormat
		Want   []time.Time
	}{
		{Name: "QuarterCompact", Times: "1959Q1,1959Q2,1959Q3", Want: quarters(1959, 3)},
		{Name: "QuarterDash", Times: "1959-Q1,1959-Q2,1959-Q3", Want: quarters(1959, 3)},
		{Name: "QuarterFirst", Times: "Q1 1959,Q2 1959,Q3 1959", Want: quarters(1959, 3)},
		{Name: "QuarterLowerCase", Times: "1959 q1,1959 q2,1959 q3", Want: quarters(1959, 3)},
		{Name: "QuarterFormat", Times: "95/1,95/2,95/3", Format: "%y/%q", Want: quarters(1995, 3)},
		{Name: "MonthNameFirst", Times: "Jan-1-1995,Jan-2-1995,Jan-3-1995", Want: jan95},
		{Name: "MonthNameMiddle2DigitYear", Times: "1-Jan-95,2-Jan-95,3-Jan-95", Want: jan95},
		// Excel's mmm-yy: years from 30 on are 19xx, as Excel reads them
		// (Go's 69 put AirPassengers in 2049), the others 20xx.
		{Name: "ExcelMonths", Times: "Nov-49,Dec-49,Jan-50",
			Want: []time.Time{date(1949, 11, 1, 0, 0), date(1949, 12, 1, 0, 0), date(1950, 1, 1, 0, 0)}},
		// ISO 8601 weeks: the Monday of each (1980-W01 starts on 31
		// December 1979), or the weekday given.
		{Name: "ISOWeeks", Times: "1980-W01,1980-W02,1980-W03", Want: []time.Time{date(1979, 12, 31, 0, 0), date(1980, 1, 7, 0, 0), date(1980, 1, 14, 0, 0)}},
		{Name: "ISOWeeksCompact", Times: "2020W52,2020W53,2021W01", Want: []time.Time{date(2020, 12, 21, 0, 0), date(2020, 12, 28, 0, 0), date(2021, 1, 4, 0, 0)}},
		{Name: "ISOWeekDays", Times: "2024-W01-5,2024-W02-5,2024-W03-5", Format: "iso-week", Want: []time.Time{date(2024, 1, 5, 0, 0), date(2024, 1, 12, 0, 0), date(2024, 1, 19, 0, 0)}},
		// Month names with whole years, under a header no time name.
		{Name: "MonthNameYear", Header: "Quarter", Times: "Mar-1956,Jun-1956,Sep-1956",
			Want: []time.Time{date(1956, 3, 1, 0, 0), date(1956, 6, 1, 0, 0), date(1956, 9, 1, 0, 0)}},
		{Name: "ExcelMonths29", Times: "Jan-29,Feb-29,Mar-29", Want: []time.Time{date(2029, 1, 1, 0, 0), date(2029, 2, 1, 0, 0), date(2029, 3, 1, 0, 0)}},
		{Name: "ExcelDays", Times: "1-Jan-30,2-Jan-30,3-Jan-30", Want: []time.Time{date(1930, 1, 1, 0, 0), date(1930, 1, 2, 0, 0), date(1930, 1, 3, 0, 0)}},
		{Name: "MonthNameMiddle", Times: "01-Jan-1995,02-Jan-1995,03-Jan-1995", Want: jan95},
		{Name: "MonthNameLong", Times: "\"January 1, 1995\",\"January 2, 1995\",\"January 3, 1995\"", Want: jan95},
		{Name: "StatisticsOfficeMonths", Times: "1995M01,1995M02,1995M03", Want: months95},
		{Name: "StatisticsOfficeMonthsUnpadded", Times: "1995M1,1995M2,1995M3", Want: months95},
		{Name: "StataMonths", Times: "1995m1,1995m2,1995m3", Want: months95},
		{Name: "YearMonthUnpadded", Times: "1995-1,1995-2,1995-3", Want: months95},
		{Name: "MonthSlashYear", Times: "01/1995,02/1995,03/1995", Want: months95},
		{Name: "MonthSlashYearUnpadded", Times: "1/1995,2/1995,3/1995", Want: months95},
		// Fiscal years, by their first year; 2001-02 alone is February.
		{Name: "FiscalYears", Times: "1998-99,1999-00,2000-01", Want: []time.Time{date(1998, 1, 1, 0, 0), date(1999, 1, 1, 0, 0), date(2000, 1, 1, 0, 0)}},
		{Name: "FiscalYearsNamed", Times: "FY1998,FY1999,FY2000", Want: []time.Time{date(1998, 1, 1, 0, 0), date(1999, 1, 1, 0, 0), date(2000, 1, 1, 0, 0)}},
		{Name: "MonthsFromFebruary2001", Times: "2001-02,2001-03,2001-04", Want: monthsFrom(2001, 2, 3)},
		{Name: "YYYYMMDD", Times: "19950101,19950102,19950103", Want: jan95},
		// "Jan 2006" fits May 1995 but not June: the full names are tried.
		{Name: "FullMonthNamesFromMay", Times: "May 1995,June 1995,July 1995",
			Want: []time.Time{date(1995, 5, 1, 0, 0), date(1995, 6, 1, 0, 0), date(1995, 7, 1, 0, 0)}},
		// Monthly on the 1st, no number past 12: the one never changing
		// over 13 months is the day.
		{Name: "MonthFirstByConstantDay", Times: "11/1/1959,12/1/1959,1/1/1960,2/1/1960,3/1/1960,4/1/1960,5/1/1960,6/1/1960,7/1/1960,8/1/1960,9/1/1960,10/1/1960,11/1/1960",
			Want: monthsFrom(1959, 11, 13)},
		{Name: "DayFirstByConstantDay", Times: "1/11/1959,1/12/1959,1/1/1960,1/2/1960,1/3/1960,1/4/1960,1/5/1960,1/6/1960,1/7/1960,1/8/1960,1/9/1960,1/10/1960,1/11/1960",
			Want: monthsFrom(1959, 11, 13)},
		{Name: "DayFirst2DigitYear", Times: "30/12/94,31/12/94,1/1/95",
			Want: []time.Time{date(1994, 12, 30, 0, 0), date(1994, 12, 31, 0, 0), date(1995, 1, 1, 0, 0)}},
		{Name: "StrftimeUnpadded", Times: "1/1/1995,2/1/1995,3/1/1995", Format: "%-d/%-m/%Y", Want: jan95},
		{Name: "StrftimeLenientAsPython", Times: "1/1/1995,2/1/1995,3/1/1995", Format: "%d/%m/%Y", Want: jan95},
		{Name: "StrftimeRunTogether", Times: "19950101,19950102,19950103", Format: "%Y%m%d", Want: jan95},
		// Days of a time zone, across a change of daylight saving time:
		// their dates, not the UTC instants of the day before.
		{Name: "OffsetDates", Times: "1995-03-25T00:00:00+01:00,1995-03-26T00:00:00+01:00,1995-03-27T00:00:00+02:00",
			Want: []time.Time{date(1995, 3, 25, 0, 0), date(1995, 3, 26, 0, 0), date(1995, 3, 27, 0, 0)}},
		// Hours with an offset are instants.
		{Name: "OffsetHours", Times: "1995-01-01T01:00:00+02:00,1995-01-01T02:00:00+02:00,1995-01-01T03:00:00+02:00",
			Want: []time.Time{date(1994, 12, 31, 23, 0), date(1995, 1, 1, 0, 0), date(1995, 1, 1, 1, 0)}},
		// Offsets as strftime's %z, Python's str() and PostgreSQL write them.
		{Name: "OffsetNoColon", Times: "1995-01-01T01:00:00+0200,1995-01-01T02:00:00+0200,1995-01-01T03:00:00+0200",
			Want: []time.Time{date(1994, 12, 31, 23, 0), date(1995, 1, 1, 0, 0), date(1995, 1, 1, 1, 0)}},
		{Name: "OffsetSpaced", Times: "1995-01-01 01:00:00 +0200,1995-01-01 02:00:00 +0200,1995-01-01 03:00:00 +0200",
			Want: []time.Time{date(1994, 12, 31, 23, 0), date(1995, 1, 1, 0, 0), date(1995, 1, 1, 1, 0)}},
		{Name: "OffsetSpacedColon", Times: "1995-01-01 01:00:00 -01:00,1995-01-01 02:00:00 -01:00,1995-01-01 03:00:00 -01:00",
			Want: []time.Time{date(1995, 1, 1, 2, 0), date(1995, 1, 1, 3, 0), date(1995, 1, 1, 4, 0)}},
		{Name: "OffsetHoursOnlyT", Times: "1995-01-01T01:00:00+02,1995-01-01T02:00:00+02,1995-01-01T03:00:00+02",
			Want: []time.Time{date(1994, 12, 31, 23, 0), date(1995, 1, 1, 0, 0), date(1995, 1, 1, 1, 0)}},
		{Name: "OffsetHoursOnly", Times: "1995-01-01 01:00:00+02,1995-01-01 02:00:00+02,1995-01-01 03:00:00+02",
			Want: []time.Time{date(1994, 12, 31, 23, 0), date(1995, 1, 1, 0, 0), date(1995, 1, 1, 1, 0)}},
		// R's write.csv of time(x) for a monthly and a quarterly ts.
		{Name: "DecimalYearMonthly", Header: "time", Times: "1995,1995.08333333333,1995.16666666667", Want: months95},
		{Name: "DecimalYearQuarterly", Header: "time", Times: "1959,1959.25,1959.5", Want: quarters(1959, 3)},
		{Name: "DecimalYearGiven", Times: "1995,1995.083,1995.167", Format: "decimal-year", Want: months95},
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			head := tt.Header
			if head == "" {
				head = "date"
			}
			in := head + ",y\n"
			for k, v := range splitQuoted(tt.Times) {
				in += v + "," + strconv.Itoa(k+1) + "\n"
			}
			s, err := ingest.Load(strings.NewReader(in), ingest.Options{Name: "data.csv", Target: "y", TimeFormat: tt.Format})
			if err != nil {
				t.Fatalf("Load() error: %v\ninput:\n%s", err, in)
			}
			if !reflect.DeepEqual(s.Times(), tt.Want) {
				t.Errorf("times %v, want %v", s.Times(), tt.Want)
			}
		})
	}
}

// splitQuoted splits at the commas outside double quotes.
func splitQuoted(s string) []string {
	var out []string
	start, quoted := 0, false
	for i, c := range s {
		switch {
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// TestTimeErrors checks the messages of times that cannot be read.
func TestTimeErrors(t *testing.T) {
	tests := []struct {
		Name, Input string
		Opt         ingest.Options
		Msg         string
	}{
		{"QuarterOutOfRange", "year,quarter,y\n1959,1,1\n1959,5,2\n", ingest.Options{}, `data.csv:3:2 (column "quarter"): parse "5" as the quarter of a time: want an integer from 1 to 4`},
		{"QuarterNamedQ", "Year,Q,y\n1959,1,1\n1959,0,2\n", ingest.Options{Time: "Year,Q"}, `data.csv:3:2 (column "Q"): parse "0" as the quarter of a time: want an integer from 1 to 4`},
		{"QuarterWithDay", "year,qtr,day,y\n1959,1,1,1\n1959,2,1,2\n", ingest.Options{Time: "year,qtr,day"}, `data.csv:1:3 (column "day"): a time of a year and a quarter (year+qtr+day) takes no further parts`},
		{"AmbiguousDayMonth", "date,y\n01/02/1995,1\n02/03/1995,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): ambiguous date "01/02/1995": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/2006 or 01/02/2006`},
		// Ten dates of three shops, read whole: 30 rows, but ten dates,
		// which no number past 12 tells apart.
		{"AmbiguousRepeatedDates", "shop,date,y\na,01/03/2024,1\na,02/03/2024,2\na,03/03/2024,3\na,04/03/2024,4\na,05/03/2024,5\na,06/03/2024,6\na,07/03/2024,7\na,08/03/2024,8\na,09/03/2024,9\na,10/03/2024,10\nb,01/03/2024,1\nb,02/03/2024,2\nb,03/03/2024,3\nb,04/03/2024,4\nb,05/03/2024,5\nb,06/03/2024,6\nb,07/03/2024,7\nb,08/03/2024,8\nb,09/03/2024,9\nb,10/03/2024,10\nc,01/03/2024,1\nc,02/03/2024,2\nc,03/03/2024,3\nc,04/03/2024,4\nc,05/03/2024,5\nc,06/03/2024,6\nc,07/03/2024,7\nc,08/03/2024,8\nc,09/03/2024,9\nc,10/03/2024,10\n", ingest.Options{ID: "shop"}, `data.csv:2:2 (column "date"): ambiguous date "01/03/2024": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/2006 or 01/02/2006`},
		{"AmbiguousDayMonth2DigitYear", "date,y\n01/02/95,1\n02/03/95,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): ambiguous date "01/02/95": day/month/year or month/day/year? no value tells; give --time-format, e.g. 02/01/06 or 01/02/06`},
		{"NoFormatFits", "date,y\nthe first,1\nthe second,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): parse "the first" as a time: no known format fits it (such as 2006-01-02, 2006-01-02 15:04:05, 02/01/2006, Jan-2-2006, 2-Jan-06, 1995M01 (2006M01), 1959Q1 (%YQ%q), Q1 1959 (Q%q %Y), 19950101 (YYYYMMDD)); give --time-format`},
		// Two formats fit the first values, none the third.
		{"CandidatesNamed", "date,y\nMay 1995,1\nMay 1996,2\n1997-05,3\n", ingest.Options{}, `data.csv:4:1 (column "date"): parse "1997-05" as a time: want the layout Jan 2006 or the layout January 2006, as on line 2`},
		{"QuarterFormatWithDay", "date,y\n1959Q1,1\n", ingest.Options{TimeFormat: "%YQ%q-%d"}, `data.csv:2:1 (column "date"): time format "%YQ%q-%d": %d cannot go with a quarter (%q): want only %Y or %y besides`},
		{"ISOWeek53", "week,y\n2021-W52,1\n2021-W53,2\n", ingest.Options{}, `data.csv:3:1 (column "week"): parse "2021-W53" as a time: no such date: year 2021 has no ISO week 53`},
		{"NoSuchDay", "date,y\n2024-02-28,1\n2024-02-29,2\n2024-02-30,3\n", ingest.Options{}, `data.csv:4:1 (column "date"): parse "2024-02-30" as a time: no such date: day out of range`},
		{"NoSuchDayFirst", "date,y\n2024-02-30,1\n2024-03-01,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): parse "2024-02-30" as a time: no such date: day out of range`},
		{"NoSuchDayDayFirst", "date,y\n29/04/2020,5\n30/04/2020,1\n31/04/2020,2\n", ingest.Options{}, `data.csv:4:1 (column "date"): parse "31/04/2020" as a time: no such date: day out of range`},
		{"NoSuchDayDotted", "date,y\n28.02.2021,1\n29.02.2021,2\n", ingest.Options{}, `data.csv:3:1 (column "date"): parse "29.02.2021" as a time: no such date: day out of range`},
		{"NoSuchHourUTC", "time,y\n2024-01-01T23:00:00Z,1\n2024-01-01T24:00:00Z,2\n", ingest.Options{}, `data.csv:3:1 (column "time"): parse "2024-01-01T24:00:00Z" as a time: no such time: hour out of range`},
		{"NoSuchMonth", "date,y\n2024-11-01,1\n2024-13-01,2\n", ingest.Options{}, `data.csv:3:1 (column "date"): parse "2024-13-01" as a time: no such date: month out of range`},
		{"NoSuchMonthFirst", "date,y\n2024-13-01,1\n2025-01-01,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): parse "2024-13-01" as a time: no such date: month out of range`},
		{"NoSuchHour", "time,y\n2024-01-01 23:00,1\n2024-01-01 24:00,2\n", ingest.Options{}, `data.csv:3:1 (column "time"): parse "2024-01-01 24:00" as a time: no such time: hour out of range`},
		{"ISOWeek53First", "date,y\n2021-W53,1\n2022-W01,2\n", ingest.Options{}, `data.csv:2:1 (column "date"): parse "2021-W53" as a time: no such date: year 2021 has no ISO week 53`},
		{"DecimalYearOffMonth", "time,y\n1995,1\n1995.1,2\n", ingest.Options{}, `data.csv:3:1 (column "time"): parse "1995.1" as a time: want decimal years of whole months (R's time() of a monthly or quarterly ts; for labels such as 2020.01 give --time-format 2006.01, for others --time none), as on line 2`},
		{"DecimalYearFirstOffMonth", "time,y\n1949.1,5\n1949.2,6\n", ingest.Options{}, `data.csv:2:1 (column "time"): parse "1949.1" as a time: want decimal years of whole months (R's time() of a monthly or quarterly ts; for labels such as 2020.01 give --time-format 2006.01, for others --time none)`},
		{"UnpaddedUnknown", "date,y\n1995,1\n", ingest.Options{TimeFormat: "%-Y"}, `data.csv:2:1 (column "date"): time format "%-Y": %- goes only before d, m, H, I, M or S`},
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			opt := tt.Opt
			opt.Name, opt.Target = "data.csv", "y"
			_, err := ingest.Load(strings.NewReader(tt.Input), opt)
			if err == nil || err.Error() != tt.Msg {
				t.Fatalf("Load() error:\ngot  %v\nwant %s", err, tt.Msg)
			}
			if !errors.Is(err, ingest.ErrBadTime) {
				t.Errorf("errors.Is(%v, ErrBadTime) = false", err)
			}
		})
	}
}

// TestQuarterGap finds an absent quarter between year and quarter columns:
// one quarterly step, filled at the quarter's first day.
func TestQuarterGap(t *testing.T) {
	in := "year,quarter,y\n" +
		"2020,1,1\n2020,2,2\n2020,4,4\n2021,1,5\n2021,2,6\n2021,3,7\n2021,4,8\n2022,1,9\n2022,2,10\n2022,3,11\n2022,4,12\n"
	s, err := ingest.Load(strings.NewReader(in), ingest.Options{Name: "data.csv", Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ingest.Gap{{After: date(2020, 4, 1, 0, 0), Steps: 1}}
	if !reflect.DeepEqual(s.Quality.Gaps, want) || s.Freq != (ingest.Freq{Months: 3}) {
		t.Fatalf("%v, gaps %v; want quarterly, gaps %v", s.Freq, s.Quality.Gaps, want)
	}
	if !reflect.DeepEqual(s.Times(), quarters(2020, 12)) || s.Values()[2] != 3 {
		t.Errorf("times %v, values %v; want 12 quarters from 2020, the third 3", s.Times(), s.Values())
	}
}

func TestParseInstant(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"2024-01-31T12:30:00Z", date(2024, 1, 31, 12, 30)},
		{"2024-01-31T14:30:00+02:00", date(2024, 1, 31, 12, 30)}, // a zone is kept, then read as UTC
		{"2024-01-31 12:30", date(2024, 1, 31, 12, 30)},
		{"2024-01-31T12:30", date(2024, 1, 31, 12, 30)},
		{"2024-01-31", date(2024, 1, 31, 0, 0)},
		{"2024-01", date(2024, 1, 1, 0, 0)},
		{"2024", date(2024, 1, 1, 0, 0)},
	} {
		got, err := ingest.ParseInstant(c.in)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseInstant(%q) = %v, %v; want %v in UTC", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "31/01/2024", "yesterday", "2024-13-01"} {
		if _, err := ingest.ParseInstant(bad); !errors.Is(err, ingest.ErrBadTime) {
			t.Errorf("ParseInstant(%q): error %v, want one wrapping ErrBadTime", bad, err)
		}
	}
}
