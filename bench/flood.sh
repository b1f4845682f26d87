#!/usr/bin/env bash
# Flood benchmark (issue 8): can a flood of misses push the hot pages out of
# the page cache, or slow them down?
#
# Builds and runs bench/flood (see its doc comment): the site wired as
# `jarchy serve` wires it (SQLite, page cache, fast front), a hot article
# under wrk at 64 connections, a reader walking the rest of the site, and
# in the second phase a client requesting 10,000 distinct valid URLs that
# all render. Prints req/s, p50 and p99 of the hot article without and with
# the flood, and the hit ratios of the hot article and of the warm set
# (every render behind the cache is counted). Loopback only; two wrk runs of
# --duration each (20 s by default) plus set-up, about a minute.
#
#   bench/flood.sh                              # demo edition, 64 MiB cache
#   bench/flood.sh --duration 10s --flood 20000
#   bench/flood.sh --data DIR                   # an existing store, e.g. 100k articles
#   bench/flood.sh --cache-mb 8                 # a cache the warm set barely fits
#
# Needs wrk (apt-get install -y wrk) and go.
set -euo pipefail
command -v wrk >/dev/null || { echo "flood.sh: wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/jarchy-flood.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/flood" ./bench/flood)
"$work/flood" "$@"
