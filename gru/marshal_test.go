package gru_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/forecast-dev/forecast/gru"
)

// samePredictions fails t unless a and b give bit-identical outputs.
func samePredictions(t *testing.T, a, b *gru.Model) {
	t.Helper()
	if a.Config() != b.Config() {
		t.Fatalf("config %+v, want %+v", b.Config(), a.Config())
	}
	if !slices.Equal(a.Params(), b.Params()) {
		t.Error("parameters differ")
	}
	const batch, steps = 3, 4
	x := randSlice(rand.New(rand.NewPCG(5, 5)), batch*steps*a.Config().Inputs)
	if pa, pb := a.Predict(nil, x, batch, steps), b.Predict(nil, x, batch, steps); !slices.Equal(pa, pb) {
		t.Errorf("predictions %v, want %v", pb, pa)
	}
}

func TestMarshalBinary(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if want := 4 + 4*8 + 8*len(m.Params()); len(data) != want || string(data[:4]) != "GRU1" {
		t.Fatalf("encoding starts %q and has %d bytes, want GRU1 and %d", data[:4], len(data), want)
	}
	var got gru.Model
	if err := got.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	samePredictions(t, m, &got)
}

func TestUnmarshalBinaryErrors(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	header := func(in, hidden, layers, out uint64) []byte {
		b := []byte("GRU1")
		for _, v := range []uint64{in, hidden, layers, out} {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
		return b
	}
	bad := map[string][]byte{
		"empty":                    nil,
		"wrong magic":              append([]byte("GRU2"), data[4:]...),
		"trailing byte":            append(slices.Clone(data), 0),
		"zero hidden":              header(3, 0, 2, 2),
		"huge sizes":               append(header(1<<62, 1<<62, 1<<62, 1<<62), data[36:]...),
		"params of another config": append(header(1, 100, 100, 1), make([]byte, 400)...),
	}
	for n := range len(data) {
		bad[fmt.Sprintf("truncated to %d bytes", n)] = data[:n]
	}
	for name, b := range bad {
		got := newModel(t, smallConfig, 2)
		before := slices.Clone(got.Params())
		if err := got.UnmarshalBinary(b); err == nil {
			t.Errorf("%s: no error", name)
		}
		if !slices.Equal(got.Params(), before) {
			t.Errorf("%s: failed UnmarshalBinary changed the model", name)
		}
	}
}

func TestWeightsRoundTrip(t *testing.T) {
	t.Parallel()
	m := newModel(t, gru.Config{Inputs: 2, Hidden: 5, Layers: 3, Outputs: 4}, 3)
	// Through JSON, which must round-trip float64 exactly.
	js, err := json.Marshal(m.Weights())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"layers"`, `"W_r"`, `"W_z"`, `"W_h"`, `"U_r"`, `"U_z"`, `"U_h"`, `"b_r"`, `"b_z"`, `"b_h"`, `"W_out"`, `"b_out"`} {
		if !bytes.Contains(js, []byte(key)) {
			t.Errorf("JSON lacks key %s", key)
		}
	}
	var w gru.Weights
	if err := json.Unmarshal(js, &w); err != nil {
		t.Fatal(err)
	}
	got, err := gru.FromWeights(w)
	if err != nil {
		t.Fatal(err)
	}
	samePredictions(t, m, got)

	// Weights returns copies.
	w = m.Weights()
	w.Layers[0].Wr[0][0]++
	w.BOut[0]++
	if m.Weights().Layers[0].Wr[0][0] == w.Layers[0].Wr[0][0] || m.Weights().BOut[0] == w.BOut[0] {
		t.Error("Weights shares storage with the model")
	}
}

func TestFromWeightsErrors(t *testing.T) {
	t.Parallel()
	m := newModel(t, smallConfig, 1)
	for name, breakIt := range map[string]func(w *gru.Weights){
		"no layers":          func(w *gru.Weights) { w.Layers = nil },
		"no inputs":          func(w *gru.Weights) { w.Layers[0].Wr = [][]float64{{}, {}, {}, {}} },
		"ragged W_r":         func(w *gru.Weights) { w.Layers[0].Wr[2] = w.Layers[0].Wr[2][1:] },
		"short W_z":          func(w *gru.Weights) { w.Layers[0].Wz = w.Layers[0].Wz[1:] },
		"wide W_h layer 1":   func(w *gru.Weights) { w.Layers[1].Wh[0] = append(w.Layers[1].Wh[0], 0) },
		"U_r rows":           func(w *gru.Weights) { w.Layers[0].Ur = append(w.Layers[0].Ur, w.Layers[0].Ur[0]) },
		"U_z columns":        func(w *gru.Weights) { w.Layers[1].Uz[3] = w.Layers[1].Uz[3][:3] },
		"nil U_h":            func(w *gru.Weights) { w.Layers[1].Uh = nil },
		"short b_r":          func(w *gru.Weights) { w.Layers[0].Br = w.Layers[0].Br[1:] },
		"long b_z":           func(w *gru.Weights) { w.Layers[1].Bz = append(w.Layers[1].Bz, 0) },
		"nil b_h":            func(w *gru.Weights) { w.Layers[0].Bh = nil },
		"no outputs":         func(w *gru.Weights) { w.WOut = nil },
		"W_out columns":      func(w *gru.Weights) { w.WOut[1] = w.WOut[1][1:] },
		"b_out length":       func(w *gru.Weights) { w.BOut = w.BOut[1:] },
		"layer 1 from input": func(w *gru.Weights) { w.Layers[1] = w.Layers[0] },
	} {
		w := m.Weights()
		breakIt(&w)
		if _, err := gru.FromWeights(w); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
