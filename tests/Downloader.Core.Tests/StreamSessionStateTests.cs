using System.Net;
using Downloader.Core.Results;
using Downloader.Core.Streaming;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>The stream session's own state machine: its table, and the states real streams go through.</summary>
[Collection(OriginCollection.Name)]
public sealed class StreamSessionStateTests
{
    private static readonly (StreamState From, StreamState To)[] Legal =
    {
        (StreamState.NotStarted, StreamState.Starting), (StreamState.NotStarted, StreamState.Stopped),
        (StreamState.Starting, StreamState.Serving), (StreamState.Starting, StreamState.Stopped), (StreamState.Starting, StreamState.Failed),
        (StreamState.Serving, StreamState.Suspended), (StreamState.Serving, StreamState.Finishing),
        (StreamState.Serving, StreamState.Stopped), (StreamState.Serving, StreamState.Failed),
        (StreamState.Suspended, StreamState.Serving), (StreamState.Suspended, StreamState.Finishing),
        (StreamState.Suspended, StreamState.Stopped), (StreamState.Suspended, StreamState.Failed),
        (StreamState.Finishing, StreamState.Completed), (StreamState.Finishing, StreamState.Stopped), (StreamState.Finishing, StreamState.Failed),
    };

    private readonly OriginServer _origin;

    public StreamSessionStateTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Stream_state_moves_follow_the_table_and_final_states_never_move()
    {
        foreach (StreamState from in Enum.GetValues<StreamState>())
        {
            foreach (StreamState to in Enum.GetValues<StreamState>())
            {
                bool expected = Legal.Contains((from, to));
                Assert.True(expected == StreamStateMachine.IsLegal(from, to), $"{from} -> {to} should be {(expected ? "legal" : "refused")}");
            }
        }
    }

    [Fact]
    public async Task A_stream_serves_suspends_resumes_and_finishes_in_the_background_with_events_in_order()
    {
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".bin";
        _origin.AddFile(name, TestData.Bytes(2 * 1024 * 1024 + 3, seed: 11));
        using var session = new StreamSession(DownloadHarness.FastOptions());
        var seen = new List<StreamState>();
        session.Changed += (_, state) =>
        {
            lock (seen)
            {
                seen.Add(state);
            }
        };

        await session.StartAsync(new DownloadRequest(_origin.Url($"media/2000000/{name}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        Assert.True(session.Suspend());
        Assert.True(session.Resume());
        Assert.True(session.Finish());
        DownloadResult result = await session.Ended.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(StreamState.Completed, session.State);
        session.Stop(discard: false);
        Assert.Equal(StreamState.Completed, session.State);
        lock (seen)
        {
            Assert.Equal(new[] { StreamState.Starting, StreamState.Serving, StreamState.Suspended, StreamState.Serving, StreamState.Finishing, StreamState.Completed }, seen);
        }
    }

    [Fact]
    public async Task A_download_failing_while_serving_fails_the_session_and_a_stop_afterwards_changes_nothing()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        using var session = new StreamSession(DownloadHarness.FastOptions() with { MaxRetries = 0 });

        await session.StartAsync(new DownloadRequest(_origin.Url($"vanishing/{key}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        DownloadResult result = await session.Ended.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(DownloadStatus.Completed, result.Status);
        Assert.Equal(StreamState.Failed, session.State);
        Assert.NotNull(session.Error);
        session.Stop(discard: false);
        Assert.Equal(StreamState.Failed, session.State);
    }

    [Fact]
    public async Task A_start_without_a_length_fails_and_cancels_its_download()
    {
        using var dir = new TempDirectory();
        using var session = new StreamSession(DownloadHarness.FastOptions());

        await Assert.ThrowsAsync<DownloadException>(() => session.StartAsync(
            new DownloadRequest(_origin.Url($"nolength/{TestData.Key()}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None));

        Assert.Equal(StreamState.Failed, session.State);
        Assert.Equal(DownloadErrorKind.InvalidRequest, session.Failure!.Kind);
        Assert.True(session.Download!.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_download_that_completes_while_serving_leaves_the_session_serving_until_Finish_completes_it()
    {
        using var dir = new TempDirectory();
        using var session = new StreamSession(DownloadHarness.FastOptions());

        await session.StartAsync(new DownloadRequest(_origin.Url($"file/{TestData.Key()}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None);
        DownloadResult result = await session.Ended.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DownloadStatus.Completed, result.Status);
        Assert.Equal(StreamState.Serving, session.State);
        Assert.NotNull(session.Url);
        Assert.True(session.Finish());
        Assert.Equal(StreamState.Completed, session.State);
    }

    [Fact]
    public async Task A_stop_while_starting_leaves_no_listener_open()
    {
        using var dir = new TempDirectory();
        int port = FreePort();
        using var session = new StreamSession(DownloadHarness.FastOptions());

        // The user's Stop arrives while the session is starting: before it has a download to cancel or a server to
        // close, so the start itself must notice and close what it opened.
        session.Changed += (_, state) =>
        {
            if (state == StreamState.Starting)
            {
                session.Stop(discard: false);
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.StartAsync(
            new DownloadRequest(_origin.Url($"file/{TestData.Key()}")) { Directory = dir.Path }, IPAddress.Loopback, port, CancellationToken.None))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(StreamState.Stopped, session.State);
        Assert.Null(session.Url);

        // Binding the port again fails while the stream's listener is still open.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
