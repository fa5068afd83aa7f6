package forecast

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

// ExportFormat names the JSON interchange layout (see Export layout in the
// package documentation).
const ExportFormat = "forecast-gru-json/1"

// Export is the JSON interchange document of a trained model: with it alone
// anyone can recompute the model's forecast. Take the last Lookback rows of
// the input features, scale each with its Scaler entry, subtract the window's
// level from the target feature (see WindowNorm), run the layers and the
// head, add the level back to the outputs and unscale them with the target's
// (first) entry. A model fitted on several series lists each in
// SeriesMethods with a scaler entry of its own, used in place of Scaler.
// Where no value of the series is below zero, forecasts and interval
// bounds below zero are raised to zero.
//
// Input features are the target, then covariate columns, then calendar
// features computed from each row's time t (UTC), whose scaler entries are
// mean 0 and std 1:
//
//	cal:hour_sin, cal:hour_cos        sin, cos of 2π·(hour + minute/60 + second/3600)/24
//	cal:weekday_sin, cal:weekday_cos  sin, cos of 2π·weekday/7, Sunday = 0
//	cal:yearday_sin, cal:yearday_cos  sin, cos of 2π·(day of year − 1)/365.25
//	cal:month_sin, cal:month_cos      sin, cos of 2π·(month − 1)/12
type Export struct {
	Format        string       `json:"format"`
	Lookback      int          `json:"lookback"`
	Horizon       int          `json:"horizon"`
	InputFeatures []string     `json:"input_features"`
	Scaler        ExportScaler `json:"scaler"`
	// WindowNorm is the level subtracted from the scaled target inputs of a
	// window and added to its scaled outputs: "none" (0), "last" (the last
	// scaled target value of the window) or "mean" (their mean). "season"
	// subtracts the last value from the inputs and adds to output step k
	// (0-based) the scaled target Season − k mod Season steps before the end
	// of the window: the seasonal naive forecast.
	WindowNorm WindowNorm `json:"window_norm"`
	Season     int        `json:"season,omitempty"`
	// Method is what forecasts the series the model was fitted on: "gru"
	// (the network), or the classical method that beat it on validation:
	// "ets" or "theta", refitted on the data it forecasts, "snaive", the
	// last Season values repeated, "smean" and "smean_drift", the seasonal
	// mean without and with drift, "snaive_week", "smean_week" and
	// "smean_week_drift", the same with the Week steps for the season,
	// "croston", Croston's method (SBA) refitted on the data, or "comb",
	// the mean of the network's forecast and those of Components.
	// MethodName names the fitted form,
	// e.g. "ETS(M,Ad,M)". Exports written before methods competed have
	// neither, and "fallback": "snaive" for seasonal naive.
	Method     string `json:"method,omitempty"`
	MethodName string `json:"method_name,omitempty"`
	// Local is the classical model fitted on the series, for "ets" and
	// "theta": {"method": …, "model": {…}} with its form, parameters and
	// states (see package classical). Forecasting new data refits the
	// same form on them.
	Local json.RawMessage `json:"local,omitempty"`
	// Week is the steps of a week, the season of the weekly methods
	// (snaive_week, smean_week, smean_week_drift); 0 for the others.
	Week int `json:"week,omitempty"`
	// Components are the classical parts of "comb", the mean of the
	// network's forecast and theirs (see SeriesMethod).
	Components []SeriesMethod `json:"components,omitempty"`
	// SeriesMethods, for a model fitted on several series, lists each
	// series by its id with the method that forecasts it, as Method and
	// Local do for one. Series that repeat themselves exactly, which
	// seasonal naive forecasts wherever they are met, are not counted: a
	// model of one series beside them (as one without a network always
	// is) lists none.
	SeriesMethods []SeriesMethod `json:"series_methods,omitempty"`
	// AllSeries says SeriesMethods lists every series, the network's
	// too: a series it does not list is new to the model, and under
	// Fallback auto is forecast by the method that forecasts most of the
	// listed series, its classical parts refitted on the new series'
	// values (see Predictor.ForSeries). Exports written before it list
	// only the series of other methods than the network, which forecasts
	// all the others.
	AllSeries bool `json:"all_series,omitempty"`
	// ClassicalOnly marks a model of a series too short for the network:
	// the document has no weights, and Method names classical methods
	// alone ("comb" the mean of Components without the network's forecast).
	ClassicalOnly bool `json:"classical_only,omitempty"`
	// Fallback is what the model let compete with the network
	// (Config.Fallback); exports written before Method existed give
	// "snaive" here for seasonal naive, and none before Fallback existed.
	Fallback Fallback `json:"fallback,omitempty"`
	// Intervals are the conformal quantiles of the model's prediction
	// intervals, if any (see Calibration).
	Intervals *Calibration `json:"intervals,omitempty"`
	// The weights of the network; for an ensemble, those of its first member.
	gru.Weights
	// Ensemble, when present, lists the weights of every member of an
	// ensemble, the first member included: the network's output is then the
	// mean of the members' outputs (before the level is added back and the
	// value unscaled).
	Ensemble []gru.Weights `json:"ensemble,omitempty"`
}

// ExportScaler is the scaler entry of Export: one mean and std per input
// feature, target first; a value v is scaled as (v − mean) / std. Kind is
// "zscore", or "log-zscore" when the target is scaled as (ln v − mean) / std
// and its outputs unscaled as exp(y·std + mean); the other features are
// z-scored either way.
type ExportScaler struct {
	Kind string    `json:"kind"`
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// Export returns the interchange document of the model fitted on the first
// series fitted of r (see Result), with the method of each series where r
// has several.
func (r *Result) Export() Export {
	first := r.first()
	e := Export{
		Format:        ExportFormat,
		Lookback:      r.Config.Lookback,
		Horizon:       r.Config.Horizon,
		InputFeatures: r.Features,
		Scaler:        r.exportScaler(first),
		WindowNorm:    r.Config.WindowNorm,
		Fallback:      r.Config.Fallback,
	}
	if r.Model == nil {
		e.ClassicalOnly = true
	} else {
		e.Weights = r.Model.Weights()
	}
	e.Season = r.Config.Season
	one := first.seriesMethod()
	e.Method, e.MethodName, e.Local, e.Week, e.Components = one.Method, one.MethodName, one.Local, one.Week, one.Components
	// Series that repeat themselves are not listed: the predictor finds
	// them, as any such series, and forecasts them by seasonal naive.
	fitted := slices.DeleteFunc(slices.Clone(r.Series), func(sr SeriesResult) bool { return sr.Repeats })
	if len(fitted) > 1 {
		e.AllSeries = true
		for _, sr := range fitted {
			sm := sr.seriesMethod()
			sc := r.exportScaler(sr)
			sm.Scaler = &sc
			e.SeriesMethods = append(e.SeriesMethods, sm)
		}
	}
	if len(r.Calibration.Levels) > 0 {
		cal := r.Calibration
		e.Intervals = &cal
	}
	if len(r.Members) > 1 {
		for _, m := range r.Members {
			e.Ensemble = append(e.Ensemble, m.Weights())
		}
	}
	return e
}

// exportScaler is the scaler entry of the series sr of r: one mean and
// std per input feature of r, target first, 0 and 1 for the calendar's.
func (r *Result) exportScaler(sr SeriesResult) ExportScaler {
	kind := "zscore"
	if sr.Scaler.Log {
		kind = "log-zscore"
	}
	sc := ExportScaler{Kind: kind, Mean: []float64{sr.Scaler.Mean}, Std: []float64{sr.Scaler.Std}}
	for _, c := range sr.CovariateScalers {
		sc.Mean, sc.Std = append(sc.Mean, c.Mean), append(sc.Std, c.Std)
	}
	for len(sc.Mean) < len(r.Features) {
		sc.Mean, sc.Std = append(sc.Mean, 0), append(sc.Std, 1)
	}
	return sc
}

// Fingerprint is a SHA-256 over the series' ids, times and values, so that
// a model version records exactly which data it was trained on. One series
// hashes as its times and values alone.
func Fingerprint(series ...*ingest.Series) string {
	h := sha256.New()
	var buf [8]byte
	for _, s := range series {
		if len(series) > 1 {
			h.Write([]byte(seriesName(s)))
			h.Write([]byte{0})
		}
		times := s.Times()
		for i, v := range s.Values() {
			if times != nil {
				binary.LittleEndian.PutUint64(buf[:], uint64(times[i].UnixNano()))
				h.Write(buf[:])
			}
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			h.Write(buf[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SeriesMethod is the method that forecasts one series of a model (see
// Export.SeriesMethods): for "ets" and "theta" with the fitted model in
// Local; for the weekly methods with the steps of a week in Week; for
// "comb" with the classical parts of the combination, each a SeriesMethod
// of its own, in Components.
type SeriesMethod struct {
	ID         string          `json:"id,omitempty"`
	Method     string          `json:"method"`
	MethodName string          `json:"method_name"`
	Local      json.RawMessage `json:"local,omitempty"`
	Week       int             `json:"week,omitempty"`
	Components []SeriesMethod  `json:"components,omitempty"`
	// ClassicalOnly marks a series of a model fitted on several that was
	// too short for the network's windows (see Config.ShortSeries): its
	// "comb" is the mean of Components without the network's forecast.
	ClassicalOnly bool `json:"classical_only,omitempty"`
	// Scaler, in SeriesMethods, is the series' own scaler entry, in place
	// of Export.Scaler: each series of a model fitted on several is scaled
	// by the train part of its own history. A series new to the model is
	// scaled likewise by its own values (see Predictor.ForSeries).
	Scaler *ExportScaler `json:"scaler,omitempty"`
}

// seriesMethod is the export entry of the method of r.
func (r SeriesResult) seriesMethod() SeriesMethod {
	sm := SeriesMethod{ID: r.ID, Method: r.Method, MethodName: r.MethodName, ClassicalOnly: r.classicalOnly}
	parts := make([]SeriesMethod, len(r.locals))
	for i, m := range r.locals {
		parts[i] = SeriesMethod{MethodName: m.Name()}
		switch cm := m.(type) {
		case seasonalNaiveModel:
			parts[i].Method = MethodSeasonalNaive
			if cm.weekly {
				parts[i].Method, parts[i].Week = MethodSeasonalNaiveWeek, cm.m
			}
		case seasonalMeanModel:
			switch {
			case cm.weekly && cm.drift:
				parts[i].Method, parts[i].Week = MethodSeasonalMeanWeekDrift, cm.m
			case cm.weekly:
				parts[i].Method, parts[i].Week = MethodSeasonalMeanWeek, cm.m
			case cm.drift:
				parts[i].Method = MethodSeasonalMeanDrift
			default:
				parts[i].Method = MethodSeasonalMean
			}
		case crostonModel:
			parts[i].Method = MethodCroston
		case *classical.ETS:
			parts[i].Method = MethodETS
			// A fitted model always marshals: its fields are finite numbers.
			parts[i].Local, _ = classical.Marshal(cm)
		case *classical.Theta:
			parts[i].Method = MethodTheta
			parts[i].Local, _ = classical.Marshal(cm)
		case *classical.ARIMA:
			parts[i].Method = MethodARIMA
			parts[i].Local, _ = classical.Marshal(cm)
		}
	}
	switch {
	case r.Method == MethodCombination:
		sm.Components = parts
	case len(parts) == 1:
		sm.Local, sm.Week = parts[0].Local, parts[0].Week
	}
	return sm
}

// Label is how stored forecasts name the method of r, as
// Predictor.MethodLabel names it for the same model: e.g. "gru",
// "ets(M,A,M)", "comb(gru,ets(A,N,A),smean_drift)".
func (r SeriesResult) Label() string {
	if r.Method != MethodCombination {
		return MethodLabel(r.Method, r.MethodName)
	}
	var labels []string
	if !r.classicalOnly {
		labels = append(labels, MethodGRU)
	}
	for _, p := range r.seriesMethod().Components {
		labels = append(labels, MethodLabel(p.Method, p.MethodName))
	}
	return MethodCombination + "(" + strings.Join(labels, ",") + ")"
}
