package gru_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/gru"
)

var smallConfig = gru.Config{Inputs: 3, Hidden: 4, Layers: 2, Outputs: 2}

func newModel(t testing.TB, cfg gru.Config, seed uint64) *gru.Model {
	t.Helper()
	m, err := gru.New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cfg gru.Config
		ok  bool
	}{
		{gru.Config{Inputs: 1, Hidden: 1, Layers: 1, Outputs: 1}, true},
		{smallConfig, true},
		{gru.Config{Inputs: 0, Hidden: 4, Layers: 2, Outputs: 2}, false},
		{gru.Config{Inputs: 3, Hidden: 0, Layers: 2, Outputs: 2}, false},
		{gru.Config{Inputs: 3, Hidden: 4, Layers: 0, Outputs: 2}, false},
		{gru.Config{Inputs: 3, Hidden: 4, Layers: 2, Outputs: -1}, false},
		{gru.Config{Inputs: 1, Hidden: 1 << 30, Layers: 1 << 30, Outputs: 1}, false},
	} {
		err := tc.cfg.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: Validate() = %v, want ok %v", tc.cfg, err, tc.ok)
		}
		if _, err := gru.New(tc.cfg, 1); (err == nil) != tc.ok {
			t.Errorf("%+v: New error = %v, want ok %v", tc.cfg, err, tc.ok)
		}
	}
}

func TestNewSeed(t *testing.T) {
	t.Parallel()
	cfg := gru.Config{Inputs: 2, Hidden: 16, Layers: 3, Outputs: 5}
	a, b, c := newModel(t, cfg, 7), newModel(t, cfg, 7), newModel(t, cfg, 8)
	if !slices.Equal(a.Params(), b.Params()) {
		t.Error("same seed gave different parameters")
	}
	if slices.Equal(a.Params(), c.Params()) {
		t.Error("different seeds gave the same parameters")
	}
	// 3H(in+H+1) + 2·3H(2H+1) + O(H+1) parameters, all in ±1/sqrt(H).
	if got, want := len(a.Params()), 48*19+2*48*33+5*17; got != want {
		t.Errorf("len(Params()) = %d, want %d", got, want)
	}
	bound := 1 / math.Sqrt(float64(cfg.Hidden))
	lo, hi := slices.Min(a.Params()), slices.Max(a.Params())
	if lo < -bound || hi > bound {
		t.Errorf("parameters span [%v, %v], want within ±%v", lo, hi, bound)
	}
	if lo > -0.9*bound || hi < 0.9*bound {
		t.Errorf("parameters span [%v, %v], want close to ±%v", lo, hi, bound)
	}
}

func TestParamsLayout(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	for i := range m.Params() {
		m.Params()[i] = float64(i)
	}
	w := m.Weights()
	// Layer 0: W_r, W_z, W_h (4x3 each), U_r, U_z, U_h (4x4), b_r, b_z, b_h.
	l0 := w.Layers[0]
	for _, tc := range []struct {
		name      string
		got, want float64
	}{
		{"layer 0 W_r[0][0]", l0.Wr[0][0], 0},
		{"layer 0 W_r[1][0]", l0.Wr[1][0], 3},
		{"layer 0 W_z[0][0]", l0.Wz[0][0], 12},
		{"layer 0 W_h[3][2]", l0.Wh[3][2], 35},
		{"layer 0 U_r[0][0]", l0.Ur[0][0], 36},
		{"layer 0 U_h[3][3]", l0.Uh[3][3], 83},
		{"layer 0 b_r[0]", l0.Br[0], 84},
		{"layer 0 b_h[3]", l0.Bh[3], 95},
		{"layer 1 W_r[0][0]", w.Layers[1].Wr[0][0], 96},
		{"layer 1 b_h[3]", w.Layers[1].Bh[3], 96 + 48 + 48 + 11},
		{"W_out[0][0]", w.WOut[0][0], 96 + 108},
		{"W_out[1][3]", w.WOut[1][3], 96 + 108 + 7},
		{"b_out[1]", w.BOut[1], 96 + 108 + 9},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want flat index %v", tc.name, tc.got, tc.want)
		}
	}
	if n := len(m.Params()); n != 96+108+10 {
		t.Errorf("len(Params()) = %d, want %d", n, 96+108+10)
	}
}

func TestInputsUnchanged(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	rnd := rand.New(rand.NewPCG(3, 3))
	const batch, steps = 4, 6
	x := randSlice(rnd, batch*steps*smallConfig.Inputs)
	y := randSlice(rnd, batch*smallConfig.Outputs)
	x0, y0 := slices.Clone(x), slices.Clone(y)

	got := m.Predict(nil, x, batch, steps)
	if !slices.Equal(x, x0) {
		t.Error("Predict modified x")
	}
	dst := make([]float64, batch*smallConfig.Outputs)
	if r := m.Predict(dst, x, batch, steps); &r[0] != &dst[0] || !slices.Equal(dst, got) {
		t.Errorf("Predict into dst = %v, with nil dst %v", dst, got)
	}
	m.Gradient(make([]float64, len(m.Params())), make([]float64, len(x)), x, y, batch, steps)
	if !slices.Equal(x, x0) || !slices.Equal(y, y0) {
		t.Error("Gradient modified x or y")
	}
	if again := m.Predict(nil, x, batch, steps); !slices.Equal(again, got) {
		t.Errorf("Predict is not deterministic: %v then %v", got, again)
	}
}

func TestBatchIndependence(t *testing.T) {
	t.Parallel()
	// Each sequence's output must not depend on the others in its batch,
	// nor on the split of the batch into chunks: it is the same bit for bit.
	m := newModel(t, smallConfig, 1)
	rnd := rand.New(rand.NewPCG(4, 4))
	const batch, steps = 37, 7
	in, out := smallConfig.Inputs, smallConfig.Outputs
	x := randSlice(rnd, batch*steps*in)
	all := m.Predict(nil, x, batch, steps)
	for b := range batch {
		one := m.Predict(nil, x[b*steps*in:(b+1)*steps*in], 1, steps)
		for k := range one {
			if math.Float64bits(one[k]) != math.Float64bits(all[b*out+k]) {
				t.Errorf("sequence %d output %d: alone %v, in batch %v", b, k, one[k], all[b*out+k])
			}
		}
	}
}

func TestCloneCopyFrom(t *testing.T) {
	t.Parallel()
	a := newModel(t, smallConfig, 1)
	c := a.Clone()
	if !slices.Equal(a.Params(), c.Params()) || c.Config() != a.Config() {
		t.Fatal("Clone differs from the original")
	}
	c.Params()[0]++
	if a.Params()[0] == c.Params()[0] {
		t.Error("Clone shares parameters with the original")
	}
	c.CopyFrom(a)
	if !slices.Equal(a.Params(), c.Params()) {
		t.Error("CopyFrom did not copy")
	}
	other := newModel(t, gru.Config{Inputs: 3, Hidden: 5, Layers: 2, Outputs: 2}, 1)
	mustPanic(t, "CopyFrom with another config", func() { c.CopyFrom(other) })
}

func TestPanics(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	x := make([]float64, 2*3*smallConfig.Inputs)
	y := make([]float64, 2*smallConfig.Outputs)
	grad := make([]float64, len(m.Params()))
	for name, f := range map[string]func(){
		"Predict short x":    func() { m.Predict(nil, x[1:], 2, 3) },
		"Predict zero batch": func() { m.Predict(nil, nil, 0, 3) },
		"Predict zero steps": func() { m.Predict(nil, nil, 2, 0) },
		"Predict short dst":  func() { m.Predict(make([]float64, 3), x, 2, 3) },
		"Gradient short y":   func() { m.Gradient(grad, nil, x, y[1:], 2, 3) },
		"Gradient long grad": func() { m.Gradient(append(grad, 0), nil, x, y, 2, 3) },
		"Gradient short dx":  func() { m.Gradient(grad, x[1:], x, y, 2, 3) },
		"Step wrong steps":   func() { gru.NewTrainer(m, gru.AdamConfig{}).Step(x, y, 2, 4) },
	} {
		mustPanic(t, name, f)
	}
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", name)
			return
		}
		if msg := fmt.Sprint(r); !strings.HasPrefix(msg, "gru: ") {
			t.Errorf("%s: panic %q lacks the package prefix", name, msg)
		}
	}()
	f()
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	// Predict and Gradient keep no state in the Model (run with -race).
	m := newModel(t, smallConfig, 1)
	rnd := rand.New(rand.NewPCG(9, 9))
	const batch, steps = 3, 4
	x := randSlice(rnd, batch*steps*smallConfig.Inputs)
	y := randSlice(rnd, batch*smallConfig.Outputs)
	want := m.Predict(nil, x, batch, steps)
	wantLoss := m.Gradient(make([]float64, len(m.Params())), nil, x, y, batch, steps)
	done := make(chan error)
	for range 4 {
		go func() {
			var err error
			if got := m.Predict(nil, x, batch, steps); !slices.Equal(got, want) {
				err = fmt.Errorf("concurrent Predict = %v, want %v", got, want)
			}
			if loss := m.Gradient(make([]float64, len(m.Params())), nil, x, y, batch, steps); loss != wantLoss {
				err = fmt.Errorf("concurrent Gradient loss = %v, want %v", loss, wantLoss)
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
