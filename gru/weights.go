package gru

import (
	"errors"
	"fmt"
	"slices"

	"gonum.org/v1/gonum/blas/blas64"
)

// LayerWeights holds the parameters of one GRU layer as nested slices, with
// the field names of the JSON export (package forecast, Export layout). The W matrices are
// Hidden x in, the U matrices Hidden x Hidden, the biases have Hidden values.
type LayerWeights struct {
	Wr [][]float64 `json:"W_r"`
	Wz [][]float64 `json:"W_z"`
	Wh [][]float64 `json:"W_h"`
	Ur [][]float64 `json:"U_r"`
	Uz [][]float64 `json:"U_z"`
	Uh [][]float64 `json:"U_h"`
	Br []float64   `json:"b_r"`
	Bz []float64   `json:"b_z"`
	Bh []float64   `json:"b_h"`
}

// Weights holds all parameters of a Model as nested slices: the layers,
// bottom first, then the head's Outputs x Hidden matrix and its bias.
type Weights struct {
	Layers []LayerWeights `json:"layers,omitempty"`
	WOut   [][]float64    `json:"W_out,omitempty"`
	BOut   []float64      `json:"b_out,omitempty"`
}

// Weights returns a copy of the model's parameters.
func (m *Model) Weights() Weights {
	h := m.cfg.Hidden
	w := Weights{Layers: make([]LayerWeights, len(m.p.layers))}
	for k, l := range m.p.layers {
		w.Layers[k] = LayerWeights{
			Wr: rows(l.w, 0, h), Wz: rows(l.w, h, h), Wh: rows(l.w, 2*h, h),
			Ur: rows(l.u, 0, h), Uz: rows(l.u, h, h), Uh: rows(l.u, 2*h, h),
			Br: slices.Clone(l.b[:h]), Bz: slices.Clone(l.b[h : 2*h]), Bh: slices.Clone(l.b[2*h:]),
		}
	}
	w.WOut = rows(m.p.wOut, 0, m.cfg.Outputs)
	w.BOut = slices.Clone(m.p.bOut)
	return w
}

// rows copies n rows of a starting at row i.
func rows(a blas64.General, i, n int) [][]float64 {
	r := make([][]float64, n)
	for k := range r {
		off := (i + k) * a.Stride
		r[k] = slices.Clone(a.Data[off : off+a.Cols])
	}
	return r
}

// FromWeights returns a model holding a copy of w. The configuration is
// read from the shapes: Inputs from the columns of the bottom W_r, Hidden
// from its rows, Layers from len(w.Layers) and Outputs from the rows of
// W_out. It returns an error if any matrix or vector has the wrong shape.
func FromWeights(w Weights) (*Model, error) {
	if len(w.Layers) == 0 || len(w.Layers[0].Wr) == 0 {
		return nil, errors.New("gru: weights: no layers")
	}
	cfg := Config{
		Inputs:  len(w.Layers[0].Wr[0]),
		Hidden:  len(w.Layers[0].Wr),
		Layers:  len(w.Layers),
		Outputs: len(w.WOut),
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("gru: weights: %w", err)
	}
	m := newModel(cfg)
	h := cfg.Hidden
	for k, lw := range w.Layers {
		l := m.p.layers[k]
		parts := []struct {
			name string
			src  [][]float64
			dst  blas64.General
			row  int
		}{
			{"W_r", lw.Wr, l.w, 0}, {"W_z", lw.Wz, l.w, h}, {"W_h", lw.Wh, l.w, 2 * h},
			{"U_r", lw.Ur, l.u, 0}, {"U_z", lw.Uz, l.u, h}, {"U_h", lw.Uh, l.u, 2 * h},
		}
		for _, p := range parts {
			if err := setRows(p.dst, p.row, p.src, h, p.dst.Cols); err != nil {
				return nil, fmt.Errorf("gru: weights: layer %d %s: %w", k, p.name, err)
			}
		}
		biases := []struct {
			name string
			src  []float64
		}{{"b_r", lw.Br}, {"b_z", lw.Bz}, {"b_h", lw.Bh}}
		for i, b := range biases {
			if len(b.src) != h {
				return nil, fmt.Errorf("gru: weights: layer %d %s has %d values, want %d", k, b.name, len(b.src), h)
			}
			copy(l.b[i*h:], b.src)
		}
	}
	if err := setRows(m.p.wOut, 0, w.WOut, cfg.Outputs, h); err != nil {
		return nil, fmt.Errorf("gru: weights: W_out: %w", err)
	}
	if len(w.BOut) != cfg.Outputs {
		return nil, fmt.Errorf("gru: weights: b_out has %d values, want %d", len(w.BOut), cfg.Outputs)
	}
	copy(m.p.bOut, w.BOut)
	return m, nil
}

// setRows copies src, which must be n x cols, into the rows of dst starting
// at row i.
func setRows(dst blas64.General, i int, src [][]float64, n, cols int) error {
	if len(src) != n {
		return fmt.Errorf("%d rows, want %d", len(src), n)
	}
	for k, r := range src {
		if len(r) != cols {
			return fmt.Errorf("row %d has %d columns, want %d", k, len(r), cols)
		}
		copy(dst.Data[(i+k)*dst.Stride:], r)
	}
	return nil
}
