package gru_test

import (
	"fmt"
	"log"
	"math"

	"github.com/forecast-dev/forecast/gru"
)

// Train a GRU to continue a sine from its last 12 values, then forecast.
func Example() {
	const lookback, horizon, batch = 12, 4, 8
	m, err := gru.New(gru.Config{Inputs: 1, Hidden: 8, Layers: 1, Outputs: horizon}, 42)
	if err != nil {
		log.Fatal(err)
	}

	// Windows of the series sin(t/2) starting at t = 0, 1, ..., batch-1:
	// x[b*lookback+t] are the inputs, y[b*horizon+k] the values that follow.
	series := func(t int) float64 { return math.Sin(float64(t) / 2) }
	x := make([]float64, 0, batch*lookback)
	y := make([]float64, 0, batch*horizon)
	for b := range batch {
		for t := range lookback {
			x = append(x, series(b+t))
		}
		for k := range horizon {
			y = append(y, series(b+lookback+k))
		}
	}

	tr := gru.NewTrainer(m, gru.AdamConfig{LR: 0.01})
	first := tr.Step(x, y, batch, lookback)
	var last float64
	for range 200 {
		last = tr.Step(x, y, batch, lookback)
	}
	fmt.Println("loss fell tenfold:", last < first/10)

	forecast := m.Predict(nil, x[:lookback], 1, lookback)
	fmt.Println("forecast values:", len(forecast))
	// Output:
	// loss fell tenfold: true
	// forecast values: 4
}
