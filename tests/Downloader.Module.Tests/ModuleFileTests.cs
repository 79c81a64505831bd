using System.Xml.Linq;

namespace Downloader.Module.Tests;

/// <summary>The module folder's files: the manifest, the format file, the help, and what must never ship.</summary>
public sealed class ModuleFileTests
{
    private readonly ModuleFolder _module = ModuleFolder.Get();

    [Fact]
    public void Manifest_parses_and_has_the_gallery_fields()
    {
        var m = Psd1Parser.Parse(File.ReadAllText(_module.File("Downloader.psd1")));

        Assert.True(Guid.TryParse((string)m["GUID"]!, out _));
        Assert.Equal("5.1", m["PowerShellVersion"]);
        Assert.Equal(new object[] { "Desktop", "Core" }, (List<object?>)m["CompatiblePSEditions"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)m["Author"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)m["Description"]));
        Assert.NotNull(m["DotNetFrameworkVersion"]);
        foreach (string empty in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            Assert.Empty((List<object?>)m[empty]!);
        }

        var psData = (Dictionary<string, object?>)((Dictionary<string, object?>)m["PrivateData"]!)["PSData"]!;
        foreach (string field in new[] { "Tags", "ProjectUri", "LicenseUri", "ReleaseNotes" })
        {
            Assert.NotNull(psData[field]);
        }
    }

    [Fact]
    public void Every_file_the_manifest_names_exists()
    {
        var m = Psd1Parser.Parse(File.ReadAllText(_module.File("Downloader.psd1")));

        Assert.True(File.Exists(_module.File((string)m["RootModule"]!)));
        foreach (string format in ((List<object?>)m["FormatsToProcess"]!).Cast<string>())
        {
            Assert.True(File.Exists(_module.File(format)), format);
        }
    }

    [Fact]
    public void Root_manifest_is_the_one_shipped()
    {
        Assert.Equal(
            File.ReadAllText(Path.Combine(_module.RepositoryRoot, "Downloader.psd1")),
            File.ReadAllText(_module.File("Downloader.psd1")));
    }

    [Fact]
    public void Format_file_is_well_formed_and_names_only_types_that_exist()
    {
        XDocument format = XDocument.Load(_module.File("Downloader.format.ps1xml"));
        string[] typeNames = format.Descendants("TypeName").Select(t => RemotingFileTests.Live(t.Value)).ToArray();
        using var metadata = new ModuleMetadata(_module.File("Downloader.PowerShell.dll"));

        Assert.NotEmpty(typeNames);
        foreach (string typeName in typeNames)
        {
            Assert.NotNull(metadata.Module.GetType(typeName));
        }

        // Views call static helpers; they must exist, or every row renders as an error.
        foreach (string call in format.Descendants("ScriptBlock").Select(s => s.Value))
        {
            foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(call, @"\[([\w.]+)\]::(\w+)"))
            {
                Type type = metadata.Module.GetType(match.Groups[1].Value)!;
                Assert.NotNull(type.GetMethod(match.Groups[2].Value));
            }
        }
    }

    [Fact]
    public void Help_covers_every_cmdlet_and_the_about_topic()
    {
        XDocument help = XDocument.Load(_module.File(Path.Combine("en-US", "Downloader.PowerShell.dll-Help.xml")));
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var documented = help.Descendants(command + "details").Select(d => d.Element(command + "name")!.Value).Order();
        using var metadata = new ModuleMetadata(_module.File("Downloader.PowerShell.dll"));
        var cmdlets = metadata.Cmdlets.Select(ModuleMetadata.VerbNoun).Select(v => $"{v.Verb}-{v.Noun}").Order();

        Assert.Equal(cmdlets, documented);
        Assert.Contains("Get-Content urls.txt | Start-Download -Threads 10", File.ReadAllText(_module.File(Path.Combine("en-US", "about_Downloader.help.txt"))));
    }

    [Fact]
    public void Module_folder_holds_no_System_Management_Automation()
    {
        Assert.Empty(Directory.GetFiles(_module.Path, "System.Management.Automation.dll", SearchOption.AllDirectories));
        Assert.True(File.Exists(_module.File(Path.Combine("Dependencies", "Downloader.Core.dll"))));
        Assert.True(File.Exists(_module.File(Path.Combine("Dependencies", "net8.0", "Downloader.Core.dll"))));
        Assert.True(File.Exists(_module.File("Downloader.PowerShell.Isolation.dll")));
    }
}
