using Downloader.Core.Naming;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Resume;
using Downloader.Core.Storage;
using Downloader.Core.Transfer;

namespace Downloader.Core.Pipeline;

/// <summary>Builds the two variable stages of a download: where its bytes go, and how they are fetched.</summary>
internal static class Targets
{
    /// <summary>
    /// Memory, or a file at a path chosen now that the server's name is known (<paramref name="path"/>); null when
    /// the file there is already this version, so the download is skipped.
    /// </summary>
    public static IDownloadTarget? Open(DownloadClient client, DownloadRequest request, DestinationPicker destination, ProbeResult probe, out string? path)
    {
        if (request.InMemory)
        {
            path = null;
            string name = destination.ChooseName(probe);
            return new MemoryTarget(request, client.Options, name, new HashCheck(request, client.Options, name));
        }

        (path, bool unchanged, ResumeState? saved, bool statePresent, bool replace) = destination.Resolve(probe);
        if (unchanged)
        {
            return null;
        }

        DownloadFiles.CreateDirectory(path, client.KnownDirectories);

        // A checksum file lists the name the file was meant to have, also when it is saved as "name (1).ext".
        string meant = request.OutputPath != null ? System.IO.Path.GetFileName(request.OutputPath) : destination.ChooseName(probe);
        var hashes = new HashCheck(request, client.Options, System.IO.Path.GetFileName(path), meant);
        return new FileTarget(path, saved, statePresent, request, client.Options, client.Flusher, hashes) { ReplacesDamaged = replace };
    }

    /// <summary>The transfer the plan asks for, writing into the target's sink.</summary>
    public static ITransfer Transfer(DownloadClient client, TransferContext context, TransferPlan plan, IDownloadTarget target, ProbeResult probe, DownloadRequest request)
    {
        IContentSink sink = target.Open(plan, probe.Length);
        return plan.Ranged
            ? new RangedTransfer(context, SegmentMap.FromDone(probe.Length, plan.Done, plan.InitialSegments, client.Options.MinSplitSize), sink, target.StatePath, request.Uri, client.Budget, new SourcePool(context, request, client.Lanes))
            : new SingleStreamTransfer(context, sink, target.Hashes.Algorithm, encoding => Http.ContentCoding.Decodes(encoding, target.Name, probe.ContentType), plan.Decode);
    }
}
