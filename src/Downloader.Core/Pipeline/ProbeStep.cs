using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Naming;
using Downloader.Core.Probing;

namespace Downloader.Core.Pipeline;

/// <summary>
/// The first request of a download. When a local copy sits under the URL's name, the probe is conditional
/// (If-Modified-Since its date): a 304 means the copy is current and nothing is fetched.
/// </summary>
internal sealed class ProbeStep
{
    private readonly Prober _prober;
    private readonly DownloadRequest _request;
    private readonly DestinationPicker _destination;
    private readonly string? _localCopy;
    private readonly Func<Uri> _target;
    private DateTimeOffset? _ifModifiedSince;

    /// <param name="target">The URL to probe now, when it may differ from the request's (a refreshed URL).</param>
    public ProbeStep(Prober prober, DownloadRequest request, DownloadOptions options, DestinationPicker destination, Func<Uri>? target = null)
    {
        if (request.Uri.Scheme != Uri.UriSchemeHttp && request.Uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{request.Uri}: unsupported scheme '{request.Uri.Scheme}'; only http and https are downloaded.");
        }

        if (request.Uri.Scheme == Uri.UriSchemeHttp && options.Network.RefuseUnencryptedAuthentication &&
            (options.Credential != null || options.Network.BearerToken != null || options.Network.UseDefaultCredentials))
        {
            // Invoke-WebRequest's rule: a secret over plain http is a decision the user makes out loud.
            throw new DownloadException(
                DownloadErrorKind.InvalidRequest,
                $"{UserInfo.Redact(request.Uri)}: refused to send credentials over unencrypted http; use https, or give -AllowUnencryptedAuthentication to send them anyway.");
        }

        _prober = prober;
        _request = request;
        _destination = destination;
        _target = target ?? (() => request.Uri);
        string? expected = request.InMemory || options.ExistingFile != ExistingFilePolicy.SkipOrRename ? null : destination.ExpectedPathBeforeProbe();

        // When an earlier item of the batch took that name (a list whose URLs share one name, "export?page=N"), the
        // file there is that item's: asking the server whether it changed would only earn a 304 and a second probe.
        _localCopy = expected != null && destination.TakenByAnother(expected) ? null : expected;
        // Only to choose the question: what is there is looked at again under the destination's lock.
        FileInfo? local = _localCopy != null ? new FileInfo(_localCopy) : null;
        _ifModifiedSince = local is { Exists: true } ? local.LastWriteTimeUtc : null;
    }

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? condition = _ifModifiedSince;
        Uri target = _target();
        return HttpFailures.AttemptAsync(target, () => _prober.ProbeAsync(target, condition, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The local copy's path when the server said 304, this download may own that name, and the copy is whole (its
    /// size is the remote length, its hash the expected one; see <see cref="LocalCopy"/>). When another item of the
    /// batch owns the name, or the copy is damaged, the next probe is unconditional, and null is returned; a damaged
    /// copy is then downloaded again in its place.
    /// </summary>
    public string? LocalCopyIsCurrent(ProbeResult probe)
    {
        if (!probe.NotModified)
        {
            return null;
        }

        string path = _localCopy!;
        if (_destination.Reserve(path) && File.Exists(path))
        {
            bool decoded = ContentCoding.Decodes(probe.ContentEncoding, Path.GetFileName(path), probe.ContentType);
            if (LocalCopy.Judge(path, probe, true, decoded, _destination.Expected(path, path), _destination.Unflushed) == LocalCopyVerdict.Unchanged)
            {
                return path;
            }
        }

        _ifModifiedSince = null;
        return null;
    }
}
