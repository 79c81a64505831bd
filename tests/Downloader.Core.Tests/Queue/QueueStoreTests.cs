using System.Net;
using Downloader.Core.Queue;

namespace Downloader.Core.Tests.Queue;

/// <summary>The queue's files: entries as written and read back, ids claimed once across writers, secrets refused.</summary>
public sealed class QueueStoreTests
{
    [Fact]
    public void An_entry_reads_back_as_written_with_its_options_and_result()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        var options = new DownloadOptions { MaxConnectionsPerFile = 3, Headers = new Dictionary<string, string> { ["X-Tag"] = "a \"quoted\"\tvalue\n" } };
        QueueEntry entry = QueueEntry.For(new DownloadRequest(new Uri("http://127.0.0.1:1/f.bin")) { Directory = dir.Path, ExpectedHash = ExpectedHash.Parse("sha256:" + new string('a', 64)) }, options, out string? refusal)!;
        Assert.Null(refusal);

        QueueEntry added = queue.Add(entry);
        queue.Save(added with { State = QueueEntryState.Failed, Result = new Results.DownloadResult { Status = DownloadStatus.Failed, Error = "boom", HttpStatus = 404 } });
        QueueEntry read = queue.Get(added.Id)!;

        Assert.Equal(1, read.Id);
        Assert.Equal("http://127.0.0.1:1/f.bin", read.Url);
        Assert.Equal(QueueEntryState.Failed, read.State);
        Assert.Equal(3, read.Options.ToOptions().MaxConnectionsPerFile);
        Assert.Equal("a \"quoted\"\tvalue\n", read.Options.ToOptions().Headers["X-Tag"]);
        Assert.Equal("sha256:" + new string('a', 64), read.ExpectedHash);
        Assert.Equal(404, read.Result!.HttpStatus);
        Assert.Equal("boom", read.Result.Error);
    }

    [Fact]
    public async Task Writers_adding_at_once_each_get_an_id_of_their_own()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry entry = QueueEntry.For(new DownloadRequest(new Uri("http://127.0.0.1:1/f.bin")) { Directory = dir.Path }, new DownloadOptions(), out _)!;

        const int writers = 32;
        using var start = new Barrier(writers);
        var threads = Enumerable.Range(0, writers).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return queue.Add(entry);
            },
            TaskCreationOptions.LongRunning));
        QueueEntry[] added = await Task.WhenAll(threads);

        Assert.Equal(Enumerable.Range(1, writers), added.Select(e => e.Id).Order());
        Assert.Equal(writers, queue.List().Count);
    }

    [Theory]
    [InlineData("password", "a password in its URL")]
    [InlineData("credential", "a credential (-Credential)")]
    [InlineData("header", "a secret header (Authorization)")]
    [InlineData("token", "a token (-Token)")]
    public void An_item_with_a_secret_is_refused_naming_it_and_nothing_is_written(string secret, string named)
    {
        using var dir = new TempDirectory();
        var url = new Uri(secret == "password" ? "http://user:s3cret@127.0.0.1:1/f.bin" : "http://127.0.0.1:1/f.bin");
        var options = secret switch
        {
            "credential" => new DownloadOptions { Credential = new NetworkCredential("user", "s3cret") },
            "header" => new DownloadOptions { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer s3cret" } },
            "token" => new DownloadOptions { Network = new Http.NetworkSettings { BearerToken = "s3cret" } },
            _ => new DownloadOptions(),
        };

        QueueEntry? entry = QueueEntry.For(new DownloadRequest(url) { Directory = dir.Path }, options, out string? refusal);

        Assert.Null(entry);
        Assert.Contains(named, refusal);
        Assert.Contains("127.0.0.1:1/f.bin", refusal);
        Assert.DoesNotContain("s3cret", refusal);
    }

    [Fact]
    public void Flat_json_reads_back_every_shape_it_writes()
    {
        string text = FlatJson.Write(new KeyValuePair<string, object?>[]
        {
            new("s", "\u0001\"\\/é"), new("n", 12345678901L), new("d", 1.5), new("t", true), new("f", false), new("a", new[] { "x", "y\"" }), new("skipped", null),
        });

        var fields = FlatJson.Read(text);

        Assert.Equal("\u0001\"\\/é", fields["s"]);
        Assert.Equal(12345678901d, fields["n"]);
        Assert.Equal(1.5, fields["d"]);
        Assert.Equal(true, fields["t"]);
        Assert.Equal(false, fields["f"]);
        Assert.Equal(new[] { "x", "y\"" }, (string[])fields["a"]!);
        Assert.False(fields.ContainsKey("skipped"));
        Assert.Throws<FormatException>(() => FlatJson.Read("{\"a\":"));
    }
}
