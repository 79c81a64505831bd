#if !NET5_0_OR_GREATER
namespace System.Runtime.CompilerServices
{
    // Lets netstandard2.0 compile init-only setters, which the options and result types use.
    internal static class IsExternalInit
    {
    }
}
#endif
