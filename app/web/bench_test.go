package web_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/web"
	"github.com/forecast-dev/forecast/store"
)

// BenchmarkServeForecastReads serves a database of 10,000 series with 24
// forecast steps each over loopback HTTP and asks for the newest forecast
// of a series (round robin) at a fixed rate of 1,000 requests a second,
// open loop: each request's latency counts from the time it was due, so a
// slow server is not hidden by requests sent later. It reports the
// latency's median and 99th percentile, and the 99th percentile of the
// handler's own time (without the client and the network); -benchtime
// 10000x is 10 s of load:
//
//	go test -run '^$' -bench '^BenchmarkServeForecastReads$' -benchtime 10000x ./app/web/
func BenchmarkServeForecastReads(b *testing.B) {
	const (
		series = 10_000
		steps  = 24
		rate   = 1000 // requests a second
	)
	path := filepath.Join(b.TempDir(), "bench.db")
	seedSeries(b, path, series, steps)
	db, err := store.OpenReader(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	// The handler's own time, apart from the client and the network.
	handler := (&web.Server{DB: db}).Handler()
	var mu sync.Mutex
	var handled []time.Duration
	timed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		handler.ServeHTTP(w, r)
		mu.Lock()
		handled = append(handled, time.Since(began))
		mu.Unlock()
	})
	go func() { served <- web.Serve(ctx, ln, timed) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			b.Error(err)
		}
	}()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	base := "http://" + ln.Addr().String() + "/v1/forecasts?series="

	latencies := make([]time.Duration, b.N)
	failures := make(chan error, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		due := start.Add(time.Duration(i) * time.Second / rate)
		time.Sleep(time.Until(due))
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := client.Get(base + url.QueryEscape(seriesName(i%series)))
			if err != nil {
				failures <- err
				return
			}
			_, err = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			latencies[i] = time.Since(due)
			if err != nil || res.StatusCode != http.StatusOK {
				failures <- fmt.Errorf("series %d: status %d, %v", i%series, res.StatusCode, err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(failures)
	for err := range failures {
		b.Fatal(err)
	}
	quantile := func(ds []time.Duration, q float64) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(quantile(latencies, 0.5), "p50-ms")
	b.ReportMetric(quantile(latencies, 0.99), "p99-ms")
	mu.Lock()
	b.ReportMetric(quantile(handled, 0.99), "handler-p99-ms")
	mu.Unlock()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

// seriesName is the name of the i-th series of seedSeries.
func seriesName(i int) string { return fmt.Sprintf("s%05d", i) }

// seedSeries writes a database with one model and a forecast of n series
// with the given steps from one origin, each step with an interval.
func seedSeries(b *testing.B, path string, n, steps int) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	mv := &store.ModelVersion{Name: "global", Weights: []byte{1}}
	if err := db.SaveFit(ctx, &store.Run{Command: "fit"}, mv, nil); err != nil {
		b.Fatal(err)
	}
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fcs := make([]store.Forecast, 0, n*steps)
	for i := range n {
		for s := 1; s <= steps; s++ {
			v := float64(i) + float64(s)/10
			fcs = append(fcs, store.Forecast{Series: seriesName(i), Origin: origin, Time: origin.Add(time.Duration(s) * time.Hour),
				Step: s, Value: v, Intervals: []store.Interval{{Lower: v - 1, Upper: v + 1, Level: 0.95}}, Method: "gru"})
		}
	}
	if err := db.SavePredict(ctx, &store.Run{Command: "predict"}, mv.ID, fcs); err != nil {
		b.Fatal(err)
	}
}
