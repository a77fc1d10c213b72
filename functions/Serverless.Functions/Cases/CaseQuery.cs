using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Validation;

namespace Serverless.Functions.Cases;

/// <summary>Reads the query string of <c>GET /api/cases</c> and <c>/history</c>; every bad value becomes a field error.</summary>
public static class CaseQuery
{
    public static (CaseListQuery? Query, IReadOnlyList<ValidationError> Errors) ReadList(IQueryCollection query)
    {
        var errors = new List<ValidationError>();
        var status = Enum<CaseStatus>(query, "status", errors);
        var category = Enum<CaseCategory>(query, "category", errors);
        var agency = Single(query, "agency", errors);
        var reviewDueBefore = Date(query, "reviewDueBefore", errors);
        var pageSize = Int(query, "pageSize", errors) ?? CaseListQuery.DefaultPageSize;
        var token = Single(query, "continuationToken", errors);
        return errors.Count > 0
            ? (null, errors)
            : (new CaseListQuery(status, category, agency, reviewDueBefore, pageSize, token), errors);
    }

    public static int? Int(IQueryCollection query, string name, List<ValidationError> errors)
    {
        var text = Single(query, name, errors);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(new ValidationError("$." + name, FieldRules.InvalidValue));
        return null;
    }

    public static string? Single(IQueryCollection query, string name, List<ValidationError> errors)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.Add(new ValidationError("$." + name, FieldRules.Duplicate));
        }

        return values[0];
    }

    public static TEnum? Enum<TEnum>(IQueryCollection query, string name, List<ValidationError> errors)
        where TEnum : struct, Enum
    {
        var text = Single(query, name, errors);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TEnum>(JsonSerializer.Serialize(text), CaseJson.Options);
        }
        catch (JsonException)
        {
            errors.Add(new ValidationError("$." + name, FieldRules.InvalidValue));
            return null;
        }
    }

    public static DateOnly? Date(IQueryCollection query, string name, List<ValidationError> errors)
    {
        var text = Single(query, name, errors);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(new ValidationError("$." + name, FieldRules.InvalidValue));
        return null;
    }
}
