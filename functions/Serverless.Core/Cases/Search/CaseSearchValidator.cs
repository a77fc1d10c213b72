using Serverless.Validation;

namespace Serverless.Cases.Search;

/// <summary>A search needs at least one criterion; names have the same limits as in a record.</summary>
public static class CaseSearchValidator
{
    public const int MaxPreviousNames = 10;

    public static IReadOnlyList<ValidationError> Validate(CaseSearchCriteria criteria)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(criteria.Name) && criteria.PreviousNames.Count == 0 && criteria.BirthDate is null && string.IsNullOrWhiteSpace(criteria.GuardianName))
        {
            errors.Add("$", FieldRules.Required);
        }

        errors.Text("$.name", criteria.Name, CaseLimits.Kana);
        errors.Text("$.guardianName", criteria.GuardianName, CaseLimits.Kana);
        errors.Count("$.previousNames", criteria.PreviousNames, MaxPreviousNames);
        for (var i = 0; i < criteria.PreviousNames.Count; i++)
        {
            errors.Text($"$.previousNames[{i}]", criteria.PreviousNames[i], CaseLimits.Kana);
        }

        return errors.All;
    }
}
