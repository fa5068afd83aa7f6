package gru

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// AdamConfig holds the settings of the Adam optimizer. A zero field takes
// its default.
type AdamConfig struct {
	LR    float64 // learning rate; 0 means 1e-3
	Beta1 float64 // decay of the first-moment estimate; 0 means 0.9
	Beta2 float64 // decay of the second-moment estimate; 0 means 0.999
	Eps   float64 // added to the denominator; 0 means 1e-8

	// ClipNorm, if positive, is the largest global L2 norm of the gradient:
	// a larger gradient is scaled by ClipNorm/(norm+1e-6) before the update,
	// as torch.nn.utils.clip_grad_norm_ does. 0 means no clipping.
	ClipNorm float64
}

// withDefaults returns c with its zero fields set to the defaults.
func (c AdamConfig) withDefaults() AdamConfig {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.LR, 1e-3)
	def(&c.Beta1, 0.9)
	def(&c.Beta2, 0.999)
	def(&c.Eps, 1e-8)
	return c
}

// Trainer trains a Model by minibatch Adam on the mean squared error. It
// owns the optimizer state and the buffers of the forward and backward
// passes, which it reuses from step to step. A Trainer is not safe for
// concurrent use.
type Trainer struct {
	model *Model
	cfg   AdamConfig
	m, v  []float64 // first and second moment estimates
	t     int       // number of updates made
	grad  params
	work  workspace

	// The update of the current step: the clipping factor of the
	// gradient, the step size and sqrt(1 − β2^t).
	scale, stepSize, sqrtBC2 float64
}

// adamTaskLen is the number of parameters one task of the Adam update
// handles.
const adamTaskLen = 1 << 13

// run applies the Adam update to parameters [i·adamTaskLen, (i+1)·adamTaskLen).
// Each parameter's update depends on its own values only.
func (t *Trainer) run(i int) {
	lo, hi := i*adamTaskLen, min((i+1)*adamTaskLen, len(t.grad.flat))
	b1, b2, eps := t.cfg.Beta1, t.cfg.Beta2, t.cfg.Eps
	p, m, v := t.model.p.flat[lo:hi], t.m[lo:hi], t.v[lo:hi]
	for j, gj := range t.grad.flat[lo:hi] {
		if t.scale != 1 {
			gj *= t.scale
		}
		m[j] = b1*m[j] + (1-b1)*gj
		v[j] = b2*v[j] + (1-b2)*gj*gj
		p[j] -= t.stepSize * m[j] / (math.Sqrt(v[j])/t.sqrtBC2 + eps)
	}
}

// NewTrainer returns a Trainer that updates the parameters of m in place.
// The configuration of m must not change while the Trainer is in use.
func NewTrainer(m *Model, c AdamConfig) *Trainer {
	n := len(m.p.flat)
	return &Trainer{
		model: m,
		cfg:   c.withDefaults(),
		m:     make([]float64, n),
		v:     make([]float64, n),
		grad:  newParams(m.cfg, make([]float64, n)),
	}
}

// Step makes one optimization step on a minibatch laid out as for Gradient:
// it computes the gradient, clips it to the global norm ClipNorm if that is
// positive, and applies the Adam update with bias correction as in
// torch.optim.Adam. It returns the loss before the update and panics on the
// same length mismatches as Gradient.
func (t *Trainer) Step(x, y []float64, batch, steps int) float64 {
	t.model.checkInput(x, batch, steps)
	t.work.resize(t.model.cfg, batch, steps, true)
	loss := t.model.gradient(&t.work, t.grad, nil, x, y)

	t.scale = 1
	if c := t.cfg.ClipNorm; c > 0 {
		if norm := floats.Norm(t.grad.flat, 2); norm > c {
			t.scale = c / (norm + 1e-6)
		}
	}
	t.t++
	t.stepSize = t.cfg.LR / (1 - math.Pow(t.cfg.Beta1, float64(t.t)))
	t.sqrtBC2 = math.Sqrt(1 - math.Pow(t.cfg.Beta2, float64(t.t)))
	t.work.runner.do((len(t.grad.flat)+adamTaskLen-1)/adamTaskLen, t)
	return loss
}
