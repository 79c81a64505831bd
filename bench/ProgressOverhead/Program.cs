using System;
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
string url = args[0];
string outDir = args[1];
int rounds = int.Parse(args[2]);
// "every 10 ms" is a hundred times the real rate: if that costs little, the real once-a-second costs a hundredth of it.
var modes = new (string Name, TimeSpan Interval)[] { ("off", TimeSpan.FromDays(1)), ("every second", TimeSpan.FromSeconds(1)), ("every 10 ms", TimeSpan.FromMilliseconds(10)) };
var times = modes.ToDictionary(m => m.Name, _ => new System.Collections.Generic.List<double>());
var cpu = modes.ToDictionary(m => m.Name, _ => new System.Collections.Generic.List<double>());
for (int r = 0; r < rounds; r++)
{
    foreach (var (mode, interval) in r % 2 == 0 ? modes : modes.Reverse())
    {
        string dir = Path.Combine(outDir, $"{mode}-{r}");
        Directory.CreateDirectory(dir);
        var sink = new RenderingSink();
        var clock = Stopwatch.StartNew();
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        using (var session = new DownloadSession(new DownloadOptions { TotalConnections = 16, MaxConnectionsPerFile = 16 }, sink, interval))
        {
            session.Start();
            session.Add(UrlListReader.Parse(url, 1, dir));
            session.CompleteInput();
            await session.Completion;
            if (session.CompletedCount != 1)
            {
                throw new InvalidOperationException("download failed");
            }
        }

        times[mode].Add(clock.Elapsed.TotalSeconds);
        cpu[mode].Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        Console.Error.WriteLine($"  {mode} {clock.Elapsed.TotalSeconds:0.000}s ({sink.Records} progress records)");
        Directory.Delete(dir, recursive: true);
    }
}

double Median(System.Collections.Generic.List<double> xs) => xs.OrderBy(x => x).ElementAt(xs.Count / 2);
double offWall = Median(times["off"]);
double offCpu = Median(cpu["off"]);
Console.WriteLine("| progress | runs | median wall s | wall vs off | median CPU s | CPU vs off |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var (mode, _) in modes)
{
    double wall = Median(times[mode]);
    double c = Median(cpu[mode]);
    Console.WriteLine($"| {mode} | {rounds} | {wall:0.000} | {(wall / offWall - 1) * 100:+0.0;-0.0}% | {c:0.000} | {(c / offCpu - 1) * 100:+0.0;-0.0}% |");
}

// The sink-level cost, without network noise: 16 downloads held nearly still by a 1 KiB/s cap, and the reporter asked
// for a full round of records (parent plus one per file) many times.
{
    var limiter = new Downloader.Core.Transfer.BandwidthLimiter(1024);
    using var client = new DownloadClient(new DownloadOptions { MaxConnectionsPerFile = 1, BandwidthLimiter = limiter });
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
    Console.WriteLine($"One round of 17 progress records (batch + 16 files): {perRound:0.0} µs; at one round a second that is {perRound / 1e6 * 100:0.0000}% of a second.");
}

/// <summary>Renders each record the way the cmdlets do (strings for the host), and counts them.</summary>
internal sealed class RenderingSink : IPipelineSink
{
    private int _records;

    public int Records => Volatile.Read(ref _records);

    public void WriteResult(DownloadResult result)
    {
    }

    public void WriteFailure(DownloadResult result)
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
