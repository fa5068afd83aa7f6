package gru_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/floats/scalar"

	"github.com/forecast-dev/forecast/gru"
)

func TestGradient(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		cfg          gru.Config
		batch, steps int
	}{
		{"1 layer", gru.Config{Inputs: 3, Hidden: 4, Layers: 1, Outputs: 2}, 3, 5},
		{"2 layers", gru.Config{Inputs: 3, Hidden: 4, Layers: 2, Outputs: 2}, 3, 5},
		{"3 layers", gru.Config{Inputs: 3, Hidden: 4, Layers: 3, Outputs: 2}, 3, 5},
		{"1 step 1 sequence", gru.Config{Inputs: 2, Hidden: 3, Layers: 2, Outputs: 1}, 1, 1},
		{"3 chunks", gru.Config{Inputs: 2, Hidden: 3, Layers: 2, Outputs: 2}, 37, 3},
		{"vector widths", gru.Config{Inputs: 9, Hidden: 8, Layers: 2, Outputs: 8}, 9, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkGradients(t, tc.cfg, tc.batch, tc.steps)
		})
	}
}

// checkGradients compares Gradient with central finite differences of the
// loss, for every parameter and every input value.
func checkGradients(t *testing.T, cfg gru.Config, batch, steps int) {
	t.Helper()
	const tol = 1e-6
	m, err := gru.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(2, 2))
	x := randSlice(rnd, batch*steps*cfg.Inputs)
	y := randSlice(rnd, batch*cfg.Outputs)

	// NaN-filled outputs show that Gradient overwrites rather than accumulates.
	grad := nanSlice(len(m.Params()))
	dx := nanSlice(len(x))
	loss := m.Gradient(grad, dx, x, y, batch, steps)
	if want := mse(m.Predict(nil, x, batch, steps), y); loss != want {
		t.Errorf("loss = %v, want MSE of Predict %v", loss, want)
	}

	p0 := append([]float64(nil), m.Params()...)
	lossOfParams := func(p []float64) float64 {
		copy(m.Params(), p)
		return mse(m.Predict(nil, x, batch, steps), y)
	}
	central := &fd.Settings{Formula: fd.Central}
	wantGrad := fd.Gradient(nil, lossOfParams, p0, central)
	copy(m.Params(), p0)
	for i := range grad {
		if !scalar.EqualWithinAbsOrRel(grad[i], wantGrad[i], tol, tol) {
			t.Errorf("dLoss/dParams[%d] = %v, finite differences give %v", i, grad[i], wantGrad[i])
		}
	}

	lossOfInputs := func(x []float64) float64 { return mse(m.Predict(nil, x, batch, steps), y) }
	wantDx := fd.Gradient(nil, lossOfInputs, x, central)
	for i := range dx {
		if !scalar.EqualWithinAbsOrRel(dx[i], wantDx[i], tol, tol) {
			t.Errorf("dLoss/dx[%d] = %v, finite differences give %v", i, dx[i], wantDx[i])
		}
	}
}

func mse(pred, y []float64) float64 {
	var s float64
	for i := range pred {
		d := pred[i] - y[i]
		s += d * d
	}
	return s / float64(len(pred))
}

func randSlice(rnd *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = rnd.NormFloat64()
	}
	return s
}

func nanSlice(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}
