package classical

import "math"

// nelderMead minimises f from x0 with the simplex method of R's optim
// (nmmin in R's src/appl/optim.c, the routine R's ets calls): reflection 1,
// contraction 0.5, expansion 2, an initial simplex stepping every coordinate
// by 10 % of the largest |x0[i]|, stop when the spread of the simplex values
// is within reltol·(|f|+reltol) or after maxEval evaluations.
//
// It keeps all its scratch space, so repeated calls do not allocate once the
// buffers have grown to the problem size.
type nelderMead struct {
	simplex [][]float64 // n+1 vertices
	values  []float64
	centre  []float64
	trial   []float64
	extra   []float64
}

// minimize returns the best point found (a slice owned by nm, valid until
// the next call), its value and the number of evaluations of f. f must not
// keep or modify its argument; non-finite values of f count as +∞.
func (nm *nelderMead) minimize(f func([]float64) float64, x0 []float64, reltol float64, maxEval int) ([]float64, float64, int) {
	n := len(x0)
	nm.grow(n)
	eval := func(x []float64) float64 {
		v := f(x)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return math.MaxFloat64
		}
		return v
	}
	step := 0.0
	for _, v := range x0 {
		step = math.Max(step, math.Abs(v))
	}
	step *= 0.1
	if step == 0 {
		step = 0.1
	}
	size := 0.0
	for j := 0; j <= n; j++ {
		copy(nm.simplex[j], x0)
		if j == 0 {
			continue
		}
		try := step
		for nm.simplex[j][j-1] == x0[j-1] {
			nm.simplex[j][j-1] = x0[j-1] + try
			try *= 10
		}
		size += try
	}
	oldSize := size
	nm.values[0] = eval(nm.simplex[0])
	convTol := reltol * (math.Abs(nm.values[0]) + reltol)
	evals := 1
	recompute := true
	low := 0
	for {
		if recompute {
			for j := 0; j <= n; j++ {
				if j != low {
					nm.values[j] = eval(nm.simplex[j])
					evals++
				}
			}
			recompute = false
		}
		high := low
		vLow, vHigh := nm.values[low], nm.values[low]
		for j := 0; j <= n; j++ {
			if j == low {
				continue
			}
			v := nm.values[j]
			if v < vLow {
				low, vLow = j, v
			}
			if v > vHigh {
				high, vHigh = j, v
			}
		}
		if vHigh <= vLow+convTol || evals > maxEval {
			break
		}
		for i := 0; i < n; i++ {
			sum := -nm.simplex[high][i]
			for j := 0; j <= n; j++ {
				sum += nm.simplex[j][i]
			}
			nm.centre[i] = sum / float64(n)
		}
		for i := 0; i < n; i++ {
			nm.trial[i] = 2*nm.centre[i] - nm.simplex[high][i]
		}
		vReflect := eval(nm.trial)
		evals++
		if vReflect < vLow {
			for i := 0; i < n; i++ {
				nm.extra[i] = 2*nm.trial[i] - nm.centre[i]
			}
			vExpand := eval(nm.extra)
			evals++
			if vExpand < vReflect {
				copy(nm.simplex[high], nm.extra)
				nm.values[high] = vExpand
			} else {
				copy(nm.simplex[high], nm.trial)
				nm.values[high] = vReflect
			}
			continue
		}
		if vReflect < vHigh {
			copy(nm.simplex[high], nm.trial)
			nm.values[high] = vReflect
		}
		for i := 0; i < n; i++ {
			nm.trial[i] = 0.5*nm.simplex[high][i] + 0.5*nm.centre[i]
		}
		vContract := eval(nm.trial)
		evals++
		if vContract < nm.values[high] {
			copy(nm.simplex[high], nm.trial)
			nm.values[high] = vContract
			continue
		}
		if vReflect >= vHigh {
			// Shrink towards the best vertex.
			recompute = true
			size = 0
			for j := 0; j <= n; j++ {
				if j == low {
					continue
				}
				for i := 0; i < n; i++ {
					nm.simplex[j][i] = 0.5*(nm.simplex[j][i]-nm.simplex[low][i]) + nm.simplex[low][i]
					size += math.Abs(nm.simplex[j][i] - nm.simplex[low][i])
				}
			}
			if size >= oldSize {
				break
			}
			oldSize = size
		}
	}
	return nm.simplex[low], nm.values[low], evals
}

func (nm *nelderMead) grow(n int) {
	if len(nm.centre) == n {
		return
	}
	nm.simplex = make([][]float64, n+1)
	for j := range nm.simplex {
		nm.simplex[j] = make([]float64, n)
	}
	nm.values = make([]float64, n+1)
	nm.centre = make([]float64, n)
	nm.trial = make([]float64, n)
	nm.extra = make([]float64, n)
}
