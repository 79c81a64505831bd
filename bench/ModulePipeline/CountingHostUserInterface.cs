using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace ModulePipeline;

/// <summary>
/// A non-interactive host UI that hands every progress record to a <see cref="ProgressTally"/> and renders nothing.
/// The default hosted engine has no UI and drops progress before any cost is paid, so it cannot stand for a user's
/// console; this host receives every record a console host would. Errors and warnings go to stderr.
/// </summary>
internal sealed class CountingHostUserInterface : PSHostUserInterface
{
    private readonly ProgressTally _tally;

    public CountingHostUserInterface(ProgressTally tally)
    {
        _tally = tally;
    }

    // No console behind this host: nothing the benchmark runs reads the buffer or the cursor.
    public override PSHostRawUserInterface RawUI => null!;

    public override void WriteProgress(long sourceId, ProgressRecord record) => _tally.Add(sourceId, record);

    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);

    public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);

    public override void Write(string value)
    {
    }

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
    {
    }

    public override void WriteLine(string value)
    {
    }

    public override void WriteDebugLine(string message)
    {
    }

    public override void WriteVerboseLine(string message)
    {
    }

    public override string ReadLine() => throw NotInteractive();

    public override SecureString ReadLineAsSecureString() => throw NotInteractive();

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw NotInteractive();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw NotInteractive();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw NotInteractive();

    private static NotSupportedException NotInteractive() => new("The benchmark host is not interactive.");
}
