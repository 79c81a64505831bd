#!/usr/bin/env python3
"""Tables for the benchmarks' results files (long TSV: run columns, then tool, metric, value).

  summarize.py hundred-k RESULTS.tsv RUN_UTC     the tables of bench/hundred-k.sh for one run
  summarize.py many-small RESULTS.tsv RUN_UTC    medians of bench/many-small.sh for one run
  summarize.py strace-rows STRACE_C_OUTPUT       `strace -c` output as TAB-separated metric/value rows
"""
import collections
import statistics
import sys

# System calls that touch the file system (file data or metadata). read/write are left out: they serve sockets,
# pipes and eventfds as well; the top calls per file show them.
FS_CALLS = {
    "open", "openat", "openat2", "creat", "close", "close_range", "stat", "lstat", "fstat", "newfstatat", "statx",
    "access", "faccessat", "faccessat2", "flock", "lseek", "ftruncate", "truncate", "fallocate", "fstatfs",
    "statfs", "utimensat", "futimesat", "rename", "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat",
    "mkdir", "mkdirat", "rmdir", "getdents64", "readlink", "readlinkat", "pwrite64", "pwritev", "pwritev2",
    "pread64", "fsync", "fdatasync", "syncfs", "sync", "sync_file_range", "fadvise64", "fchmod", "fchown",
}


def run_rows(path, run):
    """the rows of one run of a results file, each a dict by the header's names; exits when there are none"""
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    rows = [row for row in rows if row.get("run_utc") == run]
    if not rows:
        sys.exit(f"{sys.argv[0]}: no rows of run {run} in {path}")
    return rows


def load(path, run):
    """rows of one run: (count, tool, metric) -> value"""
    return {(row["tool"], row["metric"]): row for row in run_rows(path, run)}


def num(rows, tool, metric):
    row = rows.get((tool, metric))
    return float(row["value"]) if row else None


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "-"


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def hundred_k(path, run):
    rows = load(path, run)
    any_row = next(iter(rows.values()))
    count = int(next(r["count"] for (t, _), r in rows.items() if t == "curl"))
    print(f"run {run}, commit {any_row['commit']}, 1-min load at start {any_row['load1']}; "
          f"{count:,} URLs x 4 KiB from nginx on 127.0.0.1, 16 at once")
    print()
    tools = [t for t in ("curl", "cli-file", "cli-stdin", "module-progress", "module-noprogress", "module-baseline")
             if (t, "seconds") in rows]
    labels = {
        "curl": "curl --parallel --parallel-max 16 -K list",
        "cli-file": "downloader -i list -j 16",
        "cli-stdin": "downloader -i - -j 16 < list",
        "module-progress": "module, progress on (hosted SMA 7.6.9)",
        "module-noprogress": "module, progress off",
        "module-baseline": "host only: the same strings through ForEach-Object, no module",
    }

    def cpu(tool):
        u, s = num(rows, tool, "user_s"), num(rows, tool, "sys_s")
        return None if u is None else (u + s) / count * 1000

    c_s, c_rss, c_cpu = num(rows, "curl", "seconds"), num(rows, "curl", "rss_kib"), cpu("curl")
    cli_s = num(rows, "cli-file", "seconds")
    print("| run | wall s | vs curl | vs CLI | peak RSS MiB | vs curl | CPU s per 1,000 files | vs curl | completed |")
    print("|---|---|---|---|---|---|---|---|---|")
    for t in tools:
        s, rss = num(rows, t, "seconds"), num(rows, t, "rss_kib") / 1024
        done = num(rows, t, "completed")
        stray = num(rows, t, "stray")
        completed = "-" if done is None else f"{int(done):,}" + (f" (+{int(stray)} other entries)" if stray else "")
        print(f"| {labels[t]} | {s:.2f} | {ratio(s, c_s)} | {ratio(s, cli_s) if t.startswith('module') else '-'} "
              f"| {rss:.0f} | {ratio(rss * 1024, c_rss)} | {fmt(cpu(t), 3)} | {ratio(cpu(t), c_cpu)} | {completed} |")
    print()

    base = num(rows, "module-baseline", "rss_kib")
    modes = [t for t in ("module-progress", "module-noprogress") if (t, "seconds") in rows]
    print("Hosted module: records the host was sent (it counts them and renders nothing; a user's host renders each)")
    print()
    print("| run | pipeline s | outputs | errors | records | records/s | most in one second | Completed records "
          "| Completed, never shown | activities | most shown at once | peak RSS MiB | added vs host only MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for t in modes:
        g = lambda m: num(rows, t, m)  # noqa: E731
        rss = g("rss_kib")
        added = "-" if base is None else f"{(rss - base) / 1024:.0f}"
        print(f"| {labels[t]} | {fmt(g('pipeline_s'))} | {fmt(g('outputs'), 0)} | {fmt(g('errors'), 0)} "
              f"| {fmt(g('records'), 0)} | {fmt(g('records_per_s'), 1)} | {fmt(g('max_records_in_1s'), 0)} "
              f"| {fmt(g('completed_records'), 0)} | {fmt(g('completed_never_shown'), 0)} | {fmt(g('activities'), 0)} "
              f"| {fmt(g('max_shown_at_once'), 0)} | {rss / 1024:.0f} | {added} |")
    if base is not None:
        print(f"| {labels['module-baseline']} | {fmt(num(rows, 'module-baseline', 'pipeline_s'))} "
              f"| {fmt(num(rows, 'module-baseline', 'outputs'), 0)} | | | | | | | | | {base / 1024:.0f} | 0 |")
    print()

    print("Goals of issue 12")
    print()
    print("| goal | measured | |")
    print("|---|---|---|")

    def goal(text, value, limit, shown):
        if value is None:
            print(f"| {text} | not measured | |")
        else:
            print(f"| {text} | {shown} | {'met' if value <= limit else f'missed by {value / limit:.2f}x'} |")

    cli_rss = num(rows, "cli-file", "rss_kib")
    goal("CLI time <= 1.5x curl", cli_s / c_s if cli_s else None, 1.5, ratio(cli_s, c_s))
    goal("CLI peak RSS <= 80 MiB", cli_rss / 1024 if cli_rss else None, 80, f"{(cli_rss or 0) / 1024:.0f} MiB")
    mp_s = num(rows, "module-progress", "seconds")
    goal("module, progress on, time <= 1.25x CLI", mp_s / cli_s if mp_s and cli_s else None, 1.25, ratio(mp_s, cli_s))
    for t in modes:
        rss = num(rows, t, "rss_kib")
        added = (rss - base) / 1024 if base is not None else None
        goal(f"{labels[t]}: adds <= 64 MiB to the host", added, 64, f"{fmt(added, 0)} MiB")
    print()

    straced = [t for t in ("strace-curl", "strace-cli") if (t, "calls_total") in rows]
    if straced:
        print("Per file: `strace -c -f`, all threads, start-up included, "
              f"{int(rows[straced[0], 'calls_total']['count']):,} files")
        print()
        print("| tool | completed | syscalls per file | vs curl | file-system calls per file | flushes (syncfs, fsync, "
              "fdatasync) | futex | sched_yield | top calls per file |")
        print("|---|---|---|---|---|---|---|---|---|")
        curl_per = None
        for t in straced:
            n = int(rows[t, "calls_total"]["count"])
            calls = {m[6:]: float(r["value"]) / n for (tt, m), r in rows.items()
                     if tt == t and m.startswith("calls_") and m != "calls_total"}
            errors = {m[7:]: float(r["value"]) / n for (tt, m), r in rows.items()
                      if tt == t and m.startswith("errors_") and m != "errors_total"}
            per = num(rows, t, "calls_total") / n
            curl_per = per if t == "strace-curl" else curl_per
            fs = sum(v for k, v in calls.items() if k in FS_CALLS)
            top = ", ".join(f"{k} {v:.2f}" + (f" ({errors[k]:.2f} failed)" if errors.get(k) else "")
                            for k, v in sorted(calls.items(), key=lambda kv: -kv[1])[:8])
            flushes = sum(calls.get(k, 0) for k in ("syncfs", "fsync", "fdatasync"))
            print(f"| {t[7:]} | {fmt(num(rows, t, 'completed'), 0)} | {per:.1f} | {ratio(per, curl_per)} | {fs:.1f} "
                  f"| {flushes:.3f} | {calls.get('futex', 0):.2f} | {calls.get('sched_yield', 0):.2f} | {top} |")
        print()
        print("File-system calls: " + " ".join(sorted(FS_CALLS)) + " (read/write are left out: sockets use them too).")


def many_small(path, run):
    data = collections.defaultdict(list)
    extra = {}
    head = None
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("run_utc") != run:
                continue
            head = head or row
            if row["tool"] == "neighbour":
                extra[row["condition"], row["metric"]] = float(row["value"])
            else:
                data[row["condition"], row["tool"], row["metric"]].append(float(row["value"]))
    if head is None:
        sys.exit(f"summarize: no rows of run {run} in {path}")
    print(f"run {run}, commit {head['commit']}, 1-min load at start {head['load1']}; "
          "2000 x 64 KiB from nginx on 127.0.0.1, 16 at once, rounds alternating the order")
    print()
    print("| condition | tool | runs | median s | min-max s | files/s | peak RSS MiB | median vs curl |")
    print("|---|---|---|---|---|---|---|---|")
    for cond in ("quiet", "neighbour"):
        tools = [t for t in ("curl", "downloader", "aria2c") if data.get((cond, t, "seconds"))]
        if not tools:
            continue
        base = statistics.median(data[cond, "curl", "seconds"]) if "curl" in tools else None
        for t in tools:
            secs = data[cond, t, "seconds"]
            med = statistics.median(secs)
            rss = max(data[cond, t, "rss_kib"]) / 1024
            print(f"| {cond} | {t} | {len(secs)} | {med:.2f} | {min(secs):.2f}-{max(secs):.2f} | {2000 / med:.0f} "
                  f"| {rss:.0f} | {ratio(med, base)} |")
    if extra:
        mib, secs = extra.get(("neighbour", "mib_written")), extra.get(("neighbour", "seconds"))
        if mib and secs:
            print()
            print(f"The neighbour wrote {mib:.0f} MiB in {secs:.0f} s while the tools ran ({mib / secs:.0f} MiB/s).")
    print()
    print("Goals of issue 12: the CLI within 1.3x of curl quiet, within 1.5x with the neighbour")
    for cond, limit in (("quiet", 1.3), ("neighbour", 1.5)):
        if data.get((cond, "downloader", "seconds")) and data.get((cond, "curl", "seconds")):
            r = statistics.median(data[cond, "downloader", "seconds"]) / statistics.median(data[cond, "curl", "seconds"])
            print(f"- {cond}: {r:.2f}x curl, {'met' if r <= limit else f'missed by {r / limit:.2f}x'}")


def strace_rows(path):
    """`strace -c` output -> calls_NAME / errors_NAME rows and their totals."""
    total_calls = total_errors = 0
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 5 or not parts[0][0].isdigit() or parts[-1] == "total":
                continue
            name = parts[-1]
            calls = int(parts[3])
            errors = int(parts[4]) if len(parts) == 6 else 0
            total_calls += calls
            total_errors += errors
            print(f"calls_{name}\t{calls}")
            if errors:
                print(f"errors_{name}\t{errors}")
    print(f"calls_total\t{total_calls}")
    print(f"errors_total\t{total_errors}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "hundred-k":
        hundred_k(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "many-small":
        many_small(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "strace-rows":
        strace_rows(sys.argv[2])
    else:
        sys.exit(__doc__)
