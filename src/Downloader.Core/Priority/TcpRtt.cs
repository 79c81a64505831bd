using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Downloader.Core.Priority;

/// <summary>
/// The round-trip time the kernel measures on one of our sockets, and the bytes it received so far (a socket that
/// received nothing since the last look has only a stale figure). Linux: <c>TCP_INFO</c>'s receiver-side
/// <c>tcpi_rcv_rtt</c> (from TCP timestamps: the data that answers our acknowledgement, so it includes the queue the
/// data waited in); Windows: <c>SIO_TCP_INFO</c> (<c>TCP_INFO_v0</c>); macOS: <c>TCP_CONNECTION_INFO</c>. Needs
/// <c>Socket.GetRawSocketOption</c> (.NET 5 and later): on netstandard2.0 it reads nothing and the caller falls back to
/// request latency.
/// </summary>
internal static class TcpRtt
{
    private const int IpProtoTcp = 6;
    private const int LinuxTcpInfo = 11;
    private const int MacTcpConnectionInfo = 0x106;
    private const int WindowsSioTcpInfo = unchecked((int)0xD8000027);

    /// <summary>Whether this runtime can read the kernel's figures at all.</summary>
    public static bool Available =>
#if NET8_0_OR_GREATER
        OperatingSystem.IsLinux() || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();
#else
        false;
#endif

    public static bool TryRead(Socket socket, out TimeSpan rtt, out long received)
    {
        rtt = TimeSpan.Zero;
        received = 0;
#if NET8_0_OR_GREATER
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return ReadLinux(socket, out rtt, out received);
            }

            if (OperatingSystem.IsWindows())
            {
                return ReadWindows(socket, out rtt, out received);
            }

            if (OperatingSystem.IsMacOS())
            {
                return ReadMac(socket, out rtt, out received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or PlatformNotSupportedException)
        {
            // Closed meanwhile, or a kernel without the option: no sample.
        }
#endif
        return false;
    }

#if NET8_0_OR_GREATER
    // struct tcp_info (linux/tcp.h): tcpi_rcv_rtt (µs) at 92, tcpi_bytes_received at 128.
    private static bool ReadLinux(Socket socket, out TimeSpan rtt, out long received)
    {
        Span<byte> info = stackalloc byte[232];
        int length = socket.GetRawSocketOption(IpProtoTcp, LinuxTcpInfo, info);
        rtt = TimeSpan.Zero;
        received = 0;
        if (length < 136)
        {
            return false;
        }

        rtt = Microseconds(MemoryMarshal.Read<uint>(info.Slice(92)));
        received = (long)MemoryMarshal.Read<ulong>(info.Slice(128));
        return rtt > TimeSpan.Zero;
    }

    // TCP_INFO_v0 (mstcpip.h), version 0 asked for: RttUs at 20, BytesIn at 56.
    private static bool ReadWindows(Socket socket, out TimeSpan rtt, out long received)
    {
        byte[] info = new byte[88];
        int length = socket.IOControl(WindowsSioTcpInfo, BitConverter.GetBytes(0), info);
        rtt = length >= 64 ? Microseconds(BitConverter.ToUInt32(info, 20)) : TimeSpan.Zero;
        received = length >= 64 ? (long)BitConverter.ToUInt64(info, 56) : 0;
        return rtt > TimeSpan.Zero;
    }

    // struct tcp_connection_info (netinet/tcp.h): tcpi_rttcur (ms) at 40, tcpi_rxbytes at 88.
    private static bool ReadMac(Socket socket, out TimeSpan rtt, out long received)
    {
        Span<byte> info = stackalloc byte[112];
        int length = socket.GetRawSocketOption(IpProtoTcp, MacTcpConnectionInfo, info);
        rtt = length >= 96 ? TimeSpan.FromMilliseconds(MemoryMarshal.Read<uint>(info.Slice(40))) : TimeSpan.Zero;
        received = length >= 96 ? (long)MemoryMarshal.Read<ulong>(info.Slice(88)) : 0;
        return rtt > TimeSpan.Zero;
    }

    private static TimeSpan Microseconds(uint value) => TimeSpan.FromTicks(value * 10L);
#endif
}
