using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Planning;

namespace Downloader.Core.Transfer;

/// <summary>
/// One connection of a transfer, and everything it holds: its lease from the budget (on the host it fetches from),
/// its source, its HTTP/2 lane and, for the connection made from the probe's handover, the probe's open body until a
/// request at byte 0 uses it. Every connection checks segments out of the map and returns them the same way. Created
/// and disposed only inside the transfer; used by one worker at a time.
/// </summary>
internal sealed class Connection : IDisposable
{
    private static readonly TimeSpan ShedPoll = TimeSpan.FromSeconds(1);
    private IDisposable? _lease;
    private string? _leaseHost;
    private HttpResponseMessage? _body;
    private long _bodyEnd;

    /// <param name="lane">Its index in the transfer: its lane when the server speaks HTTP/2.</param>
    /// <param name="handover">The download's lease and the probe's body, for the first connection; it owns them now.</param>
    public Connection(int lane, ProbeHandover? handover = null)
    {
        Lane = lane;
        _lease = handover?.Lease;
        _leaseHost = handover?.LeaseHost;
        _body = handover?.Body;
        _bodyEnd = handover?.BodyEnd ?? -1;
    }

    public int Lane { get; }

    /// <summary>Whether it still holds the probe's open body, unused.</summary>
    public bool HoldsBody => _body != null;

    /// <summary>Where its requests go (the URL or a mirror); null for the probe's URL alone (a single stream).</summary>
    public Source? Source { get; set; }

    /// <summary>Whether it must wait for a lease before it may fetch from <paramref name="host"/>.</summary>
    public bool NeedsLease(ConnectionBudget? budget, string host) => budget != null && (_lease == null || _leaseHost != host);

    /// <summary>Holds a lease on <paramref name="host"/>, waiting for one if it has none there (each mirror's limit holds).</summary>
    public async Task LeaseAsync(ConnectionBudget? budget, string host, CancellationToken cancellationToken)
    {
        if (budget != null && NeedsLease(budget, host))
        {
            ReturnLease();
            _lease = await budget.AcquireAsync(host, cancellationToken).ConfigureAwait(false);
            _leaseHost = host;
        }
    }

    /// <summary>
    /// Points the connection at <paramref name="source"/> and holds a lease on its host, waiting for one if need be;
    /// <paramref name="waiting"/> is set before such a wait, since a connection that waits must not hold up the start.
    /// </summary>
    public async Task UseAsync(Source source, ConnectionBudget? budget, TaskCompletionSource<bool> waiting, CancellationToken cancellationToken)
    {
        Source = source;
        string host = ConnectionBudget.ServerOf(source.Uri);
        if (NeedsLease(budget, host))
        {
            waiting.TrySetResult(true);
            await LeaseAsync(budget, host, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// While the limits do not allow this connection (Set-Download lowered the connections, or the Background
    /// controller shed it), holds no lease and waits for their next change (or a second, at most); false when it may
    /// fetch.
    /// </summary>
    public async Task<bool> WaitWhileShedAsync(LiveLimits limits, CancellationToken cancellationToken)
    {
        Task changed = limits.Changed;
        if (limits.Allows(Lane))
        {
            return false;
        }

        ReturnLease();
        await Task.WhenAny(changed, Task.Delay(ShedPoll, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return true;
    }

    /// <summary>Gives the lease back while it has no work, so another file can use it.</summary>
    public void ReturnLease()
    {
        _lease?.Dispose();
        _lease = null;
        _leaseHost = null;
    }

    /// <summary>
    /// Its next segment: with the probe's body still in hand, the segment that body belongs to (at byte 0); else
    /// what the selector gives. A body no segment can use any more is closed.
    /// </summary>
    public Segment? CheckOut(SegmentMap map, IPieceSelector selector)
    {
        if (_body != null && map.AcquireAt(0) is Segment first)
        {
            return first;
        }

        DropBody();
        return map.Acquire(selector);
    }

    /// <summary>Gives the segment back: unwritten claims return to the pool, and anyone may take the rest.</summary>
    public static void Return(SegmentMap map, Segment segment) => map.Release(segment);

    /// <summary>The probe's open body if it starts at <paramref name="offset"/>; handed out once, the caller owns it.</summary>
    public HttpResponseMessage? TakeBody(long offset, out long end)
    {
        end = _bodyEnd;
        if (offset != 0)
        {
            return null;
        }

        HttpResponseMessage? body = _body;
        _body = null;
        return body;
    }

    public void Dispose()
    {
        DropBody();
        ReturnLease();
    }

    private void DropBody()
    {
        _body?.Dispose();
        _body = null;
    }
}
