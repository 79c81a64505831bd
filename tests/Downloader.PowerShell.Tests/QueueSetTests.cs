using System.Diagnostics;
using System.Text.Json;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// Priority and limits on queue entries: stored in the entry's file by `queue add`, `queue set` and Set-Download,
/// and applied by a worker (another process) to the download it is running, measured at the origin.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class QueueSetTests
{
    private const double MB = 1024 * 1024;
    private readonly OriginServer _origin;

    public QueueSetTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Set_Download_from_another_process_caps_the_entry_its_worker_is_running()
    {
        using var lab = new QueueLab();

        // One connection of up to 8 MB/s, from an origin whose send buffer is fixed at 64 KB, measured from 1 s after
        // the change: all as in SetDownloadTests, which says why. With the shared origin's autotuned send buffer the
        // count swung with the megabytes its kernel held at the change: 0.05-0.99 MB/s in four runs, 1.21 once in CI.
        // With 64 KB, 0.89-0.98 MB/s in five runs beside two CPU burners.
        await using var origin = OriginServer.WithSendBuffer(64 * 1024);
        string path = $"/synthetic/{16L << 30}/{8 << 20}/{TestData.Key()}";
        var added = await lab.RunCliAsync("queue", "add", "--no-start", "--connections", "1", origin.Url(path).AbsoluteUri, "-d", lab.Downloads);
        Assert.True(added.ExitCode == 0, added.Stderr);
        lab.Start(lab.Cli("queue", "run"));
        await QueueLab.WaitUntilAsync(() => origin.BodyBytesSentFor(path) > 0, "the worker's download starts", 60);
        long first = origin.BodyBytesSentFor(path);
        var full = Stopwatch.StartNew();
        await QueueLab.WaitUntilAsync(() => origin.BodyBytesSentFor(path) >= first + 16 * MB, "the worker's download sends 16 MB more", 60);
        double fullSpeed = (origin.BodyBytesSentFor(path) - first) / full.Elapsed.TotalSeconds;

        var set = await lab.RunPwshAsync("Set-Download -Persisted -Id 1 -MaximumBytesPerSecond 1MB -PassThru | ForEach-Object MaximumBytesPerSecond");
        Assert.True(set.ExitCode == 0 && set.Stderr.Length == 0, set.Stdout + set.Stderr);
        Assert.Equal("1048576", set.Stdout.Trim());

        // The worker takes the change (its entry's file says so) within the 2 s, and runs on with it.
        await QueueLab.WaitUntilAsync(() => Limit(lab) == 1048576, "the worker's entry holds the new cap", 2);
        Assert.Equal("Running", lab.State(1));
        double rate = await OriginRateAsync(origin, path, from: TimeSpan.FromSeconds(1));

        Assert.True(fullSpeed > 4 * MB, $"full speed was only {fullSpeed / MB:0.0} MB/s: the test shows nothing");
        Assert.True(rate <= 1.2 * MB, $"after Set-Download -Persisted -MaximumBytesPerSecond 1MB the origin sent {rate / MB:0.00} MB/s (full speed {fullSpeed / MB:0.0} MB/s)");
        var removed = await lab.RunCliAsync("queue", "remove", "1", "--delete-partial");
        Assert.True(removed.ExitCode == 0, removed.Stderr);
    }

    [Fact]
    public async Task Queue_add_and_queue_set_and_piped_Set_Download_keep_priority_and_limits_in_the_entry()
    {
        using var lab = new QueueLab();
        string url = _origin.Url($"file/{TestData.Key()}").AbsoluteUri;
        var added = await lab.RunCliAsync("queue", "add", "--no-start", "--priority", "background", "--limit-rate", "2M", url, "-d", lab.Downloads);
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Equal(("Background", 2L << 20), Settings(lab));

        var set = await lab.RunCliAsync("queue", "set", "1", "--limit-rate", "500K", "--priority", "normal", "-x", "2");
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Equal(("Normal", 500L << 10), Settings(lab));
        Assert.Equal(2, lab.Entry(1)!.Value.GetProperty("connectionsPerFile").GetInt32());

        const string script = """
            Get-Download -Persisted -WarningAction SilentlyContinue | Set-Download -Priority Background -Threads 3 -PassThru | ForEach-Object { "$($_.Priority) $($_.Threads) $($_.MaximumBytesPerSecond)" }
            Set-Download -Persisted -Id 1 -MaximumBytesPerSecond 1 -WhatIf
            Get-Download -Persisted -Id 1 -WarningAction SilentlyContinue | ForEach-Object { "$($_.Priority) $($_.Threads) $($_.MaximumBytesPerSecond) $($_.ConnectionsPerFile)" }
            """;
        var piped = await lab.RunPwshAsync(script);
        Assert.True(piped.ExitCode == 0 && piped.Stderr.Length == 0, piped.Stdout + piped.Stderr);
        string[] lines = piped.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => !l.StartsWith("What if", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "Background 3 512000", "Background 3 512000 2" }, lines);

        var missing = await lab.RunCliAsync("queue", "set", "99", "--limit-rate", "1M");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No queue entry has the id 99", missing.Stderr);
    }

    private static long Limit(QueueLab lab) => lab.Entry(1)?.GetProperty("bytesPerSecondLimit").GetInt64() ?? -1;

    private static (string?, long) Settings(QueueLab lab)
    {
        JsonElement entry = lab.Entry(1)!.Value;
        return (entry.GetProperty("priority").GetString(), entry.GetProperty("bytesPerSecondLimit").GetInt64());
    }

    /// <summary>The rate <paramref name="origin"/> sent <paramref name="path"/> at over 3 s, starting <paramref name="from"/> from now.</summary>
    private static async Task<double> OriginRateAsync(OriginServer origin, string path, TimeSpan from)
    {
        await Task.Delay(from);
        long start = origin.BodyBytesSentFor(path);
        var window = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        return (origin.BodyBytesSentFor(path) - start) / window.Elapsed.TotalSeconds;
    }
}
