package forecast_test

import (
	"math"
	"os"
	"testing"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
)

// loadData reads a series from the public datasets in testdata/data
// (testdata/README.md names their origins).
func loadData(t *testing.T, file string, opt ingest.Options) *ingest.Series {
	t.Helper()
	path := "../testdata/data/" + file
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt.Name = path
	s, err := ingest.Load(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestETTBaselines reproduces the baseline figures of the ETT protocol (see
// the package documentation): repeating the last value scores MSE/MAE 0.0343/0.1393 on
// ETTh1 at H = 24 and MSE 0.0693 at H = 96; on ETTh2 at H = 24 it scores MSE
// 0.2294 (quoted elsewhere rounded to 0.230). The ETTh1 MAE is 0.13941 to
// five places, which earlier notes truncated to 0.1393.
func TestETTBaselines(t *testing.T) {
	for _, tt := range []struct {
		file     string
		horizon  int
		mse, mae float64
		tol      float64
	}{
		{"ETTh1.csv", 24, 0.0343, 0.1394, 5e-5},
		{"ETTh1.csv", 96, 0.0693, math.NaN(), 5e-5},
		{"ETTh2.csv", 24, 0.2294, math.NaN(), 5e-5},
	} {
		s := loadData(t, tt.file, ingest.Options{Target: "OT", Time: "date"})
		sc, err := forecast.Baselines(s, forecast.Config{Lookback: 96, Horizon: tt.horizon, Season: 24, Protocol: forecast.ProtocolETT})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(sc.Naive.MSEScaled-tt.mse) > tt.tol {
			t.Errorf("%s H=%d: naive MSE %.5f, want %.4f", tt.file, tt.horizon, sc.Naive.MSEScaled, tt.mse)
		}
		if !math.IsNaN(tt.mae) && math.Abs(sc.Naive.MAEScaled-tt.mae) > tt.tol {
			t.Errorf("%s H=%d: naive MAE %.5f, want %.4f", tt.file, tt.horizon, sc.Naive.MAEScaled, tt.mae)
		}
	}
}
