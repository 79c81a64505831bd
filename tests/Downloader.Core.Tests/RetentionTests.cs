using System.Runtime.CompilerServices;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// A long list runs under one session token for hours: a finished download must leave nothing reachable from it, or
/// memory grows with every URL (100,000 URLs used to cost the CLI 165 MiB).
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class RetentionTests
{
    private readonly OriginServer _origin;

    public RetentionTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_finished_download_is_not_kept_alive_by_the_session_token()
    {
        using var dir = new TempDirectory();
        using var session = new CancellationTokenSource();
        using var client = new DownloadClient(DownloadHarness.FastOptions());
        List<WeakReference> finished = await RunAsync(client, dir, session.Token, 20);

        // A download's last steps (a flush thread, a connection's disposal) may still hold it for a moment after its
        // Completion on a loaded machine; what must never happen is a link that stays. So collect until none is
        // reachable, bounded: the leak this guards kept all 20 reachable for as long as the session token lived.
        int alive = finished.Count;
        for (int attempt = 0; attempt < 100 && alive > 0; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(50);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            alive = finished.Count(w => w.IsAlive);
        }

        Assert.True(alive == 0, $"{alive} of {finished.Count} finished downloads' token links are still reachable while the session token lives");
        GC.KeepAlive(session);
    }

    // Not inlined, so no local of the caller's frame keeps a download alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<List<WeakReference>> RunAsync(DownloadClient client, TempDirectory dir, CancellationToken token, int count)
    {
        var references = new List<WeakReference>();
        for (int i = 0; i < count; i++)
        {
            FileDownload download = client.Start(new DownloadRequest(_origin.Url($"small/{TestData.Key()}")) { Directory = dir.Path }, token);
            DownloadResult result = await download.Completion.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(DownloadStatus.Completed, result.Status);
            // The download's own token source is linked to the session's: that link must go when the download ends.
            references.Add(new WeakReference(download.Cancellation));
        }

        return references;
    }
}
