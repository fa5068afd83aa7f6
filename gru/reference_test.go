package gru_test

import (
	"encoding/json"
	"os"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/forecast-dev/forecast/gru"
)

// TestReferencePyTorch checks Predict and Gradient against values computed
// with PyTorch 1.13.0a0 (torch.nn.GRU and torch.nn.Linear in float64, Python
// 3.11.2) by testdata/gru/make_reference.py. The script maps the GRU of
// this package (see Variant in its documentation) onto torch.nn.GRU by negating the z rows of weight_ih,
// weight_hh and bias_ih and zeroing bias_hh, and maps the gradients back.
func TestReferencePyTorch(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	data, err := os.ReadFile("../testdata/gru/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Batch   int         `json:"batch"`
		Steps   int         `json:"steps"`
		Weights gru.Weights `json:"weights"`
		X       []float64   `json:"x"`
		Y       []float64   `json:"y"`
		Output  []float64   `json:"output"`
		Loss    float64     `json:"loss"`
		Grad    gru.Weights `json:"grad"`
		DX      []float64   `json:"dx"`
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	m, err := gru.FromWeights(ref.Weights)
	if err != nil {
		t.Fatal(err)
	}
	// The gradients share the layout of the weights.
	wantGrad, err := gru.FromWeights(ref.Grad)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Config(), (gru.Config{Inputs: 3, Hidden: 4, Layers: 2, Outputs: 2}); got != want {
		t.Fatalf("config = %+v, want %+v", got, want)
	}

	check := func(name string, got, want []float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
		}
		for i := range got {
			if !scalar.EqualWithinAbsOrRel(got[i], want[i], tol, tol) {
				t.Errorf("%s[%d] = %v, PyTorch gives %v", name, i, got[i], want[i])
			}
		}
	}
	check("output", m.Predict(nil, ref.X, ref.Batch, ref.Steps), ref.Output)
	grad := make([]float64, len(m.Params()))
	dx := make([]float64, len(ref.X))
	loss := m.Gradient(grad, dx, ref.X, ref.Y, ref.Batch, ref.Steps)
	check("loss", []float64{loss}, []float64{ref.Loss})
	check("grad", grad, wantGrad.Params())
	check("dx", dx, ref.DX)
}
