package pipeline

import (
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// SeriesEnd is the last time of a series with times, and its frequency.
type SeriesEnd struct {
	ID   string // as stored
	End  time.Time
	Freq ingest.Freq
}

// EndOf is the SeriesEnd of s, stored as id; ok is false for a series
// without times.
func EndOf(s *ingest.Series, id string) (e SeriesEnd, ok bool) {
	if !s.Timed() || s.Len() == 0 {
		return e, false
	}
	return SeriesEnd{ID: id, End: s.Time(s.Len() - 1), Freq: s.Freq}, true
}

// EndedEarly returns those of ends that end more than horizon steps before
// the latest end of any (an item no longer sold: its forecast follows its
// own last value, in the others' past), and that latest end.
func EndedEarly(ends []SeriesEnd, horizon int) (ended []SeriesEnd, latest time.Time) {
	for _, e := range ends {
		if e.End.After(latest) {
			latest = e.End
		}
	}
	for _, e := range ends {
		if e.Freq.Add(e.End, horizon).Before(latest) {
			ended = append(ended, e)
		}
	}
	return ended, latest
}
