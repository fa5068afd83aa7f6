package gru_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/forecast-dev/forecast/gru"
)

// TestTrainerStep compares Trainer.Step with a plain transcription of
// torch.optim.Adam and torch.nn.utils.clip_grad_norm_ driven by Gradient.
func TestTrainerStep(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  gru.AdamConfig
		want gru.AdamConfig // with defaults filled in
	}{
		{"defaults", gru.AdamConfig{}, gru.AdamConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}},
		{"clipped", gru.AdamConfig{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6, ClipNorm: 0.05},
			gru.AdamConfig{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-6, ClipNorm: 0.05}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newModel(t, smallConfig, 1)
			ref := m.Clone()
			tr := gru.NewTrainer(m, tc.cfg)
			rnd := rand.New(rand.NewPCG(6, 6))
			n := len(m.Params())
			mom, vel, grad := make([]float64, n), make([]float64, n), make([]float64, n)
			c := tc.want
			clipped := false
			for step := 1; step <= 4; step++ {
				// Vary the batch shape so the Trainer must resize its buffers.
				batch, steps := 2+step%2, 3+step
				x := randSlice(rnd, batch*steps*smallConfig.Inputs)
				y := randSlice(rnd, batch*smallConfig.Outputs)

				wantLoss := ref.Gradient(grad, nil, x, y, batch, steps)
				if c.ClipNorm > 0 {
					var norm float64
					for _, g := range grad {
						norm += g * g
					}
					if norm = math.Sqrt(norm); norm > c.ClipNorm {
						clipped = true
						for i := range grad {
							grad[i] *= c.ClipNorm / (norm + 1e-6)
						}
					}
				}
				p := ref.Params()
				for i, g := range grad {
					mom[i] = c.Beta1*mom[i] + (1-c.Beta1)*g
					vel[i] = c.Beta2*vel[i] + (1-c.Beta2)*g*g
					mHat := mom[i] / (1 - math.Pow(c.Beta1, float64(step)))
					vHat := vel[i] / (1 - math.Pow(c.Beta2, float64(step)))
					p[i] -= c.LR * mHat / (math.Sqrt(vHat) + c.Eps)
				}

				// The parameters agree to rounding only (the compiler may
				// fuse the update's operations differently), so the loss too.
				if loss := tr.Step(x, y, batch, steps); !scalar.EqualWithinAbsOrRel(loss, wantLoss, 1e-13, 1e-13) {
					t.Errorf("step %d: loss %v, want %v", step, loss, wantLoss)
				}
				for i := range p {
					if !scalar.EqualWithinAbsOrRel(m.Params()[i], p[i], 1e-13, 1e-13) {
						t.Fatalf("step %d: parameter %d = %v, want %v", step, i, m.Params()[i], p[i])
					}
				}
			}
			if c.ClipNorm > 0 && !clipped {
				t.Error("ClipNorm never took effect; lower it")
			}
		})
	}
}
