package ingest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"slices"
	"strings"
)

// Stream reads the series of a CSV one at a time, in the layout opt says,
// so that a source larger than memory can be worked through. It yields
// each series with a nil error. A series that cannot be read is yielded
// as a Series holding only its ID, with the error, and the stream goes
// on; an error that concerns the whole source (its syntax, a missing
// column, options that do not fit) is yielded with a nil Series and ends
// the stream. Notices go to opt.Notify.
//
// What is held in memory depends on the layout:
//
//	rows  one record at a time, and the ids seen (to report a repeated one).
//	long  one series' rows at a time, if the rows of each series are
//	      together (in any order of ids), and the ids seen. Stream first
//	      reads the id columns through to check that, then reads r again
//	      from where it was; if the rows of a series are apart, the
//	      source is read whole, as LoadAll reads it, with a notice.
//	wide  the time, the covariates and as many of the named target
//	      columns as wideCells cells allow: every series spans every row,
//	      so if the targets do not fit at once, r is read once per group
//	      of targets that does, keeping only their cells (with a notice);
//	      otherwise the whole table is read, as LoadAll reads it, and the
//	      series are yielded one at a time.
//
// A long or wide source that cannot be read twice (r is not an io.Seeker:
// a pipe) is first copied to a temporary file, which is read instead and
// removed at the end, with a notice.
//
// A streamed long source gives the series LoadAll gives, in the same
// order, except that each is read on its own: the time format is detected
// from the series' own rows, and an error in one series fails only that
// series.
func Stream(r io.Reader, opt Options) iter.Seq2[*Series, error] {
	return func(yield func(*Series, error) bool) {
		streamCSV(r, opt, yield)
	}
}

// StreamSQL reads the series of an SQLite table or query one at a time,
// as Stream reads a CSV. The rows are read from the database as they are
// needed: in the long layout ordered by the id columns (then by rowid), so
// that one series is held at a time; errors then give a query's rows by
// their position in that order. A wide table is read as Stream reads a
// wide CSV that can seek: in passes over its columns if its named targets
// hold more than wideCells cells, else whole; a wide query is then run
// once per pass, so it must give the same rows each time it runs.
func StreamSQL(ctx context.Context, db *sql.DB, opt Options) iter.Seq2[*Series, error] {
	return func(yield func(*Series, error) bool) {
		streamSQL(ctx, db, opt, yield)
	}
}

// notify passes the notes that are not empty to opt.Notify, if set.
func (opt Options) notify(notes ...string) {
	if opt.Notify == nil {
		return
	}
	for _, n := range notes {
		if n != "" {
			opt.Notify(n)
		}
	}
}

// streamPlan resolves the layout and the id columns of a source whose
// columns are those of t, as build does. The options returned name them
// explicitly; the key of the rows layout is its one id column. note is
// the notice that the layout was chosen by a column named unique_id, or
// "".
func streamPlan(t *table, opt Options) (_ Options, key idKey, note string, err error) {
	if opt.Fill == "" {
		opt.Fill = FillLinear
	}
	if _, err := ParseFill(string(opt.Fill)); err != nil {
		return opt, nil, "", err
	}
	if key, err = t.idColumns(opt.ID); err != nil {
		return opt, nil, "", err
	}
	switch opt.Layout {
	case "":
		opt.Layout = LayoutWide
		if key != nil {
			opt.Layout = LayoutLong
		} else if j := t.col("unique_id"); j >= 0 {
			opt.Layout, opt.ID, key = LayoutLong, "unique_id", idKey{j}
			note = fmt.Sprintf("%s: long layout, series told apart by the column unique_id", displayName(t.file))
		}
	case LayoutWide:
		key = nil
	case LayoutLong:
		if key == nil {
			return opt, nil, "", t.missingColumn("id", "")
		}
	case LayoutRows:
		j, err := t.rowsID(key)
		if err != nil {
			return opt, nil, "", err
		}
		key = idKey{j}
	default:
		return opt, nil, "", mark(ErrBadOption, "unknown layout %q: want wide, long or rows", opt.Layout)
	}
	return opt, key, note, nil
}

// yieldDataset yields the series of d, read whole, after its notes.
func yieldDataset(d *Dataset, opt Options, yield func(*Series, error) bool) {
	opt.notify(d.Notes...)
	for _, s := range d.Series {
		if !yield(s, nil) {
			return
		}
	}
}

func streamCSV(r io.Reader, opt Options, yield func(*Series, error) bool) {
	rs, seekable := r.(io.ReadSeeker)
	var start int64
	if seekable {
		var err error
		start, err = rs.Seek(0, io.SeekCurrent)
		seekable = err == nil
	}
	var pipe *recorder
	if !seekable {
		pipe = &recorder{r: r}
		r = pipe
	}
	src, err := openCSV(r, opt, opt.Layout == LayoutRows)
	if err != nil {
		yield(nil, err)
		return
	}
	plan, key, note, err := streamPlan(src.table(0), opt)
	if err != nil {
		yield(nil, err)
		return
	}
	if pipe != nil {
		if plan.Layout != LayoutRows {
			streamSpooled(pipe, opt, yield)
			return
		}
		pipe.stop()
	}
	switch plan.Layout {
	case LayoutWide:
		streamWide(rs, start, src, plan, yield)
		return
	case LayoutRows:
		opt.notify(src.notes...)
		streamRows(src.table(0), src.next, plan, key[0], yield)
		return
	}
	apart, err := rowsApart(src, key)
	if err != nil {
		yield(nil, err)
		return
	}
	if _, err := rs.Seek(start, io.SeekStart); err != nil {
		yield(nil, readError(opt.Name, err))
		return
	}
	if src, err = openCSV(r, opt, false); err != nil {
		yield(nil, err)
		return
	}
	next := src.next
	if apart != "" {
		// Held whole, but read series by series as if grouped, so that an
		// error in one series fails it alone, as when streamed.
		opt.notify(fmt.Sprintf("%s: read whole, not streamed: %s", displayName(opt.Name), apart))
		if next, err = grouped(src.next, key); err != nil {
			yield(nil, err)
			return
		}
	}
	opt.notify(src.notes...)
	opt.notify(note)
	proto := src.table(0)
	proto.notes = nil
	streamGroups(proto, next, plan, key, yield)
}

// grouped reads every record next gives and returns a next that gives
// them again with the rows of each id together, the ids in the order of
// their first row, each id's rows in the order read.
func grouped(next func() ([]string, int, error), key idKey) (func() ([]string, int, error), error) {
	type row struct {
		rec  []string
		line int
	}
	var ids []string
	rows := map[string][]row{}
	for {
		rec, line, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		id := key.of(rec)
		if _, ok := rows[id]; !ok {
			ids = append(ids, id)
		}
		rows[id] = append(rows[id], row{slices.Clone(rec), line}) // next may reuse rec
	}
	var all []row
	for _, id := range ids {
		all = append(all, rows[id]...)
	}
	return func() ([]string, int, error) {
		if len(all) == 0 {
			return nil, 0, io.EOF
		}
		r := all[0]
		all = all[1:]
		return r.rec, r.line, nil
	}, nil
}

// recorder reads r, keeping what it has read until it is stopped.
type recorder struct {
	r       io.Reader
	kept    bytes.Buffer
	stopped bool
}

func (rec *recorder) Read(p []byte) (int, error) {
	n, err := rec.r.Read(p)
	if !rec.stopped {
		rec.kept.Write(p[:n])
	}
	return n, err
}

// stop stops keeping what is read, and lets go of what was kept.
func (rec *recorder) stop() {
	rec.stopped, rec.kept = true, bytes.Buffer{}
}

// streamSpooled streams a long or wide source that cannot be read twice
// (a pipe), which streaming must read twice: the part pipe has kept and
// the rest are copied to a temporary file, which is streamed and then
// removed.
func streamSpooled(pipe *recorder, opt Options, yield func(*Series, error) bool) {
	f, err := os.CreateTemp("", "forecast-stream-*.csv")
	if err != nil {
		yield(nil, readError(opt.Name, fmt.Errorf("copy the input to a temporary file to stream it: %w", err)))
		return
	}
	defer os.Remove(f.Name())
	defer f.Close()
	_, err = f.Write(pipe.kept.Bytes())
	pipe.stop()
	if err == nil {
		_, err = io.Copy(f, pipe.r)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		yield(nil, readError(opt.Name, fmt.Errorf("copy the input to a temporary file to stream it: %w", err)))
		return
	}
	opt.notify(fmt.Sprintf("%s: the input cannot be read twice: copied to a temporary file to be streamed", displayName(opt.Name)))
	streamCSV(f, opt, yield)
}

// wideCells bounds the cells a streamed wide source holds at once.
var wideCells = 1 << 24

// widePasses is the plan of a wide source's columns: the time and
// covariate columns (fixed, in that order), the targets, and how many
// targets a pass over a source too large to hold reads, as wideCells
// cells allow.
type widePasses struct {
	names          []string // the source's columns
	fixed, targets []int
	times          int // of fixed, the time columns; the rest are the covariates
	perPass        int
}

// resolveWide resolves which columns of t, a table of a wide source's
// columns and at least its first row, hold the time, the covariates and
// the targets, as build does; ok is false where they cannot be told from
// the first row alone or apart: the targets are not named (a numeric
// column is a target only if all of its cells are numbers), a time
// column's name has a comma, or an error, which build reports.
func resolveWide(t *table, opt Options) (p widePasses, ok bool) {
	if opt.Target == "" && len(opt.Targets) == 0 {
		return p, false
	}
	used, explicit := map[int]bool{}, map[int]bool{}
	for _, name := range append([]string{opt.Target}, opt.Targets...) {
		if j := t.col(name); j >= 0 {
			explicit[j] = true
		}
	}
	var covs []int
	for _, name := range opt.Covariates {
		j := t.col(name)
		if j < 0 {
			return p, false
		}
		used[j] = true
		covs = append(covs, j)
	}
	timeCols, err := t.timeColumns(opt, used, explicit)
	if err != nil || len(timeCols) == 0 && !opt.NoTime && t.unixColumn(used) >= 0 { // build notes it
		return p, false
	}
	for _, j := range timeCols {
		if explicit[j] || used[j] || strings.Contains(t.names[j], ",") {
			return p, false
		}
		used[j] = true
	}
	targets, err := t.targets(opt, used, &Dataset{})
	if err != nil {
		return p, false
	}
	return widePasses{names: t.names, fixed: slices.Concat(timeCols, covs), targets: targets, times: len(timeCols)}, true
}

// planWide is resolveWide, with how many targets a pass over rows rows may
// hold; ok is false too where the source fits in one pass.
func planWide(t *table, opt Options, rows int) (p widePasses, ok bool) {
	if p, ok = resolveWide(t, opt); !ok || rows <= 0 {
		return p, false
	}
	p.perPass = max(wideCells/rows-len(p.fixed), 1)
	return p, p.perPass < len(p.targets)
}

// options are the options that build a table of the fixed columns and
// some of the targets, in that order, into those targets' series: every
// column but the time and the covariates is a target.
func (p widePasses) options(opt Options) Options {
	o := opt
	o.Target, o.Targets = "", []string{"*"}
	o.NoTime = true
	if p.times > 0 {
		names := make([]string, p.times)
		for k, j := range p.fixed[:p.times] {
			names[k] = p.names[j]
		}
		o.NoTime, o.Time = false, strings.Join(names, ",")
	}
	return o
}

// each yields the series of the targets of t one at a time, each built
// from the fixed columns and its own, after build failed on them
// together: a target whose series cannot be built is yielded with its
// error, as a Series holding only its ID, and the others go on; an error
// in a fixed column (the time, a covariate) ends the stream. It returns
// whether to go on.
func (p widePasses) each(t *table, opt Options, tell func(...string), yield func(*Series, error) bool) bool {
	o := p.options(opt)
	for _, j := range p.targets {
		d, err := build(t.project(slices.Concat(p.fixed, []int{j})), o)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && pe.ColumnName != "" && pe.ColumnName != t.names[j] {
				yield(nil, err)
				return false
			}
			if !yield(&Series{ID: t.names[j], Name: t.names[j]}, err) {
				return false
			}
			continue
		}
		tell(d.Notes...)
		if !yield(d.Series[0], nil) {
			return false
		}
	}
	return true
}

// inPass describes a table read for a pass, which holds the fixed
// columns and then the pass's targets.
func (p widePasses) inPass(t *table) widePasses {
	q := widePasses{names: t.names, times: p.times}
	for k := range t.names {
		if k < len(p.fixed) {
			q.fixed = append(q.fixed, k)
		} else {
			q.targets = append(q.targets, k)
		}
	}
	return q
}

// stream yields the series of the source in passes: read returns a table
// of the source's columns at the positions keep, in that order. notes are
// the source's notes so far.
func (p widePasses) stream(opt Options, notes []string, read func(keep []int) (*table, error), yield func(*Series, error) bool) {
	tell := opt.noter()
	tell(notes...)
	tell(fmt.Sprintf("%s: %d series read in %d passes over the source, %d at a time, to hold at most %d cells at once",
		displayName(opt.Name), len(p.targets), (len(p.targets)+p.perPass-1)/p.perPass, p.perPass, wideCells))
	for first := 0; first < len(p.targets); first += p.perPass {
		t, err := read(slices.Concat(p.fixed, p.targets[first:min(first+p.perPass, len(p.targets))]))
		if err != nil {
			yield(nil, err)
			return
		}
		q := p.inPass(t)
		d, err := build(t, q.options(opt))
		if err != nil {
			if !q.each(t, opt, tell, yield) {
				return
			}
			continue
		}
		tell(d.Notes...)
		for _, s := range d.Series {
			if !yield(s, nil) {
				return
			}
		}
	}
}

// yieldWide yields the series of t, a wide source read whole, as Stream
// does: where one target's series cannot be built, that target is yielded
// with its error and the others go on (see widePasses.each).
func yieldWide(t *table, opt Options, yield func(*Series, error) bool) {
	d, err := build(t, opt)
	if err == nil {
		yieldDataset(d, opt, yield)
		return
	}
	p, ok := resolveWide(t, opt)
	if !ok {
		yield(nil, err)
		return
	}
	p.each(t, opt, opt.noter(), yield)
}

// noter returns a notify that passes each note to opt.Notify once.
func (opt Options) noter() func(...string) {
	told := map[string]bool{}
	return func(notes ...string) {
		for _, n := range notes {
			if !told[n] {
				told[n] = true
				opt.notify(n)
			}
		}
	}
}

// streamWide streams a wide CSV that r can read again from start, whose
// header src has read: in passes over its columns if it is too large to
// hold (see planWide), else whole.
func streamWide(r io.ReadSeeker, start int64, src *csvSource, opt Options, yield func(*Series, error) bool) {
	reopen := func() (*csvSource, error) {
		if _, err := r.Seek(start, io.SeekStart); err != nil {
			return nil, readError(opt.Name, err)
		}
		return openCSV(r, opt, false)
	}
	var p widePasses
	ok := false
	rows := estimateRows(r, src.br)
	if rec, line, err := src.next(); err == nil {
		first := src.table(1)
		first.add(rec, line)
		p, ok = planWide(first, opt, rows)
	}
	if !ok {
		src, err := reopen()
		var t *table
		if err == nil {
			t, err = src.readAll(rows)
		}
		if err != nil {
			yield(nil, err)
			return
		}
		yieldWide(t, opt, yield)
		return
	}
	p.stream(opt, src.notes, func(keep []int) (*table, error) {
		src, err := reopen()
		if err != nil {
			return nil, err
		}
		return src.readColumns(keep, rows, true)
	}, yield)
}

// rowsApart reads the rest of src and says where the rows of a series are
// apart, or "" if the rows of each series are together.
func rowsApart(src *csvSource, key idKey) (string, error) {
	lastLine := map[string]int{} // id: the line of its last row
	cur := ""
	for n := 0; ; n++ {
		rec, line, err := src.next()
		if err == io.EOF {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		id := key.of(rec)
		if n > 0 && id == cur {
			lastLine[id] = line
			continue
		}
		if prev, ok := lastLine[id]; ok {
			return fmt.Sprintf("the rows of series %q are apart (lines %d and %d); sort the file by %s to stream it", id, prev, line, key.names(src.names)), nil
		}
		cur = id
		lastLine[id] = line
	}
}

// fatal reports whether an error met reading one series concerns the
// whole source.
func fatal(err error) bool {
	return errors.Is(err, ErrMissingColumn) || errors.Is(err, ErrBadOption)
}

// streamGroups reads a long source whose rows of each series are
// together, one series at a time. proto is an empty table of the source's
// columns; next returns the next record and where it was read.
func streamGroups(proto *table, next func() ([]string, int, error), opt Options, key idKey, yield func(*Series, error) bool) {
	var cur *table
	var curID string
	flush := func() bool {
		if cur == nil {
			return true
		}
		d, err := build(cur, opt)
		switch {
		case err != nil && fatal(err):
			yield(nil, err)
			return false
		case err != nil:
			return yield(&Series{ID: curID}, err)
		}
		opt.notify(d.Notes...)
		for _, s := range d.Series {
			if !yield(s, nil) {
				return false
			}
		}
		return true
	}
	for {
		rec, at, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			yield(nil, err)
			return
		}
		if id := key.of(rec); cur == nil || id != curID {
			if !flush() {
				return
			}
			cur = proto.empty()
			curID = id
		}
		cur.add(rec, at)
		if err := key.check(cur, cur.nrow-1); err != nil {
			yield(nil, err)
			return
		}
	}
	if cur == nil {
		yield(nil, proto.at(-1, -1, mark(ErrEmpty, "no rows after the header")))
		return
	}
	flush()
}

// empty returns a table of t's columns and no rows.
func (t *table) empty() *table {
	e := &table{file: t.file, names: t.names, sql: t.sql, table: t.table, repeated: t.repeated, decimalComma: t.decimalComma}
	e.cols = make([][]string, len(t.names))
	if t.sql {
		e.rowids = []int64{}
	} else {
		e.lines = []int{t.line(-1)}
	}
	return e
}

// streamRows reads a source in the rows layout one row at a time. proto is
// an empty table of the source's columns; next returns the next record and
// where it was read.
func streamRows(proto *table, next func() ([]string, int, error), opt Options, idCol int, yield func(*Series, error) bool) {
	sel, err := newRowsSelect(opt)
	if err != nil {
		yield(nil, err)
		return
	}
	empty := make([]string, 1)
	rows := 0
	for {
		rec, at, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			yield(nil, err)
			return
		}
		rows++
		// A table of the one row, its cells sliced from rec.
		t := proto.empty()
		for j := range t.cols {
			t.cols[j] = empty
			if j < len(rec) {
				t.cols[j] = rec[j : j+1 : j+1]
			}
		}
		if len(rec) != len(t.names) {
			t.width = []int{len(rec)}
		}
		t.nrow = 1
		if t.sql {
			t.rowids = append(t.rowids, int64(at))
		} else {
			t.lines = append(t.lines, at)
		}
		id := t.cols[idCol][0]
		take, err := sel.take(t, idCol, 0)
		if err != nil {
			if !yield(&Series{ID: id}, err) {
				return
			}
			continue
		}
		if !take {
			continue
		}
		d := &Dataset{}
		s, err := rowSeries(t, opt, idCol, 0, d)
		if err != nil {
			s = &Series{ID: id}
		}
		opt.notify(d.Notes...)
		if !yield(s, err) {
			return
		}
	}
	if err := sel.unmatched(proto, idCol); err != nil {
		yield(nil, err)
		return
	}
	if rows == 0 {
		yield(nil, proto.at(-1, -1, mark(ErrEmpty, "no rows after the header")))
	}
}

func streamSQL(ctx context.Context, db *sql.DB, opt Options, yield func(*Series, error) bool) {
	c, err := openSource(ctx, db, opt, nil)
	if err != nil {
		yield(nil, err)
		return
	}
	defer func() { c.close() }()
	proto := c.table()
	plan, key, note, err := streamPlan(proto, opt)
	if err != nil {
		yield(nil, err)
		return
	}
	switch plan.Layout {
	case LayoutWide:
		if p, ok := planWideSQL(ctx, db, c, opt); ok {
			p.stream(opt, nil, func(keep []int) (*table, error) {
				names := make([]string, len(keep))
				for k, j := range keep {
					names[k] = p.names[j]
				}
				c, err := openColumns(ctx, db, opt, names)
				if err != nil {
					return nil, err
				}
				defer c.close()
				return c.readAll()
			}, yield)
			return
		}
		c.close()
		if c, err = openSource(ctx, db, opt, nil); err != nil {
			yield(nil, err)
			return
		}
		t, err := c.readAll()
		if err != nil {
			yield(nil, err)
			return
		}
		yieldWide(t, opt, yield)
	case LayoutRows:
		streamRows(proto, c.next, plan, key[0], yield)
	case LayoutLong:
		c.close()
		if c, err = openSource(ctx, db, opt, key); err != nil {
			yield(nil, err)
			return
		}
		opt.notify(note)
		streamGroups(proto, c.next, plan, key, yield)
	}
}

// planWideSQL plans the passes of a wide table or query whose cursor c
// has read no row yet (see planWide), reading its first row and counting
// its rows; ok is false for columns whose names the source does not give
// as they are, and where planWide says so.
func planWideSQL(ctx context.Context, db *sql.DB, c *sqlCursor, opt Options) (widePasses, bool) {
	rec, at, err := c.next()
	if err != nil {
		return widePasses{}, false
	}
	first := c.table()
	first.add(rec, at)
	if !slices.Equal(first.names, c.raw) {
		return widePasses{}, false // named apart by headerNames: an empty or repeated name
	}
	count := "SELECT count(*) FROM " + quoteIdent(opt.Table)
	if opt.Query != "" {
		count = "SELECT count(*) FROM (" + trimQuery(opt.Query) + ")"
	}
	var rows int
	if err := db.QueryRowContext(ctx, count).Scan(&rows); err != nil {
		return widePasses{}, false
	}
	return planWide(first, opt, rows)
}
