using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Downloader.Core;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Invoke-WebRequest's WebRequestSession, read and made by its property names: the module compiles against
/// PowerShell Standard, which has no such type, and the same names hold in Windows PowerShell 5.1 and PowerShell 7.
/// The session's cookie container is used itself, so cookies set during a download are in the session afterwards.
/// </summary>
internal static class WebSessions
{
    private const string TypeName = "Microsoft.PowerShell.Commands.WebRequestSession";

    /// <summary>The session's settings under the command's own: a parameter the user gave wins over the session.</summary>
    public static DownloadOptions Apply(DownloadOptions options, PSObject? session, bool headersGiven, bool userAgentGiven)
    {
        if (session == null)
        {
            return options;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (Get<IDictionary>(session, "Headers") is IDictionary sessionHeaders)
        {
            foreach (DictionaryEntry entry in sessionHeaders)
            {
                headers[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
            }
        }

        foreach (KeyValuePair<string, string> header in options.Headers)
        {
            headers[header.Key] = header.Value;
        }

        ICredentials? credentials = Get<ICredentials>(session, "Credentials");
        bool defaultIdentity = Get<bool>(session, "UseDefaultCredentials") || ReferenceEquals(credentials, CredentialCache.DefaultCredentials);
        var network = options.Network with
        {
            Cookies = Get<CookieContainer>(session, "Cookies"),
            UseDefaultCredentials = defaultIdentity,
        };
        if (Get<X509CertificateCollection>(session, "Certificates") is X509CertificateCollection certificates)
        {
            network.ClientCertificates.AddRange(certificates);
        }

        options = options with
        {
            Headers = headersGiven ? options.Headers : headers,
            UserAgent = !userAgentGiven && Get<string>(session, "UserAgent") is string agent ? agent : options.UserAgent,
            Credential = options.Credential ?? credentials as NetworkCredential,
            Network = network,
        };
        return Get<IWebProxy>(session, "Proxy") is WebProxy { Address: Uri address } proxy && options.Proxy == null
            ? options with { Proxy = address, Network = network with { ProxyCredential = network.ProxyCredential ?? proxy.Credentials as NetworkCredential } }
            : options;
    }

    /// <summary>A new WebRequestSession holding what the command used; the cookies are the command's own container.</summary>
    public static object Create(DownloadOptions options)
    {
        Type type = SessionType() ?? throw new PSInvalidOperationException($"-SessionVariable needs {TypeName}, which this PowerShell does not have.");
        object session = Activator.CreateInstance(type)!;
        var created = PSObject.AsPSObject(session);
        Set(created, "Cookies", options.Network.Cookies ?? new CookieContainer());
        Set(created, "UserAgent", options.UserAgent);
        Set(created, "UseDefaultCredentials", options.Network.UseDefaultCredentials);
        if (options.Credential != null)
        {
            Set(created, "Credentials", options.Credential);
        }

        if (options.Network.ClientCertificates.Count > 0)
        {
            Set(created, "Certificates", new X509CertificateCollection(options.Network.ClientCertificates));
        }

        if (options.Proxy != null)
        {
            Set(created, "Proxy", new WebProxy(Core.Http.UserInfo.Strip(options.Proxy)) { Credentials = options.Network.ProxyCredential });
        }

        if (created.Properties["Headers"]?.Value is IDictionary headers)
        {
            foreach (KeyValuePair<string, string> header in options.Headers)
            {
                headers[header.Key] = header.Value;
            }
        }

        return session;
    }

    private static Type? SessionType()
    {
        foreach (System.Reflection.Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(TypeName) is Type found)
            {
                return found;
            }
        }

        return Type.GetType(TypeName + ", Microsoft.PowerShell.Commands.Utility");
    }

    private static T? Get<T>(PSObject session, string name) =>
        session.Properties[name]?.Value is T value ? value : default;

    private static void Set(PSObject session, string name, object? value)
    {
        if (session.Properties[name] is PSPropertyInfo property && property.IsSettable)
        {
            property.Value = value;
        }
    }
}
