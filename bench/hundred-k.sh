#!/usr/bin/env bash
# Benchmark: a list of 100,000 URLs (1 KiB each, served by nginx on loopback), read from stdin, 16 at once.
# Reports the CLI's wall time and peak RSS: neither the list nor the results may sit whole in memory.
#   bench/hundred-k.sh [COUNT]   (default 100000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
COUNT=${1:-100000}
bench_install
mkdir -p "$WORK/www/many"
head -c 1024 /dev/urandom > "$WORK/www/many/one.bin"
bench_nginx
bench_cli
out="$WORK/hundred-k"
rm -rf "$out"
mkdir -p "$out"
results="$WORK/hundred-k.tsv"
: > "$results"
# The list is generated on the fly and piped in, so the CLI reads it as a stream.
time_run downloader "$results" sh -c "seq 1 $COUNT | sed 's|^|http://127.0.0.1:$PORT/many/u|; s|\$|.bin|' | '$CLI' -i - -d '$out' -j 16 -q --json > '$WORK/hundred-k.jsonl'"
done=$(grep -c '"status":"completed"' "$WORK/hundred-k.jsonl" || true)
files=$(find "$out" -maxdepth 1 -name 'u*.bin' | wc -l)
read -r _ secs rss < "$results"
rm -rf "$out"
echo "| URLs | completed | files | seconds | peak RSS MiB |"
echo "|---|---|---|---|---|"
echo "| $COUNT | $done | $files | $secs | $((rss / 1024)) |"
[ "$done" -eq "$COUNT" ] && [ "$files" -eq "$COUNT" ]
