using System.Net;
using Azure.Data.Tables;
using Serverless.Identity.People;
using Serverless.Identity.SignIn;
using Serverless.Identity.Tokens;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Tests.Administration;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Identity.SignIn;

/// <summary>
/// A person id comes from the issuer's configured NAME and the subject, so whoever can change that issuer's
/// settings could point it at a provider of their own and mint a coordinator's subject. The first sign-in pins
/// the validated iss and tid on the profile; a later token that differs is refused (403 auth.issuer-mismatch).
/// </summary>
public sealed class IssuerPinningTests
{
    private const string Newcomer = "newcomer-abe";
    private const string SchoolList = "api/cases?agency=" + School;
    private const string Genuine = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000c0de/v2.0";
    private const string Attacker = "https://idp.attacker.example/v2.0";

    [Fact]
    public async Task TheFirstSignInPinsTheValidatedIssuerAndTenant()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await RegisteredMemberAsync(api);
        var signIn = api.Host.Get<SignInService>();

        var first = await signIn.SignInAsync(Token(Genuine, "tenant-midori"), null, CancellationToken.None);

        Assert.IsType<SignInOutcome.SignedIn>(first);
        var (profile, _) = await api.Host.Get<PeopleDirectory>().FindAsync(personId, CancellationToken.None);
        Assert.Equal(Genuine, profile!.SignIn!.Issuer);
        Assert.Equal("tenant-midori", profile.SignIn.TenantId);
    }

    [Fact]
    public async Task ATokenFromAnotherIssuerOrTenantUnderTheSameNameIsRefused()
    {
        await using var api = await AdminApi.StartAsync();
        await RegisteredMemberAsync(api);
        var signIn = api.Host.Get<SignInService>();
        Assert.IsType<SignInOutcome.SignedIn>(await signIn.SignInAsync(Token(Genuine, "tenant-midori"), null, CancellationToken.None));

        Assert.IsType<SignInOutcome.IssuerMismatch>(await signIn.SignInAsync(Token(Attacker, "tenant-midori"), null, CancellationToken.None));
        Assert.IsType<SignInOutcome.IssuerMismatch>(await signIn.SignInAsync(Token(Genuine, "tenant-attacker"), null, CancellationToken.None));
        Assert.IsType<SignInOutcome.IssuerMismatch>(await signIn.SignInAsync(Token(Genuine, null), null, CancellationToken.None));
        Assert.IsType<SignInOutcome.SignedIn>(await signIn.SignInAsync(Token(Genuine, "tenant-midori"), null, CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentFirstSignInsPinOnceAndNeverOverwriteEachOther()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await RegisteredMemberAsync(api);
        var signIn = api.Host.Get<SignInService>();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => signIn.SignInAsync(Token($"https://issuer-{n}.example/v2.0", $"tenant-{n}"), null, CancellationToken.None)));

        var signedIn = Assert.Single(outcomes.Select((outcome, n) => (outcome, n)), pair => pair.outcome is SignInOutcome.SignedIn);
        Assert.Equal(7, outcomes.Count(outcome => outcome is SignInOutcome.IssuerMismatch));
        var (profile, _) = await api.Host.Get<PeopleDirectory>().FindAsync(personId, CancellationToken.None);
        Assert.Equal($"https://issuer-{signedIn.n}.example/v2.0", profile!.SignIn!.Issuer);
        Assert.Equal($"tenant-{signedIn.n}", profile.SignIn.TenantId);
    }

    [Fact]
    public async Task RegisteringThePersonAgainKeepsThePin()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await RegisteredMemberAsync(api);
        var signIn = api.Host.Get<SignInService>();
        await signIn.SignInAsync(Token(Genuine, "tenant-midori"), null, CancellationToken.None);

        await api.RegisterAsync(Newcomer, "阿部 新（改姓）");

        var (profile, _) = await api.Host.Get<PeopleDirectory>().FindAsync(personId, CancellationToken.None);
        Assert.Equal("阿部 新（改姓）", profile!.DisplayName);
        Assert.Equal(Genuine, profile.SignIn!.Issuer);
        Assert.IsType<SignInOutcome.IssuerMismatch>(await signIn.SignInAsync(Token(Attacker, "tenant-midori"), null, CancellationToken.None));
    }

    [Fact]
    public async Task OverHttpAMismatchIs403IssuerMismatchAndAuditedAsThePerson()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await RegisteredMemberAsync(api);
        using var first = await api.GetAsync(SchoolList, Newcomer);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The person's first sign-in came through the council's tenant; the development issuer now plays the
        // issuer someone re-pointed: same issuer name, same subject, another iss.
        await RepinAsync(api, personId, Genuine, "tenant-midori");
        using var refused = await api.GetAsync(SchoolList, Newcomer);

        await AssertProblemAsync(refused, ProblemCatalogue.IssuerMismatch, SchoolList);
        Assert.Equal(
            [("Succeeded", (string?)School), ("Unauthenticated", null)],
            (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.Outcome!, entry.AgencyId)));
    }

    private static async Task<string> RegisteredMemberAsync(AdminApi api)
    {
        var personId = await api.RegisterAsync(Newcomer);
        await api.GrantAsync(personId, Grant(School, "member", api.Today));
        return personId;
    }

    private static TokenIdentity Token(string iss, string? tid) => new(DevelopmentTokens.IssuerName, iss, Newcomer, tid);

    private static async Task RepinAsync(AdminApi api, string personId, string issuer, string tenantId)
    {
        var table = api.Host.Get<StorageClients>().Tables.GetTableClient(api.Host.Get<StorageNames>().Table(PeopleDirectory.TableName));
        await table.UpdateEntityAsync(
            new TableEntity(personId, PersonEntity.Row) { [PersonEntity.SignInIssuerColumn] = issuer, [PersonEntity.SignInTenantIdColumn] = tenantId },
            Azure.ETag.All,
            TableUpdateMode.Merge);
    }
}
