package gru

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// workspace holds the forward cache that drives the backward pass and the
// scratch buffers of both passes for one batch shape. All sequence buffers
// are batch-major like the input: row b*steps+t holds sequence b at step t.
type workspace struct {
	cfg          Config
	batch, steps int
	layers       []layerCache
	uh           []float64    // batch x 3H: h_{t-1} U^T of the current step
	dg           []float64    // batch*steps x 3H: dLoss/d(W x + b) per gate
	du           []float64    // batch*steps x 3H: dLoss/d(U h_{t-1}) per gate
	dh           []float64    // batch x H: dLoss/dh_t carried back in time
	dup          [2][]float64 // batch*steps x H: dLoss/d(layer input), alternating
	dy           []float64    // batch x Outputs: predictions, then dLoss/dy
}

// layerCache is what one layer's forward pass leaves for its backward pass.
type layerCache struct {
	in    blas64.General // batch*steps x in: the layer's input sequence
	gates []float64      // batch*steps x 3H: r, z and h̃ after activation
	uhh   []float64      // batch*steps x H: U_h h_{t-1}
	hs    []float64      // batch*steps x H: the states h_t
}

// resize makes w fit cfg and the batch shape, reusing its buffers when they
// are large enough.
func (w *workspace) resize(cfg Config, batch, steps int) {
	if w.cfg == cfg && w.batch == batch && w.steps == steps {
		return
	}
	w.cfg, w.batch, w.steps = cfg, batch, steps
	n, h := batch*steps, cfg.Hidden
	if cap(w.layers) < cfg.Layers {
		w.layers = make([]layerCache, cfg.Layers)
	}
	w.layers = w.layers[:cfg.Layers]
	for k := range w.layers {
		c := &w.layers[k]
		c.gates = grow(c.gates, n*3*h)
		c.uhh = grow(c.uhh, n*h)
		c.hs = grow(c.hs, n*h)
	}
	w.uh = grow(w.uh, batch*3*h)
	w.dg = grow(w.dg, n*3*h)
	w.du = grow(w.du, n*3*h)
	w.dh = grow(w.dh, batch*h)
	w.dup[0] = grow(w.dup[0], n*h)
	w.dup[1] = grow(w.dup[1], n*h)
	w.dy = grow(w.dy, batch*cfg.Outputs)
}

// grow returns s resliced to length n, reallocated if its capacity is short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// stepView returns the batch x cols matrix of time step t inside a
// batch-major sequence buffer of batch*steps rows.
func stepView(data []float64, t, cols, batch, steps int) blas64.General {
	stride := steps * cols
	return blas64.General{
		Rows: batch, Cols: cols, Stride: stride,
		Data: data[t*cols : (batch-1)*stride+t*cols+cols],
	}
}

// checkInput panics unless x holds batch sequences of steps steps.
func (m *Model) checkInput(x []float64, batch, steps int) {
	if batch < 1 || steps < 1 {
		panic(fmt.Sprintf("gru: batch %d and steps %d must be positive", batch, steps))
	}
	if want := batch * steps * m.cfg.Inputs; len(x) != want {
		panic(fmt.Sprintf("gru: len(x) = %d, want batch*steps*Inputs = %d*%d*%d = %d",
			len(x), batch, steps, m.cfg.Inputs, want))
	}
}

// Predict runs the network on a batch. x holds batch sequences of steps
// steps of Inputs features, batch-major: x[(b*steps+t)*Inputs+f]. The
// outputs go to dst[b*Outputs+k]; a nil dst is allocated. Predict returns
// dst and never modifies x. It panics if batch or steps is not positive or
// if len(x) or a non-nil dst has the wrong length.
func (m *Model) Predict(dst, x []float64, batch, steps int) []float64 {
	m.checkInput(x, batch, steps)
	n := batch * m.cfg.Outputs
	if dst == nil {
		dst = make([]float64, n)
	}
	if len(dst) != n {
		panic(fmt.Sprintf("gru: len(dst) = %d, want batch*Outputs = %d", len(dst), n))
	}
	var w workspace
	w.resize(m.cfg, batch, steps)
	m.forward(&w, x, dst)
	return dst
}

// forward runs all layers over x, filling the caches of w, and writes the
// head's output to y (batch x Outputs).
func (m *Model) forward(w *workspace, x, y []float64) {
	in := x
	for k, l := range m.p.layers {
		c := &w.layers[k]
		c.in = general(in, w.batch*w.steps, m.cfg.layerInputs(k))
		l.forward(w, c)
		in = c.hs
	}
	hT := stepView(in, w.steps-1, m.cfg.Hidden, w.batch, w.steps)
	yg := general(y, w.batch, m.cfg.Outputs)
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, hT, m.p.wOut, 0, yg)
	addRows(y, m.p.bOut)
}

// forward runs one layer over the input sequence c.in and fills c.
func (l layer) forward(w *workspace, c *layerCache) {
	h3 := l.u.Rows
	h := h3 / 3
	batch, steps := w.batch, w.steps

	// Input products and biases of all steps at once.
	blas64.Gemm(blas.NoTrans, blas.Trans, 1, c.in, l.w, 0, general(c.gates, batch*steps, h3))
	addRows(c.gates, l.b)

	for t := range steps {
		if t == 0 {
			clear(w.uh) // h_0 = 0
		} else {
			hPrev := stepView(c.hs, t-1, h, batch, steps)
			blas64.Gemm(blas.NoTrans, blas.Trans, 1, hPrev, l.u, 0, general(w.uh, batch, h3))
		}
		for b := range batch {
			row := b*steps + t
			g := c.gates[row*h3 : (row+1)*h3]
			uh := w.uh[b*h3 : (b+1)*h3]
			uhh := c.uhh[row*h : (row+1)*h]
			hs := c.hs[row*h : (row+1)*h]
			for j := range h {
				r := sigmoid(g[j] + uh[j])
				z := sigmoid(g[h+j] + uh[h+j])
				cand := math.Tanh(g[2*h+j] + r*uh[2*h+j])
				g[j], g[h+j], g[2*h+j] = r, z, cand
				uhh[j] = uh[2*h+j]
				hs[j] = z * cand
				if t > 0 {
					hs[j] += (1 - z) * c.hs[(row-1)*h+j]
				}
			}
		}
	}
}

// addRows adds v to every len(v)-long row of the row-major matrix a.
func addRows(a, v []float64) {
	for i := 0; i < len(a); i += len(v) {
		row := a[i : i+len(v)]
		for j, vj := range v {
			row[j] += vj
		}
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
