#!/usr/bin/env bash
# robots.txt cost (issue 13): reading a file of 1,000 and 10,000 rules and one filled to the
# 500 KiB cap, and checking a URL against it (20,000 URLs of a portal, one in fifty 1.5 KB
# long; best of 5). Flat parse µs/rule shows reading is linear; check µs/URL must stay in
# microseconds whatever the rule count (rules are compiled once, a check allocates nothing).
#
# usage: Benchmarks/robots.sh
# Builds the tests in release (-enable-testing, for @testable) under .build, a few minutes the
# first time, and runs CrawlTests' RobotsBenchmarkTests, which is skipped in ordinary test runs.
set -euo pipefail
cd "$(dirname "$0")/.."
GOVSWEEP_ROBOTS_BENCH=1 swift test -c release -Xswiftc -enable-testing --disable-swift-testing \
  --filter RobotsBenchmarkTests 2>&1 | tee "${TMPDIR:-/tmp}/govsweep-robots-bench.log" | sed -n 's/^robots-bench: //p'
