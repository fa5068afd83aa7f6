package classical

import (
	"errors"
	"fmt"
	"math"
)

// qnorm95 is the 0.95 quantile of the standard normal distribution, R's
// qnorm(0.95).
const qnorm95 = 1.6448536269514722

// Theta is a fitted Theta method (Hyndman & Billah 2003, R's
// forecast::thetaf): simple exponential smoothing of the seasonally adjusted
// series plus half the slope of its linear trend, reseasonalised.
type Theta struct {
	fitStart
	// Period is the season length m the model was fitted with (1 or less:
	// non-seasonal data); Refit tests seasonality again with it.
	Period int `json:"period"`
	// SeasonIndex holds the m multiplicative seasonal indices when the
	// seasonality test passed, nil otherwise. SeasonIndex[i] applies to
	// the values at positions t ≡ i (mod m), position 0 being the first
	// value of the fit data.
	SeasonIndex []float64 `json:"seasonIndex,omitempty"`
	// Alpha is the smoothing parameter of the SES, in [1e-4, 0.9999].
	Alpha float64 `json:"alpha"`
	// InitialLevel is the SES level before the first value.
	InitialLevel float64 `json:"initialLevel"`
	// Slope is b, the least-squares slope of the seasonally adjusted data
	// against time; the forecasts drift by b/2 per step.
	Slope float64 `json:"slope"`
	// N is the number of values fitted.
	N int `json:"n"`
	// Level is the SES level after the N values.
	Level float64 `json:"level"`
}

// FitTheta fits the Theta method to y with season length m (m ≤ 1: none),
// as R's thetaf(y) does: when m > 1, y is not constant, len(y) > 2m and the
// lag-m autocorrelation passes the 90 % test
// |r_m| > q₀.₉₅·√((1+2·Σ_{k<m} r_k²)/n), y is divided by the seasonal
// indices of a classical multiplicative decomposition (which needs positive
// data: otherwise it is skipped, as it is when an index is below 1e-4).
// SES (ETS(A,N,N) by maximum likelihood) is fitted to the adjusted data.
// It needs at least 3 finite values.
func FitTheta(y []float64, m int) (*Theta, error) {
	if len(y) < 3 {
		return nil, fmt.Errorf("theta: need at least 3 values, got %d", len(y))
	}
	if !allFinite(y) {
		return nil, errors.New("theta: the series has a missing or infinite value")
	}
	t := &Theta{Period: m, N: len(y)}
	adjusted := y
	if thetaSeasonal(y, m) {
		index := decomposeSeasonal(y, m, true)
		usable := true
		for _, v := range index {
			if math.Abs(v) < 1e-4 {
				usable = false
			}
		}
		if usable {
			t.SeasonIndex = index
			adjusted = make([]float64, len(y))
			for i, v := range y {
				adjusted[i] = v / index[i%m]
			}
		}
	}
	ses, err := FitETS(adjusted, 1, ETSSpec{Error: "A", Trend: "N", Season: "N"})
	if err != nil {
		return nil, fmt.Errorf("theta: %w", err)
	}
	t.Alpha = ses.Alpha
	t.InitialLevel = ses.Initial.Level
	_, t.Slope = lineFit(adjusted, 0)
	t.Level = t.run(y, nil, 0, nil)
	return t, nil
}

// thetaSeasonal is thetaf's seasonality test.
func thetaSeasonal(y []float64, m int) bool {
	return m > 1 && len(y) > 2*m && !isConstant(y) && allPositive(y) && acfSeasonal(y, m)
}

// acfSeasonal is the autocorrelation test of thetaf and of the M4
// benchmarks' SeasonalityTest: |r_m| > q₀.₉₅·√((1+2·Σ_{k<m} r_k²)/n).
// It needs m > 1, more than m values and y not constant.
func acfSeasonal(y []float64, m int) bool {
	r := acf(y, m)
	sum := 0.0
	for _, v := range r[:m-1] {
		sum += v * v
	}
	stat := math.Sqrt((1 + 2*sum) / float64(len(y)))
	return math.Abs(r[m-1])/stat > qnorm95
}

// Name returns "Theta".
func (t *Theta) Name() string { return "Theta" }

// Forecast returns the h point forecasts after the fit data:
// (ℓ_n + b/2·(j−1 + (1−(1−α)^n)/α))·s_{n+j} for j = 1…h.
func (t *Theta) Forecast(h int) []float64 {
	dst := make([]float64, h)
	t.forecastFrom(dst, t.Level, t.N)
	return dst
}

// ForecastAt returns, for each origin o (0 ≤ o ≤ len(y)), the h point
// forecasts made after y[:o], with α, the initial level, the slope and the
// seasonal indices of the fit held fixed; the drift's (1−α)^n uses n =
// o − Skip, the values of the fit data before o. y must start with the
// series fitted to (Skip values before the fit data) for the seasonal
// positions to line up, and an origin among those Skip gets NaN
// forecasts. It panics on an origin outside [0, len(y)].
func (t *Theta) ForecastAt(y []float64, origins []int, h int) [][]float64 {
	return t.forecastAt(y, origins, h, func(y []float64, origins []int, h int) [][]float64 {
		out := make([][]float64, len(origins))
		t.run(y, origins, h, out)
		return out
	})
}

// run feeds y through the SES recursion and, at each origin, writes the h
// forecasts into out; it returns the final level.
func (t *Theta) run(y []float64, origins []int, h int, out [][]float64) float64 {
	order := sortedOrigins(origins, len(y))
	level := t.InitialLevel
	next := 0
	for i := 0; i <= len(y); i++ {
		for next < len(order) && origins[order[next]] == i {
			out[order[next]] = make([]float64, h)
			t.forecastFrom(out[order[next]], level, i)
			next++
		}
		if i == len(y) {
			break
		}
		x := y[i]
		if t.SeasonIndex != nil {
			x /= t.SeasonIndex[i%len(t.SeasonIndex)]
		}
		level += t.Alpha * (x - level)
	}
	return level
}

// forecastFrom writes the forecasts made after n values with SES level
// level.
func (t *Theta) forecastFrom(dst []float64, level float64, n int) {
	alpha := math.Max(1e-10, t.Alpha)
	drift := t.Slope / 2
	start := (1 - math.Pow(1-alpha, float64(n))) / alpha
	for j := range dst {
		f := level + drift*(float64(j)+start)
		if t.SeasonIndex != nil {
			f *= t.SeasonIndex[(n+j)%len(t.SeasonIndex)]
		}
		dst[j] = f
	}
}
