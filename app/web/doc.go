// Package web serves a forecast database over HTTP: a JSON API under /v1/
// and a dashboard (HTML, JavaScript and CSS embedded in the binary) at /.
//
// Every read goes through the parameterised queries of package store; no
// SQL is built from request text. Errors are JSON objects with a stable
// code:
//
//	{"error": {"code": "not_found", "message": "model \"air\" not found"}}
//
// The endpoints and their shapes are documented in the README, section
// "Dashboard and HTTP API".
package web
