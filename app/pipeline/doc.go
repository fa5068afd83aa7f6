// Package pipeline is the use-case layer of the forecast command line:
// what fit, predict, actuals, models and batch do, as opposed to how app
// reads its flags and exits and app/render prints. It works on typed values (a JobsFile, BatchOptions, a
// Fit) and returns typed results (a BatchSummary of JobResults, JobPlans),
// so that its rules are tested on values, not on printed text; a caller
// that prints follows a batch through the Events it is told.
//
// It holds:
//
//   - the jobs file (ReadJobs, JobsFile, Job), decoded into typed structs
//     with the BurntSushi/toml tags and Undecoded for unknown keys, and the
//     source and training settings that a job and fit's flags share
//     (SourceSettings.Options, TrainingSettings.Config), and the settings
//     a refit takes from its parent (TrainingSettings.Inherit);
//   - reading a source, Source: a CSV file, standard input or a SQLite
//     table or query, under the settings above, into a Dataset, its one
//     series or all of them, with the ids they are stored under;
//   - the refit policy of a job, Policy, read by ParsePolicy, and Decide,
//     which applies it to the stored model version (age, realised
//     accuracy, horizon) at a given time;
//   - fit-and-store: NewVersion builds the model version record and the
//     forecasts of a fit result, StoreFit stores them in one transaction;
//   - predicting with a stored model, StoredModel, which predict, serve
//     and batch share, and model documents (ExportVersion,
//     ExportDocument, ImportVersion);
//   - recording actuals, RecordActuals, and what they score;
//   - a batch run, RunBatch: per job the refit decision, a global model
//     trained on the job's series, then every series of the source (in a
//     shard, ParseShard and BatchOptions.InShard) streamed to a pool of
//     workers and stored in group commits under the database's batch lock;
//     DryRun and DryRunAt say what a run would do and write nothing;
//   - the Scheduler, which runs a batch at the times of a cron schedule,
//     one run at a time, on a Clock that tests replace by a fake one.
//
// Its errors say what went wrong to a user; those of a bad jobs file or
// setting are ErrUsage, those of the database ErrStorage, so that the
// command line maps them to its exit codes.
package pipeline
