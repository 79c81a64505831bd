using System.Globalization;
using System.Management.Automation;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The defects the first real runs of the module found (issue 9), each as the script a user ran. Every script runs
/// under a deadline, so a regression fails here instead of hanging the run.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class JobDefectTests
{
    private readonly OriginServer _origin;

    public JobDefectTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void The_readme_job_sequence_completes_and_auto_removes_the_job()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        const string script = """
            $job = Start-Download $args[0] -Destination $args[1] -AsJob
            $listed = @(Get-Download -Id $job.Id).Count
            Suspend-Download -Id $job.Id
            Resume-Download -Id $job.Id
            $item = Receive-Job $job -Wait -AutoRemoveJob
            [pscustomobject]@{ Listed = $listed; Item = $item; Left = @(Get-Job).Count; State = $job.State }
            """;

        // About 3 s at 1 MB/s per connection: still running when Receive-Job starts waiting.
        PsResult result = ps.Run(script, TimeSpan.FromSeconds(60), _origin.Url($"slow/1000000/{key}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(1, result.Property(0, "Listed"));
        Assert.Equal(0, result.Property(0, "Left"));
        Assert.Equal("Completed", result.Property(0, "State"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void An_AsJob_whose_input_pipeline_fails_still_ends()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key();
        string b = TestData.Key();
        const string script = """
            try { $null = & { $args[0]; $args[1]; throw 'upstream failed' } $args[0] $args[1] | Start-Download -Destination $args[2] -AsJob -Name upstream } catch { }
            $job = Get-Job -Name upstream
            $null = Wait-Job $job -Timeout 30
            $job.State
            """;

        PsResult result = ps.Run(script, TimeSpan.FromSeconds(60), _origin.Url($"file/{a}").AbsoluteUri, _origin.Url($"file/{b}").AbsoluteUri, dir.Path);

        Assert.Null(result.Terminating);
        Assert.True(result.Output.Count == 1, string.Join(",", result.Values.Select(v => v + ":" + v.GetType())) + result.Describe());
        Assert.Equal("Completed", result.Values.Single());
        Assert.Equal(new[] { a, b }.Order(), dir.Files());
    }

    [Fact]
    public async Task Start_DownloadStream_stops_within_a_second_of_CtrlC()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        var stopAt = new TaskCompletionSource<DateTime>();

        PsResult result = await ps.RunAsync(
            "Start-DownloadStream $args[0] -Destination $args[1]",
            TimeSpan.FromSeconds(60),
            async _ =>
            {
                await Task.Delay(1000);
                stopAt.SetResult(DateTime.UtcNow);
            },
            _origin.Url($"hang/{TestData.Key()}").AbsoluteUri,
            dir.Path);
        TimeSpan afterStop = DateTime.UtcNow - await stopAt.Task;

        Assert.IsType<PipelineStoppedException>(result.Terminating);
        Assert.True(afterStop < TimeSpan.FromSeconds(1.5), $"returned {afterStop.TotalSeconds:0.0} s after Ctrl+C");
        Assert.Empty(ps.Run("@(Get-Job | Where-Object State -eq 'Running')").Output);
    }

    [Fact]
    public void Start_DownloadStream_reports_a_clear_error_when_the_origin_never_answers()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string url = _origin.Url($"hang/{TestData.Key()}").AbsoluteUri;

        PsResult result = ps.Run("Start-DownloadStream $args[0] -Destination $args[1] -TimeoutSec 2", TimeSpan.FromSeconds(60), url, dir.Path);

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("Downloader.Timeout,Downloader.PowerShell.Commands.StartDownloadStreamCommand", error.FullyQualifiedErrorId);
        Assert.True(error.Exception.Message.Contains("no answer within 2 s", StringComparison.Ordinal), error.Exception.Message);
        Assert.Equal(url, error.TargetObject?.ToString());
        Assert.Equal("Failed", ps.Run("(Get-Job)[0].State").Values.Single());
    }

    [Fact]
    public void A_serving_stream_job_disposed_without_a_stop_delivers_nothing_into_itself_while_torn_down()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            $s = Start-DownloadStream $args[0] -Destination $args[1]
            $seen = [System.Collections.Generic.List[string]]::new()
            $s.Job.add_StateChanged({ param($sender, $e) $seen.Add([string]$e.JobStateInfo.State) })
            $s.Job.Dispose()
            $seen.Count
            """, TimeSpan.FromSeconds(60), _origin.Url($"slow/300000/{key}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(0, result.Values[0]);
        Assert.True(File.Exists(dir.File(key) + ".part"), "the partial file is kept for a later resume");
    }

    [Fact]
    public void A_job_is_invisible_to_another_runspace()
    {
        using var dir = new TempDirectory();
        using var owner = new PsSession();
        using var other = new PsSession();
        string key = TestData.Key();

        owner.Run("$global:job = Start-Download $args[0] -Destination $args[1] -AsJob", null, _origin.Url($"slow/500000/{key}").AbsoluteUri, dir.Path);
        PsResult seen = other.Run("@(Get-Job).Count; @(Get-Download).Count; Get-Job | Remove-Job -Force");
        PsResult state = owner.Run("$job.State; @(Get-Download).Count; Stop-Job $job; $job.State");

        Assert.Equal(new object[] { 0, 0 }, seen.Output.Select(o => o.BaseObject));
        Assert.Equal(new object[] { "Running", 1, "Stopped" }, state.Values);
    }

    [Fact]
    public void An_empty_Sha256_column_means_no_hash()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key();
        string b = TestData.Key();
        const string script = """
            @(
                [pscustomobject]@{ Url = $args[0]; Sha256 = '' }
                [pscustomobject]@{ Url = $args[1]; Sha256 = $args[2] }
            ) | Start-Download -Destination $args[3]
            """;

        PsResult result = ps.Run(script, null, _origin.Url($"file/{a}").AbsoluteUri, _origin.Url($"file/{b}").AbsoluteUri, TestData.Sha256(_origin.Content), dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(2, result.Output.Count);
        Assert.Equal(new[] { a, b }.Order(), dir.Files());
    }

    [Theory]
    [InlineData(3, 400_000, 4, 0)]
    [InlineData(48, 100_000_000, 8, 8_000_000)]
    public void A_long_suspend_then_resume_fetches_only_the_bytes_not_kept(int mebibytes, int bytesPerSecond, int connections, int clientLimit)
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string name = TestData.Key() + ".bin";
        byte[] content = TestData.Bytes(mebibytes * 1024 * 1024, seed: mebibytes);
        _origin.AddFile(name, content);
        string path = $"/media/{bytesPerSecond}/{name}";
        const string suspend = """
            $global:job = Start-Download $args[0] -Destination $args[1] -ConnectionsPerFile $args[2] -MaximumBytesPerSecond $args[3] -AsJob
            [Threading.Thread]::Sleep(1500)
            Suspend-Download -Job $job
            [Threading.Thread]::Sleep(6000)
            (Get-Download | Where-Object Id -eq $job.Id).BytesReceived
            """;
        const string resume = """
            Resume-Download -Job $job
            $null = Wait-Job $job -Timeout 60
            Receive-Job $job
            Remove-Job $job
            """;

        PsResult suspended = ps.Run(suspend, TimeSpan.FromSeconds(30), _origin.Url(path.TrimStart('/')).AbsoluteUri, dir.Path, connections, clientLimit);
        Assert.True(suspended.Errors.Count == 0 && suspended.Terminating == null, suspended.Describe());
        long kept = Assert.IsType<long>(Assert.Single(suspended.Output).BaseObject);
        (long Start, long End)[] durable = StateFileRanges(dir.File(name) + ".downloader");
        int requestsBefore = _origin.RequestLog(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        PsResult resumed = ps.Run(resume, TimeSpan.FromSeconds(90));

        Assert.True(resumed.Errors.Count == 0 && resumed.Terminating == null, resumed.Describe());
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(dir.File(name)));
        Assert.InRange(kept, 1, content.Length - 1);
        Assert.Equal(kept, durable.Sum(r => r.End - r.Start));

        // What was sent but not kept at the suspend (socket buffers, a read under way) is lost, and how much that is
        // depends on the kernel's buffers and the machine's load; a connection that takes half of another's range
        // near the end loses what the other had buffered past the split. Neither is the defect: after the resume no
        // request may start inside what the download kept.
        string log = _origin.RequestLog(path);
        foreach (string line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(requestsBefore))
        {
            long first = long.Parse(line.Substring("bytes=".Length, line.IndexOf('-') - "bytes=".Length), CultureInfo.InvariantCulture);
            Assert.False(durable.Any(r => first >= r.Start && first < r.End), $"after the resume a request starts at byte {first}, which the download kept at the suspend ({line}):\n{log}");
        }
    }

    /// <summary>The byte ranges a state file records as written, from its "ranges a-b,c-d" line ([a, b) each).</summary>
    private static (long Start, long End)[] StateFileRanges(string path)
    {
        string line = File.ReadAllLines(path).Single(l => l.StartsWith("ranges ", StringComparison.Ordinal));
        return line.Substring("ranges ".Length).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(r => r.Split('-'))
            .Select(p => (long.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();
    }

    [Fact]
    public void AsJob_with_WhatIf_starts_and_registers_nothing()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -AsJob -WhatIf; @(Get-Job).Count; @(Get-Download).Count", null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.Equal(new object[] { 0, 0 }, result.Output.Select(o => o.BaseObject));
        Assert.Empty(dir.Files());
    }
}
