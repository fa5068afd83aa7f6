package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/forecast-dev/forecast/forecast"
	"github.com/forecast-dev/forecast/ingest"
	"github.com/forecast-dev/forecast/store"
)

//go:embed static
var staticFS embed.FS

// Limits of a request, unless a Server says otherwise.
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB
	DefaultMaxRows      = 100_000
	// DefaultPageLimit and MaxPageLimit bound the lists of models, series,
	// origins and runs; MaxPointLimit the actuals and past forecasts of a
	// series.
	DefaultPageLimit = 50
	MaxPageLimit     = 1000
	DefaultPoints    = 1000
	MaxPointLimit    = 100_000
	// requestTimeout bounds the database work of one request.
	requestTimeout = 30 * time.Second
)

// Server answers the API and serves the dashboard. Set its fields before
// calling Handler.
type Server struct {
	DB      *store.DB
	Version string // forecast's version, shown by /v1/health

	// Predict forecasts with a stored model version on the series that
	// load reads for the model's target and covariate columns. nil disables
	// POST /v1/predict (403 predict_disabled). Errors of the posted data
	// should be BadInput.
	Predict func(mv *store.ModelVersion, load func(target string, covariates []string) (*ingest.Series, error)) (*Prediction, error)

	MaxBodyBytes int64 // 0 means DefaultMaxBodyBytes
	MaxRows      int   // rows of posted data; 0 means DefaultMaxRows
}

// Prediction is what Predict returns: the forecast of a posted series.
type Prediction struct {
	Series string
	Origin time.Time // zero without times
	Method string
	Points []forecast.Point
	// Note says what of the model the series' values left out or
	// replaced; "" where nothing.
	Note string
}

// BadInput marks an error of a request's data (not of the server).
type BadInput struct{ Err error }

func (e BadInput) Error() string { return e.Err.Error() }
func (e BadInput) Unwrap() error { return e.Err }

// Handler returns the HTTP handler of the API and the dashboard.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	routes := []struct {
		method, path string
		handler      http.HandlerFunc
	}{
		{"GET", "/v1/health", s.health},
		{"GET", "/v1/models", s.models},
		{"GET", "/v1/models/{name}", s.model},
		{"GET", "/v1/series", s.series},
		{"GET", "/v1/actuals", s.actuals},
		{"GET", "/v1/forecasts", s.forecasts},
		{"GET", "/v1/origins", s.origins},
		{"GET", "/v1/errors", s.forecastErrors},
		{"GET", "/v1/accuracy", s.accuracy},
		{"GET", "/v1/runs", s.runs},
		{"GET", "/v1/runs/{id}", s.run},
		{"POST", "/v1/predict", s.predict},
	}
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.handler)
	}
	// Any other request of the API: an endpoint asked with a method it
	// does not take (405, with the methods it does), or none (404).
	other := func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, rt := range routes {
			if pathMatches(rt.path, r.URL.Path) {
				allow = append(allow, rt.method)
				if rt.method == "GET" {
					allow = append(allow, "HEAD")
				}
			}
		}
		if len(allow) == 0 {
			writeError(w, apiErrorf(http.StatusNotFound, "not_found", "no endpoint %s %s", r.Method, r.URL.Path))
			return
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, apiErrorf(http.StatusMethodNotAllowed, "method_not_allowed", "%s takes %s, not %s", r.URL.Path, strings.Join(allow, " or "), r.Method))
	}
	methods := []string{"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
	for _, method := range methods {
		mux.HandleFunc(method+" /v1/", other) // "GET /" serves the dashboard
	}
	static, _ := fs.Sub(staticFS, "static") // the embedded folder exists
	mux.Handle("GET /", http.FileServerFS(static))
	// Methods no pattern names (TRACE, PROPFIND) got the mux's own 405,
	// in text, allowing every method of the patterns above.
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v1/") && r.Method != "HEAD" && !slices.Contains(methods, r.Method) {
			other(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	return s.guard(api)
}

// pathMatches says whether path matches the route pattern, whose
// segments in braces match any one segment.
func pathMatches(pattern, path string) bool {
	want, got := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if got[i] != w && !(strings.HasPrefix(w, "{") && got[i] != "") {
			return false
		}
	}
	return true
}

// guard bounds each request's body and time.
func (s *Server) guard(next http.Handler) http.Handler {
	limit := s.MaxBodyBytes
	if limit == 0 {
		limit = DefaultMaxBodyBytes
	}
	opened, _ := os.Stat(s.DB.Path) // nil where it cannot be known
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		// A database file replaced (mv new.db) or removed under the
		// server: its connections open later read the new file, the older
		// ones the old, and answers mixed both (or failed as the file
		// went), while health said ok.
		if opened != nil && strings.HasPrefix(r.URL.Path, "/v1/") { // the dashboard's files need no database
			if now, err := os.Stat(s.DB.Path); err != nil || !os.SameFile(opened, now) {
				how := "replaced"
				if err != nil {
					how = "removed"
				}
				writeError(w, apiErrorf(http.StatusServiceUnavailable, "database_changed", "the database %s was %s after serve opened it: restart serve to read it", s.DB.Path, how))
				return
			}
		}
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// A query string Go cannot read whole (a ";" in it) would lose the
		// parameters it cannot read, and their filters with them.
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil && strings.HasPrefix(r.URL.Path, "/v1/") {
			writeError(w, apiErrorf(http.StatusBadRequest, "bad_parameter", "the query string %q: %v", r.URL.RawQuery, err))
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// apiError is an error answer: an HTTP status and a stable machine code,
// with a message for people.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func apiErrorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// badParam is the error of a query parameter.
func badParam(name, format string, args ...any) *apiError {
	return apiErrorf(http.StatusBadRequest, "bad_parameter", "%s: %s", name, fmt.Sprintf(format, args...))
}

// writeError answers err as JSON: an apiError as it is, the store's and
// Predict's errors by kind, anything else as an internal error.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	var bi BadInput
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &mbe):
		ae = apiErrorf(http.StatusRequestEntityTooLarge, "too_large", "the request body is over %d bytes", mbe.Limit)
	case errors.Is(err, store.ErrNotFound):
		ae = apiErrorf(http.StatusNotFound, "not_found", "%v", err)
	case errors.As(err, &bi):
		ae = apiErrorf(http.StatusUnprocessableEntity, "bad_data", "%v", err)
	case errors.Is(err, context.DeadlineExceeded):
		ae = apiErrorf(http.StatusServiceUnavailable, "timeout", "the request took too long")
	default:
		ae = apiErrorf(http.StatusInternalServerError, "internal", "%v", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(ae.status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": ae.code, "message": ae.message}})
}

// writeJSON answers v as JSON with status 200.
func writeJSON(w http.ResponseWriter, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, fmt.Errorf("encode the answer: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(append(body, '\n'))
}

// intParam reads the integer query parameter name in [lo, hi], def if absent.
func intParam(r *http.Request, name string, def, lo, hi int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "want a whole number from %d to %d, got %q", lo, hi, s)
	}
	return n, nil
}

// pageParams reads limit and offset.
func pageParams(r *http.Request) (store.Page, error) {
	limit, err := intParam(r, "limit", DefaultPageLimit, 1, MaxPageLimit)
	if err != nil {
		return store.Page{}, err
	}
	offset, err := intParam(r, "offset", 0, 0, 1<<31-1)
	return store.Page{Limit: limit, Offset: offset}, err
}

// requiredParam reads the query parameter name, which must be set.
func requiredParam(r *http.Request, name string) (string, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return "", badParam(name, "required")
	}
	return s, nil
}

// modelParam reads the model parameter: NAME, NAME@VERSION or NAME@ALIAS
// (NAME@latest is NAME); "" if absent.
func modelParam(r *http.Request) (store.ModelRef, error) {
	s := r.URL.Query().Get("model")
	if s == "" {
		return store.ModelRef{}, nil
	}
	ref, err := store.ParseModelRef(s)
	if err != nil {
		return ref, badParam("model", "%v", err)
	}
	return ref, nil
}

// modelNameParam reads the model parameter of the endpoints that take a
// model's name, not one of its versions; "" if absent.
func (s *Server) modelNameParam(r *http.Request) (string, error) {
	ref, err := modelParam(r)
	if err == nil && (ref.Version != 0 || ref.Alias != "" || ref.Latest) {
		return "", badParam("model", "want a model name here, without @VERSION, @ALIAS or @latest, got %q", r.URL.Query().Get("model"))
	}
	if err == nil && ref.Name != "" {
		// An unknown model is not found, as /v1/forecasts says, rather
		// than a model without series.
		if _, err := s.DB.FindModelVersion(r.Context(), ref); err != nil {
			return "", err
		}
	}
	return ref.Name, err
}

// timeParam reads the time query parameter name (as ingest.ParseInstant
// reads it: RFC 3339, a date with or without a clock time, a month or a
// year); the zero time if absent.
func timeParam(r *http.Request, name string) (time.Time, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := ingest.ParseInstant(s)
	if err != nil {
		return time.Time{}, badParam(name, "want an RFC 3339 time such as 2024-01-31T12:00:00Z, or a date, got %q", s)
	}
	return t, nil
}
