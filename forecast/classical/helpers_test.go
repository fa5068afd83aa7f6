package classical

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// loadSeries reads a file of testdata/ holding one number per line.
func loadSeries(tb testing.TB, name string) []float64 {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var y []float64
	for i, field := range strings.Fields(string(raw)) {
		v, err := strconv.ParseFloat(field, 64)
		if err != nil {
			tb.Fatalf("%s, value %d: %v", name, i+1, err)
		}
		y = append(y, v)
	}
	return y
}

// relDiff is |got−want|/|want|.
func relDiff(got, want float64) float64 {
	return math.Abs(got-want) / math.Abs(want)
}

// checkClose fails when some got[i] is further than tol (relative) from
// want[i].
func checkClose(t *testing.T, label string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", label, len(got), len(want))
	}
	for i := range want {
		if d := relDiff(got[i], want[i]); !(d <= tol) {
			t.Errorf("%s[%d] = %.10g, want %.10g (relative difference %.2g > %.2g)", label, i, got[i], want[i], d, tol)
		}
	}
}

// checkFinite fails when some value is NaN or infinite.
func checkFinite(t *testing.T, label string, x []float64) {
	t.Helper()
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s[%d] = %v", label, i, v)
		}
	}
}

// sameBits reports whether a and b are identical, bit for bit.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
