using Downloader.Core.Results;

namespace Downloader.Core.Tests;

/// <summary>Engine options tuned for tests: short delays and timeouts, small splits, frequent checkpoints.</summary>
public static class DownloadHarness
{
    public static DownloadOptions FastOptions(int connections = 4) => new()
    {
        MaxConnectionsPerFile = connections,
        MinSplitSize = 128 * 1024,
        MaxRetries = 4,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        ReadTimeout = TimeSpan.FromSeconds(1),
        ResponseTimeout = TimeSpan.FromSeconds(5),
        CheckpointInterval = TimeSpan.FromMilliseconds(100),
    };

    public static async Task<DownloadResult> DownloadAsync(Uri uri, string directory, DownloadOptions? options = null, string? expectedHash = null)
    {
        using var client = new DownloadClient(options ?? FastOptions());
        FileDownload download = client.Start(new DownloadRequest(uri) { Directory = directory, ExpectedHash = expectedHash == null ? null : ExpectedHash.Parse(expectedHash) });
        return await download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits (bounded) until a condition holds, polling.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(10);
        }
    }
}
