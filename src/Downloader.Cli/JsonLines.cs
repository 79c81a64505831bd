using System;
using System.Buffers;
using System.IO;
using Downloader.Core.Results;

namespace Downloader.Cli;

/// <summary>
/// Writes --json's lines to stdout: each result is encoded once, as UTF-8, into a buffer kept for the next one, and
/// goes out in one write as soon as it is complete, so a reader of the pipe sees each file when it ends. Through
/// Console.Out each line was built as a string, encoded again and written under the console's own lock; a list of
/// small files paid that per file.
/// </summary>
internal sealed class JsonLines
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Stream? _stdout;

    /// <summary>Not thread-safe: the console sink calls it under its lock.</summary>
    public void Write(DownloadResult result)
    {
        _buffer.ResetWrittenCount();
        ResultJson.Write(_buffer, result);
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        _stdout ??= Console.OpenStandardOutput();
        _stdout.Write(_buffer.WrittenSpan);
        _stdout.Flush();
    }
}
