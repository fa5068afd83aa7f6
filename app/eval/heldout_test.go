package main

import (
	"context"
	"path/filepath"
	"testing"
)

// TestHeldOutSeries has R write the held-out series and wants every one of
// heldOutSeries to load with its dates regular and to hold, before its
// first origin, two seasons and what a refit needs (forecast.Backtest: a
// train part of a horizon and two values beside a validation horizon).
func TestHeldOutSeries(t *testing.T) {
	rscript, err := findR()
	if err != nil {
		t.Skipf("the held-out series come from R: %v", err)
	}
	dir := t.TempDir()
	if err := writeHeldOut(context.Background(), rscript, dir); err != nil {
		t.Fatal(err)
	}
	for _, cs := range heldOutSeries {
		s, err := loadSeries(filepath.Join(dir, cs.file), cs.time, cs.target)
		if err != nil {
			t.Errorf("%s: %v", cs.name, err)
			continue
		}
		if s.Quality.GapSteps != 0 || len(s.FilledAt) != 0 {
			t.Errorf("%s: %d absent steps, %d values filled; want regular dates from R", cs.name, s.Quality.GapSteps, len(s.FilledAt))
		}
		first := len(s.Values) - comparisonFolds*cs.horizon
		if first < max(2*cs.season, 2*cs.horizon+2) {
			t.Errorf("%s: %d values leave %d before the first origin; want two seasons of %d and two horizons of %d and two", cs.name, len(s.Values), first, cs.season, cs.horizon)
		}
	}
}
