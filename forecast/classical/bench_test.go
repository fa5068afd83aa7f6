package classical

import (
	"math"
	"math/rand/v2"
	"testing"
)

// hourlySeries is a positive series with a daily cycle, a slow trend and
// noise, like an hourly load.
func hourlySeries(n int) []float64 {
	rng := rand.New(rand.NewPCG(7, 7))
	y := make([]float64, n)
	for i := range y {
		day := math.Sin(2 * math.Pi * float64(i) / 24)
		y[i] = 100 + 0.01*float64(i) + 20*day + 3*rng.NormFloat64()
	}
	return y
}

var benchModel *ETS

func benchmarkAutoETS(b *testing.B, y []float64, m int) {
	for b.Loop() {
		model, err := AutoETS(y, m)
		if err != nil {
			b.Fatal(err)
		}
		benchModel = model
	}
}

func BenchmarkAutoETSHourly1000(b *testing.B) { benchmarkAutoETS(b, hourlySeries(1000), 24) }

func BenchmarkAutoETSAirPassengers(b *testing.B) {
	benchmarkAutoETS(b, loadSeries(b, "airpassengers.txt"), 12)
}

var benchARIMA *ARIMA

func BenchmarkFitARIMAHourly1000(b *testing.B) {
	y := hourlySeries(1000)
	for b.Loop() {
		model, err := FitARIMA(y, 24)
		if err != nil {
			b.Fatal(err)
		}
		benchARIMA = model
	}
}
