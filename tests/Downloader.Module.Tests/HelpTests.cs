using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Downloader.Core;

namespace Downloader.Module.Tests;

/// <summary>
/// The help's parameter tables (written by Module/make-help.py) against the built cmdlets: the same parameters with
/// the same types, and every default the help states equal to the one the code applies, so help cannot drift.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

    /// <summary>How make-help.py spells a type, as the CLR names it.</summary>
    private static readonly Dictionary<string, string> TypeNames = new()
    {
        ["string"] = "String",
        ["int"] = "Int32",
        ["long"] = "Int64",
        ["switch"] = "SwitchParameter",
    };

    /// <summary>
    /// The defaults help may state, by parameter, read from the engine: the only place they are written. A default
    /// the help states for a parameter missing here fails the test, so a new one must be tied to its source.
    /// </summary>
    private static readonly Dictionary<string, Func<DownloadOptions, string>> EngineDefaults = new()
    {
        ["Threads"] = _ => ConnectionPolicy.DefaultTotal.ToString(CultureInfo.InvariantCulture),
        ["ConnectionsPerFile"] = o => Number(o.MaxConnectionsPerFile),
        ["MaximumRetryCount"] = o => Number(o.MaxRetries),
        ["RetryIntervalSec"] = o => Number(o.RetryBaseDelay.TotalSeconds),
        ["TimeoutSec"] = o => o.ReadTimeout == o.ResponseTimeout ? Number(o.ReadTimeout.TotalSeconds) : "ReadTimeout and ResponseTimeout differ",
        ["MaximumBytesPerSecond"] = o => Number(o.MaxBytesPerSecond),
        ["MaximumInMemorySize"] = o => Number(o.MaxInMemorySize),
        ["UserAgent"] = o => Regex.Replace(o.UserAgent, "/.*$", "/VERSION"),
    };

    /// <summary>Defaults that belong to one cmdlet, not to the engine, as the cmdlet's code writes them.</summary>
    private static readonly Dictionary<string, string> CmdletDefaults = new()
    {
        ["Start-DownloadStream -BindAddress"] = "127.0.0.1",
    };

    private readonly ModuleMetadata _metadata = new(ModuleFolder.Get().File("Downloader.PowerShell.dll"));
    private readonly XDocument _help = XDocument.Load(ModuleFolder.Get().File(Path.Combine("en-US", "Downloader.PowerShell.dll-Help.xml")));

    public void Dispose() => _metadata.Dispose();

    [Fact]
    public void Every_parameter_of_every_cmdlet_is_documented_and_the_help_names_no_other()
    {
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            string name = CmdletName(cmdlet);
            var code = ModuleMetadata.Parameters(cmdlet).Select(p => p.Name).Order().ToArray();
            var documented = HelpParameters(name).Select(p => p.Name).Order().ToArray();

            Assert.True(
                code.SequenceEqual(documented),
                $"{name}: not in help: [{string.Join(", ", code.Except(documented))}]; in help only: [{string.Join(", ", documented.Except(code))}]. Run make-help.py after fixing its table.");
            Assert.Equal(documented, SyntaxParameters(name).Order());
        }
    }

    [Fact]
    public void Every_documented_parameter_has_the_type_of_the_property()
    {
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            string name = CmdletName(cmdlet);
            var properties = ModuleMetadata.Parameters(cmdlet).ToDictionary(p => p.Name);
            foreach ((string parameter, string type, _) in HelpParameters(name))
            {
                string element = type.EndsWith("[]", StringComparison.Ordinal) ? type[..^2] : type;
                string expected = (TypeNames.TryGetValue(element, out string? clr) ? clr : element) + (type.EndsWith("[]", StringComparison.Ordinal) ? "[]" : string.Empty);
                Assert.True(properties.ContainsKey(parameter), $"{name} -{parameter} is documented but does not exist");
                Assert.True(expected == properties[parameter].PropertyType.Name, $"{name} -{parameter}: help says {type}, the property is {properties[parameter].PropertyType.Name}");
            }
        }
    }

    [Fact]
    public void Every_default_the_help_states_is_the_one_the_code_applies()
    {
        var options = new DownloadOptions();
        int checkedDefaults = 0;
        foreach (Type cmdlet in _metadata.Cmdlets)
        {
            string name = CmdletName(cmdlet);
            foreach ((string parameter, _, string description) in HelpParameters(name))
            {
                // "(default 8)", "(default 256 MiB)", "(default 0: none)", "(default 8; for a single URL ...)".
                Match stated = Regex.Match(description, @"\(default ([^):;]+)");
                if (!stated.Success)
                {
                    continue;
                }

                string text = stated.Groups[1].Value.Trim();
                if (CmdletDefaults.TryGetValue($"{name} -{parameter}", out string? own))
                {
                    Assert.Equal(own, text);
                }
                else
                {
                    Assert.True(EngineDefaults.TryGetValue(parameter, out Func<DownloadOptions, string>? source), $"{name} -{parameter} states a default (\"{text}\") the test does not know the source of: add it to EngineDefaults or CmdletDefaults.");
                    Assert.True(source!(options) == Normalise(text), $"{name} -{parameter}: help says (default {text}), the engine's default is {source(options)}");
                }

                checkedDefaults++;
            }
        }

        // The shared parameters' defaults are stated for three cmdlets, plus Start-Download's own and the stream's.
        Assert.True(checkedDefaults >= 20, $"only {checkedDefaults} defaults found in help: has the help's wording changed?");
    }

    private static string CmdletName(Type cmdlet)
    {
        (string verb, string noun) = ModuleMetadata.VerbNoun(cmdlet);
        return $"{verb}-{noun}";
    }

    private XElement HelpCommand(string name) =>
        _help.Descendants(Command + "command").SingleOrDefault(c => c.Element(Command + "details")?.Element(Command + "name")?.Value == name)
        ?? throw new Xunit.Sdk.XunitException($"The help has no entry for {name}.");

    private IEnumerable<(string Name, string Type, string Description)> HelpParameters(string name) =>
        HelpCommand(name).Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => (
            p.Element(Maml + "name")!.Value,
            p.Element(Command + "parameterValue")?.Value ?? string.Empty,
            string.Concat(p.Element(Maml + "description")!.Elements(Maml + "para").Select(e => e.Value))));

    private IEnumerable<string> SyntaxParameters(string name) =>
        HelpCommand(name).Element(Command + "syntax")!.Descendants(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value);

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A stated default as the engine's value prints: "256 MiB" as bytes, anything else as written.</summary>
    private static string Normalise(string text)
    {
        Match sized = Regex.Match(text, @"^(\d+) (KiB|MiB|GiB)$");
        if (!sized.Success)
        {
            return text;
        }

        int shift = sized.Groups[2].Value switch { "KiB" => 10, "MiB" => 20, _ => 30 };
        return Number(long.Parse(sized.Groups[1].Value, CultureInfo.InvariantCulture) << shift);
    }
}
