using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Downloader.Module.Tests;

/// <summary>
/// The files that make the module's output read the same after remoting (README "Beyond one machine"): the types
/// file that sets how deep a result is serialized, and format views that select the Deserialized. copies and read
/// only what a copy has, its properties. The hosted-engine tier renders the copies; this checks every view.
/// </summary>
public sealed class RemotingFileTests
{
    private const string Deserialized = "Deserialized.";

    private readonly ModuleFolder _module = ModuleFolder.Get();

    /// <summary>The live type's name for a view's type name, with or without the Deserialized. prefix.</summary>
    public static string Live(string typeName) => typeName.StartsWith(Deserialized, StringComparison.Ordinal) ? typeName.Substring(Deserialized.Length) : typeName;

    [Fact]
    public void Every_view_selects_the_deserialized_copy_of_each_type_it_selects()
    {
        foreach (XElement view in Views())
        {
            string[] names = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => t.Value).ToArray();
            foreach (string live in names.Where(n => !n.StartsWith(Deserialized, StringComparison.Ordinal)))
            {
                Assert.True(names.Contains(Deserialized + live), $"View '{view.Element("Name")!.Value}' selects {live} but not {Deserialized}{live}.");
            }
        }
    }

    [Fact]
    public void Every_view_column_reads_only_properties_its_types_have()
    {
        using var metadata = new ModuleMetadata(_module.File("Downloader.PowerShell.dll"));
        foreach (XElement view in Views())
        {
            string name = view.Element("Name")!.Value;
            Type[] types = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(t => Live(t.Value)).Distinct()
                .Select(t => metadata.Module.GetType(t) ?? throw new InvalidOperationException($"View '{name}' names {t}, which the module does not define.")).ToArray();
            foreach (XElement column in view.Descendants("TableColumnItem"))
            {
                string? property = column.Element("PropertyName")?.Value;
                string? script = column.Element("ScriptBlock")?.Value;
                IEnumerable<string> read = property != null ? new[] { property } : Regex.Matches(script!, @"\$_\.(\w+)").Select(m => m.Groups[1].Value);

                // A copy has properties only: $_.Method() works on the live object and fails on every remote row.
                Assert.False(script != null && Regex.IsMatch(script, @"\$_(\.\w+)*\.\w+\s*\("), $"View '{name}' calls a method of the object: {script}");
                foreach (string member in read)
                {
                    foreach (Type type in types)
                    {
                        Assert.True(type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance) != null, $"View '{name}' reads {member}, which {type.Name} does not have.");
                    }
                }
            }
        }
    }

    [Fact]
    public void Types_file_is_in_the_manifest_and_the_module_folder_and_sets_the_result_depth()
    {
        var manifest = Psd1Parser.Parse(File.ReadAllText(_module.File("Downloader.psd1")));
        Assert.True(manifest.ContainsKey("TypesToProcess"), "The manifest names no TypesToProcess.");
        List<string> typesFiles = ((List<object?>)manifest["TypesToProcess"]!).Cast<string>().ToList();
        Assert.Equal(new[] { "Downloader.types.ps1xml" }, typesFiles);
        Assert.True(File.Exists(_module.File("Downloader.types.ps1xml")));

        XDocument types = XDocument.Load(_module.File("Downloader.types.ps1xml"));
        using var metadata = new ModuleMetadata(_module.File("Downloader.PowerShell.dll"));
        foreach (XElement type in types.Root!.Elements("Type"))
        {
            Assert.NotNull(metadata.Module.GetType(type.Element("Name")!.Value));
        }

        // Depth 2: a result's DateTimeOffsets come back as objects with UtcDateTime, not as strings cut to the second.
        XElement item = types.Root.Elements("Type").Single(t => t.Element("Name")!.Value == "Downloader.PowerShell.Output.DownloadItem");
        XElement depth = item.Descendants("NoteProperty").Single(p => p.Element("Name")!.Value == "SerializationDepth");
        Assert.True(int.Parse(depth.Element("Value")!.Value, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    private IEnumerable<XElement> Views()
    {
        XElement[] views = XDocument.Load(_module.File("Downloader.format.ps1xml")).Descendants("View").ToArray();
        Assert.NotEmpty(views);
        return views;
    }
}
