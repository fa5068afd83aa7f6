package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// collect reads every series of a stream; it fails the test on an error.
func collect(t *testing.T, seq func(func(*ingest.Series, error) bool)) []*ingest.Series {
	t.Helper()
	var out []*ingest.Series
	for s, err := range seq {
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		out = append(out, s)
	}
	return out
}

// onlyReader hides every method of a reader but Read, as a pipe has.
type onlyReader struct{ io.Reader }

// streamCases are sources that LoadAll reads; Stream must give the same
// series from them.
var streamCases = []struct {
	Name  string
	Input string
	Opt   ingest.Options
}{
	{"Wide", "date,a,b\n2020-01-01,1,10\n2020-01-02,2,20\n2020-01-04,4,40\n", ingest.Options{MaxFill: 1}},
	{"LongGrouped", "unit,ds,y,temp\nb,2020-01-02,20,1\nb,2020-01-01,10,2\nb,2020-01-04,40,3\na,2020-01-01,1,4\na,2020-01-02,2,5\n",
		ingest.Options{ID: "unit", Target: "y", Covariates: []string{"temp"}, MaxFill: 1}},
	{"LongApart", "unit,ds,y\nb,2020-01-01,10\na,2020-01-02,2\na,2020-01-01,1\nb,2020-01-02,20\nb,2020-01-04,40\n",
		ingest.Options{ID: "unit", Target: "y", MaxFill: 1}},
	{"UniqueIDSemicolon", "unique_id;ds;y\nb;2020-01-01;10\nb;2020-01-02;20\nc;2020-01-01;1\nc;2020-01-02;2\n", ingest.Options{}},
	{"LongTwoTargets", "unit,ds,y,z\nb,2020-01-01,10,1\nb,2020-01-02,20,2\nc,2020-01-01,1,3\nc,2020-01-02,2,4\n",
		ingest.Options{ID: "unit", Targets: []string{"y", "z"}}},
	{"LongKeyOfTwo", "store,item,ds,y\na,x,2020-01-01,1\na,x,2020-01-02,2\na,y,2020-01-01,3\na,y,2020-01-02,4\nb,x,2020-01-01,5\nb,x,2020-01-02,6\n",
		ingest.Options{ID: "store,item", Target: "y"}},
	{"LongKeyApart", m5, ingest.Options{ID: "store_id,item_id", Target: "sales"}},
	{"Rows", "id,F1,F2,F3\nH1,1,,3\nH2,4,5\n", ingest.Options{Layout: ingest.LayoutRows, MaxFill: 1}},
	{"RowsSelect", "id,F1,F2\nH1,1,2\nH2,4,5\nD1,7,8\n", ingest.Options{Layout: ingest.LayoutRows, Targets: []string{"H*"}}},
	{"RowsNoHeader", "H1,1,2\nH2,4,5\n", ingest.Options{Layout: ingest.LayoutRows, NoHeader: true}},
}

// TestStreamMatchesLoadAll reads each source whole and streamed, from a
// reader that can seek and from one that cannot, and from the files of
// testdata, and wants the same series and notes.
func TestStreamMatchesLoadAll(t *testing.T) {
	type source struct {
		name  string
		input string
		opt   ingest.Options
	}
	var sources []source
	for _, c := range streamCases {
		sources = append(sources, source{c.Name, c.Input, c.Opt})
	}
	for _, f := range []struct {
		dir string
		opt ingest.Options
	}{
		{"airline", ingest.Options{Target: "Passengers"}},
		{"m4-rows", ingest.Options{Layout: ingest.LayoutRows}},
		{"pollution", ingest.Options{Target: "pm2.5", MaxFill: 1}},
		{"sparse-gaps", ingest.Options{MaxFill: 1}},
	} {
		b, err := os.ReadFile("../testdata/ingest/" + f.dir + "/series.csv")
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, source{f.dir, string(b), f.opt})
	}
	for _, c := range sources {
		c.opt.Name = "data.csv"
		want, err := ingest.LoadAll(strings.NewReader(c.input), c.opt)
		if err != nil {
			t.Fatalf("%s: LoadAll: %v", c.name, err)
		}
		for _, r := range []io.Reader{strings.NewReader(c.input), onlyReader{strings.NewReader(c.input)}} {
			opt := c.opt
			var notes []string
			opt.Notify = func(n string) { notes = append(notes, n) }
			got := collect(t, ingest.Stream(r, opt))
			if !reflect.DeepEqual(got, want.Series) {
				t.Errorf("%s (%T): Stream gives %d series %v, LoadAll %d %v", c.name, r, len(got), ids(got), len(want.Series), ids(want.Series))
			}
			// Streaming a long source notes that it does or why it does not.
			if kept := dropStreamNotes(notes); !reflect.DeepEqual(kept, want.Notes) {
				t.Errorf("%s (%T): Stream notes\n%q\nLoadAll notes\n%q", c.name, r, kept, want.Notes)
			}
		}
	}
}

// dropStreamNotes drops the notes on whether and how a source was
// streamed.
func dropStreamNotes(notes []string) []string {
	var out []string
	for _, n := range notes {
		if !strings.Contains(n, "read whole, not streamed") && !strings.Contains(n, "copied to a temporary file to be streamed") {
			out = append(out, n)
		}
	}
	return out
}

func ids(ss []*ingest.Series) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// TestStreamLongApart: a long source whose rows of a series are apart is
// read whole, with a notice naming the lines; from a pipe too, after a
// notice that the pipe was copied to a temporary file.
func TestStreamLongApart(t *testing.T) {
	in := "unit,ds,y\nb,2020-01-01,10\na,2020-01-01,1\na,2020-01-02,2\nb,2020-01-02,20\n"
	const spooled = "data.csv: the input cannot be read twice: copied to a temporary file to be streamed"
	const apart = `data.csv: read whole, not streamed: the rows of series "b" are apart (lines 2 and 5); sort the file by unit to stream it`
	for _, c := range []struct {
		r     io.Reader
		notes []string
	}{
		{strings.NewReader(in), []string{apart}},
		{onlyReader{strings.NewReader(in)}, []string{spooled, apart}},
	} {
		var notes []string
		opt := ingest.Options{Name: "data.csv", ID: "unit", Target: "y", Notify: func(n string) { notes = append(notes, n) }}
		got := collect(t, ingest.Stream(c.r, opt))
		if len(got) != 2 || got[0].ID != "b" || len(got[0].Values()) != 2 {
			t.Errorf("Stream(%T) = %v", c.r, ids(got))
		}
		if len(notes) < len(c.notes) || !slices.Equal(notes[:len(c.notes)], c.notes) {
			t.Errorf("Stream(%T) notes %q, want first %q", c.r, notes, c.notes)
		}
	}
}

// TestStreamPipe: a long or wide source read from a pipe is copied to a
// temporary file and streamed from it, as from a file (the wide one in
// passes, the long one a series at a time), and the file is removed.
func TestStreamPipe(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	defer ingest.SetWideCells(1)()
	for _, c := range []struct {
		name, input string
		opt         ingest.Options
		note        string // a notice a source read whole does not give, if any
	}{
		{"wide", "date,a,b,c\n2020-01-01,1,10,100\n2020-01-02,2,20,200\n2020-01-03,3,30,300\n",
			ingest.Options{Targets: []string{"a", "b", "c"}}, "3 series read in 3 passes"},
		{"long", "unit,ds,y\nb,2020-01-01,10\nb,2020-01-02,20\na,2020-01-01,1\na,2020-01-02,2\n",
			ingest.Options{ID: "unit", Target: "y"}, ""},
	} {
		var notes []string
		opt := c.opt
		opt.Name = "data.csv"
		opt.Notify = func(n string) { notes = append(notes, n) }
		want, err := ingest.LoadAll(strings.NewReader(c.input), c.opt)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, ingest.Stream(onlyReader{strings.NewReader(c.input)}, opt))
		if !reflect.DeepEqual(got, want.Series) {
			t.Errorf("%s: Stream gives %v, LoadAll %v", c.name, ids(got), ids(want.Series))
		}
		if len(notes) == 0 || !strings.Contains(notes[0], "copied to a temporary file") ||
			c.note != "" && !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, c.note) }) ||
			slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, "read whole") }) {
			t.Errorf("%s: notes %q, want the copy first, then one saying %q, none read whole", c.name, notes, c.note)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("%s: %d temporary files left", c.name, len(left))
		}
	}
}

// TestStreamSeriesErrors: a series that cannot be read is yielded with its
// error and the stream goes on; an error of the whole source ends it.
func TestStreamSeriesErrors(t *testing.T) {
	type item struct {
		ID  string
		Err error // a sentinel the error wraps, or nil
	}
	tests := []struct {
		Name  string
		Input string
		Opt   ingest.Options
		Want  []item
	}{{
		Name:  "LongBadSeries",
		Input: "unit,ds,y\na,2020-01-01,1\na,2020-01-02,x\nb,2020-01-01,1\nb,2020-01-02,2\nc,2020-01-01,1\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Want:  []item{{"a", ingest.ErrBadNumber}, {"b", nil}, {"c", ingest.ErrEmpty}},
	}, {
		// The rows of a series apart (read whole): still one series fails
		// alone, at its own line.
		Name:  "LongApartBadSeries",
		Input: "unit,ds,y\na,2020-01-01,1\nb,2020-01-01,1\na,2020-01-02,x\nb,2020-01-02,2\nc,2020-01-01,1\nb,2020-01-03,3\n",
		Opt:   ingest.Options{ID: "unit", Target: "y"},
		Want:  []item{{"a", ingest.ErrBadNumber}, {"b", nil}, {"c", ingest.ErrEmpty}},
	}, {
		Name:  "LongNoTarget",
		Input: "unit,ds,y\na,2020-01-01,1\na,2020-01-02,2\n",
		Opt:   ingest.Options{ID: "unit", Target: "nope"},
		Want:  []item{{"", ingest.ErrMissingColumn}},
	}, {
		Name:  "RowsBadAndRepeated",
		Input: "id,F1,F2\nH1,1,2\nH2,1,zz\nH1,3,4\nH3,5,6\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Want:  []item{{"H1", nil}, {"H2", ingest.ErrBadNumber}, {"H1", ingest.ErrDuplicateID}, {"H3", nil}},
	}, {
		Name:  "RowsSyntax",
		Input: "id,F1,F2\nH1,1,2\nH2,\"1,2\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows},
		Want:  []item{{"H1", nil}, {"", ingest.ErrSyntax}},
	}, {
		Name:  "RowsUnmatched",
		Input: "id,F1,F2\nH1,1,2\n",
		Opt:   ingest.Options{Layout: ingest.LayoutRows, Targets: []string{"H1", "D9"}},
		Want:  []item{{"H1", nil}, {"", ingest.ErrMissingColumn}},
	}}
	for _, tt := range tests {
		t.Run(tt.Name, func(t *testing.T) {
			var got []item
			for s, err := range ingest.Stream(strings.NewReader(tt.Input), tt.Opt) {
				it := item{}
				if s != nil {
					it.ID = s.ID
				}
				if err != nil {
					it.Err = sentinelOf(err)
					if it.Err == nil {
						t.Errorf("%s: %v wraps no sentinel", it.ID, err)
					}
				}
				got = append(got, it)
			}
			if !reflect.DeepEqual(got, tt.Want) {
				t.Errorf("got %v, want %v", got, tt.Want)
			}
		})
	}
}

// sentinelOf returns the sentinel err wraps, or nil.
func sentinelOf(err error) error {
	for _, s := range []error{ingest.ErrMissingColumn, ingest.ErrBadNumber, ingest.ErrBadTime, ingest.ErrDuplicateTime,
		ingest.ErrUnsorted, ingest.ErrEmpty, ingest.ErrMissingValue, ingest.ErrTooMuchFill, ingest.ErrSyntax,
		ingest.ErrDuplicateID, ingest.ErrSeveralSeries, ingest.ErrBadOption, ingest.ErrRead} {
		if errors.Is(err, s) {
			return s
		}
	}
	return nil
}

// generated is a long-layout CSV of n series of m daily rows each, made as
// it is read. It can seek back to its start, as Stream needs to read a
// long source twice.
type generated struct {
	n, m   int
	row    int // the next row to make, over all series
	pos    int64
	buf    []byte
	header bool
	read   int64 // bytes read since the last seek
}

func (g *generated) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.row < g.n*g.m {
		if !g.header {
			g.buf = append(g.buf, "unit,ds,y\n"...)
			g.header = true
		}
		i, k := g.row/g.m, g.row%g.m
		day := 1 + k%28
		month := 1 + k/28%12
		year := 2000 + k/(28*12)
		// Days 1 to 28 of each month: a gap of a few days after each month's 28th.
		g.buf = fmt.Appendf(g.buf, "s%05d,%04d-%02d-%02d,%d.%d\n", i, year, month, day, k, i%10)
		g.row++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	g.pos += int64(n)
	g.read += int64(n)
	return n, nil
}

func (g *generated) Seek(off int64, whence int) (int64, error) {
	switch {
	case whence == io.SeekCurrent && off == 0:
		return g.pos, nil
	case whence == io.SeekStart && off == 0:
		g.row, g.pos, g.buf, g.header, g.read = 0, 0, nil, false, 0
		return 0, nil
	}
	return 0, errors.New("generated: seek only to the start")
}

// TestStreamHoldsOneSeries streams a long source of 2000 series and
// checks, with the garbage collected, that the heap in use while the
// series are yielded stays far below what reading it whole takes, and
// that when the first series comes out only a small part of the source
// has been read (after the pass that checks the ids).
func TestStreamHoldsOneSeries(t *testing.T) {
	const n, m = 2000, 30 // 30 days: 28 in January, 2 in February; 60000 rows
	size := func() int64 {
		g := &generated{n: n, m: m}
		k, _ := io.Copy(io.Discard, g)
		return k
	}()
	heap := func() int64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	opt := ingest.Options{ID: "unit", Target: "y", MaxFill: 1}

	base := heap()
	d, err := ingest.LoadAll(&generated{n: n, m: m}, opt)
	if err != nil {
		t.Fatal(err)
	}
	whole := heap() - base
	if len(d.Series) != n {
		t.Fatalf("LoadAll: %d series, want %d", len(d.Series), n)
	}
	d = nil

	g := &generated{n: n, m: m}
	base = heap()
	var peak int64
	count := 0
	for s, err := range ingest.Stream(g, opt) {
		if err != nil {
			t.Fatal(err)
		}
		// A 64 KB buffer of the source is read at a time.
		if count == 0 && g.read > size/10 {
			t.Errorf("first series after reading %d of %d bytes", g.read, size)
		}
		// The series of a source: s00000, s00001, …, each from January into February.
		if want := fmt.Sprintf("s%05d", count); s.ID != want || s.Time(0).Month() != 1 || s.Time(s.Len()-1).Month() != 2 {
			t.Fatalf("series %d: %s from %v to %v, want %s over January and February", count, s.ID, s.Time(0), s.Time(s.Len()-1), want)
		}
		count++
		if count%100 == 0 {
			peak = max(peak, heap()-base)
		}
	}
	if count != n {
		t.Fatalf("Stream yielded %d series, want %d", count, n)
	}
	t.Logf("source %d bytes; LoadAll keeps %d bytes; Stream peaks at %d", size, whole, peak)
	// The peak is the reader's buffers (some 200 KB) and one series; it
	// does not grow with the source.
	if peak > whole/8 || peak > size/4 {
		t.Errorf("Stream held %d bytes at its peak: want far below the %d of the source (LoadAll kept %d)", peak, size, whole)
	}
}

// TestStreamSQL streams a long table that is not ordered by id, and the
// same as a query, and wants the series of LoadSQL, one per id.
func TestStreamSQL(t *testing.T) {
	db := mustOpenDB(t,
		`CREATE TABLE obs (unit TEXT, ds TEXT, y REAL)`,
		`INSERT INTO obs VALUES ('b','2020-01-01',10), ('a','2020-01-01',1), ('b','2020-01-02',20), ('a','2020-01-02',2), ('a','2020-01-03',3)`,
		`CREATE TABLE m4 (id TEXT, V1 REAL, V2 REAL, V3 REAL)`,
		`INSERT INTO m4 VALUES ('H2',1,2,NULL), ('H1',4,5,6)`,
		`CREATE TABLE sales (store TEXT, item TEXT, ds TEXT, y REAL)`,
		`INSERT INTO sales VALUES ('a','y','2020-01-01',1), ('a','x','2020-01-01',10), ('b','x','2020-01-01',5),
			('a','y','2020-01-02',2), ('a','x','2020-01-02',20), ('b','x','2020-01-02',6)`)
	for _, opt := range []ingest.Options{
		{Table: "obs", ID: "unit", Target: "y"},
		{Query: "SELECT unit, ds, y FROM obs;", ID: "unit", Target: "y"},
		{Table: "sales", ID: "store,item", Target: "y"},
		{Query: "SELECT ds, y, store, item FROM sales", ID: "store,item", Target: "y"},
		{Table: "m4", Layout: ingest.LayoutRows},
	} {
		opt.Name = "data.sqlite"
		d, err := ingest.LoadSQL(context.Background(), db, opt)
		if err != nil {
			t.Fatal(err)
		}
		got := collect(t, ingest.StreamSQL(context.Background(), db, opt))
		// The long layout streams in id order; LoadSQL keeps the order of
		// first appearance.
		want := map[string]*ingest.Series{}
		for _, s := range d.Series {
			want[s.ID] = s
		}
		if len(got) != len(want) {
			t.Fatalf("%+v: StreamSQL gives %v, LoadSQL %v", opt, ids(got), ids(d.Series))
		}
		for _, s := range got {
			if !reflect.DeepEqual(s.Values(), want[s.ID].Values()) || !reflect.DeepEqual(s.Times(), want[s.ID].Times()) {
				t.Errorf("%+v: series %s: StreamSQL %v, LoadSQL %v", opt, s.ID, s.Values(), want[s.ID].Values())
			}
		}
		if opt.Layout != ingest.LayoutRows && !slices.IsSorted(ids(got)) {
			t.Errorf("%+v: StreamSQL order %v, want the ids in order", opt, ids(got))
		}
	}
}

// TestStreamWideInPasses streams a wide file whose targets hold more cells
// than a pass may: one target column at a time, each pass keeping only the
// time, the covariate and that column. It wants the series and notes of
// LoadAll, in the order the targets are named, a note on the passes, and
// an error in a later pass that names the line and column LoadAll names.
func TestStreamWideInPasses(t *testing.T) {
	defer ingest.SetWideCells(1)()
	var b strings.Builder
	b.WriteString("e,date,a,temp,c1,b,c2\n")
	for i := range 60 {
		day := fmt.Sprintf("2020-%02d-%02d", 1+i/28, 1+i%28)
		a := fmt.Sprint(i)
		if i == 7 {
			a = "" // filled
		}
		fmt.Fprintf(&b, "%d,%s,%s,%d,%d,%d,%d\n", 2*i, day, a, 100-i, 3*i, 4*i, 5*i)
	}
	path := filepath.Join(t.TempDir(), "wide.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := ingest.Options{Name: "wide.csv", Targets: []string{"e", "a", "c*"}, Covariates: []string{"temp"}, MaxFill: 1}
	want, err := ingest.LoadAll(strings.NewReader(b.String()), opt)
	if err != nil {
		t.Fatal(err)
	}
	stream := func(path string) ([]*ingest.Series, []string, error) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		o := opt
		var notes []string
		o.Notify = func(n string) { notes = append(notes, n) }
		var got []*ingest.Series
		for s, err := range ingest.Stream(f, o) {
			if err != nil {
				return got, notes, err
			}
			got = append(got, s)
		}
		return got, notes, nil
	}
	got, notes, err := stream(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want.Series) || !reflect.DeepEqual(ids(got), []string{"e", "a", "c1", "c2"}) {
		t.Errorf("Stream gives %v, LoadAll %v (want e, a, c1, c2, alike)", ids(got), ids(want.Series))
	}
	var passes []string
	for _, n := range notes {
		if strings.Contains(n, "passes") {
			passes = append(passes, n)
		}
	}
	if len(passes) != 1 || !strings.Contains(passes[0], "4 series read in 4 passes over the source, 1 at a time") {
		t.Errorf("notes %q: want one saying 4 series were read in 4 passes", notes)
	}
	if kept := slices.DeleteFunc(slices.Clone(notes), func(n string) bool { return strings.Contains(n, "passes") }); !reflect.DeepEqual(kept, want.Notes) {
		t.Errorf("notes %q besides the passes, LoadAll's %q", kept, want.Notes)
	}

	// A bad number in a, read in the second pass: a is yielded with the
	// error LoadAll gives (at the same line and column) and the other
	// series go on; the same whole (a file that fits, a pipe). A bad time
	// ends the stream with LoadAll's error.
	spoil := func(old, bad string) string {
		s := strings.Replace(b.String(), old, bad, 1)
		if s == b.String() {
			t.Fatal("the test's data changed: no row to spoil")
		}
		return s
	}
	type item struct {
		id  string
		err string
	}
	items := func(r io.Reader) []item {
		var out []item
		for s, err := range ingest.Stream(r, opt) {
			it := item{}
			if s != nil {
				it.id = s.ID
			}
			if err != nil {
				it.err = err.Error()
			}
			out = append(out, it)
		}
		return out
	}
	badA := spoil("\n10,2020-01-06,5,95,15,20,25\n", "\n10,2020-01-06,5x,95,15,20,25\n")
	_, errA := ingest.LoadAll(strings.NewReader(badA), opt)
	if errA == nil || !strings.Contains(errA.Error(), "wide.csv:7:3") {
		t.Fatalf("LoadAll of a spoilt a: %v, want an error at line 7, column 3", errA)
	}
	if err := os.WriteFile(path, []byte(badA), 0o644); err != nil {
		t.Fatal(err)
	}
	wantItems := []item{{"e", ""}, {"a", errA.Error()}, {"c1", ""}, {"c2", ""}}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := items(f); !reflect.DeepEqual(got, wantItems) {
		t.Errorf("spoilt a, in passes: %v, want %v", got, wantItems)
	}
	if got := items(onlyReader{strings.NewReader(badA)}); !reflect.DeepEqual(got, wantItems) {
		t.Errorf("spoilt a, from a pipe: %v, want %v", got, wantItems)
	}
	badTime := spoil("\n10,2020-01-06,", "\n10,2020-01-0x,")
	_, errT := ingest.LoadAll(strings.NewReader(badTime), opt)
	if got := items(onlyReader{strings.NewReader(badTime)}); errT == nil || !reflect.DeepEqual(got, []item{{"", errT.Error()}}) {
		t.Errorf("spoilt time: %v, want only LoadAll's error %v", got, errT)
	}
}

// TestStreamWideHoldsAPass streams a wide file of 200 series, 10 at a
// time, and wants it to hold far less at its peak than LoadAll keeps.
func TestStreamWideHoldsAPass(t *testing.T) {
	const cols, rows = 200, 3000
	var b strings.Builder
	b.WriteString("date")
	for j := range cols {
		fmt.Fprintf(&b, ",s%03d", j)
	}
	b.WriteString("\n")
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range rows {
		b.WriteString(t0.Add(time.Duration(i) * time.Hour).Format("2006-01-02 15:04"))
		for j := range cols {
			fmt.Fprintf(&b, ",%d.%d", i%97+j, i%10)
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "wide.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	heap := func() int64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	opt := ingest.Options{Target: "s*"}
	base := heap()
	d, err := ingest.LoadAll(strings.NewReader(b.String()), opt)
	if err != nil {
		t.Fatal(err)
	}
	whole := heap() - base
	if len(d.Series) != cols {
		t.Fatalf("LoadAll: %d series, want %d", len(d.Series), cols)
	}
	d = nil

	defer ingest.SetWideCells(11 * rows)() // the time and about 10 series a pass
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base = heap()
	var peak int64
	count := 0
	for s, err := range ingest.Stream(f, opt) {
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("s%03d", count); s.ID != want || len(s.Values()) != rows {
			t.Fatalf("series %d: %s of %d values, want %s of %d", count, s.ID, len(s.Values()), want, rows)
		}
		count++
		peak = max(peak, heap()-base)
	}
	if count != cols {
		t.Fatalf("%d series, want %d", count, cols)
	}
	t.Logf("LoadAll keeps %d bytes; Stream peaks at %d", whole, peak)
	if peak > whole/5 {
		t.Errorf("Stream held %d bytes at its peak: want far below the %d LoadAll keeps", peak, whole)
	}
}

// TestStreamSQLWideInPasses streams a wide table one target column at a
// time and wants LoadSQL's series, in the order named, and the error
// LoadSQL gives for a cell that is not a number; and so for a query, run
// once per pass.
func TestStreamSQLWideInPasses(t *testing.T) {
	defer ingest.SetWideCells(1)()
	stmts := []string{`CREATE TABLE w (a REAL, "the date" TEXT, temp REAL, b REAL, c REAL)`}
	for i := range 40 {
		day := time.Date(2021, 3, 1+i, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO w VALUES (%d, '%s', %d, %d, %d)`, i, day, 50-i, 2*i, 3*i))
	}
	stmts[len(stmts)-1] = `INSERT INTO w VALUES (1, '2021-04-12', 2, 3, 4)` // a gap of 2 days, filled
	db := mustOpenDB(t, stmts...)
	ctx := context.Background()
	opt := ingest.Options{Name: "data.sqlite", Table: "w", Time: "the date", Targets: []string{"c", "a", "b"}, Covariates: []string{"temp"}, MaxFill: 1}
	stream := func(opt ingest.Options) ([]*ingest.Series, []string, error) {
		var notes []string
		opt.Notify = func(n string) { notes = append(notes, n) }
		var got []*ingest.Series
		for s, err := range ingest.StreamSQL(ctx, db, opt) {
			if err != nil {
				return got, notes, err
			}
			got = append(got, s)
		}
		return got, notes, nil
	}
	want, err := ingest.LoadSQL(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	got, notes, err := stream(opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want.Series) || !reflect.DeepEqual(ids(got), []string{"c", "a", "b"}) {
		t.Errorf("StreamSQL gives %v, LoadSQL %v (want c, a, b, alike)", ids(got), ids(want.Series))
	}
	if !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, "3 series read in 3 passes") }) {
		t.Errorf("notes %q: want one on the 3 passes", notes)
	}
	q := opt
	q.Table, q.Query = "", `SELECT * FROM w WHERE a >= 0;`
	got, notes, err = stream(q)
	if err != nil || !reflect.DeepEqual(got, want.Series) || !slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, "3 series read in 3 passes") }) {
		t.Errorf("query: %v, %v, notes %q; want LoadSQL's series, in 3 passes", ids(got), err, notes)
	}
	// A cell of b that is not a number: the error LoadSQL gives, after
	// the series of the passes before.
	if _, err := db.Exec(`UPDATE w SET b = 'x' WHERE rowid = 5`); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []ingest.Options{opt, q} {
		_, wantErr := ingest.LoadSQL(ctx, db, opt)
		got, _, err = stream(opt)
		if err == nil || wantErr == nil || err.Error() != wantErr.Error() || len(got) != 2 {
			t.Errorf("%q%q, b spoilt: %d series, error %v; want 2, then LoadSQL's %v", opt.Table, opt.Query, len(got), err, wantErr)
		}
	}
}
