package forecast

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

// EpochStats reports one finished training epoch.
type EpochStats struct {
	Epoch     int           // 1-based
	TrainLoss float64       // mean scaled MSE over the epoch's minibatches
	ValLoss   float64       // scaled MSE over all validation windows
	Best      bool          // the validation loss improved on every earlier epoch
	Elapsed   time.Duration // wall time of the epoch, validation included
}

// Point is one forecast value.
type Point struct {
	Step  int       // 1..Horizon
	Time  time.Time // target time; zero when the series has no time column
	Value float64
}

// Split holds the sizes of the three parts of protocol v1, in values and in
// windows.
type Split struct {
	Train, Val, Test                      int
	TrainWindows, ValWindows, TestWindows int
}

// Scores holds test metrics of the GRU and of the baselines on the same
// windows.
type Scores struct {
	GRU           Metrics `json:"gru"`
	Naive         Metrics `json:"naive"`
	SeasonalNaive Metrics `json:"seasonal_naive"`
}

// Result is everything Fit produced.
type Result struct {
	Config    Config     // the settings used, defaults filled in
	Model     *gru.Model // weights of the best validation epoch
	Scaler    ZScore
	Split     Split
	History   []EpochStats
	BestEpoch int
	Test      Scores
	MASEScale float64   // in-sample seasonal naive MAE of the train part
	Origin    time.Time // time of the last observation; zero without times
	Forecast  []Point   // the Horizon steps after the last observation
}

// NewSplit returns the protocol v1 split of n values with the windows of
// cfg, or an error wrapping ErrInvalid if a part has no window.
func NewSplit(n int, cfg Config) (Split, error) {
	cfg = cfg.withDefaults()
	sp := Split{Train: n * 7 / 10, Val: n / 10}
	sp.Test = n - sp.Train - sp.Val
	sp.TrainWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, 0, sp.Train))
	sp.ValWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, sp.Train, sp.Train+sp.Val))
	sp.TestWindows = len(ingest.Windows(n, cfg.Lookback, cfg.Horizon, sp.Train+sp.Val, n))
	if sp.TrainWindows == 0 || sp.ValWindows == 0 || sp.TestWindows == 0 {
		return sp, fmt.Errorf("%w: %d values give %d train, %d validation and %d test windows of lookback %d and horizon %d; every part needs at least one (use a shorter --lookback or --horizon)",
			ErrInvalid, n, sp.TrainWindows, sp.ValWindows, sp.TestWindows, cfg.Lookback, cfg.Horizon)
	}
	if firstOrigin := max(sp.Train+sp.Val-cfg.Lookback, 0) + cfg.Lookback; firstOrigin < cfg.Season {
		return sp, fmt.Errorf("%w: the first test window starts before one full season (%d) of history", ErrInvalid, cfg.Season)
	}
	return sp, nil
}

// Fit runs the pipeline described in the package comment on s. progress, if
// not nil, is called after every epoch.
func Fit(ctx context.Context, s *ingest.Series, cfg Config, progress func(EpochStats)) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	y := s.Values
	n := len(y)
	sp, err := NewSplit(n, cfg)
	if err != nil {
		return nil, err
	}
	trainIdx := ingest.Windows(n, cfg.Lookback, cfg.Horizon, 0, sp.Train)
	valIdx := ingest.Windows(n, cfg.Lookback, cfg.Horizon, sp.Train, sp.Train+sp.Val)
	testIdx := ingest.Windows(n, cfg.Lookback, cfg.Horizon, sp.Train+sp.Val, n)
	maseScale, err := MASEScale(y[:sp.Train], cfg.Season)
	if err != nil {
		return nil, err
	}
	scaler := FitZScore(y[:sp.Train])
	z := make([]float64, n)
	for i, v := range y {
		z[i] = scaler.Scale(v)
	}

	model, err := gru.New(gru.Config{Inputs: 1, Hidden: cfg.Hidden, Layers: cfg.Layers, Outputs: cfg.Horizon}, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	clip := cfg.ClipNorm
	if clip < 0 {
		clip = 0
	}
	trainer := gru.NewTrainer(model, gru.AdamConfig{LR: cfg.LR, ClipNorm: clip})
	res := &Result{Config: cfg, Scaler: scaler, Split: sp, MASEScale: maseScale}

	// The minibatch order has its own stream, apart from the weights' seed.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed0f0b))
	order := append([]int(nil), trainIdx...)
	x := make([]float64, cfg.Batch*cfg.Lookback)
	t := make([]float64, cfg.Batch*cfg.Horizon)
	best := model.Clone()
	bestVal, bad := 0.0, 0
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		start := time.Now()
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		for lo := 0; lo < len(order); lo += cfg.Batch {
			batch := order[lo:min(lo+cfg.Batch, len(order))]
			fillWindows(x, t, z, batch, cfg.Lookback, cfg.Horizon)
			sum += trainer.Step(x[:len(batch)*cfg.Lookback], t[:len(batch)*cfg.Horizon], len(batch), cfg.Lookback) * float64(len(batch))
		}
		st := EpochStats{Epoch: epoch, TrainLoss: sum / float64(len(order))}
		st.ValLoss = scaledMSE(model, z, valIdx, cfg)
		if epoch == 1 || st.ValLoss < bestVal {
			st.Best = true
			bestVal, bad, res.BestEpoch = st.ValLoss, 0, epoch
			best.CopyFrom(model)
		} else {
			bad++
		}
		st.Elapsed = time.Since(start)
		res.History = append(res.History, st)
		if progress != nil {
			progress(st)
		}
		if bad >= cfg.Patience {
			break
		}
	}
	res.Model = best

	res.Test = evaluate(best, y, z, testIdx, cfg, scaler, maseScale)
	res.Forecast, res.Origin = forecastAfter(best, s, z, cfg, scaler)
	return res, nil
}

// fillWindows copies the scaled inputs and targets of the windows starting at
// starts into x (batch-major, one feature) and t.
func fillWindows(x, t, z []float64, starts []int, lookback, horizon int) {
	for b, s := range starts {
		copy(x[b*lookback:(b+1)*lookback], z[s:s+lookback])
		if t != nil {
			copy(t[b*horizon:(b+1)*horizon], z[s+lookback:s+lookback+horizon])
		}
	}
}

// predictWindows returns the model's scaled outputs for the windows starting
// at starts, window after window, computed in chunks to bound memory.
func predictWindows(m *gru.Model, z []float64, starts []int, cfg Config) []float64 {
	const chunk = 256
	out := make([]float64, len(starts)*cfg.Horizon)
	x := make([]float64, chunk*cfg.Lookback)
	for lo := 0; lo < len(starts); lo += chunk {
		part := starts[lo:min(lo+chunk, len(starts))]
		fillWindows(x, nil, z, part, cfg.Lookback, cfg.Horizon)
		m.Predict(out[lo*cfg.Horizon:(lo+len(part))*cfg.Horizon], x[:len(part)*cfg.Lookback], len(part), cfg.Lookback)
	}
	return out
}

// scaledMSE is the model's mean squared error on the scaled targets of the
// windows starting at starts.
func scaledMSE(m *gru.Model, z []float64, starts []int, cfg Config) float64 {
	pred := predictWindows(m, z, starts, cfg)
	var sq float64
	for w, s := range starts {
		for k := 0; k < cfg.Horizon; k++ {
			e := pred[w*cfg.Horizon+k] - z[s+cfg.Lookback+k]
			sq += e * e
		}
	}
	return sq / float64(len(pred))
}

// evaluate scores the model and the baselines on the test windows.
func evaluate(m *gru.Model, y, z []float64, starts []int, cfg Config, scaler ZScore, maseScale float64) Scores {
	h := cfg.Horizon
	actual := make([]float64, 0, len(starts)*h)
	for _, s := range starts {
		actual = append(actual, y[s+cfg.Lookback:s+cfg.Lookback+h]...)
	}
	gruPred := predictWindows(m, z, starts, cfg)
	for i, v := range gruPred {
		gruPred[i] = scaler.Unscale(v)
	}
	naive := make([]float64, len(actual))
	snaive := make([]float64, len(actual))
	for w, s := range starts {
		Naive(naive[w*h:(w+1)*h], y, s+cfg.Lookback)
		SeasonalNaive(snaive[w*h:(w+1)*h], y, s+cfg.Lookback, cfg.Season)
	}
	return Scores{
		GRU:           Score(actual, gruPred, maseScale, scaler),
		Naive:         Score(actual, naive, maseScale, scaler),
		SeasonalNaive: Score(actual, snaive, maseScale, scaler),
	}
}

// forecastAfter forecasts the Horizon steps after the last value of s.
func forecastAfter(m *gru.Model, s *ingest.Series, z []float64, cfg Config, scaler ZScore) ([]Point, time.Time) {
	n := len(z)
	out := m.Predict(nil, z[n-cfg.Lookback:], 1, cfg.Lookback)
	var origin time.Time
	if s.Times != nil {
		origin = s.Times[n-1]
	}
	pts := make([]Point, cfg.Horizon)
	for k := range pts {
		pts[k] = Point{Step: k + 1, Value: scaler.Unscale(out[k])}
		if s.Times != nil {
			pts[k].Time = s.Freq.Add(origin, k+1)
		}
	}
	return pts, origin
}
