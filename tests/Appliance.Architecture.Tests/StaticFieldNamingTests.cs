using System.CodeDom.Compiler;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Appliance.Architecture.Tests;

/// <summary>
/// One convention for static fields, the one most of the code already used: a static readonly
/// field is named like a constant (PascalCase), and a static field that changes is s_camelCase
/// (t_camelCase when [ThreadStatic]), so a write to shared state stands out where it happens.
/// Read from the compiled libraries; what the compiler or a source generator emits is not ours to name.
/// </summary>
public sealed class StaticFieldNamingTests
{
    public static TheoryData<string> Libraries() =>
        [.. Assemblies.Libraries.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(Libraries))]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Tests run untrimmed, on the libraries as built.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Tests run untrimmed, on the libraries as built.")]
    public void Static_readonly_fields_are_PascalCase_and_mutable_ones_s_camelCase(string library)
    {
        var misnamed = Assemblies.Libraries.Single(a => a.GetName().Name == library).GetTypes()
            .Where(type => !IsGenerated(type))
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => !field.IsLiteral && !IsGenerated(field) && !IsNamedByConvention(field))
            .Select(field => $"{field.DeclaringType!.FullName}.{field.Name}")
            .ToList();

        Assert.True(misnamed.Count == 0, $"{library} has static fields named against the convention:\n{string.Join('\n', misnamed)}");
    }

    private static bool IsNamedByConvention(FieldInfo field)
    {
        if (field.IsInitOnly)
        {
            return char.IsAsciiLetterUpper(field.Name[0]) && !field.Name.Contains('_');
        }
        var prefix = field.IsDefined(typeof(ThreadStaticAttribute)) ? "t_" : "s_";
        return field.Name.StartsWith(prefix, StringComparison.Ordinal) && field.Name.Length > 2
            && char.IsAsciiLetterLower(field.Name[2]) && !field.Name[2..].Contains('_');
    }

    private static bool IsGenerated(MemberInfo member)
    {
        for (var current = member; current is not null; current = current.DeclaringType)
        {
            if (current.Name.Contains('<') || current.IsDefined(typeof(CompilerGeneratedAttribute)) || current.IsDefined(typeof(GeneratedCodeAttribute)))
            {
                return true;
            }
        }
        return false;
    }
}
