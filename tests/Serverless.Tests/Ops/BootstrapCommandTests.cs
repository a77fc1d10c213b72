using System.Net;
using Serverless.Audit;
using Serverless.Identity.People;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Ops;

/// <summary>
/// <c>people bootstrap</c>: a fresh instance has nobody who can sign in to grant the first admin or
/// coordinator, so ops registers them, once per role, and the audit records it.
/// </summary>
public sealed class BootstrapCommandTests
{
    [Fact]
    public async Task TheFirstAdminIsRegisteredWithTheAgencyAndCanUseTheAdminApiAtOnce()
    {
        await using var host = await TestHost.StartAsync(seedDirectory: false);

        var (exitCode, output, error) = await RunAsync(
            host, "people", "bootstrap", "--role", "admin", "--agency-id", "yama-kodomo-ka", "--agency-name", "やま町 子ども課",
            "--issuer", "development", "--subject", "first-admin", "--display-name", "最初の管理者");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal("", error);
        var personId = PersonIds.For("development", "first-admin");
        Assert.StartsWith($"Registered {personId} as admin of yama-kodomo-ka", output, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/agencies");
        request.Headers.TryAddWithoutValidation("Authorization", TestTokens.Bearer(host, "first-admin"));
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("yama-kodomo-ka", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondBootstrapOfARoleSomeoneHoldsIsRefusedAndChangesNothing()
    {
        await using var host = await TestHost.StartAsync(); // the demo directory has an admin and coordinators
        var before = await host.Get<PeopleDirectory>().AllAsync(CancellationToken.None);

        var (exitCode, _, error) = await RunAsync(
            host, "people", "bootstrap", "--role", "coordinator", "--agency-id", "midori-kodomo-ka",
            "--issuer", "development", "--subject", "back-door", "--display-name", "裏口");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("already hold the coordinator role", error, StringComparison.Ordinal);
        Assert.Equal(before.Count, (await host.Get<PeopleDirectory>().AllAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task OnlyTheAdminAndCoordinatorRolesCanBeBootstrapped()
    {
        await using var host = await TestHost.StartAsync(seedDirectory: false);

        var (exitCode, _, error) = await RunAsync(
            host, "people", "bootstrap", "--role", "member", "--agency-id", "yama-kodomo-ka", "--agency-name", "やま町",
            "--issuer", "development", "--subject", "someone", "--display-name", "誰か");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("admin API", error, StringComparison.Ordinal);
        Assert.Empty(await host.Get<PeopleDirectory>().AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TheBootstrapIsInTheAuditTrailWithoutTheName()
    {
        await using var host = await TestHost.StartAsync(seedDirectory: false);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        await RunAsync(
            host, "people", "bootstrap", "--role", "coordinator", "--agency-id", "yama-kodomo-ka", "--agency-name", "やま町 子ども課",
            "--issuer", "development", "--subject", "first-coordinator", "--display-name", "最初の調整担当");

        var page = Assert.IsType<AuditQueryOutcome.Done>(await host.Get<AuditQuery>().ByActorAsync("ops-bootstrap", start, DateTimeOffset.UtcNow.AddMinutes(1), null, null, CancellationToken.None)).Page;
        var entry = Assert.Single(page.Entries);
        Assert.Equal(AuditActions.OpsBootstrap, entry.Action);
        Assert.Equal("yama-kodomo-ka", entry.AgencyId);
        Assert.DoesNotContain("最初の調整担当", System.Text.Json.JsonSerializer.Serialize(entry), StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(TestHost host, params string[] args)
        => OpsTool.RunAsync(host.Prefix, args);
}
