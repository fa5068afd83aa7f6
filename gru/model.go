package gru

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas/blas64"
)

// maxParams bounds the number of parameters a Config may describe, so that
// sizes computed from it never overflow an int.
const maxParams = 1 << 40

// Config describes the shape of a Model.
type Config struct {
	Inputs  int // features per time step fed to the bottom layer
	Hidden  int // state size of every layer
	Layers  int // number of stacked GRU layers
	Outputs int // values produced by the dense head (the horizon)
}

// Validate reports whether c describes a model: every field must be at least
// one and the parameter count must stay below 2^40.
func (c Config) Validate() error {
	if c.Inputs < 1 || c.Hidden < 1 || c.Layers < 1 || c.Outputs < 1 {
		return fmt.Errorf("gru: invalid config %+v: all sizes must be positive", c)
	}
	in, h, l, o := float64(c.Inputs), float64(c.Hidden), float64(c.Layers), float64(c.Outputs)
	if n := 3*h*(in+h+1) + (l-1)*3*h*(2*h+1) + o*(h+1); n > maxParams {
		return fmt.Errorf("gru: invalid config %+v: %g parameters exceed the limit of %d", c, n, maxParams)
	}
	return nil
}

// numParams returns the length of the flat parameter vector of a valid c.
func (c Config) numParams() int {
	h := c.Hidden
	return 3*h*(c.Inputs+h+1) + (c.Layers-1)*3*h*(2*h+1) + c.Outputs*(h+1)
}

// layerInputs returns the input width of layer k.
func (c Config) layerInputs(k int) int {
	if k == 0 {
		return c.Inputs
	}
	return c.Hidden
}

// layer holds views into a flat parameter (or gradient) vector for one GRU layer.
type layer struct {
	w blas64.General // 3H x in, rows W_r, W_z, W_h
	u blas64.General // 3H x H, rows U_r, U_z, U_h
	b []float64      // 3H: b_r, b_z, b_h
}

// params gives structure to a flat vector laid out in the documented order.
// The same type holds a model's weights and their gradients.
type params struct {
	flat   []float64
	layers []layer
	wOut   blas64.General // Outputs x Hidden
	bOut   []float64      // Outputs
}

// newParams returns views into flat, which must have length cfg.numParams().
func newParams(cfg Config, flat []float64) params {
	if len(flat) != cfg.numParams() {
		panic(fmt.Sprintf("gru: parameter vector has length %d, want %d", len(flat), cfg.numParams()))
	}
	h := cfg.Hidden
	p := params{flat: flat, layers: make([]layer, cfg.Layers)}
	off := 0
	take := func(n int) []float64 {
		s := flat[off : off+n : off+n]
		off += n
		return s
	}
	for k := range p.layers {
		in := cfg.layerInputs(k)
		p.layers[k] = layer{
			w: general(take(3*h*in), 3*h, in),
			u: general(take(3*h*h), 3*h, h),
			b: take(3 * h),
		}
	}
	p.wOut = general(take(cfg.Outputs*h), cfg.Outputs, h)
	p.bOut = take(cfg.Outputs)
	return p
}

// general returns a dense row-major rows x cols view of data.
func general(data []float64, rows, cols int) blas64.General {
	return blas64.General{Rows: rows, Cols: cols, Stride: cols, Data: data}
}

// Model is a stacked GRU with a dense head. A Model is safe for concurrent
// use by Predict and Gradient as long as nothing changes its parameters.
type Model struct {
	cfg Config
	p   params
}

// New returns a model with parameters drawn from a PCG generator seeded with
// (seed, seed), as described in the package documentation. It returns an
// error if cfg is invalid.
func New(cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := newModel(cfg)
	rnd := rand.New(rand.NewPCG(seed, seed))
	uniform := func(s []float64, bound float64) {
		for i := range s {
			s[i] = bound * (2*rnd.Float64() - 1)
		}
	}
	k := 1 / math.Sqrt(float64(cfg.Hidden))
	for _, l := range m.p.layers {
		uniform(l.w.Data, k)
		uniform(l.u.Data, k)
		uniform(l.b, k)
	}
	// The head's fan-in is Hidden, so its bound equals k.
	uniform(m.p.wOut.Data, k)
	uniform(m.p.bOut, k)
	return m, nil
}

// newModel returns a zero model for a valid cfg.
func newModel(cfg Config) *Model {
	return &Model{cfg: cfg, p: newParams(cfg, make([]float64, cfg.numParams()))}
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Params returns the model's parameters as one flat slice in the documented
// order. The slice is the model's storage: writing to it changes the model.
func (m *Model) Params() []float64 { return m.p.flat }

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	c := newModel(m.cfg)
	copy(c.p.flat, m.p.flat)
	return c
}

// CopyFrom copies the parameters of src into m. It panics if the two
// configurations differ.
func (m *Model) CopyFrom(src *Model) {
	if m.cfg != src.cfg {
		panic(fmt.Sprintf("gru: CopyFrom config mismatch: %+v vs %+v", m.cfg, src.cfg))
	}
	copy(m.p.flat, src.p.flat)
}
