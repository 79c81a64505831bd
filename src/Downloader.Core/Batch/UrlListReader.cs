using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Batch;

/// <summary>
/// Streams a URL list, one item per line, as it is read: blank lines and <c>#</c> comments are skipped, and optional
/// tab-separated columns give the file name and the expected hash (<c>ALGORITHM:HEX</c>, or 64 hex digits for SHA-256,
/// see <see cref="ExpectedHash"/>). The list is never held in memory whole.
/// </summary>
public static class UrlListReader
{
    public static async IAsyncEnumerable<BatchItem> ReadAsync(
        TextReader reader, string directory, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        int number = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? line = await reader.ReadLineAsync().ConfigureAwait(false);
            if (line == null)
            {
                yield break;
            }

            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            yield return Parse(line, number, directory);
        }
    }

    public static BatchItem Parse(string line, int number, string directory)
    {
        string[] columns = line.Split('\t');
        string url = columns[0].Trim();
        string? name = columns.Length > 1 && columns[1].Trim().Length > 0 ? columns[1].Trim() : null;
        string? hashText = columns.Length > 2 && columns[2].Trim().Length > 0 ? columns[2].Trim() : null;
        string where = $"line {number} '{url}'";
        if (!UrlParser.TryParse(url, out Uri? uri, out string? error))
        {
            return BatchItem.Invalid(url, $"{where}: {error}");
        }

        ExpectedHash? hash = null;
        if (hashText != null && !ExpectedHash.TryParse(hashText, out hash, out string? hashError))
        {
            return BatchItem.Invalid(url, $"{where}: {hashError}");
        }

        return BatchItem.Valid(url, new DownloadRequest(uri!) { Directory = directory, FileName = name, ExpectedHash = hash });
    }
}
