package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// utf8BOM is the byte order mark some editors put at the start of a file.
const utf8BOM = "\ufeff"

// sniffSize is how much of the input delimiter detection looks at.
const sniffSize = 64 << 10

// table is a source read into columns of strings, with what is needed to
// locate each cell in errors.
type table struct {
	file  string
	names []string
	cols  [][]string // cols[j][i] is row i of column j
	nrow  int
	lines []int // CSV: physical line of the header, then of each row; nil: header on line 1, one row a line
	// repeated holds the names a CSV header gives more than one column,
	// which headerNames suffixes _0, _1, ….
	repeated map[string]bool
	width    []int // CSV rows layout: fields present in each row; nil: all
	// pos holds, for a table of some of a source's columns, the position
	// of each in the source (0 the first), for errors; nil: all, in order.
	pos []int
	// header holds the names of all the source's columns where the table
	// holds some of them; nil: names.
	header []string
	// seriesCols are the columns read as series, and key those of their
	// id, once chosen.
	seriesCols []int
	key        idKey

	// decimalComma says numbers may be written with a decimal comma (11,2
	// or 1.234,5): a CSV whose delimiter is not a comma, as spreadsheets
	// write them where the comma is the decimal mark.
	decimalComma bool

	sql    bool
	table  string  // SQL table, "" for a query
	rowids []int64 // SQL rowids; nil: 1-based result positions

	notes []string
}

// sourceNames returns the names of all the source's columns.
func (t *table) sourceNames() []string {
	if t.header != nil {
		return t.header
	}
	return t.names
}

// line returns the physical line of row i, -1 being the header.
func (t *table) line(i int) int {
	if t.lines == nil {
		return i + 2
	}
	return t.lines[i+1]
}

// at returns a ParseError for row i (-1: the header) and column j (-1:
// none).
func (t *table) at(i, j int, err error) error {
	pe := &ParseError{File: t.file, Err: err}
	if j >= 0 {
		pe.ColumnName = t.names[j]
	}
	if t.sql {
		pe.Table, pe.Query = t.table, t.table == ""
		if i >= 0 {
			pe.Row = int64(i + 1)
			if t.rowids != nil {
				pe.Row = t.rowids[i]
			}
		}
		return pe
	}
	if i >= -1 {
		pe.Line = t.line(i)
	}
	if j >= 0 {
		pe.Column = j + 1
		if t.pos != nil {
			pe.Column = t.pos[j] + 1
		}
	}
	return pe
}

// where names row i for messages: "line 7" or "row 7".
func (t *table) where(i int) string {
	if t.sql {
		r := int64(i + 1)
		if t.rowids != nil {
			r = t.rowids[i]
		}
		return fmt.Sprintf("row %d", r)
	}
	return fmt.Sprintf("line %d", t.line(i))
}

// col returns the index of the column called name, or -1.
func (t *table) col(name string) int {
	for j, n := range t.names {
		if n == name {
			return j
		}
	}
	return -1
}

// missingColumn is the error for a column that is not there.
func (t *table) missingColumn(role, name string) error {
	quoted := make([]string, len(t.names))
	for j, n := range t.names {
		quoted[j] = strconv.Quote(n)
	}
	msg := fmt.Sprintf("no %s column %q", role, name)
	if name == "" {
		msg = fmt.Sprintf("no %s column given", role)
	}
	// A name the header repeats was renamed name_0, name_1, … (see
	// headerNames): say so, or the message names columns the file lacks.
	var renamed []string
	for j, n := range t.names {
		if t.repeated[name] && n == fmt.Sprintf("%s_%d", name, len(renamed)) {
			renamed = append(renamed, fmt.Sprintf("%s (column %d)", quoted[j], j+1))
		}
	}
	if len(renamed) > 1 {
		return t.at(-1, -1, mark(ErrMissingColumn, "the header names %d columns %q, read as %s: name one of those", len(renamed), name, strings.Join(renamed, ", ")))
	}
	return t.at(-1, -1, mark(ErrMissingColumn, "%s; the columns are %s", msg, strings.Join(quoted, ", ")))
}

// csvSource reads the records of a CSV one at a time, after its header.
type csvSource struct {
	file     string
	cr       *csv.Reader
	br       *bufio.Reader
	names    []string
	header   int // physical line of the header; 0 without one
	noHeader bool
	ragged   bool     // records may have fewer fields than the header
	pending  []string // without a header: the first record, not yet returned
	pendLine int      // its line
	notes    []string // the delimiter detected
	repeated map[string]bool
}

// excelSepLine reads the line "sep=X" (quoted or not) that Excel writes
// first in a CSV to name its delimiter X, if br starts with one, and
// returns X; the line's end is left, an empty line that encoding/csv
// skips, so that lines keep their numbers. It returns 0 for other
// input.
func excelSepLine(br *bufio.Reader) (rune, error) {
	head, _ := br.Peek(16)
	line, _, found := bytes.Cut(head, []byte{'\n'})
	if !found {
		line, _, found = bytes.Cut(head, []byte{'\r'})
	}
	text := strings.Trim(strings.TrimRight(string(line), "\r"), `"`)
	rest, ok := strings.CutPrefix(strings.ToLower(text), "sep=")
	if !found || !ok || utf8.RuneCountInString(rest) != 1 {
		return 0, nil
	}
	sep, _ := utf8.DecodeRuneInString(rest)
	if sep == '"' || sep == '\r' || sep == '\n' || sep == utf8.RuneError {
		return 0, nil
	}
	_, err := br.Discard(len(strings.TrimRight(string(line), "\r")))
	return sep, err
}

// openCSV starts reading a CSV: it drops a byte order mark, detects the
// delimiter and reads the header (or, with NoHeader, names the columns by
// the first record). With ragged, records may have fewer fields than the
// header (the rows layout).
func openCSV(r io.Reader, opt Options, ragged bool) (*csvSource, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	if b, err := br.Peek(2); err == nil && (b[0] == 0xff && b[1] == 0xfe || b[0] == 0xfe && b[1] == 0xff) {
		// Excel's "Unicode text" and PowerShell's default: every other
		// byte a NUL, read as one field a line.
		return nil, &ParseError{File: opt.Name, Line: 1, Err: mark(ErrSyntax, "the file is UTF-16 (its byte order mark): save it as UTF-8 (Excel: CSV UTF-8)")}
	}
	if b, err := br.Peek(len(utf8BOM)); err == nil && string(b) == utf8BOM {
		if _, err := br.Discard(len(utf8BOM)); err != nil {
			return nil, readError(opt.Name, err)
		}
	}
	src := &csvSource{file: opt.Name, br: br, noHeader: opt.NoHeader, ragged: ragged}
	sepLine, err := excelSepLine(br)
	if err != nil {
		return nil, readError(opt.Name, err)
	}
	if sepLine != 0 && opt.Comma == 0 {
		opt.Comma = sepLine
		src.notes = append(src.notes, fmt.Sprintf("%s: delimiter %s, as its first line (sep=) says", displayName(opt.Name), delimiterName(sepLine)))
	}
	var in io.Reader = br
	sample, _ := br.Peek(sniffSize)
	if bytes.IndexByte(sample, '\r') >= 0 && bytes.IndexByte(sample, '\n') < 0 {
		// Lines ended by a carriage return alone (Excel for Mac's "CSV
		// (Macintosh)"), which encoding/csv reads as one line.
		in, sample = crLines{br}, bytes.ReplaceAll(sample, []byte{'\r'}, []byte{'\n'})
		src.notes = append(src.notes, fmt.Sprintf("%s: lines end in a carriage return alone, read as line ends", displayName(opt.Name)))
	}
	cr := csv.NewReader(in)
	cr.Comma = opt.Comma
	if cr.Comma == 0 {
		cr.Comma = sniffDelimiter(sample)
		if cr.Comma != ',' {
			src.notes = append(src.notes, fmt.Sprintf("%s: delimiter %s detected", displayName(opt.Name), delimiterName(cr.Comma)))
		}
	}
	cr.FieldsPerRecord = -1 // checked by next, with a clearer message
	cr.ReuseRecord = true
	src.cr = cr
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{File: opt.Name, Err: mark(ErrEmpty, "empty input: want a header and at least 2 rows")}
	}
	if err != nil {
		return nil, csvError(opt.Name, err)
	}
	src.names = headerNames(rec, opt.NoHeader)
	if !opt.NoHeader {
		src.repeated = repeatedNames(rec)
	}
	line, _ := cr.FieldPos(0)
	if opt.NoHeader {
		src.pending, src.pendLine = slices.Clone(rec), line
	} else {
		src.header = line
	}
	return src, nil
}

// crLines reads r with every carriage return as a line feed.
type crLines struct{ r io.Reader }

func (c crLines) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// next returns the next record and its physical line, or io.EOF. The
// record is valid until the following call.
func (src *csvSource) next() ([]string, int, error) {
	if rec := src.pending; rec != nil {
		src.pending = nil
		return rec, src.pendLine, nil
	}
	rec, err := src.cr.Read()
	if err == io.EOF {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, csvError(src.file, err)
	}
	line, _ := src.cr.FieldPos(0)
	if len(rec) != len(src.names) && (!src.ragged || len(rec) > len(src.names)) {
		what := "the header has"
		if src.noHeader {
			what = "the first row has"
		}
		return nil, 0, &ParseError{File: src.file, Line: line,
			Err: mark(ErrSyntax, "%w: got %d, %s %d", csv.ErrFieldCount, len(rec), what, len(src.names))}
	}
	return rec, line, nil
}

// table returns an empty table of the source's columns, to which rows are
// added.
func (src *csvSource) table(rowsHint int) *table {
	t := &table{file: src.file, names: src.names, notes: src.notes, repeated: src.repeated, decimalComma: src.cr.Comma != ','}
	t.cols = make([][]string, len(src.names))
	for j := range t.cols {
		t.cols[j] = make([]string, 0, rowsHint)
	}
	t.lines = make([]int, 1, rowsHint+1)
	t.lines[0] = src.header
	return t
}

// add appends a record to t, padding a short one with empty fields. at is
// where it was read: its line in a CSV, its row in SQLite.
func (t *table) add(rec []string, at int) {
	if len(rec) != len(t.names) && t.width == nil {
		t.width = make([]int, t.nrow, t.nrow+1)
		for i := range t.width {
			t.width[i] = len(t.names)
		}
	}
	if t.width != nil {
		t.width = append(t.width, len(rec))
	}
	for j := range t.cols {
		v := ""
		if j < len(rec) {
			v = rec[j]
		}
		t.cols[j] = grow(t.cols[j])
		t.cols[j] = append(t.cols[j], v)
	}
	if t.sql {
		t.rowids = append(t.rowids, int64(at))
	} else {
		t.lines = grow(t.lines)
		t.lines = append(t.lines, at)
	}
	t.nrow++
}

// readAll reads the remaining records into a table.
func (src *csvSource) readAll(rowsHint int) (*table, error) {
	t := src.table(rowsHint)
	for {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		t.add(rec, line)
	}
	if t.nrow == 0 {
		return nil, &ParseError{File: src.file, Err: mark(ErrEmpty, "no rows after the header")}
	}
	return t, nil
}

// project returns a view of t holding its columns at positions keep, in
// that order; errors locate cells as in t.
func (t *table) project(keep []int) *table {
	v := *t
	v.header = t.sourceNames()
	v.names, v.cols, v.pos = make([]string, len(keep)), make([][]string, len(keep)), make([]int, len(keep))
	for k, j := range keep {
		v.names[k], v.cols[k], v.pos[k] = t.names[j], t.cols[j], j
		if t.pos != nil {
			v.pos[k] = t.pos[j]
		}
	}
	return &v
}

// readColumns reads the remaining records into a table of the columns of
// the source at positions keep, in that order. With clone their fields are
// copied, so that the rest of each record is not held; else they share the
// record's memory, as readAll's do.
func (src *csvSource) readColumns(keep []int, rowsHint int, clone bool) (*table, error) {
	t := &table{file: src.file, names: make([]string, len(keep)), pos: keep, header: src.names, cols: make([][]string, len(keep)), notes: src.notes, repeated: src.repeated,
		decimalComma: src.cr.Comma != ','}
	for k, j := range keep {
		t.names[k] = src.names[j]
		t.cols[k] = make([]string, 0, rowsHint)
	}
	t.lines = make([]int, 1, rowsHint+1)
	t.lines[0] = src.header
	for {
		rec, line, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		for k, j := range keep {
			v := rec[j]
			if clone {
				v = strings.Clone(v)
			}
			t.cols[k] = grow(t.cols[k])
			t.cols[k] = append(t.cols[k], v)
		}
		t.lines = grow(t.lines)
		t.lines = append(t.lines, line)
		t.nrow++
	}
	if t.nrow == 0 {
		return nil, &ParseError{File: src.file, Err: mark(ErrEmpty, "no rows after the header")}
	}
	return t, nil
}

// readCSV reads a CSV into a table. With ragged, rows may have fewer fields
// than the header (the rows layout); they are padded with empty fields.
func readCSV(r io.Reader, opt Options, ragged bool) (*table, error) {
	src, err := openCSV(r, opt, ragged)
	if err != nil {
		return nil, err
	}
	return src.readAll(estimateRows(r, src.br))
}

// readUsed reads a CSV into a table for build under opt. In the wide
// layout with its targets named (not by patterns) and no id column, the
// columns build reads (the time, the covariates and the targets) are told
// from the header and the first record as build tells them (resolveWide),
// and the table holds those alone, in their order in the file, so that
// build's choices on it are those it makes on the whole file; else it
// holds every column.
func readUsed(r io.Reader, opt Options, ragged bool) (*table, error) {
	src, err := openCSV(r, opt, ragged)
	if err != nil {
		return nil, err
	}
	rows := estimateRows(r, src.br)
	patterns := slices.ContainsFunc(append([]string{opt.Target}, opt.Targets...), func(name string) bool { return strings.ContainsAny(name, "*?[") })
	if ragged || patterns || opt.ID != "" || opt.Layout != "" && opt.Layout != LayoutWide {
		return src.readAll(rows)
	}
	rec, line, err := src.next()
	switch {
	case err == io.EOF:
		return src.readAll(rows) // which says there is no row
	case err != nil:
		return nil, err
	}
	src.pending, src.pendLine = slices.Clone(rec), line
	first := src.table(1)
	first.add(src.pending, line)
	p, ok := resolveWide(first, opt)
	if !ok || opt.Layout == "" && first.col("unique_id") >= 0 {
		return src.readAll(rows)
	}
	keep := slices.Concat(p.fixed, p.targets)
	slices.Sort(keep)
	if len(keep) == len(src.names) {
		return src.readAll(rows)
	}
	return src.readColumns(keep, rows, false)
}

// estimateRows guesses the number of records of r from its size, if it
// tells it, and the line lengths at the start of br; 0 if unknown. It is a
// capacity hint: 10 % more than the guess.
func estimateRows(r io.Reader, br *bufio.Reader) int {
	var size int64
	switch x := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader
		size = int64(x.Len())
	case interface{ Stat() (fs.FileInfo, error) }: // os.File
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	sample, _ := br.Peek(sniffSize)
	lines := bytes.Count(sample, []byte{'\n'})
	if size <= 0 || lines < 2 {
		return 0
	}
	perLine := float64(len(sample)) / float64(lines)
	return int(float64(size)/perLine*1.1) + 16
}

// grow makes room for one more element, doubling the capacity when full
// (append grows large slices by only a quarter, and so allocates five
// times their final size along the way).
func grow[T any](s []T) []T {
	if len(s) < cap(s) {
		return s
	}
	n := make([]T, len(s), 2*cap(s)+16)
	copy(n, s)
	return n
}

// headerNames trims the header's names; an empty name becomes X0, X1, …
// (by position) and a repeated one gets the suffixes _0, _1, … (gota's
// rule). Without a header the columns are named 1, 2, … .
func headerNames(rec []string, noHeader bool) []string {
	names := make([]string, len(rec))
	if noHeader {
		for j := range names {
			names[j] = strconv.Itoa(j + 1)
		}
		return names
	}
	count := map[string]int{}
	for j, v := range rec {
		names[j] = strings.TrimSpace(v)
		if names[j] == "" {
			names[j] = fmt.Sprintf("X%d", j)
		}
		count[names[j]]++
	}
	seen := map[string]int{}
	for j, n := range names {
		if count[n] > 1 {
			names[j] = fmt.Sprintf("%s_%d", n, seen[n])
			seen[n]++
		}
	}
	return names
}

// repeatedNames returns the names, trimmed, that the header rec gives more
// than one column.
func repeatedNames(rec []string) map[string]bool {
	count := map[string]int{}
	for _, v := range rec {
		count[strings.TrimSpace(v)]++
	}
	repeated := map[string]bool{}
	for n, k := range count {
		if k > 1 {
			repeated[n] = true
		}
	}
	return repeated
}

// sniffDelimiter picks the delimiter of a CSV from its first records: the
// one of , ; tab | that occurs the same non-zero number of times outside
// quotes in every complete record of the sample, the most frequent if
// several do, ',' if none does.
func sniffDelimiter(sample []byte) rune {
	cands := []byte{',', ';', '\t', '|'}
	var records [][4]int
	var cur [4]int
	inQuote, nonEmpty := false, false
scan:
	for _, c := range sample {
		switch {
		case c == '"':
			inQuote = !inQuote
			nonEmpty = true
		case inQuote:
		case c == '\n':
			if nonEmpty {
				records = append(records, cur)
			}
			cur, nonEmpty = [4]int{}, false
			if len(records) == 50 {
				break scan
			}
		case c == '\r':
		default:
			nonEmpty = true
			for k, d := range cands {
				if c == d {
					cur[k]++
				}
			}
		}
	}
	if nonEmpty && len(sample) < sniffSize && !inQuote {
		records = append(records, cur) // the last record has no line end
	}
	best, bestCount := ',', 0
	for k, d := range cands {
		if len(records) == 0 || records[0][k] == 0 {
			continue
		}
		same := true
		for _, rec := range records {
			same = same && rec[k] == records[0][k]
		}
		if same && records[0][k] > bestCount {
			best, bestCount = rune(d), records[0][k]
		}
	}
	return best
}

func delimiterName(r rune) string {
	if r == '\t' {
		return "tab"
	}
	return strconv.QuoteRune(r)
}

// csvError turns an error from encoding/csv into one that names the input.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return readError(name, err)
	}
	cause := mark(ErrSyntax, "%w at byte %d", pe.Err, pe.Column)
	if pe.StartLine != pe.Line {
		cause = mark(ErrSyntax, "%w at byte %d, in the record that starts on line %d", pe.Err, pe.Column, pe.StartLine)
	}
	return &ParseError{File: name, Line: pe.Line, Err: cause}
}

// ReadCSV reads a CSV into a DataFrame whose columns are all strings,
// exactly as written apart from the quoting. It checks the CSV syntax and
// that every record has as many fields as the header; the columns
// themselves are checked by ToSeries.
func ReadCSV(r io.Reader, opt Options) (dataframe.DataFrame, error) {
	t, err := readCSV(r, opt, false)
	if err != nil {
		return dataframe.DataFrame{Err: err}, err
	}
	return t.frame(), nil
}

// frame returns the table as a gota DataFrame of strings.
func (t *table) frame() dataframe.DataFrame {
	cols := make([]series.Series, len(t.names))
	for j, name := range t.names {
		cols[j] = series.New(t.cols[j], series.String, name)
	}
	return dataframe.New(cols...)
}

// fromFrame is the table of a DataFrame; rows are taken to be one a line
// after a header on line 1.
func fromFrame(df dataframe.DataFrame, name string) *table {
	t := &table{file: name, names: df.Names(), nrow: df.Nrow()}
	t.cols = make([][]string, len(t.names))
	for j, n := range t.names {
		t.cols[j] = df.Col(n).Records()
	}
	return t
}

// ToSeries validates a DataFrame read by ReadCSV and returns its target
// series, as Load does. Line numbers in its errors assume the header is on
// line 1 and every row on the next line; Load knows the real lines.
func ToSeries(df dataframe.DataFrame, opt Options) (*Series, error) {
	if df.Err != nil {
		return nil, readError(opt.Name, df.Err)
	}
	if df.Nrow() < 2 {
		return nil, &ParseError{File: opt.Name, Err: mark(ErrEmpty, "want at least 2 rows, got %d", df.Nrow())}
	}
	t := fromFrame(df, opt.Name)
	if opt.Target == "" && len(opt.Targets) == 0 && opt.Layout != LayoutRows {
		return nil, t.missingColumn("target", "")
	}
	d, err := build(t, opt)
	if err != nil {
		return nil, err
	}
	return d.single(opt)
}
