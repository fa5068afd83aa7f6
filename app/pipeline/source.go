package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/ingest"
)

// Source is a data source as a command reads it: fit, backtest, predict,
// actuals and inspect fill one from their flags and read it with Load,
// Series or AllSeries.
type Source struct {
	// Path names the source as messages show it: a CSV file, "-" for
	// Stdin, or with Settings.SQLite the database and, after a colon, its
	// table or "query".
	Path     string
	Settings SourceSettings // how to read it: the source flags but --series
	// Only is the ID of the one series wanted (--series); "" takes every
	// series, or with Series the only one.
	Only string
	// SeriesID is the ID the one series read is stored under
	// (--series-id); "" stores each series under the source's stem and
	// its ID in the source (see StoredID).
	SeriesID string
	// SourceName is the name the stored ids of its series start with
	// (--source-name), SOURCENAME/ID; "" for the source's stem.
	SourceName string
	Command    string       // the command that reads the source, as messages name it
	Stdin      io.Reader    // read for the Path "-"
	Notify     func(string) // told each notice (delimiter detected, rows sorted, values filled); nil drops them
	// FillAll reads series however much of them filling invents, above
	// Settings.MaxFill too, as inspect does to show how much that is.
	FillAll bool
	// SingleRow reads a series of one row too (see ingest.Options), as
	// actuals reads an observation.
	SingleRow bool
	// SkipMissing leaves out the rows of a series without a value (see
	// ingest.Options), as actuals records only the values observed.
	SkipMissing bool
}

// Options checks the settings of src and turns them into the ingest
// options of its path.
func (src Source) Options() (ingest.Options, error) {
	return src.Settings.Options(src.Path)
}

// readOptions are the options src is read with: Options, with FillAll,
// SingleRow and SkipMissing.
func (src Source) readOptions() (ingest.Options, error) {
	opt, err := src.Options()
	if src.FillAll {
		opt.MaxFill = 1
	}
	opt.SingleRow, opt.SkipMissing, opt.NotesOf = src.SingleRow, src.SkipMissing, src.Only
	return opt, err
}

// Load reads every series of src and tells Notify its notices.
func (src Source) Load(ctx context.Context) (*ingest.Dataset, error) {
	opt, err := src.readOptions()
	if err != nil {
		return nil, err
	}
	var d *ingest.Dataset
	if opt.Table != "" || opt.Query != "" {
		d, err = loadSQLite(ctx, opt)
	} else {
		var r io.ReadCloser
		if r, err = src.open(); err != nil {
			return nil, err
		}
		defer r.Close()
		d, err = ingest.LoadAll(r, opt)
	}
	if err != nil {
		return nil, err
	}
	for _, n := range d.Notes {
		src.notify(n)
	}
	return d, nil
}

// loadSQLite reads a source from an SQLite database, opened read-only.
func loadSQLite(ctx context.Context, opt ingest.Options) (*ingest.Dataset, error) {
	db, err := OpenSQLite(opt.Name)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return ingest.LoadSQL(ctx, db, opt)
}

// Series reads the one series a command works on: the source's only
// series, or the one Only names.
func (src Source) Series(ctx context.Context) (*ingest.Series, error) {
	if err := src.CheckSeriesID(1); err != nil {
		return nil, err
	}
	if src.Only != "" {
		named := src.targetOfSeries()
		s, err := named.pick(ctx)
		if err != nil && named.Settings.Target != src.Settings.Target && errors.Is(err, ingest.ErrMissingColumn) {
			// --series named a column that is not there: say so in its
			// terms, and how a long file's series are named.
			return nil, usagef("--series %q: without --target it names a column, and %v; a file of one row per series and time needs --id, the column naming its series", src.Only, err)
		}
		return s, err
	}
	d, err := src.loadTarget(ctx)
	if err != nil {
		return nil, err
	}
	if len(d.Series) > 1 {
		return nil, usagef("%s holds %d series (%s): %s works on one; pick it with --series ID (forecast inspect lists them)",
			src.Path, len(d.Series), seriesIDs(d.Series, 3), src.Command)
	}
	return d.Series[0], nil
}

// AllSeries reads the series a training command works on: the one Only
// names, or every series of the source.
func (src Source) AllSeries(ctx context.Context) ([]*ingest.Series, error) {
	if src.Only != "" {
		s, err := src.Series(ctx)
		if err != nil {
			return nil, err
		}
		return []*ingest.Series{s}, nil
	}
	d, err := src.loadTarget(ctx)
	if err != nil {
		return nil, err
	}
	if err := src.CheckSeriesID(len(d.Series)); err != nil {
		return nil, err
	}
	return d.Series, nil
}

// Select returns the series of d that src wants: the one Only names, or
// all of them.
func (src Source) Select(d *ingest.Dataset) ([]*ingest.Series, error) {
	if src.Only == "" {
		return d.Series, nil
	}
	s := d.Find(src.Only)
	if s == nil {
		return nil, src.noSuchSeries(d.Series)
	}
	return []*ingest.Series{s}, nil
}

// CheckSeriesID checks SeriesID, which names one series, against the n
// series read from the source.
func (src Source) CheckSeriesID(n int) error {
	switch {
	case src.SeriesID == "":
		return nil
	case !IsSeriesID(src.SeriesID):
		return usagef("--series-id %q: %s", src.SeriesID, SeriesIDWant)
	case n > 1:
		return usagef("--series-id %q names one series, but %s holds %d: pick one with --series", src.SeriesID, src.Path, n)
	}
	return nil
}

// StoredID is the ID series s of src is stored under in forecasts and
// actuals: SeriesID if given, else SourceName or the source's stem, and
// the series' ID in the source, e.g. "shop_a/sales" (see SourceStem and
// SeriesName).
func (src Source) StoredID(s *ingest.Series) string {
	if src.SeriesID != "" {
		return src.SeriesID
	}
	stem := src.SourceName
	if stem == "" {
		stem = SourceStem(src.Path, string(src.Settings.SQLite), string(src.Settings.Table))
	}
	return stem + "/" + SeriesName(s)
}

// StoredIDs maps the names series have in src (SeriesName) to the IDs
// they are stored under (StoredID).
func (src Source) StoredIDs(series []*ingest.Series) map[string]string {
	ids := make(map[string]string, len(series))
	for _, s := range series {
		ids[SeriesName(s)] = src.StoredID(s)
	}
	return ids
}

// targetOfSeries gives the series Only names a target where none is set:
// in the wide layout the column of that name, in the long one (--id) its
// one column of numbers, as Load reads it; the rows layout needs none.
func (src Source) targetOfSeries() Source {
	if src.Settings.Target == "" && src.Settings.ID == "" && src.Settings.Layout != FlagText(ingest.LayoutRows) {
		src.Settings.Target = FlagText(src.Only)
	}
	return src
}

// loadTarget loads the source (see Load). Without a target, a file whose
// one column of numbers is the series (fit data.csv) is read so, with a
// note; one of several such columns asks for --target, naming them. A
// long layout's one column of numbers is its target, as Load reads it.
func (src Source) loadTarget(ctx context.Context) (*ingest.Dataset, error) {
	d, err := src.Load(ctx)
	if err != nil || src.Settings.Target != "" || src.Settings.Layout == FlagText(ingest.LayoutRows) || src.Settings.ID != "" {
		return d, err
	}
	if len(d.Series) > 1 {
		return nil, usagef("Required flag \"target\" not set: %s holds %d columns of numbers (%s): name the one to forecast with --target",
			src.Path, len(d.Series), seriesIDs(d.Series, 3))
	}
	src.notify(fmt.Sprintf("%s: target %q, its one column of numbers", src.Path, d.Series[0].Name))
	return d, nil
}

// pick reads the series Only names, streaming the source (ingest.Stream):
// only that series is kept, though every series must read, as with Load,
// but those Load leaves out (ingest.SeriesLeftOut).
func (src Source) pick(ctx context.Context) (*ingest.Series, error) {
	opt, err := src.readOptions()
	if err != nil {
		return nil, err
	}
	opt.Notify = src.notify
	var seq iter.Seq2[*ingest.Series, error]
	if opt.Table != "" || opt.Query != "" {
		db, err := OpenSQLite(opt.Name)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		seq = ingest.StreamSQL(ctx, db, opt)
	} else {
		r, err := src.open()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		seq = ingest.Stream(r, opt)
	}
	var found *ingest.Series
	var seen []*ingest.Series // the first ones, for the message
	for s, err := range seq {
		if err != nil && (s == nil || s.ID == src.Only || !ingest.SeriesLeftOut(err)) {
			return nil, err
		}
		if len(seen) <= 5 { // one left out is named too: it is there
			seen = append(seen, &ingest.Series{ID: s.ID})
		}
		if err == nil && s.ID == src.Only && found == nil {
			found = s
		}
	}
	if found == nil {
		return nil, src.noSuchSeries(seen)
	}
	return found, nil
}

// noSuchSeries is the error for an Only that none of series has.
func (src Source) noSuchSeries(series []*ingest.Series) error {
	return usagef("--series %q: %s holds no such series; it holds %s", src.Only, src.Path, seriesIDs(series, 5))
}

// notify tells Notify the notice n, if there is a Notify.
func (src Source) notify(n string) {
	if src.Notify != nil {
		src.Notify(n)
	}
}

// open opens the CSV of src, or Stdin for "-".
func (src Source) open() (io.ReadCloser, error) {
	if src.Path == "-" {
		return io.NopCloser(src.Stdin), nil
	}
	if err := CheckInput(src.Path); err != nil {
		return nil, err
	}
	f, err := os.Open(src.Path)
	if err != nil {
		return nil, InputError(src.Path, err)
	}
	return f, nil
}

// seriesIDs lists the quoted IDs of the first n of series, and "…" if
// there are more.
func seriesIDs(series []*ingest.Series, n int) string {
	ids := make([]string, 0, n+1)
	for _, s := range series[:min(n, len(series))] {
		ids = append(ids, strconv.Quote(s.ID))
	}
	if len(series) > n {
		ids = append(ids, "…")
	}
	return strings.Join(ids, ", ")
}
