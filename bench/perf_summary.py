#!/usr/bin/env python3
"""The tables of bench/perf.sh for one run, each figure beside its goal (issue 26).

  perf_summary.py RESULTS.tsv RUN_UTC
"""
import collections
import sys

from summarize import run_rows


def load(path, run):
    """(section, storage, count, kib, tool, metric) -> [values] of one run"""
    out = collections.defaultdict(list)
    for row in run_rows(path, run):
        key = (row["section"], row["storage"], int(row["count"]), int(row["kib"]), row["tool"], row["metric"])
        out[key].append(float(row["value"]))
    return out


def mean(values):
    return sum(values) / len(values) if values else None


def fmt(value, spec=".2f"):
    return "—" if value is None else format(value, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def verdict(value, limit, at_most=True):
    if value is None:
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    return ("met" if ok else "MISSED") + f" (goal {'≤' if at_most else '≥'} {limit}x)"


def main():
    rows = load(sys.argv[1], sys.argv[2])

    def get(section, storage, kib, tool, metric, count=None):
        values = [v for (s, st, c, k, t, m), vs in rows.items() for v in vs
                  if (s, st, k, t, m) == (section, storage, kib, tool, metric) and (count is None or c == count)]
        return mean(values)

    def count_of(section, storage, kib):
        counts = {c for (s, st, c, k, t, m) in rows if (s, st, k) == (section, storage, kib)}
        return max(counts) if counts else 0

    print("## CPU per 1,000 files, into tmpfs (user+sys seconds)")
    print("| files | curl | CLI | CLI, Native AOT | module (net of its host) | CLI / curl | AOT / curl | module / CLI |")
    print("|---|---|---|---|---|---|---|---|")
    for kib in (4, 64):
        n = count_of("cpu", "tmpfs", kib)
        if not n:
            continue
        per = lambda tool: ratio(get("cpu", "tmpfs", kib, tool, "cpu_s"), n / 1000)
        curl, cli, aot = per("curl"), per("cli"), per("cli-aot")
        module_raw, host = per("module"), per("baseline")
        module = module_raw - host if module_raw is not None and host is not None else None
        print(f"| {n:,} x {kib} KiB | {fmt(curl, '.3f')} | {fmt(cli, '.3f')} | {fmt(aot, '.3f')} | {fmt(module, '.3f')} | "
              f"{fmt(ratio(cli, curl))}x: {verdict(ratio(cli, curl), 1.5)} | {fmt(ratio(aot, curl))}x | "
              f"{fmt(ratio(module, cli))}x: {verdict(ratio(module, cli), 1.3)} |")

    print()
    print("## Wall time, the CLI against curl (mean of the runs in this run)")
    print("| work | where | curl s | CLI s | CLI / curl | CLI, Native AOT s | AOT / curl |")
    print("|---|---|---|---|---|---|---|")
    for kib, label in ((64, "64 KiB"), (4, "4 KiB")):
        for storage in ("tmpfs", "disk", "disk-busy"):
            n = count_of("wall", storage, kib)
            if not n:
                continue
            curl = get("wall", storage, kib, "curl", "seconds")
            cli = get("wall", storage, kib, "cli", "seconds")
            aot = get("wall", storage, kib, "cli-aot", "seconds")
            where = {"tmpfs": "tmpfs", "disk": "disk, after a sync",
                     "disk-busy": "disk, right after the other's run"}[storage]
            print(f"| {n:,} x {label} | {where} | {fmt(curl)} | {fmt(cli)} | "
                  f"{fmt(ratio(cli, curl))}x: {verdict(ratio(cli, curl), 1.2)} | {fmt(aot)} | {fmt(ratio(aot, curl))}x |")

    print()
    n = count_of("card", "tmpfs", 64)
    if n:
        card = get("card", "tmpfs", 64, "card", "seconds")
        iwr = get("card", "tmpfs", 64, "iwr", "seconds")
        parallel = get("card", "tmpfs", 64, "parallel", "seconds")
        print(f"## The design card's line in pwsh 7.6.10, {n:,} URLs of 64 KiB into tmpfs")
        print("| statement | seconds | vs the card's line |")
        print("|---|---|---|")
        print(f"| `$urls \\| Start-Download -Threads 10` | {fmt(card)} | 1x |")
        print(f"| `foreach ($u in $urls) {{ Invoke-WebRequest $u -OutFile … }}` | {fmt(iwr)} | "
              f"{fmt(ratio(iwr, card))}x slower: {verdict(ratio(iwr, card), 4, at_most=False)} |")
        print(f"| `ForEach-Object -Parallel {{ Invoke-WebRequest … }} -ThrottleLimit 10` | {fmt(parallel)} | "
              f"{fmt(ratio(parallel, card))}x slower: {verdict(ratio(parallel, card), 8, at_most=False)} |")
        print()

    n = count_of("wall", "tmpfs", 4)
    cli_rss = get("wall", "tmpfs", 4, "cli", "rss_kib", n)
    aot_rss = get("wall", "tmpfs", 4, "cli-aot", "rss_kib", n)
    module = get("memory", "tmpfs", 4, "module", "vmhwm_kib")
    host = get("memory", "tmpfs", 4, "baseline", "vmhwm_kib")
    added = module - host if module is not None and host is not None else None
    mib = lambda kib: None if kib is None else kib / 1024
    print(f"## Memory at {n:,} URLs (peak RSS, MiB)")
    print("| what | MiB | goal |")
    print("|---|---|---|")
    print(f"| the CLI | {fmt(mib(cli_rss), '.0f')} | {'met' if cli_rss and cli_rss <= 48 * 1024 else 'MISSED'} (≤ 48) |")
    print(f"| the CLI, Native AOT | {fmt(mib(aot_rss), '.0f')} | {'met' if aot_rss and aot_rss <= 48 * 1024 else 'MISSED'} (≤ 48) |")
    print(f"| the module, added to its host ({fmt(mib(host), '.0f')} alone, {fmt(mib(module), '.0f')} with it) | "
          f"{fmt(mib(added), '.0f')} | {'met' if added is not None and added <= 48 * 1024 else 'MISSED'} (≤ 48) |")

    print()
    short = [(k, v) for k, v in rows.items() if k[5] == "completed" and k[4] != "baseline" and mean(v) < k[2]]
    for (section, storage, count, kib, tool, _), values in short:
        print(f"WARNING: {section} {storage} {tool}: {mean(values):.0f} of {count} files complete")


if __name__ == "__main__":
    main()
