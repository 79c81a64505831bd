using System;
using System.Globalization;
using System.Management.Automation.Host;

namespace ModulePipeline;

/// <summary>The host of the benchmark's runspace: a name, a version and the counting UI.</summary>
internal sealed class CountingHost : PSHost
{
    private readonly CountingHostUserInterface _ui;

    public CountingHost(ProgressTally tally)
    {
        _ui = new CountingHostUserInterface(tally);
    }

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "DownloaderBenchHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException("The benchmark host has no nested prompt.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("The benchmark host has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }
}
