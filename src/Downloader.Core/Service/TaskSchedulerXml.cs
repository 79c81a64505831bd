using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml.Linq;

namespace Downloader.Core.Service;

/// <summary>
/// The Windows Task Scheduler task (<c>\Downloader\Queue</c>) that starts the queue worker at the user's logon and at
/// startup, as the user, without a stored password (S4U) and without elevation (LeastPrivilege): registered with
/// <c>schtasks /Create /XML</c>, which needs no admin rights for a task of one's own.
/// </summary>
/// <remarks>
/// A boot trigger, and S4U (which needs the "Log on as a batch job" right), can be refused to a standard user by
/// policy; <see cref="Build"/> with <c>atStartup: false</c> is the task any user may register: at logon only, in the
/// user's own session (InteractiveToken).
/// </remarks>
public static class TaskSchedulerXml
{
    public const string TaskName = @"\Downloader\Queue";
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/windows/2004/02/mit/task";

    public static string Build(string program, string arguments, string userId, string workingDirectory, bool atStartup = true)
    {
        var triggers = new XElement(Ns + "Triggers", new XElement(Ns + "LogonTrigger", E("Enabled", "true"), E("UserId", userId)));
        if (atStartup)
        {
            triggers.Add(new XElement(Ns + "BootTrigger", E("Enabled", "true"), E("Delay", "PT1M")));
        }

        var task = new XElement(
            Ns + "Task",
            new XAttribute("version", "1.2"),
            new XElement(Ns + "RegistrationInfo", E("Description", "Downloader queue worker: downloads that outlive the session"), E("URI", TaskName)),
            triggers,
            new XElement(
                Ns + "Principals",
                new XElement(Ns + "Principal", new XAttribute("id", "Author"), E("UserId", userId), E("LogonType", atStartup ? "S4U" : "InteractiveToken"), E("RunLevel", "LeastPrivilege"))),
            new XElement(
                Ns + "Settings",
                E("MultipleInstancesPolicy", "IgnoreNew"),
                E("DisallowStartIfOnBatteries", "false"),
                E("StopIfGoingOnBatteries", "false"),
                E("StartWhenAvailable", "true"),
                E("ExecutionTimeLimit", "PT0S"),
                new XElement(Ns + "RestartOnFailure", E("Interval", "PT5M"), E("Count", "3"))),
            new XElement(
                Ns + "Actions",
                new XAttribute("Context", "Author"),
                new XElement(Ns + "Exec", E("Command", program), E("Arguments", arguments), E("WorkingDirectory", workingDirectory))));
        using var writer = new Utf16Writer();
        new XDocument(new XDeclaration("1.0", "UTF-16", null), task).Save(writer);
        return writer.ToString();
    }

    private static XElement E(string name, string value) => new(Ns + name, value);

    /// <summary>A StringWriter that says UTF-16, the encoding schtasks expects the file in.</summary>
    private sealed class Utf16Writer : StringWriter
    {
        public override Encoding Encoding => Encoding.Unicode;
    }
}
