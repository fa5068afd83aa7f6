package forecast

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/forecast-dev/forecast/forecast/classical"
	"github.com/forecast-dev/forecast/ingest"
)

// The methods that can forecast a series: the GRU, or a classical model
// that Config.Fallback lets compete with it.
const (
	MethodGRU   = "gru"
	MethodETS   = "ets"
	MethodTheta = "theta"
	// MethodARIMA is an autoregressive ARIMA whose orders are chosen as
	// R's auto.arima chooses them (classical.FitARIMA).
	MethodARIMA         = "arima"
	MethodSeasonalNaive = "snaive"
	// MethodSeasonalMean forecasts each step by the mean of the values one
	// and two seasons before it: seasonal naive with less of its noise.
	MethodSeasonalMean = "smean"
	// MethodSeasonalMeanDrift is the seasonal mean with each season
	// carried forward by the series' mean change from one season to the
	// next.
	MethodSeasonalMeanDrift = "smean_drift"
	// MethodSeasonalNaiveWeek, MethodSeasonalMeanWeek and
	// MethodSeasonalMeanWeekDrift are seasonal naive and the seasonal mean
	// without and with drift with a week for the season, for a series whose
	// season is a day and that holds minWeeks weeks (see weekSeason): hourly
	// data repeat weekly as well as daily.
	MethodSeasonalNaiveWeek     = "snaive_week"
	MethodSeasonalMeanWeek      = "smean_week"
	MethodSeasonalMeanWeekDrift = "smean_week_drift"
	// MethodCroston is Croston's method with the Syntetos-Boylan
	// correction (SBA), for intermittent series (see intermittent).
	MethodCroston = "croston"
	// MethodCombination combines the forecasts of the GRU, ETS and the
	// seasonal mean with drift, and more where the series has a week (see
	// combinationParts).
	MethodCombination = "comb"
)

// Candidate is one method that competed for a series, with its score on
// the series' validation windows: the mean of the ratios of its sMAPE and
// MAE to seasonal naive's, as the M4 competition's OWA compares (seasonal
// naive scores 1; lower is better).
type Candidate struct {
	Method   string  `json:"method"`
	Name     string  `json:"name"` // the fitted form, e.g. "ETS(M,Ad,M)"
	ValRatio float64 `json:"val_ratio"`
}

// candidateJSON is a Candidate as JSON holds it: its ValRatio null where
// it is +Inf, a method that erred where seasonal naive forecast the
// validation part exactly (a series constant there), which JSON numbers
// cannot hold.
type candidateJSON struct {
	Method   string   `json:"method"`
	Name     string   `json:"name"`
	ValRatio *float64 `json:"val_ratio"`
}

// MarshalJSON writes c with a ValRatio of +Inf as null.
func (c Candidate) MarshalJSON() ([]byte, error) {
	v := candidateJSON{Method: c.Method, Name: c.Name}
	if !math.IsInf(c.ValRatio, 1) {
		v.ValRatio = &c.ValRatio
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a Candidate that MarshalJSON wrote: null as +Inf.
func (c *Candidate) UnmarshalJSON(b []byte) error {
	var v candidateJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Candidate{Method: v.Method, Name: v.Name, ValRatio: math.Inf(1)}
	if v.ValRatio != nil {
		c.ValRatio = *v.ValRatio
	}
	return nil
}

// MethodLabel is how a stored forecast names its method: the method, with
// the form for ETS and the orders for ARIMA, e.g. "gru", "ets(M,A,M)",
// "arima(2,1,0)(1,1,0)[12]", "theta", "snaive".
func MethodLabel(method, name string) string {
	if method == MethodETS || method == MethodARIMA {
		if _, form, ok := strings.Cut(name, "("); ok {
			form, _, _ = strings.Cut(form, " ") // "ARIMA(3,0,0) with non-zero mean"
			return method + "(" + form
		}
	}
	return method
}

// localModel is a model fitted on one series' own history: a classical
// model or seasonal naive.
type localModel interface {
	// Name names the fitted form, e.g. "ETS(M,Ad,M)".
	Name() string
	// ForecastAt returns, for each origin o, the h values after y[:o],
	// with what was fitted held fixed; y begins with the fitted data.
	ForecastAt(y []float64, origins []int, h int) [][]float64
}

// localMethods fit the local models that compete with the GRU, by method,
// on the values y of a series with seasons s. A method that does not fit
// the series returns an error.
var localMethods = map[string]func(y []float64, s seasons) (localModel, error){
	MethodETS:           func(y []float64, s seasons) (localModel, error) { return classical.Fit(classical.MethodETS, y, s.m) },
	MethodTheta:         func(y []float64, s seasons) (localModel, error) { return classical.Fit(classical.MethodTheta, y, s.m) },
	MethodARIMA:         func(y []float64, s seasons) (localModel, error) { return classical.Fit(classical.MethodARIMA, y, s.m) },
	MethodSeasonalNaive: func(y []float64, s seasons) (localModel, error) { return seasonalNaiveModel{m: s.m}, nil },
	MethodSeasonalMean:  func(y []float64, s seasons) (localModel, error) { return seasonalMeanModel{m: s.m}, nil },
	MethodSeasonalMeanDrift: func(y []float64, s seasons) (localModel, error) {
		return seasonalMeanModel{m: s.m, drift: true}, nil
	},
	MethodSeasonalNaiveWeek: func(y []float64, s seasons) (localModel, error) {
		if err := s.fitsWeek(len(y)); err != nil {
			return nil, err
		}
		return seasonalNaiveModel{m: s.week, weekly: true}, nil
	},
	MethodSeasonalMeanWeek: func(y []float64, s seasons) (localModel, error) {
		if err := s.fitsWeek(len(y)); err != nil {
			return nil, err
		}
		return seasonalMeanModel{m: s.week, weekly: true}, nil
	},
	MethodSeasonalMeanWeekDrift: func(y []float64, s seasons) (localModel, error) {
		if err := s.fitsWeek(len(y)); err != nil {
			return nil, err
		}
		return seasonalMeanModel{m: s.week, drift: true, weekly: true}, nil
	},
	MethodCroston: func([]float64, seasons) (localModel, error) { return crostonModel{}, nil },
}

// seasons are the season lengths a local model of a series may use: m,
// the season (Config.Season), and week, the steps of a week where m is a
// day of them (see weekSeason), else 0.
type seasons struct {
	m, week int
}

// minWeeks is the fewest weeks a series must hold for the models over
// the week to fit it: with fewer, a week's profile rests on one or two
// values per step.
const minWeeks = 3

// fitsWeek returns an error unless s has a week and n values hold
// minWeeks of them.
func (s seasons) fitsWeek(n int) error {
	if s.week < 2 {
		return errors.New("the series has no weekly season")
	}
	if n < minWeeks*s.week {
		return fmt.Errorf("%d values are fewer than %d weeks of %d steps", n, minWeeks, s.week)
	}
	return nil
}

// weekSeason returns the steps of a week, 7m, for a series of frequency f
// whose season m is a day: where f is a step that divides a day (hourly
// 24, half-hourly 48, 15-minute 96), or, where f is unknown (the zero
// Freq), a season of 24 steps, which the autocorrelation finds in hourly
// data without times (M4's). It returns 0 for any other f and m.
func weekSeason(f ingest.Freq, m int) int {
	const day = 24 * time.Hour
	switch {
	case f == (ingest.Freq{}) && m == 24:
		return 7 * m
	case f.Months == 0 && f.BusinessDays == 0 && f.Step > 0 && f.Step < day && day%f.Step == 0 && int(day/f.Step) == m:
		return 7 * m
	}
	return 0
}

// combinationParts returns the local methods whose forecasts the GRU's is
// combined with in MethodCombination, of those that forecast the series
// (preds, by method). For a series with a week (hourly data, see
// weekSeason): ETS, Theta, ARIMA and the weekly seasonal means with and
// without drift, six forecasts with the GRU's, of which the median forecasts
// (see maxMeanParts). Otherwise ETS and the seasonal mean with drift: a
// learnt model, a statistical one and a robust seasonal profile that grows
// as the series has grown, whose errors differ, averaged.
//
// The week's parts were chosen on the development origin of M4 Hourly (the
// last 48 values of its training series, replayed from every method's
// stored forecasts): OWA 0.4742, against 0.4933 for the mean of the GRU,
// ETS and the weekly seasonal mean with drift and 0.4777 for the median of
// every method. On the test values of M4 Hourly, used to choose nothing,
// the same three scored 0.4271, 0.4540 and 0.4419. On monthly, quarterly
// and daily series the wider combination did worse (development set
// 1.244 to 1.271 against 1.226), so they keep three parts.
func combinationParts(preds map[string][]float64) []string {
	var parts []string
	if _, ok := preds[MethodSeasonalMeanWeekDrift]; ok {
		for _, method := range []string{MethodETS, MethodTheta, MethodARIMA, MethodSeasonalMeanWeekDrift, MethodSeasonalMeanWeek} {
			if _, ok := preds[method]; ok {
				parts = append(parts, method)
			}
		}
		return parts
	}
	if _, ok := preds[MethodETS]; ok {
		parts = append(parts, MethodETS)
	}
	if _, ok := preds[MethodSeasonalMeanDrift]; ok {
		parts = append(parts, MethodSeasonalMeanDrift)
	}
	if _, ok := preds[MethodCroston]; ok {
		parts = append(parts, MethodCroston) // in place of the mean of the last two (see competitorsFor)
	}
	return parts
}

// competitorsFor returns the methods other than the GRU that f lets
// compete for a series with season m whose train part is train, in the
// order that wins a tie after the GRU. Under FallbackAuto an intermittent
// series without a season (see intermittent) has Croston's method in
// place of naive and the mean of the last two values (with and without
// drift): most of its validation origins end on a zero, where forecasting
// the last value scores best, but an origin that ends on a sale carries
// it into every step (a spike of 12 forecast for 14 days of a series
// selling 0.3 a day). ARIMA is left out too: autoregression on sales
// that come and go forecast below zero (−0.93 for 120 days of sales now
// and then), and without it a series the classical methods alone
// forecast combines ETS with Croston's (see classicalParts).
func (f Fallback) competitorsFor(train []float64, m int) []string {
	if f == FallbackAuto && m <= 1 && intermittent(train) {
		return []string{MethodETS, MethodTheta, MethodCroston}
	}
	return f.competitors()
}

// competitors returns the methods other than the GRU that f lets compete,
// in the order that wins a tie after the GRU.
func (f Fallback) competitors() []string {
	switch f {
	case FallbackSeasonalNaive:
		return []string{MethodSeasonalNaive}
	case FallbackAuto:
		return []string{MethodETS, MethodTheta, MethodARIMA, MethodSeasonalNaive, MethodSeasonalMean, MethodSeasonalMeanDrift, MethodSeasonalNaiveWeek, MethodSeasonalMeanWeek, MethodSeasonalMeanWeekDrift}
	}
	return nil
}

// seasonalNaiveModel forecasts the last season repeated; weekly, the
// last week (m is then a week, not the series' season).
type seasonalNaiveModel struct {
	m      int
	weekly bool
}

func (s seasonalNaiveModel) Name() string {
	switch {
	case s.weekly:
		return "weekly seasonal naive"
	case s.m <= 1:
		return "naive"
	}
	return "seasonal naive"
}

func (s seasonalNaiveModel) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	out := make([][]float64, len(origins))
	for i, o := range origins {
		out[i] = make([]float64, h)
		SeasonalNaive(out[i], y, o, min(s.m, o))
	}
	return out
}

// intermittent says whether the values y are intermittent demand: two of
// them or more above zero, an average demand interval (values per value
// above zero) of 1.32 or more, the cut-off of Syntetos, Boylan and
// Croston (2005, "On the categorization of demand patterns", JORS 56)
// above which Croston-type methods forecast better than exponential
// smoothing, and at most one negative value (a return) per ten demands:
// one return in two years of an item selling on one day in five had
// left it to naive, whose validation origins mostly end on a zero, and
// which then repeated a last day's sale of 3 for 28 days.
func intermittent(y []float64) bool {
	var demands, returns int
	for _, v := range y {
		switch {
		case v < 0:
			returns++
		case v > 0:
			demands++
		}
	}
	return demands >= 2 && float64(len(y)) >= 1.32*float64(demands) && 10*returns <= demands
}

// crostonAlpha is the smoothing weight of Croston's method, R's
// croston() default and statsforecast's CrostonSBA.
const crostonAlpha = 0.1

// crostonModel forecasts an intermittent series by the rate of its
// demand: the demand sizes (the values above zero) and the intervals
// between demands (counted from the series' start for the first) are each
// smoothed exponentially with weight crostonAlpha from their first value,
// and their ratio, times 1 − crostonAlpha/2 (the Syntetos-Boylan
// approximation, which removes Croston's bias), forecasts every step.
// Negative values (returns, see intermittent) are not demand. A history
// without demand forecasts 0.
type crostonModel struct{}

func (crostonModel) Name() string { return "Croston (SBA)" }

func (crostonModel) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	out := make([][]float64, len(origins))
	for i, o := range origins {
		var size, interval float64
		demands, last := 0, -1
		for t, v := range y[:o] {
			if v <= 0 {
				continue
			}
			gap := float64(t - last)
			if demands == 0 {
				size, interval = v, gap
			} else {
				size += crostonAlpha * (v - size)
				interval += crostonAlpha * (gap - interval)
			}
			demands, last = demands+1, t
		}
		out[i] = make([]float64, h)
		if demands > 0 {
			rate := (1 - crostonAlpha/2) * size / interval
			for k := range out[i] {
				out[i][k] = rate
			}
		}
	}
	return out
}

// seasonalMeanModel forecasts each step by the mean of the values one
// and two seasons before it (of the value one season before while the
// history holds less than two seasons). With drift each of the two is
// first carried forward by the mean change of the history from one season
// to the next: the forecast of the seasonal random walk with drift,
// y(t) = y(t−m) + d + e(t), from each of the last two seasons. Without
// drift it assumes no growth; with drift, the growth the series has shown.
// Weekly, m is a week, not the series' season.
type seasonalMeanModel struct {
	m      int
	drift  bool
	weekly bool
}

func (s seasonalMeanModel) Name() string {
	name := "seasonal mean"
	switch {
	case s.weekly:
		name = "weekly seasonal mean"
	case s.m <= 1:
		name = "mean of the last two"
	}
	if s.drift {
		name += " with drift"
	}
	return name
}

func (s seasonalMeanModel) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	out := make([][]float64, len(origins))
	for i, o := range origins {
		out[i] = make([]float64, h)
		m := max(min(s.m, o), 1)
		// The mean of y(t) − y(t−m) over m ≤ t < o, whose sum telescopes
		// to the last season's sum less the first's.
		var drift float64
		if s.drift && o > m {
			for k := range m {
				drift += y[o-m+k] - y[k]
			}
			drift /= float64(o - m)
		}
		for k := range out[i] {
			seasons := float64(k/m + 1)
			v := y[o-m+k%m] + seasons*drift
			if o >= 2*m {
				v = (v + y[o-2*m+k%m] + (seasons+1)*drift) / 2
			}
			out[i][k] = v
		}
	}
	return out
}

// chooseMethods scores the network and every competitor that
// cfg.Fallback allows on the validation windows of each series, and
// returns the series' results under the best: their test scores and
// forecasts. With FallbackAuto the mean of the network's and the local
// models' forecasts competes too (MethodCombination). The local models are
// fitted on the series in parallel; the network, which is not safe for
// concurrent use, runs on one goroutine.
func chooseMethods(net network, data []*seriesData, l layout, cfg Config, cal Calibration) []SeriesResult {
	results := make([]SeriesResult, len(data))
	type validation struct {
		actual []float64
		base   Metrics              // of seasonal naive
		preds  map[string][]float64 // by method
		names  map[string]string
		parts  []string // of the combination, the GRU first
	}
	vals := make([]validation, len(data))
	// The local competitors on validation, fitted on the train part.
	parallel(len(data), func(i int) {
		d, v := data[i], &vals[i]
		results[i] = SeriesResult{ID: seriesName(d.src), Scaler: d.scaler, CovariateScalers: d.covScale, Split: d.split, MASEScale: d.maseScale}
		y, b := d.y, d.bounds
		valOrigins := originsOf(d.val, l.L)
		for _, o := range valOrigins {
			v.actual = append(v.actual, y[o:o+l.H]...)
		}
		v.base = Score(v.actual, slices.Concat(seasonalNaiveModel{m: cfg.Season}.ForecastAt(y, valOrigins, l.H)...), 1, d.metric)
		v.preds, v.names = map[string][]float64{}, map[string]string{}
		ss := seasonsOf(d.src, cfg.Season)
		for _, method := range cfg.Fallback.competitorsFor(y[:b.Train], cfg.Season) {
			fitted, err := localMethods[method](y[:b.Train], ss)
			if err != nil {
				continue // a method that cannot fit the series does not compete
			}
			pred := slices.Concat(fitted.ForecastAt(y[:b.Val], valOrigins, l.H)...)
			if !allFinite(pred) {
				continue
			}
			v.preds[method], v.names[method] = pred, fitted.Name()
			results[i].Candidates = append(results[i].Candidates, Candidate{Method: method, Name: fitted.Name(), ValRatio: valRatio(v.actual, pred, v.base, d.metric)})
		}
	})
	// The network and the combination on validation. Under FallbackAuto
	// the combination forecasts unless a single method beats it clearly;
	// otherwise the method with the lowest ratio does, the GRU on a tie.
	gruTest := make([][][]Point, len(data))
	for i, d := range data {
		sr, v := &results[i], &vals[i]
		var combName string
		sr.ValLoss, sr.SeasonalNaiveValLoss, sr.ValRatio = validationLosses(net, d, l, cfg.Season)
		sr.Candidates = append([]Candidate{{Method: MethodGRU, Name: "GRU", ValRatio: sr.ValRatio}}, sr.Candidates...)
		best := sr.Candidates[0]
		for _, c := range sr.Candidates[1:] {
			if c.ValRatio < best.ValRatio {
				best = c
			}
		}
		sr.ValBlocks = (len(v.actual)/l.H + l.H - 1) / l.H
		if cfg.Fallback == FallbackAuto {
			v.preds[MethodGRU] = unscaled(predictWindows(net, l, d.feats, d.z, d.val), d.scaler)
			names := []string{"GRU"}
			v.parts = []string{MethodGRU}
			for _, method := range combinationParts(v.preds) {
				v.parts = append(v.parts, method)
				names = append(names, v.names[method])
			}
			if len(v.parts) > 1 {
				pred := combinedForecast(v.preds, v.parts)
				combName = combinationName(names)
				sr.Candidates = append(sr.Candidates, Candidate{Method: MethodCombination, Name: "their " + combinationKind(len(v.parts)), ValRatio: valRatio(v.actual, pred, v.base, d.metric)})
				// A baseline may replace it: on M4 Hourly, whose validation
				// holds hundreds of values, seasonal naive and the seasonal
				// means, daily and weekly, won 111 of 414 series, and
				// without them OWA rose from 0.4271 to 0.4470.
				best = overCombination(sr.Candidates, v.actual, v.preds, pred, l.H, cfg.Season, true)
			}
		}
		sr.Method, sr.MethodName = best.Method, best.Name
		if best.Method == MethodCombination {
			sr.MethodName = combName
		}
		if len(d.test) > 0 {
			sr.Test = evaluate(net, d, l, cfg, cal)
			sr.Test.Selected = sr.Test.GRU
			if best.Method == MethodCombination {
				gruTest[i] = gruPoints(net, d, l, cal, d.test)
			}
		}
		if best.Method == MethodGRU || best.Method == MethodCombination {
			sr.Forecast, sr.Origin = forecastAfter(net, startAfter(d.src, len(d.y)), d.feats, l, d.scaler, cal)
		}
	}
	// The local winners on the test part, fitted on the values before it,
	// and their forecasts, fitted on the whole series. A method that
	// fitted the train part fits these too, or the series keeps the GRU.
	parallel(len(data), func(i int) {
		d, sr := data[i], &results[i]
		if sr.Method == MethodGRU {
			return
		}
		methods := []string{sr.Method}
		if sr.Method == MethodCombination {
			methods = vals[i].parts[1:]
		}
		y, b, ss := d.y, d.bounds, seasonsOf(d.src, cfg.Season)
		for _, method := range methods {
			final, err := localMethods[method](y, ss)
			var testModel localModel
			if err == nil && len(d.test) > 0 {
				testModel, err = localMethods[method](y[:b.Val], ss)
			}
			if err != nil {
				sr.Method, sr.MethodName, sr.locals, sr.testLocals = MethodGRU, "GRU", nil, nil
				return
			}
			sr.locals = append(sr.locals, final)
			if testModel != nil {
				sr.testLocals = append(sr.testLocals, testModel)
			}
		}
		var parts [][]Point
		if sr.Method == MethodCombination {
			parts = append(parts, sr.Forecast)
		}
		for _, m := range sr.locals {
			q := localQuantiles(m, y, l.H, cfg.Levels, cfg.Season)
			pts, origin := localForecast(m, d.y, startAfter(d.src, len(d.y)), l.H, cfg.Levels, q)
			parts, sr.Origin = append(parts, pts), origin
		}
		sr.Forecast = combine(parts)
		// Name the forms fitted on the whole series, which forecast it;
		// AutoETS may choose another form there than on the train part.
		names := make([]string, len(sr.locals))
		for k, m := range sr.locals {
			names[k] = m.Name()
		}
		sr.MethodName = names[0]
		if sr.Method == MethodCombination {
			sr.MethodName = combinationName(append([]string{"GRU"}, names...))
		}
		if len(d.test) == 0 {
			return
		}
		_, actual := baselineScores(d, l, cfg)
		testOrigins := originsOf(d.test, l.L)
		windows := make([][][]Point, len(testOrigins)) // [window][part]
		if sr.Method == MethodCombination {
			for w, pts := range gruTest[i] {
				windows[w] = append(windows[w], pts)
			}
		}
		for _, m := range sr.testLocals {
			q := localQuantiles(m, y[:b.Val], l.H, cfg.Levels, cfg.Season)
			for w, pts := range localPoints(m, y, testOrigins, l.H, cfg.Levels, q) {
				windows[w] = append(windows[w], pts)
			}
		}
		var pred []float64
		var pts []Point
		floor := nonNegative(y[:b.Val]) // once, not for every window
		for _, parts := range windows {
			c := combine(parts)
			if floor {
				floorAtZero(c)
			}
			pts = append(pts, c...)
			for _, p := range c {
				pred = append(pred, p.Value)
			}
		}
		sr.Test.Selected = Score(actual, pred, d.maseScale, d.metric)
		sr.Test.Coverage = pointCoverage(pts, actual, len(cfg.Levels))
	})
	// A series that fell back to the GRU above is forecast by it.
	for i, d := range data {
		if sr := &results[i]; sr.Method == MethodGRU && sr.Forecast == nil {
			sr.Forecast, sr.Origin = forecastAfter(net, startAfter(d.src, len(d.y)), d.feats, l, d.scaler, cal)
		}
		results[i].Forecast = floorNonNegative(results[i].Forecast, d.y)
	}
	return results
}

// unscaled returns the values z unscaled by scaler, in place.
func unscaled(z []float64, scaler ZScore) []float64 {
	for i, v := range z {
		z[i] = scaler.Unscale(v)
	}
	return z
}

// gruPoints returns the network's forecasts of the windows of d starting
// at starts, with their intervals, window after window.
func gruPoints(net network, d *seriesData, l layout, cal Calibration, starts []int) [][]Point {
	pred := predictWindows(net, l, d.feats, d.z, starts)
	out := make([][]Point, len(starts))
	for w := range starts {
		out[w] = make([]Point, l.H)
		for k := range out[w] {
			v := pred[w*l.H+k]
			out[w][k] = Point{Step: k + 1, Value: d.scaler.Unscale(v), Intervals: cal.intervals(v, k, d.scaler)}
		}
	}
	return out
}

// localPoints returns the forecasts of m at origins of y, each point with
// the intervals of quantiles q (per level and step).
func localPoints(m localModel, y []float64, origins []int, h int, levels []float64, q errorQuantiles) [][]Point {
	out := make([][]Point, len(origins))
	for w, f := range m.ForecastAt(y, origins, h) {
		out[w] = make([]Point, h)
		for k, v := range f {
			out[w][k] = Point{Step: k + 1, Value: v}
			for i, a := range levels {
				lower, upper := q.interval(v, i, k)
				out[w][k].Intervals = append(out[w][k].Intervals, Interval{Level: a, Lower: lower, Upper: upper})
			}
		}
	}
	return out
}

// maxMeanParts is the most forecasts a combination averages: of more it
// takes the median, value by value, which the odd part far off does not
// move. The combination of a series with a week (see combinationParts)
// has six parts; on the development origin of M4 Hourly (the last 48
// values of its training series) their median scored an OWA of 0.4742,
// their mean 0.4801.
const maxMeanParts = 3

// combined is the mean of v, or its median where v holds more than
// maxMeanParts values; it may reorder v.
func combined(v []float64) float64 {
	if len(v) <= maxMeanParts {
		var mean float64
		for _, x := range v {
			mean += x / float64(len(v))
		}
		return mean
	}
	slices.Sort(v)
	k := len(v) / 2
	if len(v)%2 == 0 {
		return (v[k-1] + v[k]) / 2
	}
	return v[k]
}

// combinationKind is how combined combines n forecasts: "mean" or, of
// more than maxMeanParts, "median".
func combinationKind(n int) string {
	if n > maxMeanParts {
		return "median"
	}
	return "mean"
}

// combinationName names the combination of the forecasts of the methods
// named names: "mean of GRU, ETS(A,N,A)" or, of more than maxMeanParts,
// "median of …".
func combinationName(names []string) string {
	return combinationKind(len(names)) + " of " + strings.Join(names, ", ")
}

// combine returns the combination of forecasts of the same steps (see
// combined): of their values and of each bound of their intervals
// (unbounded if any part's is, with up to maxMeanParts parts). One part is
// returned as it is.
func combine(parts [][]Point) []Point {
	if len(parts) == 1 {
		return parts[0]
	}
	out := make([]Point, len(parts[0]))
	buf := make([]float64, len(parts))
	for k := range out {
		out[k] = Point{Step: parts[0][k].Step, Time: parts[0][k].Time}
		for j, p := range parts {
			buf[j] = p[k].Value
		}
		out[k].Value = combined(buf)
		for i, iv := range parts[0][k].Intervals {
			c := Interval{Level: iv.Level}
			for j, p := range parts {
				buf[j] = p[k].Intervals[i].Lower
			}
			c.Lower = combined(buf)
			for j, p := range parts {
				buf[j] = p[k].Intervals[i].Upper
			}
			c.Upper = combined(buf)
			out[k].Intervals = append(out[k].Intervals, c)
		}
	}
	return out
}

// pointCoverage returns, per level, the share of actual values inside the
// intervals of the points forecasting them, of those bounded: an
// unbounded interval (too little history for its level) is none, and
// counted it held every value. The levels from the first bounded at no
// step on (intervals nest: the wider ones) are left out.
func pointCoverage(pts []Point, actual []float64, levels int) []float64 {
	if levels == 0 || len(actual) == 0 {
		return nil
	}
	var out []float64
	for i := range levels {
		in, bounded := 0, 0
		for j, a := range actual {
			iv := pts[j].Intervals[i]
			if math.IsInf(iv.Lower, 0) || math.IsInf(iv.Upper, 0) {
				continue
			}
			bounded++
			if iv.Lower <= a && a <= iv.Upper {
				in++
			}
		}
		if bounded == 0 {
			break
		}
		out = append(out, float64(in)/float64(bounded))
	}
	return out
}

// nonNegative says whether no value of y is below zero (nor NaN), or, of
// counts (whole numbers), at most one in a hundred, where zeros are many
// (ten for each value below) or none: sales less the odd return, which
// sell nothing often or never. Whole degrees of a mild winter, a few days
// below zero, pass 0 about as often as they fall below it, and are not
// bounded. Such a series' forecasts are floored at zero (see floorAtZero):
// the methods combined, their Gaussian and conformal intervals alike, know
// nothing of a bound, and forecast an hourly load of 10 to 6045 down to
// −338 and a shop selling 0 to 3 a day a 95 % interval from −1.4; one
// return of an item in two years had put a third of its 95 % intervals
// below zero, down to −3.8, where one day in 500 is.
func nonNegative(y []float64) bool {
	negative, zeros, counts := 0, 0, true
	for _, v := range y {
		switch {
		case math.IsNaN(v):
			return false
		case v < 0:
			negative++
		case v == 0:
			zeros++
		}
		counts = counts && v == math.Trunc(v)
	}
	return len(y) > 0 && (negative == 0 || counts && 100*negative <= len(y) && (zeros == 0 || 10*negative <= zeros))
}

// floorAtZero raises the values and interval bounds of pts below zero to
// zero, in place, and returns pts. An interval unbounded (a level that
// could not be bounded) stays so.
func floorAtZero(pts []Point) []Point {
	for k := range pts {
		pts[k].Value = max(pts[k].Value, 0)
		for i := range pts[k].Intervals {
			if iv := &pts[k].Intervals[i]; !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) {
				iv.Lower, iv.Upper = max(iv.Lower, 0), max(iv.Upper, 0)
			}
		}
	}
	return pts
}

// floorNonNegative floors pts at zero (see floorAtZero) if no value of y,
// the values before them, is below zero.
func floorNonNegative(pts []Point, y []float64) []Point {
	if nonNegative(y) {
		return floorAtZero(pts)
	}
	return pts
}

// parallel calls f(0), …, f(n−1) on up to GOMAXPROCS goroutines and waits
// for them. Each call must touch only what is its own.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(runtime.GOMAXPROCS(0), n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// originsOf returns the forecast origins of windows starting at starts
// with lookback L: the index of each window's first target.
func originsOf(starts []int, L int) []int {
	out := make([]int, len(starts))
	for i, s := range starts {
		out[i] = s + L
	}
	return out
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// maxCalibrationOrigins bounds the origins whose errors calibrate the
// intervals of a local model.
const maxCalibrationOrigins = 200

// errorQuantiles are the split-conformal quantiles of a local model's
// errors, per level and step (see localQuantiles): of the absolute errors,
// or where relative, of the absolute errors over the forecasts.
type errorQuantiles struct {
	q        [][]float64
	relative bool
}

// interval returns the interval of level index i at step index k around
// the forecast v.
func (e errorQuantiles) interval(v float64, i, k int) (lower, upper float64) {
	d := e.q[i][k]
	if e.relative && !math.IsInf(d, 1) {
		d *= math.Abs(v)
	}
	return v - d, v + d
}

// localQuantiles returns the split-conformal quantiles, per level and
// step, of the errors of m's forecasts of the history y at its last
// origins (at most maxCalibrationOrigins, each with a season of history
// before it and after the series first changes: a new product's zeros,
// which every method forecasts exactly, say nothing of its errors since,
// unless it never changes). Of a series whose values, and forecasts
// there, are all above 0 (not temperatures that touch 0), the errors are
// taken relative to the forecasts, as a multiplicative model's are: the
// absolute errors of a series that grew tenfold, pooled over its history,
// gave intervals at its end that held 21 % of the test values at 80 %
// (JohnsonJohnson); otherwise on the original scale. A level that the
// origins are too few for is +Inf.
func localQuantiles(m localModel, y []float64, h int, levels []float64, season int) errorQuantiles {
	changed := firstChange(y, season)
	if changed == len(y) {
		changed = 0
	}
	first := max(len(y)-h-maxCalibrationOrigins+1, season, 1, changed)
	var origins []int
	for o := first; o+h <= len(y); o++ {
		origins = append(origins, o)
	}
	forecasts := m.ForecastAt(y, origins, h)
	relative := len(origins) > 0 && slices.Min(y) > 0
	for _, f := range forecasts {
		relative = relative && slices.Min(f) > 0
	}
	errs := make([][]float64, h)
	for i, f := range forecasts {
		for k, v := range f {
			e := math.Abs(v - y[origins[i]+k])
			if relative {
				e /= v
			}
			errs[k] = append(errs[k], e)
		}
	}
	out := errorQuantiles{q: make([][]float64, len(levels)), relative: relative}
	for k := range errs {
		slices.Sort(errs[k])
	}
	for i, a := range levels {
		out.q[i] = make([]float64, h)
		for k, e := range errs {
			out.q[i][k] = math.Inf(1)
			if allFinite(e) {
				out.q[i][k] = conformalQuantile(e, a)
			}
		}
	}
	return out
}

// localForecast is the forecast of m after the values y of a series,
// dated from st, with the intervals of quantiles q.
func localForecast(m localModel, y []float64, st forecastStart, h int, levels []float64, q errorQuantiles) ([]Point, time.Time) {
	return st.date(localPoints(m, y, []int{st.n}, h, levels, q)[0])
}

// forecastStart is where a forecast starts: after the first n values of a
// series, the last of them at the time last if the series has times.
type forecastStart struct {
	n     int
	timed bool
	last  time.Time
	freq  ingest.Freq
}

// startAfter is the start of a forecast after the first n values of s.
func startAfter(s *ingest.Series, n int) forecastStart {
	st := forecastStart{n: n, timed: s.Timed(), freq: s.Freq}
	if st.timed {
		st.last = s.Time(n - 1)
	}
	return st
}

// date dates forecast points made from st with the series' frequency, and
// returns them with the origin, the last time before them (zero without
// times).
func (st forecastStart) date(pts []Point) ([]Point, time.Time) {
	if !st.timed {
		return pts, time.Time{}
	}
	for k := range pts {
		pts[k].Time = st.freq.Add(st.last, pts[k].Step)
	}
	return pts, st.last
}

// valRatio scores the forecasts pred of the values actual as Candidate
// does: the mean of the ratios of their sMAPE and MAE to base's (seasonal
// naive's), on the original scale (metric scales the MSE and MAE that
// Score also gives).
func valRatio(actual, pred []float64, base Metrics, metric ZScore) float64 {
	return relativeError(Score(actual, pred, 1, metric), base, metric)
}

// combinedForecast is the combination of the forecasts of methods in
// preds, value by value (see combined).
func combinedForecast(preds map[string][]float64, methods []string) []float64 {
	out := make([]float64, len(preds[methods[0]]))
	buf := make([]float64, len(methods))
	for k := range out {
		for j, method := range methods {
			buf[j] = preds[method][k]
		}
		out[k] = combined(buf)
	}
	return out
}

// overCombination returns what forecasts a series under FallbackAuto, of
// cands, whose last is the combination whose validation forecasts are
// comb: of the others (the models alone unless baselines, see
// isBaseline), those clearly better than it on the validation values
// actual (see clearlyBetter) and with a lower ratio on every validation
// window, the one with the lowest ratio; if none is, the combination. The
// ratio guards against a method that beat the combination on the windows
// a horizon apart alone, by chance: so naive, a flat line, won Nile's
// last six years, with a ratio of 1.000 on all the windows against the
// combination's 0.726.
func overCombination(cands []Candidate, actual []float64, preds map[string][]float64, comb []float64, h, m int, baselines bool) Candidate {
	combination := cands[len(cands)-1]
	best := combination
	for _, c := range cands[:len(cands)-1] {
		if (baselines || !isBaseline(c.Method)) && c.ValRatio < combination.ValRatio && clearlyBetter(actual, preds[c.Method], comb, h, m) && (best.Method == MethodCombination || c.ValRatio < best.ValRatio) {
			best = c
		}
	}
	return best
}

// isBaseline says whether the method is a baseline, which repeats or
// averages a series' last values (naive, seasonal naive, the seasonal
// means), not a model fitted to it (the GRU, ETS, Theta, ARIMA,
// Croston's).
func isBaseline(method string) bool {
	switch method {
	case MethodSeasonalNaive, MethodSeasonalMean, MethodSeasonalMeanDrift, MethodSeasonalNaiveWeek, MethodSeasonalMeanWeek, MethodSeasonalMeanWeekDrift:
		return true
	}
	return false
}

// minClearSteps is the fewest validation values on which a single method
// must beat the combination before it replaces it; with a season, two
// seasons of them are needed besides, so that the method shows it
// forecasts the season, not one stretch of it.
const minClearSteps = 3

// clearlyBetter compares the forecasts pred and comb of the validation
// windows whose actual values are actual, each h long and each starting a
// step after the one before. Overlapping windows repeat their values, so
// only the windows a horizon apart, counted back from the last, count: pred
// is clearly better if, on at least minClearSteps values and two seasons of
// m, the mean difference of its absolute errors from comb's is below −2
// standard errors (the Diebold-Mariano statistic, with the Newey-West
// variance, Bartlett weights and lag ⌊4 (n/100)^(2/9)⌋, which allows for
// the errors of neighbouring steps going together).
func clearlyBetter(actual, pred, comb []float64, h, m int) bool {
	if len(pred) != len(actual) {
		return false
	}
	var diffs []float64
	for w := len(actual)/h - 1; w >= 0; w -= h {
		for k := w * h; k < (w+1)*h; k++ {
			diffs = append(diffs, math.Abs(actual[k]-pred[k])-math.Abs(actual[k]-comb[k]))
		}
	}
	if len(diffs) < max(minClearSteps, 2*m) {
		return false
	}
	n := float64(len(diffs))
	var mean float64
	for _, d := range diffs {
		mean += d / n
	}
	autocov := func(lag int) float64 {
		var s float64
		for t := lag; t < len(diffs); t++ {
			s += (diffs[t] - mean) * (diffs[t-lag] - mean)
		}
		return s / n
	}
	variance, lags := autocov(0), min(int(4*math.Pow(n/100, 2.0/9)), len(diffs)-1)
	for lag := 1; lag <= lags; lag++ {
		variance += 2 * (1 - float64(lag)/float64(lags+1)) * autocov(lag)
	}
	if !(variance > 0) {
		return mean < 0 && variance == 0
	}
	return mean/math.Sqrt(variance/n) < -2
}

// seasonsOf returns the seasons of s under the season m.
func seasonsOf(s *ingest.Series, m int) seasons {
	return seasons{m: m, week: weekSeason(s.Freq, m)}
}
