using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;

namespace Downloader.Core.Http;

/// <summary>
/// A .netrc file, as curl, wget and aria2 read it: <c>machine HOST login USER password PASS</c> entries and an
/// optional <c>default</c> one, in any layout of whitespace; <c>macdef</c> blocks are skipped. Its passwords are
/// secrets: they go to their own host only and are never shown.
/// </summary>
public sealed class NetrcFile
{
    private readonly Dictionary<string, NetworkCredential> _machines = new(StringComparer.OrdinalIgnoreCase);
    private NetworkCredential? _default;

    private NetrcFile()
    {
    }

    /// <summary>The user's own file: %HOME%/.netrc (or _netrc on Windows, as curl does); null when there is none.</summary>
    public static string? DefaultPath()
    {
        string home = Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (string name in new[] { ".netrc", "_netrc" })
        {
            string path = Path.Combine(home, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    /// <summary>Reads a file; an unreadable one throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static NetrcFile Read(string path) => Parse(File.ReadAllText(path));

    public static NetrcFile Parse(string text)
    {
        var file = new NetrcFile();
        List<string> tokens = Tokens(text);
        string? machine = null;
        bool isDefault = false;
        string? login = null;
        string? password = null;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            string? next = i + 1 < tokens.Count ? tokens[i + 1] : null;
            switch (token)
            {
                case "machine" or "default":
                    file.Add(machine, isDefault, login, password);
                    isDefault = token == "default";
                    machine = isDefault ? null : next;
                    login = password = null;
                    i += isDefault ? 0 : 1;
                    break;
                case "login":
                    login = next;
                    i++;
                    break;
                case "password":
                    password = next;
                    i++;
                    break;
                case "account":
                    i++;
                    break;
            }
        }

        file.Add(machine, isDefault, login, password);
        return file;
    }

    /// <summary>The credential for a host: its own entry, else the default one, else null.</summary>
    public NetworkCredential? Find(string host) => _machines.TryGetValue(host, out NetworkCredential? found) ? found : _default;

    private void Add(string? machine, bool isDefault, string? login, string? password)
    {
        if (login == null && password == null)
        {
            return;
        }

        var credential = new NetworkCredential(login ?? string.Empty, password ?? string.Empty);
        if (isDefault)
        {
            _default ??= credential;
        }
        else if (machine != null && !_machines.ContainsKey(machine))
        {
            // The first entry for a host wins, as in curl.
            _machines[machine] = credential;
        }
    }

    // Whitespace-separated tokens, "quoted" ones with \" and \\ escapes; a macdef runs to the next empty line.
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var token = new StringBuilder();
            bool quoted = text[i] == '"';
            i += quoted ? 1 : 0;
            while (i < text.Length && (quoted ? text[i] != '"' : !char.IsWhiteSpace(text[i])))
            {
                i += quoted && text[i] == '\\' && i + 1 < text.Length ? 1 : 0;
                token.Append(text[i++]);
            }

            i += quoted ? 1 : 0;
            tokens.Add(token.ToString());
            if (!quoted && token.ToString() == "macdef")
            {
                int end = text.IndexOf("\n\n", i, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
        }

        return tokens;
    }
}
