package forecast

import (
	"fmt"
	"math"
)

// ZScore is a standard scaler: Scale(v) = (v − Mean) / Std, or, with Log,
// of the natural logarithm of v: (ln v − Mean) / Std.
type ZScore struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Log  bool    `json:"log,omitempty"`
}

// FitZScore fits a z-score on values with the population standard
// deviation. A constant series gets Std 1, so scaling only centres it.
//
// The sums are taken of the values divided by their largest magnitude, so
// neither overflows (values of 1e154 and more, whose squares are +Inf) nor
// underflows (values near 1e-300, whose squares are 0): the mean and the
// standard deviation of any finite values are finite, and a series that
// varies has Std > 0.
func FitZScore(values []float64) ZScore {
	var scale float64
	for _, v := range values {
		scale = math.Max(scale, math.Abs(v))
	}
	if scale == 0 || math.IsInf(scale, 0) || math.IsNaN(scale) {
		scale = 1
	}
	var mean float64
	for _, v := range values {
		mean += v / scale
	}
	mean /= float64(len(values))
	var ss float64
	for _, v := range values {
		d := v/scale - mean
		ss += d * d
	}
	std := math.Sqrt(ss/float64(len(values))) * scale
	if std == 0 {
		std = 1
	}
	return ZScore{Mean: mean * scale, Std: std}
}

// FitLogZScore fits a z-score on the natural logarithms of values, which
// must be positive.
func FitLogZScore(values []float64) ZScore {
	logs := make([]float64, len(values))
	for i, v := range values {
		logs[i] = math.Log(v)
	}
	z := FitZScore(logs)
	z.Log = true
	return z
}

// Scale returns (v − Mean) / Std, of ln v with Log. A difference too large
// for a float64 is divided first, so that values up to ±MaxFloat64 scale to
// finite numbers.
func (z ZScore) Scale(v float64) float64 {
	if z.Log {
		v = math.Log(v)
	}
	if d := v - z.Mean; !math.IsInf(d, 0) {
		return d / z.Std
	}
	return v/z.Std - z.Mean/z.Std
}

// Unscale inverts Scale: v·Std + Mean, exponentiated with Log.
func (z ZScore) Unscale(v float64) float64 {
	v = v*z.Std + z.Mean
	if z.Log {
		v = math.Exp(v)
	}
	return v
}

// CheckFinite returns an error wrapping ErrInvalid if a forecast of series
// is NaN or ±Inf, or a bound of its intervals is NaN: the values of the
// series were too extreme for the model (a forecast beyond ±1.8e308, or a
// training that diverged), and no such number may be reported or stored as
// a forecast. An infinite bound is allowed: it marks an unbounded interval.
func CheckFinite(series string, pts []Point) error {
	for _, p := range pts {
		bad := !isFinite(p.Value)
		for _, iv := range p.Intervals {
			bad = bad || math.IsNaN(iv.Lower) || math.IsNaN(iv.Upper)
		}
		if bad {
			return fmt.Errorf("%w: series %q: the forecast of step %d is %v, not a finite number: its values are too extreme to forecast (rescale them, e.g. to other units)",
				ErrInvalid, series, p.Step, p.Value)
		}
	}
	return nil
}

// isFinite reports whether v is neither NaN nor ±Inf.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
