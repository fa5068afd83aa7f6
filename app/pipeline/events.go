package pipeline

import (
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// Event is something a batch run tells BatchOptions.Progress as it
// happens, so that the command line can print it: one of StaleLockTaken,
// RunStarted, JobDecided, NoFit, Epoch, Trained, SeriesStored and
// JobFinished.
type Event interface{ batchEvent() }

// StaleLockTaken says the run took over the batch lock of a process that
// had died, Holder.
type StaleLockTaken struct{ Holder string }

// RunStarted says the run is recorded and its jobs begin.
type RunStarted struct {
	Run           *store.Run
	Path          string // the jobs file
	Jobs, Workers int
	Shard, Shards int // shard I of N; N = 0: all series
}

// JobDecided says what the refit policy of a job decided, and why.
type JobDecided struct {
	Job, Decision string
	Refit         bool
}

// NoFit says a job that was to refit trains nothing, since every series
// was forecast from its data before or, if ShortToo, is shorter than the
// Lookback.
type NoFit struct {
	Job      string
	Lookback int
	ShortToo bool
	// NoSeries says that the job's shard of its source held no series.
	NoSeries bool
}

// Epoch is an epoch of a job's training, of Epochs at most.
type Epoch struct {
	Job    string
	Epochs int
	Stats  forecast.EpochStats
}

// Trained says a job trained and stored the version Ref on Series series,
// leaving out Unusable ones (unreadable, or too short or flat to train
// on), in Took.
type Trained struct {
	Job, Ref         string
	Series, Unusable int
	Took             time.Duration
	Result           *forecast.Result
	// CutBy is the series that cut a lookback left to the data, and
	// Median the lookback the series of median length would have had
	// (see forecast.Config.LookbackCut); "" and 0 if none cut it.
	CutBy  string
	CutLen int // the values of CutBy
	Median int
	// Short are the series too short for the windows of the lookback,
	// which the classical methods alone forecast (see
	// forecast.Config.ShortSeries).
	Short []*ingest.Series
}

// SeriesStored is the outcome of one series of a job, as committed.
type SeriesStored struct {
	Job    string
	Series *store.BatchSeries
}

// JobFinished says a job is over, and what it did.
type JobFinished struct{ Result *JobResult }

func (StaleLockTaken) batchEvent() {}
func (RunStarted) batchEvent()     {}
func (JobDecided) batchEvent()     {}
func (NoFit) batchEvent()          {}
func (Epoch) batchEvent()          {}
func (Trained) batchEvent()        {}
func (SeriesStored) batchEvent()   {}
func (JobFinished) batchEvent()    {}
