using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Notifications;

/// <summary>
/// The exact storage operations of handling one entry event (what the EntryAdded function does with one message), by
/// how many people are told: one inbox insert per recipient, and the same ten operations besides however many there
/// are (four of them the monthly counters'). The host's own calls come on top: one receive per batch of up to 16 messages and one delete per message (the
/// notification-fan-out benchmark counts them with the listener running).
/// </summary>
public sealed class FanOutStorageOperationTests
{
    private const string Scope = "test-entry-added";

    [Theory]
    [InlineData(1, 3)] // one agency's two staff, one of whom writes, and the two coordinators (the case names none)
    [InlineData(29, 59)] // 29 agencies and the lead: the most a case takes; 57 staff and the two coordinators
    public async Task AnEntryEventCostsOneInsertPerRecipientAndTenOperationsBesides(int agencies, int recipients)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await CaseWithStaffAsync(api, agencies);
        await api.DeliverQueuedAsync(); // the case's registration
        var reportId = await api.ReportIdAsync(caseId, Report(), Subject(0, 0));
        var message = Assert.Single(await api.QueuedEventsAsync());
        var p = api.Host.Prefix;
        var before = api.Host.Counter.For(Scope);

        using (StorageOperationCounter.BeginScope(Scope))
        {
            await api.Host.Get<EntryEvents>().HandleAsync(message, CancellationToken.None);
        }

        Assert.Equal(
            new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 3, // the case as it is now, and the entry's timeline head, side by side; the head again for the counters
                [$"table GET {p}Agencies(key)"] = 1, // the counters: the sending agency's kind
                [$"table GET {p}{Serverless.Stats.MonthlyCounters.TableName}()"] = 1, // the counters: the month's head row
                ["table POST $batch"] = 1, // the counters: the event's marker, the head's next version, the old one deleted (Stats)
                [$"table GET {p}People()"] = 1, // everyone's memberships: the whole table, one page while it has under 1,000 rows
                [$"table POST {p}{NotificationInbox.TableName}"] = recipients, // one inbox row each
                [$"table PATCH {p}Cases(key)"] = 1, // the case's activity summary (a merge)
                [$"table DELETE {p}{EntryOutbox.TableName}(key)"] = 1, // the announcement, done
                [$"table GET {p}Webhooks()"] = 1, // the chat channels of every agency told, in one read of that small table (none registered here)
            },
            StorageOperationCounter.Difference(before, api.Host.Counter.For(Scope)));
        var inbox = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(NotificationInbox.TableName));
        Assert.Equal(recipients, await inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"EntryId eq {reportId}")).CountAsync());
    }

    private static string Subject(int agency, int member) => $"fanout-{agency:D2}-{(char)('a' + member)}";

    private static string AgencyId(int agency) => $"fanout-kikan-{agency:D2}";

    /// <summary>
    /// Registers <paramref name="agencies"/> agencies with two staff each (a profile and one membership, as the demo
    /// people are registered) and a case they all take part in, led by the municipal division, every one of them named.
    /// </summary>
    private static async Task<string> CaseWithStaffAsync(CaseApi api, int agencies)
    {
        var directory = api.Host.Get<AgencyDirectory>();
        var people = api.Host.Get<PeopleDirectory>();
        var staff = new JsonArray();
        var participants = new JsonArray();
        for (var a = 0; a < agencies; a++)
        {
            await directory.SaveAsync(new Agency(AgencyId(a), $"架空の機関 {a:D2}", AgencyKind.School, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)), CancellationToken.None);
            participants.Add(new JsonObject { ["agencyId"] = AgencyId(a), ["from"] = "2025-04-01" });
            for (var m = 0; m < 2; m++)
            {
                var personId = PersonIds.For(DevelopmentTokens.IssuerName, Subject(a, m));
                await people.SaveProfileAsync(new PersonProfile(personId, DevelopmentTokens.IssuerName, Subject(a, m), $"試験 職員{a:D2}{m}", DateTimeOffset.UnixEpoch, "test"), CancellationToken.None);
                await people.GrantAsync(new Membership($"{a:D2}{m:D2}000000000000", personId, AgencyId(a), CallerRole.Member, new DateOnly(2024, 4, 1), null, false, "test", DateTimeOffset.UnixEpoch), CancellationToken.None);
                staff.Add(new JsonObject { ["personId"] = personId, ["agencyId"] = AgencyId(a) });
            }
        }

        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = AgencyId(0);
        record["participants"] = participants;
        record["staff"] = staff;
        return await api.CreateIdAsync(record);
    }
}
