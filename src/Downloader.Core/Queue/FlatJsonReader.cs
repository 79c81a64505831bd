using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Downloader.Core.Queue;

/// <summary>Reads what <see cref="FlatJson.Write"/> writes (and any JSON object of the same shapes).</summary>
internal sealed class FlatJsonReader
{
    private readonly string _text;
    private int _at;

    public FlatJsonReader(string text)
    {
        _text = text;
    }

    public Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        Expect('{');
        if (Peek() == '}')
        {
            _at++;
            return result;
        }

        do
        {
            string key = ReadString();
            Expect(':');
            result[key] = ReadValue();
        }
        while (Next(',', '}') == ',');
        return result;
    }

    private object? ReadValue()
    {
        char c = Peek();
        if (c == '"')
        {
            return ReadString();
        }

        if (c == '[')
        {
            return ReadArray();
        }

        foreach (var (word, value) in new (string, object?)[] { ("true", true), ("false", false), ("null", null) })
        {
            if (string.CompareOrdinal(_text, _at, word, 0, word.Length) == 0)
            {
                _at += word.Length;
                return value;
            }
        }

        int start = _at;
        while (_at < _text.Length && "+-.0123456789eE".IndexOf(_text[_at]) >= 0)
        {
            _at++;
        }

        return double.TryParse(_text.Substring(start, _at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            ? number
            : throw Bad("a value");
    }

    private string[] ReadArray()
    {
        Expect('[');
        var items = new List<string>();
        if (Peek() == ']')
        {
            _at++;
            return items.ToArray();
        }

        do
        {
            items.Add(ReadString());
        }
        while (Next(',', ']') == ',');
        return items.ToArray();
    }

    private string ReadString()
    {
        Expect('"');
        var sb = new StringBuilder();
        while (_at < _text.Length)
        {
            char c = _text[_at++];
            if (c == '"')
            {
                return sb.ToString();
            }

            sb.Append(c == '\\' ? Unescape() : c);
        }

        throw Bad("the end of a string");
    }

    private char Unescape()
    {
        char c = _at < _text.Length ? _text[_at++] : throw Bad("an escape");
        switch (c)
        {
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'u' when _at + 4 <= _text.Length:
                _at += 4;
                return (char)int.Parse(_text.Substring(_at - 4, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            default: return c;
        }
    }

    private char Next(char more, char end)
    {
        char c = Peek();
        if (c != more && c != end)
        {
            throw Bad($"'{more}' or '{end}'");
        }

        _at++;
        return c;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Bad($"'{c}'");
        }

        _at++;
    }

    private char Peek()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }

        return _at < _text.Length ? _text[_at] : '\0';
    }

    private FormatException Bad(string expected) => new($"Expected {expected} at character {_at}.");
}
