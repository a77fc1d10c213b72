using System.Globalization;
using Serverless.Agencies;
using Serverless.Validation;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Validates what an admin asks for when issuing a key, all fields at once, and returns the bindings in
/// their normal form. Field paths are those of the admin endpoint's JSON body.
/// </summary>
public static class SubmissionKeyValidator
{
    public sealed record Result(IReadOnlyList<ValidationError> Errors, IReadOnlyList<string> Origins, IReadOnlyList<string> Addresses);

    public static Result Validate(
        string? agencyId,
        string? label,
        DateTimeOffset? expiresAt,
        IReadOnlyList<string>? allowedOrigins,
        IReadOnlyList<string>? allowedAddresses,
        DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (!AgencyIds.IsValid(agencyId))
        {
            errors.Add("$.agencyId", FieldRules.InvalidId);
        }

        errors.Required("$.label", label);
        errors.Text("$.label", label, SubmissionKeyLimits.Label);
        ValidateExpiry(expiresAt, now, errors);

        var origins = Normalize("$.allowedOrigins", allowedOrigins, SubmissionKeyLimits.AllowedOrigins, AllowedOrigins.TryNormalize, errors);
        var addresses = Normalize("$.allowedAddresses", allowedAddresses, SubmissionKeyLimits.AllowedAddresses, AllowedAddresses.TryNormalize, errors);
        return new Result(errors.All, origins, addresses);
    }

    /// <summary>Errors for a rotation's overlap (0 to <see cref="SubmissionKeyLimits.MaxRotationOverlap"/>, in seconds on the wire).</summary>
    public static IReadOnlyList<ValidationError> ValidateOverlap(TimeSpan overlap)
    {
        var errors = new ValidationErrors();
        if (overlap < TimeSpan.Zero || overlap > SubmissionKeyLimits.MaxRotationOverlap)
        {
            errors.Add("$.overlapSeconds", FieldRules.OutOfRange, new Dictionary<string, string>
            {
                ["min"] = "0",
                ["max"] = ((long)SubmissionKeyLimits.MaxRotationOverlap.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            });
        }

        return errors.All;
    }

    private static void ValidateExpiry(DateTimeOffset? expiresAt, DateTimeOffset now, ValidationErrors errors)
    {
        if (expiresAt is not { } expiry)
        {
            return;
        }

        if (expiry <= now)
        {
            errors.Add("$.expiresAt", FieldRules.PastDate);
        }
        else if (expiry - now > SubmissionKeyLimits.MaxLifetime)
        {
            errors.Add("$.expiresAt", FieldRules.TooFarAhead, new Dictionary<string, string>
            {
                ["maxDays"] = SubmissionKeyLimits.MaxLifetime.Days.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private delegate bool Normalizer(string? value, out string normalized);

    private static List<string> Normalize(string field, IReadOnlyList<string>? values, int max, Normalizer normalize, ValidationErrors errors)
    {
        var normalized = new List<string>();
        if (values is null)
        {
            return normalized;
        }

        errors.Count(field, values, max);
        for (var i = 0; i < values.Count; i++)
        {
            var path = $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (!normalize(values[i], out var value))
            {
                errors.Add(path, FieldRules.InvalidValue);
            }
            else if (normalized.Contains(value, StringComparer.Ordinal))
            {
                errors.Add(path, FieldRules.Duplicate);
            }
            else
            {
                normalized.Add(value);
            }
        }

        return normalized;
    }
}
