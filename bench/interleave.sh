#!/usr/bin/env bash
# Compares the request-path and kernel benchmarks of two revisions on this
# machine, interleaved: each round runs the old tree's test binaries, then
# the new tree's, so that load from other work falls on both alike. It
# prints, per benchmark, the median ns/op of each revision, B/op and
# allocs/op, and, for a benchmark with a twin (raw echo, a hand-written
# handler), the median of the per-round ratio to its twin — the figure to
# trust on a shared machine.
#
#   ./bench/interleave.sh OLD_REV [NEW_REV]     # NEW_REV defaults to the work tree
#   ROUNDS=5 BENCHTIME=500ms ./bench/interleave.sh 1ea5ba8
#   SUITES="components/data:. components/rest:Ping" ./bench/interleave.sh 1ea5ba8
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/interleave.sh OLD_REV [NEW_REV]}
new=${2:-}
rounds=${ROUNDS:-5}
benchtime=${BENCHTIME:-500ms}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/old" >/dev/null 2>&1 || true; [ -n "$new" ] && git worktree remove --force "$work/new" >/dev/null 2>&1; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/old" "$old"
newdir=.
if [ -n "$new" ]; then git worktree add -q --detach "$work/new" "$new"; newdir=$work/new; fi

# package:benchmark pattern; SUITES (space-separated) replaces the list
suites=("components/rest:Ping|CreateValidated" "components/crud:CrudCreate|CrudFind" "kernel:.")
if [ -n "${SUITES:-}" ]; then read -r -a suites <<<"$SUITES"; fi
for v in old new; do
  dir=$work/old; [ $v = new ] && dir=$newdir
  for s in "${suites[@]}"; do
    pkg=${s%%:*}
    (cd "$dir" && go test -c -o "$work/$(basename "$pkg").$v" "./$pkg")
  done
done

for r in $(seq 1 "$rounds"); do
  for v in old new; do
    for s in "${suites[@]}"; do
      pkg=${s%%:*}; pat=${s#*:}
      "$work/$(basename "$pkg").$v" -test.run '^$' -test.bench "$pat" -test.benchtime "$benchtime" -test.benchmem 2>/dev/null |
        awk -v v=$v -v r=$r '/^Benchmark/ {sub(/-[0-9]+$/, "", $1); print v, r, $1, $3, $5, $7}'
    done
  done
done >"$work/results"

awk '
function median(list,   n, a, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j+1] = a[j]; a[j+1] = t }
  return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
{ v=$1; r=$2; b=$3; ns[v, b] = ns[v, b] " " $4; mem[v, b] = $5 " B, " $6 " allocs"; t[v, r, b] = $4; names[b] = 1; rs[r] = 1 }
END {
  twin["BenchmarkPing"] = "BenchmarkPingEcho"; twin["BenchmarkCreateValidated"] = "BenchmarkCreateValidatedEcho"
  twin["BenchmarkCrudCreate"] = "BenchmarkCrudCreateTwin"; twin["BenchmarkCrudFind"] = "BenchmarkCrudFindTwin"
  for (b in names) {
    o = median(ns["old", b]); n = median(ns["new", b])
    if (ns["old", b] == "" || ns["new", b] == "") { printf "%-38s only in the %s tree\n", b, (ns["old", b] == "" ? "new" : "old"); continue }
    line = sprintf("%-38s %12.1f %12.1f %+7.1f%%  %-22s", b, o, n, 100 * (n - o) / o, mem["new", b])
    if (b in twin) {
      lo = ""; ln = ""
      for (r in rs) { lo = lo " " t["old", r, b] / t["old", r, twin[b]]; ln = ln " " t["new", r, b] / t["new", r, twin[b]] }
      line = line sprintf(" %.3f -> %.3f", median(lo), median(ln))
    }
    print line
  }
}' "$work/results" | sort >"$work/table"
printf "%-38s %12s %12s %8s  %-22s %s\n" benchmark "old ns/op" "new ns/op" change "new mem" "ratio to twin, old -> new"
cat "$work/table"
