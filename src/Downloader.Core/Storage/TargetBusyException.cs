using System;

namespace Downloader.Core.Storage;

/// <summary>
/// Another download, in another process or another session of this one, holds the destination for the same URL: this
/// one ends without a transfer and says who has it (reported as skipped, never as a failure).
/// </summary>
internal sealed class TargetBusyException : Exception
{
    public TargetBusyException(string path, LockOwner owner)
        : base($"'{path}' is being downloaded by {owner.Describe()}")
    {
        Path = path;
        Owner = owner;
    }

    public string Path { get; }

    public LockOwner Owner { get; }
}
