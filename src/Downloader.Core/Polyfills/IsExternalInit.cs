#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices
{
    // Lets netstandard2.0 compile init-only setters, which the options and result types use.
    internal static class IsExternalInit
    {
    }
}
#else
// The module's cmdlets are compiled against the netstandard2.0 build, so every init-only setter they call names
// [Downloader.Core]IsExternalInit in its signature (a modreq). PowerShell 7 runs the net8.0 build, whose setters name
// the runtime's type: this forward makes the two signatures one, or each such call is a MissingMethodException.
[assembly: System.Runtime.CompilerServices.TypeForwardedTo(typeof(System.Runtime.CompilerServices.IsExternalInit))]
#endif
