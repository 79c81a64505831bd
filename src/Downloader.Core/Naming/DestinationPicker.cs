using System;
using System.Collections.Generic;
using System.IO;
using Downloader.Core.Probing;
using Downloader.Core.Resume;

namespace Downloader.Core.Naming;

/// <summary>
/// Decides where one download's file goes, under the existing-file policy, and holds that path for it so that no
/// other item of the same client writes there. A path is free when no other item holds it, no file is there, and no
/// other URL's partial download is there; otherwise the next "name (n).ext" is tried.
/// </summary>
internal sealed class DestinationPicker
{
    // Names looked at per item; the numbers the batch holds or has finished are stepped over without a look.
    private const int MaxTries = 10_000;
    private readonly PathReservations _names;
    private readonly DownloadRequest _request;
    private readonly ExistingFilePolicy _policy;
    private string? _reserved;
    private string? _absent;

    public DestinationPicker(PathReservations names, DownloadRequest request, ExistingFilePolicy policy)
    {
        _names = names;
        _request = request;
        _policy = policy;
    }

    /// <summary>Where the file would go if the server names it after the URL; null when no name can be known yet.</summary>
    public string? ExpectedPathBeforeProbe()
    {
        try
        {
            return _request.OutputPath != null
                ? Path.GetFullPath(_request.OutputPath)
                : SafePath.Combine(_request.Directory, _request.FileName != null ? FileNameSanitizer.Sanitize(_request.FileName) : FileNameSanitizer.FromUri(_request.Uri));
        }
        catch (DownloadException)
        {
            return null;
        }
    }

    /// <summary>
    /// Another item of this batch holds <paramref name="path"/> or finished with it, so this download will get a name
    /// of its own: the file there is not its copy.
    /// </summary>
    public bool TakenByAnother(string path) => _reserved != path && _names.IsTaken(path);

    /// <summary>
    /// The probe step looked at <paramref name="path"/> a moment ago and found nothing there, so the choice after the
    /// probe need not look again. Should a file appear there meanwhile, the rename that publishes ours refuses to
    /// replace it (it is atomic and never overwrites without -Force), so the worst case is a clear error, not a loss.
    /// </summary>
    public void AbsentBeforeProbe(string path) => _absent = path;

    /// <summary>The file name: the caller's, else the server's Content-Disposition, else the final URL's last segment.</summary>
    public string ChooseName(ProbeResult probe)
    {
        string? given = _request.FileName ?? probe.DispositionName;
        return given != null ? FileNameSanitizer.Sanitize(given) : FileNameSanitizer.FromUri(probe.FinalUri);
    }

    /// <summary>
    /// A path to write, the existing file when it is unchanged (<c>Unchanged</c>: skip it), the state file found
    /// there, if any, for a resume, and whether a state file was there at all (one that could not be read included).
    /// </summary>
    public (string Path, bool Unchanged, ResumeState? State, bool StatePresent) Resolve(ProbeResult probe)
    {
        string basePath = _request.OutputPath != null
            ? Path.GetFullPath(_request.OutputPath)
            : SafePath.Combine(_request.Directory, ChooseName(probe));
        int tries = 0;
        foreach (int n in Suffixes(basePath))
        {
            if (++tries > MaxTries)
            {
                break;
            }

            string candidate = PathReservations.WithSuffix(basePath, n);
            if (!Reserve(candidate))
            {
                continue;
            }

            ResumeState? other = ResumeStateFile.TryLoad(candidate + ResumeStateFile.Extension, out bool statePresent);
            if (other != null && other.Url != _request.Uri)
            {
                // Another URL's partial download: its own item may still come for it.
                Release();
                if (n > 0)
                {
                    _names.MarkPartial(basePath, n);
                }

                continue;
            }

            if (_policy == ExistingFilePolicy.Overwrite || candidate == _absent || !File.Exists(candidate))
            {
                return Chosen(basePath, n, candidate, false, other, statePresent);
            }

            if (_policy == ExistingFilePolicy.Fail)
            {
                Release();
                throw new DownloadException(DownloadErrorKind.FileExists, $"{_request.Uri}: '{candidate}' already exists; use -Force/--force to overwrite it.");
            }

            if (IsUnchanged(candidate, probe))
            {
                return Chosen(basePath, n, candidate, true, null, statePresent);
            }

            Release();
            if (n > 0)
            {
                _names.MarkKept(basePath, n);
            }
        }

        throw new DownloadException(DownloadErrorKind.InvalidName, $"{_request.Uri}: no free file name next to '{basePath}'.");
    }

    /// <summary>
    /// The numbers to try for <paramref name="basePath"/>: the name itself, then the numbers holding another URL's
    /// partial download (this item may be that URL, come to resume), then counting up from the first number no item of
    /// the batch holds or has finished, so a list of many URLs sharing one name costs each item a look or two.
    /// </summary>
    private IEnumerable<int> Suffixes(string basePath)
    {
        yield return 0;
        foreach (int n in _names.PartialSuffixes(basePath))
        {
            yield return n;
        }

        for (int n = 1; ; n++)
        {
            n = Math.Max(n, _names.FirstOpenSuffix(basePath));
            yield return n;
        }
    }

    private (string Path, bool Unchanged, ResumeState? State, bool StatePresent) Chosen(string basePath, int n, string path, bool unchanged, ResumeState? state, bool statePresent)
    {
        if (n > 0)
        {
            _names.UnmarkPartial(basePath, n);
        }

        return (path, unchanged, state, statePresent);
    }

    /// <summary>Holds <paramref name="path"/> for this download (dropping any other it held); false when another item holds it.</summary>
    public bool Reserve(string path)
    {
        if (_reserved == path)
        {
            return true;
        }

        if (!_names.TryReserve(path))
        {
            return false;
        }

        Release();
        _reserved = path;
        return true;
    }

    /// <summary>The download finished with the held path: it stays taken, in the compact form finished paths keep.</summary>
    public void Settle()
    {
        if (_reserved != null)
        {
            _names.Settle(_reserved);
            _reserved = null;
        }
    }

    /// <summary>Frees the held path, e.g. after a failure, for whoever comes next.</summary>
    public void Release()
    {
        if (_reserved != null)
        {
            _names.Release(_reserved);
            _reserved = null;
        }
    }

    private static bool IsUnchanged(string path, ProbeResult probe)
    {
        var info = new FileInfo(path);
        return probe.Length >= 0 && info.Length == probe.Length && probe.LastModified is DateTimeOffset modified &&
            Math.Abs((info.LastWriteTimeUtc - modified.UtcDateTime).TotalSeconds) < 1;
    }
}
