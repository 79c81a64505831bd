using System;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core;

/// <summary>
/// Gives a download a new URL when its URL stops working part-way (a signed S3, Azure SAS or CDN URL that expired):
/// the source answered 401, 403 or 410 after the probe had succeeded. The download then continues from the bytes it
/// has, against the new URL, checked with If-Range against the same validators. Caller-supplied behaviour, so it is
/// passed beside the options: to <see cref="DownloadClient"/> or <see cref="Sessions.DownloadSession"/>. Without one,
/// such an answer fails the item, as any other refusal.
/// </summary>
public interface IUrlRefresher
{
    /// <summary>
    /// Returns the URL to continue with: a different absolute http(s) URL. Null, an empty answer, the same URL or a
    /// throw fails the item. Called on an engine thread, at most once at a time for one download.
    /// </summary>
    Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken);
}
