using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Tests.Cases.Api;
using Serverless.Validation;

namespace Serverless.Tests.Reliability;

/// <summary>
/// The fuzz's 500 on <c>UpdateCase</c>, replayed on purpose: a patch whose text is not Unicode (a lone surrogate
/// escape such as <c>"\ud800"</c>: JSON syntax, but no UTF-8 can hold it) in a value or a name, under table-entity
/// property names (<c>Timestamp</c>, <c>PartitionKey</c>...) and in every string field. Each must be a 400 problem
/// with a code, and the case must be exactly as it was: same version, same record, no new history.
/// </summary>
public sealed class BrokenTextPatchTests
{
    private static readonly string[] Broken = ["\"\\ud800\"", "\"x\\udc00y\"", "\"\\udfff\\ud800\"", "\"\\ud83d\""];

    private static readonly string[] EntityNames = ["Timestamp", "PartitionKey", "RowKey", "ETag", "odata.etag", "odata.type", "Record0", "Version"];

    /// <summary>Every string the patch body can carry: the top-level fields, and the record's text fields under <c>changes</c>.</summary>
    private static readonly string[] StringFields =
    [
        "reason", "participationException",
        "changes.category", "changes.leadAgencyId", "changes.keyAgencyId", "changes.nextReviewDate", "changes.status",
        "changes.child.name.family", "changes.child.name.given", "changes.child.name.familyKana", "changes.child.name.givenKana",
        "changes.child.birthDate", "changes.location.address", "changes.location.schoolDistrict",
    ];

    private static List<string> Bodies()
    {
        var bodies = new List<string>();
        foreach (var value in Broken)
        {
            foreach (var name in EntityNames)
            {
                bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{\"{name}\":{value}}}}}");
                bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{}},\"{name}\":{value}}}");
                bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{\"child\":{{\"{name}\":{value}}}}}}}");
            }

            foreach (var field in StringFields)
            {
                bodies.Add(Nest(field, value));
            }

            // In a name, and in an array member.
            bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{{value}:\"x\"}}}}");
            bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{\"child\":{{{value}:1}}}}}}");
            bodies.Add($"{{\"reason\":\"確認\",\"changes\":{{\"participatingAgencyIds\":[{value}]}}}}");
        }

        return bodies;
    }

    [Fact]
    public async Task APatchWithBrokenTextIsRefusedWithACodeAndChangesNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        using var before = await api.GetAsync(caseId);
        var (etag, record) = (CaseApi.ETag(before), (await CaseApi.BodyAsync(before)).ToJsonString());
        var history = await HistoryAsync(api, caseId);

        var failures = new List<string>();
        foreach (var body in Bodies())
        {
            using var response = await api.PatchRawAsync(caseId, etag, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? (string?)JsonNode.Parse(text)?["code"] : null;
            if (response.StatusCode != HttpStatusCode.BadRequest
                || code is not ("request.invalid-json" or "request.validation-failed"))
            {
                failures.Add($"{(int)response.StatusCode} {code ?? "(no code)"} for {body}: {text[..Math.Min(text.Length, 200)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        using var after = await api.GetAsync(caseId);
        Assert.Equal(etag, CaseApi.ETag(after));
        Assert.Equal(record, (await CaseApi.BodyAsync(after)).ToJsonString());
        Assert.Equal(history, await HistoryAsync(api, caseId));
    }

    [Fact]
    public async Task BrokenTextInAChangeIsNamedByItsPathWithoutQuotingIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        using var before = await api.GetAsync(caseId);

        using var response = await api.PatchRawAsync(caseId, CaseApi.ETag(before), new StringContent("{\"reason\":\"確認\",\"changes\":{\"Timestamp\":\"\\ud800\"}}", Encoding.UTF8, "application/json"));

        var errors = await CaseApi.ValidationErrorsAsync(response, ("$.changes.Timestamp", FieldRules.InvalidText));
        Assert.DoesNotContain("ud800", errors.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string Nest(string field, string value)
    {
        var parts = field.Split('.');
        var json = $"\"{parts[^1]}\":{value}";
        for (var i = parts.Length - 2; i >= 0; i--)
        {
            json = $"\"{parts[i]}\":{{{json}}}";
        }

        // The reason is required: keep it unless it is the field broken.
        return field == "reason" ? $"{{\"changes\":{{}},{json}}}" : $"{{\"reason\":\"確認\",{(field.StartsWith("changes.", StringComparison.Ordinal) ? "" : "\"changes\":{},")}{json}}}";
    }

    private static async Task<string> HistoryAsync(CaseApi api, string caseId)
    {
        using var response = await api.HistoryAsync(caseId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
