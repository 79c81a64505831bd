using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Downloader.Core.Http;
using Downloader.Core.Pipeline;
using Downloader.Core.Planning;
using Downloader.Core.Results;

namespace Downloader.Core.Transfer;

/// <summary>
/// The sources of one ranged transfer (the request's URL and its mirrors) and which connection uses which: lanes go
/// round-robin over the sources still in use, so connection 0 (which holds the probe's open response) starts on the
/// primary. A source that fails beyond its retries, lies about the range or the size, or is much slower per
/// connection than another (<see cref="SlowFactor"/>; a silent one is, since its connection-time runs on without
/// bytes, and the map's stall rule has already handed its range on) is dropped for the rest of the transfer; the
/// segments its connections were fetching go back to the map (<see cref="SegmentMap.Preempt(Segment)"/>), where the
/// connections on the other sources take them. With no mirrors the pool drops nothing and the transfer
/// behaves as before.
/// Concurrency: the sources in use and their bookkeeping are guarded by a lock, taken at segment boundaries (never
/// across an await, and the map's lock is taken after it is let go); byte counts are Interlocked.
/// </summary>
internal sealed class SourcePool
{
    /// <summary>A source this many times slower per connection than the fastest other is dropped.</summary>
    public const double SlowFactor = 5;

    /// <summary>How long both must have been in use before their speeds are compared: start-up is not a speed.</summary>
    public const double CompareAfterSeconds = 1.5;

    private readonly object _gate = new();
    private readonly Uri _shownPrimary;
    private readonly List<Source> _all;
    private readonly List<Source> _live;

    /// <param name="lanes">The client's connections; may be null only when the request has no mirrors.</param>
    public SourcePool(TransferContext context, DownloadRequest request, ConnectionLanes? lanes)
    {
        _shownPrimary = UserInfo.Redacted(request.Uri);
        _all = new List<Source> { Source.Primary(context) };

        // The credentials of the options (and the credential headers) belong to the primary's origin; a mirror gets only
        // what its own URL carries (user:password@), like a redirect to another host.
        DownloadOptions mirrorOptions = context.Options with
        {
            Credential = null,
            Headers = context.Options.Headers
                .Where(h => !CredentialHeaders.IsCredential(h.Key))
                .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase),
        };
        foreach (Uri mirror in request.Mirrors)
        {
            _all.Add(Source.Mirror(mirror, new RequestSender(lanes!, mirrorOptions, mirror)));
        }

        _live = new List<Source>(_all);
    }

    /// <summary>Gives a dropped source's in-flight segments back to the map; set by the transfer that owns both.</summary>
    public Action<Segment>? Surrender { get; set; }

    /// <summary>Whether there is anything to spread over (and so anything to drop).</summary>
    public bool HasMirrors => _all.Count > 1;

    /// <summary>The source connection <paramref name="index"/> uses for its next segment.</summary>
    /// <exception cref="DownloadException">Every source was dropped.</exception>
    public Source For(int index)
    {
        lock (_gate)
        {
            if (_live.Count == 0)
            {
                throw AllDropped();
            }

            return _live[index % _live.Count];
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/> ends only <paramref name="source"/>'s part (it is then dropped) rather than the
    /// download: there are mirrors, and the error is the source's (not our disk, not a cancel, not a new version of the
    /// primary's file, which the restart policy handles).
    /// </summary>
    public bool TryDrop(Source source, DownloadException error)
    {
        bool sourcesFault = error.Kind switch
        {
            DownloadErrorKind.Storage or DownloadErrorKind.Cancelled => false,
            DownloadErrorKind.RemoteChanged => !source.IsPrimary,
            _ => true,
        };
        if (!HasMirrors || !sourcesFault)
        {
            return false;
        }

        Drop(source, UserInfo.Redact(error.Message));
        return true;
    }

    /// <summary>A connection starts fetching <paramref name="segment"/> from <paramref name="source"/>.</summary>
    public void Begin(Source source, Segment segment)
    {
        lock (_gate)
        {
            long now = Stopwatch.GetTimestamp();
            Accumulate(source, now);
            source.FirstUse = source.FirstUse == 0 ? now : source.FirstUse;
            source.InFlight.Add(segment);
        }
    }

    /// <summary>The connection is done with the segment (finished, failed or taken over).</summary>
    public void End(Source source, Segment segment)
    {
        lock (_gate)
        {
            Accumulate(source, Stopwatch.GetTimestamp());
            source.InFlight.Remove(segment);
        }
    }

    /// <summary>
    /// Drops the source in use whose bytes per connection-second are under 1/<see cref="SlowFactor"/> of another's,
    /// both in use for <see cref="CompareAfterSeconds"/>: its connections do better on the faster source.
    /// </summary>
    public void DropMuchSlower()
    {
        if (!HasMirrors)
        {
            return;
        }

        Source? slow = null;
        string? reason = null;
        lock (_gate)
        {
            long now = Stopwatch.GetTimestamp();
            var rated = _live
                .Where(s => s.FirstUse != 0 && (now - s.FirstUse) / (double)Stopwatch.Frequency >= CompareAfterSeconds)
                .Select(s => (Source: s, Rate: PerConnection(s, now)))
                .OrderBy(r => r.Rate)
                .ToList();
            if (rated.Count >= 2 && rated[0].Rate * SlowFactor < rated[rated.Count - 1].Rate)
            {
                slow = rated[0].Source;
                reason = $"{rated[0].Rate / 1024:0} KiB/s per connection, under 1/{SlowFactor:0} of {Shown(rated[rated.Count - 1].Source)}'s {rated[rated.Count - 1].Rate / 1024:0} KiB/s";
            }
        }

        if (slow != null)
        {
            Drop(slow, reason!);
        }
    }

    /// <summary>Each source and the bytes it gave, in the order given; what the result lists.</summary>
    public IReadOnlyList<SourceBytes> Report()
    {
        lock (_gate)
        {
            return _all.Select(s => new SourceBytes { Url = Shown(s), Bytes = s.Bytes, Dropped = s.DropReason }).ToList();
        }
    }

    private void Drop(Source source, string reason)
    {
        List<Segment> surrendered;
        lock (_gate)
        {
            if (!_live.Remove(source))
            {
                return;
            }

            source.DropReason = reason;
            surrendered = source.InFlight.ToList();
        }

        // Its other connections stop now instead of finishing their ranges from a source that is out.
        foreach (Segment segment in surrendered)
        {
            Surrender?.Invoke(segment);
        }
    }

    /// <summary>Adds the connection-time since the last change (under the lock).</summary>
    private static void Accumulate(Source source, long now)
    {
        if (source.LastChange != 0)
        {
            source.BusyTicks += source.InFlight.Count * (now - source.LastChange);
        }

        source.LastChange = now;
    }

    private static double PerConnection(Source source, long now)
    {
        double seconds = (source.BusyTicks + (source.InFlight.Count * (now - source.LastChange))) / (double)Stopwatch.Frequency;
        return seconds <= 0 ? double.MaxValue : source.Bytes / seconds;
    }

    private Uri Shown(Source source) => source.IsPrimary ? _shownPrimary : UserInfo.Redacted(source.Uri);

    private DownloadException AllDropped()
    {
        string which = string.Join("; ", _all.Select(s => $"{Shown(s)}: {s.DropReason}"));
        return new DownloadException(DownloadErrorKind.Network, $"{_shownPrimary}: every source failed ({which}).");
    }
}
