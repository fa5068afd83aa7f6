package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// ErrNoModelName is the error of ImportVersion for a document without a
// name, when none is given.
var ErrNoModelName = errors.New(`the document has no "name"`)

// versionFields are what a model document adds to the forecast-gru-json/1
// export of a version, before its fields, so that the file alone names,
// dates and reproduces the version's forecasts, and ImportVersion can store
// it again.
type versionFields struct {
	Name            string          `json:"name"`
	Version         int             `json:"version"`
	CreatedAt       string          `json:"created_at"`
	Series          string          `json:"series"`     // the training series' id, or "N series"
	SeriesIDs       []string        `json:"series_ids"` // the ids of the series its fit forecast
	DataFreq        string          `json:"data_freq"`
	DataStart       string          `json:"data_start"`
	DataEnd         string          `json:"data_end"`
	DataRows        int             `json:"data_rows"`
	DataFingerprint string          `json:"data_fingerprint"`
	DataSource      string          `json:"data_source,omitempty"`     // the data it was trained on, as its fit named it
	ProgramVersion  string          `json:"program_version,omitempty"` // of the forecast that trained it
	Seed            uint64          `json:"seed"`
	MASEScale       float64         `json:"mase_scale"`
	DurationSeconds float64         `json:"duration_seconds,omitempty"` // the training's wall time
	Params          json.RawMessage `json:"params"`
	Metrics         json.RawMessage `json:"metrics"`
}

// versionFieldKeys are the JSON keys of versionFields, which ImportVersion
// takes out of the document again to store the export as it was.
var versionFieldKeys = []string{"name", "version", "created_at", "series", "series_ids", "data_freq", "data_start",
	"data_end", "data_rows", "data_fingerprint", "data_source", "program_version", "seed", "mase_scale", "duration_seconds",
	"params", "metrics"}

// ExportVersion is the model document of the stored version mv (see
// ExportDocument), with the series its fit forecast.
func ExportVersion(ctx context.Context, db *store.DB, mv *store.ModelVersion) ([]byte, error) {
	fcs, err := db.FindForecasts(ctx, store.ForecastFilter{Model: &store.ModelRef{Name: mv.Name, Version: mv.Version}, RunID: mv.RunID})
	if err != nil {
		return nil, storageError{err}
	}
	var ids []string
	for _, f := range fcs {
		if !slices.Contains(ids, f.Series) {
			ids = append(ids, f.Series)
		}
	}
	return ExportDocument(mv, ids)
}

// ExportDocument is the model document of mv, as models export writes it:
// its forecast-gru-json/1 export with the versionFields first. ids are the
// series its fit forecast.
func ExportDocument(mv *store.ModelVersion, ids []string) ([]byte, error) {
	mf := versionFields{Name: mv.Name, Version: mv.Version, CreatedAt: documentTime(mv.CreatedAt), Series: mv.DataSeries, SeriesIDs: ids,
		DataFreq: mv.DataFreq, DataStart: documentTime(mv.DataStart), DataEnd: documentTime(mv.DataEnd), DataRows: mv.DataRows,
		DataFingerprint: mv.DataFingerprint, DataSource: mv.DataSource, ProgramVersion: mv.ProgramVersion, Seed: mv.Seed, MASEScale: mv.MASEScale,
		DurationSeconds: mv.Duration.Seconds(), Params: rawOrNull(mv.Params), Metrics: rawOrNull(mv.Metrics)}
	if mf.SeriesIDs == nil {
		mf.SeriesIDs = []string{}
	}
	head, err := json.Marshal(mf)
	if err != nil {
		return nil, err
	}
	export := bytes.TrimSpace([]byte(mv.Export))
	if len(export) < 2 || export[0] != '{' {
		return nil, fmt.Errorf("model %s: the stored export is not a JSON object", mv.Ref())
	}
	if bytes.Equal(export, []byte("{}")) {
		return head, nil
	}
	return slices.Concat(head[:len(head)-1], []byte(","), export[1:]), nil
}

// rawOrNull is the JSON text s, or null for "".
func rawOrNull(s string) json.RawMessage {
	if s == "" || !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

// numberFieldKeys are the fields of an export whose values are numbers
// all through: the weights and the scaler. JSON decoding would read a null
// among them as 0, a weight the network never had.
var numberFieldKeys = []string{"layers", "W_out", "b_out", "ensemble", "scaler"}

// checkNoNull returns an error naming the first null in the JSON value v,
// found at path.
func checkNoNull(v json.RawMessage, path string) error {
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var walk func(x any, path string) error
	walk = func(x any, path string) error {
		switch x := x.(type) {
		case nil:
			return fmt.Errorf("%s is null, want a number", path)
		case []any:
			for i, e := range x {
				if err := walk(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		case map[string]any:
			keys := slices.Sorted(maps.Keys(x))
			for _, k := range keys {
				if err := walk(x[k], path+"."+k); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(x, path)
}

// ImportVersion reads a document models export wrote (or a bare
// forecast-gru-json/1 export) into a model version to store under name
// ("" for the document's name): its weights encoded from the document's,
// bit for bit, and its export the document without the versionFields.
func ImportVersion(doc []byte, name string) (*store.ModelVersion, error) {
	fields, err := jsonObjectFields(doc)
	if err != nil {
		return nil, err
	}
	var mf versionFields
	if err := json.Unmarshal(doc, &mf); err != nil {
		return nil, err
	}
	if name == "" {
		name = mf.Name
	}
	if name == "" {
		return nil, ErrNoModelName
	}
	if err := store.CheckModelName(name); err != nil {
		return nil, fmt.Errorf("model name %q: %w", name, err)
	}
	var export bytes.Buffer
	export.WriteByte('{')
	for _, f := range fields {
		if slices.Contains(versionFieldKeys, f.key) {
			continue
		}
		if slices.Contains(numberFieldKeys, f.key) {
			if err := checkNoNull(f.value, f.key); err != nil {
				return nil, err
			}
		}
		if export.Len() > 1 {
			export.WriteByte(',')
		}
		key, _ := json.Marshal(f.key)
		export.Write(key)
		export.WriteByte(':')
		export.Write(f.value)
	}
	export.WriteByte('}')

	var e struct {
		forecast.Export
		Ensemble []gru.Weights `json:"ensemble"`
	}
	if err := json.Unmarshal(export.Bytes(), &e); err != nil {
		return nil, err
	}
	if e.Format != forecast.ExportFormat {
		return nil, fmt.Errorf("format %q, want %q", e.Format, forecast.ExportFormat)
	}
	members := e.Ensemble
	if len(members) == 0 && !e.ClassicalOnly {
		members = []gru.Weights{e.Weights}
	}
	// The top-level weights are the first member's (readers of one network
	// take them): an import that let them differ exported them again so.
	if len(members) > 1 && !reflect.DeepEqual(e.Weights, members[0]) {
		return nil, errors.New("weights: the top-level layers, W_out and b_out differ from those of the first ensemble member, which they must equal")
	}
	models := make([]*gru.Model, len(members))
	for i, w := range members {
		if models[i], err = gru.FromWeights(w); err != nil {
			return nil, fmt.Errorf("weights: %w", err)
		}
	}
	weights, err := forecast.EncodeWeights(models)
	if err != nil {
		return nil, err
	}
	if _, err := forecast.NewPredictor(weights, export.Bytes()); err != nil {
		return nil, err
	}
	if mf.MASEScale < 0 || math.IsNaN(mf.MASEScale) {
		return nil, fmt.Errorf("mase_scale %v: want 0 (none) or more", mf.MASEScale)
	}
	if !(mf.DurationSeconds >= 0 && mf.DurationSeconds < float64(math.MaxInt64)/float64(time.Second)) {
		return nil, fmt.Errorf("duration_seconds %v: want 0 or more seconds, less than 292 years", mf.DurationSeconds)
	}
	// The scaler column, as fit stores it: the (first) series' target
	// scaler, which the export holds first; none in a document of the
	// classical methods alone without one (they scale nothing).
	var scaler string
	if len(e.Scaler.Mean) > 0 && len(e.Scaler.Std) > 0 {
		if scaler, err = (forecast.ZScore{Mean: e.Scaler.Mean[0], Std: e.Scaler.Std[0], Log: e.Scaler.Kind == "log-zscore"}).Encode(); err != nil {
			return nil, fmt.Errorf("scaler: %w", err)
		}
	}
	if mf.DataFreq != "" {
		if _, err := ingest.ParseFreq(mf.DataFreq); err != nil {
			return nil, fmt.Errorf("data_freq %q: %w", mf.DataFreq, err)
		}
	}

	mv := &store.ModelVersion{Name: name, Params: nullToEmpty(mf.Params), Metrics: nullToEmpty(mf.Metrics),
		Seed: mf.Seed, MASEScale: mf.MASEScale, DataSeries: mf.Series, DataFreq: mf.DataFreq, DataRows: mf.DataRows,
		DataFingerprint: mf.DataFingerprint, DataSource: mf.DataSource, ProgramVersion: mf.ProgramVersion, Weights: weights, Export: export.String(),
		Scaler: scaler, Duration: time.Duration(math.Round(mf.DurationSeconds * float64(time.Second)))}
	// The documents are stored as they are, and read as every version's are.
	params, err := forecast.ParseParams(mv.Params)
	if err != nil {
		return nil, err
	}
	if err := paramsAgree(params, e.Export, len(members)); err != nil {
		return nil, err
	}
	if mf.DataRows < 0 {
		return nil, fmt.Errorf("data_rows %d: want 0 or more", mf.DataRows)
	}
	if _, err := forecast.ParseReport(mv.Metrics); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		dst  *time.Time
		text string
		key  string
	}{{&mv.DataStart, mf.DataStart, "data_start"}, {&mv.DataEnd, mf.DataEnd, "data_end"}} {
		if t.text == "" {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339Nano, t.text); err != nil {
			return nil, fmt.Errorf("%s %q: want an RFC 3339 time", t.key, t.text)
		}
	}
	if !mv.DataStart.IsZero() && mv.DataEnd.Before(mv.DataStart) {
		return nil, fmt.Errorf("data_end %s is before data_start %s", mf.DataEnd, mf.DataStart)
	}
	return mv, nil
}

// paramsAgree checks the settings p a document records against its
// export e, which forecasts, with members networks: an edited document
// whose window_norm was missing imported as none and forecast otherwise
// than its params (season) said, and one whose params said lookback 5 was
// shown so while it forecast with 28.
func paramsAgree(p forecast.Params, e forecast.Export, members int) error {
	if e.ClassicalOnly {
		return nil
	}
	for _, f := range []struct {
		key          string
		params, used int
	}{{"lookback", p.Lookback, e.Lookback}, {"horizon", p.Horizon, e.Horizon}} {
		if p.Stored(f.key) && f.params != f.used {
			return fmt.Errorf("params %s %d, but the export's %s is %d: edit both or neither", f.key, f.params, f.key, f.used)
		}
	}
	norm := e.WindowNorm
	if norm == "" {
		norm = forecast.NormNone // as a missing window_norm forecasts
	}
	if p.Stored("window_norm") && p.WindowNorm != forecast.NormAuto && p.WindowNorm != norm {
		return fmt.Errorf("params window_norm %q, but the export's window_norm is %q (missing: none)", p.WindowNorm, e.WindowNorm)
	}
	if p.Ensemble > 1 && members != p.Ensemble {
		return fmt.Errorf("params ensemble %d, but the export holds %d network(s)", p.Ensemble, members)
	}
	return nil
}

// nullToEmpty is the text of raw JSON, "" for none or null.
func nullToEmpty(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// jsonField is one member of a JSON object, its value as written.
type jsonField struct {
	key   string
	value json.RawMessage
}

// jsonObjectFields returns the members of the JSON object doc in order.
func jsonObjectFields(doc []byte) ([]jsonField, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var fields []jsonField
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		fields = append(fields, jsonField{key, value})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("text after the JSON object")
	}
	return fields, nil
}

// documentTime is t as a document writes it: RFC 3339 in UTC, "" for the
// zero time.
func documentTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
