// Package todoacceptance is a black-box acceptance suite for LoopBack 4's
// todo API contract (@loopback/example-todo): routes, status codes, the
// error envelope and codes, and the filter language in both query forms.
//
// It speaks HTTP to a base URL and knows nothing of the server behind it,
// so the same suite checks Backplane's examples/todo, `platform serve`, and
// — with the `loopback` build tag — LoopBack itself, which keeps the suite
// honest about what LoopBack really answers.
//
// # Strict mode
//
// Where LoopBack's answer is a bug (500 on an empty body, unknown filter
// properties silently ignored), Backplane answers a clear 4xx. Those checks
// run only with Options.Strict.
package todoacceptance
