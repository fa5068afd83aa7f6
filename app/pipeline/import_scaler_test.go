package pipeline_test

import (
	"encoding/json"
	"testing"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
)

// TestImportClassicalOnlyWithoutScaler: a document of the classical
// methods alone forecasts without a scaler, so one without it is imported
// (with no scaler stored), as before import stored the scaler column; it
// panicked on the missing entry.
func TestImportClassicalOnlyWithoutScaler(t *testing.T) {
	db := openStore(t)
	mv, _ := fitAndStore(t, db, hourlyLoad(48), forecast.Config{Horizon: 24, Season: 24})
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["classical_only"]) != "true" {
		t.Fatalf("the fixture is not of the classical methods alone: %s", doc)
	}
	delete(m, "scaler")
	edited, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pipeline.ImportVersion(edited, "copy")
	if err != nil {
		t.Fatalf("import of a classical-only document without a scaler: %v", err)
	}
	if got.Scaler != "" {
		t.Errorf("import of a classical-only document without a scaler stored the scaler %q", got.Scaler)
	}
}
