package classical

import "math"

// Guards of R's etscalc.c: a divisor smaller than etsTol in magnitude gives
// etsHuge instead of an overflow.
const (
	etsTol  = 1e-10
	etsHuge = 1e10
)

// etsForm is the part of a spec that the state recursions need.
type etsForm struct {
	multError  bool
	trend      bool
	damped     bool
	season     byte // 'N', 'A' or 'M'
	m          int  // season length; 1 without season
	multSeason bool
}

// etsParams are the smoothing parameters in R's error-correction scale:
// β ≤ α and γ ≤ 1−α. Beta is 0 without trend, gamma 0 without season and
// phi 1 without damping.
type etsParams struct {
	alpha, beta, gamma, phi float64
}

// etsState is the running state: level, slope and the last m seasonal
// values in a ring, ring[head] being the oldest, the one that applies to
// the next observation.
type etsState struct {
	level, slope float64
	ring         []float64
	head         int
}

// load sets st to the state s, reusing st's ring.
func (st *etsState) load(s ETSState, m int) {
	st.level, st.slope = s.Level, s.Slope
	if cap(st.ring) < m {
		st.ring = make([]float64, m)
	}
	st.ring = st.ring[:m]
	if len(s.Season) == m {
		copy(st.ring, s.Season)
	}
	st.head = 0
}

// export returns st as an ETSState with the seasons oldest first.
func (st *etsState) export(form etsForm) ETSState {
	s := ETSState{Level: st.level}
	if form.trend {
		s.Slope = st.slope
	}
	if form.season != 'N' {
		s.Season = make([]float64, form.m)
		for i := range s.Season {
			s.Season[i] = st.ring[(st.head+i)%form.m]
		}
	}
	return s
}

// step feeds one observation y: it returns the one-step forecast made
// before seeing y and advances the state, as R's etscalc does (forecast,
// then update). The updates are the same for additive and multiplicative
// errors; only the likelihood differs.
func (form *etsForm) step(st *etsState, p *etsParams, y float64) float64 {
	oldSeason := 0.0
	if form.season != 'N' {
		oldSeason = st.ring[st.head]
	}
	phiSlope := 0.0
	if form.trend {
		phiSlope = p.phi * st.slope
	}
	q := st.level + phiSlope
	f := q
	deseasoned := y
	switch form.season {
	case 'A':
		f = q + oldSeason
		deseasoned = y - oldSeason
	case 'M':
		f = q * oldSeason
		if math.Abs(oldSeason) < etsTol {
			deseasoned = etsHuge
		} else {
			deseasoned = y / oldSeason
		}
	}
	level := q + p.alpha*(deseasoned-q)
	if form.trend {
		st.slope = phiSlope + (p.beta/p.alpha)*(level-st.level-phiSlope)
	}
	st.level = level
	if form.season != 'N' {
		target := y - q
		if form.season == 'M' {
			if math.Abs(q) < etsTol {
				target = etsHuge
			} else {
				target = y / q
			}
		}
		st.ring[st.head] = oldSeason + p.gamma*(target-oldSeason)
		st.head++
		if st.head == form.m {
			st.head = 0
		}
	}
	return f
}

// forecast writes into dst the len(dst) point forecasts from state st,
// accumulating φ+φ²+… as R's etscalc does.
func (form *etsForm) forecast(dst []float64, st *etsState, p *etsParams) {
	phiSum := p.phi
	phiPow := p.phi
	for i := range dst {
		f := st.level
		if form.trend {
			f += phiSum * st.slope
		}
		switch form.season {
		case 'A':
			f += st.ring[(st.head+i)%form.m]
		case 'M':
			f *= st.ring[(st.head+i)%form.m]
		}
		dst[i] = f
		if form.damped {
			phiPow *= p.phi
			phiSum += phiPow
		} else {
			phiSum++
		}
	}
}

// objective returns R's ets likelihood criterion −2·log L up to a constant:
// n·log(Σe²), plus 2·Σlog|ŷ| with multiplicative errors (e = (y−ŷ)/ŷ).
// The state st is consumed.
//
// This is the inner loop of the fit, so it repeats step's arithmetic
// operation for operation with the state in local variables (which the
// compiler keeps in registers), and turns the components into booleans
// tested in the loop; TestObjectiveMatchesStep holds the two together.
func (form *etsForm) objective(y []float64, st *etsState, p *etsParams) float64 {
	level, slope := st.level, st.slope
	ring, head := st.ring, st.head
	alpha, gamma, phi := p.alpha, p.gamma, p.phi
	slopeGain := p.beta / p.alpha
	trend, multError := form.trend, form.multError
	addSeason, mulSeason := form.season == 'A', form.season == 'M'
	m := form.m
	// Σlog|ŷ| is accumulated as a product, taking its logarithm only when
	// it leaves [1e-100, 1e100]: one logarithm per step would cost more
	// than the whole recursion.
	sse, sumLog, prod := 0.0, 0.0, 1.0
	for _, v := range y {
		oldSeason := 0.0
		if addSeason || mulSeason {
			oldSeason = ring[head]
		}
		phiSlope := 0.0
		if trend {
			phiSlope = phi * slope
		}
		q := level + phiSlope
		f := q
		deseasoned := v
		if addSeason {
			f = q + oldSeason
			deseasoned = v - oldSeason
		} else if mulSeason {
			f = q * oldSeason
			if math.Abs(oldSeason) < etsTol {
				deseasoned = etsHuge
			} else {
				deseasoned = v / oldSeason
			}
		}
		newLevel := q + alpha*(deseasoned-q)
		if trend {
			slope = phiSlope + slopeGain*(newLevel-level-phiSlope)
		}
		level = newLevel
		if addSeason || mulSeason {
			target := v - q
			if mulSeason {
				if math.Abs(q) < etsTol {
					target = etsHuge
				} else {
					target = v / q
				}
			}
			ring[head] = oldSeason + gamma*(target-oldSeason)
			head++
			if head == m {
				head = 0
			}
		}
		if multError {
			e := (v - f) / f
			sse += e * e
			prod *= math.Abs(f)
			if prod > 1e100 || prod < 1e-100 {
				sumLog += math.Log(prod)
				prod = 1
			}
		} else {
			e := v - f
			sse += e * e
		}
	}
	st.level, st.slope, st.head = level, slope, head
	lik := float64(len(y)) * math.Log(sse)
	if multError {
		lik += 2 * (sumLog + math.Log(prod))
	}
	return lik
}

// seasonalAdmissible reports whether the seasonal model's characteristic
// polynomial (R's admissible(), forecast package) has all its roots within
// radius 1+1e-10:
//
//	φ(1−α−γ) + (α+β−αφ+γ−1)z + Σ_{k=2}^{m−1} (α+β−αφ)z^k + (α+β−φ)z^m + z^{m+1}.
//
// It uses the Schur–Cohn step-down test on the polynomial with its variable
// scaled by 1+1e-10; coef and tmp are scratch space of length ≥ m+2.
func seasonalAdmissible(p *etsParams, m int, coef, tmp []float64) bool {
	a, b, g, phi := p.alpha, p.beta, p.gamma, p.phi
	d := m + 1
	c := coef[:d+1]
	c[0] = phi * (1 - a - g)
	c[1] = a + b - a*phi + g - 1
	for k := 2; k < m; k++ {
		c[k] = a + b - a*phi
	}
	c[m] = a + b - phi
	c[d] = 1
	scale := 1.0
	for k := range c {
		c[k] *= scale
		scale *= 1 + 1e-10
	}
	return schurStable(c, tmp)
}

// schurStable reports whether the polynomial Σ c[k]·z^k has all its roots
// strictly inside the unit circle. It overwrites c and tmp (len(tmp) ≥
// len(c)).
func schurStable(c, tmp []float64) bool {
	for d := len(c) - 1; d > 0; d-- {
		lead, last := c[d], c[0]
		if math.Abs(last) >= math.Abs(lead) {
			return false
		}
		// (lead·p(z) − last·p*(z)) / z, p*(z) = z^d·p(1/z).
		for k := 0; k < d; k++ {
			tmp[k] = lead*c[k+1] - last*c[d-1-k]
		}
		copy(c, tmp[:d])
		// Renormalise to keep the numbers in range.
		norm := math.Abs(c[d-1])
		if norm == 0 || math.IsNaN(norm) {
			return false
		}
		for k := 0; k < d; k++ {
			c[k] /= norm
		}
	}
	return true
}
