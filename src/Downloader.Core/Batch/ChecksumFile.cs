using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Downloader.Core.Batch;

/// <summary>
/// A SHA256SUMS-style file, read whole before any download starts: GNU lines (<c>HEX  name</c>, <c>HEX *name</c>, the
/// algorithm told by the digest's length as sha256sum's family writes them) and BSD lines (<c>SHA256 (name) = HEX</c>,
/// also SHA512, SHA384, SHA1, MD5). Blank lines and <c>#</c> comments are skipped; any other line that is neither is an
/// error naming the file and the line, so a damaged file never silently checks nothing. Names compare exactly with a
/// download's file name; the first entry for a name counts.
/// </summary>
public sealed class ChecksumFile
{
    private static readonly Regex Bsd = new(@"^(?<algo>[A-Za-z0-9-]+) ?\((?<name>.+)\) ?= ?(?<hex>[0-9A-Fa-f]+)$", RegexOptions.CultureInvariant);
    private static readonly Regex Gnu = new(@"^(?<hex>[0-9A-Fa-f]+) [ *]?(?<name>.+)$", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, ExpectedHash> _entries;

    private ChecksumFile(Dictionary<string, ExpectedHash> entries)
    {
        _entries = entries;
    }

    /// <summary>How many names the file lists.</summary>
    public int Count => _entries.Count;

    /// <summary>The listed hash of a file of this name, or null when the file does not list it (it is not checked).</summary>
    public ExpectedHash? Find(string fileName) => _entries.TryGetValue(fileName, out ExpectedHash? hash) ? hash : null;

    /// <exception cref="FormatException">A line is neither format; the message names the file and the line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ChecksumFile Read(string path, string displayName)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader, displayName);
    }

    /// <param name="displayName">How errors name the file: the path as the user wrote it.</param>
    public static ChecksumFile Parse(TextReader reader, string displayName)
    {
        var entries = new Dictionary<string, ExpectedHash>(StringComparer.Ordinal);
        int number = 0;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            number++;
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            (string name, ExpectedHash hash) = ParseLine(line.TrimEnd(), $"checksum file '{displayName}', line {number}");
            if (entries.TryGetValue(name, out ExpectedHash? earlier))
            {
                if (earlier.Algorithm == hash.Algorithm && !earlier.Matches(hash.Hex))
                {
                    throw new FormatException($"checksum file '{displayName}', line {number}: '{name}' is listed again with another {ExpectedHash.Display(hash.Algorithm)}.");
                }

                continue;
            }

            entries.Add(name, hash);
        }

        return new ChecksumFile(entries);
    }

    private static (string Name, ExpectedHash Hash) ParseLine(string line, string where)
    {
        // sha256sum writes a name holding a backslash or a newline escaped, and marks the line with a leading backslash.
        bool escaped = line.StartsWith("\\", StringComparison.Ordinal);
        string body = escaped ? line.Substring(1) : line;
        ExpectedHash? hash;
        string? error;
        Match bsd = Bsd.Match(body);
        if (bsd.Success)
        {
            string algo = bsd.Groups["algo"].Value;
            if (!ExpectedHash.TryParseAlgorithm(algo, out HashAlgorithmName algorithm))
            {
                throw new FormatException($"{where}: '{algo}' is not a hash algorithm; use SHA256, SHA512, SHA384, SHA1 or MD5.");
            }

            if (!ExpectedHash.TryCreate(algorithm, bsd.Groups["hex"].Value, out hash, out error))
            {
                throw new FormatException($"{where}: {error}");
            }

            return (Name(bsd.Groups["name"].Value, escaped), hash!);
        }

        Match gnu = Gnu.Match(body);
        if (!gnu.Success)
        {
            throw new FormatException($"{where}: not a checksum line; expected 'HEX  NAME' (GNU) or 'SHA256 (NAME) = HEX' (BSD).");
        }

        string hex = gnu.Groups["hex"].Value;
        if (!ExpectedHash.TryAlgorithmOfLength(hex.Length, out HashAlgorithmName byLength))
        {
            throw new FormatException($"{where}: a digest of {hex.Length} hex digits is none of MD5 (32), SHA1 (40), SHA256 (64), SHA384 (96) or SHA512 (128).");
        }

        ExpectedHash.TryCreate(byLength, hex, out hash, out _);
        return (Name(gnu.Groups["name"].Value, escaped), hash!);
    }

    private static string Name(string listed, bool escaped)
    {
        string name = escaped ? Unescape(listed) : listed;
        return name.StartsWith("./", StringComparison.Ordinal) ? name.Substring(2) : name;
    }

    private static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                char next = text[++i];
                sb.Append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
