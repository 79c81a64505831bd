using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// A real squid from Debian on a free loopback port, with its own configuration, logs and password helper in a temp
/// folder: proxy Basic auth required for everything, plain http and CONNECT to any port (loopback included). Started
/// by the test, stopped by its PID.
/// </summary>
public sealed class SquidProxy : IAsyncDisposable
{
    public const string User = "proxyuser";
    public const string Password = "Pr0xy-S3cret";
    private const string Binary = "/usr/sbin/squid";
    private readonly TempDirectory _dir;
    private readonly Process _process;

    private SquidProxy(Process process, int port, TempDirectory dir)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public static bool Installed => File.Exists(Binary);

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public Uri AddressWithCredentials => new($"http://{User}:{Password}@127.0.0.1:{Port}/");

    /// <summary>Starts squid and waits until it says it accepts connections (a few tries if the free port was taken meanwhile).</summary>
    public static async Task<SquidProxy> StartAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            var dir = new TempDirectory();
            int port = FreePort();
            Process process = Start(dir, port);
            if (await AcceptingAsync(process))
            {
                return new SquidProxy(process, port, dir);
            }

            Stop(process);
            string log = File.Exists(dir.File("cache.log")) ? File.ReadAllText(dir.File("cache.log")) : "(no cache.log)";
            dir.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException("squid did not start:\n" + log);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        _dir.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Process Start(TempDirectory dir, int port)
    {
        // squid started as root drops to the 'proxy' user: its folder and files must be open to that user.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_111_111);
        }

        File.WriteAllText(dir.File("auth.sh"), $$"""
            #!/bin/sh
            while read -r user pass; do
              if [ "$user" = "{{User}}" ] && [ "$pass" = "{{Password}}" ]; then echo OK; else echo ERR; fi
            done
            """.Replace("\r", string.Empty));
        File.WriteAllText(dir.File("squid.conf"), $"""
            http_port 127.0.0.1:{port}
            pid_filename {dir.File("squid.pid")}
            access_log stdio:{dir.File("access.log")}
            cache_log {dir.File("cache.log")}
            cache_store_log none
            coredump_dir {dir.Path}
            cache deny all
            cache_mem 4 MB
            pinger_enable off
            shutdown_lifetime 0 seconds
            auth_param basic program /bin/sh {dir.File("auth.sh")}
            auth_param basic realm downloader-test
            auth_param basic children 2 startup=1
            acl authed proxy_auth REQUIRED
            http_access allow authed
            http_access deny all
            """.Replace("\r", string.Empty));
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-N", "-d", "1", "-f", dir.File("squid.conf") })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    // squid -d 1 echoes its log to stderr; the line that says it listens is the event to wait for.
    private static async Task<bool> AcceptingAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
        try
        {
            while (await process.StandardError.ReadLineAsync(timeout.Token) is string line)
            {
                if (line.Contains("Accepting HTTP Socket connections", StringComparison.Ordinal))
                {
                    _ = DrainAsync(process.StandardError);
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        try
        {
            await reader.ReadToEndAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
