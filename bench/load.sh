#!/usr/bin/env bash
# Load benchmark: jarchy against nginx serving the very same article bytes.
#
# In one run it builds jarchy, starts it (page cache on, fast front), a second
# jarchy on the same store with the page cache off, and nginx serving the
# article page's exact bytes (identity, and jarchy's own gzip bytes through
# gzip_static); then wrk runs against each, in rounds that put nginx and
# jarchy side by side, and a table of median req/s, p50, p99 and server CPU
# per request, the jarchy/nginx ratios and resident memory is printed.
#
# Loopback only. Bounded: rounds x targets x --duration seconds of wrk (84 s by
# default) and a watchdog that ends the whole run after 175 s; everything started is stopped and the
# temporary folder removed on exit. Needs wrk, nginx (with gzip_static, as in
# Debian's nginx / nginx-light), curl, python3 and go:
#   apt-get install -y wrk nginx-light curl
#
# Usage: bench/load.sh [--data DIR] [--bin FILE] [--rounds N] [--duration S] [--connections N] [--plain]
#   --data DIR    serve an existing data folder (e.g. one filled by
#                 `jarchy demo --articles 100000 --data DIR`); default: a fresh
#                 temporary folder seeded with the demo edition
#   --bin FILE    use this jarchy binary instead of building one
#   --rounds N    measure every target N times, interleaved (default 3);
#                 medians are printed, and the per-round values
#   --duration S  seconds per wrk run (default 4)
#   --connections N  wrk connections (default 64; 2 threads)
#   --plain       also measure the cached article with --fast=false (plain net/http)
set -euo pipefail

DURATION=4
ROUNDS=3
CONNS=64
THREADS=2
DATA=""
BIN=""
PLAIN=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --plain) PLAIN=1; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool is missing (apt-get install -y wrk nginx-light curl)" >&2; exit 2; }
done
[ -n "$BIN" ] || command -v go >/dev/null || { echo "load.sh: go is missing" >&2; exit 2; }
if [ -n "$DATA" ]; then
  [ -d "$DATA" ] || { echo "load.sh: $DATA is not a folder" >&2; exit 2; }
  DATA=$(cd "$DATA" && pwd)
fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/jarchy-load.XXXXXX)
chmod 755 "$work" # nginx workers run as an unprivileged user
pids=()
cleanup() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do
    pkill -TERM -P "$p" 2>/dev/null || true # the watchdog's sleep
    kill "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "load.sh: stopped" >&2; exit 1' INT TERM
# Watchdog: the whole run must stay under 3 minutes.
( sleep 175; echo "load.sh: time is up (175 s), stopping" >&2; kill -TERM $$ ) 2>/dev/null &
pids+=($!)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() {
  for _ in $(seq 1 600); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "load.sh: $1 did not come up; logs:" >&2; tail -n 20 "$work"/*.log >&2; exit 1
}

if [ -z "$BIN" ]; then
  echo "building jarchy…"
  (cd "$root" && go build -o "$work/jarchy" ./cmd/jarchy)
  BIN="$work/jarchy"
fi
[ -n "$DATA" ] || DATA="$work/data"

port=$(free_port); nocache_port=$(free_port); nginx_port=$(free_port)
base="http://127.0.0.1:$port"
nocache="http://127.0.0.1:$nocache_port"
"$BIN" serve --addr "127.0.0.1:$port" --data "$DATA" >"$work/jarchy.log" 2>&1 &
jarchy_pid=$!; pids+=($jarchy_pid)
wait_up "$base/robots.txt"
"$BIN" serve --addr "127.0.0.1:$nocache_port" --data "$DATA" --no-demo --cache-mb 0 >"$work/jarchy-nocache.log" 2>&1 &
nocache_pid=$!; pids+=($nocache_pid)
wait_up "$nocache/robots.txt"
if [ "$PLAIN" = 1 ]; then
  plain_port=$(free_port); plain="http://127.0.0.1:$plain_port"
  "$BIN" serve --addr "127.0.0.1:$plain_port" --data "$DATA" --no-demo --fast=false >"$work/jarchy-plain.log" 2>&1 &
  plain_pid=$!; pids+=($plain_pid)
  wait_up "$plain/robots.txt"
fi

article_path=$(curl -fs "$base/api/v1/articles?lang=ky&limit=1" |
  python3 -c 'import json,sys,urllib.parse as u; print(u.urlparse(json.load(sys.stdin)["articles"][0]["url"]).path)')
home_path="/ky/"
feed_path="/ky/feed/rss.xml"

# Warm every page before wrk, each with curl on its own connection: the fast
# front hands a connection whose request missed the cache to net/http for good,
# so a connection must never see a miss. Twice, so the second answer is a hit.
for p in "$article_path" "$home_path" "$feed_path"; do
  for _ in 1 2; do
    curl -fs -o /dev/null "$base$p"
    curl -fs -o /dev/null -H 'Accept-Encoding: gzip' "$base$p"
    [ "$PLAIN" = 0 ] || curl -fs -o /dev/null -H 'Accept-Encoding: gzip' "$plain$p"
  done
done
curl -fs -o /dev/null "$nocache$article_path"

# nginx serves the very bytes jarchy serves: the identity body and jarchy's gzip body.
mkdir -p "$work/www" "$work/nginx"
curl -fs "$base$article_path" -o "$work/www/article.html"
curl -fs -H 'Accept-Encoding: gzip' "$base$article_path" -o "$work/www/article.html.gz"
gzip -t "$work/www/article.html.gz" 2>/dev/null || { echo "load.sh: jarchy did not answer gzip for the article" >&2; exit 1; }
cmp -s <(gzip -dc "$work/www/article.html.gz") "$work/www/article.html" ||
  { echo "load.sh: jarchy's gzip and identity bodies differ" >&2; exit 1; }
chmod -R a+rX "$work/www"
cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  types { text/html html; }
  default_type text/html;
  client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    gzip_static on;
  }
}
NGINX
nginx -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -g 'daemon off;' >"$work/nginx.log" 2>&1 &
nginx_pid=$!; pids+=($nginx_pid)
ngx="http://127.0.0.1:$nginx_port/article.html"
wait_up "$ngx"
# Check that gzip_static really answers with the precompressed file.
[ "$(curl -fs -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$ngx")" = "$(stat -c %s "$work/www/article.html.gz")" ] ||
  { echo "load.sh: nginx gzip_static is not serving article.html.gz (install Debian's nginx)" >&2; exit 1; }

size_id=$(stat -c %s "$work/www/article.html"); size_gz=$(stat -c %s "$work/www/article.html.gz")
echo "article $article_path: $size_id bytes, $size_gz gzip; data: $DATA"
echo "wrk: $THREADS threads, $CONNS connections, ${DURATION}s each, $ROUNDS rounds; $(nproc) cores; loopback; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# to_ms converts wrk latencies (812.00us, 1.20ms, 1.01s) to milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }

# cpu_ticks PID...: user+system CPU time (clock ticks) of these processes.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)

# Results per target, one entry per round, space-separated.
declare -A RPS P50 P99 CPU
order=()
# run NAME SERVER_PIDS URL [ACCEPT_ENCODING] measures one target once: req/s,
# p50, p99 and the server's CPU time per request (a figure that other load on
# a shared machine disturbs less than req/s).
run() {
  local name=$1 spids=$2 url=$3 enc=${4:-}
  local args=(-t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency)
  [ -z "$enc" ] || args+=(-H "Accept-Encoding: $enc")
  local t0 t1 out
  # shellcheck disable=SC2086
  t0=$(cpu_ticks $spids)
  out=$(wrk "${args[@]}" "$url")
  # shellcheck disable=SC2086
  t1=$(cpu_ticks $spids)
  local rps p50 p99 n cpu errs
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN { printf "%.1f", (n > 0 ? d * 1e6 / hz / n : 0) }')
  errs=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
  [ -z "$errs" ] || echo "  $name: $errs" >&2
  [ -n "${RPS[$name]+x}" ] || order+=("$name")
  RPS[$name]+="$rps "; P50[$name]+="$p50 "; P99[$name]+="$p99 "; CPU[$name]+="$cpu "
}
median() { tr ' ' '\n' <<<"$1" | awk 'NF' | sort -g | awk '{v[NR]=$1} END { if (NR == 0) print 0; else if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2 }'; }
# ratios A B: the per-round ratios of two targets' req/s.
ratios() {
  paste -d' ' <(tr ' ' '\n' <<<"${RPS[$1]}" | awk NF) <(tr ' ' '\n' <<<"${RPS[$2]}" | awk NF) |
    awk '{ printf "%.2f ", ($2 > 0 ? $1 / $2 : 0) }'
}

nginx_pids=$(ps -o pid= --ppid "$nginx_pid" | tr '\n' ' ')
# Rounds: each target once per round, nginx and jarchy next to each other,
# so that the machine's other load falls on both alike; medians are reported.
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS…"
  run "nginx article (sendfile)" "$nginx_pids" "$ngx"
  run "jarchy article" "$jarchy_pid" "$base$article_path"
  run "nginx article (gzip_static)" "$nginx_pids" "$ngx" gzip
  run "jarchy article (gzip)" "$jarchy_pid" "$base$article_path" gzip
  run "jarchy home (gzip)" "$jarchy_pid" "$base$home_path" gzip
  run "jarchy feed (gzip)" "$jarchy_pid" "$base$feed_path" gzip
  [ "$PLAIN" = 0 ] || run "jarchy article (gzip, net/http)" "$plain_pid" "$plain$article_path" gzip
  run "jarchy article, cache off (gzip)" "$nocache_pid" "$nocache$article_path" gzip
done

echo
echo "medians of $ROUNDS rounds (each: $THREADS wrk threads, $CONNS connections, ${DURATION}s)"
printf '%-34s %9s %8s %8s %10s   %s\n' "target" "req/s" "p50 ms" "p99 ms" "cpu us/req" "req/s per round"
for name in "${order[@]}"; do
  printf '%-34s %9.0f %8.2f %8.2f %10.1f   %s\n' "$name" "$(median "${RPS[$name]}")" "$(median "${P50[$name]}")" \
    "$(median "${P99[$name]}")" "$(median "${CPU[$name]}")" "${RPS[$name]}"
done
mem() { awk '/^VmRSS/ {rss=$2} /^VmHWM/ {hwm=$2} END { printf "%d MB (peak %d MB)", rss/1024, hwm/1024 }' "/proc/$1/status"; }
echo "(cpu us/req: the server's user+system CPU per answered request; on $(nproc) otherwise idle cores"
echo " the server alone could answer at most $(nproc)e6 / cpu req/s)"
echo
r_id=$(ratios "jarchy article" "nginx article (sendfile)")
r_gz=$(ratios "jarchy article (gzip)" "nginx article (gzip_static)")
echo "jarchy/nginx identity: $(median "$r_id")x median of rounds ($r_id) (target >= 0.7)"
echo "jarchy/nginx gzip:     $(median "$r_gz")x median of rounds ($r_gz) (target >= 0.9)"
cpu_ratio() { awk -v a="$(median "${CPU[$1]}")" -v b="$(median "${CPU[$2]}")" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "by server CPU per request (nginx cpu / jarchy cpu, medians; less disturbed by other load):"
echo "                       identity $(cpu_ratio "nginx article (sendfile)" "jarchy article")x, gzip $(cpu_ratio "nginx article (gzip_static)" "jarchy article (gzip)")x"
echo "resident memory: jarchy $(mem "$jarchy_pid"), jarchy cache off $(mem "$nocache_pid")"
if grep -q 'level=ERROR' "$work"/jarchy*.log; then
  echo "load.sh: jarchy logged errors:" >&2; grep 'level=ERROR' "$work"/jarchy*.log | head -5 >&2
fi
