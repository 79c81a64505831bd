using System.Globalization;
using System.Text;

namespace Downloader.Module.Tests;

/// <summary>
/// Parses the data language a module manifest uses: hashtables, arrays, single- and double-quoted strings, numbers
/// and $true/$false. Anything else (a command, a variable) is an error, as it is for Import-PowerShellDataFile.
/// </summary>
public sealed class Psd1Parser
{
    private readonly string _text;
    private int _at;

    private Psd1Parser(string text)
    {
        _text = text;
    }

    public static Dictionary<string, object?> Parse(string text)
    {
        var parser = new Psd1Parser(text);
        parser.Skip();
        var result = parser.Value() as Dictionary<string, object?> ?? throw parser.Error("the manifest is not a hashtable");
        parser.Skip();
        if (parser._at < text.Length)
        {
            throw parser.Error("text after the hashtable");
        }

        return result;
    }

    private object? Value()
    {
        Skip();
        if (Take("@{"))
        {
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                Skip();
                if (Take("}"))
                {
                    return table;
                }

                string key = Peek() is '\'' or '"' ? (string)Value()! : Word();
                Skip();
                Expect("=");
                if (!table.TryAdd(key, Value()))
                {
                    throw Error($"duplicate key '{key}'");
                }

                Skip();
                Take(";");
            }
        }

        if (Take("@("))
        {
            var list = new List<object?>();
            while (true)
            {
                Skip();
                if (Take(")"))
                {
                    return list;
                }

                list.Add(Value());
                Skip();
                Take(",");
            }
        }

        if (Peek() == '\'')
        {
            return Quoted('\'');
        }

        if (Peek() == '"')
        {
            return Quoted('"');
        }

        if (Take("$true"))
        {
            return true;
        }

        if (Take("$false"))
        {
            return false;
        }

        string word = Word();
        return double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            ? number
            : throw Error($"'{word}' is not allowed in a data file");
    }

    private string Quoted(char quote)
    {
        _at++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length)
            {
                throw Error("unterminated string");
            }

            char c = _text[_at++];
            if (c == quote)
            {
                if (_at < _text.Length && _text[_at] == quote)
                {
                    sb.Append(quote);
                    _at++;
                    continue;
                }

                return sb.ToString();
            }

            sb.Append(c);
        }
    }

    private string Word()
    {
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '.' or '-'))
        {
            _at++;
        }

        return _at > start ? _text.Substring(start, _at - start) : throw Error("expected a name or value");
    }

    private void Skip()
    {
        while (_at < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
            else if (_text[_at] == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private bool Take(string token)
    {
        if (string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0)
        {
            _at += token.Length;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Take(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private FormatException Error(string what) => new($"Manifest: {what} at offset {_at}.");
}
