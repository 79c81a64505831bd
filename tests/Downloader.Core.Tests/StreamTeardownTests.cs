using System.Net;
using System.Net.Sockets;
using System.Text;
using Downloader.Core.Streaming;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Stopping a stream ends every response its local server started, also one held by a player that never reads:
/// nothing of the server runs on past its stop, reading a stop token it has disposed.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class StreamTeardownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly OriginServer _origin;

    public StreamTeardownTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Stopping_ends_a_response_whose_player_pipelines_requests_and_never_reads()
    {
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".mp4";
        _origin.AddFile(name, TestData.Bytes(256 * 1024, seed: 25));
        var session = new StreamSession(new DownloadOptions());
        Uri local = await session.StartAsync(new DownloadRequest(_origin.Url($"media/4000000/{name}")) { Directory = dir.Path }, IPAddress.Loopback, 0, CancellationToken.None).WaitAsync(Bound);

        // A player that sends request after request on one connection and reads none of the answers: the server's
        // answers fill both sides' buffers, it is left writing one, and stops reading, so our sends stop completing.
        using var player = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await player.ConnectAsync(IPAddress.Loopback, local.Port);
        byte[] requests = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat($"GET /x HTTP/1.1\r\nHost: 127.0.0.1:{local.Port}\r\n\r\n", 64)));
        Task<int> pending = await SendUntilTheServerStopsReadingAsync(player, requests);

        await Task.Run(session.Dispose).WaitAsync(Bound);

        // Once stopped, the server has ended that response and closed the connection, so a send fails: the one it
        // left waiting, or the next. A response still writing would keep the connection open and the send waiting.
        SocketException? ended = null;
        for (int i = 0; i < 100 && ended == null; i++)
        {
            try
            {
                await pending.WaitAsync(Bound);
                pending = player.SendAsync(requests, SocketFlags.None);
            }
            catch (SocketException e)
            {
                ended = e;
            }
            catch (TimeoutException)
            {
                Assert.Fail($"{Bound.TotalSeconds} s after the stream stopped, its server still holds a response for a player that never reads.");
            }
        }

        Assert.NotNull(ended);
    }

    /// <summary>Sends until a send stays waiting: the server has stopped reading. Returns that send.</summary>
    private static async Task<Task<int>> SendUntilTheServerStopsReadingAsync(Socket player, byte[] requests)
    {
        // A server that can still write reads on, and takes a send within moments; one that has not taken it in 5 s
        // is stuck writing an answer nobody reads. Bounded: 200,000 requests' answers are far more than any socket
        // buffers hold.
        for (int i = 0; i < 200_000 / 64; i++)
        {
            Task<int> send = player.SendAsync(requests, SocketFlags.None);
            if (await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(5))) != send)
            {
                return send;
            }

            await send;
        }

        throw new InvalidOperationException("The server read every request although nothing read its answers.");
    }
}
