package gru

import (
	"fmt"
	"sync"

	"github.com/forecast-dev/forecast/gru/internal/kernel"
)

// chunkRows is the number of sequences a chunk of the batch aims at: enough
// rows for the matrix kernels to reuse each weight they load, few enough
// for the chunks to balance the load of the cores.
const chunkRows = 8

// workspace holds, for one batch shape, the forward cache that drives the
// backward pass, the scratch buffers of both passes and the transposed
// weights. All sequence buffers are batch-major like the input: row
// b*steps+t holds sequence b at step t.
//
// The batch is split into chunks of consecutive sequences, a number that
// depends on the batch size only. The forward and backward passes of a
// chunk are one task; the weight gradients, sums over the whole batch, are
// computed afterwards by tasks that each own some rows of the gradient. No
// value is ever summed across tasks, so the results do not depend on the
// split nor on the number of goroutines.
type workspace struct {
	cfg          Config
	batch, steps int
	training     bool
	chunks       int
	layers       []layerCache
	woutT        []float64    // Hidden x Outputs: W_out transposed
	dh           []float64    // batch x H: dLoss/dh_t carried back in time
	zeros        []float64    // H zeros: h_0, and the upstream gradient of the top layer
	dup          [2][]float64 // batch*steps x H: dLoss/d(layer input), alternating
	pred, dy     []float64    // batch x Outputs: predictions and dLoss/dpred
	tasks        []gradTask   // the tasks of the weight gradients

	// The arguments of the current pass.
	m        *Model
	g        params
	x, y, dx []float64
	phase    phase
	runner   runner
}

// layerCache is what one layer's forward pass leaves for its backward pass.
type layerCache struct {
	in    []float64 // batch*steps x inW: the layer's input sequence
	inW   int       // features per step of the input
	wt    []float64 // inW x 3H: W transposed
	ut    []float64 // H x 3H: U transposed
	gates []float64 // batch*steps x 3H: r, z and h̃ after activation, then dLoss/d(W x + b)
	uhh   []float64 // batch*steps x H: U_h h_{t-1}
	hs    []float64 // batch*steps x H: the states h_t
	duh   []float64 // batch*steps x H: dLoss/d(U_h h_{t-1})
	dwt   []float64 // inW x 3H: dLoss/dW transposed, for narrow inputs
}

// phase selects what the tasks of a workspace job do.
type phase int

const (
	phaseTranspose phase = iota // one task per weight matrix to transpose
	phaseChunks                 // one task per chunk: forward, and backward if training
	phaseWeights                // one task per gradTask
)

// resize makes w fit cfg and the batch shape, reusing its buffers when they
// are large enough. Training workspaces also hold the buffers of the
// backward pass.
func (w *workspace) resize(cfg Config, batch, steps int, training bool) {
	if w.cfg == cfg && w.batch == batch && w.steps == steps && w.training == training {
		return
	}
	w.cfg, w.batch, w.steps, w.training = cfg, batch, steps, training
	n, h := batch*steps, cfg.Hidden
	w.chunks = (batch + chunkRows - 1) / chunkRows
	if batch >= 8 {
		w.chunks = max(w.chunks, 2)
	}
	if cap(w.layers) < cfg.Layers {
		w.layers = make([]layerCache, cfg.Layers)
	}
	w.layers = w.layers[:cfg.Layers]
	for k := range w.layers {
		c := &w.layers[k]
		c.inW = cfg.layerInputs(k)
		c.wt = grow(c.wt, c.inW*3*h)
		c.ut = grow(c.ut, h*3*h)
		c.gates = grow(c.gates, n*3*h)
		c.hs = grow(c.hs, n*h)
		c.uhh = grow(c.uhh, n*h)
		if training {
			c.duh = grow(c.duh, n*h)
			c.dwt = grow(c.dwt, c.inW*3*h)
		}
	}
	w.woutT = grow(w.woutT, h*cfg.Outputs)
	w.pred = grow(w.pred, batch*cfg.Outputs)
	w.zeros = grow(w.zeros, h)
	clear(w.zeros)
	if training {
		w.dh = grow(w.dh, batch*h)
		w.dup[0] = grow(w.dup[0], n*h)
		w.dup[1] = grow(w.dup[1], n*h)
		w.dy = grow(w.dy, batch*cfg.Outputs)
		w.planGradient()
	}
}

// grow returns s resliced to length n, reallocated if its capacity is short.
func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// chunk returns the sequences [b0, b1) of chunk c.
func (w *workspace) chunk(c int) (b0, b1 int) {
	return c * w.batch / w.chunks, (c + 1) * w.batch / w.chunks
}

// run runs task i of the current phase.
func (w *workspace) run(i int) {
	switch w.phase {
	case phaseTranspose:
		w.transpose(i)
	case phaseChunks:
		w.chunkPass(i)
	case phaseWeights:
		w.weightGradient(w.tasks[i])
	}
}

// transpose fills transposed weight matrix i: W, then U, of each layer,
// then W_out.
func (w *workspace) transpose(i int) {
	p := w.m.p
	if i == 2*len(p.layers) {
		transposeInto(w.woutT, p.wOut.Data, p.wOut.Rows, p.wOut.Cols)
		return
	}
	l, c := p.layers[i/2], &w.layers[i/2]
	if i%2 == 0 {
		transposeInto(c.wt, l.w.Data, l.w.Rows, l.w.Cols)
	} else {
		transposeInto(c.ut, l.u.Data, l.u.Rows, l.u.Cols)
	}
}

// transposeInto writes the transpose of the rows x cols matrix a to dst,
// in tiles that keep the rows read and written in the cache.
func transposeInto(dst, a []float64, rows, cols int) {
	const tile = 16
	for i0 := 0; i0 < rows; i0 += tile {
		i1 := min(i0+tile, rows)
		for j0 := 0; j0 < cols; j0 += tile {
			j1 := min(j0+tile, cols)
			for i := i0; i < i1; i++ {
				for j, v := range a[i*cols+j0 : i*cols+j1] {
					dst[(j0+j)*rows+i] = v
				}
			}
		}
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

// predictPool recycles the workspaces of Predict.
var predictPool = sync.Pool{New: func() any { return new(workspace) }}

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
	w := predictPool.Get().(*workspace)
	w.resize(m.cfg, batch, steps, false)
	w.pass(m, params{}, x, nil, nil)
	copy(dst, w.pred)
	predictPool.Put(w)
	return dst
}

// pass runs the network on x with parameters m, leaving the predictions in
// w.pred. A training workspace also runs the backward pass for targets y
// and writes the gradient to g and, if dx is not nil, dLoss/dx to dx.
func (w *workspace) pass(m *Model, g params, x, y, dx []float64) {
	w.m, w.g, w.x, w.y, w.dx = m, g, x, y, dx
	in := x
	for k := range w.layers {
		w.layers[k].in = in
		in = w.layers[k].hs
	}
	w.phase = phaseTranspose
	w.runner.do(2*len(w.layers)+1, w)
	w.phase = phaseChunks
	w.runner.do(w.chunks, w)
	if w.training {
		w.phase = phaseWeights
		w.runner.do(len(w.tasks), w)
	}
	w.m, w.g, w.x, w.y, w.dx = nil, params{}, nil, nil, nil
	w.layers[0].in = nil
}

// chunkPass runs the forward pass, and the backward pass when training, of
// chunk c.
func (w *workspace) chunkPass(c int) {
	b0, b1 := w.chunk(c)
	if b0 == b1 {
		return
	}
	for k := range w.layers {
		w.forwardLayer(k, b0, b1)
	}
	h, o, steps := w.cfg.Hidden, w.cfg.Outputs, w.steps
	top := &w.layers[len(w.layers)-1]
	pred := w.pred[b0*o : b1*o]
	kernel.Gemm(b1-b0, o, h, top.hs[(b0*steps+steps-1)*h:], steps*h, 1, w.woutT, o, pred, o, false)
	addRows(pred, w.m.p.bOut)
	if w.training {
		w.backwardChunk(b0, b1)
	}
}

// forwardLayer runs layer k over sequences [b0, b1) of its input and fills
// their rows of the layer's cache.
func (w *workspace) forwardLayer(k, b0, b1 int) {
	l, c := w.m.p.layers[k], &w.layers[k]
	h, steps := w.cfg.Hidden, w.steps
	h3 := 3 * h
	r0, r1 := b0*steps, b1*steps

	// Biases and input products of all steps at once.
	gates := c.gates[r0*h3 : r1*h3]
	for i := 0; i < len(gates); i += h3 {
		copy(gates[i:i+h3], l.b)
	}
	kernel.Gemm(r1-r0, h3, c.inW, c.in[r0*c.inW:], c.inW, 1, c.wt, h3, gates, h3, true)

	for t := range steps {
		r := r0 + t
		hPrev, ps := w.zeros, 0 // h_0 = 0
		if t == 0 {
			for b := b0; b < b1; b++ {
				clear(c.uhh[b*steps*h : (b*steps+1)*h])
			}
		} else {
			// The r and z rows of U h_{t-1} add to the gates' sums; the
			// h̃ rows, U_h h_{t-1}, are kept for the reset product.
			hPrev, ps = c.hs[(r-1)*h:], steps*h
			kernel.Gemm(b1-b0, 2*h, h, hPrev, ps, 1, c.ut, h3, c.gates[r*h3:], steps*h3, true)
			kernel.Gemm(b1-b0, h, h, hPrev, ps, 1, c.ut[2*h:], h3, c.uhh[r*h:], steps*h, false)
		}
		kernel.GateForward(b1-b0, h, c.gates[r*h3:], steps*h3, c.uhh[r*h:], steps*h, hPrev, ps, c.hs[r*h:], steps*h)
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
