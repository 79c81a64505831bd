using System;

namespace Downloader.Cli;

/// <summary>A command line that cannot run as given: its message is printed and the exit code is Usage.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
