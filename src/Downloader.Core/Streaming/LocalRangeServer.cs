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
/// </summary>
public sealed class LocalRangeServer : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly TimeSpan HangUpPoll = TimeSpan.FromMilliseconds(100);
    private readonly StreamingSource _source;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task? _accepting;

    public LocalRangeServer(StreamingSource source, IPAddress address, int port)
    {
        _source = source;
        _listener = new TcpListener(address, port);
    }

    public Uri Url { get; private set; } = null!;

    /// <param name="fileName">The last path segment of the local URL, so players see a file name and extension.</param>
    public void Start(string fileName)
    {
        _listener.Start();
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        string host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        Url = new Uri($"http://{host}:{endpoint.Port}/{Uri.EscapeDataString(fileName)}");
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
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

            _ = Task.Run(() => ServeAsync(client));
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
                    Request? request = await Request.ReadAsync(stream, _stop.Token).ConfigureAwait(false);
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
    private async Task<bool> RespondAsync(Socket socket, Stream stream, Request request)
    {
        long length = _source.Length;
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
        if (request.Range != null && IsSingleByteRange(request.Range))
        {
            if (!TryParseRange(request.Range, length, out start, out end))
            {
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", $"Content-Range: bytes */{length}\r\nContent-Length: 0\r\n").ConfigureAwait(false);
                return true;
            }

            status = "206 Partial Content";
            extra = $"Content-Range: bytes {start}-{end}/{length}\r\n";
        }

        long count = Math.Max(0, end - start + 1);
        await WriteHeadAsync(stream, status, extra + $"Content-Length: {count}\r\nContent-Type: {_source.ContentType}\r\n").ConfigureAwait(false);
        if (request.Method == "HEAD")
        {
            return true;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int reader = _source.OpenReader();
        using var hungUp = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using var responded = new CancellationTokenSource();
        Task watch = WatchForHangUpAsync(socket, hungUp, responded.Token);
        try
        {
            long position = start;
            while (position <= end)
            {
                int n = await _source.ReadAsync(reader, position, buffer, (int)Math.Min(BufferSize, end - position + 1), hungUp.Token).ConfigureAwait(false);
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

        return true;
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

    private static bool IsSingleByteRange(string header)
    {
        string value = header.Trim();
        return value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) && value.IndexOf(',') < 0;
    }

    private static Task WriteHeadAsync(Stream stream, string status, string headers)
    {
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nAccept-Ranges: bytes\r\nCache-Control: no-store\r\nServer: downloader\r\n{headers}\r\n");
        return stream.WriteAsync(head, 0, head.Length);
    }

    /// <summary>One range, "bytes=a-b", "bytes=a-" or "bytes=-n"; false when it cannot be satisfied or is malformed.</summary>
    internal static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = 0;
        end = length - 1;
        string value = header.Trim();
        if (!IsSingleByteRange(value))
        {
            return false;
        }

        string[] parts = value.Substring(6).Split('-');
        if (parts.Length != 2)
        {
            return false;
        }

        bool hasStart = long.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long a);
        bool hasEnd = long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long b);
        if (!hasStart && hasEnd)
        {
            // The last b bytes.
            if (b == 0)
            {
                return false;
            }

            start = Math.Max(0, length - b);
            return length > 0;
        }

        if (!hasStart || a >= length)
        {
            return false;
        }

        start = a;
        end = hasEnd ? Math.Min(b, length - 1) : length - 1;
        return end >= start;
    }

    /// <summary>The parts of a request line and headers this server cares about.</summary>
    private sealed class Request
    {
        public string Method { get; private set; } = string.Empty;

        public string? Range { get; private set; }

        public bool KeepAlive { get; private set; } = true;

        public static async Task<Request?> ReadAsync(Stream stream, CancellationToken cancellationToken)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (head.Length < 16 * 1024)
            {
                int n = await stream.ReadAsync(one, 0, 1, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
                if (head.Length >= 4 && head[head.Length - 1] == '\n' && head.ToString(head.Length - 4, 4) == "\r\n\r\n")
                {
                    break;
                }
            }

            string[] lines = head.ToString().Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                return null;
            }

            var request = new Request { Method = lines[0].Split(' ')[0].ToUpperInvariant() };
            bool http10 = lines[0].EndsWith("HTTP/1.0", StringComparison.OrdinalIgnoreCase);
            request.KeepAlive = !http10;
            foreach (string line in lines)
            {
                int colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    continue;
                }

                string name = line.Substring(0, colon).Trim();
                string value = line.Substring(colon + 1).Trim();
                if (name.Equals("Range", StringComparison.OrdinalIgnoreCase))
                {
                    request.Range = value;
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    request.KeepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) || (!http10 && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
                }
            }

            return request;
        }
    }
}
