package forecast

import (
	"fmt"
	"math"
)

// Metrics scores forecasts against actual values, pooled over every window
// and step. MAE, RMSE, SMAPE and MASE are on the original scale; MSEScaled and
// MAEScaled on the z-scored values.
type Metrics struct {
	MAE       float64 `json:"mae"`
	RMSE      float64 `json:"rmse"`
	SMAPE     float64 `json:"smape"`
	MASE      float64 `json:"mase"`
	MSEScaled float64 `json:"mse_scaled"`
	MAEScaled float64 `json:"mae_scaled"`
}

// Score computes Metrics of the forecasts pred against actual (same length,
// original scale). masScale is the MASE denominator (see MASEScale) and z the
// scaler whose Std converts errors to the scaled values.
func Score(actual, pred []float64, maseScale float64, z ZScore) Metrics {
	if len(actual) != len(pred) {
		panic(fmt.Sprintf("forecast: Score of %d actual values against %d forecasts", len(actual), len(pred)))
	}
	var abs, smape, largest float64
	for i, a := range actual {
		e := pred[i] - a
		abs += math.Abs(e)
		largest = math.Max(largest, math.Abs(e))
		if den := math.Abs(a) + math.Abs(pred[i]); den > 0 {
			smape += 2 * math.Abs(e) / den
		}
	}
	// The squares are taken of the errors over the largest one (for RMSE)
	// and over Std (for the scaled MSE), so that errors of 1e154 and more
	// do not overflow and errors near 1e-300 do not underflow.
	if largest == 0 || math.IsInf(largest, 0) {
		largest = 1
	}
	var sq, sqScaled float64
	for i, a := range actual {
		e := pred[i] - a
		sq += (e / largest) * (e / largest)
		sqScaled += (e / z.Std) * (e / z.Std)
	}
	n := float64(len(actual))
	m := Metrics{
		MAE:   abs / n,
		RMSE:  largest * math.Sqrt(sq/n),
		SMAPE: 100 * smape / n,
	}
	m.MASE = m.MAE / maseScale
	m.MSEScaled = sqScaled / n
	m.MAEScaled = m.MAE / z.Std
	return m
}

// MASEScale is the in-sample mean absolute error of the seasonal naive
// forecast with season m over train: mean |y_t − y_{t−m}| for t in [m, len).
func MASEScale(train []float64, m int) (float64, error) {
	if len(train) <= m {
		return 0, fmt.Errorf("%w: the train part (%d values) is too short for season %d", ErrInvalid, len(train), m)
	}
	var s float64
	for t := m; t < len(train); t++ {
		s += math.Abs(train[t] - train[t-m])
	}
	s /= float64(len(train) - m)
	switch {
	case s == 0 && m == 1:
		return 0, fmt.Errorf("%w: the train part is constant (every value %g): MASE, which scales errors by its changes, is undefined there", ErrInvalid, train[0])
	case s == 0:
		return 0, fmt.Errorf("%w: the train part repeats itself exactly every %d steps (its season): MASE, which scales errors by its changes, is undefined there", ErrInvalid, m)
	}
	return s, nil
}

// seriesMASEScale is the MASE scale of the values y of a series (see
// MASEScale) over its in-sample part y[:end]. Where that part repeats
// itself exactly (a new product's zeros before its first sale) and so
// leaves MASE undefined, though the series changes after it, the scale
// is taken over the values up to valEnd, else over all of them, the first
// that change. It returns MASEScale's error for y[:end] if none does: the
// series is constant or repeats every season, which seasonal naive
// forecasts exactly.
func seriesMASEScale(y []float64, end, valEnd, m int) (float64, error) {
	scale, err := MASEScale(y[:end], m)
	if err == nil || len(y[:end]) <= m {
		return scale, err
	}
	for _, e := range []int{valEnd, len(y)} {
		if e > end {
			if s, serr := MASEScale(y[:e], m); serr == nil {
				return s, nil
			}
		}
	}
	return 0, err
}

// The M4 competition's Naive2 scores on its hourly series, the reference
// of OWA (see the package's Evaluation protocols).
const (
	M4HourlyNaive2SMAPE = 18.383
	M4HourlyNaive2MASE  = 2.395
)

// OWA is the M4 competition's overall weighted average of m, scores over
// the M4 Hourly series: the mean of its sMAPE and MASE, each relative to
// Naive2's. Naive2 scores 1; lower is better.
func OWA(m Metrics) float64 {
	return OWAAgainst(m, Metrics{SMAPE: M4HourlyNaive2SMAPE, MASE: M4HourlyNaive2MASE})
}

// OWAAgainst is the M4 competition's overall weighted average of m
// relative to naive2, Naive2's scores on the same forecasts: the mean of
// the ratios of their sMAPE and of their MASE.
func OWAAgainst(m, naive2 Metrics) float64 {
	return (m.SMAPE/naive2.SMAPE + m.MASE/naive2.MASE) / 2
}
