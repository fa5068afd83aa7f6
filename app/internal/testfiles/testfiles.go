package testfiles

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// File writes content to a new file called name and returns its path.
func File(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// SeriesDir writes n hourly series of rows values, s00.csv, s01.csv, ...,
// each of its own level and scale, into a new directory and returns it.
func SeriesDir(t testing.TB, n, rows int) string {
	t.Helper()
	dir := t.TempDir()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := 0; k < n; k++ {
		var b strings.Builder
		b.WriteString("date,load\n")
		for i := 0; i < rows; i++ {
			v := float64(10*k) + float64(k+1)*math.Sin(2*math.Pi*float64(i)/24) + 0.3*math.Sin(float64(i*(k+2)))
			fmt.Fprintf(&b, "%s,%.4f\n", t0.Add(time.Duration(i)*time.Hour).Format("2006-01-02 15:04"), v)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%02d.csv", k)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
