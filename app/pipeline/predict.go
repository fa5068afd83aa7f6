package pipeline

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// StoredModel is a stored model version made ready to forecast new data:
// its predictor, as exported, and its params, which say whether each
// series is forecast on its own scale.
type StoredModel struct {
	Version   *store.ModelVersion
	Predictor *forecast.Predictor // with the scaler of the training data
	Params    forecast.Params
	// Unstored says that the predictions are not stored (serve's): data
	// without times is forecast then, by steps. Else it is refused where
	// the model's data had times, as its forecasts would sit beside the
	// dated ones and meet no actuals.
	Unstored bool
}

// NewStoredModel reads the weights, export and params of mv.
func NewStoredModel(mv *store.ModelVersion) (*StoredModel, error) {
	p, err := forecast.NewPredictor(mv.Weights, []byte(mv.Export))
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	params, err := forecast.ParseParams(mv.Params)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	return &StoredModel{Version: mv, Predictor: p, Params: params}, nil
}

// MatchSeries gives s, read from src, the ID under which m knows its
// method when m was fitted on several series and knows s only by the ID
// it is stored under (src's series-id, or its source and name, as batch
// knows them) or that ID's part after the source (as fit knows them), or
// by a name batch gives the series of a glob's files:
// the file's stem, or the stem and the series' ID where a file holds
// several (see sendSeries).
func (m *StoredModel) MatchSeries(src Source, s *ingest.Series) {
	name := SeriesName(s)
	if m.Predictor.KnowsSeries(name) {
		return
	}
	if m.MatchStored(s, src.StoredID(s)) {
		return
	}
	if src.Path == "-" || src.Settings.SQLite != "" {
		return
	}
	stem := SourceStem(src.Path, "", "")
	for _, id := range []string{stem, stem + "/" + name} {
		if m.Predictor.KnowsSeries(id) {
			s.ID = id
			return
		}
	}
}

// MatchStored gives s the ID under which m, fitted on several series,
// knows the series stored as stored, SOURCE/ID: batch knows it by the
// whole, fit by the ID in the source, a batch of a glob's files of one
// series each by the file's stem, SOURCE. It reports whether m knows any.
func (m *StoredModel) MatchStored(s *ingest.Series, stored string) bool {
	source, local, _ := strings.Cut(stored, "/")
	for _, id := range []string{stored, local, source} {
		if id != "" && m.Predictor.KnowsSeries(id) {
			s.ID = id
			return true
		}
	}
	return false
}

// Target is the column the model forecasts.
func (m *StoredModel) Target() string { return m.Predictor.Features[0] }

// Covariates are the covariate columns the model reads besides its target.
func (m *StoredModel) Covariates() []string {
	return m.Predictor.Features[1 : 1+len(m.Predictor.Covariates)]
}

// Prediction is the forecast of one series by a stored model.
type Prediction struct {
	Series string    // the series' id in its source (see SeriesName)
	Origin time.Time // the last time of the series; zero without times
	Method string    // the label of the method that forecast it, as stored
	Points []forecast.Point
	// MASEScale is the scale of the realised MASE of the forecasts (see
	// historyScale); NaN where it is undefined.
	MASEScale float64
	// Adapted says what of the model the series' values left out or
	// replaced (see forecast.Predictor.ForData); "" where nothing.
	Adapted string
}

// Predict forecasts the horizon after the last value of s. Data of another
// frequency than the training data's, without times where they had them
// (see Unstored), or too short for the model, is an error wrapping
// forecast.ErrInvalid. Nothing is stored.
func (m *StoredModel) Predict(s *ingest.Series) (*Prediction, error) {
	mv := m.Version
	if !s.Timed() && mv.DataFreq != "" && !m.Unstored {
		return nil, fmt.Errorf("%w: the data has no times (integer steps), but model %s was trained on %s data: give its time column (--time), or --start and --freq",
			forecast.ErrInvalid, mv.Ref(), mv.DataFreq)
	}
	if s.Timed() && mv.DataFreq != "" && s.Freq.String() != mv.DataFreq {
		// Compared as frequencies: a version may name its own in words of
		// an older program ("120mo" for 10Y). Month steps anchored apart
		// (month ends, last business days, the 30th, month starts) are the
		// same steps: the forecast is dated as the data are.
		if stored, err := ingest.ParseFreq(mv.DataFreq); err != nil || stored.Unanchored() != s.Freq.Unanchored() {
			return nil, fmt.Errorf("%w: the data is %s, but model %s was trained on %s data", forecast.ErrInvalid, s.Freq, mv.Ref(), mv.DataFreq)
		}
	}
	p, err := forecast.PredictorFor(m.Predictor, m.Params, s)
	if err == nil {
		p, err = p.ForData(s)
	}
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	pts, origin, err := p.Predict(s)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", mv.Ref(), err)
	}
	return &Prediction{Series: SeriesName(s), Origin: origin, Method: p.MethodLabel(), Points: pts, MASEScale: historyScale(s, p.Season), Adapted: p.Adapted()}, nil
}

// historyScale is the scale of the realised MASE of a forecast made from
// the values of s with a model of season m: forecast.MASEScale over all of
// them, the M4 competition's scale; NaN where it is undefined, for values
// constant or not longer than a season (see store.Forecast.MASEScale).
func historyScale(s *ingest.Series, m int) float64 {
	if s == nil {
		return 0 // not known
	}
	scale, err := forecast.MASEScale(s.Values(), max(m, 1))
	if err != nil {
		return math.NaN()
	}
	return scale
}

// Forecasts are the rows the database keeps of pred for the series stored
// under seriesID.
func (pred *Prediction) Forecasts(seriesID string) []store.Forecast {
	fcs := make([]store.Forecast, len(pred.Points))
	for i, pt := range pred.Points {
		fcs[i] = store.Forecast{Series: seriesID, Origin: pred.Origin, Time: pt.Time, Step: pt.Step, Value: pt.Value,
			Intervals: storedIntervals(pt), Method: pred.Method, MASEScale: pred.MASEScale}
	}
	return fcs
}

// SavePrediction stores the forecasts of pred, made by m, under seriesID
// and records run, all in one transaction. Its errors are the database's.
func (m *StoredModel) SavePrediction(ctx context.Context, db *store.DB, run *store.Run, pred *Prediction, seriesID string) error {
	if err := db.SavePredict(ctx, run, m.Version.ID, pred.Forecasts(seriesID)); err != nil {
		return fmt.Errorf("store the forecasts: %w", err)
	}
	return nil
}

// SeriesName is the name a series is stored under in forecasts and
// actuals, and so what matches them: its id in the source, which is the
// target column of a wide CSV and the id of a long or rows layout.
func SeriesName(s *ingest.Series) string {
	if s.ID != "" {
		return s.ID
	}
	return s.Name
}

// storedIntervals are the intervals the database keeps for a forecast
// point: every bounded one (an unbounded one says nothing to store).
func storedIntervals(p forecast.Point) []store.Interval {
	var out []store.Interval
	for _, iv := range p.Intervals {
		if !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) {
			out = append(out, store.Interval{Lower: iv.Lower, Upper: iv.Upper, Level: iv.Level})
		}
	}
	return out
}
