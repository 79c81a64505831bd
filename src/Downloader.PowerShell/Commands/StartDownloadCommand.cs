using System;
using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Downloads URLs over many connections, resumably, as a PowerShell job.</para>
/// Binds parameters, resolves paths, asks ShouldProcess and feeds a <see cref="DownloadJob"/>; without -AsJob it
/// writes the job's output, errors and progress on this pipeline until the job ends.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Download", SupportsShouldProcess = true, DefaultParameterSetName = DownloadSet)]
[OutputType(typeof(DownloadItem), typeof(DownloadJob))]
public sealed class StartDownloadCommand : DownloadCmdletBase
{
    private readonly Destination _destination = new();
    private DownloadJob? _job;
    private bool _singleUrl;
    private bool _destinationForList;
    private ChecksumFile? _checksums;
    private PersistedStart? _persisted;

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url", "Source")]
    [ValidateNotNullOrEmpty]
    public string[] Uri { get; set; } = Array.Empty<string>();

    /// <summary>
    /// A folder (default: the current location), created when missing; a file path only for a single -Uri, or for one
    /// record through its Destination/OutFile property. With piped or several URLs it is always a folder.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("OutFile")]
    public string? Destination { get; set; }

    /// <summary>
    /// The expected hash, ALGORITHM:HEX or 64 hex digits for SHA-256; empty (an empty CSV cell) means no check. Not
    /// validated at binding: a malformed value fails its own item, naming it, and the rest of the batch carries on.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Sha256")]
    [AllowEmptyString]
    public string? Hash { get; set; }

    /// <summary>A SHA256SUMS-style file: each item whose file name it lists is checked against it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ChecksumFile { get; set; }

    /// <summary>
    /// Other URLs of the same file. An array, or one string with URLs separated by spaces or ';' (a CSV cell); empty
    /// means none.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Mirrors")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? Mirror { get; set; }

    /// <summary>Connections the whole batch may use at once; unbound, <see cref="ConnectionPolicy"/> decides.</summary>
    [Parameter]
    [Alias("ThrottleLimit")]
    [ValidateRange(1, 1024)]
    public int Threads { get; set; }

    /// <summary>
    /// Normal (the default) and Foreground take what their connections get; Background uses only what other traffic
    /// leaves idle, slowing down and shedding connections when the link's queueing delay rises.
    /// </summary>
    [Parameter]
    public DownloadPriority Priority { get; set; }

    [Parameter]
    public SwitchParameter InMemory { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaximumInMemorySize { get; set; }

    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>Into the user's durable queue, worked by a background worker that outlives this session.</summary>
    [Parameter]
    public SwitchParameter Persist { get; set; }

    /// <summary>The job's name.</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Flush each file to disk before it gets its name (<see cref="DownloadOptions.Durable"/>).</summary>
    [Parameter]
    public SwitchParameter Durable { get; set; }

    /// <summary>Accepted content types such as image/*; other items fail.</summary>
    [Parameter]
    public string[]? Accept { get; set; }

    /// <summary>
    /// Gives a new URL when one expires part-way (401, 403, 410): <c>param($Item)</c>, returns a string or Uri. Runs on
    /// this pipeline thread, in the caller's session; so not with -AsJob, whose downloads outlive the command.
    /// </summary>
    [Parameter]
    public ScriptBlock? RefreshUrl { get; set; }

    #endregion

    #region Overrides

    protected override void BeginProcessing()
    {
        if (AsJob && RefreshUrl != null)
        {
            // A job's downloads run on after this command returns, when no pipeline thread is left to run the
            // scriptblock in the caller's session (see ScriptBlockRefresher).
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-RefreshUrl cannot be used with -AsJob: the scriptblock runs on the command's pipeline thread, which a job outlives. Run Start-Download in the foreground (for example inside Start-ThreadJob) to refresh URLs.", nameof(RefreshUrl)),
                "Downloader.RefreshUrlWithAsJob",
                ErrorCategory.InvalidArgument,
                RefreshUrl));
        }

        _persisted = Persist ? PersistedStart.Begin(this, AsJob, RefreshUrl != null) : null;

        // Only the command line binds before the first record: one URL there is a single download, which may use all
        // the connections it is given. URLs from the pipeline are a list, however many arrive.
        _singleUrl = MyInvocation.BoundParameters.TryGetValue(nameof(Uri), out object? bound) && bound is string[] { Length: 1 };

        // A -Destination on the command line serves every URL of the command; with more than one it is their folder.
        // One bound from each record (an OutFile column) serves that record alone and may name its file.
        _destinationForList = !_singleUrl && MyInvocation.BoundParameters.ContainsKey(nameof(Destination));
        if (ChecksumFile != null)
        {
            _checksums = ReadChecksumFile(ChecksumFile);
        }
    }

    protected override void ProcessRecord()
    {
        string? mirrorError = Mirrors.Parse(Mirror, Uri.Length, out Uri[] mirrors);
        foreach (string text in Uri)
        {
            string action = InMemory ? "Download into memory" : "Download";
            if (mirrorError != null && ShouldProcess(Core.Http.UserInfo.Redact(text), action))
            {
                Enqueue(BatchItem.Invalid(text, $"'{Core.Http.UserInfo.Redact(text)}': {mirrorError}"));
                continue;
            }

            if (!UrlParser.TryParse(text, out Uri? uri, out string? error))
            {
                // Asked like any item, so -WhatIf starts nothing, not even a job that would only report the error.
                if (ShouldProcess(Core.Http.UserInfo.Redact(text), action))
                {
                    Enqueue(BatchItem.Invalid(text, $"'{text}': {error}"));
                }

                continue;
            }

            if (ShouldProcess(Core.Http.UserInfo.Redact(uri!), action))
            {
                Enqueue(ExpectedHashOf(uri!, out ExpectedHash? hash, out string? hashError)
                    ? BatchItem.Valid(text, BuildRequest(uri!, hash, mirrors))
                    : BatchItem.Invalid(text, hashError!));
            }
        }

        if (!AsJob && _job != null)
        {
            WriteAvailable(_job);
        }
    }

    protected override void EndProcessing()
    {
        _persisted?.End(this);
        if (_job == null)
        {
            return;
        }

        _job.CompleteInput();
        if (!AsJob)
        {
            RunToEnd(_job);
        }
    }

    #endregion

    /// <summary>An item for this command's job, or with -Persist for the durable queue.</summary>
    private void Enqueue(BatchItem item)
    {
        if (_persisted != null)
        {
            _persisted.Add(this, item, BuildDownloadOptions);
            return;
        }

        DownloadJob job = EnsureJob();
        if (AsJob)
        {
            // A job's command returns once its input is read, so the input is never held up.
            job.Add(item);
        }
        else
        {
            JobPump.AddWhenRoom(this, job, item);
        }
    }

    /// <summary>
    /// The job, created with the first item that is to run: under -WhatIf no item is, so nothing is started,
    /// registered or written.
    /// </summary>
    private DownloadJob EnsureJob()
    {
        if (_job != null)
        {
            return _job;
        }

        ScriptBlockRefresher? refresher = RefreshUrl == null ? null : new ScriptBlockRefresher(RefreshUrl);
        _job = new DownloadJob(MyInvocation.Line?.Trim() is { Length: > 0 } line ? line : "Start-Download", Name, BuildDownloadOptions(), refresher);
        Launch(_job, background: AsJob);
        if (AsJob)
        {
            WriteObject(_job);
        }

        return _job;
    }

    private DownloadRequest BuildRequest(Uri uri, ExpectedHash? hash, Uri[] mirrors)
    {
        return _destination.Request(this, uri, Destination, _destinationForList) with
        {
            ExpectedHash = hash,
            InMemory = InMemory,
            Mirrors = mirrors,
        };
    }

    /// <summary>This record's -Hash (or Hash/Sha256 property), or why it is not one, naming the item.</summary>
    private bool ExpectedHashOf(Uri uri, out ExpectedHash? hash, out string? error)
    {
        hash = null;
        error = null;
        if (string.IsNullOrWhiteSpace(Hash) || ExpectedHash.TryParse(Hash, out hash, out string? cause))
        {
            return true;
        }

        error = $"'{Core.Http.UserInfo.Redact(uri)}': -Hash {cause}";
        return false;
    }

    /// <summary>The whole -ChecksumFile, before any item starts; a damaged one stops the command.</summary>
    private ChecksumFile ReadChecksumFile(string path)
    {
        string resolved = GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return Core.Batch.ChecksumFile.Read(resolved, path);
        }
        catch (Exception e) when (e is FormatException or System.IO.IOException or UnauthorizedAccessException)
        {
            Exception error = e is FormatException ? e : new System.IO.IOException($"Cannot read the checksum file '{path}': {e.Message}", e);
            ThrowTerminatingError(new ErrorRecord(error, "Downloader.ChecksumFile", e is FormatException ? ErrorCategory.InvalidData : ErrorCategory.ReadError, path));
            throw;
        }
    }

    /// <summary>The shared options plus what only Start-Download has: a batch total, -Force, -Durable, -Accept, in-memory size.</summary>
    private DownloadOptions BuildDownloadOptions()
    {
        DownloadOptions options = BuildOptions(_singleUrl, IsBound(nameof(Threads)) ? Threads : null);
        return options with
        {
            ExistingFile = Force ? ExistingFilePolicy.Overwrite : options.ExistingFile,
            Durable = Durable || options.Durable,
            AcceptContentTypes = Accept ?? options.AcceptContentTypes,
            Priority = IsBound(nameof(Priority)) ? (Core.Priority.DownloadPriority)Priority : options.Priority,
            MaxInMemorySize = IsBound(nameof(MaximumInMemorySize)) ? MaximumInMemorySize : options.MaxInMemorySize,
            Checksums = _checksums ?? options.Checksums,
        };
    }
}
