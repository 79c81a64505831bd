using Downloader.Core.Priority;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;
using Downloader.Core.Transfer;

namespace Downloader.Core.Tests;

/// <summary>
/// The Background priority and the live limits against a real origin on loopback: the kernel's round-trip time read
/// from our own sockets, the controller running on it, and connections shed while a download runs.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class PriorityTests
{
    private readonly OriginServer _origin;

    public PriorityTests(OriginServer origin)
    {
        _origin = origin;
    }

    [SkippableFact]
    public async Task The_kernel_round_trip_time_of_a_socket_that_received_data_is_read()
    {
        Skip.IfNot(TcpRtt.Available, "this runtime cannot read TCP_INFO (netstandard2.0): request latency is used instead");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        using System.Net.Sockets.Socket client = await ConnectAsync(listener);
        using System.Net.Sockets.Socket server = await listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        byte[] block = new byte[1 << 20];
        Task sending = Task.Run(() =>
        {
            for (int i = 0; i < 16; i++)
            {
                server.Send(block);
            }

            server.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        for (int read; (read = await client.ReceiveAsync(buffer.AsMemory(), System.Net.Sockets.SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0;)
        {
            total += read;
        }

        await sending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(TcpRtt.TryRead(client, out TimeSpan rtt, out long received), "TCP_INFO gave no receiver round-trip time");
        Assert.Equal(16L << 20, total);
        Assert.True(received >= total, $"the kernel counted {received} bytes received, we read {total}");
        Assert.InRange(rtt, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
    }

    [SkippableFact]
    public async Task Background_gives_our_sockets_small_receive_buffers_and_another_priority_gives_them_room_again()
    {
        Skip.IfNot(TcpRtt.Available, "without our own sockets (netstandard2.0) Background paces reads instead");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        (System.Net.Sockets.Socket socket, SocketWatch watch) = await WatchedAsync(listener);
        using var owned = socket;

        watch.PacedBuffer = 8 * 1024;
        Assert.InRange(socket.ReceiveBufferSize, 1, 64 * 1024);

        watch.PacedBuffer = null;
        Assert.True(socket.ReceiveBufferSize >= 4 * 1024 * 1024, $"still {socket.ReceiveBufferSize} bytes after Background ended");
    }

    [SkippableFact]
    public async Task A_rate_cap_bounds_our_sockets_receive_buffers_to_a_quarter_second_of_it_and_no_cap_frees_them()
    {
        Skip.IfNot(TcpRtt.Available, "without our own sockets (netstandard2.0) there is no buffer to bound");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        (System.Net.Sockets.Socket socket, SocketWatch watch) = await WatchedAsync(listener);
        using var owned = socket;
        using var limits = new LiveLimits(new DownloadOptions { MaxConnectionsPerFile = 2 }, new BandwidthLimiter(0), null, watch, new DelaySamples(), TimeProvider.System);
        Assert.Null(watch.ReceiveBuffer);

        limits.MaximumBytesPerSecond = 1 << 20;
        Assert.Equal(128 * 1024, watch.ReceiveBuffer);

        // Linux doubles what it is given, for its own bookkeeping.
        Assert.InRange(socket.ReceiveBufferSize, 1, 256 * 1024);
        watch.PacedBuffer = 64 * 1024;
        Assert.Equal(64 * 1024, watch.ReceiveBuffer);
        watch.PacedBuffer = null;
        Assert.Equal(128 * 1024, watch.ReceiveBuffer);

        limits.MaximumBytesPerSecond = 0;
        Assert.Null(watch.ReceiveBuffer);
        Assert.True(socket.ReceiveBufferSize >= 4 * 1024 * 1024, $"still {socket.ReceiveBufferSize} bytes after the cap was lifted");
    }

    [Fact]
    public async Task A_Background_download_runs_its_controller_on_our_sockets_delay_and_completes()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        using var client = new DownloadClient(DownloadHarness.FastOptions() with { Priority = DownloadPriority.Background });
        DelayController controller = client.Limits.Controller!;
        Assert.NotNull(controller);
        double initial = controller.BytesPerSecond;

        // 1 MB/s per response, so the download outlasts many of the controller's 50 ms ticks however fast the machine.
        FileDownload download = client.Start(new DownloadRequest(_origin.Url($"slow/1000000/{key}")) { Directory = dir.Path });

        // Delay samples come in (the kernel's RTT of our own sockets on .NET 8, request latency on netstandard2.0), and
        // an idle loopback link has no queue, so the rate grows from where it started.
        await DownloadHarness.WaitUntilAsync(
            () => controller.Samples > 0 && (!TcpRtt.Available || client.Limits.KernelSamples > 0) && controller.BytesPerSecond > initial,
            20_000);
        DownloadResult result = await download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
    }

    [Fact]
    public async Task Fewer_connections_set_while_a_download_runs_close_the_extra_ones_at_their_next_request()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string path = $"/slow/100000/{key}";
        using var client = new DownloadClient(DownloadHarness.FastOptions(connections: 4) with { MaxRequestSize = 64 * 1024 });
        FileDownload download = client.Start(new DownloadRequest(_origin.Url(path)) { Directory = dir.Path });
        try
        {
            await DownloadHarness.WaitUntilAsync(() => download.GetProgress().Connections.Count == 4);

            client.Limits.ConnectionsPerFile = 1;

            // 4 connections at 100 kB/s each need 8 s for the file: well after this bound.
            await DownloadHarness.WaitUntilAsync(() => download.GetProgress().Connections.Count <= 1, 5_000);
            Assert.Equal(DownloadState.Downloading, download.State);
        }
        finally
        {
            download.Cancel();
            await download.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>A socket of our own connected to <paramref name="listener"/>, watched as a client's connections are.</summary>
    private static async Task<(System.Net.Sockets.Socket Socket, SocketWatch Watch)> WatchedAsync(System.Net.Sockets.TcpListener listener)
    {
        System.Net.Sockets.Socket socket = await ConnectAsync(listener);
        var watch = new SocketWatch();
        watch.Add(socket);
        return (socket, watch);
    }

    /// <summary>Starts <paramref name="listener"/> and connects a socket of our own to it.</summary>
    private static async Task<System.Net.Sockets.Socket> ConnectAsync(System.Net.Sockets.TcpListener listener)
    {
        listener.Start();
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync((System.Net.IPEndPoint)listener.LocalEndpoint).WaitAsync(TimeSpan.FromSeconds(10));
        return socket;
    }
}
