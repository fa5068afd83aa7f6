package forecast

import (
	"math"
	"testing"
)

// TestNonNegative checks which series are floored at zero: counts with
// the odd return, often zero or never, are; whole-degree temperatures of a
// mild winter, at most one day in a hundred below zero, are not.
func TestNonNegative(t *testing.T) {
	sales := make([]float64, 210) // a shop selling 0 to 2 a day, one return
	for i := range sales {
		sales[i] = float64(i * 7 % 3)
	}
	sales[100] = -1
	// Daily minima in whole degrees over two years: a winter around 1 °C,
	// a few days below zero.
	temps := make([]float64, 730)
	negative := 0
	for i := range temps {
		temps[i] = math.Round(12 + 11.3*math.Cos(2*math.Pi*float64(i)/365) + 1.6*math.Sin(float64(i*i)))
		if temps[i] < 0 {
			negative++
		}
	}
	if negative == 0 || 100*negative > len(temps) {
		t.Fatalf("the temperatures have %d of %d days below zero; want 1 to 1 %%, or they prove nothing", negative, len(temps))
	}
	tests := []struct {
		name string
		y    []float64
		want bool
	}{
		{"Counts", []float64{0, 3, 1, 0, 2}, true},
		{"CountsWithReturn", sales, true},
		{"NeverZeroWithReturn", []float64{1, 1, 5, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1}, true},
		{"WholeDegrees", temps, false},
		{"Decimals", []float64{0.5, 3, 1, -0.1, 2}, false},
		{"Missing", []float64{0, 3, math.NaN(), 0, 2}, false},
		{"Empty", nil, false},
	}
	for _, tt := range tests {
		if got := nonNegative(tt.y); got != tt.want {
			t.Errorf("%s: nonNegative = %v, want %v", tt.name, got, tt.want)
		}
	}
}
