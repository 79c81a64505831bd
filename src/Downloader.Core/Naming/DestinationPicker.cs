using System;
using System.Collections.Generic;
using System.IO;
using Downloader.Core.Http;
using Downloader.Core.Probing;
using Downloader.Core.Resume;
using Downloader.Core.Storage;

namespace Downloader.Core.Naming;

/// <summary>
/// Decides where one download's file goes, under the existing-file policy, and holds that path for it so that no
/// other item of the same client writes there. A path is free when no other item holds it, no file is there, and no
/// other URL's partial download is there; otherwise the next "name (n).ext" is tried. Holding a path means holding its
/// <see cref="TargetLock"/> too, so no download of another client or process decides about it or writes beside it
/// at the same time; everything learned about the path (the file there, its state file) is read under that lock.
/// </summary>
internal sealed class DestinationPicker
{
    // Names looked at per item; the numbers the batch holds or has finished are stepped over without a look.
    private const int MaxTries = 10_000;
    private readonly PathReservations _names;
    private readonly DownloadRequest _request;
    private readonly ExistingFilePolicy _policy;
    private readonly Func<string[], ExpectedHash?> _expected;
    private string? _reserved;
    private TargetLock? _lock;

    /// <param name="expected">The hash a file must have, given its name and the name it was meant to have.</param>
    /// <param name="unflushed">The client's record of files renamed unflushed, for <see cref="LocalCopy"/>.</param>
    public DestinationPicker(PathReservations names, DownloadRequest request, ExistingFilePolicy policy, UnflushedFolders unflushed, Func<string[], ExpectedHash?>? expected = null)
    {
        Unflushed = unflushed;
        _names = names;
        _request = request;
        _policy = policy;
        _expected = expected ?? (_ => null);
    }

    public UnflushedFolders Unflushed { get; }

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

    /// <summary>The file name: the caller's, else the server's Content-Disposition, else the final URL's last segment.</summary>
    public string ChooseName(ProbeResult probe)
    {
        string? given = _request.FileName ?? probe.DispositionName;
        return given != null ? FileNameSanitizer.Sanitize(given) : FileNameSanitizer.FromUri(probe.FinalUri);
    }

    /// <summary>
    /// A path to write, the existing file when it is unchanged (<c>Unchanged</c>: skip it), the state file found
    /// there, if any, for a resume, whether a state file was there at all (one that could not be read included), and
    /// whether the finished file replaces a damaged copy there (<c>Replace</c>). Throws
    /// <see cref="TargetBusyException"/> when another download of the same URL holds the path.
    /// </summary>
    public (string Path, bool Unchanged, ResumeState? State, bool StatePresent, bool Replace) Resolve(ProbeResult probe)
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
            if (LeftForAnotherUrl(other, basePath, n))
            {
                continue;
            }

            // Looked at under the lock, never before it: another process may have published this name meanwhile.
            if (_policy == ExistingFilePolicy.Overwrite || !File.Exists(candidate))
            {
                return Chosen(basePath, n, candidate, false, other, statePresent);
            }

            if (_policy == ExistingFilePolicy.Fail)
            {
                Release();
                throw new DownloadException(DownloadErrorKind.FileExists, $"{_request.Uri}: '{candidate}' already exists; use -Force/--force to overwrite it.");
            }

            bool decoded = ContentCoding.Decodes(probe.ContentEncoding, Path.GetFileName(candidate), probe.ContentType);
            LocalCopyVerdict verdict = LocalCopy.Judge(candidate, probe, false, decoded, Expected(basePath, candidate), Unflushed);
            if (verdict != LocalCopyVerdict.Other)
            {
                // A damaged copy is this version cut short or overwritten: fetched again and renamed over it.
                bool unchanged = verdict == LocalCopyVerdict.Unchanged;
                return Chosen(basePath, n, candidate, unchanged, unchanged ? null : other, statePresent, !unchanged);
            }

            Release();
            if (n > 0)
            {
                _names.MarkKept(basePath, n);
            }
        }

        throw new DownloadException(DownloadErrorKind.InvalidName, $"{_request.Uri}: no free file name next to '{basePath}'.");
    }

    // Another URL's partial download at the reserved name: its own item may still come for it, so the name is let go.
    private bool LeftForAnotherUrl(ResumeState? other, string basePath, int n)
    {
        if (other == null || other.Url == _request.Uri)
        {
            return false;
        }

        Release();
        if (n > 0)
        {
            _names.MarkPartial(basePath, n);
        }

        return true;
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

    /// <summary>The hash the file at <paramref name="path"/> must have: its own name's, else the name it was meant to have.</summary>
    public ExpectedHash? Expected(string basePath, string path) => _expected(new[] { Path.GetFileName(path), Path.GetFileName(basePath) });

    private (string Path, bool Unchanged, ResumeState? State, bool StatePresent, bool Replace) Chosen(string basePath, int n, string path, bool unchanged, ResumeState? state, bool statePresent, bool replace = false)
    {
        if (n > 0)
        {
            _names.UnmarkPartial(basePath, n);
        }

        return (path, unchanged, state, statePresent, replace);
    }

    /// <summary>
    /// Holds <paramref name="path"/> for this download (dropping any other it held); false when another item of this
    /// client holds it, or another download of another URL holds its lock. Throws <see cref="TargetBusyException"/>
    /// when a download of the same URL holds the lock: the file is on its way, by another process or session.
    /// </summary>
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

        TargetLock? held;
        LockOwner? owner;
        try
        {
            held = TargetLock.TryAcquire(path, _request.Uri, out owner);
        }
        catch (Exception)
        {
            _names.Release(path);
            throw;
        }

        if (held == null)
        {
            _names.Release(path);
            if (owner!.Url.Length == 0 || owner.Url == UserInfo.Redacted(_request.Uri).AbsoluteUri)
            {
                throw new TargetBusyException(path, owner);
            }

            return false;
        }

        Release();
        _reserved = path;
        _lock = held;
        return true;
    }

    /// <summary>The download finished with the held path: it stays taken, in the compact form finished paths keep.</summary>
    public void Settle()
    {
        if (_reserved != null)
        {
            _names.Settle(_reserved);
            _reserved = null;
            DropLock();
        }
    }

    /// <summary>Frees the held path, e.g. after a failure, for whoever comes next.</summary>
    public void Release()
    {
        if (_reserved != null)
        {
            _names.Release(_reserved);
            _reserved = null;
            DropLock();
        }
    }

    private void DropLock()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
