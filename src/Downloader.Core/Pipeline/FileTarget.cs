using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Resume;
using Downloader.Core.Results;
using Downloader.Core.Storage;

namespace Downloader.Core.Pipeline;

/// <summary>
/// A download to a file: <c>NAME.part</c> holds the bytes and <c>NAME.downloader</c> the resume state while it runs;
/// the part file is made ready (see <see cref="FileFlusher.BeforeRenameAsync"/>), verified and renamed to <c>NAME</c> only when complete, so the final name never holds a
/// partial or wrong file.
/// </summary>
internal sealed class FileTarget : IDownloadTarget
{
    private readonly DownloadRequest _request;
    private readonly DownloadOptions _options;
    private readonly ResumeState? _state;
    private readonly bool _statePresent;
    private readonly FileFlusher _flusher;
    private PartFile? _part;
    private bool _keepsState;

    /// <param name="state">The state file found beside the destination, if any.</param>
    /// <param name="statePresent">Whether any state file was there, one that could not be read included.</param>
    public FileTarget(string path, ResumeState? state, bool statePresent, DownloadRequest request, DownloadOptions options, FileFlusher flusher, HashCheck hashes)
    {
        Path = path;
        _state = state;
        _statePresent = statePresent;
        _request = request;
        _options = options;
        _flusher = flusher;
        Hashes = hashes;
    }

    public string Path { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>The file at <see cref="Path"/> is this version damaged (see <c>LocalCopy</c>): the finished file replaces it.</summary>
    public bool ReplacesDamaged { get; init; }

    public HashCheck Hashes { get; }

    public string PartPath => Path + PartFile.Extension;

    public string? StatePath => _keepsState ? Path + ResumeStateFile.Extension : null;

    public RangeSet Saved(ProbeResult probe) =>
        _state != null && _state.Matches(Http.UserInfo.Redacted(_request.Uri), probe.Length, probe.ETag, probe.LastModified) &&
        DownloadFiles.PartHolds(PartPath, _state.Completed, probe.Length)
            ? _state.Completed
            : new RangeSet();

    public IContentSink Open(TransferPlan plan, long length)
    {
        _keepsState = plan.KeepsState;
        if (plan.Resumed)
        {
            return _part = PartFile.Open(PartPath);
        }

        // Whatever is there belongs to another version, or to a stream that cannot be resumed. A stale part file
        // alone is replaced by Create itself, which costs nothing when there is none: the common case of a list.
        if (_statePresent)
        {
            DownloadFiles.DiscardPartial(Path);
        }

        return _part = PartFile.Create(PartPath, length, plan.Preallocate);
    }

    public async Task<FinishedContent> FinishAsync(ITransfer transfer, ProbeResult probe)
    {
        using (PartFile part = _part!)
        {
            DownloadFiles.Stamp(part, probe);
            await _flusher.BeforeRenameAsync(part, Path).ConfigureAwait(false);
        }

        _part = null;
        string? hash = null;
        if (Hashes.Algorithm is HashAlgorithmName algorithm)
        {
            hash = transfer.Hash ?? FileHasher.OfFile(PartPath, algorithm);
            try
            {
                Hashes.Verify(hash, "; the data was discarded");
            }
            catch (DownloadException)
            {
                DownloadFiles.DiscardPartial(Path);
                throw;
            }
        }

        FileMover.Publish(PartPath, Path, _options.ExistingFile == ExistingFilePolicy.Overwrite || ReplacesDamaged);

        // Published: what follows is tidying up, and cannot turn a finished download into a failed one. A state file
        // exists only if one was found or a checkpoint wrote one; a small file fetched at once has none to look for.
        if (_statePresent || transfer.Checkpointed)
        {
            DownloadFiles.TryDelete(Path + ResumeStateFile.Extension);
        }

        return new FinishedContent(Path, Name, transfer.Length, Hashes.Algorithm, hash);
    }

    public void Discard()
    {
        Dispose();
        DownloadFiles.DiscardPartial(Path);
    }

    public void Abandon(bool cancelled, bool deletePartial)
    {
        Dispose();
        if (deletePartial)
        {
            DownloadFiles.DiscardPartial(Path);
        }
        else if (!_keepsState && !cancelled)
        {
            // Without a state file nothing can be resumed, so a partial file is only clutter.
            DownloadFiles.TryDelete(PartPath);
        }
    }

    public void Dispose()
    {
        _part?.Dispose();
        _part = null;
    }
}
