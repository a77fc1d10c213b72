using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Serverless.Cases.Search;

/// <summary>One index key: its kind, the keyed hash of the normalised value, and (for names) the hashed birth date.</summary>
public sealed record ChildKey(string Kind, string Hash, string? BirthDateKey);

/// <summary>Computes the keyed hashes a case is found by. Normalisation is for matching only.</summary>
public sealed class ChildKeys(IOptions<CaseSearchOptions> options)
{
    public const string Name = "name";
    public const string BirthDate = "birth-date";
    public const string Guardian = "guardian";

    private readonly byte[] secret = Convert.FromBase64String(options.Value.HmacKey);

    /// <summary>Every key of a case: the subject's names (current, previous, aliases) and birth date, and the guardians' names.</summary>
    public IReadOnlySet<ChildKey> For(CaseRecord record)
    {
        var keys = new HashSet<ChildKey>();
        foreach (var subject in new[] { record.Child, record.ExpectantMother?.Mother }.OfType<Person>())
        {
            var birthDateKey = subject.BirthDate is { } date ? Hash(BirthDate, Iso(date)) : null;
            foreach (var normalised in NamesOf(subject))
            {
                keys.Add(new ChildKey(Name, Hash(Name, normalised), birthDateKey));
            }

            if (birthDateKey is not null)
            {
                keys.Add(new ChildKey(BirthDate, birthDateKey, null));
            }
        }

        foreach (var guardian in record.Household.Where(member => member.IsGuardian))
        {
            foreach (var normalised in Normalised(guardian.Name).Where(value => value.Length > 0).Distinct(StringComparer.Ordinal))
            {
                keys.Add(new ChildKey(Guardian, Hash(Guardian, normalised), null));
            }
        }

        return keys;
    }

    /// <summary>The hashes a free-text name may be stored under (read as kana, and as kanji).</summary>
    public IReadOnlySet<string> ForName(string kind, string text)
        => new[] { NameNormalizer.Kana(text), NameNormalizer.Kanji(text) }
            .Where(value => value.Length > 0)
            .Select(value => Hash(kind, value))
            .ToHashSet();

    public string ForBirthDate(DateOnly date) => Hash(BirthDate, Iso(date));

    private static IEnumerable<string> NamesOf(Person person)
        => new[] { person.Name }.Concat(person.PreviousNames).SelectMany(Normalised)
            .Concat(person.Aliases.SelectMany(alias => new[] { NameNormalizer.Kana(alias), NameNormalizer.Kanji(alias) }))
            .Where(value => value.Length > 0)
            .Distinct(StringComparer.Ordinal);

    private static IEnumerable<string> Normalised(Cases.PersonName name)
    {
        yield return NameNormalizer.Kana((name.FamilyKana ?? "") + (name.GivenKana ?? ""));
        yield return NameNormalizer.Kanji((name.Family ?? "") + (name.Given ?? ""));
        yield return NameNormalizer.Kana(name.LatinName ?? "");
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private string Hash(string kind, string value)
        => Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(kind + "\n" + value)));
}
