using System.Reflection;

namespace Downloader.Module.Tests;

/// <summary>The built module assembly, opened with MetadataLoadContext: its types can be inspected, never run.</summary>
public sealed class ModuleMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;

    public ModuleMetadata(string assemblyPath)
    {
        string folder = Path.GetDirectoryName(assemblyPath)!;
        _context = Context(folder, Path.Combine(folder, "Dependencies"));
        Module = _context.LoadFromAssemblyPath(assemblyPath);
        Automation = _context.LoadFromAssemblyName("System.Management.Automation");
    }

    public Assembly Module { get; }

    /// <summary>
    /// A context that resolves from the given folders (the first holding a file name wins), then the stub SMA, then
    /// this runtime's framework.
    /// </summary>
    public static MetadataLoadContext Context(params string[] folders)
    {
        var paths = folders.SelectMany(f => Directory.GetFiles(f, "*.dll"))
            .Append(Path.Combine(AppContext.BaseDirectory, "System.Management.Automation.dll"))
            .Concat(Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
    }

    public Assembly Automation { get; }

    public IEnumerable<Type> Cmdlets => Module.GetExportedTypes().Where(t => Attribute(t, "CmdletAttribute") != null);

    public static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    public static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string name) =>
        member.GetCustomAttributesData().Where(a => a.AttributeType.Name == name);

    public static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    public static (string Verb, string Noun) VerbNoun(Type cmdlet)
    {
        CustomAttributeData a = Attribute(cmdlet, "CmdletAttribute")!;
        return ((string)a.ConstructorArguments[0].Value!, (string)a.ConstructorArguments[1].Value!);
    }

    /// <summary>Every parameter of a cmdlet: properties with [Parameter], inherited ones included.</summary>
    public static IEnumerable<PropertyInfo> Parameters(Type cmdlet) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => Attributes(p, "ParameterAttribute").Any());

    public static string[] Aliases(PropertyInfo property) =>
        Attributes(property, "AliasAttribute")
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!))
            .ToArray();

    /// <summary>The approved verbs: the const fields of SMA's Verbs* classes.</summary>
    public HashSet<string> ApprovedVerbs() => Automation.GetExportedTypes()
        .Where(t => t.Name.StartsWith("Verbs", StringComparison.Ordinal))
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    public void Dispose() => _context.Dispose();
}
