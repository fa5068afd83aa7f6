package app_test

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// edgeSeries is a series of n values of one numeric edge case, at the
// magnitude 10^exp (exp clamped to what a float64 holds):
//
//	0 constant
//	1 alternating extremes: +m, -m, +m, ...
//	2 a wave at magnitude m: m·(2 + sin(i/3))
//	3 zeros and negative zeros, with one m in the middle
//	4 subnormals: multiples of the smallest float64, 0 to 4
//	5 a wave at m with a spike of ±MaxFloat64
func edgeSeries(pattern uint8, exp int16, n int) []float64 {
	m, err := strconv.ParseFloat(fmt.Sprintf("1e%d", max(min(exp, 308), -323)), 64)
	if err != nil || m == 0 {
		m = 1
	}
	vs := make([]float64, n)
	for i := range vs {
		switch pattern % 6 {
		case 0:
			vs[i] = m
		case 1:
			vs[i] = m * float64(1-2*(i%2))
		case 2:
			vs[i] = m * (2 + math.Sin(float64(i)/3))
		case 3:
			vs[i] = math.Copysign(0, float64(1-2*(i%2)))
			if i == n/2 {
				vs[i] = m
			}
		case 4:
			vs[i] = math.SmallestNonzeroFloat64 * float64(i%5)
		case 5:
			vs[i] = m * (2 + math.Sin(float64(i)/3))
			if i == n/3 {
				vs[i] = math.Copysign(math.MaxFloat64, float64(1-2*(i%2)))
			}
		}
	}
	return vs
}

// FuzzFitNumericEdges runs a whole fit on numeric edge cases (constant
// series, values of 1e±300, alternating extremes, -0, subnormals): it either
// stores finite forecasts and exits 0, or refuses the data with a message and
// exit 3 (bad data) having stored nothing; never exit 1 (a bug) or a panic.
// Its seed corpus (the f.Add calls and testdata/fuzz/FuzzFitNumericEdges)
// runs as a normal test; go test -fuzz FuzzFitNumericEdges ./app explores more.
func FuzzFitNumericEdges(f *testing.F) {
	for _, seed := range []struct {
		pattern uint8
		exp     int16
	}{
		{0, 0}, {0, 300}, {1, 307}, {1, -300}, {2, 200}, {2, 154}, {2, -300}, {2, -310}, {3, 300}, {4, 0}, {5, 0},
	} {
		f.Add(seed.pattern, seed.exp, uint8(40))
	}
	f.Fuzz(func(t *testing.T, pattern uint8, exp int16, extra uint8) {
		values := edgeSeries(pattern, exp, 30+int(extra%64))
		var b strings.Builder
		b.WriteString("y\n")
		for _, v := range values {
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + "\n")
		}
		dir := t.TempDir()
		data, db := filepath.Join(dir, "edge.csv"), filepath.Join(dir, "f.db")
		if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := run(t, "fit", data, "--target", "y", "--lookback", "4", "--horizon", "3",
			"--layers", "1", "--hidden", "2", "--epochs", "2", "--batch", "8", "--db", db)
		switch code {
		case 0:
			checkStoredFinite(t, db, 3)
			if pattern%6 == 2 {
				// A wave of m·(2 + sin) scales to O(1) and back: a forecast
				// far from m was scaled wrongly (as when a std of 1e-300
				// squared to 0 and was replaced by 1).
				m := values[0] / 2
				var big float64
				mustQuery(t, db, `SELECT max(abs(value)) FROM forecasts`, &big)
				if big > 100*m {
					t.Fatalf("forecasts of a wave of magnitude %g reach %g", m, big)
				}
			}
		case 3:
			last := errOut[strings.LastIndex(strings.TrimSuffix(errOut, "\n"), "\n")+1:]
			if !strings.HasPrefix(last, "forecast: ") || strings.Contains(errOut, "goroutine") {
				t.Fatalf("exit 3 without a clear message: %q", errOut)
			}
			if _, err := os.Stat(db); err == nil {
				if n := countForecasts(t, db); n != 0 {
					t.Fatalf("exit 3, but %d forecasts were stored", n)
				}
			}
		default:
			t.Fatalf("fit of pattern %d at 1e%d: exit %d, want 0 or 3\nstdout:\n%s\nstderr:\n%s", pattern%6, exp, code, out, errOut)
		}
	})
}

// checkStoredFinite checks that the database at path holds want forecasts
// and that each, with its interval, is a finite number.
func checkStoredFinite(t *testing.T, path string, want int) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT value, coalesce(lower, 0), coalesce(upper, 0) FROM forecasts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var v, lo, hi float64
		if err := rows.Scan(&v, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		for _, x := range []float64{v, lo, hi} {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("stored forecast %v [%v, %v] is not finite", v, lo, hi)
			}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%d forecasts stored, want %d", n, want)
	}
}

// countForecasts returns the number of stored forecasts in the database at path.
func countForecasts(t *testing.T, path string) int {
	t.Helper()
	var n int
	mustQuery(t, path, `SELECT count(*) FROM forecasts`, &n)
	return n
}

// The numeric edge cases of the issue, by name, as the fuzz target reads them.
func TestEdgeSeries(t *testing.T) {
	if got := fmt.Sprint(edgeSeries(1, 307, 3)); got != "[1e+307 -1e+307 1e+307]" {
		t.Fatalf("alternating extremes: %s", got)
	}
	if got := edgeSeries(3, 0, 4); math.Signbit(got[0]) || !math.Signbit(got[1]) {
		t.Fatalf("zeros and -0: %v", got)
	}
	if got := edgeSeries(4, 0, 3); got[1] != math.SmallestNonzeroFloat64 {
		t.Fatalf("subnormals: %v", got)
	}
}
