package main

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestHeldOutSeries has R write the held-out series and the development
// set and wants every series of heldOutSeries and devSeries to load with
// its dates regular and to hold, before its first origin, two seasons and
// what a refit needs (forecast.Backtest: a train part of a horizon and two
// values beside a validation horizon).
func TestHeldOutSeries(t *testing.T) {
	rscript, err := findR()
	if err != nil {
		t.Skipf("the held-out series come from R: %v", err)
	}
	for _, set := range []struct {
		name string
		list []comparison
	}{{heldOutSet, heldOutSeries}, {devSet, devSeries}, {freshSet, freshSeries}} {
		t.Run(set.name, func(t *testing.T) {
			dir := t.TempDir()
			err := writeFromR(context.Background(), rscript, seriesR, set.name, dir)
			if errors.Is(err, errRPackage) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, cs := range set.list {
				s, err := loadSeries(filepath.Join(dir, cs.file), cs.time, cs.target)
				if err != nil {
					t.Errorf("%s: %v", cs.name, err)
					continue
				}
				if s.Quality.GapSteps != 0 || len(s.FilledAt) != 0 {
					t.Errorf("%s: %d absent steps, %d values filled; want regular dates from R", cs.name, s.Quality.GapSteps, len(s.FilledAt))
				}
				first := s.Len() - comparisonFolds*cs.horizon
				if first < max(2*cs.season, 2*cs.horizon+2) {
					t.Errorf("%s: %d values leave %d before the first origin; want two seasons of %d and two horizons of %d and two", cs.name, s.Len(), first, cs.season, cs.horizon)
				}
			}
		})
	}
}

// TestWriteFromRMissingPackage: a script that misses an R package (exit
// status 3, as series.R exits) gives errRPackage, which leaves the set out;
// another failure is an error of its own.
func TestWriteFromRMissingPackage(t *testing.T) {
	rscript, err := findR()
	if err != nil {
		t.Skip(err)
	}
	err = writeFromR(context.Background(), rscript, `cat("R's package AER is not installed\n"); quit(status = 3)`, devSet, t.TempDir())
	if !errors.Is(err, errRPackage) {
		t.Errorf("exit status 3: %v, want errRPackage", err)
	}
	err = writeFromR(context.Background(), rscript, `stop("no data")`, devSet, t.TempDir())
	if err == nil || errors.Is(err, errRPackage) {
		t.Errorf("a failing script: %v, want an error other than errRPackage", err)
	}
}
