using System;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ModulePipeline;

// usage: ModulePipeline MODE LIST DIR MANIFEST
//   MODE progress    `[IO.File]::ReadLines($list) | Start-Download -Destination $dir -Threads 16 | ForEach-Object { $n++ }`
//                    with $ProgressPreference = 'Continue', as users run it
//        noprogress  the same with $ProgressPreference = 'SilentlyContinue'
//        baseline    the same strings through `ForEach-Object { $n++ }`, no module imported: the host's own memory
// Prints one line of TAB-separated key=value pairs on stdout; bench/hundred-k.sh reads it.
// [IO.File]::ReadLines stands for Get-Content, which a hosted engine does not have: both put one string per line
// into the pipeline as the file is read.
if (args.Length != 4 || args[0] is not ("progress" or "noprogress" or "baseline"))
{
    Console.Error.WriteLine("usage: ModulePipeline progress|noprogress|baseline LIST DIR MANIFEST");
    return 2;
}

string mode = args[0];
var tally = new ProgressTally();
var total = Stopwatch.StartNew();
InitialSessionState state = InitialSessionState.CreateDefault2();
using Runspace runspace = RunspaceFactory.CreateRunspace(new CountingHost(tally), state);
runspace.Open();
runspace.SessionStateProxy.SetVariable("list", Path.GetFullPath(args[1]));
runspace.SessionStateProxy.SetVariable("dir", Path.GetFullPath(args[2]));
runspace.SessionStateProxy.SetVariable("ProgressPreference", mode == "progress" ? ActionPreference.Continue : ActionPreference.SilentlyContinue);
double openSeconds = total.Elapsed.TotalSeconds;

var import = Stopwatch.StartNew();
if (mode != "baseline")
{
    Run(runspace, "Import-Module $args[0] -ErrorAction Stop", Path.GetFullPath(args[3]));
}

double importSeconds = import.Elapsed.TotalSeconds;

// The console host runs what users type through a runspace Pipeline in the global scope, and so does this.
string script = mode == "baseline"
    ? "$n = 0; [IO.File]::ReadLines($list) | ForEach-Object { $n++ }; $n"
    : "$n = 0; [IO.File]::ReadLines($list) | Start-Download -Destination $dir -Threads 16 | ForEach-Object { $n++ }; $n";
tally.Start();
var pipeline = Stopwatch.StartNew();
(Collection<PSObject> output, int errors, string firstError) = Run(runspace, script);
double pipelineSeconds = pipeline.Elapsed.TotalSeconds;

long vmHwmKiB = File.ReadLines("/proc/self/status")
    .Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
    .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
    .FirstOrDefault();
var fields = new (string Key, object Value)[]
{
    ("mode", mode),
    ("outputs", output.Count > 0 ? output[^1].BaseObject : 0),
    ("errors", errors),
    ("open_s", openSeconds),
    ("import_s", importSeconds),
    ("pipeline_s", pipelineSeconds),
    ("records", tally.Records),
    ("records_per_s", pipelineSeconds > 0 ? tally.Records / pipelineSeconds : 0),
    ("max_records_in_1s", tally.MaxPerSecond),
    ("completed_records", tally.Completed),
    ("completed_never_shown", tally.CompletedNeverShown),
    ("activities", tally.Activities),
    ("max_shown_at_once", tally.MaxOpen),
    ("vmhwm_kib", vmHwmKiB),
};
Console.WriteLine(string.Join('\t', fields.Select(f => f.Key + "=" + string.Format(CultureInfo.InvariantCulture, "{0:0.###}", f.Value))));
if (errors > 0)
{
    Console.Error.WriteLine($"ModulePipeline: {errors} errors; the first: {firstError}");
}

return 0;

static (Collection<PSObject> Output, int Errors, string FirstError) Run(Runspace runspace, string script, params object[] arguments)
{
    using Pipeline pipeline = runspace.CreatePipeline();
    var command = new Command(script, isScript: true, useLocalScope: false);
    foreach (object argument in arguments)
    {
        command.Parameters.Add(null, argument);
    }

    pipeline.Commands.Add(command);
    Collection<PSObject> output = pipeline.Invoke();
    Collection<object> errors = pipeline.Error.NonBlockingRead();
    return (output, errors.Count, errors.Count > 0 ? errors[0]?.ToString() ?? "" : "");
}
