using System.Management.Automation;

namespace Downloader.PowerShell.Tests;

/// <summary>What one script run produced, stream by stream.</summary>
public sealed class PsResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }

    public required IReadOnlyList<ErrorRecord> Errors { get; init; }

    public required IReadOnlyList<ProgressRecord> Progress { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>A terminating error, if the script ended with one.</summary>
    public Exception? Terminating { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>Every error, terminating or not, as text: for assertion messages.</summary>
    public string Describe() =>
        string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}").Append(Terminating?.ToString() ?? string.Empty));

    /// <summary>The output's base objects of type T.</summary>
    public T[] Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>().ToArray();

    /// <summary>A property of an output object, unwrapped from its PSObject.</summary>
    public object? Property(int index, string name) => Output[index].Properties[name]?.Value is PSObject wrapped ? wrapped.BaseObject : Output[index].Properties[name]?.Value;

    /// <summary>The output's base objects.</summary>
    public object[] Values => Output.Select(o => o.BaseObject).ToArray();
}
