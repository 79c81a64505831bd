using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Downloader.PowerShell.Isolation;

/// <summary>
/// Runs when Import-Module loads the assembly: makes the engine loadable before any cmdlet needs it. On PowerShell 7
/// the engine's net8.0 build (Dependencies/net8.0/, which owns its sockets: kernel RTT and receive-window pacing for
/// Background, receive buffers bounded under a rate cap) gets a load context of its own; on Windows PowerShell 5.1,
/// which has no load contexts, AssemblyResolve finds the netstandard2.0 build in Dependencies/.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly string DependencyDirectory = Path.Combine(ModuleDirectory, "Dependencies");
    private static readonly string CoreDependencyDirectory = Path.Combine(DependencyDirectory, "net8.0");

    public void OnImport()
    {
        if (IsCore)
        {
            if (Environment.Version.Major < 8)
            {
                // PowerShell 7.0 to 7.3 run on .NET 6 or 7, which cannot load the net8.0 isolation assembly; say so
                // plainly instead of failing later on a missing type.
                throw new PlatformNotSupportedException(
                    $"Downloader needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is PowerShell on .NET {Environment.Version}.");
            }

            // The load context type exists only on .NET (Core), so it lives in an assembly built for it.
            Assembly isolation = Assembly.LoadFrom(Path.Combine(ModuleDirectory, "Downloader.PowerShell.Isolation.dll"));
            isolation.GetType("Downloader.PowerShell.Isolation.DependencyLoadContext", throwOnError: true)!
                .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { CoreDependencyDirectory });
        }
        else
        {
            AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        if (!IsCore)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveFromDependencies;
        }
    }

    private static bool IsCore =>
        !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
    {
        string path = Path.Combine(DependencyDirectory, new AssemblyName(args.Name).Name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
