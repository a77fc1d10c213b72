using System.Globalization;

namespace Serverless.Validation;

/// <summary>Collects field errors with the project's common text rules (length counted in the
/// characters a person sees, so 𠮷 or a family emoji counts once).</summary>
public sealed class ValidationErrors
{
    private readonly List<ValidationError> errors = [];

    public IReadOnlyList<ValidationError> All => errors;

    public bool Any => errors.Count > 0;

    public void Add(string field, string code, IReadOnlyDictionary<string, string>? arguments = null)
        => errors.Add(new ValidationError(field, code, arguments));

    /// <summary>The errors of one row of a bulk request, each marked with the row's index.</summary>
    public void AddRow(int row, ValidationErrors rowErrors)
        => errors.AddRange(rowErrors.All.Select(error => error with { Row = row }));

    public void Required(string field, object? value)
    {
        if (value is null || (value is string text && string.IsNullOrWhiteSpace(text)))
        {
            Add(field, FieldRules.Required);
        }
    }

    /// <summary>Checks length and characters of optional text. Newlines and tabs only where <paramref name="multiline"/>.</summary>
    public void Text(string field, string? value, int max, bool multiline = false)
    {
        if (value is null)
        {
            return;
        }

        if (new StringInfo(value).LengthInTextElements > max)
        {
            Add(field, FieldRules.TooLong, new Dictionary<string, string> { ["max"] = max.ToString(CultureInfo.InvariantCulture) });
        }

        if (value.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')) || HasNonCharacter(value))
        {
            Add(field, FieldRules.ControlCharacters);
        }
    }

    /// <summary>Unicode non-characters (U+FDD0–U+FDEF, U+xxFFFE/F) and unpaired surrogates: no person types them, and
    /// Unicode normalisation (the name search keys) throws on them.</summary>
    private static bool HasNonCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                var scalar = char.ConvertToUtf32(value[i], value[i + 1]);
                if ((scalar & 0xFFFE) == 0xFFFE)
                {
                    return true;
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(value[i]) || value[i] is >= '\uFDD0' and <= '\uFDEF' or '\uFFFE' or '\uFFFF')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Multiline text limited in seen characters and, because combining marks make one seen character many
    /// code units, in UTF-16 length as well (what storage counts).</summary>
    public void LongText(string field, string? value, int max, int maxUtf16)
    {
        Text(field, value, max, multiline: true);
        if (value is not null && value.Length > maxUtf16 && new StringInfo(value).LengthInTextElements <= max)
        {
            Add(field, FieldRules.TooLongEncoded, new Dictionary<string, string> { ["max"] = maxUtf16.ToString(CultureInfo.InvariantCulture) });
        }
    }

    public void Count<T>(string field, IReadOnlyCollection<T>? items, int max)
    {
        if (items is not null && items.Count > max)
        {
            Add(field, FieldRules.TooMany, new Dictionary<string, string> { ["max"] = max.ToString(CultureInfo.InvariantCulture) });
        }
    }

    public void NotInFuture(string field, DateOnly? date, DateOnly today)
    {
        if (date > today)
        {
            Add(field, FieldRules.FutureDate);
        }
    }
}
