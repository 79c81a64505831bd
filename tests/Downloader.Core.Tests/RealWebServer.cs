using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Downloader.Core.Tests;

/// <summary>
/// A real nginx or Apache, started by the test on a free loopback port with its own configuration in a temporary
/// folder, as one foreground process (nginx: master_process off; Apache: -X), and stopped by its PID.
/// </summary>
public sealed class RealWebServer : IDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private const string Apache = "/usr/sbin/apache2";
    private readonly Process _process;
    private readonly TempDirectory _dir;

    private RealWebServer(TempDirectory dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUri { get; }

    public static bool NginxAvailable => File.Exists(Nginx);

    public static bool ApacheAvailable => File.Exists(Apache);

    /// <summary>The folder the server serves.</summary>
    public string Root => Path.Combine(_dir.Path, "root");

    /// <summary>nginx serving <paramref name="files"/> with the given lines inside its <c>server</c> block.</summary>
    public static Task<RealWebServer> StartNginxAsync(IReadOnlyDictionary<string, byte[]> files, string serverLines)
    {
        var dir = new TempDirectory();
        string d = dir.Path;
        int port = FreePort();
        string temp = string.Join(" ", new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(t => $"{t}_temp_path {d}/tmp;"));
        string config = $$"""
            daemon off;
            master_process off;
            pid {{d}}/nginx.pid;
            error_log {{d}}/error.log;
            events { }
            http {
              access_log off;
              types { text/plain txt; application/gzip gz; }
              default_type application/octet-stream;
              {{temp}}
              server {
                listen 127.0.0.1:{{port}};
                root {{d}}/root;
                {{serverLines}}
              }
            }
            """;
        Directory.CreateDirectory(Path.Combine(d, "tmp"));
        return StartAsync(dir, files, config, "nginx.conf", port, Nginx, "-c", Path.Combine(d, "nginx.conf"), "-e", Path.Combine(d, "error.log"));
    }

    /// <summary>Apache serving <paramref name="files"/> with the given directives added at the end of its configuration.</summary>
    public static Task<RealWebServer> StartApacheAsync(IReadOnlyDictionary<string, byte[]> files, string directives)
    {
        var dir = new TempDirectory();
        string d = dir.Path;
        int port = FreePort();
        const string modules = "/usr/lib/apache2/modules";
        string config = $"""
            ServerRoot {d}
            LoadModule mpm_prefork_module {modules}/mod_mpm_prefork.so
            LoadModule authz_core_module {modules}/mod_authz_core.so
            LoadModule mime_module {modules}/mod_mime.so
            Listen 127.0.0.1:{port}
            ServerName 127.0.0.1
            PidFile {d}/httpd.pid
            ErrorLog {d}/error.log
            DefaultRuntimeDir {d}
            Mutex file:{d}
            User nobody
            Group nogroup
            DocumentRoot {d}/root
            <Directory {d}/root>
              Require all granted
            </Directory>
            KeepAlive Off
            TypesConfig /etc/mime.types
            {directives}
            """;
        return StartAsync(dir, files, config, "httpd.conf", port, Apache, "-X", "-f", Path.Combine(d, "httpd.conf"));
    }

    public Uri Url(string relative) => new(BaseUri, relative);

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private static async Task<RealWebServer> StartAsync(TempDirectory dir, IReadOnlyDictionary<string, byte[]> files, string config, string configName, int port, string program, params string[] args)
    {
        string root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(root);
        foreach ((string name, byte[] content) in files)
        {
            File.WriteAllBytes(Path.Combine(root, name), content);
        }

        // Workers run as nobody: they must be able to reach the files.
        if (!OperatingSystem.IsWindows())
        {
            foreach (string path in new[] { dir.Path, root })
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
        }

        File.WriteAllText(Path.Combine(dir.Path, configName), config);
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info)!;
        var server = new RealWebServer(dir, process, port);
        try
        {
            // Ready when it accepts a connection; a server that exits instead says why in its log.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    string log = Path.Combine(dir.Path, "error.log");
                    throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {(File.Exists(log) ? File.ReadAllText(log) : string.Empty)}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    return server;
                }
                catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
                {
                    await Task.Delay(20);
                }
            }
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
