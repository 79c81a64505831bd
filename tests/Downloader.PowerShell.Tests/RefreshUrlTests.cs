using System.Management.Automation;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// Start-Download -RefreshUrl in a real PowerShell 7.6 engine: the scriptblock runs on the command's pipeline thread
/// in the caller's session, and the download continues from the bytes on disk.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class RefreshUrlTests
{
    private readonly OriginServer _origin;

    public RefreshUrlTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Expired_url_is_refreshed_by_a_scriptblock_on_the_pipeline_thread()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        ExpiringTokens tokens = _origin.Tokens(key);
        Uri signed = _origin.SignedUrl(403, key, "t1");
        Uri fresh = _origin.SignedUrl(403, key, tokens.Issue());

        PsResult result = ps.Run(
            """
            $fresh = $args[2]
            $pipelineThread = [Threading.Thread]::CurrentThread.ManagedThreadId
            $seen = [Collections.Generic.List[object]]::new()
            Start-Download $args[0] -Destination $args[1] -RefreshUrl {
                param($Item)
                $seen.Add([pscustomobject]@{
                    OnPipelineThread = [Threading.Thread]::CurrentThread.ManagedThreadId -eq $pipelineThread
                    Runspace = [runspace]::DefaultRunspace.InstanceId
                    Url = $Item.Url; CurrentUrl = $Item.CurrentUrl; StatusCode = $Item.StatusCode; Attempt = $Item.Attempt; Path = $Item.Path
                })
                $fresh
            }
            $seen
            """,
            null,
            signed.AbsoluteUri,
            dir.Path,
            fresh.AbsoluteUri);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(2, result.Output.Count);
        Assert.Equal("Completed", result.Property(0, "Status"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));

        // Once, on the thread that ran the script, in the caller's runspace (it read the caller's $fresh too).
        Assert.Equal(true, result.Property(1, "OnPipelineThread"));
        Assert.Equal(ps.Runspace.InstanceId, result.Property(1, "Runspace"));
        Assert.Equal(signed, result.Property(1, "Url"));
        Assert.Equal(signed, result.Property(1, "CurrentUrl"));
        Assert.Equal(403, result.Property(1, "StatusCode"));
        Assert.Equal(1, result.Property(1, "Attempt"));
        Assert.Equal(dir.File(key), result.Property(1, "Path"));

        // The first half, served under the expired token, was not fetched again.
        long first = tokens.ServedUnder("t1");
        long total = _origin.BodyBytesSentFor($"/expiring/403/{key}");
        Assert.True(first >= OriginServer.FileSize / 2, $"{first} bytes under the first token");
        Assert.True(total < OriginServer.FileSize * 3 / 2, $"the origin sent {total} bytes for a {OriginServer.FileSize}-byte file");
    }

    [Fact]
    public void Scriptblock_that_throws_fails_its_item_with_the_script_message_and_the_batch_carries_on()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string good = TestData.Key();

        PsResult result = ps.Run(
            "$args[0], $args[1] | Start-Download -Destination $args[2] -RefreshUrl { param($Item) throw \"no signing key for $($Item.StatusCode)\" }",
            null,
            _origin.SignedUrl(410, key, "t1").AbsoluteUri,
            _origin.Url($"file/{good}").AbsoluteUri,
            dir.Path);

        Assert.Null(result.Terminating);
        Assert.Equal(good, Assert.Single(result.Output).Properties["Name"].Value);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Contains("no signing key for 410", error.Exception.Message);
        Assert.Contains("HTTP 410", error.Exception.Message);
        Assert.False(File.Exists(dir.File(key)));
    }

    [Fact]
    public void RefreshUrl_with_AsJob_is_refused_before_anything_starts()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run(
            "Start-Download $args[0] -Destination $args[1] -AsJob -RefreshUrl { 'http://127.0.0.1/' }; @(Get-Job).Count",
            null,
            _origin.Url($"file/{TestData.Key()}").AbsoluteUri,
            dir.Path);

        // A terminating error of the command (the script goes on to its next statement): no job, no file.
        ErrorRecord refused = Assert.Single(result.Errors);
        Assert.Equal("Downloader.RefreshUrlWithAsJob,Downloader.PowerShell.Commands.StartDownloadCommand", refused.FullyQualifiedErrorId);
        Assert.Contains("-AsJob", refused.Exception.Message);
        Assert.Equal(0, Assert.Single(result.Values));
        Assert.Empty(dir.Files());
    }
}
