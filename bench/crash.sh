#!/usr/bin/env bash
# The comment crash test: posts comments concurrently to a `jarchy serve`
# child process, kills it with SIGKILL mid-stream four times, and checks
# that every acknowledged comment is stored, intact and once; on SQLite and
# PostgreSQL (a throwaway cluster: needs Debian's postgresql package).
# Bounded: under a minute per store. CI runs the same test in `go test ./...`.
set -euo pipefail
cd "$(dirname "$0")/.."
JARCHY_REQUIRE_PG=${JARCHY_REQUIRE_PG:-1} go test -count=1 -v -run 'TestCrashKeepsAcknowledgedComments' ./cmd/jarchy "$@" | grep -v 'INFO migrate'
