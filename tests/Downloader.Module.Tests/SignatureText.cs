using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;

namespace Downloader.Module.Tests;

/// <summary>
/// Writes a metadata signature as text in which every type is named by the assembly that really defines it in one
/// MetadataLoadContext, type forwarders followed, modreqs and modopts kept: two signatures the runtime binds to
/// each other read the same, and one it would reject (a modreq naming another assembly's type) reads differently.
/// </summary>
public sealed class SignatureText : ISignatureTypeProvider<string, object?>
{
    private readonly MetadataLoadContext _context;
    private readonly MetadataReader _reader;
    private readonly string _definingAssembly;

    public SignatureText(MetadataLoadContext context, MetadataReader reader)
    {
        _context = context;
        _reader = reader;
        _definingAssembly = reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : "?";
    }

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "[prim]" + typeCode;

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
        $"[{_definingAssembly}]{DefinitionName(reader, handle)}";

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
        Resolve(handle) is { } type ? $"[{type.Assembly.GetName().Name}]{type.FullName}" : "[unresolved]" + ReferenceName(handle);

    public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{shape.Rank}]";

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType + " pinned";

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
        $"{genericType}<{string.Join(",", typeArguments)}>";

    public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

    public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) =>
        $"{unmodifiedType} {(isRequired ? "modreq" : "modopt")}({modifier})";

    public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr" + Method(signature);

    public static string Method(MethodSignature<string> s) =>
        $"{s.Header.CallingConvention}{(s.Header.IsInstance ? " instance" : "")} `{s.GenericParameterCount} {s.ReturnType}({string.Join(", ", s.ParameterTypes)})";

    public static string DefinitionName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle outer = type.GetDeclaringType();
        if (!outer.IsNil)
        {
            return DefinitionName(reader, outer) + "+" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The type a reference means in the context, forwarders followed; null when it has none.</summary>
    public Type? Resolve(TypeReferenceHandle handle)
    {
        TypeReference reference = _reader.GetTypeReference(handle);
        string name = _reader.GetString(reference.Name);
        string ns = _reader.GetString(reference.Namespace);
        try
        {
            return reference.ResolutionScope.Kind switch
            {
                HandleKind.AssemblyReference => _context
                    .LoadFromAssemblyName(_reader.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope).GetAssemblyName())
                    .GetType(ns.Length == 0 ? name : ns + "." + name, throwOnError: false),
                HandleKind.TypeReference => Resolve((TypeReferenceHandle)reference.ResolutionScope)
                    ?.GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic),
                _ => null,
            };
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private string ReferenceName(TypeReferenceHandle handle)
    {
        TypeReference reference = _reader.GetTypeReference(handle);
        return _reader.GetString(reference.Namespace) + "." + _reader.GetString(reference.Name);
    }
}
