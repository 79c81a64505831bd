using System.Management.Automation;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// Results and errors after a trip through PSSerializer, which is what remoting and Receive-Job from a remote job do
/// to them (README "Beyond one machine"): every public property still readable, the Deserialized. type names, the
/// format views applied to the copies, and error records keeping their id, category, redacted target and message.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class RemotingRoundTripTests
{
    // The live object, then its copy: serialized at the depth the module's types file asks for, as remoting does.
    private const string RoundTrip = """
        function RoundTrip($live) {
            $xml = [System.Management.Automation.PSSerializer]::Serialize($live)
            $live
            [System.Management.Automation.PSSerializer]::Deserialize($xml)
        }
        """;

    // What a script on the calling machine reads from a result: the same text from the live object and its copy.
    private const string ReadItem = """
        function ReadItem($x) {
            @($x.Url.Host, $x.Name, $x.Size, ($x.Status -eq 'Completed'), $x.Duration.TotalSeconds, $x.BytesPerSecond,
                $x.StartTime.UtcDateTime.ToString('o'), $x.EndTime.UtcDateTime.ToString('o'),
                $x.LastModified.UtcDateTime.ToString('o'), $x.Headers['Content-Type'], $x.Content.Length) -join '|'
        }
        """;

    private readonly OriginServer _origin;

    public RemotingRoundTripTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void A_file_download_result_survives_the_round_trip()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run(RoundTrip + ReadItem + """
            $item = Start-Download $args[0] -Destination $args[1]
            $pair = RoundTrip $item
            $pair
            ReadItem $pair[0]
            ReadItem $pair[1]
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(4, result.Output.Count);
        Assert.Equal("Downloader.PowerShell.Output.DownloadItem", result.Output[0].BaseObject.GetType().FullName);
        RoundTripAssert.Survives(result.Output[0].BaseObject, result.Output[1]);
        Assert.Contains("Deserialized.Downloader.PowerShell.Output.DownloadItem", result.Output[1].TypeNames);
        Assert.Equal(result.Values[2], result.Values[3]);
        Assert.StartsWith("127.0.0.1|", (string)result.Values[3]);
    }

    [Fact]
    public void An_in_memory_result_keeps_its_bytes_through_the_round_trip()
    {
        using var ps = new PsSession();

        PsResult result = ps.Run(RoundTrip + ReadItem + """
            $pair = RoundTrip (Start-Download $args[0] -InMemory)
            $pair
            ReadItem $pair[0]
            ReadItem $pair[1]
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        RoundTripAssert.Survives(result.Output[0].BaseObject, result.Output[1]);
        Assert.Equal(_origin.Content, result.Output[1].Properties["Content"].Value);
        Assert.Equal(result.Values[2], result.Values[3]);
        Assert.EndsWith("|" + _origin.Content.Length, (string)result.Values[3]);
    }

    [Fact]
    public void Get_Download_info_and_its_job_survive_the_round_trip()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run(RoundTrip + """
            $job = Start-Download $args[0] -Destination $args[1] -AsJob
            $null = Wait-Job $job -Timeout 30
            RoundTrip (Get-Download -Id $job.Id)
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal("Completed", result.Property(0, "State"));
        RoundTripAssert.Survives(result.Output[0].BaseObject, result.Output[1]);
        var job = (Job)result.Output[0].Properties["Job"].Value;
        var copiedJob = (PSObject)result.Output[1].Properties["Job"].Value;
        Assert.Equal(job.InstanceId, copiedJob.Properties["InstanceId"].Value);
        Assert.Equal("Completed", copiedJob.Properties["State"].Value);
    }

    [Fact]
    public void A_stream_info_survives_the_round_trip()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run(RoundTrip + """
            $global:s = Start-DownloadStream $args[0] -Destination $args[1]
            RoundTrip $s
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);
        try
        {
            Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
            RoundTripAssert.Survives(result.Output[0].BaseObject, result.Output[1], "HasMoreData");
        }
        finally
        {
            ps.Run("Stop-Download -Job $s.Job -Finish; $null = Wait-Job $s.Job -Timeout 30");
        }
    }

    [Theory]
    [InlineData("Start-Download $args[0] -Destination $args[1] -ErrorAction SilentlyContinue -ErrorVariable failure", "Downloader.HttpStatus,Downloader.PowerShell.Commands.StartDownloadCommand")]
    [InlineData("$j = Start-Download $args[0] -Destination $args[1] -AsJob; $null = Wait-Job $j -Timeout 30; Receive-Job $j -ErrorAction SilentlyContinue -ErrorVariable failure", "Downloader.HttpStatus")]
    public void A_failed_item_error_record_survives_the_round_trip_with_its_url_redacted(string download, string errorId)
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        var url = new UriBuilder(_origin.Url($"status/404/{TestData.Key()}")) { UserName = "reader", Password = "s3cr3t-pw" }.Uri;

        // FromPSObjectForRemoting is what the remoting client does to an error it receives: it rebuilds an ErrorRecord.
        PsResult result = ps.Run(download + """

            $xml = [System.Management.Automation.PSSerializer]::Serialize($failure[0])
            $copy = [System.Management.Automation.PSSerializer]::Deserialize($xml)
            $rebuild = [System.Management.Automation.ErrorRecord].GetMethod('FromPSObjectForRemoting', [Reflection.BindingFlags]'NonPublic,Static')
            $failure[0]
            $copy
            $rebuild.Invoke($null, @($copy))
            $xml
            """, null, url.AbsoluteUri, dir.Path);

        Assert.True(result.Terminating == null, result.Describe());
        var live = Assert.IsType<ErrorRecord>(result.Output[0].BaseObject);
        PSObject copy = result.Output[1];
        Assert.Equal(errorId, live.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidResult, live.CategoryInfo.Category);
        Assert.Equal("http://reader:***@" + url.Authority + url.PathAndQuery, live.TargetObject.ToString());
        Assert.Contains("404", live.Exception.Message);

        Assert.Equal("Deserialized.System.Management.Automation.ErrorRecord", copy.TypeNames[0]);
        Assert.Equal(live.FullyQualifiedErrorId, copy.Properties["FullyQualifiedErrorId"].Value);
        Assert.Equal((int)live.CategoryInfo.Category, copy.Properties["ErrorCategory_Category"].Value);
        Assert.Equal(live.TargetObject, copy.Properties["TargetObject"].Value);
        var exception = (PSObject)copy.Properties["Exception"].Value;
        Assert.Equal(live.Exception.Message, exception.Properties["Message"].Value);
        Assert.Equal("HttpStatus", exception.Properties["Kind"].Value);
        Assert.Equal(404, exception.Properties["StatusCode"].Value);

        var rebuilt = Assert.IsAssignableFrom<ErrorRecord>(result.Output[2].BaseObject);
        Assert.Equal(live.FullyQualifiedErrorId, rebuilt.FullyQualifiedErrorId);
        Assert.Equal(live.CategoryInfo.Category, rebuilt.CategoryInfo.Category);
        Assert.Equal(live.TargetObject, rebuilt.TargetObject);
        Assert.Equal(live.Exception.Message, rebuilt.Exception.Message);
        Assert.Equal(live.ToString(), rebuilt.ToString());

        Assert.DoesNotContain("s3cr3t-pw", (string)result.Values[3]);
    }

    [Fact]
    public void The_format_views_render_the_copies_as_they_render_the_live_objects()
    {
        using var itemDir = new TempDirectory();
        using var jobDir = new TempDirectory();
        using var streamDir = new TempDirectory();
        var host = new CapturingHost();
        using var ps = new PsSession(host);

        // Out-Host runs the formatting engine over the module's views at the width the capturing host reports.
        PsResult result = ps.Run(RoundTrip + """
            $item = RoundTrip (Start-Download $args[0] -Destination $args[1])
            $job = Start-Download $args[0] -Destination $args[2] -AsJob
            $null = Wait-Job $job -Timeout 30
            $info = RoundTrip (Get-Download -Id $job.Id)
            $global:s = Start-DownloadStream $args[0] -Destination $args[3]
            $stream = RoundTrip $s
            foreach ($pair in $item, $info, $stream) {
                $pair[0] | Out-Host
                $Host.UI.WriteLine('<copy>')
                $pair[1] | Out-Host
                $Host.UI.WriteLine('<next>')
            }
            Stop-Download -Job $s.Job -Finish
            $null = Wait-Job $s.Job -Timeout 30

            # What Invoke-Command adds to every object it returns: the table gains a PSComputerName column.
            $item[1].psobject.Properties.Add([psnoteproperty]::new('PSComputerName', 'dl1'))
            $item[1].psobject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $true))
            $item[1] | Out-Host
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, itemDir.Path, jobDir.Path, streamDir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        string[] rendered = host.Text.Split("<next>\n");
        Assert.Equal(4, rendered.Length);
        string[][] headers =
        {
            new[] { "Name", "Size", "Speed", "Time", "Status", "Hash", "Path" },
            new[] { "Id", "Name", "State", "Files", "Size", "%", "Speed", "ETA" },
            new[] { "Url", "Path" },
        };
        for (int i = 0; i < headers.Length; i++)
        {
            string[] both = rendered[i].Split("<copy>\n");
            Assert.Equal(2, both.Length);
            Assert.Equal(both[0], both[1]);
            string header = both[1].Split('\n').First(line => line.Trim().Length > 0);
            Assert.Equal(headers[i], header.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        string remote = rendered[3].Split('\n').First(line => line.Trim().Length > 0);
        Assert.Equal(headers[0].Append("PSComputerName"), remote.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
