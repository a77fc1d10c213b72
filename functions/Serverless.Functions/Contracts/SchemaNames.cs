using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Serverless.Functions.Contracts;

/// <summary>
/// Which C# types become named schemas (<c>#/components/schemas/Name</c>) and what they are called.
/// Client generators name their classes after these, so a name depends on the type alone: never on
/// where the type is first met, nor on which other types the document happens to hold.
/// </summary>
internal static class SchemaNames
{
    /// <summary>
    /// Our records and classes (JSON objects) and every enum. Framework types (<c>JsonObject</c>, dates,
    /// strings, lists, dictionaries) stay inline: they have no name of ours and are not shared types.
    /// </summary>
    public static bool IsComponent(Type type, JsonSerializerOptions options)
        => type.IsEnum
            || (options.GetTypeInfo(type).Kind == JsonTypeInfoKind.Object
                && type.Namespace?.StartsWith(nameof(System), StringComparison.Ordinal) != true);

    /// <summary>
    /// The type's own name; a nested type is prefixed with the types around it (<c>Outer.Inner</c>:
    /// <c>OuterInner</c>) and a generic one spells its arguments (<c>Page&lt;CaseView&gt;</c>:
    /// <c>PageOfCaseView</c>), so the name is a valid identifier in every client language.
    /// </summary>
    public static string For(Type type)
    {
        var name = type.Name;
        if (type.IsGenericType)
        {
            name = name[..name.IndexOf('`', StringComparison.Ordinal)]
                + "Of" + string.Join("And", type.GetGenericArguments().Select(For));
        }

        return type.IsNested ? For(type.DeclaringType!) + name : name;
    }

    /// <summary>Fails when two types would share a name: renaming one silently would rename a vendor's class.</summary>
    public static IReadOnlyDictionary<Type, string> Assign(IEnumerable<Type> types)
    {
        var names = types.Distinct().ToDictionary(type => type, For);
        var clash = names.GroupBy(pair => pair.Value, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        return clash is null
            ? names
            : throw new InvalidOperationException(
                $"The types {string.Join(" and ", clash.Select(pair => pair.Key.FullName).Order(StringComparer.Ordinal))} would both be the schema {clash.Key}: "
                + "rename one of them (schema names are what vendors' generated classes are called).");
    }

    public static string Pointer(string name) => "#/components/schemas/" + name;
}
