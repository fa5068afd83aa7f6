package gru

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
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
	w.resize(m.cfg, batch, steps)
	return m.gradient(&w, g, dx, x, y)
}

// gradient is Gradient with the workspace and gradient views supplied.
func (m *Model) gradient(w *workspace, g params, dx, x, y []float64) float64 {
	if len(y) != len(w.dy) {
		panic(fmt.Sprintf("gru: len(y) = %d, want batch*Outputs = %d", len(y), len(w.dy)))
	}
	if dx != nil && len(dx) != len(x) {
		panic(fmt.Sprintf("gru: len(dx) = %d, want len(x) = %d", len(dx), len(x)))
	}
	m.forward(w, x, w.dy)

	// Loss and dLoss/dy, in place of the predictions.
	var loss float64
	scale := 2 / float64(len(y))
	for i, yi := range y {
		d := w.dy[i] - yi
		loss += d * d
		w.dy[i] = scale * d
	}
	loss /= float64(len(y))

	// Head.
	h, batch, steps := m.cfg.Hidden, w.batch, w.steps
	top := w.layers[len(w.layers)-1]
	dy := general(w.dy, batch, m.cfg.Outputs)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, dy, stepView(top.hs, steps-1, h, batch, steps), 0, g.wOut)
	sumRows(g.bOut, w.dy)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, dy, m.p.wOut, 0, general(w.dh, batch, h))

	// Layers, top first. Layer k's input gradient is the upstream gradient
	// of layer k-1; the bottom layer's is dx.
	var up []float64
	for k := len(m.p.layers) - 1; k >= 0; k-- {
		var dIn []float64
		switch {
		case k > 0:
			dIn = w.dup[k%2]
		case dx != nil:
			dIn = dx
		}
		if k < len(m.p.layers)-1 {
			clear(w.dh)
		}
		m.p.layers[k].backward(w, &w.layers[k], g.layers[k], up, dIn)
		up = dIn
	}
	return loss
}

// backward runs backpropagation through time for one layer. On entry w.dh
// holds the gradient with respect to the last state beyond what up carries;
// up (batch*steps x H, nil for none) is the gradient with respect to every
// state from the layer above. It writes the layer's parameter gradients to g
// and, if dIn is not nil, the gradient with respect to the input sequence.
func (l layer) backward(w *workspace, c *layerCache, g layer, up, dIn []float64) {
	h3 := l.u.Rows
	h := h3 / 3
	batch, steps := w.batch, w.steps
	n := batch * steps

	for t := steps - 1; t >= 0; t-- {
		for b := range batch {
			row := b*steps + t
			gates := c.gates[row*h3 : (row+1)*h3]
			uhh := c.uhh[row*h : (row+1)*h]
			dg := w.dg[row*h3 : (row+1)*h3]
			du := w.du[row*h3 : (row+1)*h3]
			dh := w.dh[b*h : (b+1)*h]
			for j := range h {
				r, z, cand := gates[j], gates[h+j], gates[2*h+j]
				var hPrev float64
				if t > 0 {
					hPrev = c.hs[(row-1)*h+j]
				}
				d := dh[j]
				if up != nil {
					d += up[row*h+j]
				}
				dCand := d * z * (1 - cand*cand)
				dr := dCand * uhh[j] * r * (1 - r)
				dz := d * (cand - hPrev) * z * (1 - z)
				dg[j], dg[h+j], dg[2*h+j] = dr, dz, dCand
				du[j], du[h+j], du[2*h+j] = dr, dz, dCand*r
				dh[j] = d * (1 - z)
			}
		}
		if t > 0 {
			// dh_{t-1} += dLoss/d(U h_{t-1}) U
			duStep := stepView(w.du, t, h3, batch, steps)
			blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, duStep, l.u, 1, general(w.dh, batch, h))
		}
	}

	// dU = Σ_{t≥1} du_t^T h_{t-1}: row b*steps+t of du pairs with row
	// b*steps+t-1 of hs, so one product over the shifted buffers does it once
	// the rows of step 0 (where h_{t-1} = 0) are zeroed.
	for b := range batch {
		clear(w.du[b*steps*h3 : (b*steps+1)*h3])
	}
	if n > 1 {
		blas64.Gemm(blas.Trans, blas.NoTrans, 1, general(w.du[h3:], n-1, h3), general(c.hs[:(n-1)*h], n-1, h), 0, g.u)
	} else {
		clear(g.u.Data)
	}

	dg := general(w.dg, n, h3)
	blas64.Gemm(blas.Trans, blas.NoTrans, 1, dg, c.in, 0, g.w)
	sumRows(g.b, w.dg)
	if dIn != nil {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, dg, l.w, 0, general(dIn, n, l.w.Cols))
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
