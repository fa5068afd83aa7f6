package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// Fit is a model trained by fit on one source, to be stored.
type Fit struct {
	Name   string           // the model's name
	Source string           // the source as messages show it
	Series []*ingest.Series // the series it was trained on
	// StoredIDs maps the name of each series in its source (SeriesName)
	// to the id its forecasts are stored under.
	StoredIDs      map[string]string
	Result         *forecast.Result
	Trained        time.Duration // how long training took
	ProgramVersion string
	Parent         *store.ModelVersion // the version refitted, or nil
}

// StoreFit stores f as a new version of its model, with the forecasts of
// every series under its stored id, as the record of run, in one
// transaction, and returns the version stored.
func StoreFit(ctx context.Context, db *store.DB, run *store.Run, f Fit) (*store.ModelVersion, error) {
	mv, fcs, err := NewVersion(f.Name, f.Source, f.Series, f.Result, f.Trained, false)
	if err != nil {
		return nil, err
	}
	for i := range fcs {
		fcs[i].Series = f.StoredIDs[fcs[i].Series]
	}
	if len(f.Series) == 1 {
		mv.DataSeries = f.StoredIDs[SeriesName(f.Series[0])]
	}
	mv.ProgramVersion = f.ProgramVersion
	if f.Parent != nil {
		mv.ParentID = f.Parent.ID
	}
	if err := db.SaveFit(ctx, run, mv, fcs); err != nil {
		return nil, storageError{fmt.Errorf("store the model: %w", err)}
	}
	return mv, nil
}

// NewVersion turns a fit result on series into the store's records: one
// model version, and the forecasts of every series. A global model (as
// batch trains) scales every series it forecasts on its own.
func NewVersion(name, path string, series []*ingest.Series, res *forecast.Result, trained time.Duration, global bool) (*store.ModelVersion, []store.Forecast, error) {
	s := series[0]
	weights, err := forecast.EncodeWeights(res.Members)
	if err != nil {
		return nil, nil, err
	}
	params := res.Params(s.Name, len(series))
	if global {
		params.Global = true
		if len(series) > 1 {
			params.Target = res.Features[0] // the network's first input
		}
	}
	mv := &store.ModelVersion{
		Name: name, Seed: res.Config.Seed, MASEScale: res.MASEScale, Duration: trained,
		DataSource: path, DataSeries: SeriesName(s), DataFingerprint: forecast.Fingerprint(series...), DataRows: s.Len(),
		Weights: weights,
	}
	// The span is of every series: the first time of any, the last of any.
	for _, s := range series {
		n := s.Len()
		if !s.Timed() || n == 0 {
			continue
		}
		if mv.DataFreq == "" || s.Time(0).Before(mv.DataStart) {
			mv.DataStart = s.Time(0)
		}
		if mv.DataFreq == "" || s.Time(n-1).After(mv.DataEnd) {
			mv.DataEnd = s.Time(n - 1)
		}
		mv.DataFreq = s.Freq.String()
	}
	if mv.Params, err = params.Encode(); err != nil {
		return nil, nil, unstorable(err, s)
	}
	if mv.Scaler, err = res.Scaler.Encode(); err != nil {
		return nil, nil, unstorable(err, s)
	}
	if mv.Metrics, err = res.Report(trained).Encode(); err != nil {
		return nil, nil, unstorable(err, s)
	}
	export, err := json.Marshal(res.Export())
	if err != nil {
		return nil, nil, unstorable(err, s)
	}
	mv.Export = string(export)
	if len(series) > 1 {
		mv.DataSeries = fmt.Sprintf("%d series", len(series))
		mv.DataRows = 0
		for _, s := range series {
			mv.DataRows += s.Len()
		}
	}
	byName := make(map[string]*ingest.Series, len(series))
	for _, s := range series {
		byName[SeriesName(s)] = s
	}
	var fcs []store.Forecast
	for _, sr := range res.Series {
		scale := historyScale(byName[sr.ID], res.Config.Season)
		for _, p := range sr.Forecast {
			fcs = append(fcs, store.Forecast{Series: sr.ID, Origin: sr.Origin, Time: p.Time, Step: p.Step, Value: p.Value, Intervals: storedIntervals(p),
				Method: sr.Label(), MASEScale: scale})
		}
	}
	return mv, fcs, nil
}

// unstorable is the error of a model version whose record cannot be
// written, err, for a fit on series s.
func unstorable(err error, s *ingest.Series) error {
	var bad *json.UnsupportedValueError
	if errors.As(err, &bad) {
		return fmt.Errorf("%w: a score or setting of the model is %s, not a finite number: the values of %s are too extreme to score (rescale them, e.g. to other units)", forecast.ErrInvalid, bad.Str, SeriesName(s))
	}
	return err
}
