// Package store keeps forecast's model versions, forecasts and runs in one
// SQLite file that people can query with the sqlite3 shell.
//
// # Schema
//
// The schema is documented in migrations/0001_init.sql and the files after
// it:
//
//   - runs: one row per command that wrote (fit, predict, actuals, batch),
//     with its start and end, status, error text, program version, command
//     line and what it wrote (JSON).
//   - model_versions: the model registry. A name gets versions 1, 2, 3, ...,
//     never reused; each row keeps the hyper-parameters, scaler and metrics
//     (with the training curves) as JSON, the seed, the lineage of the
//     training data (source, series, time span, frequency, rows, SHA-256),
//     the MASE scale, the program version, the training time, the parent
//     version of a refit, the weights as an opaque BLOB and the JSON export.
//   - model_aliases and model_tags: movable names (air@champion) and
//     key = value labels of versions.
//   - forecasts: one value per run, model version, series and step, linked
//     to the run and the model version that made it, with optional interval
//     bounds and the method that made it ('gru', 'theta', ...). Values are
//     finite: NaN and ±Inf are refused, as in actuals.
//   - forecast_intervals: every bounded prediction interval of a forecast,
//     one per level (0.8, 0.95, ...); forecasts.lower and upper keep the
//     widest of them.
//   - actuals: one observed value per series and time.
//   - batch_jobs and batch_series: what each job of a batch run did (its
//     refit decision, model version, counts and timings) and the outcome
//     of each series: done, skipped, failed (with the error) or replaced,
//     with the data cut-off it was forecast from. A model forecasts a
//     series from one cut-off once (a unique index on the done rows).
//   - locks: named locks of running processes, such as the batch lock.
//   - Views: latest_forecasts (per model name, series and target time, the
//     forecast from the newest origin), latest_origin_forecasts (per model
//     name and series, the forecasts of the newest origin), forecasts_80_95
//     (forecasts with lower_80, upper_80, lower_95, upper_95),
//     model_versions_summary (a readable row per version), forecast_errors
//     (each forecast that has an actual) and forecast_accuracy (realised
//     MAE, MASE and interval coverage per model version and series), e.g.
//     sqlite3 forecast.db 'select * from forecast_accuracy'. Where several
//     runs forecast from one origin, each takes the run that started last:
//     run ids do not say which, as merge numbers a shard's runs after the
//     target's.
//
// MASE in forecast_accuracy is the mean of the absolute errors each
// divided by its forecast's mase_scale, the in-sample seasonal naive MAE of
// the series' values it was forecast from (rows stored before migration
// 0010 use the version's mase_scale); a forecast stored by several runs of
// one version from one origin counts once.
//
// # Migrations
//
// Migrations are SQL files embedded in the program and applied by Open, in
// order, each in its own transaction. Each is recorded in schema_migrations
// and PRAGMA user_version is kept equal to the newest, so a migration runs
// once. A released migration is never edited; a schema change is a new file.
// Open refuses files that are not SQLite, SQLite databases with tables but no
// schema_migrations (another program's), and databases migrated by a newer
// forecast.
//
// # Times
//
// Times are stored as RFC 3339 text in UTC, to the second unless a time has
// a fraction, e.g. 2024-01-31T23:00:00Z, so they read well in the sqlite3
// shell, text order is time order to the second and SQLite's date functions
// accept them. A fraction is written without its trailing zeros, so times
// within one second (a run's start, a version's creation) are compared
// with julianday(): as text, .27 sorts before .2.
// Times read back are in UTC. A forecast of a series without a time column
// has NULL origin and time.
//
// # Transactions and concurrency
//
// Each method runs in one transaction, and a command's results are written by
// one method (SaveFit writes the run, the model version and its forecasts;
// SavePredict the run and its forecasts; SaveActuals the run and its
// actuals), so a run is either all there or not there, even if the process
// is killed. A command that fails after it began its work records only a
// failed run, with FailRun. Foreign keys are enforced on every connection.
//
// A batch run is the exception, since it may run for hours: StartBatch
// records the run at once as failed and "unfinished", SaveBatchSeries stores
// the series as they finish, each whole (its row and all its forecasts) in
// a transaction that groups the series finished meanwhile (one sync to disk
// for many series, each under a savepoint of its own so that one bad write
// fails only its series), and FinishBatch records the outcome. A batch that
// is killed reads as failed and unfinished, and each of its done series is
// complete. Merge copies another database in one transaction per database.
//
// # Locks
//
// Lock takes a named lock held in the locks table, with the holder's host,
// pid and command, refreshed every Heartbeat. A second process finds it held
// and waits or fails with an error wrapping ErrLocked that names the holder;
// a lock whose process is gone from this host, or whose heartbeat is older
// than StaleAfter, is stale and is taken over. The batch lock keeps two
// batches, schedules or merges off one database; whoever takes it marks
// the jobs still "running", which only a stopped batch can have left, as
// failed and unfinished.
//
// The database runs in WAL mode: readers outside forecast, such as a sqlite3
// shell, neither block nor are blocked by forecast's writes. Transactions take
// the write lock when they begin, so two forecast processes on one file take
// turns; one waits up to 5 seconds for the other and then fails with
// "database PATH is locked by another process". A DB is safe for concurrent
// use by multiple goroutines.
package store
