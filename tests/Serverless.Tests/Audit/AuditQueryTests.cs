using Serverless.Audit;
using Serverless.Cases;
using Serverless.Tests.Infrastructure;
using Serverless.Validation;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>Reading the trail: by case from the index, by actor from the day partitions; limits and paging.</summary>
public sealed class AuditQueryTests
{
    [Fact]
    public async Task ByCaseListsEveryOutcomeAndEventThatConcernedTheCaseOldestFirst()
    {
        await using var host = await StartAsync();
        var scenario = await host.WriteScenarioAsync();

        var page = Done(await host.Get<AuditQuery>().ByCaseAsync(scenario.CaseC, null, null, CancellationToken.None));

        Assert.Equal(
            [
                new AuditRecord(scenario.ListOutcome, Start.AddSeconds(3), "outcome", "Person", "p-tanaka", "a-midori-school", "member", "case.list", scenario.CaseC, null, "Succeeded", false, "req-list", null),
                new AuditRecord(scenario.KeyEvent, Start.AddSeconds(4), "event", "SubmissionKey", "k-7f3a", null, null, "case.read", scenario.CaseC, null, "Unauthenticated", false, "req-key", null),
            ],
            page.Entries);
        Assert.Null(page.ContinuationToken);
    }

    [Fact]
    public async Task ByCasePagesWithATokenBoundToTheCase()
    {
        await using var host = await StartAsync();
        var caseId = CaseIds.New();
        for (var i = 0; i < 3; i++)
        {
            await host.Trail().RecordAsync(Coordinator, Request($"req-{i}"), AuditActions.CaseRead, caseId, AuditOutcome.Refused, CancellationToken.None);
            host.Clock().Advance(TimeSpan.FromSeconds(1));
        }

        var query = host.Get<AuditQuery>();
        var first = Done(await query.ByCaseAsync(caseId, 2, null, CancellationToken.None));
        var second = Done(await query.ByCaseAsync(caseId, 2, first.ContinuationToken, CancellationToken.None));
        var replayed = await query.ByCaseAsync(CaseIds.New(), 2, first.ContinuationToken, CancellationToken.None);

        Assert.Equal(["req-0", "req-1"], first.Entries.Select(entry => entry.RequestId));
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(["req-2"], second.Entries.Select(entry => entry.RequestId));
        Assert.Null(second.ContinuationToken);
        Assert.Equal([new ValidationError("$.continuationToken", FieldRules.InvalidId)], Invalid(replayed));
    }

    [Fact]
    public async Task ByActorReadsTheWindowAcrossDaysAndOnlyThatActor()
    {
        // 23:59:58: the scenario crosses midnight UTC.
        var start = new DateTimeOffset(2026, 11, 19, 23, 59, 58, TimeSpan.Zero);
        await using var host = await StartAsync(start: start);
        var scenario = await host.WriteScenarioAsync();
        await host.Trail().RecordAsync(Coordinator, Request("req-late"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);

        var page = Done(await host.Get<AuditQuery>().ByActorAsync("p-sato", start, start.AddSeconds(5), 10, null, CancellationToken.None));

        Assert.Equal(
            [
                new AuditRecord(scenario.ReadIntent, start, "intent", "Person", "p-sato", "a-midori-kodomo", "coordinator", "case.read", scenario.CaseA, null, null, false, "req-read", "203.0.113.7"),
                new AuditRecord(scenario.ReadOutcome, start.AddSeconds(1), "outcome", "Person", "p-sato", "a-midori-kodomo", "coordinator", "case.read", scenario.CaseA, null, "Succeeded", false, "req-read", "203.0.113.7"),
            ],
            page.Entries);
        Assert.Null(page.ContinuationToken);
        Assert.Equal("20261120", AuditEntryIds.DayOf(scenario.ListIntent));
    }

    [Fact]
    public async Task ByActorFillsPagesAcrossDayPartitionsAndPagesWithAToken()
    {
        var start = new DateTimeOffset(2026, 11, 18, 12, 0, 0, TimeSpan.Zero);
        await using var host = await StartAsync(start: start);
        for (var day = 0; day < 3; day++)
        {
            await host.Trail().RecordAsync(Coordinator, Request($"req-{day}a"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
            await host.Trail().RecordAsync(Teacher, Request($"req-{day}t"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
            host.Clock().Advance(TimeSpan.FromSeconds(1));
            await host.Trail().RecordAsync(Coordinator, Request($"req-{day}b"), AuditActions.CaseRead, null, AuditOutcome.Refused, CancellationToken.None);
            host.Clock().Advance(TimeSpan.FromDays(1));
        }

        var query = host.Get<AuditQuery>();
        var pages = new List<AuditPage>();
        string? token = null;
        do
        {
            pages.Add(Done(await query.ByActorAsync("p-sato", start, start.AddDays(3), 4, token, CancellationToken.None)));
            token = pages[^1].ContinuationToken;
        }
        while (token is not null && pages.Count < 5);

        Assert.Equal(["req-0a", "req-0b", "req-1a", "req-1b"], pages[0].Entries.Select(entry => entry.RequestId));
        Assert.Equal(["req-2a", "req-2b"], pages.Skip(1).SelectMany(page => page.Entries).Select(entry => entry.RequestId));
    }

    [Theory]
    [InlineData(0, 31, 101, "$.pageSize", FieldRules.OutOfRange, 1)]
    [InlineData(0, 32, 10, "$.to", FieldRules.OutOfRange, 1)]
    [InlineData(5, 5, 10, "$.to", FieldRules.DateOrder, 1)]
    [InlineData(5, 4, 0, "$.to", FieldRules.DateOrder, 2)]
    public async Task ByActorLimitsAreFieldErrors(int fromDay, int toDay, int pageSize, string field, string code, int errorCount)
    {
        await using var host = await StartAsync();

        var errors = Invalid(await host.Get<AuditQuery>().ByActorAsync("p-sato", Start.AddDays(fromDay), Start.AddDays(toDay), pageSize, null, CancellationToken.None));

        Assert.Contains(errors, error => error.Field == field && error.Code == code);
        Assert.Equal(errorCount, errors.Count);
    }

    [Fact]
    public async Task ByActorOfExactly31DaysIsAllowedAndTheLimitsAreExplicit()
    {
        await using var host = await StartAsync();

        var outcome = await host.Get<AuditQuery>().ByActorAsync("p-sato", Start, Start.AddDays(31), 100, null, CancellationToken.None);

        Assert.Empty(Done(outcome).Entries);
        Assert.Equal((31, 100), (AuditQuery.MaxWindowDays, AuditQuery.MaxPageSize));
        Assert.Equal(
            [new ValidationError("$.to", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = "31" })],
            Invalid(await host.Get<AuditQuery>().ByActorAsync("p-sato", Start, Start.AddDays(31).AddTicks(1), 100, null, CancellationToken.None)),
            new ErrorComparer());
    }

    [Fact]
    public async Task QueriesRefuseIdsOfTheWrongShapeWithoutReadingStorage()
    {
        await using var host = await StartAsync();

        var byCase = await host.Get<AuditQuery>().ByCaseAsync("鳥居ひかり", null, null, CancellationToken.None);
        var byActor = await host.Get<AuditQuery>().ByActorAsync("", Start, Start.AddDays(1), null, null, CancellationToken.None);

        Assert.Equal([("$.caseId", FieldRules.InvalidId)], Invalid(byCase).Select(error => (error.Field, error.Code)));
        Assert.Equal([("$.actorId", FieldRules.Required)], Invalid(byActor).Select(error => (error.Field, error.Code)));
    }

    private static AuditPage Done(AuditQueryOutcome outcome) => Assert.IsType<AuditQueryOutcome.Done>(outcome).Page;

    private static IReadOnlyList<ValidationError> Invalid(AuditQueryOutcome outcome) => Assert.IsType<AuditQueryOutcome.Invalid>(outcome).Errors;

    private sealed class ErrorComparer : IEqualityComparer<ValidationError>
    {
        public bool Equals(ValidationError? x, ValidationError? y)
            => x is not null && y is not null && x.Field == y.Field && x.Code == y.Code
                && (x.Arguments ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .SequenceEqual((y.Arguments ?? new Dictionary<string, string>()).OrderBy(pair => pair.Key, StringComparer.Ordinal));

        public int GetHashCode(ValidationError obj) => HashCode.Combine(obj.Field, obj.Code);
    }
}
