using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Sessions;

// usage: ProgressOverhead URL OUTDIR ROUNDS
// Each run downloads the file Files times in one session, so that a run lasts several seconds: a once-a-second
// progress reporter has something to report, and single slow downloads average out.
const int Files = 6;
string url = args[0];
string outDir = args[1];
int rounds = int.Parse(args[2]);
// "every 10 ms" is a hundred times the real rate: if that costs little, the real once-a-second costs a hundredth of it.
var modes = new (string Name, TimeSpan Interval)[] { ("off", TimeSpan.FromDays(1)), ("every second", TimeSpan.FromSeconds(1)), ("every 10 ms", TimeSpan.FromMilliseconds(10)) };
var wall = modes.ToDictionary(m => m.Name, _ => new List<double>());
var cpu = modes.ToDictionary(m => m.Name, _ => new List<double>());

// Runs on this VM drift (the first ones are slower) and vary by a third, so: one warm-up run that does not count,
// the rounds cycling through all six orders of the three modes (each mode runs first, second and last equally
// often), and each mode compared with "off" of the same round.
int[][] orders = { new[] { 0, 1, 2 }, new[] { 1, 2, 0 }, new[] { 2, 0, 1 }, new[] { 2, 1, 0 }, new[] { 1, 0, 2 }, new[] { 0, 2, 1 } };
await RunAsync("warm-up", TimeSpan.FromDays(1));
for (int r = 0; r < rounds; r++)
{
    foreach (var (mode, interval) in orders[r % orders.Length].Select(i => modes[i]))
    {
        (double w, double c) = await RunAsync($"{mode}-{r}", interval);
        wall[mode].Add(w);
        cpu[mode].Add(c);
        Console.Error.WriteLine($"  round {r + 1} {mode}: {w:0.000} s wall, {c:0.000} s CPU");
    }
}

double Median(IEnumerable<double> xs)
{
    var sorted = xs.OrderBy(x => x).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

string Change(List<double> mode, List<double> off) =>
    $"{(Median(mode.Zip(off, (m, o) => m / o)) - 1) * 100:+0.0;-0.0}%";

Console.WriteLine($"| progress | runs | median wall s | wall vs off (median of rounds) | median CPU s | CPU vs off (median of rounds) |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var (mode, _) in modes)
{
    Console.WriteLine($"| {mode} | {rounds} | {Median(wall[mode]):0.000} | {Change(wall[mode], wall["off"])} | {Median(cpu[mode]):0.000} | {Change(cpu[mode], cpu["off"])} |");
}

async Task<(double Wall, double Cpu)> RunAsync(string name, TimeSpan interval)
{
    string dir = Path.Combine(outDir, name);
    Directory.CreateDirectory(dir);
    var sink = new RenderingSink();
    var clock = Stopwatch.StartNew();
    TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    using (var session = new DownloadSession(new DownloadOptions { TotalConnections = 16, MaxConnectionsPerFile = 16 }, sink, interval))
    {
        session.Start();
        for (int i = 0; i < Files; i++)
        {
            session.Add(UrlListReader.Parse($"{url}\tf{i}.bin", i + 1, dir));
        }

        session.CompleteInput();
        await session.Completion;
        if (session.CompletedCount != Files)
        {
            throw new InvalidOperationException("download failed");
        }
    }

    double seconds = clock.Elapsed.TotalSeconds;
    double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
    Directory.Delete(dir, recursive: true);
    return (seconds, cpuSeconds);
}

// The sink-level cost, without network noise: 16 downloads held nearly still by a 1 KiB/s cap, and the reporter asked
// for a full round of records (parent plus one per file) many times.
{
    using var client = new DownloadClient(new DownloadOptions { MaxConnectionsPerFile = 1, MaxBytesPerSecond = 1024 });
    var sink = new RenderingSink();
    var watch = Stopwatch.StartNew();
    var reporter = new ProgressReporter(sink, () => watch.Elapsed);
    var downloads = Enumerable.Range(0, 16)
        .Select(i => client.Start(new DownloadRequest(new Uri(url)) { Directory = Path.Combine(outDir, "still"), FileName = $"f{i}.bin" }))
        .ToList();
    downloads.ForEach(reporter.Started);
    await Task.Delay(500);
    const int rounds2 = 20_000;
    var tickClock = Stopwatch.StartNew();
    for (int i = 0; i < rounds2; i++)
    {
        reporter.Tick(force: true);
    }

    double perRound = tickClock.Elapsed.TotalMilliseconds * 1000 / rounds2;
    downloads.ForEach(d => d.Cancel(deletePartial: true));
    await Task.WhenAll(downloads.Select(d => d.Completion));
    Console.WriteLine();
    // The session ticks ten times a second whatever the interval, and a tick that sends nothing costs less than this.
    Console.WriteLine($"One tick that sends all 17 records (batch + 16 files): {perRound:0.0} µs. The session ticks 10 times a second, so progress costs at most {10 * perRound:0} µs per second: {10 * perRound / 1e6 * 100:0.000}% of one core.");
}

/// <summary>Renders each record the way the cmdlets do (strings for the host), and counts them.</summary>
internal sealed class RenderingSink : IPipelineSink
{
    private int _records;

    public int Records => Volatile.Read(ref _records);

    // Finished files go at once, so a run never holds more than a couple of them on the tmpfs.
    public void WriteResult(DownloadResult result)
    {
        if (result.Path != null)
        {
            File.Delete(result.Path);
        }
    }

    public void WriteFailure(DownloadResult result)
    {
    }

    public void WriteCancelled(DownloadResult result)
    {
    }

    public void WriteProgress(ProgressInfo progress)
    {
        _ = $"{progress.Activity}: {progress.StatusDescription} {progress.PercentComplete}%";
        Interlocked.Increment(ref _records);
    }

    public void WriteVerbose(string message)
    {
    }
}
