using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Http;

namespace Downloader.Cli;

/// <summary>
/// <c>--refresh-command CMD</c>: a URL refresh hook that runs a command through the shell (<c>/bin/sh -c</c>, or
/// <c>cmd /c</c> on Windows) and takes the first line it prints as the new URL. The URLs go to the command in
/// environment variables only, never on a command line, where other users of the machine could read them (ps).
/// </summary>
internal sealed class CommandRefresher : IUrlRefresher
{
    /// <summary>How long the command may run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _command;

    public CommandRefresher(string command)
    {
        _command = command;
    }

    public async Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
    {
        using Process process = new() { StartInfo = StartInfo(request) };
        process.Start();
        // Nothing to read: the command must not take the list that may be arriving on our stdin.
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"the refresh command did not finish within {Timeout.TotalSeconds:0} s.");
        }

        string output = await stdout.ConfigureAwait(false);
        string error = FirstLine(await stderr.ConfigureAwait(false));
        string because = error.Length > 0 ? ": " + UserInfo.Redact(error) : ".";
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture, "the refresh command exited with code {0}{1}", process.ExitCode, because));
        }

        string line = FirstLine(output);
        if (line.Length == 0)
        {
            throw new InvalidOperationException("the refresh command printed no URL" + because);
        }

        // A relative or malformed answer is turned down by the engine, with the text shown (redacted).
        return Uri.TryCreate(line, UriKind.Absolute, out Uri? uri) ? uri : new Uri(line, UriKind.RelativeOrAbsolute);
    }

    private ProcessStartInfo StartInfo(RefreshRequest request)
    {
        bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var info = new ProcessStartInfo(windows ? "cmd.exe" : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (windows)
        {
            // cmd parses its own command line: the text after /c goes as written.
            info.Arguments = "/d /s /c \"" + _command + "\"";
        }
        else
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(_command);
        }

        info.Environment["DOWNLOADER_URL"] = request.OriginalUri.OriginalString;
        info.Environment["DOWNLOADER_CURRENT_URL"] = request.CurrentUri.OriginalString;
        info.Environment["DOWNLOADER_STATUS"] = request.StatusCode.ToString(CultureInfo.InvariantCulture);
        info.Environment["DOWNLOADER_ATTEMPT"] = request.Attempt.ToString(CultureInfo.InvariantCulture);
        info.Environment["DOWNLOADER_PATH"] = request.Path ?? string.Empty;
        return info;
    }

    private static string FirstLine(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed;
            }
        }

        return string.Empty;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended meanwhile.
        }
    }
}
