using System.Runtime.CompilerServices;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>How much of a piped list Start-Download holds: `Get-Content urls.txt | Start-Download` over a long list.</summary>
[Collection(OriginCollection.Name)]
public sealed class PipedInputTests
{
    // The engine's queue takes this many items ahead of the batch before a waiting producer waits (ItemQueue).
    private const int QueueBound = 1024;

    // More than the queue, the downloads in flight and the one waiting for a slot can take while nothing ends.
    private const int ListLength = QueueBound + 500;

    // How long the origin holds its answers at most: the list must not be read to its end meanwhile. Reading it to the
    // end takes a fraction of this; the bound only ends the wait for something that must not happen.
    private static readonly TimeSpan HeldFor = TimeSpan.FromSeconds(3);

    private readonly OriginServer _origin;

    public PipedInputTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_foreground_download_reads_piped_urls_as_the_batch_takes_them_not_the_whole_list()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string group = TestData.Key();
        var fed = new StrongBox<int>();
        using var readToTheEnd = new ManualResetEventSlim();

        // The producer counts what it has handed over, and says when it has handed over the last URL.
        const string script = """
            $base, $dir, $fed, $end, $count = $args
            1..$count |
                ForEach-Object { $fed.Value = $_; if ($_ -eq $count) { [void]$end.Set() }; "$base/f$_.bin" } |
                Start-Download -Destination $dir -Threads 1 |
                Measure-Object |
                ForEach-Object Count
            """;
        Task<PsResult> run = ps.RunAsync(
            script, TimeSpan.FromSeconds(120), stopWhen: null, _origin.Url($"held-group/{group}").AbsoluteUri, dir.Path, fed, readToTheEnd, ListLength);

        // While the origin answers nothing, no item ends: a command that holds only a window of its input stops
        // reading there, one that buffers the input reads the list to its end.
        bool wholeListRead = readToTheEnd.Wait(HeldFor);
        int fedWhileHeld = Volatile.Read(ref fed.Value);
        _origin.ReleaseHeld(group);
        PsResult result = await run;

        Assert.False(wholeListRead, $"the whole list of {ListLength} URLs was read while no download could end");
        Assert.True(fedWhileHeld <= QueueBound + 8, $"{fedWhileHeld} URLs read while no download could end");
        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(ListLength, Assert.Single(result.Values));
        Assert.Equal(ListLength, Directory.GetFiles(dir.Path, "f*.bin").Length);
    }
}
