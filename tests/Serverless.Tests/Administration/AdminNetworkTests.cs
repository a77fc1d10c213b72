using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Tests.Hosting;
using Serverless.Tests.Identity;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Administration;

/// <summary>
/// The admin API answers only callers from <c>Administration:AllowedNetworks</c> (in Azure, the municipality's
/// gateway; in the test host, this machine). Every function whose route starts with <c>api/admin/</c> is read
/// from <c>functions.metadata</c>, and each is asked with the request its authorization-matrix row says would
/// succeed, so a new admin function is covered here as soon as it has its row (which the matrix demands).
/// A test request's client is what it names in <c>X-Forwarded-For</c> (one trusted proxy, as in Azure);
/// one that names none comes from <see cref="TestHost.LocalClient"/>.
/// </summary>
public sealed class AdminNetworkTests
{
    private const string Outside = "203.0.113.10";

    public static TheoryData<string> AdminFunctions()
    {
        var data = new TheoryData<string>();
        foreach (var entry in AdminEntries().Where(AnAdminMayCall))
        {
            data.Add(entry.Name);
        }

        return data;
    }

    [Fact]
    public void TheAdminApiHasTheFunctionsTheseTestsAsk()
        => Assert.Equal(
            ["ConfirmEndMembership", "ConfirmTransferPartner", "DeleteWebhook", "EndMembership", "GetTransferIdentity", "GrantMembership", "IssueSubmissionKey", "ListAgencies", "ListPeople", "ListSubmissionKeys", "ListTransferPartners", "ListWebhooks", "RegisterPerson", "RevokeSubmissionKey", "RotateSubmissionKey", "RotateWebhookSecret", "SaveAgency", "SaveTransferPartner", "SaveWebhook"],
            AdminEntries().Select(entry => entry.Name).Order(StringComparer.Ordinal));

    /// <summary>The admin routes no admin may call, left out of the tests that need an admin to succeed from inside:
    /// confirming a coordinator's end is a second coordinator's act, and so is confirming a transfer partner after the phone check.</summary>
    [Fact]
    public void EveryAdminFunctionButTheCoordinatorsOwnServesAnAdmin()
        => Assert.Equal(["ConfirmEndMembership", "ConfirmTransferPartner"], AdminEntries().Where(entry => !AnAdminMayCall(entry)).Select(entry => entry.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(AdminFunctions))]
    public async Task AnAdminFromOutsideTheAllowedNetworksIsRefusedChangesNothingAndTheSameRequestFromInsideSucceeds(string function)
    {
        await using var world = await MatrixWorld.StartAsync();
        var (entry, row) = Lookup(function);
        var expected = row.Expect!(MatrixCaller.Admin);
        Assert.True(expected.Status is >= 200 and < 300, $"{function}: its matrix row must let the admin succeed, or this test proves nothing (it says {expected}).");
        var request = await row.Request!(world, MatrixCaller.Admin);
        var path = AuthorizationMatrix.Path(entry, request);
        await FirstSignInAsync(world);
        var before = await StoredStateAsync(world.Host);

        using var outside = await world.SendAsync(MatrixCaller.Admin, AuthorizationMatrix.Method(entry), path, request.Body, From(Outside, request.Headers));

        await AdminApi.AssertProblemAsync(outside, ProblemCatalogue.AdminNetworkNotAllowed, path);
        Assert.Equal(before, await StoredStateAsync(world.Host));
        var audited = await OutcomeAsync(world, outside);
        Assert.Equal((MatrixWorld.PersonId("admin-kobayashi"), "Admin", nameof(AuditOutcome.Refused), Outside), (audited.ActorId, audited.Role, audited.Outcome, audited.ClientAddress));

        using var inside = await world.SendAsync(MatrixCaller.Admin, AuthorizationMatrix.Method(entry), path, request.Body, request.Headers);

        Assert.Equal(expected, await AnswerAsync(inside));
        Assert.Equal(TestHost.LocalClient, (await OutcomeAsync(world, inside)).ClientAddress);
    }

    /// <summary>The network is decided after authentication and after the role: from outside, whoever the admin API
    /// would serve gets <c>admin.network-not-allowed</c> (a coordinator listing people too), and everyone else the
    /// answer they get from inside (401 for no credentials, 403 <c>auth.forbidden</c> for a role that may not).</summary>
    [Fact]
    public async Task FromOutsideEveryAdminFunctionRefusesWhomItWouldServeAndAnswersEveryoneElseAsFromInside()
    {
        await using var world = await MatrixWorld.StartAsync();

        var differences = new List<string>();
        foreach (var entry in AdminEntries())
        {
            var (_, row) = Lookup(entry.Name);
            foreach (var caller in AuthorizationMatrix.Callers)
            {
                var inside = row.Expect!(caller);
                var expected = inside.Status is >= 200 and < 300 ? MatrixAnswer.Of(ProblemCatalogue.AdminNetworkNotAllowed) : inside;
                var request = await row.Request!(world, caller);
                using var response = await world.SendAsync(caller, AuthorizationMatrix.Method(entry), AuthorizationMatrix.Path(entry, request), request.Body, From(Outside, request.Headers));
                var actual = await AnswerAsync(response);
                if (actual != expected)
                {
                    differences.Add($"{entry.Name} × {AuthorizationMatrix.Short(caller)}: expected {expected}, got {actual}");
                }
            }
        }

        Assert.True(differences.Count == 0, string.Join(Environment.NewLine, differences));
    }

    /// <summary>Fail closed: with no allowed networks configured, the admin API refuses everyone, this machine included.</summary>
    [Fact]
    public async Task WithNoAllowedNetworksEveryAdminFunctionRefusesAnAdminEvenFromThisMachine()
    {
        await using var world = await MatrixWorld.StartAsync(new Dictionary<string, string> { ["Administration:AllowedNetworks"] = "" });
        await FirstSignInAsync(world);

        foreach (var entry in AdminEntries().Where(AnAdminMayCall))
        {
            var (_, row) = Lookup(entry.Name);
            var request = await row.Request!(world, MatrixCaller.Admin);
            var before = await StoredStateAsync(world.Host); // after the row's own set-up (a spare key, a person)
            var path = AuthorizationMatrix.Path(entry, request);

            using var response = await world.SendAsync(MatrixCaller.Admin, AuthorizationMatrix.Method(entry), path, request.Body, request.Headers);

            await AdminApi.AssertProblemAsync(response, ProblemCatalogue.AdminNetworkNotAllowed, path);
            Assert.Equal(before, await StoredStateAsync(world.Host));
        }
    }

    /// <summary>Fail closed: an address that cannot be resolved (no <c>X-Forwarded-For</c> where the front end should
    /// have written one, or an entry that is not an address) is outside every network, loopback included.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("unknown")]
    [InlineData("127.0.0.1:not-a-port")]
    public async Task AnAdminWhoseAddressCannotBeResolvedIsRefused(string? forwardedFor)
    {
        await using var world = await MatrixWorld.StartAsync();
        // The host's own client names 127.0.0.1 when a request names nothing: this one sends exactly what it is given.
        using var client = new HttpClient { BaseAddress = world.Host.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/admin/agencies");
        request.Headers.TryAddWithoutValidation("Authorization", world.Authorization(MatrixCaller.Admin));
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        using var response = await client.SendAsync(request);

        await AdminApi.AssertProblemAsync(response, ProblemCatalogue.AdminNetworkNotAllowed, "api/admin/agencies");
        var audited = await OutcomeAsync(world, response);
        Assert.Equal((nameof(AuditOutcome.Refused), (string?)null), (audited.Outcome, audited.ClientAddress));
    }

    /// <summary>Only the entry the trusted proxy appended counts: a client cannot claim to be inside by writing an
    /// allowed address to the left of it.</summary>
    [Fact]
    public async Task AnAllowedAddressTheClientWroteItselfDoesNotLetItIn()
    {
        await using var world = await MatrixWorld.StartAsync();

        using var response = await world.SendAsync(MatrixCaller.Admin, HttpMethod.Get, "api/admin/people", headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "127.0.0.1, " + Outside });

        await AdminApi.AssertProblemAsync(response, ProblemCatalogue.AdminNetworkNotAllowed, "api/admin/people");
    }

    [Fact]
    public async Task TheRefusalIsInEnglishWhenTheCallerPrefersIt()
    {
        await using var world = await MatrixWorld.StartAsync();

        using var response = await world.SendAsync(MatrixCaller.Admin, HttpMethod.Get, "api/admin/agencies", headers: new Dictionary<string, string> { ["X-Forwarded-For"] = Outside, ["Accept-Language"] = "en" });

        var observed = await Serverless.Tests.Http.ObservedResponse.FromAsync(response);
        observed.AssertProblem(ProblemCatalogue.AdminNetworkNotAllowed, ProblemLanguage.English, instance: "/api/admin/agencies");
    }

    [Fact]
    public void EveryAdminOperationDocumentsTheNetworkRefusal()
    {
        var document = JsonNode.Parse(Serverless.Functions.Contracts.OpenApiDocumentBuilder.Build())!;
        var operations = document["paths"]!.AsObject()
            .Where(path => path.Key.StartsWith("/api/admin/", StringComparison.Ordinal))
            .SelectMany(path => path.Value!.AsObject().Select(operation => (Name: operation.Key.ToUpperInvariant() + " " + path.Key, Operation: operation.Value!)))
            .ToList();

        Assert.Equal(AdminEntries().Count, operations.Count);
        Assert.All(operations, operation => Assert.True(
            operation.Operation["responses"]?["403"]?["x-problem-codes"]?.AsArray().Any(code => (string?)code == ProblemCatalogue.AdminNetworkNotAllowed.Code) == true,
            $"{operation.Name} does not list {ProblemCatalogue.AdminNetworkNotAllowed.Code} among its 403 answers"));
    }

    private static List<FunctionsMetadataEntry> AdminEntries()
        => [.. FunctionsMetadataEntry.Load().Where(entry => entry.TriggerType == "httpTrigger" && (entry.Trigger["route"]?.GetValue<string>() ?? "").StartsWith("api/admin/", StringComparison.Ordinal))];

    private static bool AnAdminMayCall(FunctionsMetadataEntry entry)
        => Lookup(entry.Name).Row.Expect!(MatrixCaller.Admin).Status is >= 200 and < 300;

    private static (FunctionsMetadataEntry Entry, MatrixRow Row) Lookup(string function)
        => (FunctionsMetadataEntry.Load().Single(entry => entry.Name == function), AuthorizationMatrix.Rows.Single(row => row.Function == function));

    private static Dictionary<string, string> From(string address, IReadOnlyDictionary<string, string>? headers)
        => new(headers ?? new Dictionary<string, string>()) { ["X-Forwarded-For"] = address };

    private static async Task<MatrixAnswer> AnswerAsync(HttpResponseMessage response)
    {
        var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
        return new MatrixAnswer((int)response.StatusCode, isProblem ? (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["code"] : null);
    }

    /// <summary>The outcome entry the request left in the audit log.</summary>
    private static async Task<AuditRecord> OutcomeAsync(MatrixWorld world, HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var outcome = await world.Host.Get<AuditQuery>().ByActorAsync(MatrixWorld.PersonId("admin-kobayashi"), MatrixWorld.Now.AddDays(-1), MatrixWorld.Now.AddDays(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        var page = Assert.IsType<AuditQueryOutcome.Done>(outcome).Page;
        return Assert.Single(page.Entries, entry => entry.RequestId == requestId && entry.Kind == AuditEntryKinds.Outcome);
    }

    /// <summary>A person's first sign-in pins their token's iss and tid on their profile (a People row write, before any
    /// admin check). Done before the snapshot, so "changes nothing" is about the refused request itself.</summary>
    private static async Task FirstSignInAsync(MatrixWorld world)
        => await world.Host.Get<Serverless.Identity.SignIn.SignInService>().SignInAsync(
            new Serverless.Identity.Tokens.TokenIdentity(Serverless.Identity.Tokens.DevelopmentTokens.IssuerName, Serverless.Identity.Tokens.DevelopmentTokens.DefaultIssuer, "admin-kobayashi", null),
            null,
            CancellationToken.None);

    /// <summary>Every row of every table but the audit's, with its ETag: an insert, an update or a delete shows.</summary>
    private static async Task<string> StoredStateAsync(TestHost host)
    {
        var state = new StringBuilder();
        foreach (var table in host.Get<IOptions<StorageResources>>().Value.Tables.Where(name => !name.StartsWith("Audit", StringComparison.Ordinal)))
        {
            await foreach (var row in host.Storage.Tables.GetTableClient(host.Names.Table(table)).QueryAsync<TableEntity>())
            {
                state.Append(table).Append(' ').Append(row.PartitionKey).Append(' ').Append(row.RowKey).Append(' ').Append(row.ETag).AppendLine();
            }
        }

        return state.ToString();
    }
}
