#!/usr/bin/env bash
# Comment benchmark (issue 12): comment POSTs on SQLite while article pages
# are read. Builds jarchy and bench/comments (see its doc comment) and runs
# it twice: newcomers held for moderation (the default: a post publishes
# nothing, article pages stay cached), then every comment published at once
# (--trust: each post drops its article page). Loopback only; each run is
# bounded by --duration (10 s by default) plus about 10 s of set-up.
#
#   bench/comments.sh
#   bench/comments.sh --duration 20s --posters 128 --readers 8
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/jarchy-comments.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/jarchy" ./cmd/jarchy && go build -o "$work/comments" ./bench/comments)
"$work/comments" --bin "$work/jarchy" "$@"
"$work/comments" --bin "$work/jarchy" --trust "$@"
