using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Downloader.Core.Http;
using Downloader.Core.Pipeline;
using Downloader.Core.Results;

namespace Downloader.Core.Transfer;

/// <summary>
/// The sources of one ranged transfer (the request's URL and its mirrors) and which connection uses which: lanes go
/// round-robin over the sources still in use, so connection 0 (which holds the probe's open response) starts on the
/// primary. A source that fails beyond its retries, lies about the range or the size, or goes silent while the others
/// deliver is dropped for the rest of the transfer; the segments it left go back to the map, where the connections
/// on the other sources take them. With no mirrors the pool drops nothing and the transfer behaves as before.
/// Concurrency: the list of sources in use is guarded by a lock, taken once per segment; byte counts are Interlocked.
/// </summary>
internal sealed class SourcePool
{
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

    /// <summary>Drops a source whose connection went silent while the others delivered (see SilentConnections).</summary>
    public void DropSilent(Source source)
    {
        if (HasMirrors && LiveCount > 1)
        {
            Drop(source, $"silent for {Planning.SilentConnections.StallSeconds:0.#} s while the other sources delivered");
        }
    }

    public int LiveCount
    {
        get
        {
            lock (_gate)
            {
                return _live.Count;
            }
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

    /// <summary>The sources of any transfer: the pool's for a ranged one, else the primary alone with every byte.</summary>
    public static IReadOnlyList<SourceBytes> Of(ITransfer transfer, DownloadRequest request) =>
        transfer is RangedTransfer ranged
            ? ranged.Sources.Report()
            : new[] { new SourceBytes { Url = UserInfo.Redacted(request.Uri), Bytes = transfer.BytesReceived } };

    private void Drop(Source source, string reason)
    {
        lock (_gate)
        {
            if (_live.Remove(source))
            {
                source.DropReason = reason;
            }
        }
    }

    private Uri Shown(Source source) => source.IsPrimary ? _shownPrimary : UserInfo.Redacted(source.Uri);

    private DownloadException AllDropped()
    {
        string which = string.Join("; ", _all.Select(s => $"{Shown(s)}: {s.DropReason}"));
        return new DownloadException(DownloadErrorKind.Network, $"{_shownPrimary}: every source failed ({which}).");
    }
}
