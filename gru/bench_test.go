package gru_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/forecast-dev/forecast/gru"
)

// result keeps benchmark results alive.
var result float64

// benchShapes are the hidden sizes and lookbacks of make bench: a 2-layer
// GRU on batches of 32 sequences of one input, with 24 outputs.
var (
	benchHidden    = []int{16, 32, 64, 128, 256}
	benchLookbacks = []int{48, 96}
)

const benchBatch, benchHorizon = 32, 24

// BenchmarkTrain times one Trainer.Step (forward, backward, Adam) and
// reports training sequences per second.
func BenchmarkTrain(b *testing.B) {
	for _, steps := range benchLookbacks {
		for _, h := range benchHidden {
			b.Run(fmt.Sprintf("L%d/H%d", steps, h), func(b *testing.B) {
				m := newModel(b, gru.Config{Inputs: 1, Hidden: h, Layers: 2, Outputs: benchHorizon}, 1)
				x, y := sineWindows(rand.New(rand.NewPCG(8, 8)), benchBatch, steps, benchHorizon)
				tr := gru.NewTrainer(m, gru.AdamConfig{ClipNorm: 1})
				tr.Step(x, y, benchBatch, steps) // size the workspace
				b.ReportAllocs()
				for b.Loop() {
					result = tr.Step(x, y, benchBatch, steps)
				}
				b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "seq/s")
			})
		}
	}
}

// BenchmarkPredict times one Predict call on a batch and reports inference
// sequences per second.
func BenchmarkPredict(b *testing.B) {
	for _, steps := range benchLookbacks {
		for _, h := range benchHidden {
			b.Run(fmt.Sprintf("L%d/H%d", steps, h), func(b *testing.B) {
				m := newModel(b, gru.Config{Inputs: 1, Hidden: h, Layers: 2, Outputs: benchHorizon}, 1)
				x, _ := sineWindows(rand.New(rand.NewPCG(8, 8)), benchBatch, steps, benchHorizon)
				dst := make([]float64, benchBatch*benchHorizon)
				b.ReportAllocs()
				for b.Loop() {
					m.Predict(dst, x, benchBatch, steps)
				}
				result = dst[0]
				b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "seq/s")
			})
		}
	}
}
