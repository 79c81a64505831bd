using System.Collections.Generic;

namespace Downloader.PowerShell.Queue;

/// <summary>A program and its arguments: how the queue worker is started, by the module or an OS trigger.</summary>
public sealed class WorkerCommand
{
    public WorkerCommand(string program, IReadOnlyList<string> arguments)
    {
        Program = program;
        Arguments = arguments;
    }

    public string Program { get; }

    public IReadOnlyList<string> Arguments { get; }
}
