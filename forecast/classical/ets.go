package classical

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Bounds on the smoothing parameters, R's ets defaults ("usual" bounds).
const (
	smoothLower = 1e-4
	smoothUpper = 0.9999
	phiLower    = 0.8
	phiUpper    = 0.98
	// maxETSPeriod is the longest season ETS models, as in R.
	maxETSPeriod = 24
	// etsMaxEval bounds the likelihood evaluations of one Nelder–Mead
	// run, R's maxit.
	etsMaxEval = 2000
	// etsRestarts bounds the restarts of Nelder–Mead from its last best
	// point (R runs it once).
	etsRestarts = 10
	// reltol is R's optim default relative tolerance, √ε.
	reltol = 1.4901161193847656e-08
	// etsSmoothEvalBudget bounds the likelihood evaluations of the search
	// over the smoothing parameters alone (its restarts stop beyond it).
	etsSmoothEvalBudget = 1000
	// etsFullWork bounds the evaluations × series length of the restarts
	// of the search over all parameters, which dominates the cost of long
	// seasonal series: short series get more restarts.
	etsFullWork = 1500000
)

// ETSSpec names an exponential smoothing model in R's notation.
type ETSSpec struct {
	// Error is "A" (additive) or "M" (multiplicative).
	Error string `json:"error"`
	// Trend is "N" (none), "A" (additive) or "Ad" (additive damped).
	Trend string `json:"trend"`
	// Season is "N" (none), "A" (additive) or "M" (multiplicative).
	Season string `json:"season"`
}

// String returns the spec as R writes it, e.g. "ETS(M,Ad,M)".
func (s ETSSpec) String() string {
	return "ETS(" + s.Error + "," + s.Trend + "," + s.Season + ")"
}

// validate checks the component names and rejects the combinations R's
// ets forbids by default (restrict = TRUE): additive error with
// multiplicative season is numerically unstable.
func (s ETSSpec) validate() error {
	if s.Error != "A" && s.Error != "M" {
		return fmt.Errorf("ets: error component %q is not A or M", s.Error)
	}
	if s.Trend != "N" && s.Trend != "A" && s.Trend != "Ad" {
		return fmt.Errorf("ets: trend component %q is not N, A or Ad", s.Trend)
	}
	if s.Season != "N" && s.Season != "A" && s.Season != "M" {
		return fmt.Errorf("ets: season component %q is not N, A or M", s.Season)
	}
	if s.Error == "A" && s.Season == "M" {
		return fmt.Errorf("ets: %v is not allowed: additive errors with a multiplicative season are unstable", s)
	}
	return nil
}

func (s ETSSpec) form(m int) etsForm {
	f := etsForm{
		multError: s.Error == "M",
		trend:     s.Trend != "N",
		damped:    s.Trend == "Ad",
		season:    s.Season[0],
		m:         1,
	}
	if f.season != 'N' {
		f.m = m
	}
	f.multSeason = f.season == 'M'
	return f
}

// ETSState is a state of an ETS model.
type ETSState struct {
	// Level is ℓ.
	Level float64 `json:"level"`
	// Slope is b, 0 without trend.
	Slope float64 `json:"slope,omitempty"`
	// Season holds the last m seasonal values, oldest first: Season[0]
	// applies to the next observation, Season[m−1] was updated last. Nil
	// without season.
	Season []float64 `json:"season,omitempty"`
}

// ETS is a fitted exponential smoothing state-space model.
type ETS struct {
	fitStart
	// Spec is the model form.
	Spec ETSSpec `json:"spec"`
	// Period is the season length m; 1 for non-seasonal specs.
	Period int `json:"period"`
	// Alpha, Beta, Gamma and Phi are the smoothing parameters in R's
	// scale: α ∈ [1e-4, 0.9999], β ∈ [1e-4, α] (0 without trend),
	// γ ∈ [1e-4, 1−α] (0 without season), φ ∈ [0.8, 0.98] (1 without
	// damping).
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
	Gamma float64 `json:"gamma"`
	Phi   float64 `json:"phi"`
	// Initial is the state before the first value, estimated with the
	// smoothing parameters.
	Initial ETSState `json:"initial"`
	// Final is the state after the N fitted values.
	Final ETSState `json:"final"`
	// N is the number of values fitted.
	N int `json:"n"`
	// LogLik is R's ets log-likelihood, −½·(n·log Σe² [+ 2·Σlog|ŷ|]),
	// on the fit data.
	LogLik float64 `json:"loglik"`
	// NumParams is the number of estimated parameters counted as R does:
	// smoothing parameters, free initial states and the error variance.
	NumParams int `json:"numParams"`
}

// Name returns the model in R's notation, e.g. "ETS(M,Ad,M)".
func (e *ETS) Name() string { return e.Spec.String() }

// AICc returns the corrected Akaike criterion −2·LogLik + 2k +
// 2k(k+1)/(n−k−1) with k = NumParams, +∞ when n ≤ k+1.
func (e *ETS) AICc() float64 {
	k, n := float64(e.NumParams), float64(e.N)
	if n-k-1 <= 0 {
		return math.Inf(1)
	}
	return -2*e.LogLik + 2*k + 2*k*(k+1)/(n-k-1)
}

func (e *ETS) params() etsParams {
	return etsParams{alpha: e.Alpha, beta: e.Beta, gamma: e.Gamma, phi: e.Phi}
}

// Forecast returns the h point forecasts after the fit data.
func (e *ETS) Forecast(h int) []float64 {
	form, p := e.Spec.form(e.Period), e.params()
	var st etsState
	st.load(e.Final, form.m)
	dst := make([]float64, h)
	form.forecast(dst, &st, &p)
	return dst
}

// ForecastAt returns, for each origin o (0 ≤ o ≤ len(y)), the h point
// forecasts made after y[:o], with the parameters and the initial state of
// the fit held fixed: y must start with the series fitted to (Skip values
// before the fit data; it may go on after it), and an origin among those
// Skip gets NaN forecasts. The recursions run once through y. It panics
// on an origin outside [0, len(y)].
func (e *ETS) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	return e.forecastAt(y, origins, h, func(y []float64, origins []int, h int) [][]float64 {
		out := make([][]float64, len(origins))
		e.run(y, origins, h, out)
		return out
	})
}

// run feeds y through the recursions from the initial state and, at each
// origin, writes the h forecasts into out; it returns the final state.
// Fit takes the final state from here too, so that Forecast and
// ForecastAt at the end of the fit data agree bit for bit.
func (e *ETS) run(y []float64, origins []int, h int, out [][]float64) ETSState {
	form, p := e.Spec.form(e.Period), e.params()
	order := sortedOrigins(origins, len(y))
	var st etsState
	st.load(e.Initial, form.m)
	next := 0
	for i := 0; i <= len(y); i++ {
		for next < len(order) && origins[order[next]] == i {
			out[order[next]] = make([]float64, h)
			form.forecast(out[order[next]], &st, &p)
			next++
		}
		if i == len(y) {
			break
		}
		form.step(&st, &p, y[i])
	}
	return st.export(form)
}

// FitETS fits the ETS model spec to y with season length m by maximum
// likelihood, as R's ets(y, model) does: the smoothing parameters and the
// initial states start from R's heuristics (initparam, initstate) and are
// optimised together by Nelder–Mead within R's usual bounds, seasonal
// models also within the admissible region. A multiplicative error or
// season needs positive data; a season needs 2 ≤ m ≤ 24 and len(y) > m.
func FitETS(y []float64, m int, spec ETSSpec) (*ETS, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	if err := checkETSData(y, m, spec); err != nil {
		return nil, err
	}
	var f etsFitter
	return f.fit(y, m, spec)
}

func checkETSData(y []float64, m int, spec ETSSpec) error {
	if len(y) < 3 {
		return fmt.Errorf("ets: need at least 3 values, got %d", len(y))
	}
	if !allFinite(y) {
		return errors.New("ets: the series has a missing or infinite value")
	}
	if (spec.Error == "M" || spec.Season == "M") && !allPositive(y) {
		return fmt.Errorf("ets: %v needs positive data, and the series has a value ≤ 0", spec)
	}
	if spec.Season != "N" {
		switch {
		case m < 2:
			return fmt.Errorf("ets: %v needs a season length ≥ 2, got %d", spec, m)
		case m > maxETSPeriod:
			return fmt.Errorf("ets: %v: season length %d is over %d", spec, m, maxETSPeriod)
		case len(y) <= m:
			return fmt.Errorf("ets: %v needs more than m = %d values, got %d", spec, m, len(y))
		case len(y) < 4:
			return fmt.Errorf("ets: %v needs at least 4 values, got %d", spec, len(y))
		}
	}
	return nil
}

// AutoETS fits the model forms R's ets(y) tries by default and keeps the
// one with the lowest AICc: errors A and M, trends N, A and Ad, seasons N,
// A and M, without additive error with multiplicative season, without
// multiplicative forms unless y is positive, without season unless
// 2 ≤ m ≤ 24 and len(y) > m. A constant series gets ETS(A,N,N) with
// α = 0.9999 and the constant as level. Forms with no fewer parameters
// than len(y)−1 have an infinite AICc, as in R; when no form has a finite
// AICc (series of 3 to 6 values), ETS(A,N,N) is returned all the same. It
// needs at least 3 finite values.
func AutoETS(y []float64, m int) (*ETS, error) {
	ann := ETSSpec{Error: "A", Trend: "N", Season: "N"}
	if err := checkETSData(y, m, ann); err != nil {
		return nil, err
	}
	if isConstant(y) {
		return constantETS(y), nil
	}
	errorTypes := []string{"A"}
	seasonTypes := []string{"N"}
	positive := allPositive(y)
	if positive {
		errorTypes = append(errorTypes, "M")
	}
	if m >= 2 && m <= maxETSPeriod && len(y) > m && len(y) >= 4 {
		seasonTypes = append(seasonTypes, "A")
		if positive {
			seasonTypes = append(seasonTypes, "M")
		}
	}
	var f etsFitter
	var best *ETS
	bestIC := math.Inf(1)
	for _, et := range errorTypes {
		for _, tt := range []string{"N", "Ad", "A"} {
			for _, st := range seasonTypes {
				spec := ETSSpec{Error: et, Trend: tt, Season: st}
				if spec.validate() != nil {
					continue
				}
				fit, err := f.fit(y, m, spec)
				if err != nil {
					continue
				}
				if ic := fit.AICc(); ic < bestIC {
					best, bestIC = fit, ic
				}
			}
		}
	}
	if best != nil {
		return best, nil
	}
	fit, err := f.fit(y, m, ann)
	if err != nil {
		return nil, fmt.Errorf("ets: no model could be fitted: %w", err)
	}
	return fit, nil
}

// constantETS is R's model for a constant series:
// ses(y, alpha = 0.99999, initial = "simple"), with α at the upper bound.
func constantETS(y []float64) *ETS {
	e := &ETS{
		Spec:    ETSSpec{Error: "A", Trend: "N", Season: "N"},
		Period:  1,
		Alpha:   smoothUpper,
		Phi:     1,
		Initial: ETSState{Level: y[0]},
		Final:   ETSState{Level: y[0]},
		N:       len(y),
		// The fit is perfect: R clamps n·log(Σe²) at −1e10.
		LogLik:    0.5e10,
		NumParams: 3,
	}
	return e
}

// etsFitter holds the scratch space of the likelihood optimisation, reused
// from one model form to the next.
type etsFitter struct {
	nm     nelderMead
	st     etsState
	poly   []float64
	polyTm []float64
	init   ETSState
	scaled []float64
}

// fit estimates spec on y (already checked). The data are divided by
// their mean absolute value during the optimisation, so that the initial
// simplex, which steps by 10 % of the largest parameter, suits series of
// any magnitude; the maximiser is the same, since the criterion only
// shifts by 2n·log(scale).
func (f *etsFitter) fit(y []float64, m int, spec ETSSpec) (*ETS, error) {
	form := spec.form(m)
	scale := 0.0
	for _, v := range y {
		scale += math.Abs(v)
	}
	scale /= float64(len(y))
	if scale == 0 {
		scale = 1
	}
	f.scaled = f.scaled[:0]
	for _, v := range y {
		f.scaled = append(f.scaled, v/scale)
	}
	ys := f.scaled

	start, err := initialStates(ys, form)
	if err != nil {
		return nil, fmt.Errorf("ets: %v: %w", spec, err)
	}
	par := initialParams(form)
	nSmooth := len(par)
	par = append(par, start.Level)
	if form.trend {
		par = append(par, start.Slope)
	}
	if form.season != 'N' {
		// The last seasonal value is implied by the normalisation.
		par = append(par, start.Season[:form.m-1]...)
	}
	numParams := len(par) + 1
	if len(par) >= len(y)-1 {
		// Not enough data: R gives such a form an infinite AICc.
		if spec.Trend != "N" || spec.Season != "N" {
			return nil, fmt.Errorf("ets: %v has %d parameters, too many for %d values", spec, len(par), len(y))
		}
	}
	if cap(f.poly) < form.m+2 {
		f.poly = make([]float64, form.m+2)
		f.polyTm = make([]float64, form.m+2)
	}
	if f.init.Season == nil || len(f.init.Season) != form.m {
		f.init.Season = make([]float64, form.m)
	}
	objective := func(x []float64) float64 {
		p, ok := f.unpack(x, form)
		if !ok {
			return math.Inf(1)
		}
		f.st.load(f.init, form.m)
		lik := form.objective(ys, &f.st, &p)
		if lik < -1e10 {
			lik = -1e10
		}
		return lik
	}
	// Stage 1: the smoothing parameters alone, the initial states held at
	// the heuristic values; a cheap search in at most 4 dimensions.
	full := append([]float64(nil), par...)
	smoothOnly := func(x []float64) float64 {
		copy(full, x)
		return objective(full)
	}
	best, _ := f.minimizeRestarting(smoothOnly, par[:nSmooth], etsSmoothEvalBudget)
	copy(par, best)
	// Stage 2: all parameters together, from there, with restarts while
	// the work (evaluations × length) stays within etsFullWork.
	budget := max(etsMaxEval, etsFullWork/len(y))
	best, value := f.minimizeRestarting(objective, par, budget)
	if math.IsInf(value, 0) || value == math.MaxFloat64 {
		return nil, fmt.Errorf("ets: %v: no admissible parameters found", spec)
	}
	p, _ := f.unpack(best, form)

	e := &ETS{
		Spec:      spec,
		Period:    form.m,
		Alpha:     p.alpha,
		Beta:      p.beta,
		Gamma:     p.gamma,
		Phi:       p.phi,
		N:         len(y),
		NumParams: numParams,
	}
	e.Initial = ETSState{Level: f.init.Level * scale}
	if form.trend {
		e.Initial.Slope = f.init.Slope * scale
	}
	if form.season != 'N' {
		e.Initial.Season = make([]float64, form.m)
		for i, s := range f.init.Season {
			if form.multSeason {
				e.Initial.Season[i] = s
			} else {
				e.Initial.Season[i] = s * scale
			}
		}
	}
	f.st.load(e.Initial, form.m)
	lik := form.objective(y, &f.st, &p)
	e.Final = e.run(y, nil, 0, nil)
	if lik < -1e10 {
		lik = -1e10
	}
	e.LogLik = -0.5 * lik
	if !e.finite() {
		return nil, fmt.Errorf("ets: %v: the fit is not finite", spec)
	}
	return e, nil
}

// minimizeRestarting runs Nelder–Mead from x0 (which it overwrites) and
// restarts it from its best point, with a fresh simplex, as long as that
// improves the value and fewer than budget evaluations have been spent
// (and at most etsRestarts times). Nelder–Mead often stalls on a ridge
// or against a bound, and a restart gets it moving again.
func (f *etsFitter) minimizeRestarting(objective func([]float64) float64, x0 []float64, budget int) ([]float64, float64) {
	best, value, spent := f.nm.minimize(objective, x0, reltol, etsMaxEval)
	for restart := 0; restart < etsRestarts && (budget == 0 || spent < budget); restart++ {
		copy(x0, best)
		again, v, evals := f.nm.minimize(objective, x0, reltol, etsMaxEval)
		spent += evals
		improved := value-v > reltol*(math.Abs(value)+reltol)
		best, value = again, v
		if !improved {
			break
		}
	}
	return best, value
}

// unpack turns the optimiser's vector (smoothing parameters, then ℓ, b and
// all seasonal values but the oldest) into parameters and f.init, reporting
// false when they are out of bounds or inadmissible.
func (f *etsFitter) unpack(x []float64, form etsForm) (etsParams, bool) {
	p := etsParams{alpha: x[0], phi: 1}
	i := 1
	if form.trend {
		p.beta = x[i]
		i++
	}
	if form.season != 'N' {
		p.gamma = x[i]
		i++
	}
	if form.damped {
		p.phi = x[i]
		i++
	}
	if p.alpha < smoothLower || p.alpha > smoothUpper {
		return p, false
	}
	if form.trend && (p.beta < smoothLower || p.beta > p.alpha || p.beta > smoothUpper) {
		return p, false
	}
	if form.damped && (p.phi < phiLower || p.phi > phiUpper) {
		return p, false
	}
	f.init.Level = x[i]
	i++
	if form.trend {
		f.init.Slope = x[i]
		i++
	}
	if form.season != 'N' {
		if p.gamma < smoothLower || p.gamma > 1-p.alpha || p.gamma > smoothUpper {
			return p, false
		}
		if !seasonalAdmissible(&p, form.m, f.poly, f.polyTm) {
			return p, false
		}
		// x holds the seasonal values newest first (R's s0, s1, …); the
		// state keeps them oldest first.
		sum := 0.0
		for k := 0; k < form.m-1; k++ {
			v := x[i+k]
			f.init.Season[form.m-1-k] = v
			sum += v
		}
		oldest := -sum
		if form.multSeason {
			oldest = float64(form.m) - sum
		}
		f.init.Season[0] = oldest
		if form.multSeason {
			for _, v := range f.init.Season {
				if v < 0 {
					return p, false
				}
			}
		}
	}
	return p, true
}

// initialParams returns R's initparam starting values: α, then β, γ and φ
// where the form has them.
func initialParams(form etsForm) []float64 {
	alpha := smoothLower + 0.2*(smoothUpper-smoothLower)/float64(form.m)
	par := []float64{alpha}
	if form.trend {
		upper := math.Min(smoothUpper, alpha)
		par = append(par, smoothLower+0.1*(upper-smoothLower))
	}
	if form.season != 'N' {
		upper := math.Min(smoothUpper, 1-alpha)
		par = append(par, smoothLower+0.05*(upper-smoothLower))
	}
	if form.damped {
		par = append(par, phiLower+0.99*(phiUpper-phiLower))
	}
	return par
}

// initialStates returns R's initstate heuristic: seasonal values from a
// classical decomposition (a linear trend plus one Fourier pair when
// len(y) < 3m), then level and slope from the first max(10, 2m) seasonally
// adjusted values. Season is ordered newest first, as R's s0, s1, …,
// s_{m−1}; only s0…s_{m−2} become parameters.
func initialStates(y []float64, form etsForm) (ETSState, error) {
	n, m := len(y), form.m
	adjusted := y
	var s ETSState
	if form.season != 'N' {
		var seasonal []float64 // seasonal component at each position
		if n < 3*m {
			var err error
			seasonal, err = fourierSeasonal(y, m, form.multSeason)
			if err != nil {
				return s, err
			}
		} else {
			figure := decomposeSeasonal(y, m, form.multSeason)
			seasonal = make([]float64, n)
			for i := range seasonal {
				seasonal[i] = figure[i%m]
			}
		}
		// R: init.seas <- rev(y.d$seasonal[2:m]).
		s.Season = make([]float64, m)
		for k := 0; k < m-1; k++ {
			s.Season[k] = seasonal[m-1-k]
		}
		adjusted = make([]float64, n)
		if form.multSeason {
			sum := 0.0
			for k := 0; k < m-1; k++ {
				s.Season[k] = math.Max(s.Season[k], 1e-2)
				sum += s.Season[k]
			}
			if sum > float64(m) {
				for k := 0; k < m-1; k++ {
					s.Season[k] /= sum + 1e-2
				}
			}
			for i, v := range y {
				adjusted[i] = v / math.Max(seasonal[i], 1e-2)
			}
		} else {
			for i, v := range y {
				adjusted[i] = v - seasonal[i]
			}
		}
	}
	maxn := min(max(10, 2*m), n)
	if !form.trend {
		mean := 0.0
		for _, v := range adjusted[:maxn] {
			mean += v
		}
		s.Level = mean / float64(maxn)
		return s, nil
	}
	s.Level, s.Slope = lineFit(adjusted[:maxn], 1)
	if math.Abs(s.Level+s.Slope) < 1e-8 {
		s.Level *= 1 + 1e-3
		s.Slope *= 1 + 1e-3
	}
	return s, nil
}

// fourierSeasonal returns the seasonal component at each position that
// R's initstate uses for short series: y regressed on an intercept, the
// time t = 1…n and one Fourier pair sin, cos(2πt/m), less (additive) or
// divided by (multiplicative) its intercept and trend.
func fourierSeasonal(y []float64, m int, multiplicative bool) ([]float64, error) {
	n := len(y)
	cols := 4
	if m == 2 {
		cols = 3 // sin(πt) vanishes
	}
	design := mat.NewDense(n, cols, nil)
	for i := 0; i < n; i++ {
		t := float64(i + 1)
		design.Set(i, 0, 1)
		design.Set(i, 1, t)
		angle := 2 * math.Pi * t / float64(m)
		if m == 2 {
			design.Set(i, 2, math.Cos(angle))
		} else {
			design.Set(i, 2, math.Sin(angle))
			design.Set(i, 3, math.Cos(angle))
		}
	}
	var qr mat.QR
	qr.Factorize(design)
	var coef mat.Dense
	if err := qr.SolveTo(&coef, false, mat.NewDense(n, 1, append([]float64(nil), y...))); err != nil {
		return nil, fmt.Errorf("initial seasonal values: %w", err)
	}
	a, b := coef.At(0, 0), coef.At(1, 0)
	seasonal := make([]float64, n)
	for i := range seasonal {
		line := a + b*float64(i+1)
		if multiplicative {
			seasonal[i] = y[i] / line
		} else {
			seasonal[i] = y[i] - line
		}
	}
	return seasonal, nil
}

// finite reports whether every number of e is finite (JSON cannot hold
// the others).
func (e *ETS) finite() bool {
	vals := []float64{e.Alpha, e.Beta, e.Gamma, e.Phi, e.LogLik,
		e.Initial.Level, e.Initial.Slope, e.Final.Level, e.Final.Slope}
	vals = append(vals, e.Initial.Season...)
	vals = append(vals, e.Final.Season...)
	return allFinite(vals)
}
