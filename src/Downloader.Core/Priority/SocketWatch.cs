using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Priority;

/// <summary>
/// The sockets our client opened (through <c>SocketsHttpHandler.ConnectCallback</c>, so we own them), and the
/// kernel's round-trip time of each that received data since the last look (<see cref="TcpRtt"/>). A socket that
/// received nothing meanwhile is skipped: its figure is stale. Closed sockets are forgotten.
/// </summary>
internal sealed class SocketWatch
{
    private const int Released = 4 * 1024 * 1024;
    private readonly object _gate = new();
    private readonly List<Watched> _sockets = new();
    private int? _receiveBuffer;
    private int? _paced;
    private int? _capped;
    private int _pruneAt = 64;

    /// <summary>How many open sockets it watches; none means the caller must use another delay signal.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _sockets.Count;
            }
        }
    }

    /// <summary>
    /// The receive buffer every watched socket gets, and so the most the server may have in flight to it (null: the
    /// kernel's own, autotuned): the smaller of what the Background controller asks (<see cref="PacedBuffer"/>) and
    /// what the user's rate cap asks (<see cref="CappedBuffer"/>). Changing it costs one setsockopt per socket, and
    /// only when the value changes.
    /// </summary>
    public int? ReceiveBuffer => _receiveBuffer;

    /// <summary>The buffer the Background controller sets (BackgroundPacer.Apply); null when not Background.</summary>
    public int? PacedBuffer
    {
        get => _paced;
        set
        {
            _paced = value;
            Update();
        }
    }

    /// <summary>
    /// The buffer a rate cap sets (LiveLimits): under a cap the kernel must not take megabytes the client will read
    /// only at the capped rate, so the server's count follows the cap within moments of a change; null without one.
    /// </summary>
    public int? CappedBuffer
    {
        get => _capped;
        set
        {
            _capped = value;
            Update();
        }
    }

    private void Update()
    {
        Watched[] sockets;
        int? value;
        lock (_gate)
        {
            value = _paced is int p && _capped is int c ? Math.Min(p, c) : _paced ?? _capped;
            if (_receiveBuffer == value)
            {
                return;
            }

            _receiveBuffer = value;
            sockets = _sockets.ToArray();
        }

        // Back to no limit: the open sockets get a buffer big enough for any link, since a socket's own autotuning
        // cannot be given back once a size was set; new ones get the kernel's autotuned buffer.
        foreach (Watched watched in sockets)
        {
            Apply(watched.Socket, value ?? Released);
        }
    }

    public void Add(Socket socket)
    {
        if (!TcpRtt.Available)
        {
            return;
        }

        lock (_gate)
        {
            // Only a Background pacer samples (and so prunes) the list: a long batch at another priority opens
            // connection after connection, so closed ones are dropped here too, as the list doubles.
            if (_sockets.Count >= _pruneAt)
            {
                _sockets.RemoveAll(w => IsClosed(w.Socket));
                _pruneAt = Math.Max(64, 2 * _sockets.Count);
            }

            _sockets.Add(new Watched(socket));
            Apply(socket, _receiveBuffer);
        }
    }

    /// <summary>The lowest round-trip time among the sockets that received since the last call; null if none did.</summary>
    public TimeSpan? Sample()
    {
        Watched[] sockets;
        lock (_gate)
        {
            _sockets.RemoveAll(w => IsClosed(w.Socket));
            sockets = _sockets.ToArray();
        }

        TimeSpan? lowest = null;
        foreach (Watched watched in sockets)
        {
            if (TcpRtt.TryRead(watched.Socket, out TimeSpan rtt, out long received) && received != watched.Received)
            {
                watched.Received = received;
                lowest = lowest is TimeSpan l && l <= rtt ? l : rtt;
            }
        }

        return lowest;
    }

    private static void Apply(Socket socket, int? bytes)
    {
        try
        {
            if (bytes is int size)
            {
                socket.ReceiveBufferSize = size;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

#if NET8_0_OR_GREATER
    /// <summary>Opens a connection as SocketsHttpHandler would by itself, and watches its socket.</summary>
    public async ValueTask<Stream> ConnectAsync(System.Net.Http.SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Apply(socket, _receiveBuffer);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Add(socket);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private static bool IsClosed(Socket socket) => socket.SafeHandle.IsClosed;
#else
    private static bool IsClosed(Socket socket) => true;
#endif

    private sealed class Watched
    {
        public Watched(Socket socket)
        {
            Socket = socket;
        }

        public Socket Socket { get; }

        public long Received { get; set; } = -1;
    }
}
