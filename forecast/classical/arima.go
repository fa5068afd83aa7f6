package classical

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Settings of the automatic ARIMA search, R's auto.arima defaults where R
// has one.
const (
	// arimaMaxOrder bounds p and p + P, R's max.p and max.order.
	arimaMaxOrder = 5
	// arimaMaxSeasonalP bounds P.
	arimaMaxSeasonalP = 1
	// arimaMaxD bounds d, R's max.d.
	arimaMaxD = 2
	// kpssCritical is the 5 % critical value of the KPSS test for level
	// stationarity (urca's ur.kpss, type "mu"): ndiffs differences while
	// the statistic exceeds it.
	kpssCritical = 0.463
	// seasonalStrengthThreshold is the seasonal strength above which
	// nsdiffs(test = "seas") takes a seasonal difference.
	seasonalStrengthThreshold = 0.64
	// minARRoot is the smallest modulus auto.arima accepts for a root of
	// the AR polynomial: models closer to a unit root are not considered.
	minARRoot = 1.01
	// gaussNewtonMaxIter bounds the iterations of the least-squares fit.
	gaussNewtonMaxIter = 100
	// gaussNewtonTol stops the iterations once the sum of squares falls by
	// less than this fraction.
	gaussNewtonTol = 1e-12
)

// ARIMAOrder is the form of a seasonal ARIMA(p,d,0)(P,D,0)[m] model.
type ARIMAOrder struct {
	// P is p, the number of autoregressive terms.
	P int `json:"p"`
	// D is d, the number of first differences.
	D int `json:"d"`
	// SeasonalP is P, the number of seasonal autoregressive terms (lags
	// m, 2m, …).
	SeasonalP int `json:"seasonalP"`
	// SeasonalD is D, the number of seasonal differences (lag m).
	SeasonalD int `json:"seasonalD"`
	// Constant says whether the model has an intercept (d + D = 0, R's
	// "non-zero mean") or a drift (d + D = 1); there is none when
	// d + D ≥ 2.
	Constant bool `json:"constant"`
}

// validate reports an order that cannot be fitted with season length m.
func (o ARIMAOrder) validate(m int) error {
	switch {
	case o.P < 0 || o.SeasonalP < 0 || o.D < 0 || o.SeasonalD < 0:
		return fmt.Errorf("negative order in %v", o)
	case o.D > arimaMaxD || o.SeasonalD > 1:
		return fmt.Errorf("%v differences more than twice, or seasonally more than once", o)
	case m < 2 && (o.SeasonalP > 0 || o.SeasonalD > 0):
		return fmt.Errorf("%v has seasonal terms but the period is %d", o, m)
	case o.Constant && o.D+o.SeasonalD > 1:
		return fmt.Errorf("%v has a constant after more than one difference", o)
	}
	return nil
}

// String writes the order as R does, without the constant:
// "ARIMA(2,1,0)(1,1,0)" (the period is not known here).
func (o ARIMAOrder) String() string {
	s := fmt.Sprintf("ARIMA(%d,%d,0)", o.P, o.D)
	if o.SeasonalP > 0 || o.SeasonalD > 0 {
		s += fmt.Sprintf("(%d,%d,0)", o.SeasonalP, o.SeasonalD)
	}
	return s
}

// history is the number of past values the forecast recursion of the
// order needs: p + P·m + d + D·m.
func (o ARIMAOrder) history(m int) int {
	return o.P + o.SeasonalP*m + o.D + o.SeasonalD*m
}

// ARIMA is a fitted seasonal ARIMA(p,d,0)(P,D,0)[m] model without moving
// average terms:
//
//	φ(B)·Φ(B^m)·(1−B)^d·(1−B^m)^D·(y_t − μ_t) = e_t
//
// with φ(B) = 1 − φ₁B − … − φ_pB^p, Φ(B^m) = 1 − Φ₁B^m − … − Φ_PB^{Pm},
// and μ_t the intercept μ (d + D = 0), the drift line δ·t (d + D = 1,
// t = 1, 2, … from the first value of the fit data) or 0.
type ARIMA struct {
	fitStart
	// Order is the model form.
	Order ARIMAOrder `json:"order"`
	// Period is the season length m (1: non-seasonal).
	Period int `json:"period"`
	// AR holds φ₁ … φ_p.
	AR []float64 `json:"ar"`
	// SeasonalAR holds Φ₁ … Φ_P.
	SeasonalAR []float64 `json:"seasonalAR"`
	// Constant is the intercept μ or the drift δ per step when
	// Order.Constant is set, 0 otherwise.
	Constant float64 `json:"constant"`
	// Sigma2 is the residual variance as R's forecast::Arima reports it:
	// the sum of squared residuals over n* − k, n* being the length of the
	// differenced series and k the number of coefficients.
	Sigma2 float64 `json:"sigma2"`
	// N is the number of values fitted.
	N int `json:"n"`
	// History holds the last Order.history(Period) values of the fit data,
	// from which Forecast runs the recursion.
	History []float64 `json:"history"`
}

// Name returns the model as R prints it, e.g.
// "ARIMA(2,1,0)(1,1,0)[12] with drift" or "ARIMA(3,0,0) with non-zero mean".
func (a *ARIMA) Name() string {
	o := a.Order
	s := fmt.Sprintf("ARIMA(%d,%d,0)", o.P, o.D)
	if a.Period > 1 && (o.SeasonalP > 0 || o.SeasonalD > 0) {
		s += fmt.Sprintf("(%d,%d,0)[%d]", o.SeasonalP, o.SeasonalD, a.Period)
	}
	switch {
	case o.Constant && o.D+o.SeasonalD == 0:
		s += " with non-zero mean"
	case o.Constant:
		s += " with drift"
	case o.D+o.SeasonalD == 0:
		s += " with zero mean"
	}
	return s
}

// Forecast returns the h point forecasts after the fit data.
func (a *ARIMA) Forecast(h int) []float64 {
	dst := make([]float64, h)
	a.forecastFrom(dst, a.recursion(), a.History, a.N)
	return dst
}

// ForecastAt returns, for each origin o (0 ≤ o ≤ len(y)), the h point
// forecasts made after y[:o] with the coefficients of the fit held fixed;
// y must start with the series the model was fitted to for the drift and
// the seasons to line up. The recursion needs the last K = p + P·m + d + D·m
// values: at an origin o < K the values before y[0] are taken equal to
// y[0], and at origin 0 equal to μ_t, so that the forecasts there are μ_t
// (0 without a constant). It panics on an origin outside [0, len(y)].
func (a *ARIMA) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	return a.forecastAt(y, origins, h, a.forecastFromStart)
}

// forecastFromStart is ForecastAt on a y that starts with the fit data.
func (a *ARIMA) forecastFromStart(y []float64, origins []int, h int) [][]float64 {
	sortedOrigins(origins, len(y)) // checks the origins
	coef := a.recursion()
	k := len(coef)
	history := make([]float64, k)
	out := make([][]float64, len(origins))
	for i, o := range origins {
		for j := range history {
			switch t := o - k + j; {
			case t >= 0:
				history[j] = y[t]
			case o > 0:
				history[j] = y[0]
			default:
				history[j] = a.mu(t + 1)
			}
		}
		out[i] = make([]float64, h)
		a.forecastFrom(out[i], coef, history, o)
	}
	return out
}

// mu returns μ_t for the 1-based time t.
func (a *ARIMA) mu(t int) float64 {
	switch {
	case !a.Order.Constant:
		return 0
	case a.Order.D+a.Order.SeasonalD == 0:
		return a.Constant
	}
	return a.Constant * float64(t)
}

// recursion returns c₁ … c_K with y_t − μ_t = Σ c_k·(y_{t−k} − μ_{t−k}) + e_t:
// the expansion of φ(B)·Φ(B^m)·(1−B)^d·(1−B^m)^D = 1 − Σ c_k·B^k.
func (a *ARIMA) recursion() []float64 {
	poly := []float64{1}
	for range a.Order.D {
		poly = polyMul(poly, lagPoly([]float64{1}, 1))
	}
	for range a.Order.SeasonalD {
		poly = polyMul(poly, lagPoly([]float64{1}, a.Period))
	}
	poly = polyMul(poly, lagPoly(a.AR, 1))
	poly = polyMul(poly, lagPoly(a.SeasonalAR, a.Period))
	coef := poly[1:]
	for i := range coef {
		coef[i] = -coef[i]
	}
	return coef
}

// forecastFrom writes the h = len(dst) forecasts after origin o, the
// values before it being history (the last len(coef) of them).
func (a *ARIMA) forecastFrom(dst, coef, history []float64, o int) {
	k := len(coef)
	z := make([]float64, k+len(dst))
	for j, v := range history {
		z[j] = v - a.mu(o-k+j+1)
	}
	for i := range dst {
		t := k + i
		sum := 0.0
		for j, c := range coef {
			sum += c * z[t-j-1]
		}
		z[t] = sum
		dst[i] = sum + a.mu(o+i+1)
	}
}

// lagPoly returns the polynomial 1 − Σ coef[i]·B^{(i+1)·lag}.
func lagPoly(coef []float64, lag int) []float64 {
	poly := make([]float64, len(coef)*lag+1)
	poly[0] = 1
	for i, c := range coef {
		poly[(i+1)*lag] = -c
	}
	return poly
}

// polyMul returns the product of the polynomials a and b (coefficients
// from degree 0).
func polyMul(a, b []float64) []float64 {
	out := make([]float64, len(a)+len(b)-1)
	for i, x := range a {
		for j, y := range b {
			out[i+j] += x * y
		}
	}
	return out
}

// FitARIMA fits a seasonal ARIMA(p,d,0)(P,D,0)[m] to y, choosing the
// orders as R's forecast::auto.arima(y, max.q = 0, max.Q = 0, max.P = 1,
// stepwise = FALSE, method = "CSS") does: D = 1 when m > 1, len(y) > 2m
// and the seasonal strength of a classical additive decomposition exceeds
// 0.64 (nsdiffs); d ∈ {0, 1, 2} by repeated KPSS tests at the 5 % level
// on the seasonally differenced series (ndiffs); then every p ≤
// min(5, n/3) (≤ m−1 when seasonal terms are allowed), P ≤ min(1, n/3/m)
// with p + P ≤ 5, with and without a constant when d + D ≤ 1, fitted by
// conditional least squares, keeping the lowest AICc among the models
// whose AR roots lie outside radius 1.01. A constant series gets
// ARIMA(0,0,0) with its value as mean; a series that differencing makes
// constant gets the pure differencing model (with the constant drift when
// d + D = 1, as R). It needs at least 3 finite values.
func FitARIMA(y []float64, m int) (*ARIMA, error) {
	n := len(y)
	if n < 3 {
		return nil, fmt.Errorf("arima: need at least 3 values, got %d", n)
	}
	if !allFinite(y) {
		return nil, errors.New("arima: the series has a missing or infinite value")
	}
	m = max(m, 1)
	if isConstant(y) {
		return &ARIMA{Order: ARIMAOrder{Constant: true}, Period: m, Constant: y[0], N: n, History: []float64{}}, nil
	}
	var order ARIMAOrder
	if m > 1 && n > 2*m {
		order.SeasonalD = nsdiffs(y, m)
	}
	dx := difference(y, 0, order.SeasonalD, m)
	order.D = ndiffs(dx)
	dx = difference(dx, order.D, 0, m)
	if isConstant(dx) {
		return differencingModel(y, m, order, dx), nil
	}
	maxP := min(arimaMaxOrder, n/3)
	maxSeasonalP := 0
	if m > 1 {
		maxSeasonalP = min(arimaMaxSeasonalP, n/3/m)
		if maxSeasonalP > 0 {
			maxP = min(maxP, m-1)
		}
	}
	constants := []bool{false}
	if order.D+order.SeasonalD <= 1 {
		constants = append(constants, true)
	}
	var best *ARIMA
	bestIC := math.Inf(1)
	for p := 0; p <= maxP; p++ {
		for sp := 0; sp <= maxSeasonalP && p+sp <= arimaMaxOrder; sp++ {
			for _, constant := range constants {
				order.P, order.SeasonalP, order.Constant = p, sp, constant
				fit, ic, err := fitARIMAOrder(y, m, order)
				if err != nil || !(ic < bestIC) || !fit.stationaryAR() {
					continue
				}
				best, bestIC = fit, ic
			}
		}
	}
	if best == nil {
		return nil, fmt.Errorf("arima: no model could be fitted to %d values after %d differences (too few values)", n, order.D+order.SeasonalD)
	}
	return best, nil
}

// differencingModel is auto.arima's model for a series that differencing
// makes constant: ARIMA(0,d,0)(0,D,0) with the constant drift when
// d + D = 1 (the mean step, per period for a seasonal difference).
func differencingModel(y []float64, m int, order ARIMAOrder, dx []float64) *ARIMA {
	a := &ARIMA{Order: order, Period: m, N: len(y)}
	if order.D+order.SeasonalD == 1 {
		a.Order.Constant = true
		a.Constant = mean(dx)
		if order.SeasonalD == 1 {
			a.Constant /= float64(m)
		}
	}
	a.AR, a.SeasonalAR = []float64{}, []float64{}
	a.History = append([]float64{}, y[len(y)-order.history(m):]...)
	return a
}

// FitARIMAOrder fits the given ARIMA order to y with season length m by
// conditional least squares, as R's arima(method = "CSS"): the
// coefficients minimise Σe_t² over the differenced series after its first
// p + P·m values. It needs more values after differencing and
// conditioning than there are coefficients.
func FitARIMAOrder(y []float64, m int, order ARIMAOrder) (*ARIMA, error) {
	a, _, err := fitARIMAOrder(y, max(m, 1), order)
	return a, err
}

// fitARIMAOrder is FitARIMAOrder returning also the AICc of R's
// auto.arima for CSS fits, n*·log(Σe²/ν) + 2k + 2k(k+1)/(n*−k−1) with n*
// the length of the differenced series, ν the number of residuals and k
// the number of coefficients plus one (+∞ when n* ≤ k+1).
func fitARIMAOrder(y []float64, m int, order ARIMAOrder) (*ARIMA, float64, error) {
	if err := order.validate(m); err != nil {
		return nil, 0, fmt.Errorf("arima: %w", err)
	}
	if !allFinite(y) {
		return nil, 0, errors.New("arima: the series has a missing or infinite value")
	}
	w := difference(y, order.D, order.SeasonalD, m)
	css := cssProblem{w: w, p: order.P, seasonalP: order.SeasonalP, m: m}
	if order.Constant {
		css.regressor = 1
		if order.SeasonalD == 1 {
			css.regressor = float64(m)
		}
	}
	residuals := len(w) - css.conditioned()
	if residuals <= css.numParams() {
		return nil, 0, fmt.Errorf("arima: %v needs more than %d values, got %d",
			order, order.history(m)+css.numParams(), len(y))
	}
	theta, ssq, err := css.fit()
	if err != nil {
		return nil, 0, fmt.Errorf("arima: %v: %w", order, err)
	}
	a := &ARIMA{
		Order:      order,
		Period:     m,
		AR:         theta[:order.P],
		SeasonalAR: theta[order.P : order.P+order.SeasonalP],
		Sigma2:     ssq / float64(len(w)-css.numParams()),
		N:          len(y),
		History:    append([]float64{}, y[len(y)-order.history(m):]...),
	}
	if order.Constant {
		a.Constant = theta[len(theta)-1]
	}
	k := float64(css.numParams() + 1)
	nStar := float64(len(w))
	aicc := math.Inf(1)
	if nStar-k-1 > 0 {
		aicc = nStar*math.Log(ssq/float64(residuals)) + 2*k + 2*k*(k+1)/(nStar-k-1)
	}
	return a, aicc, nil
}

// stationaryAR reports whether the roots of φ(z)·Φ(z^m), trailing
// coefficients below 1e-8 dropped, all have modulus at least 1.01, as
// auto.arima requires. It tests the reciprocal polynomial, scaled, with
// the Schur–Cohn recursion.
func (a *ARIMA) stationaryAR() bool {
	poly := polyMul(lagPoly(a.AR, 1), lagPoly(a.SeasonalAR, a.Period))
	last := len(poly) - 1
	for last > 0 && math.Abs(poly[last]) <= 1e-8 {
		last--
	}
	if last == 0 {
		return true
	}
	// The roots of Σ poly[k]z^k lie outside radius r exactly when those
	// of Σ poly[last−k]·(z/r)^k lie inside the unit circle.
	coef := make([]float64, last+1)
	scale := 1.0
	for k := range coef {
		coef[k] = poly[last-k] * scale
		scale /= minARRoot
	}
	return schurStable(coef, make([]float64, len(coef)))
}

// cssProblem is the conditional sum of squares of an AR model with
// multiplicative seasonal part on a differenced series w: with
// u_t = w_t − r·β, the residuals are e_t = φ(B)·Φ(B^m)·u_t for
// t ≥ p + P·m. r is the difference of the constant's regressor: 1 for an
// intercept (no difference) or for a drift after a first difference, m
// for a drift after a seasonal difference, 0 without constant.
type cssProblem struct {
	w            []float64
	p, seasonalP int
	m            int
	regressor    float64
	u            []float64 // scratch of residuals, len(w): reused by the fit's many calls
}

// conditioned is the number of values of w the residuals are conditioned
// on, R's n.cond less the differences.
func (c *cssProblem) conditioned() int { return c.p + c.seasonalP*c.m }

// numParams is the number of coefficients: φ, Φ and the constant β.
func (c *cssProblem) numParams() int {
	k := c.p + c.seasonalP
	if c.regressor != 0 {
		k++
	}
	return k
}

// residuals writes e_t (t = conditioned…len(w)−1) into e for the
// coefficients theta = (φ₁…φ_p, Φ₁…Φ_P, β) and returns Σe_t²; when jac is
// not nil it also writes ∂e_t/∂theta into its rows.
func (c *cssProblem) residuals(theta, e []float64, jac *mat.Dense) float64 {
	p, sp, m := c.p, c.seasonalP, c.m
	// a and b are the coefficients of φ(B) and Φ(B^m) from degree 0.
	a := make([]float64, p+1)
	b := make([]float64, sp+1)
	a[0], b[0] = 1, 1
	for i := 1; i <= p; i++ {
		a[i] = -theta[i-1]
	}
	for j := 1; j <= sp; j++ {
		b[j] = -theta[p+j-1]
	}
	beta := 0.0
	if c.regressor != 0 {
		beta = theta[p+sp]
	}
	if cap(c.u) < len(c.w) {
		c.u = make([]float64, len(c.w))
	}
	u := c.u[:len(c.w)]
	for t, v := range c.w {
		u[t] = v - c.regressor*beta
	}
	sumA, sumB := 0.0, 0.0
	for _, v := range a {
		sumA += v
	}
	for _, v := range b {
		sumB += v
	}
	start := c.conditioned()
	ssq := 0.0
	for t := start; t < len(u); t++ {
		r := t - start
		var et float64
		for i, ai := range a {
			for j, bj := range b {
				et += ai * bj * u[t-i-j*m]
			}
		}
		e[r] = et
		ssq += et * et
		if jac == nil {
			continue
		}
		for i := 1; i <= p; i++ {
			d := 0.0
			for j, bj := range b {
				d -= bj * u[t-i-j*m]
			}
			jac.Set(r, i-1, d)
		}
		for j := 1; j <= sp; j++ {
			d := 0.0
			for i, ai := range a {
				d -= ai * u[t-i-j*m]
			}
			jac.Set(r, p+j-1, d)
		}
		if c.regressor != 0 {
			jac.Set(r, p+sp, -c.regressor*sumA*sumB)
		}
	}
	return ssq
}

// fit minimises the sum of squares by Gauss–Newton with step halving,
// starting, as R's arima, from zero AR coefficients and β from the mean
// of w (R: a regression of w on the differenced regressor). It returns
// the coefficients and the sum of squares.
func (c *cssProblem) fit() ([]float64, float64, error) {
	k := c.numParams()
	theta := make([]float64, k)
	if c.regressor != 0 {
		theta[k-1] = mean(c.w) / c.regressor
	}
	rows := len(c.w) - c.conditioned()
	e := make([]float64, rows)
	ssq := c.residuals(theta, e, nil)
	if k == 0 {
		return theta, ssq, nil
	}
	jac := mat.NewDense(rows, k, nil)
	trial := make([]float64, k)
	trialE := make([]float64, rows)
	negE := mat.NewVecDense(rows, nil)
	var qr mat.QR
	var step mat.VecDense
	for range gaussNewtonMaxIter {
		c.residuals(theta, e, jac)
		for i, v := range e {
			negE.SetVec(i, -v)
		}
		qr.Factorize(jac)
		if err := qr.SolveVecTo(&step, false, negE); err != nil {
			return nil, 0, fmt.Errorf("least squares: %w", err)
		}
		accepted := false
		for scale := 1.0; scale > 1e-9; scale /= 2 {
			for i := range trial {
				trial[i] = theta[i] + scale*step.AtVec(i)
			}
			if trialSSQ := c.residuals(trial, trialE, nil); trialSSQ <= ssq {
				copy(theta, trial)
				converged := ssq-trialSSQ <= gaussNewtonTol*ssq
				ssq = trialSSQ
				accepted = !converged
				break
			}
		}
		if !accepted {
			break
		}
	}
	if math.IsNaN(ssq) || math.IsInf(ssq, 0) {
		return nil, 0, errors.New("the sum of squares is not finite")
	}
	return theta, ssq, nil
}

// difference returns y differenced d times at lag 1, then seasonalD times
// at lag m, as R's arima does.
func difference(y []float64, d, seasonalD, m int) []float64 {
	x := append([]float64{}, y...)
	for range d {
		x = diffLag(x, 1)
	}
	for range seasonalD {
		x = diffLag(x, m)
	}
	return x
}

// diffLag returns x_t − x_{t−lag} for t ≥ lag (empty when len(x) ≤ lag).
func diffLag(x []float64, lag int) []float64 {
	if len(x) <= lag {
		return []float64{}
	}
	out := make([]float64, len(x)-lag)
	for t := range out {
		out[t] = x[t+lag] - x[t]
	}
	return out
}

// mean returns the arithmetic mean of x.
func mean(x []float64) float64 {
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

// ndiffs returns the number of first differences (at most 2) that make x
// level-stationary by R's forecast::ndiffs(x, test = "kpss"): difference
// while the KPSS statistic exceeds its 5 % critical value, stopping at a
// constant series.
func ndiffs(x []float64) int {
	if isConstant(x) {
		return 0
	}
	stat := kpssLevel(x)
	if math.IsNaN(stat) {
		return 0
	}
	d := 0
	for stat > kpssCritical && d < arimaMaxD {
		d++
		x = diffLag(x, 1)
		if isConstant(x) {
			return d
		}
		if stat = kpssLevel(x); math.IsNaN(stat) {
			return d - 1
		}
	}
	return d
}

// LevelStationary reports whether x is level-stationary by the KPSS test
// at 5 %, as ndiffs decides to difference it: a constant x is.
func LevelStationary(x []float64) bool {
	if isConstant(x) {
		return true
	}
	stat := kpssLevel(x)
	return math.IsNaN(stat) || stat <= kpssCritical
}

// kpssLevel returns the KPSS statistic for level stationarity (urca's
// ur.kpss(x, type = "mu", use.lag = ⌊3√n/13⌋), as ndiffs calls it): with
// e the deviations from the mean and S their partial sums,
//
//	η = (ΣS_t²/n²) / (Σe_t²/n + 2/n·Σ_{l=1}^{L} (1 − l/(L+1))·Σ_t e_t·e_{t−l}).
func kpssLevel(x []float64) float64 {
	n := len(x)
	mu := mean(x)
	partial, numerator, s2 := 0.0, 0.0, 0.0
	e := make([]float64, n)
	for t, v := range x {
		e[t] = v - mu
		partial += e[t]
		numerator += partial * partial
		s2 += e[t] * e[t]
	}
	nf := float64(n)
	numerator /= nf * nf
	s2 /= nf
	lags := int(3 * math.Sqrt(nf) / 13)
	longRun := 0.0
	for l := 1; l <= lags; l++ {
		cov := 0.0
		for t := l; t < n; t++ {
			cov += e[t] * e[t-l]
		}
		longRun += (1 - float64(l)/float64(lags+1)) * cov
	}
	return numerator / (s2 + 2/nf*longRun)
}

// nsdiffs returns the number of seasonal differences (0 or 1) by R's
// forecast::nsdiffs(x, test = "seas"): 1 when the seasonal strength
// exceeds 0.64 (see StrongSeason).
func nsdiffs(x []float64, m int) int {
	if StrongSeason(x, m) {
		return 1
	}
	return 0
}

// StrongSeason reports whether the season of m steps is strong in x, as
// R's forecast::nsdiffs(x, test = "seas") decides to difference it: a
// seasonal strength above 0.64 (see seasonalStrength). It is false for a
// constant x, m < 2 or fewer than 2m values.
func StrongSeason(x []float64, m int) bool {
	return m >= 2 && len(x) >= 2*m && !isConstant(x) && seasonalStrength(x, m) > seasonalStrengthThreshold
}

// seasonalStrength returns max(0, 1 − var(R)/var(S + R)) for the seasonal
// part S and the remainder R of a classical additive decomposition (R's
// decompose; R's seas.heuristic uses STL), over the values where the
// centred moving average is defined. It needs len(x) ≥ 2m.
func seasonalStrength(x []float64, m int) float64 {
	season := decomposeSeasonal(x, m, false)
	weights := trendWeights(m)
	half := len(weights) / 2
	var remainder, detrended []float64
	for t := half; t < len(x)-half; t++ {
		trend := 0.0
		for j, w := range weights {
			trend += w * x[t-half+j]
		}
		detrended = append(detrended, x[t]-trend)
		remainder = append(remainder, x[t]-trend-season[t%m])
	}
	return max(0, 1-variance(remainder)/variance(detrended))
}

// variance returns the sample variance of x (denominator n−1).
func variance(x []float64) float64 {
	mu := mean(x)
	sum := 0.0
	for _, v := range x {
		sum += (v - mu) * (v - mu)
	}
	return sum / float64(len(x)-1)
}

// check reports whether a decoded ARIMA model is consistent.
func (a *ARIMA) check() error {
	if a.Period < 1 {
		return fmt.Errorf("period %d", a.Period)
	}
	if err := a.Order.validate(a.Period); err != nil {
		return err
	}
	if len(a.AR) != a.Order.P || len(a.SeasonalAR) != a.Order.SeasonalP {
		return fmt.Errorf("%v has %d AR and %d seasonal AR coefficients", a.Order, len(a.AR), len(a.SeasonalAR))
	}
	if k := a.Order.history(a.Period); len(a.History) != k || a.N < k {
		return fmt.Errorf("%v with period %d keeps %d past values of %d, want %d", a.Order, a.Period, len(a.History), a.N, k)
	}
	if !allFinite(a.AR) || !allFinite(a.SeasonalAR) || !allFinite(a.History) || !allFinite([]float64{a.Constant}) {
		return errors.New("a coefficient or past value is not finite")
	}
	return nil
}
