package forecast

import (
	"fmt"
	"slices"
	"strings"

	"github.com/forecast-dev/forecast/ingest"
)

// TooShortForNetwork says whether a series of n values is too short for the
// network under c (resolved): its train part holds no window of a horizon
// and one input before the validation part. Fit forecasts such a series,
// if it holds two seasons (and four values) or more, by the classical
// methods alone (see Resolve).
func (c Config) TooShortForNetwork(n int) bool {
	b, err := c.Protocol.bounds(n, c.Horizon)
	return err == nil && b.Train < c.Horizon+1
}

// classicalOnlyFits says whether s, too short for the network, is long
// enough for the classical methods under c: one series, Fallback auto, two
// seasons and four values or more, four of them before the validation part.
func (c Config) classicalOnlyFits(series []*ingest.Series) bool {
	if len(series) != 1 || c.Fallback != FallbackAuto {
		return false
	}
	n := len(series[0].Values)
	b, err := c.Protocol.bounds(n, c.Horizon)
	return err == nil && n >= max(2*c.Season, 4) && b.Train >= 4
}

// fitClassical forecasts s, too short for the network, by the classical
// methods of FallbackAuto: each is fitted on the train part and scored on
// the validation windows, and the mean of the combination's parts
// (combinationParts) forecasts unless one of them beats it clearly, as
// chooseMethods decides with the GRU. The result has no network: Model,
// Members and History are empty, and there is no test part.
func fitClassical(s *ingest.Series, cfg Config) (*Result, error) {
	y, h, m := s.Values, cfg.Horizon, cfg.Season
	b, err := cfg.Protocol.bounds(len(y), h)
	if err != nil {
		return nil, err
	}
	scale, err := MASEScale(y[:b.Val], m) // all but a test part, which is empty here
	if err != nil {
		return nil, err
	}
	metric := FitZScore(y[:b.Train])
	sr := SeriesResult{ID: seriesName(s), Scaler: metric, MASEScale: scale, classicalOnly: true,
		Split: Split{Train: b.Train, Val: b.Val - b.Train, Test: b.End - b.Val, ValWindows: max(b.Val-b.Train-h+1, 0)}}
	var origins []int
	var actual []float64
	for o := b.Train; o+h <= b.Val; o++ {
		origins = append(origins, o)
		actual = append(actual, y[o:o+h]...)
	}
	base := Score(actual, slices.Concat(seasonalNaiveModel{m: m}.ForecastAt(y, origins, h)...), 1, metric)
	preds, ss := map[string][]float64{}, seasonsOf(s, m)
	for _, method := range cfg.Fallback.competitors() {
		fitted, err := localMethods[method](y[:b.Train], ss)
		if err != nil {
			continue
		}
		pred := slices.Concat(fitted.ForecastAt(y[:b.Val], origins, h)...)
		if !allFinite(pred) {
			continue
		}
		preds[method] = pred
		sr.Candidates = append(sr.Candidates, Candidate{Method: method, Name: fitted.Name(), ValRatio: valRatio(actual, pred, base, metric)})
	}
	parts := combinationParts(preds)
	if len(parts) == 0 {
		return nil, fmt.Errorf("%w: series %q has %d values, too few for the network, and neither ETS nor the seasonal mean with drift fits them", ErrInvalid, seriesName(s), len(y))
	}
	sr.Method = MethodCombination
	if len(parts) == 1 {
		sr.Method = parts[0]
	}
	sr.ValBlocks = (len(origins) + h - 1) / h
	if len(parts) > 1 {
		comb := meanForecast(preds, parts)
		sr.Candidates = append(sr.Candidates, Candidate{Method: MethodCombination, Name: "their mean", ValRatio: valRatio(actual, comb, base, metric)})
		if best := overCombination(sr.Candidates, actual, preds, comb, h, m); best.Method != MethodCombination {
			sr.Method, parts = best.Method, []string{best.Method}
		}
	}
	var forecasts [][]Point
	var names []string // of the forms fitted on the whole series, which forecast it
	for _, method := range parts {
		final, err := localMethods[method](y, ss)
		if err != nil {
			return nil, fmt.Errorf("%w: series %q: %s fits the train part but not the whole series: %v", ErrInvalid, seriesName(s), method, err)
		}
		sr.locals, names = append(sr.locals, final), append(names, final.Name())
		q := localQuantiles(final, y, h, cfg.Levels, m)
		pts, origin := localForecast(final, s, h, cfg.Levels, q)
		forecasts, sr.Origin = append(forecasts, pts), origin
	}
	sr.Forecast = combine(forecasts)
	sr.MethodName = names[0]
	if len(parts) > 1 {
		sr.MethodName = "mean of " + strings.Join(names, ", ")
	}
	res := &Result{Config: cfg, Features: []string{s.Name}, Scaler: sr.Scaler, Split: sr.Split,
		MASEScale: sr.MASEScale, Origin: sr.Origin, Forecast: sr.Forecast, Series: []SeriesResult{sr},
		Calibration: Calibration{Levels: cfg.Levels}}
	return res, nil
}
