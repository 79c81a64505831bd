using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// A real PowerShell 7.6 runspace with the built module imported, as a user's session. Scripts run under a deadline:
/// a script that hangs is stopped (as Ctrl+C would) and the test fails, it never hangs the run.
/// The engine is Microsoft.PowerShell.SDK's, so the built-in modules load as in pwsh: scripts use Get-Content,
/// Import-Csv, Set-Location, Format-Table and Out-String as users write them.
/// </summary>
public sealed class PsSession : IDisposable
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    private readonly Runspace _runspace;

    public PsSession(bool importModule = true)
        : this(host: null, importModule)
    {
    }

    /// <summary>A session whose console is <paramref name="host"/> (e.g. a <see cref="CapturingHost"/> to read what Out-Host renders).</summary>
    public PsSession(System.Management.Automation.Host.PSHost? host, bool importModule = true)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        _runspace = host == null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        _runspace.Open();
        if (importModule)
        {
            PsResult imported = Run("Import-Module $args[0] -ErrorAction Stop", TimeSpan.FromSeconds(60), ModuleBuild.ManifestPath);
            if (imported.Terminating != null || imported.Errors.Count > 0)
            {
                throw new InvalidOperationException("Import-Module failed: " + imported.Describe());
            }
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>Runs a script with positional arguments ($args) and waits at most <paramref name="deadline"/>.</summary>
    public PsResult Run(string script, TimeSpan? deadline = null, params object?[] arguments) =>
        RunAsync(script, deadline ?? DefaultDeadline, stopAfter: null, arguments).GetAwaiter().GetResult();

    /// <summary>Runs a script and presses Ctrl+C (PowerShell.Stop from another thread) after <paramref name="stopAfter"/>.</summary>
    public Task<PsResult> RunAsync(string script, TimeSpan deadline, TimeSpan? stopAfter, params object?[] arguments) =>
        RunAsync(script, deadline, stopAfter == null ? null : _ => Task.Delay(stopAfter.Value), arguments);

    /// <summary>
    /// Runs a script; when <paramref name="stopWhen"/> completes, stops the pipeline as Ctrl+C does. The deadline
    /// fails the test after stopping the pipeline, so nothing is left running.
    /// </summary>
    public async Task<PsResult> RunAsync(string script, TimeSpan deadline, Func<System.Management.Automation.PowerShell, Task>? stopWhen, params object?[] arguments)
    {
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (object? argument in arguments)
        {
            ps.AddArgument(argument);
        }

        var input = new PSDataCollection<PSObject>();
        input.Complete();
        var output = new PSDataCollection<PSObject>();
        var clock = Stopwatch.StartNew();
        Task<PSDataCollection<PSObject>> invocation = Task.Factory.FromAsync(
            ps.BeginInvoke(input, output),
            asyncResult =>
            {
                ps.EndInvoke(asyncResult);
                return output;
            });
        if (stopWhen != null)
        {
            _ = stopWhen(ps).ContinueWith(t => ps.BeginStop(null, null), TaskScheduler.Default);
        }

        Exception? terminating = null;
        Task finished = await Task.WhenAny(invocation, Task.Delay(deadline));
        if (finished != invocation)
        {
            ps.BeginStop(null, null);
            await Task.WhenAny(invocation, Task.Delay(TimeSpan.FromSeconds(10)));
            throw new TimeoutException($"The script did not end within {deadline.TotalSeconds:0} s:\n{script}");
        }

        try
        {
            await invocation;
        }
        catch (Exception e)
        {
            terminating = e is RuntimeException or PipelineStoppedException ? e : e.GetBaseException();
        }

        return new PsResult
        {
            Output = output.ToArray(),
            Errors = ps.Streams.Error.ToArray(),
            Progress = ps.Streams.Progress.ToArray(),
            Warnings = ps.Streams.Warning.Select(w => w.Message).ToArray(),
            Terminating = terminating,
            Elapsed = clock.Elapsed,
        };
    }

    public void Dispose()
    {
        _runspace.Dispose();
    }
}
