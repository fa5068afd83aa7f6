package gru_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/forecast-dev/forecast/gru"
)

// sineWindows cuts a noisy sine of period 24 into n windows of lookback
// inputs followed by horizon targets, at random offsets.
func sineWindows(rnd *rand.Rand, n, lookback, horizon int) (x, y []float64) {
	const noise = 0.1
	x = make([]float64, 0, n*lookback)
	y = make([]float64, 0, n*horizon)
	for range n {
		phase := rnd.Float64() * 2 * math.Pi
		for i := range lookback + horizon {
			v := math.Sin(phase+2*math.Pi*float64(i)/24) + noise*rnd.NormFloat64()
			if i < lookback {
				x = append(x, v)
			} else {
				y = append(y, v)
			}
		}
	}
	return x, y
}

func TestTrainNoisySine(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	t.Parallel()
	const (
		lookback, horizon = 24, 6
		batch, iters      = 16, 300
		wantFraction      = 0.1 // the final validation loss must be below this fraction of the initial
	)
	cfg := gru.Config{Inputs: 1, Hidden: 16, Layers: 2, Outputs: horizon}
	m := newModel(t, cfg, 1)
	rnd := rand.New(rand.NewPCG(7, 7))
	valX, valY := sineWindows(rnd, 64, lookback, horizon)
	valLoss := func() float64 { return mse(m.Predict(nil, valX, 64, lookback), valY) }

	before := valLoss()
	tr := gru.NewTrainer(m, gru.AdamConfig{LR: 0.01, ClipNorm: 1})
	for range iters {
		x, y := sineWindows(rnd, batch, lookback, horizon)
		if loss := tr.Step(x, y, batch, lookback); math.IsNaN(loss) {
			t.Fatal("loss is NaN")
		}
	}
	after := valLoss()
	t.Logf("validation loss %.4f → %.4f", before, after)
	if after > wantFraction*before {
		t.Errorf("validation loss fell from %v to %v, want below %v", before, after, wantFraction*before)
	}
}
