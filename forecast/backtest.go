package forecast

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/ingest"
)

// BacktestConfig says where the forecast origins of a backtest lie. The
// origins are in the test part of each series (see Protocol): the last one
// leaves exactly Horizon values after it, and the others step back by Stride.
type BacktestConfig struct {
	Folds  int  // number of origins per series; 0 means every origin the stride allows
	Stride int  // steps between origins; 0 means 1 when Folds is 0, else Horizon
	Refit  bool // retrain before each fold on everything before its origin
}

// Fold is the evaluation of one forecast origin of one series.
type Fold struct {
	Series string
	Method string // the name of what forecast it, e.g. "GRU" or "ETS(M,Ad,M)" (see SeriesResult.Method)
	Label  string // the same as stored forecasts name it, e.g. "gru", "ets(M,Ad,M)", "comb(gru,ets(M,A,M),smean_drift)" (see SeriesResult.Label)
	// Candidates are the methods that competed on validation for the
	// model that forecast the fold (see SeriesResult.Candidates).
	Candidates []Candidate
	Origin     int       // index of the first forecast value
	Time       time.Time // time of the last observation before Origin; zero without times
	Scores     Scores
	Forecast   []Point   // the forecast of the Horizon values from Origin on
	Actual     []float64 // the values it forecast
}

// BacktestResult is the outcome of Backtest.
type BacktestResult struct {
	Folds   []Fold
	Overall Scores  // the mean over series of the metrics pooled over each series' folds
	Model   *Result // the model evaluated (without Refit), else the last fold's
}

// Backtest evaluates the GRU and the baselines at rolling forecast origins:
// each fold forecasts Horizon values after its origin from the Lookback
// values before it. Without Refit one model is trained under cfg.Protocol
// and every fold lies in the test part; with Refit a model is trained for
// every fold on the values before its origin (the last tenth of them, at
// least a horizon, for validation), as the data would have allowed at the
// time, so the folds may reach back before the test part, as far as a
// refit has values to train on; the lookback and the ensemble left to the
// data are chosen for each fold.
func Backtest(ctx context.Context, series []*ingest.Series, cfg Config, bt BacktestConfig, progress func(EpochStats)) (*BacktestResult, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if bt.Folds < 0 || bt.Stride < 0 {
		return nil, fmt.Errorf("%w: folds and stride must not be negative", ErrInvalid)
	}
	resolved, err := cfg.Resolve(series)
	if err != nil {
		return nil, err
	}
	if bt.Refit {
		cfg.Horizon, cfg.Season = resolved.Horizon, resolved.Season
	} else {
		cfg = resolved
	}
	stride := bt.Stride
	if stride == 0 {
		stride = 1
		if bt.Folds > 0 {
			stride = cfg.Horizon
		}
	}
	h := cfg.Horizon
	for _, s := range series {
		if s.Len() > cfg.Season && Repeats(s.Values(), cfg.Season) {
			return nil, fmt.Errorf("%w: series %q %s: seasonal naive forecasts it exactly, and MASE, which scales errors by its changes, is undefined: there is nothing to backtest",
				ErrInvalid, seriesName(s), strings.TrimPrefix(repeatsText(s.Values(), cfg.Season), "the series "))
		}
	}
	origins := make([][]int, len(series))
	for i, s := range series {
		b, err := cfg.Protocol.bounds(s.Len(), h)
		if err != nil {
			return nil, err
		}
		// A refit needs a train part of a horizon and two values, and of
		// more than a season (the MASE scale), beside a validation part of
		// a horizon (see protocolTrainVal).
		first := max(2*h+2, (h+2)*10/9+1, cfg.Season+h+1, (cfg.Season+1)*10/9+1)
		if L := cfg.Lookback; L > 0 {
			// A lookback given: a train window of it and a horizon.
			first = max(first, L+2*h, (L+h)*10/9+1)
		}
		refitFits := first <= s.Len()-h // a refit would find an origin
		if !bt.Refit {
			first = max(b.Val, cfg.Lookback, cfg.Season)
		}
		for o := b.End - h; o >= first && (bt.Folds == 0 || len(origins[i]) < bt.Folds); o -= stride {
			origins[i] = append([]int{o}, origins[i]...)
		}
		if len(origins[i]) == 0 {
			if bt.Refit && cfg.Lookback > 0 {
				return nil, fmt.Errorf("%w: series %q has %d values: too few to refit with lookback %d before a forecast of %d (the first origin would be %d)", ErrInvalid, seriesName(s), s.Len(), cfg.Lookback, h, first)
			}
			if bt.Refit {
				return nil, fmt.Errorf("%w: series %q has %d values: too few to refit before a forecast of %d", ErrInvalid, seriesName(s), s.Len(), h)
			}
			hint := "give a shorter --horizon"
			if refitFits {
				hint += ", or --refit, which refits before each origin"
			}
			if b.End <= b.Val {
				return nil, fmt.Errorf("%w: series %q has %d values: too few for a test part of a horizon (%d) after the train and validation parts; %s", ErrInvalid, seriesName(s), s.Len(), h, hint)
			}
			return nil, fmt.Errorf("%w: series %q: its test part (values %d to %d) holds no forecast origin with lookback %d and horizon %d; %s", ErrInvalid, seriesName(s), b.Val+1, b.End, cfg.Lookback, h, hint)
		}
	}

	res := &BacktestResult{}
	if !bt.Refit {
		fit, err := FitMany(ctx, series, cfg, progress)
		if err != nil {
			return nil, err
		}
		res.Model = fit
		// The fit's settings, in which NormAuto has become the kept norm.
		cfg := fit.Config
		for i, s := range series {
			d, l, err := prepareFold(s, cfg, fit.Series[i])
			if err != nil {
				return nil, err
			}
			for _, o := range origins[i] {
				f := scoreFold(fit, d, l, cfg, o, fit.Series[i], fit.Series[i].testLocals)
				f.Candidates = fit.Series[i].Candidates
				res.Folds = append(res.Folds, f)
			}
		}
	} else {
		// Fold j of every series is trained together: one global model per
		// fold, on each series cut at its own origin.
		folds := 0
		for _, o := range origins {
			folds = max(folds, len(o))
		}
		refitCfg := cfg
		refitCfg.Protocol = protocolTrainVal
		for j := 0; j < folds; j++ {
			var cut []*ingest.Series
			var idx []int
			for i, s := range series {
				if k := len(origins[i]) - folds + j; k >= 0 {
					cut = append(cut, s.Head(origins[i][k]))
					idx = append(idx, i)
				}
			}
			fit, err := FitMany(ctx, cut, refitCfg, progress)
			if err != nil {
				return nil, fmt.Errorf("fold %d: %w", j+1, err)
			}
			res.Model = fit
			foldCfg := fit.Config
			foldCfg.Protocol = cfg.Protocol
			for n, i := range idx {
				o := origins[i][len(origins[i])-folds+j]
				d, l, err := prepareFold(series[i], foldCfg, fit.Series[n])
				if err != nil {
					return nil, err
				}
				// Score with the fold model's scalers, fitted on data before the
				// origin, and the scales of the values before it: the MASE's
				// (Hyndman's in-sample) and the scaled metrics' (under the ett
				// protocol, of its train rows before the origin). Those of the
				// whole series' train part reached past early origins.
				d.scaler, d.covScale = fit.Series[n].Scaler, fit.Series[n].CovariateScalers
				d.feats = features(series[i], d.y, series[i].Covariates(), d.scaler, d.covScale, l)
				for t := range d.z {
					d.z[t] = d.feats[t*l.F]
				}
				// (A history that repeats itself takes the scale of the values
				// to the end of the fold's horizon, as fit takes the later ones.)
				if d.maseScale, err = seriesMASEScale(d.y[:o+l.H], o, o, foldCfg.Season); err != nil {
					return nil, err
				}
				before := o
				if cfg.Protocol == ProtocolETT {
					before = min(o, d.bounds.Train)
				}
				d.metric = FitZScore(d.y[:before])
				f := scoreFold(fit, d, l, foldCfg, o, fit.Series[n], fit.Series[n].locals)
				f.Candidates = fit.Series[n].Candidates
				res.Folds = append(res.Folds, f)
			}
		}
	}
	res.Overall = meanFoldScores(res.Folds)
	return res, nil
}

// prepareFold prepares the series s, fitted under cfg with the result sr,
// for scoring, and returns it with its layout. A series too short for the
// windows of a global model's lookback, which the classical methods alone
// forecast beside the network (see Config.ShortSeries), is prepared with
// a lookback of one: its baselines and classical forecasts, made at the
// same origins, do not depend on it.
func prepareFold(s *ingest.Series, cfg Config, sr SeriesResult) (*seriesData, layout, error) {
	if sr.classicalOnly && !cfg.hasWindows(s) {
		cfg.Lookback = 1
	}
	l := newLayout(s, cfg)
	d, err := prepareScaled(s, cfg, l, true)
	return d, l, err
}

// scoreFold scores the forecast of the fitted model and of the baselines
// made at origin o of the series d, forecast by the method of sr: the GRU,
// the local models locals (fitted on values before o) or, for a
// combination, the mean of both; of locals alone where the classical
// methods alone forecast the series (the GRU's scores are then zero).
func scoreFold(fit *Result, d *seriesData, l layout, cfg Config, o int, sr SeriesResult, locals []localModel) Fold {
	one := *d
	one.test = []int{o - l.L}
	f := Fold{Series: seriesName(d.src), Method: sr.MethodName, Label: sr.Label(), Origin: o, Actual: d.y[o : o+l.H]}
	if d.src.Timed() {
		f.Time = d.src.Time(o - 1)
	}
	start := startAfter(d.src, o)
	var parts [][]Point
	if sr.classicalOnly {
		f.Scores, _ = baselineScores(&one, l, cfg)
	} else {
		net := ensemble(fit.Members)
		f.Scores = evaluate(net, &one, l, cfg, fit.Calibration)
	}
	if !sr.classicalOnly && (sr.Method == MethodGRU || sr.Method == MethodCombination) {
		net := ensemble(fit.Members)
		pts, _ := forecastAfter(net, start, d.feats[:o*l.F], l, d.scaler, fit.Calibration)
		parts = append(parts, pts)
	}
	for _, m := range locals {
		q := localQuantiles(m, d.y[:o], l.H, cfg.Levels, cfg.Season)
		pts, _ := localForecast(m, d.y, start, l.H, cfg.Levels, q)
		parts = append(parts, pts)
	}
	f.Forecast = floorNonNegative(combine(parts), d.y[:o])
	pred := make([]float64, len(f.Forecast))
	for k, p := range f.Forecast {
		pred[k] = p.Value
	}
	f.Scores.Selected = Score(f.Actual, pred, d.maseScale, d.metric)
	if cfg.Protocol == ProtocolM4 {
		naive2 := make([]float64, l.H)
		Naive2(naive2, d.y, o, cfg.Season)
		f.Scores.Naive2 = Score(f.Actual, naive2, d.maseScale, d.metric)
	}
	f.Scores.Coverage = pointCoverage(f.Forecast, f.Actual, len(cfg.Levels))
	return f
}

// meanFoldScores pools the folds of each series (the mean of their metrics,
// every fold having Horizon values) and averages over series.
func meanFoldScores(folds []Fold) Scores {
	var perSeries []SeriesResult
	var names []string
	groups := map[string][]Fold{}
	for _, f := range folds {
		if _, ok := groups[f.Series]; !ok {
			names = append(names, f.Series)
		}
		groups[f.Series] = append(groups[f.Series], f)
	}
	for _, name := range names {
		rs := make([]SeriesResult, len(groups[name]))
		for i, f := range groups[name] {
			rs[i].Test = f.Scores
		}
		perSeries = append(perSeries, SeriesResult{ID: name, Test: meanScores(rs, true)})
	}
	return meanScores(perSeries, false)
}
