package gru

import (
	"fmt"

	"github.com/forecast-dev/forecast/gru/internal/kernel"
)

// Gradient computes the mean squared error, over all batch*Outputs values,
// between Predict(x) and the targets y[b*Outputs+k], and returns it. It
// writes dLoss/dParams into grad, which must have len(m.Params()) elements
// and receives the same layout; grad is overwritten, not accumulated. If dx
// is not nil it receives dLoss/dx in the layout of x. Gradient never modifies
// x or y. It panics on any length mismatch.
func (m *Model) Gradient(grad, dx, x, y []float64, batch, steps int) float64 {
	m.checkInput(x, batch, steps)
	g := newParams(m.cfg, grad)
	var w workspace
	w.resize(m.cfg, batch, steps, true)
	return m.gradient(&w, g, dx, x, y)
}

// gradient is Gradient with the training workspace and gradient views
// supplied.
func (m *Model) gradient(w *workspace, g params, dx, x, y []float64) float64 {
	if len(y) != len(w.dy) {
		panic(fmt.Sprintf("gru: len(y) = %d, want batch*Outputs = %d", len(y), len(w.dy)))
	}
	if dx != nil && len(dx) != len(x) {
		panic(fmt.Sprintf("gru: len(dx) = %d, want len(x) = %d", len(dx), len(x)))
	}
	w.pass(m, g, x, y, dx)
	var loss float64
	for i, yi := range y {
		d := w.pred[i] - yi
		loss += d * d
	}
	return loss / float64(len(y))
}

// backwardChunk runs the backward pass of sequences [b0, b1): the head's
// input gradient, then backpropagation through time down the layers. It
// leaves in each layer's cache the gradients the weight tasks sum.
func (w *workspace) backwardChunk(b0, b1 int) {
	h, o := w.cfg.Hidden, w.cfg.Outputs
	scale := 2 / float64(len(w.y))
	for i := b0 * o; i < b1*o; i++ {
		w.dy[i] = scale * (w.pred[i] - w.y[i])
	}
	kernel.Gemm(b1-b0, h, o, w.dy[b0*o:], o, 1, w.m.p.wOut.Data, h, w.dh[b0*h:b1*h], h, false)

	// Layers, top first. Layer k's input gradient is the upstream gradient
	// of layer k-1; the bottom layer's is dx.
	var up []float64
	for k := len(w.layers) - 1; k >= 0; k-- {
		var dIn []float64
		switch {
		case k > 0:
			dIn = w.dup[k%2]
		case w.dx != nil:
			dIn = w.dx
		}
		if k < len(w.layers)-1 {
			clear(w.dh[b0*h : b1*h])
		}
		w.backwardLayer(k, b0, b1, up, dIn)
		up = dIn
	}
}

// backwardLayer runs backpropagation through time for sequences [b0, b1)
// of layer k. On entry their rows of w.dh hold the gradient with respect to
// the last state beyond what up carries; up (batch*steps x H, nil for none)
// is the gradient with respect to every state from the layer above. It
// replaces the gates in the cache by dLoss/d(W x + b), fills duh and, if
// dIn is not nil, writes the gradient with respect to the input sequence.
func (w *workspace) backwardLayer(k, b0, b1 int, up, dIn []float64) {
	l, c := w.m.p.layers[k], &w.layers[k]
	h, steps := w.cfg.Hidden, w.steps
	h3 := 3 * h
	dhc := w.dh[b0*h : b1*h]
	for t := steps - 1; t >= 0; t-- {
		for b := b0; b < b1; b++ {
			row := b*steps + t
			hPrev, upRow := w.zeros, w.zeros
			if t > 0 {
				hPrev = c.hs[(row-1)*h : row*h]
			}
			if up != nil {
				upRow = up[row*h : (row+1)*h]
			}
			kernel.GateGrad(c.gates[row*h3:(row+1)*h3], c.uhh[row*h:(row+1)*h], hPrev, upRow,
				w.dh[b*h:(b+1)*h], c.duh[row*h:(row+1)*h])
		}
		if t > 0 {
			// dh_{t-1} += dLoss/d(U h_{t-1}) U, the r and z rows of U
			// first, then the h̃ rows: the sums run in the order of U's rows.
			r := b0*steps + t
			kernel.Gemm(b1-b0, h, 2*h, c.gates[r*h3:], steps*h3, 1, l.u.Data, h, dhc, h, true)
			kernel.Gemm(b1-b0, h, h, c.duh[r*h:], steps*h, 1, l.u.Data[2*h*h:], h, dhc, h, true)
		}
	}
	if dIn != nil {
		r0, r1 := b0*steps, b1*steps
		kernel.Gemm(r1-r0, c.inW, h3, c.gates[r0*h3:], h3, 1, l.w.Data, c.inW, dIn[r0*c.inW:r1*c.inW], c.inW, false)
	}
}

// gradTask is a share of the weight gradients: rows [i0, i1) of layer's U
// or W gradient (with the bias rows), or the head.
type gradTask struct {
	kind   gradKind
	layer  int
	i0, i1 int
}

type gradKind int

const (
	gradHead gradKind = iota // dLoss/dW_out and dLoss/db_out
	gradU                    // rows of dLoss/dU
	gradW                    // rows of dLoss/dW and dLoss/db
)

// planGradient splits the weight gradients of w's shape into tasks of
// about taskRows rows of a gradient matrix; U's blocks stay within its r, z
// rows or its h̃ rows.
func (w *workspace) planGradient() {
	const taskRows = 64
	h := w.cfg.Hidden
	rows := min(taskRows, h)
	w.tasks = append(w.tasks[:0], gradTask{kind: gradHead})
	for k := range w.layers {
		for i0 := 0; i0 < 3*h; i0 += rows {
			i1 := min(i0+rows, 3*h)
			w.tasks = append(w.tasks,
				gradTask{kind: gradU, layer: k, i0: i0, i1: i1},
				gradTask{kind: gradW, layer: k, i0: i0, i1: i1})
		}
	}
}

// weightGradient computes the share t of the weight gradients from the
// cache the backward passes of all chunks left. Each value is one sum over
// the rows of the whole batch in their order.
func (w *workspace) weightGradient(t gradTask) {
	h, o, steps, batch := w.cfg.Hidden, w.cfg.Outputs, w.steps, w.batch
	h3, n := 3*h, batch*steps
	if t.kind == gradHead {
		top := &w.layers[len(w.layers)-1]
		kernel.Gemm(o, h, batch, w.dy, 1, o, top.hs[(steps-1)*h:], steps*h, w.g.wOut.Data, h, false)
		sumRows(w.g.bOut, w.dy)
		return
	}
	c, g := &w.layers[t.layer], w.g.layers[t.layer]
	m := t.i1 - t.i0
	switch t.kind {
	case gradU:
		// dU = Σ_{t≥1} du_t^T h_{t-1}, sequence by sequence, where du holds
		// the r and z gate gradients and duh.
		du := g.u.Data[t.i0*h : t.i1*h]
		if steps == 1 {
			clear(du)
			return
		}
		src, ld, col := c.gates, h3, t.i0
		if t.i0 >= 2*h {
			src, ld, col = c.duh, h, t.i0-2*h
		}
		for b := range batch {
			r := b * steps
			kernel.Gemm(m, h, steps-1, src[(r+1)*ld+col:], 1, ld, c.hs[r*h:], h, du, h, b > 0)
		}
	case gradW:
		// dW = Σ dg^T in and db = Σ dg over all rows. A narrow input is
		// better computed as dW^T = in^T dg, the same products in the
		// same order.
		if c.inW >= 8 {
			kernel.Gemm(m, c.inW, n, c.gates[t.i0:], 1, h3, c.in, c.inW, g.w.Data[t.i0*c.inW:t.i1*c.inW], c.inW, false)
		} else {
			kernel.Gemm(c.inW, m, n, c.in, 1, c.inW, c.gates[t.i0:], h3, c.dwt[t.i0:], h3, false)
			for i := t.i0; i < t.i1; i++ {
				for p := range c.inW {
					g.w.Data[i*c.inW+p] = c.dwt[p*h3+i]
				}
			}
		}
		db := g.b[t.i0:t.i1]
		clear(db)
		for r := range n {
			for i, v := range c.gates[r*h3+t.i0 : r*h3+t.i1] {
				db[i] += v
			}
		}
	}
}

// sumRows sets dst to the sum of the len(dst)-long rows of the row-major
// matrix a.
func sumRows(dst, a []float64) {
	clear(dst)
	for i := 0; i < len(a); i += len(dst) {
		for j, v := range a[i : i+len(dst)] {
			dst[j] += v
		}
	}
}
