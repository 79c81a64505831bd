#!/usr/bin/env bash
# Benchmark: a background download on a shared 40 Mbit/s link (issue 24). It builds a network namespace whose
# loopback (MTU 1500) is shaped by `tc qdisc tbf rate 40mbit burst 256kb latency 300ms`, runs nginx inside it, and
# removes both at the end. For each downloader of a 1 GiB file it prints, in one run:
#   (a) its throughput alone, as a share of the link (tc's byte count over a 15 s window, after 5 s to settle);
#   (b) a 20 MB curl fetch while it runs, as a multiple of the same fetch on the idle link;
#   (c) a 64 KiB fetch meanwhile (median of 5), as a multiple of its idle time.
# Rows go to bench/results/DATE-priority.tsv.   Needs root (ip netns, tc).
#   bench/priority.sh [TOOLS...]   (default: background normal aria2c)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
TOOLS=${*:-background normal aria2c}
LINK_BYTES_PER_SECOND=5000000 # 40 Mbit/s, as tc counts it
NS=dlprio$$
NPORT=8080
bench_install
command -v tc >/dev/null || { apt-get update -qq && apt-get install -y -qq iproute2 >/dev/null; }
bench_cli
www="$WORK/prio-www"
mkdir -p "$www"
[ -f "$www/big.bin" ] || truncate -s 1G "$www/big.bin"
[ -f "$www/20m.bin" ] || head -c 20000000 /dev/urandom > "$www/20m.bin"
[ -f "$www/64k.bin" ] || head -c 65536 /dev/urandom > "$www/64k.bin"

in_ns() { ip netns exec "$NS" "$@"; }
cleanup() {
  [ -n "${TOOL_PID:-}" ] && kill -TERM "$TOOL_PID" 2>/dev/null || true
  [ -f "$WORK/prio-nginx.pid" ] && kill "$(cat "$WORK/prio-nginx.pid")" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
in_ns ip link set lo up
in_ns ip link set lo mtu 1500
in_ns tc qdisc add dev lo root tbf rate 40mbit burst 256kb latency 300ms
cat > "$WORK/prio-nginx.conf" <<CONF
worker_processes 1;
pid $WORK/prio-nginx.pid;
error_log $WORK/logs/prio-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NPORT; root $www; }
}
CONF
in_ns nginx -c "$WORK/prio-nginx.conf"
base="http://127.0.0.1:$NPORT"
for _ in $(seq 1 50); do in_ns curl -sf -o /dev/null "$base/64k.bin" && break; sleep 0.1; done

link_bytes() { in_ns tc -s qdisc show dev lo | awk '/Sent/ { print $2; exit }'; }
fetch_seconds() { in_ns timeout 150 curl -s -o /dev/null -w '%{time_total}' "$1" || echo 150; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
small_fetches() { for _ in 1 2 3 4 5; do fetch_seconds "$base/64k.bin"; echo; sleep 1; done | median; }

idle20=$(fetch_seconds "$base/20m.bin")
idle64=$(small_fetches)
echo "idle link: 20 MB in ${idle20}s, 64 KiB in ${idle64}s" >&2

start_tool() { # start_tool TOOL OUT: runs in the namespace, in the background; sets TOOL_PID (the tool itself:
  # ip netns exec execs it, so a signal to TOOL_PID reaches the tool)
  case $1 in
    background) ip netns exec "$NS" "$CLI" "$base/big.bin" -d "$2" -x 8 --priority background -q >/dev/null 2>&1 & ;;
    normal) ip netns exec "$NS" "$CLI" "$base/big.bin" -d "$2" -x 8 -q >/dev/null 2>&1 & ;;
    aria2c) ip netns exec "$NS" aria2c -x16 -s16 -k1M --file-allocation=none -q -d "$2" "$base/big.bin" >/dev/null 2>&1 & ;;
    curl) ip netns exec "$NS" curl -s -o "$2/big.bin" "$base/big.bin" & ;;
  esac
  TOOL_PID=$!
}

results="$BENCH_ROOT/bench/results/$(date -u +%Y-%m-%d)-priority.tsv"
[ -f "$results" ] || printf 'time\tcommit\tload\ttool\tlink_share_alone\tfetch20_seconds\tfetch20_x_idle\tfetch64k_seconds\tfetch64k_x_idle\tidle20_seconds\tidle64k_seconds\n' > "$results"
printf '\n| running in the background | its throughput alone | 20 MB fetch meanwhile | 64 KiB fetch meanwhile |\n|---|---|---|---|\n'
for tool in $TOOLS; do
  out="$WORK/out/priority-$tool"
  rm -rf "$out"; mkdir -p "$out"
  start_tool "$tool" "$out"
  sleep 5
  before=$(link_bytes); t0=$(date +%s.%N)
  sleep 15
  after=$(link_bytes); t1=$(date +%s.%N)
  share=$(echo "scale=4; ($after - $before) / ($t1 - $t0) / $LINK_BYTES_PER_SECOND" | bc)
  small=$(small_fetches)
  big=$(fetch_seconds "$base/20m.bin")
  # TERM, not INT: a background job of a script starts with SIGINT ignored.
  kill -TERM "$TOOL_PID" 2>/dev/null || true
  wait "$TOOL_PID" 2>/dev/null || true
  TOOL_PID=
  rm -rf "$out"
  x20=$(echo "scale=2; $big / $idle20" | bc)
  x64=$(echo "scale=2; $small / $idle64" | bc)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(bench_run_id)" "$tool" "$share" "$big" "$x20" "$small" "$x64" "$idle20" "$idle64" >> "$results"
  printf '| %s | %.0f%% of the link | %sx idle (%ss) | %sx idle (%ss) |\n' "$tool" "$(echo "$share * 100" | bc)" "$x20" "$big" "$x64" "$small"
done
echo "rows appended to $results" >&2
