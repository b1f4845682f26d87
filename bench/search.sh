#!/bin/sh
# Search at scale (issue 3): generates a corpus of N articles (default
# 100000, a mix of Kyrgyz and Russian, demo.Generate) in each store, then
# prints indexing throughput (generation with the index kept in step, and
# a full Reindex) and p50/p90/p99 latency of two-word queries.
#
#   bench/search.sh                    # both stores, 100000 articles
#   N=20000 STORES=sqlite bench/search.sh
#   DIR=/var/tmp/jarchy-scale bench/search.sh   # keep the SQLite file; later runs measure queries only
#   PG_URL=postgres://…/scale bench/search.sh   # the same for a PostgreSQL database of your own
#
# PostgreSQL comes from internal/pgtest (a throwaway cluster; needs the
# server binaries) with PostgreSQL's default shared_buffers, 128MB (the
# tests' clusters use 32MB; PG_SHARED_BUFFERS=32MB measures with that).
# Not part of the default test run: at 100000 articles it takes about 10
# minutes on SQLite and 30 on PostgreSQL on 2 cores.
set -eu
cd "$(dirname "$0")/.."
JARCHY_PG_SHARED_BUFFERS="${PG_SHARED_BUFFERS:-128MB}" \
JARCHY_SCALE=1 JARCHY_SCALE_N="${N:-100000}" JARCHY_SCALE_STORES="${STORES:-sqlite,postgres}" \
JARCHY_SCALE_DIR="${DIR:-}" JARCHY_SCALE_PG_URL="${PG_URL:-}" \
	go test ./internal/searchbench -run TestSearchScale -count=1 -v -timeout 4h | grep -E 'RESULT|generated|^(ok|FAIL|---)'
