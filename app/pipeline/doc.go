// Package pipeline is the use-case layer of the forecast command line: what
// a batch does, as opposed to how app reads its flags, prints and exits.
// It decides, computes and schedules on plain values and leaves the
// database, the files and the terminal to its callers, so that its rules
// are tested on typed results.
//
// It holds now:
//
//   - the refit policy of a job, Policy, read from its jobs-file text by
//     ParsePolicy, and Decide, which applies it to the stored model version
//     (age, realised accuracy, horizon) at a given time;
//   - the Scheduler, which runs a batch at the times of a cron schedule,
//     one run at a time, on a Clock that tests replace by a fake one.
//
// Fitting and storing models, forecasting with a stored one, the worker
// pool and sharding are to move here from app as well.
package pipeline
