using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Downloader.Module.Tests;

/// <summary>
/// The cmdlets are compiled against the engine's netstandard2.0 build, and PowerShell 7 runs them on its net8.0 build
/// (Dependencies/net8.0). Every engine type and member they use must exist in the net8.0 build with a signature the
/// runtime binds to, or a cmdlet fails at run time with a TypeLoadException or MissingMethodException.
/// </summary>
public sealed class EngineBuildTests
{
    private const string Engine = "[Downloader.Core]";
    private readonly ModuleFolder _module = ModuleFolder.Get();

    [Fact]
    public void Every_engine_member_the_cmdlets_use_exists_alike_in_the_net8_build()
    {
        string net8 = _module.File(Path.Combine("Dependencies", "net8.0"));
        using MetadataLoadContext context = ModuleMetadata.Context(net8, _module.Path);
        using var cmdletsFile = new PEReader(File.OpenRead(_module.File("Downloader.PowerShell.dll")));
        using var engineFile = new PEReader(File.OpenRead(Path.Combine(net8, "Downloader.Core.dll")));
        MetadataReader cmdlets = cmdletsFile.GetMetadataReader();
        var cmdletText = new SignatureText(context, cmdlets);

        HashSet<string> engineMembers = Members(engineFile.GetMetadataReader(), context);
        List<string> used = UsedTypes(cmdlets, cmdletText).Concat(UsedMembers(cmdlets, cmdletText)).ToList();
        var missing = used.Where(u => u.StartsWith("unresolved ", StringComparison.Ordinal) || !u.StartsWith("type ", StringComparison.Ordinal) && !engineMembers.Contains(u)).ToList();

        Assert.True(used.Count(u => !u.StartsWith("type ", StringComparison.Ordinal)) > 50, $"only {used.Count} engine references found: the scan reads the wrong assembly");
        Assert.True(missing.Count == 0, "Not in the net8.0 engine as the cmdlets call them:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// Every engine type the cmdlets name: "type X" when the net8.0 build has it (or forwards it, as IsExternalInit),
    /// "unresolved X" when not.
    /// </summary>
    private static IEnumerable<string> UsedTypes(MetadataReader cmdlets, SignatureText text)
    {
        foreach (TypeReferenceHandle handle in cmdlets.TypeReferences)
        {
            if (Scope(cmdlets, handle) == "Downloader.Core")
            {
                string name = text.GetTypeFromReference(cmdlets, handle, 0);
                yield return name.StartsWith("[unresolved]", StringComparison.Ordinal) ? "unresolved " + name : "type " + name;
            }
        }
    }

    /// <summary>Every engine method and field the cmdlets call, as "[assembly]Type::Name signature".</summary>
    private static IEnumerable<string> UsedMembers(MetadataReader cmdlets, SignatureText text)
    {
        foreach (MemberReferenceHandle handle in cmdlets.MemberReferences)
        {
            MemberReference member = cmdlets.GetMemberReference(handle);
            string? parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => text.GetTypeFromReference(cmdlets, (TypeReferenceHandle)member.Parent, 0),
                HandleKind.TypeSpecification => text.GetTypeFromSpecification(cmdlets, null, (TypeSpecificationHandle)member.Parent, 0).Split('<')[0],
                _ => null,
            };
            if (parent != null && parent.StartsWith(Engine, StringComparison.Ordinal))
            {
                string signature = member.GetKind() == MemberReferenceKind.Method
                    ? SignatureText.Method(member.DecodeMethodSignature(text, null))
                    : member.DecodeFieldSignature(text, null);
                yield return $"{parent}::{cmdlets.GetString(member.Name)} {signature}";
            }
        }
    }

    private static HashSet<string> Members(MetadataReader engine, MetadataLoadContext context)
    {
        var text = new SignatureText(context, engine);
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in engine.TypeDefinitions)
        {
            TypeDefinition type = engine.GetTypeDefinition(handle);
            string name = Engine + SignatureText.DefinitionName(engine, handle);
            foreach (MethodDefinition method in type.GetMethods().Select(engine.GetMethodDefinition))
            {
                result.Add($"{name}::{engine.GetString(method.Name)} {SignatureText.Method(method.DecodeSignature(text, null))}");
            }

            foreach (FieldDefinition field in type.GetFields().Select(engine.GetFieldDefinition))
            {
                result.Add($"{name}::{engine.GetString(field.Name)} {field.DecodeSignature(text, null)}");
            }
        }

        return result;
    }

    private static string? Scope(MetadataReader reader, TypeReferenceHandle handle)
    {
        EntityHandle scope = reader.GetTypeReference(handle).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
            HandleKind.TypeReference => Scope(reader, (TypeReferenceHandle)scope),
            _ => null,
        };
    }
}
