using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Ops;

/// <summary>
/// The ops tool's admin commands (agencies, people, memberships, keys) speak to the API like any
/// client, with an admin's token: the API checks and audits them. Run in-process against a local host.
/// </summary>
public sealed class AdminCommandTests
{
    [Fact]
    public async Task AnAgencyIsRegisteredAndListed()
    {
        await using var host = await StartLocalHostAsync();

        var (exitCode, output, error) = await RunAsync(host, "admin-kobayashi",
            "agencies", "register", "--agency-id", "kita-chugakko", "--name", "みどり市立北中学校", "--kind", "school", "--council-member", "--acknowledged-on", "2025-04-01");
        var (_, listed, _) = await RunAsync(host, "admin-kobayashi", "agencies", "list");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("", error);
        Assert.Equal("みどり市立北中学校", (string)JsonNode.Parse(output)!["name"]!);
        Assert.Contains("\"kita-chugakko\"", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyIsPrintedOnceAndRevokingItRefusesItAtOnce()
    {
        await using var host = await StartLocalHostAsync();

        var (issued, output, _) = await RunAsync(host, "admin-kobayashi", "keys", "--agency-id", "minami-shogakko", "issue", "--label", "南小学校 通告フォーム");
        var key = (string)JsonNode.Parse(output)!["key"]!;
        var keyId = (string)JsonNode.Parse(output)!["info"]!["keyId"]!;
        var before = await GetCaseAsync(host, "SubmissionKey " + key);
        var (revoked, _, _) = await RunAsync(host, "admin-kobayashi", "keys", "--agency-id", "minami-shogakko", "revoke", "--key-id", keyId);
        var after = await GetCaseAsync(host, "SubmissionKey " + key);
        var (_, listed, _) = await RunAsync(host, "admin-kobayashi", "keys", "--agency-id", "minami-shogakko", "list");

        Assert.Equal(ExitCodes.Ok, issued);
        Assert.Equal(ExitCodes.Ok, revoked);
        Assert.Equal(HttpStatusCode.NotFound, before); // a key is a caller: it just sees no case
        Assert.Equal(HttpStatusCode.Unauthorized, after);
        Assert.Contains(keyId, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMembershipIsGrantedAndEnded()
    {
        await using var host = await StartLocalHostAsync();
        var (_, registered, _) = await RunAsync(host, "admin-kobayashi", "people", "register", "--issuer", "development", "--subject", "teacher-ogawa", "--display-name", "小川 先生");
        var personId = (string)JsonNode.Parse(registered)!["personId"]!;

        var (granted, grant, _) = await RunAsync(host, "admin-kobayashi", "memberships", "--person-id", personId, "grant", "--agency-id", "minami-shogakko", "--role", "member", "--from", "2024-04-01");
        var membershipId = (string)JsonNode.Parse(grant)!["membershipId"]!;
        var whileValid = await ListCasesAsync(host, TestTokens.Bearer(host, "teacher-ogawa"));
        var (ended, _, _) = await RunAsync(host, "admin-kobayashi", "memberships", "--person-id", personId, "end", "--membership-id", membershipId, "--last-day", "2024-04-30");
        var afterEnd = await ListCasesAsync(host, TestTokens.Bearer(host, "teacher-ogawa"));

        Assert.Equal(ExitCodes.Ok, granted);
        Assert.Equal(ExitCodes.Ok, ended);
        Assert.Equal(HttpStatusCode.OK, whileValid);
        Assert.Equal(HttpStatusCode.Forbidden, afterEnd);
    }

    [Fact]
    public async Task ARefusalPrintsTheProblemAndFails()
    {
        await using var host = await StartLocalHostAsync();

        var (exitCode, output, error) = await RunAsync(host, "teacher-tanaka", "agencies", "list");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("403", error, StringComparison.Ordinal);
        Assert.Contains("auth.forbidden", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheApiOrATokenNothingIsSent()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var noApi = await OpsApp.RunAsync(["agencies", "list", "--token", "x"], output, error);
        var plainHttp = await OpsApp.RunAsync(["agencies", "list", "--api", "http://api.example.jp", "--token", "x"], output, error);

        Assert.Equal(ExitCodes.Usage, noApi);
        Assert.Equal(ExitCodes.Usage, plainHttp);
        Assert.Contains("https", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The host as <c>dotnet run --project tools/Dev -- start</c> runs it: nothing in front, so the client is
    /// the connection's own (loopback) address, inside the admin API's allowed networks. The ops tool sends no
    /// X-Forwarded-For, as it sends none to Azure (where the front end appends it).</summary>
    private static Task<TestHost> StartLocalHostAsync()
        => TestHost.StartAsync(settings: new Dictionary<string, string> { ["Network:TrustedProxyHops"] = "0" });

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(TestHost host, string subject, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await OpsApp.RunAsync([.. args, "--api", host.Client.BaseAddress!.ToString(), "--token", TestTokens.Bearer(host, subject)["Bearer ".Length..]], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<HttpStatusCode> GetCaseAsync(TestHost host, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/cases/c0000000000000000000000000");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> ListCasesAsync(TestHost host, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/cases");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }
}
