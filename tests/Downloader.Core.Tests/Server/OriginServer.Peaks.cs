using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// The most connections and requests the client had open at once, as the kernel shows them. Kestrel learns that a
/// client closed a connection on its own schedule: on a busy machine the request the client sends next, on a fresh
/// connection, can arrive before that, and a count kept by Kestrel's callbacks then sees one more than the client ever
/// had (with both cores busy, 2 runs in 40 of BatchTests' budget test saw 4 for a budget of 3). The client closed its
/// connection before it opened the next, so by the time the next one is counted the kernel already holds the close
/// (FIN or RST) on the old socket: a connection whose peer has closed it is not counted. A connection the client
/// really keeps open is always counted, so a client over its budget still fails.
/// </summary>
public sealed partial class OriginServer
{
    private readonly ConcurrentDictionary<string, Socket?> _open = new();
    private readonly ConcurrentDictionary<HttpContext, string> _answering = new();

    /// <summary>The most requests the client had in flight at once.</summary>
    public int PeakConcurrentRequests => Volatile.Read(ref _peakActive);

    /// <summary>The most TCP connections the client had open at once.</summary>
    public int PeakConnections => Volatile.Read(ref _peakConnections);

    private void ConnectionOpened(ConnectionContext connection)
    {
        _open[connection.ConnectionId] = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        InterlockedMax(ref _peakConnections, _open.Values.Count(s => !ClosedByPeer(s)));
    }

    private void ConnectionEnded(ConnectionContext connection) => _open.TryRemove(connection.ConnectionId, out _);

    private void RequestStarted(HttpContext context)
    {
        _answering[context] = context.Connection.Id;
        InterlockedMax(ref _peakActive, _answering.Values.Count(id => _open.TryGetValue(id, out Socket? s) && !ClosedByPeer(s)));
    }

    private void RequestEnded(HttpContext context) => _answering.TryRemove(context, out _);

    /// <summary>Whether the client has closed the socket: readable with nothing to read is its FIN; an error its RST.</summary>
    private static bool ClosedByPeer(Socket? socket)
    {
        if (socket == null)
        {
            return false;
        }

        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
