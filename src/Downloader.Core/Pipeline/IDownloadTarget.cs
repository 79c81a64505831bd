using System;
using System.Threading.Tasks;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Results;
using Downloader.Core.Storage;

namespace Downloader.Core.Pipeline;

/// <summary>
/// Where a download's bytes go and how it ends there: a file (part file, state file, rename) or memory. The
/// orchestrator runs the same steps for both; only this differs.
/// </summary>
internal interface IDownloadTarget : IDisposable
{
    /// <summary>The file's name (in memory: the name it would have), which with the type decides a Content-Encoding.</summary>
    string Name { get; }

    /// <summary>What is already saved for this version of the file: the resume point (empty in memory).</summary>
    RangeSet Saved(ProbeResult probe);

    /// <summary>Opens the sink the transfer writes to, fresh or resumed as the plan says.</summary>
    IContentSink Open(TransferPlan plan, long length);

    /// <summary>Which hash the content must have, if any, and so which one a single stream computes on the way.</summary>
    HashCheck Hashes { get; }

    /// <summary>The state file a ranged transfer keeps current, or null when nothing can be resumed.</summary>
    string? StatePath { get; }

    /// <summary>Verifies and publishes what the transfer wrote, and says where it went and which digest it checked.</summary>
    Task<FinishedContent> FinishAsync(ITransfer transfer, ProbeResult probe);

    /// <summary>Throws away what was saved, before a restart.</summary>
    void Discard();

    /// <summary>After a failure or a cancel: keeps what can be resumed, removes what cannot.</summary>
    void Abandon(bool cancelled, bool deletePartial);
}
