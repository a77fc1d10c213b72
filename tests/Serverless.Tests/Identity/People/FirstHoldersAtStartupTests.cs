using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Identity.People;

/// <summary>
/// A new deployment names its first admin and coordinator in its parameters (<c>Bootstrap:*</c>), and the app
/// registers them when it starts: nobody needs a data role. Only while nobody has ever held the role, so the
/// setting left in place is no back door.
/// </summary>
public sealed class FirstHoldersAtStartupTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Bootstrap:Issuer"] = "development",
        ["Bootstrap:AgencyId"] = "yama-kodomo-ka",
        ["Bootstrap:AgencyName"] = "やま町 子ども課",
        ["Bootstrap:AdminSubject"] = "first-admin",
        ["Bootstrap:CoordinatorSubject"] = "first-coordinator",
    };

    [Fact]
    public async Task TheAppRegistersTheFirstAdminAndCoordinatorWhoCanWorkAtOnce()
    {
        await using var host = await TestHost.StartAsync(seedDirectory: false, settings: Settings);

        using var agencies = await SendAsync(host, "api/admin/agencies", "first-admin");
        using var cases = await SendAsync(host, "api/cases?status=registered", "first-coordinator");

        Assert.Equal(HttpStatusCode.OK, agencies.StatusCode);
        Assert.Contains("やま町 子ども課", await agencies.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
        var (_, memberships) = await host.Get<PeopleDirectory>().FindAsync(PersonIds.For("development", "first-coordinator"), CancellationToken.None);
        var membership = Assert.Single(memberships);
        Assert.Equal((CallerRole.Coordinator, "yama-kodomo-ka", true, FirstHoldersAtStartup.ActorId), (membership.Role, membership.AgencyId, membership.MayBreakGlass, membership.GrantedBy));
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await host.Get<AuditQuery>().ByActorAsync(FirstHoldersAtStartup.ActorId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, null, CancellationToken.None)).Page.Entries;
        Assert.Equal(2, audit.Count(entry => entry.Action == AuditActions.OpsBootstrap && entry.Outcome == nameof(AuditOutcome.Succeeded)));
    }

    [Fact]
    public async Task AnotherStartRegistersNobodyTwiceAndNobodyAtAllOnceTheFirstHolderHasLeft()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(seedDirectory: false, clock: clock, settings: Settings);
        var people = host.Get<PeopleDirectory>();
        var adminId = PersonIds.For("development", "first-admin");
        var startup = host.Services.GetServices<IHostedService>().OfType<FirstHoldersAtStartup>().Single();

        await startup.StartAsync(CancellationToken.None); // a second instance starting
        var (_, memberships) = await people.FindAsync(adminId, CancellationToken.None);
        var only = Assert.Single(memberships);
        var found = (await people.FindMembershipAsync(adminId, only.MembershipId, CancellationToken.None))!.Value;
        Assert.True(await people.EndAsync(only, only.ValidFrom, "p-someone", found.ETag, CancellationToken.None));
        clock.Advance(TimeSpan.FromDays(2)); // the first admin has left: nobody holds the role today
        // The setting now names someone else (whoever can change app settings): the role was held before, so no.
        var changed = new FirstHoldersOptions { Issuer = "development", AgencyId = "yama-kodomo-ka", AgencyName = "やま町 子ども課", AdminSubject = "someone-else" };
        await new FirstHoldersAtStartup(host.Get<FirstHolders>(), Options.Create(changed), Microsoft.Extensions.Logging.Abstractions.NullLogger<FirstHoldersAtStartup>.Instance).StartAsync(CancellationToken.None);

        var (_, after) = await people.FindAsync(adminId, CancellationToken.None);
        Assert.Equal(only.ValidFrom, Assert.Single(after).ValidTo);
        Assert.Null((await people.FindAsync(PersonIds.For("development", "someone-else"), CancellationToken.None)).Profile);
        Assert.Equal(2, (await people.AllAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ANamedHolderWithoutTheirAgencyStopsTheAppAtStartUp()
    {
        var settings = new Dictionary<string, string>(Settings) { ["Bootstrap:AgencyId"] = "" };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(seedDirectory: false, settings: settings));

        Assert.Contains("Bootstrap:AgencyId", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost host, string path, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        host.SignIn(request, subject);
        return await host.Client.SendAsync(request);
    }
}
