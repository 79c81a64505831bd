using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Results;
using Downloader.Core.Storage;

namespace Downloader.Core.Pipeline;

/// <summary>An in-memory download: a buffer no larger than the in-memory limit, nothing on disk, nothing to resume.</summary>
internal sealed class MemoryTarget : IDownloadTarget
{
    private readonly DownloadRequest _request;
    private readonly DownloadOptions _options;
    private readonly string _name;
    private MemorySink? _sink;

    public string Name => _name;

    public MemoryTarget(DownloadRequest request, DownloadOptions options, string name, HashCheck hashes)
    {
        _request = request;
        _options = options;
        _name = name;
        Hashes = hashes;
    }

    public HashCheck Hashes { get; }

    public string? StatePath => null;

    public RangeSet Saved(ProbeResult probe) => new();

    public IContentSink Open(TransferPlan plan, long length) =>
        _sink = new MemorySink(length, _options.MaxInMemorySize, Http.UserInfo.Redact(_request.Uri));

    public Task<FinishedContent> FinishAsync(ITransfer transfer, ProbeResult probe)
    {
        byte[] content = _sink!.Content;

        // The bytes are at hand, so an in-memory result always carries a hash: SHA-256 unless another was expected.
        HashAlgorithmName algorithm = Hashes.Algorithm ?? HashAlgorithmName.SHA256;
        string hash = transfer.Hash ?? FileHasher.Of(content, algorithm);
        Hashes.Verify(hash, string.Empty);
        return Task.FromResult(new FinishedContent(null, _name, content.LongLength, algorithm, hash, content));
    }

    public void Discard() => _sink = null;

    public void Abandon(bool cancelled, bool deletePartial) => _sink = null;

    public void Dispose() => _sink = null;
}
