package pipeline_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/forecast-dev/forecast/app/pipeline"
	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/store"
)

// TestDocumentRoundTrip exports a stored version, imports the document
// and checks that the imported version is the stored one but for what the
// database assigns (id, version, date, run, counts), that it forecasts the
// same values bit for bit, and that it exports as the original did.
func TestDocumentRoundTrip(t *testing.T) {
	db := openStore(t)
	s := hourlyLoad(300)
	mv, _ := fitAndStore(t, db, s, smallConfig(forecast.FallbackNone))
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	var head struct {
		Name      string   `json:"name"`
		Version   int      `json:"version"`
		CreatedAt string   `json:"created_at"`
		SeriesIDs []string `json:"series_ids"`
		Format    string   `json:"format"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		t.Fatal(err)
	}
	if head.Name != "load" || head.Version != 1 || head.CreatedAt != mv.CreatedAt.UTC().Format(time.RFC3339Nano) ||
		len(head.SeriesIDs) != 1 || head.SeriesIDs[0] != "f/load" || head.Format != forecast.ExportFormat {
		t.Fatalf("document head %+v", head)
	}

	for _, name := range []string{"", "copy"} {
		got, err := pipeline.ImportVersion(doc, name)
		if err != nil {
			t.Fatalf("import as %q: %v", name, err)
		}
		// What the database assigns or counts is not the document's.
		want := *mv
		want.ID, want.Version, want.CreatedAt, want.RunID, want.Forecasts = 0, 0, got.CreatedAt, 0, 0
		want.Parent, want.Aliases, want.Tags = "", nil, nil
		if name != "" {
			want.Name = name
		}
		if !bytes.Equal(got.Weights, want.Weights) || got.Export != want.Export {
			t.Fatalf("import as %q: the weights or export differ from the stored ones", name)
		}
		got.Weights, want.Weights = nil, nil
		if !got.DataStart.Equal(want.DataStart) || !got.DataEnd.Equal(want.DataEnd) {
			t.Fatalf("import as %q: data from %v to %v, want %v to %v", name, got.DataStart, got.DataEnd, want.DataStart, want.DataEnd)
		}
		got.DataStart, got.DataEnd = want.DataStart, want.DataEnd // equal, maybe not in location
		if gj, wj := mustJSON(t, got), mustJSON(t, &want); gj != wj {
			t.Fatalf("import as %q:\n%s\nwant\n%s", name, gj, wj)
		}
	}

	imported, err := pipeline.ImportVersion(doc, "copy")
	if err != nil {
		t.Fatal(err)
	}
	original, err := pipeline.NewStoredModel(mv)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := pipeline.NewStoredModel(imported)
	if err != nil {
		t.Fatal(err)
	}
	a, err := original.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := copied.Predict(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a.Points {
		if math.Float64bits(a.Points[i].Value) != math.Float64bits(b.Points[i].Value) {
			t.Fatalf("step %d: the import forecasts %v, the original %v", i+1, b.Points[i].Value, a.Points[i].Value)
		}
	}

	imported.Version, imported.CreatedAt = mv.Version, mv.CreatedAt
	again, err := pipeline.ExportDocument(imported, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(string(doc), `"name":"load"`, `"name":"copy"`, 1); string(again) != want {
		t.Errorf("the import exports as\n%s\nwant\n%s", again, want)
	}
}

func mustJSON(t *testing.T, mv *store.ModelVersion) string {
	t.Helper()
	b, err := json.MarshalIndent(mv, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportRefuses checks the documents ImportVersion refuses and what it
// says of each.
func TestImportRefuses(t *testing.T) {
	const format = `"format": "` + forecast.ExportFormat + `"`
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"NotJSON", "not json", "not a JSON object"},
		{"Array", "[]", "not a JSON object"},
		{"TextAfter", `{"name": "m"} {}`, "text after the JSON object"},
		{"OtherFormat", `{"name": "m", "format": "other/1"}`, `format "other/1", want "` + forecast.ExportFormat + `"`},
		{"NameWithAt", `{"name": "m@2", ` + format + `}`, `model name "m@2": a name must not hold '@'`},
		{"NoName", `{` + format + `}`, `the document has no "name"`},
		{"BadWeights", `{"name": "m", ` + format + `, "layers": [], "W_out": [], "b_out": []}`, "weights"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mv, err := pipeline.ImportVersion([]byte(tt.doc), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ImportVersion = %v, %v; want an error with %q", mv, err, tt.want)
			}
		})
	}
	if _, err := pipeline.ImportVersion([]byte(`{`+format+`}`), ""); !errors.Is(err, pipeline.ErrNoModelName) {
		t.Errorf("no name: %v, want ErrNoModelName", err)
	}
}

func TestExportDocumentRefusesABrokenExport(t *testing.T) {
	for _, export := range []string{"", "[]", "x"} {
		mv := &store.ModelVersion{Name: "m", Version: 1, Export: export}
		if doc, err := pipeline.ExportDocument(mv, nil); err == nil || !strings.Contains(err.Error(), "model m@1: the stored export is not a JSON object") {
			t.Errorf("export %q: %s, %v; want an error", export, doc, err)
		}
	}
	doc, err := pipeline.ExportDocument(&store.ModelVersion{Name: "m", Version: 1, Export: "{}"}, nil)
	if err != nil || !bytes.HasPrefix(doc, []byte(`{"name":"m","version":1,`)) || !bytes.HasSuffix(doc, []byte(`"params":null,"metrics":null}`)) {
		t.Errorf("an empty export: %s, %v; want the version fields alone", doc, err)
	}
}

// TestDocumentRoundTripClassicalOnly exports and imports a version of a
// series too short for the network, which has no weights: the import
// keeps none and the same export, and forecasts as the original.
func TestDocumentRoundTripClassicalOnly(t *testing.T) {
	db := openStore(t)
	s := hourlyLoad(48)
	mv, _ := fitAndStore(t, db, s, forecast.Config{Horizon: 24, Season: 24})
	if len(mv.Weights) != 0 {
		t.Fatalf("%d bytes of weights, want none: 48 values with horizon 24 are too short for the network", len(mv.Weights))
	}
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pipeline.ImportVersion(doc, "copy")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Weights) != 0 || got.Export != mv.Export {
		t.Fatalf("imported %d bytes of weights and another export, want none and the same", len(got.Weights))
	}
	orig, err := pipeline.NewStoredModel(mv)
	if err != nil {
		t.Fatal(err)
	}
	imported, err := pipeline.NewStoredModel(got)
	if err != nil {
		t.Fatal(err)
	}
	a, errA := orig.Predict(s)
	b, errB := imported.Predict(s)
	if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("predictions %+v (%v) and %+v (%v), want equal", a, errA, b, errB)
	}
}

// TestImportRefusesTopLevelUnlikeFirstMember: the top-level weights of an
// ensemble's export are its first member's. An import whose W_out was cut
// to 5 of its 12 rows was stored, forecast from its members, and exported
// the broken W_out again for readers of one network.
func TestImportRefusesTopLevelUnlikeFirstMember(t *testing.T) {
	db := openStore(t)
	s := hourlyLoad(300)
	mv, _ := fitAndStore(t, db, s, forecast.Config{Lookback: 24, Horizon: 12, Season: 24, Layers: 1, Hidden: 4, Epochs: 2,
		Ensemble: 2, WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Fallback: forecast.FallbackNone})
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.ImportVersion(doc, "copy"); err != nil {
		t.Fatalf("the export as it is: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		t.Fatal(err)
	}
	var wOut []json.RawMessage
	if err := json.Unmarshal(m["W_out"], &wOut); err != nil || len(wOut) != 12 {
		t.Fatalf("W_out: %d rows, %v; want 12", len(wOut), err)
	}
	m["W_out"], _ = json.Marshal(wOut[:5])
	cut, _ := json.Marshal(m)
	if _, err := pipeline.ImportVersion(cut, "copy"); err == nil || !strings.Contains(err.Error(), "differ from those of the first ensemble member") {
		t.Errorf("W_out cut to 5 rows: %v, want a refusal", err)
	}
}

// TestImportRefusesNull: JSON reads a null among numbers as 0, so a
// document with a null weight or scaler entry was stored as a network it
// never was; it is refused, naming where the null is.
func TestImportRefusesNull(t *testing.T) {
	db := openStore(t)
	mv, _ := fitAndStore(t, db, hourlyLoad(300), forecast.Config{Lookback: 24, Horizon: 12, Season: 24, Layers: 1, Hidden: 4, Epochs: 2,
		Ensemble: 1, WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Fallback: forecast.FallbackNone})
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ field, want string }{
		{"W_out", "W_out[0][1] is null, want a number"},
		{"layers", "layers[0].W_r[1][0] is null, want a number"},
		{"scaler", "scaler.std[0] is null, want a number"},
	} {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		switch tt.field {
		case "W_out":
			m["W_out"].([]any)[0].([]any)[1] = nil
		case "layers":
			m["layers"].([]any)[0].(map[string]any)["W_r"].([]any)[1].([]any)[0] = nil
		case "scaler":
			m["scaler"].(map[string]any)["std"].([]any)[0] = nil
		}
		broken, _ := json.Marshal(m)
		if _, err := pipeline.ImportVersion(broken, "copy"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("a null in %s: %v, want %q", tt.field, err, tt.want)
		}
	}
}

// TestImportRefusesNonsense: a document edited by hand into values no fit
// gives was stored, to fail or mislead later: an unknown frequency, which
// refused every predict; a negative MASE scale; an interval of 1e300
// standard deviations, which printed +Inf; a name of 100,000 characters.
// (An 80 % interval wider than the 95 % one is taken: versions fitted
// before intervals were nested may hold one, and export it.)
func TestImportRefusesNonsense(t *testing.T) {
	db := openStore(t)
	mv, _ := fitAndStore(t, db, hourlyLoad(300), forecast.Config{Lookback: 24, Horizon: 12, Season: 24, Layers: 1, Hidden: 4, Epochs: 2,
		Ensemble: 1, WindowNorm: forecast.NormNone, Transform: forecast.TransformNone, Fallback: forecast.FallbackNone})
	doc, err := pipeline.ExportDocument(mv, []string{"f/load"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.ImportVersion(doc, "copy"); err != nil {
		t.Fatalf("the export as it is: %v", err)
	}
	for _, tt := range []struct {
		name   string
		change func(m map[string]any)
		want   string
	}{
		{"freq", func(m map[string]any) { m["data_freq"] = "fortnightly" }, `data_freq "fortnightly": unknown frequency`},
		{"mase", func(m map[string]any) { m["mase_scale"] = -1 }, "mase_scale -1: want 0 (none) or more"},
		{"duration", func(m map[string]any) { m["duration_seconds"] = -2 }, "duration_seconds -2: want 0 or more seconds"},
		{"long", func(m map[string]any) { m["duration_seconds"] = 1e300 }, "duration_seconds 1e+300: want 0 or more seconds, less than 292 years"},
		{"huge", func(m map[string]any) {
			q := m["intervals"].(map[string]any)["quantiles"].([]any)
			q[0].([]any)[0], q[1].([]any)[0] = 1e300, 1e300
		}, "has the quantile 1e+300, beyond 1e+100 scaled units"},
		{"name", func(m map[string]any) { m["name"] = strings.Repeat("n", 100_000) }, "a name must not be longer than 1024 bytes"},
	} {
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatal(err)
		}
		tt.change(m)
		broken, _ := json.Marshal(m)
		if _, err := pipeline.ImportVersion(broken, ""); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
