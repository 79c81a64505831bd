using System;
using System.Globalization;

namespace Downloader.Core.Planning;

/// <summary>A half-open byte range [Start, End).</summary>
public readonly struct ByteRange : IEquatable<ByteRange>
{
    public ByteRange(long start, long end)
    {
        if (start < 0 || end < start)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"Invalid byte range [{start}, {end}).");
        }

        Start = start;
        End = end;
    }

    public long Start { get; }

    public long End { get; }

    public long Length => End - Start;

    public bool Equals(ByteRange other) => Start == other.Start && End == other.End;

    public override bool Equals(object? obj) => obj is ByteRange other && Equals(other);

    public override int GetHashCode() => unchecked((Start.GetHashCode() * 397) ^ End.GetHashCode());

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}-{1}", Start, End);

    public static bool operator ==(ByteRange left, ByteRange right) => left.Equals(right);

    public static bool operator !=(ByteRange left, ByteRange right) => !left.Equals(right);
}
