package forecast

import (
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
	MethodGRU           = "gru"
	MethodETS           = "ets"
	MethodTheta         = "theta"
	MethodSeasonalNaive = "snaive"
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

// MethodLabel is how a stored forecast names its method: the method, with
// the form for ETS, e.g. "gru", "ets(M,A,M)", "theta", "snaive".
func MethodLabel(method, name string) string {
	if method == MethodETS {
		if _, form, ok := strings.Cut(name, "("); ok {
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
	// Forecast returns the h values after the data it was fitted on.
	Forecast(h int) []float64
	// ForecastAt returns, for each origin o, the h values after y[:o],
	// with what was fitted held fixed; y begins with the fitted data.
	ForecastAt(y []float64, origins []int, h int) [][]float64
}

// localMethods fit the local models that compete with the GRU, by method.
var localMethods = map[string]func(y []float64, m int) (localModel, error){
	MethodETS:           func(y []float64, m int) (localModel, error) { return classical.Fit(classical.MethodETS, y, m) },
	MethodTheta:         func(y []float64, m int) (localModel, error) { return classical.Fit(classical.MethodTheta, y, m) },
	MethodSeasonalNaive: func(y []float64, m int) (localModel, error) { return seasonalNaiveModel{y: y, m: m}, nil },
}

// competitors returns the methods other than the GRU that f lets compete,
// in the order that wins a tie after the GRU.
func (f Fallback) competitors() []string {
	switch f {
	case FallbackSeasonalNaive:
		return []string{MethodSeasonalNaive}
	case FallbackAuto:
		return []string{MethodETS, MethodTheta, MethodSeasonalNaive}
	}
	return nil
}

// seasonalNaiveModel forecasts the last season repeated.
type seasonalNaiveModel struct {
	y []float64
	m int
}

func (s seasonalNaiveModel) Name() string {
	if s.m <= 1 {
		return "naive"
	}
	return "seasonal naive"
}

func (s seasonalNaiveModel) Forecast(h int) []float64 {
	return s.ForecastAt(s.y, []int{len(s.y)}, h)[0]
}

func (s seasonalNaiveModel) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	out := make([][]float64, len(origins))
	for i, o := range origins {
		out[i] = make([]float64, h)
		SeasonalNaive(out[i], y, o, min(s.m, o))
	}
	return out
}

// chooseMethods scores the network and every competitor that
// cfg.Fallback allows on the validation windows of each series, and
// returns the series' results under the best: their test scores and
// forecasts. The local models are fitted on the series in parallel; the
// network, which is not safe for concurrent use, runs on one goroutine.
func chooseMethods(net network, data []*seriesData, l layout, cfg Config, cal Calibration) []SeriesResult {
	results := make([]SeriesResult, len(data))
	// The local competitors on validation, fitted on the train part.
	parallel(len(data), func(i int) {
		d := data[i]
		results[i] = SeriesResult{ID: seriesName(d.src), Scaler: d.scaler, CovariateScalers: d.covScale, Split: d.split, MASEScale: d.maseScale}
		y, b := d.src.Values, d.bounds
		valOrigins := originsOf(d.val, l.L)
		var actual []float64
		for _, o := range valOrigins {
			actual = append(actual, y[o:o+l.H]...)
		}
		base := Score(actual, slices.Concat(seasonalNaiveModel{m: cfg.Season}.ForecastAt(y, valOrigins, l.H)...), 1, d.metric)
		for _, method := range cfg.Fallback.competitors() {
			fitted, err := localMethods[method](y[:b.Train], cfg.Season)
			if err != nil {
				continue // a method that cannot fit the series does not compete
			}
			pred := slices.Concat(fitted.ForecastAt(y[:b.Val], valOrigins, l.H)...)
			if !allFinite(pred) {
				continue
			}
			sc := Score(actual, pred, 1, d.metric)
			results[i].Candidates = append(results[i].Candidates, Candidate{Method: method, Name: fitted.Name(), ValRatio: (safeRatio(sc.SMAPE, base.SMAPE) + safeRatio(sc.MAE, base.MAE)) / 2})
		}
	})
	// The network on validation; the best method wins, the GRU on a tie.
	for i, d := range data {
		sr := &results[i]
		sr.ValLoss, sr.SeasonalNaiveValLoss, sr.ValRatio = validationLosses(net, d, l, cfg.Season)
		sr.Candidates = append([]Candidate{{Method: MethodGRU, Name: "GRU", ValRatio: sr.ValRatio}}, sr.Candidates...)
		best := sr.Candidates[0]
		for _, c := range sr.Candidates[1:] {
			if c.ValRatio < best.ValRatio {
				best = c
			}
		}
		sr.Method, sr.MethodName = best.Method, best.Name
		if len(d.test) > 0 {
			sr.Test = evaluate(net, d, l, cfg, cal)
			sr.Test.Selected = sr.Test.GRU
		}
		if best.Method == MethodGRU {
			sr.Forecast, sr.Origin = forecastAfter(net, d.src, d.feats, l, d.scaler, cal)
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
		y, b := d.src.Values, d.bounds
		final, err := localMethods[sr.Method](y, cfg.Season)
		if err != nil {
			sr.Method, sr.MethodName = MethodGRU, "GRU"
			return
		}
		if len(d.test) > 0 {
			testModel, err := localMethods[sr.Method](y[:b.Val], cfg.Season)
			if err != nil {
				sr.Method, sr.MethodName = MethodGRU, "GRU"
				return
			}
			_, actual := baselineScores(d, l, cfg)
			pred := slices.Concat(testModel.ForecastAt(y, originsOf(d.test, l.L), l.H)...)
			sr.Test.Selected = Score(actual, pred, d.maseScale, d.metric)
			q := localQuantiles(testModel, y[:b.Val], l.H, cfg.Levels, cfg.Season)
			sr.Test.Coverage = quantileCoverage(q, actual, pred, l.H)
			sr.testModel = testModel
		}
		sr.local = final
		q := localQuantiles(final, y, l.H, cfg.Levels, cfg.Season)
		sr.Forecast, sr.Origin = localForecast(final, d.src, l.H, cfg.Levels, q)
	})
	// A series that fell back to the GRU above is forecast by it.
	for i, d := range data {
		if sr := &results[i]; sr.Method == MethodGRU && sr.Forecast == nil {
			sr.Forecast, sr.Origin = forecastAfter(net, d.src, d.feats, l, d.scaler, cal)
		}
	}
	return results
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

// localQuantiles returns the split-conformal quantiles, per level and
// step, of the absolute errors of m's forecasts of the history y at its
// last origins (at most maxCalibrationOrigins, each with a season of
// history before it), on the original scale. A level that the origins are
// too few for is +Inf.
func localQuantiles(m localModel, y []float64, h int, levels []float64, season int) [][]float64 {
	first := max(len(y)-h-maxCalibrationOrigins+1, season, 1)
	var origins []int
	for o := first; o+h <= len(y); o++ {
		origins = append(origins, o)
	}
	errs := make([][]float64, h)
	for i, f := range m.ForecastAt(y, origins, h) {
		for k, v := range f {
			errs[k] = append(errs[k], math.Abs(v-y[origins[i]+k]))
		}
	}
	out := make([][]float64, len(levels))
	for k := range errs {
		slices.Sort(errs[k])
	}
	for i, a := range levels {
		out[i] = make([]float64, h)
		for k, e := range errs {
			out[i][k] = math.Inf(1)
			if allFinite(e) {
				out[i][k] = conformalQuantile(e, a)
			}
		}
	}
	return out
}

// quantileCoverage returns, per level, the share of actual values within
// pred ± the level's quantile of their step.
func quantileCoverage(q [][]float64, actual, pred []float64, h int) []float64 {
	if len(q) == 0 || len(actual) == 0 {
		return nil
	}
	out := make([]float64, len(q))
	for i := range q {
		in := 0
		for j, a := range actual {
			if math.Abs(a-pred[j]) <= q[i][j%h] {
				in++
			}
		}
		out[i] = float64(in) / float64(len(actual))
	}
	return out
}

// localForecast dates the forecast of m after the last value of s, with
// the intervals of quantiles q (per level and step).
func localForecast(m localModel, s *ingest.Series, h int, levels []float64, q [][]float64) ([]Point, time.Time) {
	vals := m.Forecast(h)
	n := len(s.Values)
	var origin time.Time
	if s.Times != nil {
		origin = s.Times[n-1]
	}
	pts := make([]Point, h)
	for k, v := range vals {
		pts[k] = Point{Step: k + 1, Value: v}
		if s.Times != nil {
			pts[k].Time = s.Freq.Add(origin, k+1)
		}
		for i, a := range levels {
			pts[k].Intervals = append(pts[k].Intervals, Interval{Level: a, Lower: v - q[i][k], Upper: v + q[i][k]})
		}
	}
	return pts, origin
}
