package forecast

import "math"

// ZScore is a standard scaler: Scale(v) = (v − Mean) / Std.
type ZScore struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
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

// Scale returns (v − Mean) / Std.
func (z ZScore) Scale(v float64) float64 { return (v - z.Mean) / z.Std }

// Unscale returns v·Std + Mean.
func (z ZScore) Unscale(v float64) float64 { return v*z.Std + z.Mean }
