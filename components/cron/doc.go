// Package cron runs jobs on schedules (github.com/robfig/cron/v3) with
// the application's lifecycle.
//
// # Jobs
//
// A job is a [Job] contributed to the [Jobs] extension point with its
// [Spec] ([AddJob]): a cron expression (five fields, six with seconds,
// or @hourly / @every 90s), an [Overlap] policy for a firing due while
// the previous run goes on ([Skip], the default, or [Queue]), a jitter,
// and whether one instance only of a replicated application runs each
// firing ([SingleInstance], decided by the application's [Locker]; see
// package cronpg for PostgreSQL). The "cron" section turns jobs off and
// reschedules them by name ([Config]); a bad schedule or an unknown name
// fails the start.
//
// # Lifecycle
//
// [Component]'s scheduler starts with the application and stops with
// it: at stop no new run starts, the context of the runs in progress is
// cancelled, and Stop waits for them until the grace period ends. Each
// run is logged (Info when done, Warn with the error when it fails; a
// panic is a failure) and counted ([Scheduler.Stats]).
package cron
