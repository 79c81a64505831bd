using System;
using System.Runtime.InteropServices;

namespace Downloader.Cli;

/// <summary>
/// Turns the terminal's echo off for as long as it is held. .NET turns echo off only while a Console.ReadKey call runs,
/// so a password typed or pasted between the prompt and the first ReadKey (or between two keys) was echoed by the
/// terminal itself. On Windows the console echoes nothing that ReadKey has not read, so there is nothing to do.
/// </summary>
internal sealed class TerminalEcho : IDisposable
{
    private const int StdIn = 0;
    private const int TcsaNow = 0;
    private const ulong Echo = 0x8;    // ECHO in c_lflag, on Linux and macOS alike

    // struct termios is at most 72 bytes (macOS); the buffer is larger so no platform's layout can overrun it.
    private readonly byte[]? _saved;

    private TerminalEcho(byte[]? saved) => _saved = saved;

    public static TerminalEcho Off()
    {
        if (OperatingSystem.IsWindows())
        {
            return new TerminalEcho(null);
        }

        var saved = new byte[256];
        if (tcgetattr(StdIn, saved) != 0)
        {
            return new TerminalEcho(null);
        }

        byte[] quiet = (byte[])saved.Clone();
        WriteLocalFlags(quiet, ReadLocalFlags(quiet) & ~Echo);
        return new TerminalEcho(tcsetattr(StdIn, TcsaNow, quiet) == 0 ? saved : null);
    }

    public void Dispose()
    {
        if (_saved is not null)
        {
            _ = tcsetattr(StdIn, TcsaNow, _saved);
        }
    }

    // c_lflag is the fourth flag word: 32-bit words on Linux (offset 12), 64-bit on macOS (offset 24).
    private static int LocalFlagsOffset => OperatingSystem.IsMacOS() ? 24 : 12;

    private static ulong ReadLocalFlags(byte[] termios) => OperatingSystem.IsMacOS()
        ? BitConverter.ToUInt64(termios, LocalFlagsOffset)
        : BitConverter.ToUInt32(termios, LocalFlagsOffset);

    private static void WriteLocalFlags(byte[] termios, ulong flags)
    {
        byte[] bytes = OperatingSystem.IsMacOS() ? BitConverter.GetBytes(flags) : BitConverter.GetBytes((uint)flags);
        Buffer.BlockCopy(bytes, 0, termios, LocalFlagsOffset, bytes.Length);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int tcgetattr(int fd, byte[] termios);

    [DllImport("libc", SetLastError = true)]
    private static extern int tcsetattr(int fd, int optionalActions, byte[] termios);
}
