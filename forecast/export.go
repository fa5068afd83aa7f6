package forecast

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"

	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
)

// ExportFormat names the JSON interchange layout of the design notes (§4).
const ExportFormat = "forecast-gru-json/1"

// Export is the JSON interchange document of a trained model: with it alone
// anyone can recompute the model's forecast. Take the last Lookback rows of
// the input features, scale each with its Scaler entry, run the layers and the
// head, and unscale the outputs with the target's (first) entry.
type Export struct {
	Format        string       `json:"format"`
	Lookback      int          `json:"lookback"`
	Horizon       int          `json:"horizon"`
	InputFeatures []string     `json:"input_features"`
	Scaler        ExportScaler `json:"scaler"`
	gru.Weights
}

// ExportScaler is the scaler entry of Export: one mean and std per input
// feature, target first. Kind is "zscore".
type ExportScaler struct {
	Kind string    `json:"kind"`
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// Export returns the interchange document of the fitted model; target names
// the single input feature.
func (r *Result) Export(target string) Export {
	return Export{
		Format:        ExportFormat,
		Lookback:      r.Config.Lookback,
		Horizon:       r.Config.Horizon,
		InputFeatures: []string{target},
		Scaler:        ExportScaler{Kind: "zscore", Mean: []float64{r.Scaler.Mean}, Std: []float64{r.Scaler.Std}},
		Weights:       r.Model.Weights(),
	}
}

// Fingerprint is a SHA-256 over the series' times and values, so that a
// model version records exactly which data it was trained on.
func Fingerprint(s *ingest.Series) string {
	h := sha256.New()
	var buf [8]byte
	for i, v := range s.Values {
		if s.Times != nil {
			binary.LittleEndian.PutUint64(buf[:], uint64(s.Times[i].UnixNano()))
			h.Write(buf[:])
		}
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}
