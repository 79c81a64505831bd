using Downloader.Core.Planning;
using Downloader.Core.Probing;

namespace Downloader.Core.Pipeline;

/// <summary>
/// The decision between the probe and the transfer, made without touching the network or the disk: fetch in ranges
/// over several connections or as one stream, how many segments to cut up front, and where the transfer resumes.
/// </summary>
internal sealed record TransferPlan
{
    public bool Ranged { get; init; }

    /// <summary>The bytes already saved (a resumed file); empty for a fresh download and always for a single stream.</summary>
    public RangeSet Done { get; init; } = new();

    /// <summary>Segments cut before any connection starts (1: connections split work off as they come).</summary>
    public int InitialSegments { get; init; } = 1;

    /// <summary>Whether the part file is worth reserving in full up front: several connections write far apart.</summary>
    public bool Preallocate { get; init; }

    /// <summary>Whether the probe's open response can be the first connection's body: it starts at byte 0.</summary>
    public bool ReuseProbeResponse { get; init; }

    public bool Resumed => Done.TotalLength > 0;

    /// <summary>The body is decoded on the way (<see cref="Http.ContentCoding"/>): one stream, never ranges or a resume.</summary>
    public bool Decode { get; init; }

    /// <summary>
    /// Whether the download keeps a resume state file. A file too small to split is fetched in one response: starting
    /// it over costs less than writing, flushing and deleting a state file for it, which is most of the work a list
    /// of small files would otherwise do. A resumed file keeps the state it has.
    /// </summary>
    public bool KeepsState { get; init; }

    /// <param name="done">What the destination already holds for this version of the file (empty if nothing).</param>
    /// <param name="forceSingle">The restart policy asked for a single stream.</param>
    /// <param name="mirrors">Whether the request names other sources, which only a ranged transfer spreads over.</param>
    /// <param name="decode">The body is decoded: ranges of an encoded body cannot be decoded apart, so it comes as one
    /// stream from byte 0, the probe's response reused only when it holds the whole body.</param>
    public static TransferPlan Decide(ProbeResult probe, DownloadOptions options, RangeSet done, bool forceSingle, bool mirrors = false, bool decode = false)
    {
        if (decode)
        {
            return new TransferPlan { Ranged = false, Decode = true, ReuseProbeResponse = !forceSingle && (!probe.AcceptsRanges || (probe.Length >= 0 && probe.ResponseEnd == probe.Length)) };
        }

        if (!probe.CanSplit || forceSingle)
        {
            // A single stream starts from byte 0; the probe's response is usable unless ranges were just found untrustworthy.
            return new TransferPlan { Ranged = false, ReuseProbeResponse = !forceSingle };
        }

        if (probe.Length < 2 * options.MinSplitSize && probe.ResponseEnd == probe.Length && done.TotalLength == 0 && !mirrors)
        {
            // Too small to split, and the probe's open response already carries the whole body: reading it as one
            // stream is all there is to do. A list of small files is made of these, and the ranged machinery (segment
            // map, piece selection, a second pass through the retry pipeline) was most of their cost. A failure
            // starts the file again from byte 0, which for a file this small costs less than keeping its ranges.
            return new TransferPlan { Ranged = false, ReuseProbeResponse = true };
        }

        bool split = probe.Length >= 2 * options.MinSplitSize && options.MaxConnectionsPerFile > 1;
        return new TransferPlan
        {
            Ranged = true,
            Done = done,
            InitialSegments = options.SplitOnStart ? options.MaxConnectionsPerFile : 1,
            Preallocate = split && done.TotalLength == 0,
            KeepsState = probe.Length >= 2 * options.MinSplitSize || done.TotalLength > 0,
            ReuseProbeResponse = done.ContiguousFrom(0) == 0,
        };
    }
}
