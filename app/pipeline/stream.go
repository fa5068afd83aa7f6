package pipeline

import (
	"cmp"
	"context"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// seriesItem is one series of a job's source, or the error that kept it
// from being read.
type seriesItem struct {
	s     *ingest.Series
	id    string // the series' id, as stored
	local string // its id in its source file or table
	err   error
}

// cutoff is the data cut-off of the item's series.
func (it seriesItem) cutoff() string {
	var last time.Time
	if n := it.s.Len(); it.s.Timed() && n > 0 {
		last = it.s.Time(n - 1)
	}
	return store.Cutoff(last, it.s.Len())
}

// streamSeries reads the series of the job's source in the shard of opt
// and passes them to emit, one at a time, until emit returns false or ctx
// ends. A series that cannot be read is passed with its error. The source
// is read by ingest.Stream or ingest.StreamSQL, so memory stays bounded
// for a glob of files (one file at a time) and, within a file, a pipe or
// a database, in every layout (see ingest.Stream). The error is for a
// source that cannot be read at all, or whose reading broke off.
func streamSeries(ctx context.Context, j *Job, opt BatchOptions, emit func(seriesItem) bool) error {
	if j.SeriesIn == nil {
		return streamAll(ctx, j, opt, emit)
	}
	// A series the job names that the source does not hold is an error,
	// as fit's --series is, once the source has been read to its end.
	seen, held := map[string]bool{}, []string{}
	stopped := false
	err := streamAll(ctx, j, opt, func(it seriesItem) bool {
		if !emit(it) {
			stopped = true
		}
		return !stopped
	}, func(id string) {
		if j.SeriesIn[id] {
			seen[id] = true
		} else if len(held) < 5 {
			held = append(held, strconv.Quote(id))
		}
	})
	if err != nil || stopped || ctx.Err() != nil {
		return err
	}
	var missing []string
	for id := range j.SeriesIn {
		if !seen[id] {
			missing = append(missing, strconv.Quote(id))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	others := "no other"
	if len(held) > 0 {
		others = strings.Join(held, ", ")
	}
	return usagef("source %s holds no series %s (named by the job's series); it holds %s", j.Path, strings.Join(missing, ", "), others)
}

// streamAll is streamSeries without the check of the job's series: each
// id the source holds is passed to each of saw, in the shard or not.
func streamAll(ctx context.Context, j *Job, opt BatchOptions, emit func(seriesItem) bool, saw ...func(id string)) error {
	keep := func(id string) bool {
		for _, f := range saw {
			f(id)
		}
		return (j.SeriesIn == nil || j.SeriesIn[id]) && opt.InShard(id)
	}
	// Each series is stored under its source (the file, of a glob each
	// file) and its id in the source, as fit stores it, or under the job's
	// series-id. s.ID, which the model knows a series by, and the ids keep
	// matches stay as they were.
	stem := SourceStem(j.Path, "", "")
	switch {
	case j.SourceName != "":
		stem = j.SourceName
	case j.Source.Table != "" || j.Source.Query != "":
		stem = SourceStem(j.Path, j.Source.Name, j.Source.Table)
	}
	var first string // with series-id: the series it names
	var several error
	emitStored := func(it seriesItem, id string) bool {
		it.id = id
		if j.SeriesID != "" {
			if first != "" {
				// Every series would be stored under the one id: the job is
				// at fault, not a series.
				several = usagef("series-id %q names one series, but source %s holds more (%q and %q at least): pick one with series, or leave series-id out",
					j.SeriesID, j.Path, first, id)
				return false
			}
			first, it.id = id, j.SeriesID
		}
		return emit(it)
	}
	if err := streamSource(ctx, j, stem, keep, emitStored); err != nil || several != nil {
		return cmp.Or(several, err)
	}
	return nil
}

// streamSource streams the series of the job's source that keep wants to
// emit, each with the id it is stored under (see streamAll).
func streamSource(ctx context.Context, j *Job, stem string, keep func(string) bool, emitStored func(seriesItem, string) bool) error {
	storedUnder := func(source string) func(seriesItem) bool {
		return func(it seriesItem) bool { return emitStored(it, source+"/"+it.local) }
	}
	opt0 := j.Source
	switch {
	case opt0.Table != "" || opt0.Query != "":
		db, err := OpenSQLite(opt0.Name)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = sendSeries(ctx, ingest.StreamSQL(ctx, db, opt0), "", keep, storedUnder(stem))
		return err
	case j.Glob:
		files, err := filepath.Glob(j.Path)
		if err != nil {
			return usagef("source path %q: %v", j.Path, err)
		}
		if len(files) == 0 {
			return usagef("source path %q matches no file", j.Path)
		}
		sort.Strings(files)
		for _, f := range files {
			prefix := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
			o := opt0
			o.Name = f
			more, err := streamFile(ctx, f, o, prefix, keep, storedUnder(prefix))
			if err != nil {
				if keep(prefix) && !emitStored(seriesItem{err: err}, prefix) {
					return nil
				}
				continue
			}
			if !more {
				return nil
			}
		}
		return nil
	}
	_, err := streamFile(ctx, j.Path, opt0, "", keep, storedUnder(stem))
	return err
}

// streamFile streams the series of a CSV file to emit, as sendSeries does.
func streamFile(ctx context.Context, path string, opt ingest.Options, prefix string, keep func(string) bool, emit func(seriesItem) bool) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, usagef("cannot read data: %v", err)
	}
	defer f.Close()
	return sendSeries(ctx, ingest.Stream(f, opt), prefix, keep, emit)
}

// sendSeries passes the series of seq that keep wants to emit, and those
// that cannot be read with their errors. With a prefix (the file of a
// glob) a series is called prefix, or prefix/ID if the file holds several.
// It returns whether to go on (emit did not refuse and ctx has not ended),
// and the error that ended seq early.
func sendSeries(ctx context.Context, seq iter.Seq2[*ingest.Series, error], prefix string, keep func(string) bool, emit func(seriesItem) bool) (bool, error) {
	var first *seriesItem // with a prefix: the first series, held until it is known whether a second comes
	send := func(it seriesItem, several bool) bool {
		it.local, it.id = it.s.ID, it.s.ID
		if prefix != "" {
			it.id = prefix
			if several {
				it.id = prefix + "/" + it.s.ID
			}
		}
		if it.err == nil {
			it.s.ID = it.id
		} else {
			it.s = nil
		}
		if !keep(it.id) {
			return true
		}
		return ctx.Err() == nil && emit(it)
	}
	for s, err := range seq {
		if s == nil {
			return false, err
		}
		s.ID = SeriesName(s)
		it := seriesItem{s: s, err: err}
		switch {
		case prefix == "":
			if !send(it, false) {
				return false, nil
			}
		case first == nil:
			first = &it
		default:
			if first.s != nil && !send(*first, true) {
				return false, nil
			}
			first.s = nil // sent
			if !send(it, true) {
				return false, nil
			}
		}
	}
	if first != nil && first.s != nil && !send(*first, false) {
		return false, nil
	}
	return ctx.Err() == nil, nil
}
