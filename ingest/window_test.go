package ingest_test

import (
	"slices"
	"testing"

	"github.com/forecast-dev/forecast/ingest"
)

// windowsRef is Windows by brute force: every start whose windows fit.
func windowsRef(n, lookback, horizon, from, to int) []int {
	var starts []int
	for s := range n {
		end := s + lookback + horizon
		if lookback >= 0 && horizon >= 1 && s+lookback >= from && end <= to && end <= n {
			starts = append(starts, s)
		}
	}
	return starts
}

func TestWindows(t *testing.T) {
	for n := 0; n <= 12; n++ {
		for lookback := -1; lookback <= 5; lookback++ {
			for horizon := -1; horizon <= 4; horizon++ {
				for from := -2; from <= n+1; from++ {
					for to := from - 1; to <= n+2; to++ {
						got := ingest.Windows(n, lookback, horizon, from, to)
						want := windowsRef(n, lookback, horizon, from, to)
						if !slices.Equal(got, want) {
							t.Fatalf("Windows(%d, %d, %d, %d, %d) = %v, want %v", n, lookback, horizon, from, to, got, want)
						}
					}
				}
			}
		}
	}
}

// TestWindowsETT checks the window counts of the standard ETTh1 split
// (train [0, 8640), val [8640, 11520), test [11520, 14400)) with L=96, H=24.
func TestWindowsETT(t *testing.T) {
	const n, L, H = 17420, 96, 24
	tests := []struct {
		from, to, count, first int
	}{
		{0, 8640, 8640 - L - H + 1, 0},
		{8640, 11520, 11520 - 8640 - H + 1, 8640 - L},
		{11520, 14400, 14400 - 11520 - H + 1, 11520 - L},
	}
	for _, tt := range tests {
		w := ingest.Windows(n, L, H, tt.from, tt.to)
		if len(w) != tt.count || w[0] != tt.first {
			t.Errorf("Windows(%d, %d, %d, %d, %d): %d windows from %d, want %d from %d",
				n, L, H, tt.from, tt.to, len(w), w[0], tt.count, tt.first)
		}
	}
}
