package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/gru"
	"github.com/forecast-dev/forecast/store"
	"github.com/urfave/cli/v2"
)

// modelFile is what models export adds to the forecast-gru-json/1 document
// of a version, before its fields, so that the file alone names, dates and
// reproduces the version's forecasts, and models import can store it again.
type modelFile struct {
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
	Seed            uint64          `json:"seed"`
	MASEScale       float64         `json:"mase_scale"`
	Params          json.RawMessage `json:"params"`
	Metrics         json.RawMessage `json:"metrics"`
}

// modelFileKeys are the JSON keys of modelFile, which import takes out of
// the document again to store the export as it was.
var modelFileKeys = []string{"name", "version", "created_at", "series", "series_ids", "data_freq", "data_start",
	"data_end", "data_rows", "data_fingerprint", "seed", "mase_scale", "params", "metrics"}

// exportDocument is the export of mv with its modelFile fields first; ids
// are the series its fit forecast.
func exportDocument(mv *store.ModelVersion, ids []string) ([]byte, error) {
	mf := modelFile{Name: mv.Name, Version: mv.Version, CreatedAt: rfc3339(mv.CreatedAt), Series: mv.DataSeries, SeriesIDs: ids,
		DataFreq: mv.DataFreq, DataStart: rfc3339(mv.DataStart), DataEnd: rfc3339(mv.DataEnd), DataRows: mv.DataRows,
		DataFingerprint: mv.DataFingerprint, Seed: mv.Seed, MASEScale: mv.MASEScale,
		Params: rawOrNull(mv.Params), Metrics: rawOrNull(mv.Metrics)}
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

// importedVersion reads a document models export wrote (or a bare
// forecast-gru-json/1 export) into a model version to store under name
// ("" for the document's name): its weights encoded from the document's,
// bit for bit, and its export the document without the modelFile fields.
func importedVersion(doc []byte, name string) (*store.ModelVersion, error) {
	fields, err := jsonObjectFields(doc)
	if err != nil {
		return nil, err
	}
	var mf modelFile
	if err := json.Unmarshal(doc, &mf); err != nil {
		return nil, err
	}
	if name == "" {
		name = mf.Name
	}
	if name == "" {
		return nil, errors.New(`the document has no "name": give one with --name`)
	}
	if err := checkModelName(name); err != nil {
		return nil, err
	}
	var export bytes.Buffer
	export.WriteByte('{')
	for _, f := range fields {
		if slices.Contains(modelFileKeys, f.key) {
			continue
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
	if len(members) == 0 {
		members = []gru.Weights{e.Weights}
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

	mv := &store.ModelVersion{Name: name, Params: nullToEmpty(mf.Params), Metrics: nullToEmpty(mf.Metrics),
		Seed: mf.Seed, MASEScale: mf.MASEScale, DataSeries: mf.Series, DataFreq: mf.DataFreq, DataRows: mf.DataRows,
		DataFingerprint: mf.DataFingerprint, Weights: weights, Export: export.String()}
	// The documents are stored as they are, and read as every version's are.
	if _, err := forecast.ParseParams(mv.Params); err != nil {
		return nil, err
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
	return mv, nil
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

// checkModelName checks that name is a model name, not a reference to a
// version or alias.
func checkModelName(name string) error {
	ref, err := modelRef(name)
	switch {
	case err != nil:
		return err
	case ref.Version != 0 || ref.Alias != "":
		return fmt.Errorf("name %q: want a model name, without @", name)
	}
	return nil
}

func (a *App) modelsImport(c *cli.Context) (err error) {
	began := time.Now()
	if c.NArg() != 1 {
		return usagef("models import needs one file, as models export writes it")
	}
	path := c.Args().First()
	name := c.String("name")
	if name != "" {
		if err := checkModelName(name); err != nil {
			return usagef("--name: %v", err)
		}
	}
	doc, err := os.ReadFile(path)
	if err != nil {
		return inputError(path, err)
	}
	mv, err := importedVersion(doc, name)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", forecast.ErrInvalid, path, err)
	}
	mv.DataSource = path
	db, err := openDB(c)
	if err != nil {
		return err
	}
	defer db.Close()
	run := newRun(c, "import", a.Version, began)
	defer func() { failRun(c, db, run, err) }()
	if err := db.SaveFit(c.Context, run, mv, nil); err != nil {
		return storageError{fmt.Errorf("store the model: %w", err)}
	}
	fmt.Fprintf(a.Stdout, "imported %s as %s (run %d) in %s\n", path, mv.Ref(), run.ID, c.String("db"))
	return nil
}
