using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FormRelay;

/// <summary>What the form sent, as the referral body the app takes (docs/referrals.md), and the page's submission id.</summary>
public sealed partial record ConcernForm(string SubmissionId, JsonObject Body)
{
    private static readonly string[] Kinds = ["abuse-report", "care-consultation", "other-concern"];

    /// <summary>The form, or null when it is not one of ours (no or a malformed submission id, an unknown kind, a
    /// time that is not a time). Everything else (lengths, required fields) the app checks and explains.</summary>
    public static ConcernForm? Read(IFormCollection form)
    {
        var submissionId = Field(form, "submissionId");
        var kind = Field(form, "kind");
        var observed = Field(form, "observedAt");
        if (submissionId is null || !SubmissionIdShape().IsMatch(submissionId) || kind is null || !Kinds.Contains(kind)
            || observed is null || !DateTime.TryParseExact(observed, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var child = new JsonObject();
        var name = new JsonObject();
        Put(name, "family", Field(form, "childFamilyName"));
        Put(name, "given", Field(form, "childGivenName"));
        if (name.Count > 0)
        {
            child["name"] = name;
        }

        if (Field(form, "approximateAge") is { } age && int.TryParse(age, NumberStyles.None, CultureInfo.InvariantCulture, out var years))
        {
            child["approximateAge"] = years;
        }

        Put(child, "schoolOrNursery", Field(form, "schoolOrNursery"));
        Put(child, "area", Field(form, "area"));
        var submittedBy = new JsonObject();
        Put(submittedBy, "name", Field(form, "submitterName"));
        Put(submittedBy, "role", Field(form, "submitterRole"));

        var body = new JsonObject
        {
            ["kind"] = kind,
            // The form's time is Japan time (datetime-local carries no offset).
            ["observedAt"] = new DateTimeOffset(local, TimeSpan.FromHours(9)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["narrative"] = Field(form, "narrative") ?? "",
            ["child"] = child,
            ["submittedBy"] = submittedBy,
        };
        return new ConcernForm(submissionId, body);
    }

    private static string? Field(IFormCollection form, string name)
        => form.TryGetValue(name, out var values) && values.Count == 1 && values[0] is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    private static void Put(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    /// <summary>The page's id: what <c>form-{submissionId}</c> must be to stay a valid Idempotency-Key.</summary>
    [GeneratedRegex("^[A-Za-z0-9-]{8,64}$")]
    private static partial Regex SubmissionIdShape();
}
