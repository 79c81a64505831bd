namespace Downloader.PowerShell.Commands;

/// <summary>-Authentication's values, as Invoke-WebRequest's WebAuthenticationType names them.</summary>
public enum DownloadAuthentication
{
    /// <summary>No explicit scheme: -Credential, if given, is sent as Basic.</summary>
    None,

    /// <summary>Basic, with -Credential.</summary>
    Basic,

    /// <summary>A bearer token, with -Token.</summary>
    Bearer,

    /// <summary>OAuth 2: a bearer token, with -Token (Invoke-WebRequest treats the two alike).</summary>
    OAuth,
}
