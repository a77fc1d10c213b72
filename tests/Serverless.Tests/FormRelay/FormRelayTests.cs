using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Referrals;

namespace Serverless.Tests.FormRelay;

/// <summary>
/// examples/FormRelay (docs/agency-form-relay.md) against the real test host on Azurite: the agency's page posts to
/// the relay, which forwards to <c>POST /api/referrals</c> with the key from its configuration and
/// <c>Idempotency-Key: form-{submissionId}</c>.
/// </summary>
public sealed partial class FormRelayTests
{
    [Fact]
    public async Task AConcernPostedTwiceFromOnePageIsOneReferralAndBothAnswersShowItsReceipt()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(EntryApi.School);
        await using var relay = await Relay.StartAsync(api, key);
        var submissionId = await relay.SubmissionIdAsync();

        var (firstStatus, first) = await relay.PostAsync(Concern(submissionId));
        var (secondStatus, second) = await relay.PostAsync(Concern(submissionId)); // a double tap, or a reload after a lost answer

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstStatus, secondStatus));
        var receiptNumber = ReceiptNumber().Match(first).Groups[1].Value;
        Assert.Matches("^[A-Z0-9]{4}-[A-Z0-9]{4}$", receiptNumber);
        Assert.Equal(receiptNumber, ReceiptNumber().Match(second).Groups[1].Value);

        using var listed = await api.ListReferralsAsync("", person: null, key: key);
        var receipts = (await CaseApi.BodyAsync(listed))["receipts"]!.AsArray();
        Assert.Equal(receiptNumber, (string?)Assert.Single(receipts)!["receiptNumber"]);

        // As the coordinators read it: the form's fields, Japan time, the name typed into the form.
        var referral = await api.ReferralAsync((string)receipts[0]!["referralId"]!);
        Assert.Equal("朝の会で左のほほに赤いあざ。<b>本人</b>は「お父さんに」と話した。", (string?)referral["narrative"]);
        Assert.Equal(("青木", "ひなた", 8), ((string?)referral["child"]!["name"]!["family"], (string?)referral["child"]!["name"]!["given"], (int?)referral["child"]!["approximateAge"]));
        Assert.Equal("2025-06-15T08:10:00+09:00", (string?)referral["observedAt"]);
        Assert.Equal("南小学校 教頭 高橋", (string?)referral["submitter"]!["submittedBy"]!["name"]);
    }

    [Fact]
    public async Task AnotherPageIsAnotherReferral()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(EntryApi.School);
        await using var relay = await Relay.StartAsync(api, key);

        var (_, first) = await relay.PostAsync(Concern(await relay.SubmissionIdAsync()));
        var (_, second) = await relay.PostAsync(Concern(await relay.SubmissionIdAsync()));

        Assert.NotEqual(ReceiptNumber().Match(first).Groups[1].Value, ReceiptNumber().Match(second).Groups[1].Value);
        using var listed = await api.ListReferralsAsync("", person: null, key: key);
        Assert.Equal(2, (await CaseApi.BodyAsync(listed))["receipts"]!.AsArray().Count);
    }

    [Fact]
    public async Task TheKeyIsInNoPageOrHeaderTheRelayServesAndTheAppsFieldErrorsAreShownEscaped()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(EntryApi.School);
        await using var relay = await Relay.StartAsync(api, key);

        var pages = new List<(HttpStatusCode Status, string Html, string Headers)>();
        using (var form = await relay.Client.GetAsync(""))
        {
            pages.Add((form.StatusCode, await form.Content.ReadAsStringAsync(), form.Headers + "" + form.Content.Headers));
        }

        var submissionId = SubmissionIdField().Match(pages[0].Html).Groups[1].Value;
        var changed = Concern(submissionId);
        changed["narrative"] = "戻って書き直した内容"; // the same page sent again with other content: the first stands
        var empty = Concern(await relay.SubmissionIdAsync());
        empty["narrative"] = ""; // the app refuses it (400): the relay shows the app's message
        var future = Concern(await relay.SubmissionIdAsync());
        future["observedAt"] = "2999-01-01T00:00";
        foreach (var body in new[] { Concern(submissionId), changed, empty, future, new Dictionary<string, string> { ["narrative"] = "id のないフォーム" } })
        {
            using var response = await relay.Client.PostAsync("concern", new FormUrlEncodedContent(body));
            pages.Add((response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers + "" + response.Content.Headers));
        }

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest],
            pages.Select(page => page.Status));
        Assert.All(pages, page =>
        {
            Assert.DoesNotContain(key, page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(key[..12], page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("SubmissionKey", page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain(key, page.Headers, StringComparison.Ordinal);
            Assert.Contains("189", page.Html, StringComparison.Ordinal);
            Assert.Contains("no-store", page.Headers, StringComparison.Ordinal);
        });
        Assert.Contains("送信済み", pages[2].Html, StringComparison.Ordinal);
        Assert.Contains("入力を確かめてください", pages[3].Html, StringComparison.Ordinal);
        Assert.Contains("<li>", pages[4].Html, StringComparison.Ordinal);
        using var listed = await api.ListReferralsAsync("", person: null, key: key);
        Assert.Single((await CaseApi.BodyAsync(listed))["receipts"]!.AsArray()); // only the first page's first content
        Assert.DoesNotContain("<script", string.Concat(pages.Select(page => page.Html)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AFormFieldIsShownAsTextInTheFormsHeading()
    {
        await using var api = await CaseApi.StartAsync();
        var key = await api.KeyAsync(EntryApi.School);
        await using var relay = await Relay.StartAsync(api, key, agencyName: "<script>alert(1)</script>南小学校");

        var html = await relay.Client.GetStringAsync("");

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;南小学校", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Concern(string submissionId) => new()
    {
        ["submissionId"] = submissionId,
        ["kind"] = "abuse-report",
        ["observedAt"] = "2025-06-15T08:10", // Japan time; the host's clock stands at 2025-06-16 00:30 there
        ["childFamilyName"] = "青木",
        ["childGivenName"] = "ひなた",
        ["approximateAge"] = "8",
        ["schoolOrNursery"] = "南小学校",
        ["narrative"] = "朝の会で左のほほに赤いあざ。<b>本人</b>は「お父さんに」と話した。",
        ["submitterName"] = "南小学校 教頭 高橋",
        ["submitterRole"] = "教頭",
    };

    [GeneratedRegex("id=\"receipt-number\">([^<]*)<")]
    private static partial Regex ReceiptNumber();

    [GeneratedRegex("name=\"submissionId\" value=\"([^\"]+)\"")]
    private static partial Regex SubmissionIdField();

    /// <summary>The relay on a loopback port, forwarding to the test host, with the key only in its configuration.</summary>
    private sealed class Relay(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public static async Task<Relay> StartAsync(CaseApi api, string key, string agencyName = "みどり市立南小学校")
        {
            var app = global::FormRelay.FormRelayApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                "--FormRelay:ApiBaseUrl", api.Host.Client.BaseAddress!.ToString(),
                "--FormRelay:SubmissionKey", key,
                "--FormRelay:AgencyName", agencyName,
            ]);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
            return new Relay(app, new HttpClient { BaseAddress = new Uri(address) });
        }

        /// <summary>Opens the form and returns the submission id its page carries.</summary>
        public async Task<string> SubmissionIdAsync()
        {
            var match = SubmissionIdField().Match(await Client.GetStringAsync(""));
            Assert.True(match.Success);
            return match.Groups[1].Value;
        }

        public async Task<(HttpStatusCode Status, string Html)> PostAsync(Dictionary<string, string> form)
        {
            using var response = await Client.PostAsync("concern", new FormUrlEncodedContent(form));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
