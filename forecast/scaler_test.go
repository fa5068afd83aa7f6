package forecast

import (
	"errors"
	"math"
	"testing"
)

// FitZScore of two values a and b is mean (a+b)/2 and population standard
// deviation |b−a|/2 (by hand), at any magnitude a float64 can hold.
func TestFitZScore_Extremes(t *testing.T) {
	tiny := math.SmallestNonzeroFloat64
	for _, tt := range []struct {
		name            string
		values          []float64
		wantMean, wantS float64
	}{
		{"ordinary", []float64{1, 3}, 2, 1},
		{"squares overflow", []float64{1e200, 3e200}, 2e200, 1e200},
		{"squares underflow", []float64{1e-300, 3e-300}, 2e-300, 1e-300},
		{"subnormal", []float64{tiny, 3 * tiny}, 2 * tiny, tiny},
		{"differences overflow", []float64{-math.MaxFloat64, math.MaxFloat64}, 0, math.MaxFloat64},
		{"constant", []float64{7e300, 7e300, 7e300}, 7e300, 1},
		{"zeros and -0", []float64{0, math.Copysign(0, -1)}, 0, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			z := FitZScore(tt.values)
			if !closeTo(z.Mean, tt.wantMean) || !closeTo(z.Std, tt.wantS) {
				t.Fatalf("FitZScore(%g) = mean %g, std %g; want %g, %g", tt.values, z.Mean, z.Std, tt.wantMean, tt.wantS)
			}
			for _, v := range tt.values {
				s := z.Scale(v)
				if math.IsNaN(s) || math.Abs(s) > 1+1e-12 {
					t.Fatalf("Scale(%g) = %g, want within [-1, 1]", v, s)
				}
				if back := z.Unscale(s); !closeTo(back, v) {
					t.Fatalf("Unscale(Scale(%g)) = %g", v, back)
				}
			}
		})
	}
}

// close reports whether got is want to 1e-14 relative, or both are 0.
func closeTo(got, want float64) bool {
	return got == want || math.Abs(got-want) <= 1e-14*math.Abs(want)
}

func TestCheckFinite(t *testing.T) {
	ok := []Point{{Step: 1, Value: math.MaxFloat64, Intervals: []Interval{{Level: 0.9, Lower: math.Inf(-1), Upper: math.Inf(1)}}}}
	if err := CheckFinite("s", ok); err != nil {
		t.Fatal(err)
	}
	for _, pts := range [][]Point{
		{{Step: 1, Value: 1}, {Step: 2, Value: math.Inf(1)}},
		{{Step: 1, Value: math.NaN()}},
		{{Step: 1, Value: 1, Intervals: []Interval{{Level: 0.9, Lower: math.NaN(), Upper: 2}}}},
	} {
		if err := CheckFinite("s", pts); !errors.Is(err, ErrInvalid) {
			t.Fatalf("CheckFinite(%v) = %v, want ErrInvalid", pts, err)
		}
	}
}

// Errors of 1e200 and of 1e-300 score at their own magnitude: RMSE of the
// errors {a, a} is a, and their scaled MSE (a/Std)² (by hand).
func TestScore_Extremes(t *testing.T) {
	for _, a := range []float64{1e200, 1e-300} {
		z := ZScore{Mean: 0, Std: a}
		m := Score([]float64{0, 0}, []float64{a, -a}, a, z)
		if !closeTo(m.RMSE, a) || !closeTo(m.MAE, a) || !closeTo(m.MSEScaled, 1) || !closeTo(m.MASE, 1) {
			t.Fatalf("Score of errors ±%g: %+v, want RMSE and MAE %g, scaled MSE and MASE 1", a, m, a)
		}
	}
}
