#!/usr/bin/env bash
# Benchmark: the slow tail, stalled connections included. A 128 MiB file from an origin that holds each TCP
# connection to 2 MiB/s (bench/ThrottledOrigin), with four ways some connections misbehave, downloaded over 16
# connections by the CLI, aria2c and (when installed) axel, each with default options otherwise. Reports seconds and
# the ratio to the ideal: the file divided by what the good connections can carry, after what the bad ones sent at
# full speed.
#   bench/stall.sh [ROUNDS]   (default 1)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-1}
command -v aria2c >/dev/null || { echo "bench: aria2c is needed (apt-get install aria2)" >&2; exit 1; }
file="$WORK/www/stall-128m.bin"
[ -f "$file" ] || head -c $((128 * 1024 * 1024)) /dev/urandom > "$file"
dotnet build "$BENCH_ROOT/bench/ThrottledOrigin" -c Release -v q -nologo >/dev/null
bench_cli
OPORT=$((PORT + 9))
RATE=$((2 * 1024 * 1024))
results="$WORK/stall.tsv"
: > "$results"

# ideal CASE: seconds, from the rule above (16 connections of 2 MiB/s; sizes in MiB).
ideal() {
  case $1 in
    none)    echo "scale=3; 128 / (16 * 2)" | bc ;;
    slow4)   echo "scale=3; 128 / (12 * 2)" | bc ;;
    drop4)   echo "scale=3; (128 - 4 * 4) / (12 * 2)" | bc ;;
    silent8) echo "scale=3; (128 - 2 * 2) / (14 * 2)" | bc ;;
  esac
}

run_tool() { # run_tool TOOL CASE ROUND
  local tool=$1 mode=$2 out="$WORK/out/stall-$1-$2-$3"
  rm -rf "$out"; mkdir -p "$out"
  # A fresh origin per run: its connection numbering (every 4th, every 8th) starts again at 0.
  dotnet "$BENCH_ROOT/bench/ThrottledOrigin/bin/Release/net10.0/ThrottledOrigin.dll" "$WORK/www" $OPORT $RATE "$mode" &
  local origin=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$OPORT/bytes-sent" >/dev/null && break; sleep 0.1; done
  local url="http://127.0.0.1:$OPORT/stall-128m.bin" start end
  start=$(date +%s.%N)
  case $tool in
    downloader) timeout 200 "$CLI" "$url" -d "$out" -x 16 -q >/dev/null 2>&1 || true ;;
    aria2c) timeout 200 aria2c -x16 -s16 -k1M --file-allocation=none -q -d "$out" "$url" >/dev/null 2>&1 || true ;;
    axel) timeout 200 axel -q -n 16 -o "$out/stall-128m.bin" "$url" >/dev/null 2>&1 || true ;;
  esac
  end=$(date +%s.%N)
  kill $origin 2>/dev/null || true; wait $origin 2>/dev/null || true
  local ok=no
  cmp -s "$file" "$out/stall-128m.bin" && ok=yes
  printf '%s\t%s\t%s\t%s\n' "$mode" "$tool" "$(echo "$end - $start" | bc)" "$ok" >> "$results"
  echo "  $mode $tool $(echo "$end - $start" | bc)s identical=$ok" >&2
}

tools="downloader aria2c"
command -v axel >/dev/null && tools="$tools axel"
for r in $(seq 1 "$ROUNDS"); do
  for mode in none slow4 drop4 silent8; do
    for tool in $tools; do run_tool "$tool" "$mode" "$r"; done
  done
done

echo
echo "| how some connections misbehave | ideal s | $(for t in $tools; do printf '%s s (x ideal) | ' "$t"; done)"
echo "|---|---|$(for t in $tools; do printf -- '---|'; done)"
for mode in none slow4 drop4 silent8; do
  i=$(ideal "$mode")
  row="| $mode | $i |"
  for tool in $tools; do
    med=$(awk -F'\t' -v m="$mode" -v t="$tool" '$1==m && $2==t {print $3}' "$results" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    okall=$(awk -F'\t' -v m="$mode" -v t="$tool" '$1==m && $2==t && $4!="yes" {print "no"}' "$results" | head -1)
    row="$row $(printf '%.2f' "$med") ($(echo "scale=2; $med / $i" | bc)x)${okall:+ NOT IDENTICAL} |"
  done
  echo "$row"
done
mkdir -p "$BENCH_ROOT/bench/results"
cp "$results" "$BENCH_ROOT/bench/results/$(date +%F)-stall.tsv"
