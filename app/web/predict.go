package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

// predictBody is the JSON body of POST /v1/predict: the values of a series,
// oldest first, with their times (RFC 3339 or dates) or without. A null
// value is a missing one, as an empty CSV cell is.
type predictBody struct {
	Model  string     `json:"model"`
	Series string     `json:"series"`
	Times  []string   `json:"times"`
	Values []*float64 `json:"values"`
}

// predictionJSON is the answer of POST /v1/predict. Stored is always
// false: the server never writes the database.
type predictionJSON struct {
	Model   string      `json:"model"`
	Version int         `json:"version"`
	Series  string      `json:"series"`
	Origin  *string     `json:"origin"`
	Method  string      `json:"method"`
	Stored  bool        `json:"stored"`
	Note    string      `json:"note,omitempty"` // what of the model the values left out or replaced
	Points  []pointJSON `json:"points"`
}

// predict answers POST /v1/predict?model=REF: the forecast of a stored
// model version on the posted series (CSV, or JSON as predictBody). Nothing
// is stored.
func (s *Server) predict(w http.ResponseWriter, r *http.Request) {
	if s.Predict == nil {
		writeError(w, apiErrorf(http.StatusForbidden, "predict_disabled", "predictions are off: start forecast serve with --allow-predict"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, err)
		return
	}
	maxRows := s.MaxRows
	if maxRows == 0 {
		maxRows = DefaultMaxRows
	}
	q := r.URL.Query()
	modelText, target, seriesName := q.Get("model"), q.Get("target"), q.Get("series")
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var csvOf func(target string) []byte
	inBodyTerms := func(err error) error { return err }
	switch mediaType {
	case "application/json":
		var pb predictBody
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&pb); err != nil {
			writeError(w, apiErrorf(http.StatusBadRequest, "bad_json", "the body is not a predict document: %v", err))
			return
		}
		if _, err := dec.Token(); err != io.EOF {
			writeError(w, apiErrorf(http.StatusBadRequest, "bad_json", "the body holds more than one JSON document"))
			return
		}
		switch {
		case len(pb.Values) > maxRows:
			writeError(w, apiErrorf(http.StatusRequestEntityTooLarge, "too_many_rows", "the body holds %d values, over the limit of %d", len(pb.Values), maxRows))
			return
		case len(pb.Values) == 0:
			writeError(w, apiErrorf(http.StatusBadRequest, "bad_json", `the body holds no values: want {"values": [...]}, with "times" or without`))
			return
		case pb.Times != nil && len(pb.Times) != len(pb.Values):
			writeError(w, apiErrorf(http.StatusBadRequest, "bad_json", "the body holds %d times but %d values", len(pb.Times), len(pb.Values)))
			return
		}
		if pb.Model != "" {
			modelText = pb.Model
		}
		if pb.Series != "" {
			seriesName = pb.Series
		}
		csvOf = func(target string) []byte { return predictCSV(target, pb.Times, pb.Values) }
		inBodyTerms = inJSONTerms
	case "", "text/csv", "text/plain", "application/csv":
		// Lines end in LF, CRLF or (read so too) CR alone.
		if rows := max(bytes.Count(body, []byte("\n")), bytes.Count(body, []byte("\r"))); rows > maxRows+1 {
			writeError(w, apiErrorf(http.StatusRequestEntityTooLarge, "too_many_rows", "the body holds %d lines, over the limit of %d rows", rows, maxRows))
			return
		}
		csvOf = func(string) []byte { return body }
	default:
		writeError(w, apiErrorf(http.StatusUnsupportedMediaType, "unsupported_media_type", "post text/csv or application/json, not %s", mediaType))
		return
	}
	if modelText == "" {
		writeError(w, badParam("model", "required"))
		return
	}
	ref, err := store.ParseModelRef(modelText)
	if err != nil {
		writeError(w, badParam("model", "%v", err))
		return
	}
	mv, err := s.DB.FindModelVersion(r.Context(), ref)
	if err != nil {
		writeError(w, err)
		return
	}
	load := func(feature string, covariates []string) (*ingest.Series, error) {
		if target == "" {
			target = feature
		}
		series, err := ingest.Load(bytes.NewReader(csvOf(target)), ingest.Options{Name: "request body", Target: target, Covariates: covariates})
		if err != nil {
			return nil, BadInput{inBodyTerms(err)}
		}
		if seriesName != "" {
			series.ID = seriesName // a global model forecasts a series it knows by its own method
		}
		return series, nil
	}
	pred, err := s.Predict(mv, load)
	if err != nil {
		writeError(w, err)
		return
	}
	if seriesName == "" {
		seriesName = pred.Series
	}
	out := predictionJSON{Model: mv.Name, Version: mv.Version, Series: seriesName, Origin: timeJSON(pred.Origin),
		Method: pred.Method, Note: pred.Note, Points: make([]pointJSON, len(pred.Points))}
	for i, p := range pred.Points {
		ivs := []intervalJSON{}
		for _, iv := range p.Intervals {
			if !math.IsInf(iv.Lower, 0) && !math.IsInf(iv.Upper, 0) {
				ivs = append(ivs, intervalJSON{Level: iv.Level, Lower: iv.Lower, Upper: iv.Upper})
			}
		}
		out.Points[i] = pointJSON{Step: p.Step, Time: timeJSON(p.Time), Value: p.Value, Intervals: ivs}
	}
	writeJSON(w, out)
}

// jsonBodyError is an error of a JSON predict body, restated in its terms.
type jsonBodyError struct {
	msg string
	err error
}

func (e jsonBodyError) Error() string { return e.msg }
func (e jsonBodyError) Unwrap() error { return e.err }

// csvLine finds the lines an error of the CSV a JSON body became names
// ("as on line 2", "first on line 3").
var csvLine = regexp.MustCompile(`\b(on )?line (\d+)\b`)

// inJSONTerms restates err, of reading the CSV that predictCSV made of a
// JSON body, in the body's terms: a line of the CSV is an index into
// times and values (line 2 is index 0), and a cell of its time column an
// element of times, of its value column one of values.
func inJSONTerms(err error) error {
	var pe *ingest.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	at := "request body"
	switch {
	case pe.Line >= 2 && pe.ColumnName == "time":
		at = fmt.Sprintf("request body: times[%d]", pe.Line-2)
	case pe.Line >= 2 && pe.ColumnName != "":
		at = fmt.Sprintf("request body: values[%d]", pe.Line-2)
	case pe.Line >= 2:
		at = fmt.Sprintf("request body: index %d", pe.Line-2)
	}
	cause := csvLine.ReplaceAllStringFunc(pe.Err.Error(), func(m string) string {
		sub := csvLine.FindStringSubmatch(m)
		n, _ := strconv.Atoi(sub[2])
		if sub[1] != "" {
			return fmt.Sprintf("at index %d", n-2)
		}
		return fmt.Sprintf("index %d", n-2)
	})
	return jsonBodyError{msg: at + ": " + cause, err: err}
}

// predictCSV writes values, with their times if any, as a CSV whose value
// column is target; a nil value is an empty cell.
func predictCSV(target string, times []string, values []*float64) []byte {
	var b bytes.Buffer
	if times != nil {
		b.WriteString("time,")
	}
	b.WriteString(csvField(target) + "\n")
	for i, v := range values {
		if times != nil {
			b.WriteString(csvField(times[i]) + ",")
		}
		if v == nil {
			b.WriteString(`""` + "\n") // quoted: a blank line would be skipped
			continue
		}
		b.WriteString(strconv.FormatFloat(*v, 'g', -1, 64) + "\n")
	}
	return b.Bytes()
}

// csvField quotes s for a CSV field if it needs it.
func csvField(s string) string {
	if !strings.ContainsAny(s, "\",\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
