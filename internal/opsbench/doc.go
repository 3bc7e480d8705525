// Package opsbench holds the benchmarks of the operations components:
// BenchmarkPing and BenchmarkCreateValidated (the REST server's pair)
// with no operations component, with each alone, and with logging,
// metrics and tracing together, in one run so that their ratios can be
// read against the bare twin.
package opsbench
