package ingest_test

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// TestErrorsWrapSentinels walks bad inputs and options through every entry
// point and wants each error to wrap the sentinel that says what is wrong,
// so that no bad input can pass for a fault of the program.
func TestErrorsWrapSentinels(t *testing.T) {
	const good = "date,y\n2020-01-01,1\n2020-01-02,2\n"
	tests := []struct {
		Name  string
		Input string
		Opt   ingest.Options
		Want  error
	}{
		{"Empty", "", ingest.Options{Target: "y"}, ingest.ErrEmpty},
		{"HeaderOnly", "date,y\n", ingest.Options{Target: "y"}, ingest.ErrEmpty},
		{"BareQuote", "date,y\n2020-01-01,1\"2\n", ingest.Options{Target: "y"}, ingest.ErrSyntax},
		{"FieldCount", "date,y\n2020-01-01,1,3\n", ingest.Options{Target: "y"}, ingest.ErrSyntax},
		{"NoTarget", good, ingest.Options{}, ingest.ErrMissingColumn},
		{"UnknownTarget", good, ingest.Options{Target: "z"}, ingest.ErrMissingColumn},
		{"UnknownCovariate", good, ingest.Options{Target: "y", Covariates: []string{"c"}}, ingest.ErrMissingColumn},
		{"BadNumber", "date,y\n2020-01-01,1\n2020-01-02,x\n", ingest.Options{Target: "y"}, ingest.ErrBadNumber},
		{"Infinite", "date,y\n2020-01-01,1\n2020-01-02,Inf\n", ingest.Options{Target: "y"}, ingest.ErrBadNumber},
		{"BadTime", "date,y\n2020-01-01,1\nnever,2\n", ingest.Options{Target: "y"}, ingest.ErrBadTime},
		{"BadTimeFormat", good, ingest.Options{Target: "y", TimeFormat: "%Q"}, ingest.ErrBadTime},
		{"DuplicateTime", "date,y\n2020-01-01,1\n2020-01-01,2\n", ingest.Options{Target: "y"}, ingest.ErrDuplicateTime},
		{"MissingFillNone", "date,y\n2020-01-01,1\n2020-01-02,\n2020-01-03,3\n", ingest.Options{Target: "y", Fill: ingest.FillNone}, ingest.ErrMissingValue},
		{"AllMissing", "date,y\n2020-01-01,NA\n2020-01-02,NA\n", ingest.Options{Target: "y"}, ingest.ErrMissingValue},
		{"TooMuchFill", "date,y\n2020-01-01,1\n2020-01-09,2\n2020-01-10,3\n", ingest.Options{Target: "y", Freq: ingest.Freq{Step: 24 * time.Hour}}, ingest.ErrTooMuchFill},
		{"OneRow", "date,y\n2020-01-01,1\n", ingest.Options{Target: "y"}, ingest.ErrEmpty},
		{"SeveralSeries", "date,a,b\n2020-01-01,1,2\n2020-01-02,3,4\n", ingest.Options{Targets: []string{"*"}}, ingest.ErrSeveralSeries},
		{"UnknownLayout", good, ingest.Options{Target: "y", Layout: "tall"}, ingest.ErrBadOption},
		{"UnknownFill", good, ingest.Options{Target: "y", Fill: "cubic"}, ingest.ErrBadOption},
		{"TimeIsTarget", good, ingest.Options{Target: "date", Time: "date"}, ingest.ErrBadOption},
		{"StartNoFreq", "y\n1\n2\n", ingest.Options{Target: "y", NoTime: true, Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, ingest.ErrBadOption},
		{"StartBackwards", "y\n1\n2\n3\n", ingest.Options{Target: "y", Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Freq: ingest.Freq{Step: -time.Hour}}, ingest.ErrBadOption},
		{"RowsCovariates", "id,a\nH1,1\n", ingest.Options{Layout: ingest.LayoutRows, Covariates: []string{"a"}}, ingest.ErrBadOption},
		{"RowsDuplicateID", "id,a,b\nH1,1,2\nH1,3,4\n", ingest.Options{Layout: ingest.LayoutRows}, ingest.ErrDuplicateID},
		{"LongNoID", good, ingest.Options{Target: "y", Layout: ingest.LayoutLong}, ingest.ErrMissingColumn},
		{"RowsKeyOfTwo", "s,i,v1\na,x,1\n", ingest.Options{Layout: ingest.LayoutRows, ID: "s,i"}, ingest.ErrBadOption},
		{"TimePartOutOfRange", "year,month,y\n2020,13,1\n2020,2,2\n", ingest.Options{Target: "y"}, ingest.ErrBadTime},
	}
	check := func(t *testing.T, what string, err, want error) {
		t.Helper()
		switch {
		case err == nil:
			t.Errorf("%s: no error, want one wrapping %q", what, want)
		case !errors.Is(err, want):
			t.Errorf("%s: %v: does not wrap %q", what, err, want)
		case !ingest.IsInputError(err):
			t.Errorf("%s: %v: IsInputError is false", what, err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			tt.Opt.Name = "data.csv"
			_, err := ingest.Load(strings.NewReader(tt.Input), tt.Opt)
			check(t, "Load", err, tt.Want)
			if tt.Name == "SeveralSeries" || tt.Name == "NoTarget" {
				return // LoadAll and Stream take several series, and every numeric column without a target
			}
			_, err = ingest.LoadAll(strings.NewReader(tt.Input), tt.Opt)
			check(t, "LoadAll", err, tt.Want)
			var serr error
			for _, e := range ingest.Stream(strings.NewReader(tt.Input), tt.Opt) {
				if e != nil && serr == nil {
					serr = e
				}
			}
			check(t, "Stream", serr, tt.Want)
		})
	}

	t.Run("ReaderFails", func(t *testing.T) {
		failing := func() io.Reader {
			return io.MultiReader(strings.NewReader(good), iotest.ErrReader(errors.New("disk failed")))
		}
		_, err := ingest.LoadAll(failing(), ingest.Options{Target: "y"})
		check(t, "LoadAll", err, ingest.ErrRead)
		for _, err := range ingest.Stream(failing(), ingest.Options{Target: "y"}) {
			check(t, "Stream", err, ingest.ErrRead)
		}
	})
	t.Run("SQL", func(t *testing.T) {
		db := mustOpenDB(t, `CREATE TABLE obs (ds TEXT, y REAL)`, `INSERT INTO obs VALUES ('2020-01-01', 1), ('x', 2)`)
		for _, c := range []struct {
			opt  ingest.Options
			want error
		}{
			{ingest.Options{Table: "nope", Target: "y"}, ingest.ErrMissingColumn},
			{ingest.Options{Table: "obs", Query: "SELECT 1", Target: "y"}, ingest.ErrBadOption},
			{ingest.Options{Query: "SELECT nope FROM obs", Target: "y"}, ingest.ErrRead},
			{ingest.Options{Query: "SELECT * FROM obs WHERE y > 5", Target: "y"}, ingest.ErrEmpty},
			{ingest.Options{Table: "obs", Target: "y"}, ingest.ErrBadTime},
		} {
			c.opt.Name = "data.sqlite"
			_, err := ingest.LoadSQL(context.Background(), db, c.opt)
			check(t, "LoadSQL", err, c.want)
			var serr error
			for _, e := range ingest.StreamSQL(context.Background(), db, c.opt) {
				if e != nil && serr == nil {
					serr = e
				}
			}
			check(t, "StreamSQL", serr, c.want)
		}
	})
}

// TestBadID: an empty id named its series after the target column, whose
// own rows it then replaced; an id with a control character broke lines
// and drove terminals. Both are refused at their cell, read whole, streamed
// or in the rows layout.
func TestBadID(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		opt      ingest.Options
		want     string
	}{
		{"LongEmpty", "id,date,y\ny,2021-01-01,1\ny,2021-01-02,2\n,2021-01-01,3\n,2021-01-02,5\n", ingest.Options{ID: "id", Target: "y"},
			`data.csv:4:1 (column "id"): empty id: every row needs the id of its series`},
		{"LongSpaces", "id,date,y\na,2021-01-01,1\na,2021-01-02,2\n  ,2021-01-01,3\n", ingest.Options{ID: "id", Target: "y"},
			`data.csv:4:1 (column "id"): empty id: every row needs the id of its series`},
		{"LongControl", "id,date,y\n\"a\x1b[31m\",2021-01-01,1\n\"a\x1b[31m\",2021-01-02,2\n", ingest.Options{ID: "id", Target: "y"},
			`data.csv:2:1 (column "id"): id "a\x1b[31m" holds a control character`},
		{"LongKeyEmpty", "store,item,date,y\na,x,2021-01-01,1\na,x,2021-01-02,2\na,,2021-01-01,3\na,,2021-01-02,5\n", ingest.Options{ID: "store,item", Target: "y"},
			`data.csv:4:2 (column "item"): empty id: every row needs the id of its series`},
		{"LongKeySlash", "store,item,date,y\nA,B/C,2021-01-01,1\nA,B/C,2021-01-02,2\nA/B,C,2021-01-01,3\n", ingest.Options{ID: "store,item", Target: "y"},
			`data.csv:2:2 (column "item"): id part "B/C" holds the "/" that joins the columns of the key`},
		{"RowsEmpty", "id,v1,v2,v3\nA,1,2,3\n,1,2,3\n", ingest.Options{Layout: ingest.LayoutRows},
			`data.csv:3:1 (column "id"): empty id: every row needs the id of its series`},
		{"RowsNewline", "id,v1,v2,v3\n\"a\nb\",1,2,3\n", ingest.Options{Layout: ingest.LayoutRows},
			`data.csv:2:1 (column "id"): id "a\nb" holds a control character`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Name = "data.csv"
			_, err := ingest.LoadAll(strings.NewReader(tt.in), tt.opt)
			if !errors.Is(err, ingest.ErrBadID) || err.Error() != tt.want {
				t.Errorf("LoadAll: %v\nwant %s", err, tt.want)
			}
			var streamed error
			for _, err := range ingest.Stream(strings.NewReader(tt.in), tt.opt) {
				if err != nil {
					streamed = err
					break
				}
			}
			if !errors.Is(streamed, ingest.ErrBadID) || streamed.Error() != tt.want {
				t.Errorf("Stream: %v\nwant %s", streamed, tt.want)
			}
		})
	}
}

// TestUTF16: a UTF-16 file (Excel's "Unicode text") read as one field a
// line gave "wrong number of fields" on its second line; it is named as
// UTF-16 with how to save it, in either byte order.
func TestUTF16(t *testing.T) {
	for _, bom := range []string{"\xff\xfe", "\xfe\xff"} {
		in := bom + strings.Join(strings.Split("date,y\n2021-01-01,1\n2021-01-02,2\n", ""), "\x00")
		_, err := ingest.LoadAll(strings.NewReader(in), ingest.Options{Name: "u.csv"})
		if want := "u.csv:1: the file is UTF-16 (its byte order mark): save it as UTF-8 (Excel: CSV UTF-8)"; err == nil || err.Error() != want {
			t.Errorf("% x…: %v, want %s", bom, err, want)
		}
	}
}

// TestShortSeriesLeftOut: a new item of one row, or one with a gap longer
// than MaxFill allows, failed a whole file of several series, the first
// naming no line. Read whole (from a CSV or SQLite) such a series is left
// out of the others with a note that says why; streamed, it is yielded
// with its error, which names its file and line and which SeriesLeftOut
// recognises, and the others go on.
func TestShortSeriesLeftOut(t *testing.T) {
	const in = "id,date,y\n" +
		"a,2024-01-01,1\na,2024-01-02,2\na,2024-01-03,3\na,2024-01-04,4\n" +
		"new,2024-01-04,7\n" +
		"gap,2024-01-01,1\ngap,2024-01-02,2\ngap,2024-01-03,3\ngap,2024-01-09,9\n" +
		"blank,2024-01-01,\nblank,2024-01-02,\n"
	opt := ingest.Options{Name: "data.csv", ID: "id", Target: "y", Freq: ingest.Freq{Step: 24 * time.Hour}}
	wantErrs := map[string]string{
		"new": `data.csv:6: series "new" has 1 row: want at least 2`,
		"gap": `data.csv:1:3 (column "y"): series "gap": filling would invent 5 of its 9 values (55.6 %), more than the 10 % allowed: ` +
			`5 daily steps absent in 1 gap, at 2024-01-04 to 2024-01-08 (5 steps); check the time column and the frequency (--freq), or allow more with --max-fill`,
		"blank": `data.csv:1:3 (column "y"): series "blank": every value is missing`,
	}
	check := func(t *testing.T, d *ingest.Dataset, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Series) != 1 || d.Series[0].ID != "a" {
			t.Errorf("%d series, want a alone", len(d.Series))
		}
		for _, msg := range []string{wantErrs["new"], wantErrs["gap"], wantErrs["blank"]} {
			if !slices.Contains(d.Notes, msg+": left out") {
				t.Errorf("notes %q lack %q", d.Notes, msg+": left out")
			}
		}
	}
	t.Run("LoadAll", func(t *testing.T) {
		d, err := ingest.LoadAll(strings.NewReader(in), opt)
		check(t, d, err)
	})
	t.Run("LoadSQL", func(t *testing.T) {
		db := mustOpenDB(t, `CREATE TABLE obs (id TEXT, date TEXT, y REAL)`,
			`INSERT INTO obs VALUES ('a', '2024-01-01', 1), ('a', '2024-01-02', 2), ('new', '2024-01-04', 7), ('a', '2024-01-03', 3)`)
		o := opt
		o.Name, o.Table = "data.sqlite", "obs"
		d, err := ingest.LoadSQL(context.Background(), db, o)
		if err != nil {
			t.Fatal(err)
		}
		want := `data.sqlite: table "obs", row 3: series "new" has 1 row: want at least 2: left out`
		if len(d.Series) != 1 || !slices.Contains(d.Notes, want) {
			t.Errorf("%d series, notes %q; want a alone and the note %q", len(d.Series), d.Notes, want)
		}
	})
	t.Run("Stream", func(t *testing.T) {
		var read []string
		for s, err := range ingest.Stream(strings.NewReader(in), opt) {
			if err == nil {
				read = append(read, s.ID)
				continue
			}
			var pe *ingest.ParseError
			if s == nil || err.Error() != wantErrs[s.ID] || !ingest.SeriesLeftOut(err) || !errors.As(err, &pe) || pe.File != "data.csv" {
				t.Errorf("series %v: %v\nwant the ParseError %s", s, err, wantErrs[s.ID])
			}
		}
		if !slices.Equal(read, []string{"a"}) {
			t.Errorf("read %q, want a", read)
		}
	})
	t.Run("Alone", func(t *testing.T) {
		_, err := ingest.LoadAll(strings.NewReader("id,date,y\nnew,2024-01-04,7\n"), opt)
		if want := `data.csv:2: series "new" has 1 row: want at least 2`; err == nil || err.Error() != want {
			t.Errorf("LoadAll() error %v, want %s", err, want)
		}
	})
}
