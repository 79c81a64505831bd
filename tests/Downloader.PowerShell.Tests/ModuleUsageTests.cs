using System.Management.Automation;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>The README's PowerShell examples and the module's surface, run as a user would in PowerShell 7.6.</summary>
[Collection(OriginCollection.Name)]
public sealed class ModuleUsageTests
{
    private static readonly string[] Cmdlets = { "Get-Download", "Register-DownloadService", "Resume-Download", "Set-Download", "Start-Download", "Start-DownloadStream", "Stop-Download", "Suspend-Download", "Unregister-DownloadService" };
    private readonly OriginServer _origin;

    public ModuleUsageTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void The_manifest_passes_Test_ModuleManifest_and_names_a_license_that_exists()
    {
        using var ps = new PsSession(importModule: false);

        PsResult result = ps.Run("$m = Test-ModuleManifest $args[0] -ErrorAction Stop; $m.LicenseUri.AbsoluteUri; $m.Version.ToString()", null, ModuleBuild.ManifestPath);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        string license = (string)result.Values[0];
        Assert.EndsWith("/LICENSE", license);
        Assert.True(File.Exists(Path.Combine(ModuleBuild.RepositoryRoot, "LICENSE")), "the manifest's LicenseUri names a LICENSE file the repository must hold");
    }

    [Fact]
    public void Import_exports_the_nine_cmdlets_with_help_and_imports_again_with_Force()
    {
        using var ps = new PsSession();

        PsResult result = ps.Run("""
            Import-Module $args[0] -Force
            Get-Command -Module Downloader | ForEach-Object { $_.Name + '|' + (Get-Help $_.Name).Synopsis }
            """, null, ModuleBuild.ManifestPath);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        string[] lines = result.Values.Cast<string>().Order().ToArray();
        Assert.Equal(Cmdlets, lines.Select(l => l.Split('|')[0]));
        Assert.All(lines, l => Assert.True(l.Split('|')[1].Trim().Length > 10, $"no synopsis: {l}"));
    }

    [Fact]
    public void A_list_of_urls_through_the_pipeline_downloads_every_one_and_reports_a_failure_by_id_and_target()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key();
        string b = TestData.Key();
        string missing = _origin.Url($"status/404/{TestData.Key()}").AbsoluteUri;
        File.WriteAllLines(dir.File("urls.txt"), new[] { _origin.Url($"file/{a}").AbsoluteUri, missing, _origin.Url($"file/{b}").AbsoluteUri });
        string output = Path.Combine(dir.Path, "out") + Path.DirectorySeparatorChar;

        PsResult result = ps.Run("Get-Content $args[0] | Start-Download -Threads 10 -Destination $args[1]", null, dir.File("urls.txt"), output);

        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Output.Count);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("Downloader.HttpStatus,Downloader.PowerShell.Commands.StartDownloadCommand", error.FullyQualifiedErrorId);
        Assert.Equal(missing, error.TargetObject?.ToString());
        Assert.Contains("404", error.Exception.Message);
        Assert.Equal(new[] { a, b }.Order(), Directory.GetFiles(output).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ErrorAction_Stop_makes_a_failed_item_terminating()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run(
            "try { Start-Download $args[0] -Destination $args[1] -ErrorAction Stop; 'not reached' } catch { 'caught ' + $_.FullyQualifiedErrorId }",
            null,
            _origin.Url($"status/404/{TestData.Key()}").AbsoluteUri,
            dir.Path);

        Assert.Equal(new object[] { "caught Downloader.HttpStatus,Downloader.PowerShell.Commands.StartDownloadCommand" }, result.Values);
    }

    [Fact]
    public void Csv_rows_bind_by_name_and_InMemory_returns_the_bytes()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            [pscustomobject]@{ Url = $args[0]; Destination = $args[1]; Sha256 = $args[2] } | Export-Csv $args[3]
            Import-Csv $args[3] | Start-Download
            $item = Start-Download $args[0] -InMemory
            $item.Content.Length
            """, null, _origin.Url($"file/{key}").AbsoluteUri, dir.File("renamed.bin"), TestData.Sha256(_origin.Content), dir.File("list.csv"));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("renamed.bin")));
        Assert.Equal(_origin.Content.Length, result.Values[1]);
    }

    [Fact]
    public void WhatIf_downloads_nothing()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -WhatIf", null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.Empty(result.Output);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void Progress_has_a_parent_and_a_child_per_file_and_completes_both()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1]", null, _origin.Url($"slow/1500000/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0, result.Describe());
        ProgressRecord[] records = result.Progress.ToArray();
        Assert.Contains(records, r => r.ParentActivityId < 0 && r.RecordType == ProgressRecordType.Processing);
        Assert.Contains(records, r => r.ParentActivityId >= 0 && r.RecordType == ProgressRecordType.Processing);
        Assert.Contains(records, r => r.ParentActivityId < 0 && r.RecordType == ProgressRecordType.Completed);
        Assert.Contains(records, r => r.ParentActivityId >= 0 && r.RecordType == ProgressRecordType.Completed);
        Assert.All(records, r => Assert.InRange(r.PercentComplete, -1, 100));
    }

    [Fact]
    public async Task CtrlC_keeps_the_partial_file_and_the_same_command_resumes_it()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _origin.Url($"slow/1000000/{key}").AbsoluteUri;

        PsResult stopped = await ps.RunAsync("Start-Download $args[0] -Destination $args[1]", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), url, dir.Path);
        Assert.IsType<PipelineStoppedException>(stopped.Terminating);
        Assert.Contains(key + ".part", dir.Files());

        PsResult resumed = ps.Run("Start-Download $args[0] -Destination $args[1]", null, url, dir.Path);
        Assert.True(resumed.Errors.Count == 0 && resumed.Terminating == null, resumed.Describe());
        Assert.Equal(true, resumed.Property(0, "Resumed"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.Equal(new[] { key }, dir.Files());
    }

    [Fact]
    public void Receive_Job_Keep_keeps_the_results_and_Wait_Job_waits()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run("""
            $job = Start-Download $args[0] -Destination $args[1] -AsJob
            $null = Wait-Job $job -Timeout 30
            @(Receive-Job $job -Keep).Count
            @(Receive-Job $job).Count
            @(Receive-Job $job).Count
            Remove-Job $job
            @(Get-Job).Count
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(new object[] { 1, 1, 0, 0 }, result.Values);
    }

    [Fact]
    public void Stop_Job_Remove_Job_Force_and_Stop_Download_end_running_jobs()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string slow = _origin.Url($"slow/300000/{TestData.Key()}").AbsoluteUri;

        PsResult result = ps.Run("""
            $a = Start-Download $args[0] -Destination $args[1] -AsJob
            Stop-Job $a
            $a.State
            $b = Start-Download $args[2] -Destination $args[1] -AsJob
            Remove-Job $b -Force
            @(Get-Job).Count
            $c = Start-Download $args[3] -Destination $args[1] -AsJob
            Stop-Download -Id $c.Id -PassThru | ForEach-Object { $_.State }
            $null = Wait-Job $c -Timeout 10
            $c.State
            """, TimeSpan.FromSeconds(60), slow, dir.Path, _origin.Url($"slow/300000/{TestData.Key()}").AbsoluteUri, _origin.Url($"slow/300000/{TestData.Key()}").AbsoluteUri);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Stopped", result.Values[0]);
        Assert.Equal(1, result.Values[1]);
        Assert.Equal("Stopped", result.Values.Last());
    }

    [Fact]
    public void Resume_Download_Path_finishes_what_a_stopped_job_left()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            $job = Start-Download $args[0] -Destination $args[1] -AsJob
            [Threading.Thread]::Sleep(800)
            Stop-Job $job
            Remove-Job $job
            Resume-Download -Path $args[2]
            """, TimeSpan.FromSeconds(60), _origin.Url($"slow/1000000/{key}").AbsoluteUri, dir.Path, dir.File(key));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.Equal(new[] { key }, dir.Files());
    }

    [Fact]
    public void A_stream_serves_its_url_and_Stop_Download_Finish_completes_the_file()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            $s = Start-DownloadStream $args[0] -Destination $args[1]
            $http = [Net.Http.HttpClient]::new()
            $bytes = $http.GetByteArrayAsync($s.Url).GetAwaiter().GetResult()
            $bytes.Length
            $codes = foreach ($path in '/', ('/' + ('0' * 32) + '/' + $s.Url.Segments[-1])) {
                [int]$http.GetAsync([Uri]::new($s.Url, $path)).GetAwaiter().GetResult().StatusCode
            }
            $foreign = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::Head, $s.Url)
            $foreign.Headers.Host = 'evil.example.com'
            $codes += [int]$http.SendAsync($foreign).GetAwaiter().GetResult().StatusCode
            $codes -join ','
            $s.Url.AbsolutePath
            Stop-Download -Job $s.Job -Finish
            $null = Wait-Job $s.Job -Timeout 30
            $s.Job.State
            (Receive-Job $s.Job | Where-Object { $_ -is [Downloader.PowerShell.Output.DownloadItem] }).Path
            """, TimeSpan.FromSeconds(60), _origin.Url($"file/{key}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(_origin.Content.Length, result.Values[0]);
        Assert.Equal("404,404,421", result.Values[1]);
        Assert.Matches($"^/[0-9a-f]{{32}}/{key}$", (string)result.Values[2]);
        Assert.Equal("Completed", result.Values[3]);
        Assert.Equal(dir.File(key), result.Values[4]);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void A_password_in_the_url_is_redacted_in_the_result_and_in_the_error_record()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string good = $"http://bob:pa55-w0rd@127.0.0.1:{_origin.BaseUri.Port}/file/{TestData.Key()}";
        string bad = $"http://bob:pa55-w0rd@127.0.0.1:{_origin.BaseUri.Port}/status/404/{TestData.Key()}";

        PsResult result = ps.Run("$args[0], $args[1] | Start-Download -Destination $args[2]", null, good, bad, dir.Path + Path.DirectorySeparatorChar);

        string shown = string.Join("\n", result.Output.Select(o => o.Properties["Url"].Value?.ToString()))
            + string.Join("\n", result.Errors.Select(e => e.TargetObject + " " + e.Exception.Message));
        Assert.DoesNotContain("pa55-w0rd", shown);
        Assert.Contains("bob:***@", result.Property(0, "Url")?.ToString());
        Assert.Contains("bob:***@", Assert.Single(result.Errors).TargetObject?.ToString());
    }

    [Fact]
    public void Resume_Download_Path_takes_the_secret_header_again_and_finishes()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("""
            $h = @{ 'X-Client' = 'downloader-test'; 'X-Api-Key' = 'k3y-s3cret' }
            $job = Start-Download $args[0] -Destination $args[1] -Headers $h -AsJob
            [Threading.Thread]::Sleep(1000)
            Stop-Job $job
            Remove-Job $job
            Resume-Download -Path $args[2] -Headers @{ 'X-Api-Key' = 'k3y-s3cret' }
            """, TimeSpan.FromSeconds(60), _origin.Url($"needs-headers/{key}").AbsoluteUri, dir.Path, dir.File(key));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(true, result.Property(0, "Resumed"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }
}
