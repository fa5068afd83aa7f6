// Package app is the forecast command line: it reads flags, wires package
// ingest, forecast and store together and prints results. One file holds
// each command.
//
// # Commands
//
//	forecast fit FILE.csv --target COL ...   train, score against baselines, forecast, store
//	forecast models list                      the stored model versions
//	forecast models export NAME[@VERSION]     the JSON interchange document of a version
//	forecast forecasts --model NAME[@VERSION] the stored forecasts
//	forecast version                          program version and compute backend
//
// Every command takes --db (environment FORECAST_DB, default ./forecast.db).
//
// # Exit codes
//
// The values are fixed; scripts may depend on them.
//
//	0  success
//	1  internal error (a bug: please report it)
//	2  usage: an unknown command or flag, a flag value out of range
//	3  bad input data: the message names the file, line and column
//	4  not found: no such model or version
//	5  storage: the database could not be opened, read or written
package app
