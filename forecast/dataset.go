package forecast

import (
	"fmt"
	"slices"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// WindowNorm is a per-window normalisation applied on top of the per-series
// z-score: the window's level is subtracted from the target inputs and the
// targets, and added back to the outputs.
type WindowNorm string

const (
	NormNone WindowNorm = "none" // the z-scored values as they are
	NormLast WindowNorm = "last" // subtract the window's last target value
	NormMean WindowNorm = "mean" // subtract the mean target value of the window

	// NormSeason subtracts the window's last target value from the inputs,
	// like NormLast, and makes the network forecast the difference from the
	// seasonal naive forecast: output step k adds the value one season
	// before, z[origin − m + k mod m]. The lookback must span a season.
	NormSeason WindowNorm = "season"

	// NormAuto fits a model with each of the others (season only when the
	// lookback spans a season) and keeps the one with the lowest validation
	// loss. It is a setting of Fit, never the normalisation of a model.
	NormAuto WindowNorm = "auto"
)

func (w WindowNorm) valid() bool {
	return w == NormNone || w == NormLast || w == NormMean || w == NormSeason
}

// Transform is applied to the target before it is z-scored.
type Transform string

const (
	TransformNone Transform = "none" // the values as they are
	TransformLog  Transform = "log"  // the natural logarithm: for positive series whose swings grow with their level
	// TransformAuto fits with and without the logarithm where every value
	// is positive, and keeps the better on validation. It is a setting of
	// Fit, never the transform of a model.
	TransformAuto Transform = "auto"
)

// seriesData is one series prepared for training: scaled, split and cut into
// windows.
type seriesData struct {
	src       *ingest.Series
	y         []float64 // the values of src, read once from its table
	scaler    ZScore    // of the target as the network sees it, fitted on the train part
	metric    ZScore    // of the target on its own scale, for the scaled metrics
	covScale  []ZScore  // of each covariate, fitted on the train part
	feats     []float64 // n × F scaled inputs, step-major: target, covariates, calendar
	z         []float64 // the scaled target
	bounds    Bounds
	split     Split
	train     []int // window starts
	val       []int
	test      []int
	maseScale float64
}

// layout describes the inputs of the network.
type layout struct {
	L, H     int
	F        int // features per step
	norm     WindowNorm
	season   int // of NormSeason
	features []string
	calendar []calendarFeature
}

// newLayout returns the input layout for series like s under cfg.
func newLayout(s *ingest.Series, cfg Config) layout {
	l := layout{L: cfg.Lookback, H: cfg.Horizon, norm: cfg.WindowNorm, season: cfg.Season, features: []string{s.Name}}
	l.features = append(l.features, s.CovariateNames()...)
	if cfg.Calendar && s.Timed() {
		l.calendar = calendarFeatures(s.Freq)
		for _, c := range l.calendar {
			l.features = append(l.features, c.name)
		}
	}
	l.F = len(l.features)
	return l
}

// prepare scales s and cuts its windows under cfg; it fails with ErrInvalid
// when a part has no window, or when the in-sample part repeats itself
// exactly (no MASE scale: the network has nothing to learn there).
func prepare(s *ingest.Series, cfg Config, l layout) (*seriesData, error) {
	return prepareScaled(s, cfg, l, false)
}

// prepareScaled is prepare; with anyScale, an in-sample part that repeats
// itself takes its MASE scale from the values after it (see
// seriesMASEScale), as the classical methods alone that forecast such a
// series score it.
func prepareScaled(s *ingest.Series, cfg Config, l layout, anyScale bool) (*seriesData, error) {
	n := s.Len()
	sp, err := NewSplit(n, cfg)
	if err != nil {
		return nil, err
	}
	b, _ := cfg.Protocol.bounds(n, cfg.Horizon)
	y := s.Values()
	d := &seriesData{src: s, y: y, bounds: b, split: sp}
	if anyScale {
		d.maseScale, err = seriesMASEScale(y, cfg.Protocol.inSampleEnd(b), b.Val, cfg.Season)
	} else {
		d.maseScale, err = MASEScale(y[:cfg.Protocol.inSampleEnd(b)], cfg.Season)
	}
	if err != nil {
		return nil, err
	}
	d.metric = FitZScore(y[:b.Train])
	d.scaler = d.metric
	if cfg.Transform == TransformLog {
		if i := slices.IndexFunc(y, func(v float64) bool { return !(v > 0) }); i >= 0 {
			at := fmt.Sprintf("value %d", i+1)
			if s.Timed() {
				at = ingest.FormatTime(s.Time(i))
			}
			return nil, fmt.Errorf("%w: series %q has the value %g (%s): the log transform needs positive values (--transform auto tries it where they are)", ErrInvalid, seriesName(s), y[i], at)
		}
		d.scaler = FitLogZScore(y[:b.Train])
	}
	d.z = make([]float64, n)
	for i, v := range y {
		d.z[i] = d.scaler.Scale(v)
	}
	covs := s.Covariates()
	if len(covs) != l.F-1-len(l.calendar) {
		return nil, fmt.Errorf("%w: series %q has %d covariates, the model reads %d", ErrInvalid, seriesName(s), len(covs), l.F-1-len(l.calendar))
	}
	for _, c := range covs {
		d.covScale = append(d.covScale, FitZScore(c.Values[:b.Train]))
	}
	d.feats = features(s, y, covs, d.scaler, d.covScale, l)
	d.train = ingest.Windows(n, l.L, l.H, 0, b.Train)
	d.val = ingest.Windows(n, l.L, l.H, b.Train, b.Val)
	d.test = ingest.Windows(n, l.L, l.H, b.Val, b.End)
	return d, nil
}

// features returns the n × F scaled inputs of s from its values y and
// covariates covs, as read from its table (and its times, for calendar
// features): the series' windows are cut from them.
func features(s *ingest.Series, y []float64, covs []ingest.Covariate, scaler ZScore, covScale []ZScore, l layout) []float64 {
	var times []time.Time
	if len(l.calendar) > 0 {
		times = s.Times()
	}
	out := make([]float64, len(y)*l.F)
	for i, v := range y {
		row := out[i*l.F : (i+1)*l.F]
		row[0] = scaler.Scale(v)
		for j, c := range covs {
			row[1+j] = covScale[j].Scale(c.Values[i])
		}
		for j, c := range l.calendar {
			row[1+len(covs)+j] = c.value(times[i])
		}
	}
	return out
}

// seriesName names a series in messages: its id, else its target column.
func seriesName(s *ingest.Series) string {
	if s.ID != "" {
		return s.ID
	}
	return s.Name
}

// level is what the target inputs of the window starting at start are
// normalised by.
func (l layout) level(z []float64, start int) float64 {
	switch l.norm {
	case NormLast, NormSeason:
		return z[start+l.L-1]
	case NormMean:
		var sum float64
		for _, v := range z[start : start+l.L] {
			sum += v
		}
		return sum / float64(l.L)
	}
	return 0
}

// fill copies the inputs of the window of feats starting at start into x
// (L × F), the target inputs less the window's level, and writes into off
// (H) what each output step is relative to: the level, or under NormSeason
// the value one season before. If t is not nil it receives the targets from
// z less off.
func (l layout) fill(x, t, off, feats, z []float64, start int) {
	lv := l.level(z, start)
	copy(x[:l.L*l.F], feats[start*l.F:(start+l.L)*l.F])
	if lv != 0 {
		for i := 0; i < l.L; i++ {
			x[i*l.F] -= lv
		}
	}
	origin := start + l.L
	for k := range off[:l.H] {
		if l.norm == NormSeason {
			off[k] = z[origin-l.season+k%l.season]
		} else {
			off[k] = lv
		}
	}
	if t != nil {
		for k := 0; k < l.H; k++ {
			t[k] = z[origin+k] - off[k]
		}
	}
}
