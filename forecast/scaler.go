package forecast

import "math"

// ZScore is a standard scaler: Scale(v) = (v − Mean) / Std, or, with Log,
// of the natural logarithm of v: (ln v − Mean) / Std.
type ZScore struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Log  bool    `json:"log,omitempty"`
}

// FitZScore fits a z-score on values with the population standard
// deviation. A constant series gets Std 1, so scaling only centres it.
func FitZScore(values []float64) ZScore {
	var mean float64
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	var ss float64
	for _, v := range values {
		d := v - mean
		ss += d * d
	}
	std := math.Sqrt(ss / float64(len(values)))
	if std == 0 {
		std = 1
	}
	return ZScore{Mean: mean, Std: std}
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

// Scale returns (v − Mean) / Std, of ln v with Log.
func (z ZScore) Scale(v float64) float64 {
	if z.Log {
		v = math.Log(v)
	}
	return (v - z.Mean) / z.Std
}

// Unscale inverts Scale: v·Std + Mean, exponentiated with Log.
func (z ZScore) Unscale(v float64) float64 {
	v = v*z.Std + z.Mean
	if z.Log {
		v = math.Exp(v)
	}
	return v
}
