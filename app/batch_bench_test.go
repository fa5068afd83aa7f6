package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/forecast-dev/forecast/app"
)

// BenchmarkBatchPredict10k forecasts 10,000 series of 1,000 hourly values
// (one CSV in the rows layout, 60 MB) with a stored GRU (2 x 64, lookback
// 48, horizon 24) and no refit: forecast batch with refit = "never", into a
// fresh copy of the database that holds the model, 240,000 forecasts
// stored. It reports series per second.
func BenchmarkBatchPredict10k(b *testing.B) {
	const series, values = 10000, 1000
	dir := b.TempDir()
	data := filepath.Join(dir, "rows.csv")
	writeRowsFile(b, data, "S", series, values)
	small := filepath.Join(dir, "small.csv")
	writeRowsFile(b, small, "T", 20, values) // other ids: its forecasts do not skip any

	job := func(path, refit string) string {
		p := filepath.Join(dir, refit+".toml")
		body := fmt.Sprintf(`
[[job]]
name = "bench"
refit = %q
train-series = 20

[job.source]
path = %q
layout = "rows"
freq = "hourly"
start = "2020-01-01"

[job.settings]
lookback = 48
horizon = 24
layers = 2
hidden = 64
season = 24
epochs = 1
windows-per-epoch = 512
`, refit, path)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
		return p
	}
	base := filepath.Join(dir, "model.db")
	batch(b, "batch", job(small, "always"), "--db", base)
	model, err := os.ReadFile(base)
	if err != nil {
		b.Fatal(err)
	}
	never := job(data, "never")

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := filepath.Join(dir, fmt.Sprintf("run%d.db", i))
		if err := os.WriteFile(db, model, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		out := batch(b, "batch", never, "--db", db)
		if !strings.Contains(out, fmt.Sprintf("%d series done, 0 failed", series)) {
			b.Fatalf("batch:\n%s", out)
		}
	}
	b.ReportMetric(float64(series*b.N)/b.Elapsed().Seconds(), "series/s")
}

// batch runs forecast in-process and fails unless it exits 0.
func batch(b *testing.B, args ...string) string {
	b.Helper()
	var out, errOut bytes.Buffer
	a := &app.App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Version: "bench"}
	if code := a.Run(context.Background(), args); code != 0 {
		b.Fatalf("forecast %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	return out.String()
}

// writeRowsFile writes n series of m values in the rows layout: an id (prefix
// and a number), then a daily cycle of its own level and amplitude with some
// wiggle.
func writeRowsFile(b *testing.B, path, prefix string, n, m int) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id")
	for i := 1; i <= m; i++ {
		fmt.Fprintf(w, ",V%d", i)
	}
	w.WriteString("\n")
	for k := 0; k < n; k++ {
		fmt.Fprintf(w, "%s%d", prefix, k)
		level, amp := float64(50+k%97), float64(1+k%7)
		for i := 0; i < m; i++ {
			fmt.Fprintf(w, ",%.2f", level+amp*math.Sin(2*math.Pi*float64(i)/24)+0.1*math.Sin(float64(i*(k%13+1))))
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
