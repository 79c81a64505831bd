using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace Downloader.Core.Service;

/// <summary>
/// The macOS launchd agent (<c>~/Library/LaunchAgents/org.downloader.queue.plist</c>) that starts the queue worker
/// when the user's launchd session starts (RunAtLoad), and again if it fails (KeepAlive on an unsuccessful exit).
/// </summary>
public static class LaunchdPlist
{
    public const string Label = "org.downloader.queue";

    public static string Build(string program, IReadOnlyList<string> arguments, string outputPath)
    {
        var dict = new XElement(
            "dict",
            Key("Label"), new XElement("string", Label),
            Key("ProgramArguments"), new XElement("array", new[] { program }.Concat(arguments).Select(a => new XElement("string", a))),
            Key("RunAtLoad"), new XElement("true"),
            Key("KeepAlive"), new XElement("dict", Key("SuccessfulExit"), new XElement("false")),
            Key("ProcessType"), new XElement("string", "Background"),
            Key("StandardOutPath"), new XElement("string", outputPath),
            Key("StandardErrorPath"), new XElement("string", outputPath));
        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XDocumentType("plist", "-//Apple//DTD PLIST 1.0//EN", "http://www.apple.com/DTDs/PropertyList-1.0.dtd", null),
            new XElement("plist", new XAttribute("version", "1.0"), dict));
        using var writer = new Utf8Writer();
        document.Save(writer);
        return writer.ToString();
    }

    private static XElement Key(string name) => new("key", name);

    private sealed class Utf8Writer : StringWriter
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
