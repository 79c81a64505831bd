using System;
using System.Collections.Generic;
using System.Threading;
using Downloader.Core.Http;

namespace Downloader.Core.Transfer;

/// <summary>
/// One place a file can be fetched from: the request's URL (the primary) or a mirror. Each has its own
/// <see cref="RequestSender"/>, so credentials and redirects stay per origin; the primary's URL is read from the
/// transfer context each time, since the probe (and a refreshed URL) may change it.
/// </summary>
internal sealed class Source
{
    private readonly TransferContext? _context;
    private readonly Uri? _uri;
    private long _bytes;

    private Source(TransferContext? context, Uri? uri, RequestSender sender)
    {
        _context = context;
        _uri = uri;
        Sender = sender;
    }

    public static Source Primary(TransferContext context) => new(context, null, context.Sender);

    public static Source Mirror(Uri uri, RequestSender sender) => new(null, uri, sender);

    public bool IsPrimary => _context != null;

    /// <summary>Where requests go; the primary's is the probe's final URL.</summary>
    public Uri Uri => _context?.Uri ?? _uri!;

    public RequestSender Sender { get; }

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Why it was dropped; null while in use. Written under the pool's lock.</summary>
    public string? DropReason { get; set; }

    public void Add(long bytes) => Interlocked.Add(ref _bytes, bytes);

    // The pool's bookkeeping for its speed rule, written and read under the pool's lock only.

    /// <summary>The segments its connections are fetching now.</summary>
    public List<Planning.Segment> InFlight { get; } = new();

    /// <summary>When a connection first used it (a Stopwatch timestamp), or 0.</summary>
    public long FirstUse { get; set; }

    /// <summary>Connection-time spent on it before <see cref="LastChange"/>, in Stopwatch ticks.</summary>
    public long BusyTicks { get; set; }

    public long LastChange { get; set; }
}
