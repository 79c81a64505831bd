using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Results;

namespace Downloader.Core.Pipeline;

/// <summary>
/// Moves the bytes of one download from the network into a content sink: in ranges over several connections, or as
/// one stream. Run again after a pause, it continues from what it already holds (a single stream starts over, since
/// without ranges nothing else is safe). Restart cases come back as a <see cref="TransferOutcome"/>; anything else
/// that stops it is an exception.
/// </summary>
internal interface ITransfer
{
    /// <param name="handover">The download's lease and the probe's open body (starting at byte 0); the transfer owns both.</param>
    Task<TransferOutcome> RunAsync(Transfer.ProbeHandover handover, CancellationToken cancellationToken);

    long BytesReceived { get; }

    /// <summary>The length once known; a single stream of unknown length knows it only at the end.</summary>
    long Length { get; }

    int ConnectionsUsed { get; }

    /// <summary>The digest the target asked for (hex), when it was computed on the way (a single stream), else null.</summary>
    string? Hash { get; }

    IReadOnlyList<ConnectionProgress> Connections { get; }

    /// <summary>Where the bytes came from and how many each source gave (URLs as shown: no password).</summary>
    IReadOnlyList<SourceBytes> Sources { get; }

    /// <summary>Whether a state file was ever written, and so needs removing once the download is published.</summary>
    bool Checkpointed { get; }

    /// <summary>How many bytes from <paramref name="offset"/> on are written without a gap: what a stream may serve.</summary>
    long ContiguousFrom(long offset);

    /// <summary>Whether a connection is fetching at <paramref name="offset"/> or within <paramref name="within"/> bytes after it.</summary>
    bool IsFetchingNear(long offset, long within);

    /// <summary>A reader jumped: every connection drops what it has left and chooses again (a single stream cannot).</summary>
    void Regroup();
}
