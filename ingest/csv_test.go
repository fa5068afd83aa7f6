package ingest_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"reflect"
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

var loadTests = []struct {
	Name   string
	Input  string
	Opt    ingest.Options // Name "data.csv" unless set; Target "y" unless set
	Output *ingest.Series
	Error  error  // want errors.Is(err, Error)
	Msg    string // want err.Error() == Msg
}{{
	Name:  "QuotedHeaderCRLFNoFinalNewline",
	Input: "\"Month\",\"Passengers\"\r\n\"1949-01\",112\r\n\"1949-02\",118\r\n\"1949-03\",132",
	Opt:   ingest.Options{Target: "Passengers"},
	Output: &ingest.Series{
		Name:   "Passengers",
		Times:  []time.Time{date(1949, 1, 1, 0, 0), date(1949, 2, 1, 0, 0), date(1949, 3, 1, 0, 0)},
		Values: []float64{112, 118, 132},
		Freq:   ingest.Freq{Months: 1},
	},
}, {
	Name:  "BOMHourly",
	Input: "\ufeffdate,HUFL,OT\n2016-07-01 00:00:00,5.8,30.5\n2016-07-01 01:00:00,5.6,27.8\n2016-07-01 02:00:00,5.1,27.8\n",
	Opt:   ingest.Options{Target: "OT"},
	Output: &ingest.Series{
		Name:   "OT",
		Times:  []time.Time{date(2016, 7, 1, 0, 0), date(2016, 7, 1, 1, 0), date(2016, 7, 1, 2, 0)},
		Values: []float64{30.5, 27.8, 27.8},
		Freq:   ingest.Freq{Step: time.Hour},
	},
}, {
	Name:  "BOMTimeColumnName",
	Input: "\ufeff\"Date\",y\r\n1981-01-01,20.7\r\n1981-01-02,17.9\r\n",
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(1981, 1, 1, 0, 0), date(1981, 1, 2, 0, 0)},
		Values: []float64{20.7, 17.9},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:  "DailyWithGap",
	Input: "Date,y\n1984-12-30,1\n1985-01-01,2\n1985-01-02,3\n1985-01-03,4\n",
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(1984, 12, 30, 0, 0), date(1985, 1, 1, 0, 0), date(1985, 1, 2, 0, 0), date(1985, 1, 3, 0, 0)},
		Values: []float64{1, 2, 3, 4},
		Freq:   ingest.Freq{Step: 24 * time.Hour},
	},
}, {
	Name:   "NoTimeColumn",
	Input:  "a,y\n1,2\n3,4\n5,-6e-1\n",
	Output: &ingest.Series{Name: "y", Values: []float64{2, 4, -0.6}},
}, {
	// A first column of 4-digit numbers is not taken for years.
	Name:   "NoTimeColumnYearLike",
	Input:  "id,y\n1990,2\n2000,4\n",
	Output: &ingest.Series{Name: "y", Values: []float64{2, 4}},
}, {
	Name:  "UnnamedFirstColumnRFC3339",
	Input: "when,y\n2020-01-01T01:00:00+01:00,1\n2020-01-01T00:15:00Z,2\n2020-01-01T00:30:00.5Z,3\n",
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 1, 0, 15), date(2020, 1, 1, 0, 30).Add(500 * time.Millisecond)},
		Values: []float64{1, 2, 3},
		Freq:   ingest.Freq{Step: 15 * time.Minute},
	},
}, {
	Name:  "NamedTimeColumnNotFirst",
	Input: "y,DS\n1,2020-01-01T00:00:00\n2,2020-01-01T00:00:10\n",
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(2020, 1, 1, 0, 0), date(2020, 1, 1, 0, 0).Add(10 * time.Second)},
		Values: []float64{1, 2},
		Freq:   ingest.Freq{Step: 10 * time.Second},
	},
}, {
	Name:  "ExplicitTimeSemicolonSpaces",
	Input: "id;stamp;y\n1; 2020-03-01 10:00 ; 1.5 \n2;2020-03-01 10:30;2.5\n",
	Opt:   ingest.Options{Time: "stamp", Target: "y", Comma: ';'},
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(2020, 3, 1, 10, 0), date(2020, 3, 1, 10, 30)},
		Values: []float64{1.5, 2.5},
		Freq:   ingest.Freq{Step: 30 * time.Minute},
	},
}, {
	Name:  "Yearly",
	Input: "year,y\n1990,1\n1991,2\n1993,3\n1994,4\n",
	Opt:   ingest.Options{Time: "year", Target: "y"},
	Output: &ingest.Series{
		Name:   "y",
		Times:  []time.Time{date(1990, 1, 1, 0, 0), date(1991, 1, 1, 0, 0), date(1993, 1, 1, 0, 0), date(1994, 1, 1, 0, 0)},
		Values: []float64{1, 2, 3, 4},
		Freq:   ingest.Freq{Months: 12},
	},
}, {
	Name:  "QuotedNewlineInOtherColumn",
	Input: "date,note,y\n2020-01-01,\"two\nlines, one comma\",1\n2020-02-01,,2\n",
	Output: &ingest.Series{
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
	Name:  "EmptyValue",
	Input: "date,y\r\n2020-01-01,1\r\n2020-01-02,\r\n",
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:3:2 (column "y"): empty value: gap filling is not supported yet`,
}, {
	Name:  "NA",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,NA\n",
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:4:2 (column "y"): missing value "NA": gap filling is not supported yet`,
}, {
	Name:  "NaN",
	Input: "date,y\n2020-01-01,NaN\n2020-01-02,2\n",
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:2:2 (column "y"): missing value "NaN": gap filling is not supported yet`,
}, {
	Name:  "SignedNaN",
	Input: "date,y\n2020-01-01,-nan\n2020-01-02,2\n",
	Error: ingest.ErrBadNumber,
	Msg:   `data.csv:2:2 (column "y"): parse "-nan" as a number: invalid syntax`,
}, {
	Name:  "Null",
	Input: "date,y\n2020-01-01,1\n2020-01-02,null\n",
	Error: ingest.ErrMissingValue,
	Msg:   `data.csv:3:2 (column "y"): missing value "null": gap filling is not supported yet`,
}, {
	Name:  "BadFirstTime",
	Input: "date,y\n01/02/2020,1\n01/03/2020,2\n",
	Error: ingest.ErrBadTime,
	Msg: `data.csv:2:1 (column "date"): parse "01/02/2020" as a time: want one of the layouts ` +
		`2006-01-02T15:04:05Z07:00, 2006-01-02T15:04:05, 2006-01-02 15:04:05, 2006-01-02 15:04, 2006-01-02, 2006-01, 2006`,
}, {
	Name:  "MixedTimeLayouts",
	Input: "date,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03 00:00,3\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:4:1 (column "date"): parse "2020-01-03 00:00" as a time: want the layout 2006-01-02, as on line 2`,
}, {
	Name:  "MonthOutOfRange",
	Input: "Month,y\n1949-11,1\n1949-12,2\n1949-13,3\n",
	Error: ingest.ErrBadTime,
	Msg:   `data.csv:4:1 (column "Month"): parse "1949-13" as a time: want the layout 2006-01, as on line 2`,
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
	Name:  "Unsorted",
	Input: "date,y\n2020-01-01,1\n2020-01-03,2\n2020-01-02,3\n",
	Error: ingest.ErrUnsorted,
	Msg:   `data.csv:4:1 (column "date"): time "2020-01-02" is before "2020-01-03" on line 3: rows must be in increasing time order`,
}, {
	Name:  "EmptyInput",
	Input: "",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv: empty input: want a header and at least 2 rows`,
}, {
	Name:  "HeaderOnly",
	Input: "\ufeffdate,y\r\n",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv: no rows after the header: want at least 2`,
}, {
	Name:  "OneRow",
	Input: "date,y\n2020-01-01,1",
	Error: ingest.ErrEmpty,
	Msg:   `data.csv: want at least 2 rows, got 1`,
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
			if opt == (ingest.Options{}) {
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
			if !reflect.DeepEqual(got, tt.Output) {
				t.Errorf("Load() output:\ngot  %+v\nwant %+v", got, tt.Output)
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
	if _, err := ingest.ToSeries(df, ingest.Options{Name: "b.csv", Target: "Births"}); err == nil ||
		!errors.Is(err, ingest.ErrMissingValue) || !strings.HasPrefix(err.Error(), "b.csv:2:2 ") {
		t.Errorf("ToSeries() error = %v, want a missing value at b.csv:2:2", err)
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
	for i, t := range s.Times {
		fmt.Println(t.Format("2006-01-02"), s.Values[i])
	}
	fmt.Println(s.Freq, s.Freq.Add(s.Times[len(s.Times)-1], 1).Format("2006-01-02"))

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

// FuzzLoad checks that Load never panics and that what it accepts is a
// valid series.
func FuzzLoad(f *testing.F) {
	for _, tt := range loadTests {
		f.Add(tt.Input, tt.Opt.Target, tt.Opt.Time)
	}
	f.Add("date,y\n2020-01-01,1\n2020-01-02,2\n", "y", "")
	f.Add("\"Month\",\"y\"\r\n\"1949-01\",1\r\n\"1949-02\",2", "y", "Month")
	f.Add("a,b\n1,2\n3,4\n", "b", "")
	f.Fuzz(func(t *testing.T, in, target, timeCol string) {
		s, err := ingest.Load(strings.NewReader(in), ingest.Options{Target: target, Time: timeCol})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(s.Values) < 2 {
			t.Fatalf("%d values, want at least 2", len(s.Values))
		}
		for i, v := range s.Values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("value %d is %v", i, v)
			}
		}
		if s.Times == nil {
			if s.Freq != (ingest.Freq{}) {
				t.Fatalf("no times but Freq %+v", s.Freq)
			}
			return
		}
		if len(s.Times) != len(s.Values) {
			t.Fatalf("%d times for %d values", len(s.Times), len(s.Values))
		}
		for i := 1; i < len(s.Times); i++ {
			if !s.Times[i].After(s.Times[i-1]) {
				t.Fatalf("time %d (%v) is not after time %d (%v)", i, s.Times[i], i-1, s.Times[i-1])
			}
		}
		if (s.Freq.Months == 0) == (s.Freq.Step == 0) {
			t.Fatalf("Freq %+v, want exactly one field set", s.Freq)
		}
	})
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

func BenchmarkLoad100k(b *testing.B) {
	data := syntheticCSV(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := ingest.Load(bytes.NewReader(data), ingest.Options{Target: "OT"})
		if err != nil || len(s.Values) != 100_000 {
			b.Fatalf("Load() = %d values, %v", len(s.Values), err)
		}
	}
}
