using System.Management.Automation;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The parameters DownloadCmdletBase shares reach the engine from every cmdlet that has them, and the one connection
/// policy decides a command's connections. The connections are read from the verbose line each command writes with
/// the options its job was built with, not from timing.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SharedParameterTests
{
    private const string Headers = "@{ 'X-Client' = 'downloader-test'; 'X-Api-Key' = 'k3y-s3cret' }";
    private const string ConnectionsLine = "-Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Connections:*' } | ForEach-Object Message";
    private readonly OriginServer _origin;

    public SharedParameterTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Start_Download_gives_one_url_on_the_command_line_the_connections_per_file_it_asks_for()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run($"Start-Download $args[0] -Destination $args[1] -ConnectionsPerFile 32 {ConnectionsLine}", null, _origin.Url($"file/{key}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Connections: 32 per file, 32 in all, 32 per host.", Assert.Single(result.Values));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void Start_Download_gives_a_list_from_the_pipeline_the_default_total()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key();
        string b = TestData.Key();

        PsResult result = ps.Run(
            $"$args[0], $args[1] | Start-Download -Destination $args[2] -ConnectionsPerFile 32 {ConnectionsLine}",
            null,
            _origin.Url($"file/{a}").AbsoluteUri,
            _origin.Url($"file/{b}").AbsoluteUri,
            dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Connections: 32 per file, 8 in all, 32 per host.", Assert.Single(result.Values));
        Assert.Equal(new[] { a, b }.Order(), dir.Files());
    }

    [Fact]
    public void Start_DownloadStream_sends_the_headers_it_is_given()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string url = _origin.Url($"needs-headers/{TestData.Key()}").AbsoluteUri;

        // Without the headers the origin answers 403 and no stream starts; with them the served bytes are the file's.
        PsResult result = ps.Run($$"""
            $refused = Start-DownloadStream $args[0] -Destination $args[1] -ErrorAction SilentlyContinue -ErrorVariable failure
            $null -eq $refused
            $failure.Count -gt 0
            $s = Start-DownloadStream $args[0] -Destination $args[1] -Headers {{Headers}}
            $request = [Net.Http.HttpRequestMessage]::new([Net.Http.HttpMethod]::Get, $s.Url)
            $request.Headers.Range = [Net.Http.Headers.RangeHeaderValue]::new(0, 65535)
            $http = [Net.Http.HttpClient]::new()
            $response = $http.SendAsync($request).GetAwaiter().GetResult()
            [Convert]::ToBase64String($response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult())
            Stop-Download -Job $s.Job
            Get-Job | Remove-Job -Force
            """, null, url, dir.Path);

        Assert.Null(result.Terminating);
        Assert.Equal(true, result.Values[0]);
        Assert.Equal(true, result.Values[1]);
        Assert.Equal(Convert.ToBase64String(_origin.Content.AsSpan(0, 65536)), result.Values[2]);
    }

    [Fact]
    public void Resume_Download_Path_takes_SkipCertificateCheck_and_ConnectionsPerFile()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        using var tls = new TlsOriginScope(_origin.Content);
        string key = TestData.Key();

        // A download from an untrusted certificate could not be resumed from disk before Resume-Download took the
        // shared parameters: the state file keeps no TLS choice, so -SkipCertificateCheck must be given again.
        PsResult result = ps.Run("""
            $job = Start-Download $args[0] -Destination $args[1] -SkipCertificateCheck -AsJob
            # Stopped once it has bytes to resume from (Stop-Job returns after their last checkpoint), bounded.
            for ($i = 0; $i -lt 600 -and -not ((Get-Download -Id $job.Id).BytesReceived -gt 500000); $i++) { [Threading.Thread]::Sleep(50) }
            Stop-Job $job
            Remove-Job $job
            $out = Resume-Download -Path $args[2] -SkipCertificateCheck -ConnectionsPerFile 2 -Verbose 4>&1
            ($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Connections:*' }).Message
            $out | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
            """, TimeSpan.FromSeconds(60), new Uri(tls.Origin.BaseUri, $"slow/300000/{key}").AbsoluteUri, dir.Path, dir.File(key));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Connections: 2 per file, 8 in all, 16 per host.", result.Values[0]);
        Assert.Equal(true, result.Property(1, "Resumed"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void PowerShell_sees_Resume_Download_s_shared_parameters_in_the_Path_set_only_with_their_validation()
    {
        using var ps = new PsSession();

        // What the metadata tier cannot prove: PowerShell puts the base's parameters, with the base's validation, in
        // Resume-Download's -Path set alone, and refuses them beside -Id.
        PsResult result = ps.Run("""
            $p = (Get-Command Resume-Download).Parameters
            foreach ($name in 'Headers', 'UserAgent', 'Credential', 'SkipCertificateCheck', 'TimeoutSec', 'ConnectionsPerFile') {
                $name + ':' + (@($p[$name].ParameterSets.Keys) -join ',')
            }
            ($p['TimeoutSec'].Attributes | Where-Object { $_ -is [ValidateRange] }).MaxRange
            try { Resume-Download -Id 1 -Headers @{ a = 'b' } -ErrorAction Stop; 'bound' } catch { $_.FullyQualifiedErrorId }
            (Get-Command Start-DownloadStream).Parameters.Keys -contains 'Proxy'
            """);

        Assert.Null(result.Terminating);
        Assert.Equal(
            new object[] { "Headers:Download", "UserAgent:Download", "Credential:Download", "SkipCertificateCheck:Download", "TimeoutSec:Download", "ConnectionsPerFile:Download", 86400 },
            result.Values.Take(7));
        Assert.StartsWith("AmbiguousParameterSet", (string)result.Values[7]);
        Assert.Equal(true, result.Values[8]);
    }

    /// <summary>An HTTPS origin with an untrusted certificate for one test, disposed synchronously.</summary>
    private sealed class TlsOriginScope : IDisposable
    {
        public TlsOriginScope(byte[] content)
        {
            Origin = new TlsOrigin(content);
        }

        public TlsOrigin Origin { get; }

        public void Dispose() => Origin.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
