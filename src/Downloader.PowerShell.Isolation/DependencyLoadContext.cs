using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Downloader.PowerShell.Isolation;

/// <summary>
/// Loads the engine and its dependencies from the module's Dependencies folder, in a context of their own, following
/// the "resolving PowerShell module assembly dependency conflicts" article: the default context asks us for the
/// engine, and everything the engine needs resolves here. Framework assemblies that PowerShell already has in a
/// version at least as new come from PowerShell, so Span, Task and friends stay one type.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly object InstallLock = new();
    private static DependencyLoadContext? _instance;
    private readonly string _directory;
    private readonly Dictionary<string, Version> _platform;

    private DependencyLoadContext(string directory)
        : base("Downloader.Dependencies")
    {
        _directory = directory;
        _platform = PlatformAssemblies();
    }

    /// <summary>
    /// Hooks the default context once per process; safe to call more than once, and from several runspaces importing
    /// the module at the same moment (ForEach-Object -Parallel, a runspace pool): only one context and one hook.
    /// </summary>
    public static void Install(string dependencyDirectory)
    {
        lock (InstallLock)
        {
            if (_instance != null)
            {
                return;
            }

            DependencyLoadContext context = new(dependencyDirectory);
            Default.Resolving += (_, name) =>
                name.Name == "Downloader.Core" ? context.LoadFromAssemblyName(name) : null;
            _instance = context;
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string simpleName = assemblyName.Name ?? string.Empty;
        if (_platform.TryGetValue(simpleName, out Version? available) &&
            (assemblyName.Version == null || available >= assemblyName.Version))
        {
            return null;
        }

        string path = Path.Combine(_directory, simpleName + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static Dictionary<string, Version> PlatformAssemblies()
    {
        var result = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
        string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                AssemblyName name = AssemblyName.GetAssemblyName(path);
                if (name.Name != null && name.Version != null)
                {
                    result[name.Name] = name.Version;
                }
            }
            catch (BadImageFormatException)
            {
            }
        }

        return result;
    }
}
