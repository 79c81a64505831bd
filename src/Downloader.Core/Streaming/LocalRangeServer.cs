using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Streaming;

/// <summary>
/// A small HTTP/1.1 server for one file that may still be downloading: GET and HEAD, Accept-Ranges, 206 with
/// Content-Range, 416 for a range past the end, keep-alive, and any number of requests at once, as players and
/// browsers make them. Written on sockets rather than a web framework so the engine stays a netstandard2.0 library.
/// It serves one secret path to loopback names only (<see cref="StreamGuard"/>), with no CORS headers: a media
/// element plays it without them, and no other page may read it. Stopping waits for the responses it started.
/// </summary>
public sealed class LocalRangeServer : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly TimeSpan HangUpPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ZeroReadWait = TimeSpan.FromMilliseconds(20);
    private readonly StreamingSource _source;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _serving = new();
    private readonly IPAddress _address;
    private StreamGuard? _guard;
    private Task? _accepting;

    public LocalRangeServer(StreamingSource source, IPAddress address, int port)
    {
        _source = source;
        _listener = new TcpListener(address, port);
        _address = address;
    }

    public Uri Url { get; private set; } = null!;

    /// <param name="fileName">The last path segment of the local URL, so players see a file name and extension.</param>
    public void Start(string fileName)
    {
        _listener.Start();
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        string host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        _guard = new StreamGuard(fileName, _address, endpoint.Port);
        Url = new Uri($"http://{host}:{endpoint.Port}{_guard.Path}");
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();

        // The responses it started end with the stop token (every write and wait takes it); wait for them, bounded,
        // so no file handle outlives us. The accept loop first: it may still add a response it had accepted.
        Task accepting = _accepting ?? Task.CompletedTask;
        Wait(accepting);
        Task responses = Task.WhenAll(System.Linq.Enumerable.ToArray(_serving.Keys));
        Wait(responses);

        // Responses past the bound still read the token: it is disposed when the last of them ends, not under them.
        // So is the source's open file.
        _ = Task.WhenAll(accepting, responses).ContinueWith(
            _ =>
            {
                _stop.Dispose();
                _source.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    private static void Wait(Task task)
    {
        try
        {
            task.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            Task serving = Task.Run(() => ServeAsync(client));
            _serving[serving] = 0;
            _ = serving.ContinueWith(t => _serving.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (NetworkStream stream = client.GetStream())
        {
            client.NoDelay = true;
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    RequestHead? request = await RequestHead.ReadAsync(stream, _stop.Token).ConfigureAwait(false);
                    if (request == null || !await RespondAsync(client.Client, stream, request).ConfigureAwait(false) || !request.KeepAlive)
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The player closed the connection or seeked elsewhere.
            }
        }
    }

    /// <returns>Whether the connection may serve another request.</returns>
    private async Task<bool> RespondAsync(Socket socket, Stream stream, RequestHead request)
    {
        long length = _source.Length;
        if (!_guard!.IsAllowedHost(request.Host))
        {
            await WriteHeadAsync(stream, "421 Misdirected Request", "Content-Length: 0\r\nConnection: close\r\n").ConfigureAwait(false);
            return false;
        }

        if (!_guard.IsServedPath(request.Path))
        {
            await WriteHeadAsync(stream, "404 Not Found", "Content-Length: 0\r\n").ConfigureAwait(false);
            return true;
        }

        if (request.Method != "GET" && request.Method != "HEAD")
        {
            await WriteHeadAsync(stream, "405 Method Not Allowed", "Allow: GET, HEAD\r\nContent-Length: 0\r\n").ConfigureAwait(false);
            return true;
        }

        long start = 0;
        long end = length - 1;
        string status = "200 OK";
        string extra = string.Empty;
        // RFC 9110 lets a server ignore a Range it does not support (several ranges, other units): the whole file.
        if (request.Range != null && ByteRangeHeader.IsSingleByteRange(request.Range))
        {
            if (!ByteRangeHeader.TryParseRange(request.Range, length, out start, out end))
            {
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", $"Content-Range: bytes */{length}\r\nContent-Length: 0\r\n").ConfigureAwait(false);
                return true;
            }

            status = "206 Partial Content";
            extra = $"Content-Range: bytes {start}-{end}/{length}\r\n";
        }

        long count = Math.Max(0, end - start + 1);
        await WriteHeadAsync(stream, status, extra + $"Content-Length: {count}\r\nContent-Type: {_source.ContentType}\r\n").ConfigureAwait(false);
        if (request.Method != "HEAD")
        {
            await SendBodyAsync(socket, stream, start, end).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Sends bytes <paramref name="start"/> to <paramref name="end"/> as they become readable, until the client hangs up.</summary>
    private async Task SendBodyAsync(Socket socket, Stream stream, long start, long end)
    {
        using var hungUp = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using var responded = new CancellationTokenSource();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int reader = _source.OpenReader();
        Task watch = WatchForHangUpAsync(socket, hungUp, responded.Token);
        try
        {
            long position = start;
            while (position <= end)
            {
                int n = await _source.ReadAsync(reader, position, buffer, (int)Math.Min(BufferSize, end - position + 1), hungUp.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    // Not readable yet (bytes still in a writer's buffer): wait, never spin.
                    await Task.Delay(ZeroReadWait, hungUp.Token).ConfigureAwait(false);
                    continue;
                }

                await stream.WriteAsync(buffer, 0, n, hungUp.Token).ConfigureAwait(false);
                position += n;
            }
        }
        finally
        {
            responded.Cancel();
            await watch.ConfigureAwait(false);
            _source.CloseReader(reader);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Cancels a response whose client has gone. A player that seeks often just closes the connection; a response
    /// still waiting for bytes would otherwise go on pulling the download's connections towards a place nobody reads.
    /// </summary>
    private static async Task WatchForHangUpAsync(Socket socket, CancellationTokenSource hungUp, CancellationToken responded)
    {
        try
        {
            while (!responded.IsCancellationRequested)
            {
                await Task.Delay(HangUpPoll, responded).ConfigureAwait(false);

                // Readable with nothing to read means the peer closed; a pipelined next request leaves bytes to read.
                if (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
                {
                    hungUp.Cancel();
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
            hungUp.Cancel();
        }
    }

    // With the stop token: a client that pipelines requests and never reads would otherwise hold a head write, and
    // so its response, past the server's stop.
    private Task WriteHeadAsync(Stream stream, string status, string headers)
    {
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nAccept-Ranges: bytes\r\nCache-Control: no-store\r\nServer: downloader\r\n{headers}\r\n");
        return stream.WriteAsync(head, 0, head.Length, _stop.Token);
    }

}
