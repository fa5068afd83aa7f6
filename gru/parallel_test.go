package gru_test

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/gru/internal/kernel"
)

// trainBits runs a few Trainer steps on a fixed problem and returns the
// bits of the losses and of the final parameters.
func trainBits(t *testing.T, cfg gru.Config, batch, steps int) []uint64 {
	t.Helper()
	m := newModel(t, cfg, 5)
	rnd := rand.New(rand.NewPCG(6, 6))
	tr := gru.NewTrainer(m, gru.AdamConfig{LR: 0.01, ClipNorm: 1})
	var bits []uint64
	for range 4 {
		x, y := sineWindows(rnd, batch, steps, cfg.Outputs)
		bits = append(bits, math.Float64bits(tr.Step(x, y, batch, steps)))
	}
	for _, p := range m.Params() {
		bits = append(bits, math.Float64bits(p))
	}
	return bits
}

func sameBits(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var determinismCases = []struct {
	name         string
	cfg          gru.Config
	batch, steps int
}{
	{"2x16 batch 32", gru.Config{Inputs: 1, Hidden: 16, Layers: 2, Outputs: 6}, 32, 12},
	{"3x12 batch 19", gru.Config{Inputs: 1, Hidden: 12, Layers: 3, Outputs: 5}, 19, 7},
	{"1x40 batch 50", gru.Config{Inputs: 1, Hidden: 40, Layers: 1, Outputs: 3}, 50, 9},
}

// TestStepGOMAXPROCS checks that training gives bit-identical results
// whatever GOMAXPROCS is.
func TestStepGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, tc := range determinismCases {
		runtime.GOMAXPROCS(1)
		want := trainBits(t, tc.cfg, tc.batch, tc.steps)
		for _, procs := range []int{2, 3} {
			runtime.GOMAXPROCS(procs)
			if got := trainBits(t, tc.cfg, tc.batch, tc.steps); !sameBits(got, want) {
				t.Errorf("%s: GOMAXPROCS %d and 1 give different results", tc.name, procs)
			}
		}
	}
}

// TestStepKernelLevels checks that every kernel level this CPU runs gives
// the results of the portable Go kernels bit for bit.
func TestStepKernelLevels(t *testing.T) {
	for _, tc := range determinismCases {
		old := gru.SetKernelLevel(kernel.Generic)
		want := trainBits(t, tc.cfg, tc.batch, tc.steps)
		gru.SetKernelLevel(old)
		for l := kernel.Generic + 1; l <= kernel.Best(); l++ {
			old := gru.SetKernelLevel(l)
			got := trainBits(t, tc.cfg, tc.batch, tc.steps)
			gru.SetKernelLevel(old)
			if !sameBits(got, want) {
				t.Errorf("%s: kernel level %v and the portable Go differ", tc.name, l)
			}
		}
	}
}

// TestStepAllocs checks that a warmed-up Trainer step allocates nothing.
func TestStepAllocs(t *testing.T) {
	cfg := gru.Config{Inputs: 1, Hidden: 32, Layers: 2, Outputs: 8}
	const batch, steps = 32, 16
	m := newModel(t, cfg, 1)
	x, y := sineWindows(rand.New(rand.NewPCG(9, 9)), batch, steps, cfg.Outputs)
	tr := gru.NewTrainer(m, gru.AdamConfig{ClipNorm: 1})
	tr.Step(x, y, batch, steps)
	if n := testing.AllocsPerRun(20, func() { tr.Step(x, y, batch, steps) }); n != 0 {
		t.Errorf("Trainer.Step allocates %v times per call, want 0", n)
	}
}
