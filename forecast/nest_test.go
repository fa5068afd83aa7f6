package forecast

import (
	"math"
	"reflect"
	"testing"
)

// TestCalibrationNest: the 95 % quantile of a step taken of the train
// errors (the validation windows too few for it) below the 80 % one of
// the validation errors is raised to it, whatever order the levels are
// given in; nested quantiles, and unbounded ones, stay as they are.
func TestCalibrationNest(t *testing.T) {
	inf := math.Inf(1)
	c := Calibration{Levels: []float64{0.95, 0.5, 0.8}, Quantiles: [][]float64{
		{1.5, 2.0, inf},
		{0.5, 0.4, 0.7},
		{1.2, 2.5, 1.0},
	}}
	c.nest()
	want := [][]float64{
		{1.5, 2.5, inf},
		{0.5, 0.4, 0.7},
		{1.2, 2.5, 1.0},
	}
	if !reflect.DeepEqual(c.Quantiles, want) {
		t.Errorf("nested: %v, want %v", c.Quantiles, want)
	}
}
