using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Serverless.Functions.Telemetry;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Telemetry;

/// <summary>What <see cref="IdsOnlyTelemetry"/> lets through: ids, types, templates; never a name, a phone number or a narrative.</summary>
public sealed class IdsOnlyTelemetryTests
{
    private const string RequestId = "0f3a9c2b7d4e4f1a8b6c5d4e3f2a1b0c";
    private const string CaseId = "c01jd8x7k3m2n4p5q6r7s8t9v0w";
    private const string Phone = "090-1234-5678";

    private static readonly PersonalDataCanary Canary = new();

    private static string[] Planted => [.. Canary.Values, Phone];

    private static ITelemetry Cleaned(ITelemetry item)
    {
        IdsOnlyTelemetry.Clean(item);
        var text = TelemetryCapture.Text(item);
        Assert.DoesNotContain(Planted, value => text.Contains(value, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(value), StringComparison.OrdinalIgnoreCase));
        return item;
    }

    [Fact]
    public void AnExceptionKeepsItsTypeAndRequestIdButNotItsMessage()
    {
        var exception = new ExceptionTelemetry(new InvalidOperationException($"{Canary.FamilyName} {Phone} {Canary.ReportText}", new FormatException(Canary.KanaName)));
        exception.Properties["RequestId"] = RequestId;
        exception.Properties["FormattedMessage"] = Canary.ReportText;
        exception.Properties["Child"] = Canary.GivenName;

        var cleaned = (ExceptionTelemetry)Cleaned(exception);

        Assert.Equal(["System.InvalidOperationException", "System.FormatException"], cleaned.ExceptionDetailsInfoList.Select(details => details.TypeName));
        Assert.All(cleaned.ExceptionDetailsInfoList, details => Assert.Equal(IdsOnlyTelemetry.Withheld, details.Message));
        Assert.Equal(new Dictionary<string, string> { ["RequestId"] = RequestId }, cleaned.Properties);
    }

    [Fact]
    public void AnAppLogLineKeepsItsTemplateAndIdsOnly()
    {
        var trace = new TraceTelemetry($"Case {CaseId} read by {Canary.FamilyName}", SeverityLevel.Warning);
        trace.Properties["CategoryName"] = "Serverless.Cases.CaseService";
        trace.Properties["{OriginalFormat}"] = "Case {CaseId} read by {Reader}";
        trace.Properties["CaseId"] = CaseId;
        trace.Properties["Reader"] = Canary.FamilyName;
        trace.Properties["Phone"] = Phone;

        var cleaned = (TraceTelemetry)Cleaned(trace);

        Assert.Equal("Case {CaseId} read by {Reader}", cleaned.Message);
        Assert.Equal(["CaseId", "CategoryName", "{OriginalFormat}"], cleaned.Properties.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ALibrarysLogLineKeepsItsCategoryAndLevelOnly()
    {
        var trace = new TraceTelemetry("Request failed: " + Canary.ReportText, SeverityLevel.Error);
        trace.Properties["CategoryName"] = "Azure.Core";
        trace.Properties["{OriginalFormat}"] = "Request failed: " + Canary.ReportText;

        var cleaned = (TraceTelemetry)Cleaned(trace);

        Assert.Equal(IdsOnlyTelemetry.Withheld, cleaned.Message);
        Assert.Equal(SeverityLevel.Error, cleaned.SeverityLevel);
        Assert.Equal(["CategoryName"], cleaned.Properties.Keys);
    }

    [Fact]
    public void UrlsKeepRouteWordsAndIdsOnly()
    {
        var request = new RequestTelemetry { Url = new Uri($"https://app.example/api/admin/people/{Uri.EscapeDataString(Canary.KanaName)}/memberships?agency={Canary.Marker}"), Name = $"GET /api/cases/{Canary.Marker}" };
        var dependency = new DependencyTelemetry("Azure blob", "acct.blob.core.windows.net", $"PUT /files/{Phone}", $"https://acct.blob.core.windows.net/files/{CaseId}/{Uri.EscapeDataString(Canary.FamilyName)}.jpg?sig=secret&name={Canary.Marker}");

        var cleanedRequest = (RequestTelemetry)Cleaned(request);
        var cleanedDependency = (DependencyTelemetry)Cleaned(dependency);

        Assert.Equal("https://app.example/api/admin/people/_/memberships", cleanedRequest.Url.ToString());
        Assert.Equal("GET /api/cases/_", cleanedRequest.Name);
        Assert.Equal($"https://acct.blob.core.windows.net/files/{CaseId}/_", cleanedDependency.Data);
        Assert.Equal("PUT /files/_", cleanedDependency.Name);
        Assert.Equal("acct.blob.core.windows.net", cleanedDependency.Target);
    }

    [Fact]
    public void CustomEventsAndPropertiesThatCouldCarryInputAreDropped()
    {
        var custom = new EventTelemetry(Canary.FamilyName);
        custom.Properties["note"] = Canary.ReportText;
        custom.Properties["action"] = "case.read";
        custom.Properties["birth"] = Canary.BirthDate;
        custom.Context.GlobalProperties["who"] = Canary.GivenName;
        custom.Context.Operation.Name = "POST /api/referrals/" + Canary.Marker;

        var cleaned = (EventTelemetry)Cleaned(custom);

        Assert.Equal(IdsOnlyTelemetry.Withheld, cleaned.Name);
        Assert.Equal(new Dictionary<string, string> { ["action"] = "case.read" }, cleaned.Properties);
        Assert.Empty(cleaned.Context.GlobalProperties);
        Assert.Equal("POST /api/referrals/_", cleaned.Context.Operation.Name);
    }
}
