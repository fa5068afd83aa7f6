// Package app is the forecast command line: it reads flags, hands them to
// the use cases of app/pipeline, has app/render print what they return and
// maps errors to exit codes. Each command has a file of its own.
//
// What the commands do lives in package pipeline: the jobs file and the
// typed source and training settings (app's flag readers fill them),
// reading a source, storing a fit, predicting with a stored model, model
// documents, and the whole of a batch run and its dry run. The commands
// keep their flags, hand what pipeline returns to package app/render,
// which writes it as text, CSV or JSON, and map its outcome to the exit
// codes below; plots are drawn by package app/plot.
//
// # Commands
//
//	forecast inspect FILE [source flags]              what the data holds, without training
//	forecast fit FILE --target COL ...                train, score against baselines, forecast, store
//	forecast backtest FILE --target COL ...           rolling-origin evaluation against baselines
//	forecast predict --model REF FILE                 forecast new data with a stored model
//	forecast actuals FILE --target COL                record observed values
//	forecast accuracy [--model REF]                   realised accuracy of stored forecasts
//	forecast models list|show|export|promote|tag|rm   the model registry
//	forecast forecasts [--model REF] ...              the stored forecasts
//	forecast batch JOBS.toml [--shard I/N] ...        run a jobs file: refit as needed, forecast many series, one recorded run
//	forecast schedule JOBS.toml --cron SPEC           run batch on a cron schedule in the foreground
//	forecast merge A.db B.db ... --into ALL.db        combine databases (e.g. of shards) without duplicates
//	forecast serve [--addr HOST:PORT] [--allow-predict]  a read-only JSON API and dashboard over HTTP (see package web)
//	forecast version                                  program version and compute backend
//
// A model is referred to (REF) as NAME (its newest version), NAME@VERSION,
// NAME@ALIAS or NAME@latest. Every command that uses the database takes
// --db (environment FORECAST_DB, default ./forecast.db). Flags may come
// before or after the file.
//
// # Exit codes
//
// The values are fixed; scripts may depend on them.
//
//	0  success
//	1  internal error, or an interrupted command
//	2  usage: an unknown command or flag, a flag value out of range
//	3  bad input data: the message names the file, line and column
//	4  not found: no such model, version or alias
//	5  storage: the database could not be opened, read or written
//	6  conflict: the request contradicts what is stored (e.g. deleting an aliased version)
//	7  a batch ran, but some of its series or jobs failed (batch_series says which and why)
//	8  busy: another batch, schedule or merge holds the database's batch lock
package app
