using System.Reflection;

namespace Downloader.Module.Tests;

/// <summary>What PowerShell will check, or trip over, when it imports the module: checked here on the built DLL.</summary>
public sealed class MetadataTests : IDisposable
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov",
        "OutBuffer", "ob", "PipelineVariable", "pv", "ProgressAction", "proga", "WhatIf", "wi", "Confirm", "cf",
        "UseTransaction", "usetx",
    };

    private static readonly string[] StateChanging = { "Start-Download", "Start-DownloadStream", "Stop-Download", "Suspend-Download", "Resume-Download", "Register-DownloadService", "Unregister-DownloadService", "Set-Download" };

    private readonly ModuleMetadata _metadata = new(ModuleFolder.Get().File("Downloader.PowerShell.dll"));

    public void Dispose() => _metadata.Dispose();

    [Fact]
    public void Every_cmdlet_has_an_approved_verb_and_a_VerbNounCommand_class()
    {
        HashSet<string> approved = _metadata.ApprovedVerbs();
        Assert.True(approved.Count > 90, $"only {approved.Count} verbs found in SMA");
        Assert.NotEmpty(_metadata.Cmdlets);
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            (string verb, string noun) = ModuleMetadata.VerbNoun(cmdlet);
            Assert.Contains(verb, approved);
            Assert.Equal(verb + noun + "Command", cmdlet.Name);
            Assert.True(cmdlet.IsSealed, $"{cmdlet.Name} should be sealed");
        }
    }

    [Fact]
    public void State_changing_cmdlets_support_ShouldProcess_and_all_declare_OutputType()
    {
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            (string verb, string noun) = ModuleMetadata.VerbNoun(cmdlet);
            CustomAttributeData attribute = ModuleMetadata.Attribute(cmdlet, "CmdletAttribute")!;
            bool shouldProcess = ModuleMetadata.Named<bool>(attribute, "SupportsShouldProcess");
            Assert.Equal(StateChanging.Contains($"{verb}-{noun}"), shouldProcess);
            Assert.NotNull(ModuleMetadata.Attribute(cmdlet, "OutputTypeAttribute"));
        }
    }

    [Fact]
    public void No_parameter_or_alias_clashes_with_a_common_parameter_or_another()
    {
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            var names = ModuleMetadata.Parameters(cmdlet).SelectMany(p => ModuleMetadata.Aliases(p).Append(p.Name)).ToList();
            Assert.Empty(names.Intersect(CommonParameters, StringComparer.OrdinalIgnoreCase));
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }
    }

    [Fact]
    public void Start_Download_binds_strings_and_csv_columns_from_the_pipeline()
    {
        Type start = _metadata.Cmdlets.Single(c => c.Name == "StartDownloadCommand");
        var parameters = ModuleMetadata.Parameters(start).ToDictionary(p => p.Name);

        AssertBinding(parameters["Uri"], byValue: true, byName: true, "Url", "Source");
        Assert.Equal(typeof(string[]).FullName, parameters["Uri"].PropertyType.FullName);
        AssertBinding(parameters["Destination"], byValue: false, byName: true, "OutFile");
        AssertBinding(parameters["Hash"], byValue: false, byName: true, "Sha256");
        AssertBinding(parameters["Threads"], byValue: false, byName: false, "ThrottleLimit");
        foreach (string name in new[] { "InMemory", "AsJob", "Force", "Headers", "UserAgent", "Credential", "Proxy", "SkipCertificateCheck", "MaximumRetryCount", "RetryIntervalSec", "TimeoutSec", "MaximumBytesPerSecond", "ConnectionsPerFile", "Name" })
        {
            Assert.True(parameters.ContainsKey(name), $"Start-Download lacks -{name}");
        }
    }

    [Fact]
    public void The_downloading_cmdlets_take_the_shared_parameters_and_Resume_Download_with_Path_only()
    {
        Type shared = _metadata.Module.GetType("Downloader.PowerShell.Commands.DownloadCmdletBase")!;
        string[] names = ModuleMetadata.Parameters(shared).Select(p => p.Name).ToArray();
        Assert.Contains("UserAgent", names);
        foreach (string cmdlet in new[] { "StartDownloadCommand", "StartDownloadStreamCommand", "ResumeDownloadCommand" })
        {
            Type type = _metadata.Cmdlets.Single(c => c.Name == cmdlet);
            Assert.Equal(shared, type.BaseType);
            Assert.Empty(names.Except(ModuleMetadata.Parameters(type).Select(p => p.Name)));
        }

        // Declared once, in the download set, which is Resume-Download's -Path set: no cmdlet redeclares one, so
        // the validation PowerShell reads is the base's own.
        Type resume = _metadata.Cmdlets.Single(c => c.Name == "ResumeDownloadCommand");
        PropertyInfo path = resume.GetProperty("Path")!;
        string downloadSet = ModuleMetadata.Named<string>(ModuleMetadata.Attributes(path, "ParameterAttribute").Single(), "ParameterSetName")!;
        foreach (PropertyInfo property in ModuleMetadata.Parameters(shared))
        {
            CustomAttributeData parameter = ModuleMetadata.Attributes(property, "ParameterAttribute").Single();
            Assert.Equal(downloadSet, ModuleMetadata.Named<string>(parameter, "ParameterSetName"));
            foreach (string cmdlet in new[] { "StartDownloadCommand", "StartDownloadStreamCommand", "ResumeDownloadCommand" })
            {
                Assert.Null(_metadata.Cmdlets.Single(c => c.Name == cmdlet).GetProperty(property.Name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
            }
        }
    }

    [Fact]
    public void Job_cmdlets_select_by_id_name_or_pipeline()
    {
        // The *-DownloadService cmdlets act on the OS trigger, not on downloads.
        foreach (Type cmdlet in _metadata.Cmdlets.Where(c => !c.Name.StartsWith("Start", StringComparison.Ordinal) && !c.Name.EndsWith("DownloadServiceCommand", StringComparison.Ordinal)))
        {
            var parameters = ModuleMetadata.Parameters(cmdlet).ToDictionary(p => p.Name);
            Assert.Contains("Id", parameters.Keys);
            Assert.Contains("Name", parameters.Keys);
            AssertBinding(parameters["Job"], byValue: true, byName: true);

            // And the durable queue's entries, by -Persisted with -Id or -Name, or from the pipeline.
            Assert.Contains("Persisted", parameters.Keys);
            AssertBinding(parameters["Entry"], byValue: true, byName: false);
        }
    }

    [Fact]
    public void Job_source_adapter_is_public_with_a_parameterless_constructor_and_a_distinctive_name()
    {
        Type adapter = _metadata.Module.GetExportedTypes().Single(t => t.BaseType?.Name == "JobSourceAdapter");
        Assert.Equal("DownloaderJobSourceAdapter", adapter.Name);
        Assert.True(adapter.IsPublic);
        Assert.NotNull(adapter.GetConstructor(Type.EmptyTypes));

        foreach (string name in new[] { "DownloadJob", "StreamJob" })
        {
            Type job = _metadata.Module.GetExportedTypes().Single(t => t.Name == name);
            Assert.Equal("DownloaderJob", job.BaseType!.Name);
            Assert.Equal("Job2", job.BaseType!.BaseType!.Name);
        }
    }

    [Fact]
    public void Module_initializer_is_public_so_Import_Module_runs_it()
    {
        Type initializer = _metadata.Module.GetExportedTypes().Single(t => t.GetInterfaces().Any(i => i.Name == "IModuleAssemblyInitializer"));
        Assert.NotNull(initializer.GetConstructor(Type.EmptyTypes));
    }

    [Fact]
    public void CmdletsToExport_equals_the_cmdlets_in_the_assembly()
    {
        var manifest = Psd1Parser.Parse(File.ReadAllText(ModuleFolder.Get().File("Downloader.psd1")));
        var exported = ((List<object?>)manifest["CmdletsToExport"]!).Cast<string>().Order();
        var found = _metadata.Cmdlets.Select(c => ModuleMetadata.VerbNoun(c)).Select(v => $"{v.Verb}-{v.Noun}").Order();

        Assert.Equal(found, exported);
    }

    private static void AssertBinding(PropertyInfo property, bool byValue, bool byName, params string[] aliases)
    {
        CustomAttributeData parameter = ModuleMetadata.Attributes(property, "ParameterAttribute").First();
        Assert.Equal(byValue, ModuleMetadata.Named<bool>(parameter, "ValueFromPipeline"));
        Assert.Equal(byName, ModuleMetadata.Named<bool>(parameter, "ValueFromPipelineByPropertyName"));
        Assert.Equal(aliases.Order(), ModuleMetadata.Aliases(property).Order());
    }
}
