#!/usr/bin/env bash
# Benchmark: watch while downloading. A 200 MiB MP4 (index at the end, 2 s keyframe interval) from an origin limited
# to 1 MiB/s per connection. Measures, for `downloader stream -x 16`, the time to the first decoded frame and to a decoded
# frame after a seek to 50%, and the bytes pulled from the origin; and, in the same run, the time to the same two
# frames when `aria2c -x16` downloads the whole file first.
#   bench/stream.sh [ROUNDS]   (default 3)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}
bench_install
command -v ffmpeg >/dev/null || { apt-get install -y -qq ffmpeg >/dev/null; }
media="$WORK/www/movie.mp4"
SECONDS_LONG=110   # at 16 Mbit/s: a little over 200 MiB
if [ ! -f "$media" ] || [ "$(stat -c %s "$media")" -lt $((200 * 1024 * 1024)) ]; then
  echo "bench: encoding a 200 MiB test movie..." >&2
  ffmpeg -loglevel error -y -f lavfi -i "testsrc=size=640x360:rate=25,noise=alls=25:allf=t+u" -t $SECONDS_LONG \
    -c:v libx264 -preset ultrafast -b:v 16M -maxrate 16M -bufsize 8M -g 50 -pix_fmt yuv420p "$media"
fi
size=$(stat -c %s "$media")
[ "$size" -ge $((200 * 1024 * 1024)) ] || { echo "bench: the movie is under 200 MiB" >&2; exit 1; }
HALF=$((SECONDS_LONG / 2))
# The origin: 1 MiB/s per TCP connection, held across keep-alive requests (see bench/ThrottledOrigin).
dotnet build "$BENCH_ROOT/bench/ThrottledOrigin" -c Release -v q -nologo >/dev/null
OPORT=$((PORT + 7))
dotnet "$BENCH_ROOT/bench/ThrottledOrigin/bin/Release/net10.0/ThrottledOrigin.dll" "$WORK/www" $OPORT 1048576 &
origin_pid=$!
trap 'kill $origin_pid 2>/dev/null || true' EXIT
sleep 2
bench_cli
origin="http://127.0.0.1:$OPORT/movie.mp4"
results="$WORK/stream.tsv"
: > "$results"
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  # Ours: stream, then two players' requests.
  out="$WORK/out/stream-$r"; rm -rf "$out"; mkdir -p "$out"
  before=$(curl -s "http://127.0.0.1:$OPORT/bytes-sent")
  t0=$(now)
  "$CLI" stream "$origin" -x 16 -o "$out/movie.mp4" > "$WORK/stream-url.txt" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 200); do [ -s "$WORK/stream-url.txt" ] && break; sleep 0.05; done
  url=$(head -1 "$WORK/stream-url.txt")
  ffmpeg -v error -i "$url" -frames:v 1 -f null - ; t1=$(now)
  ffmpeg -v error -ss $HALF -i "$url" -frames:v 1 -f null - ; t2=$(now)
  # Stop watching (SIGTERM, as Ctrl+C would), then finish the file with a plain download, which resumes from the
  # streamed part file: the bytes pulled cover the whole file, and show that none was fetched twice.
  kill -TERM $pid; wait $pid || true
  "$CLI" "$origin" -o "$out/movie.mp4" -x 16 -q
  pulled=$(( $(curl -s "http://127.0.0.1:$OPORT/bytes-sent") - before ))
  cmp -s "$out/movie.mp4" "$media" || { echo "bench: the streamed file differs from the origin's" >&2; exit 1; }
  printf 'downloader\t%s\t%s\t%s\n' "$(elapsed $t0 $t1)" "$(elapsed $t1 $t2)" "$pulled" >> "$results"
  echo "  downloader first frame $(elapsed $t0 $t1)s, after seek $(elapsed $t1 $t2)s, pulled $pulled of $size" >&2
  rm -rf "$out"

  # aria2c: the whole file first, then the same two frames from disk.
  out="$WORK/out/aria-$r"; rm -rf "$out"; mkdir -p "$out"
  t0=$(now)
  aria2c -q -x16 -s16 -k1M --file-allocation=none -d "$out" -o movie.mp4 "$origin"
  ffmpeg -v error -i "$out/movie.mp4" -frames:v 1 -f null - ; t1=$(now)
  ffmpeg -v error -ss $HALF -i "$out/movie.mp4" -frames:v 1 -f null - ; t2=$(now)
  printf 'aria2c\t%s\t%s\t%s\n' "$(elapsed $t0 $t1)" "$(elapsed $t1 $t2)" "$size" >> "$results"
  echo "  aria2c first frame $(elapsed $t0 $t1)s, after seek $(elapsed $t1 $t2)s" >&2
  rm -rf "$out"
done

python3 - "$results" "$size" <<'PY'
import statistics, sys, collections
size = int(sys.argv[2])
data = collections.defaultdict(list)
for line in open(sys.argv[1]):
    tool, first, seek, pulled = line.split()
    data[tool].append((float(first), float(seek), int(pulled)))
print(f"| {size / 2**20:.0f} MiB MP4, 1 MiB/s per connection | runs | first frame s (median) | frame after seek to 50% s (median) | bytes from origin / size |")
print("|---|---|---|---|---|")
for tool in ("downloader", "aria2c"):
    rows = data[tool]
    print(f"| {tool} | {len(rows)} | {statistics.median(r[0] for r in rows):.2f} | {statistics.median(r[1] for r in rows):.2f} | {max(r[2] for r in rows) / size:.3f} |")
PY
