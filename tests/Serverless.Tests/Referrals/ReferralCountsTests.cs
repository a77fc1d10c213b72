using Serverless.Cases;
using Serverless.Referrals;

namespace Serverless.Tests.Referrals;

/// <summary>The counts as a pure function of stored referrals: exact numbers, and the boundaries of the limit and the fiscal year.</summary>
public sealed class ReferralCountsTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromHours(48);
    private static readonly ReferralPeriod FiscalYear2025 = ReferralPeriod.OfFiscalYear(2025);

    [Fact]
    public void EachFigureOfAFiscalYearCountsTheReferralsItNames()
    {
        var now = Jst(2025, 6, 20, 12, 0);
        var referrals = new[]
        {
            Abuse("a", Jst(2025, 6, 16, 9, 0), ReferralRoute.School) with { FirstConfirmedAt = Jst(2025, 6, 16, 15, 0), Decision = Decided(ReferralOutcome.NewCase) }, // 6 h
            Abuse("b", Jst(2025, 6, 16, 10, 0), ReferralRoute.Police, ReferralChannel.Police) with { FirstConfirmedAt = Jst(2025, 6, 18, 10, 0), Decision = Decided(ReferralOutcome.ExistingCase) }, // 48 h: at the deadline
            Abuse("c", Jst(2025, 6, 16, 11, 0), null, ReferralChannel.Phone) with { FirstConfirmedAt = Jst(2025, 6, 19, 11, 0), Decision = Decided(ReferralOutcome.ReferredToCentre) }, // 72 h
            Abuse("d", Jst(2025, 6, 17, 8, 0), ReferralRoute.Anonymous, ReferralChannel.Phone), // overdue since the 19th
            Abuse("e", Jst(2025, 6, 20, 9, 0), ReferralRoute.School), // due on the 22nd
            Abuse("f", Jst(2025, 6, 16, 12, 0), ReferralRoute.Nursery) with { Decision = Decided(ReferralOutcome.ReferredToCentre), Acceptance = Accepted(Jst(2025, 6, 17, 12, 0)) },
            Referral("g", ReferralKind.CareConsultation, Jst(2025, 6, 18, 9, 0), ReferralRoute.Hospital, ReferralChannel.Hospital) with { FirstConfirmedAt = Jst(2025, 6, 18, 10, 0), Decision = Decided(ReferralOutcome.NoFurtherAction) },
            Referral("h", ReferralKind.OtherConcern, Jst(2025, 4, 1, 0, 0), null, ReferralChannel.Visit),
        };

        var counts = ReferralCounting.Count(referrals, FiscalYear2025, now);

        Assert.Equal(new ReferralCountPeriod(new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31), 2025), counts.Period);
        Assert.Equal(new DateTimeOffset(2025, 6, 20, 12, 0, 0, TimeSpan.FromHours(9)), counts.AsOf);
        Assert.Equal(TimeSpan.FromHours(9), counts.AsOf.Offset);
        Assert.Equal(8, counts.Received);
        Assert.Equal(Counts(("abuse-report", 6), ("care-consultation", 1), ("other-concern", 1)), counts.ByKind);
        Assert.Equal(
            Counts(("family", 0), ("relative", 0), ("neighbour", 0), ("child-themself", 0), ("school", 2), ("nursery", 1), ("hospital", 1), ("public-health-centre", 0),
                ("child-guidance-centre", 0), ("welfare-office", 0), ("police", 1), ("other-municipality", 0), ("anonymous", 1), ("other", 0), ("unknown", 2)),
            counts.ByRoute);
        Assert.Equal(
            Counts(("online", 3), ("phone", 2), ("visit", 1), ("letter", 0), ("from189", 0), ("police", 1), ("school", 0), ("hospital", 1), ("other", 0)),
            counts.ByChannel);
        Assert.Equal(
            new SafetyConfirmationCounts(
                AbuseReports: 6,
                Confirmed: 3,
                WithinLimit: 2,
                Late: 1,
                HandedToCentreBeforeConfirmation: 1,
                UnconfirmedOverdue: 1,
                UnconfirmedNotYetDue: 1,
                new ConfirmationHours(3, 48m, 72m),
                new CountShare(2, 4)),
            counts.SafetyConfirmation);
        Assert.Equal(Counts(("new-case", 1), ("existing-case", 1), ("referred-to-centre", 2), ("no-further-action", 1), ("undecided", 3)), counts.Decisions);
    }

    [Fact]
    public void ABreakdownListsEveryValueInItsEnumsOrderEvenWithNothingReceived()
    {
        var counts = ReferralCounting.Count([], FiscalYear2025, Jst(2025, 6, 20, 12, 0));

        Assert.Equal(0, counts.Received);
        Assert.Equal(["abuse-report", "care-consultation", "other-concern"], counts.ByKind.Keys);
        Assert.Equal(15, counts.ByRoute.Count);
        Assert.Equal("unknown", counts.ByRoute.Keys.Last());
        Assert.Equal(["online", "phone", "visit", "letter", "from189", "police", "school", "hospital", "other"], counts.ByChannel.Keys);
        Assert.Equal(["new-case", "existing-case", "referred-to-centre", "no-further-action", "undecided"], counts.Decisions.Keys);
        Assert.All(counts.ByRoute.Values, value => Assert.Equal(0, value));
        Assert.Equal(new ConfirmationHours(0, null, null), counts.SafetyConfirmation.HoursToFirstConfirmation);
        Assert.Equal(new CountShare(0, 0), counts.SafetyConfirmation.WithinLimitShare);
    }

    [Fact]
    public void ASightingExactlyAtTheDeadlineIsWithinTheLimitAndOneTickLaterIsLate()
    {
        var received = Jst(2025, 6, 16, 9, 0);
        var atDeadline = Abuse("a", received) with { FirstConfirmedAt = received + Limit };
        var justAfter = Abuse("b", received) with { FirstConfirmedAt = received + Limit + TimeSpan.FromTicks(1) };

        Assert.Equal(LimitStanding.WithinLimit, ReferralCounting.Standing(atDeadline, received + TimeSpan.FromDays(10)));
        Assert.Equal(LimitStanding.Late, ReferralCounting.Standing(justAfter, received + TimeSpan.FromDays(10)));
        var counts = ReferralCounting.Count([atDeadline, justAfter], FiscalYear2025, received + TimeSpan.FromDays(10));
        Assert.Equal(new CountShare(1, 2), counts.SafetyConfirmation.WithinLimitShare);
    }

    [Fact]
    public void WithoutASightingAReportIsNotYetDueUntilItsDeadlineAndOverdueFromItAsTheClockSays()
    {
        var received = Jst(2025, 6, 16, 9, 0);
        var report = Abuse("a", received);

        Assert.Equal(LimitStanding.UnconfirmedNotYetDue, ReferralCounting.Standing(report, received + Limit - TimeSpan.FromTicks(1)));
        Assert.Equal(LimitStanding.UnconfirmedOverdue, ReferralCounting.Standing(report, received + Limit));
        Assert.Equal(new CountShare(0, 0), ReferralCounting.Count([report], FiscalYear2025, received + Limit - TimeSpan.FromTicks(1)).SafetyConfirmation.WithinLimitShare);
        Assert.Equal(new CountShare(0, 1), ReferralCounting.Count([report], FiscalYear2025, received + Limit).SafetyConfirmation.WithinLimitShare);
    }

    [Fact]
    public void ACentresAcceptanceBeforeTheDeadlineTakesTheReportOutOfTheSharesDenominatorAndOneAfterItDoesNot()
    {
        var received = Jst(2025, 6, 16, 9, 0);
        var now = received + TimeSpan.FromDays(10);
        var handedInTime = Abuse("a", received) with { Acceptance = Accepted(received + Limit) };
        var handedThenSeenLate = Abuse("b", received) with { Acceptance = Accepted(received + TimeSpan.FromHours(1)), FirstConfirmedAt = received + TimeSpan.FromHours(60) };
        var handedAfterTheDeadline = Abuse("c", received) with { Acceptance = Accepted(received + TimeSpan.FromHours(50)) };
        var seenBeforeTheCentreAccepted = Abuse("d", received) with { Acceptance = Accepted(received + TimeSpan.FromHours(2)), FirstConfirmedAt = received + TimeSpan.FromHours(3) };

        var counts = ReferralCounting.Count([handedInTime, handedThenSeenLate, handedAfterTheDeadline, seenBeforeTheCentreAccepted], FiscalYear2025, now).SafetyConfirmation;

        Assert.Equal(LimitStanding.HandedToCentreBeforeConfirmation, ReferralCounting.Standing(handedInTime, now));
        Assert.Equal(LimitStanding.HandedToCentreBeforeConfirmation, ReferralCounting.Standing(handedThenSeenLate, now));
        Assert.Equal(LimitStanding.UnconfirmedOverdue, ReferralCounting.Standing(handedAfterTheDeadline, now));
        Assert.Equal(LimitStanding.WithinLimit, ReferralCounting.Standing(seenBeforeTheCentreAccepted, now));
        Assert.Equal(new SafetyConfirmationCounts(4, 2, 1, 0, 2, 1, 0, new ConfirmationHours(2, 31.5m, 60m), new CountShare(1, 2)), counts);
    }

    [Fact]
    public void OnlyAbuseReportsHaveALimitSoASightingOfAConsultationIsNotCountedAgainstIt()
    {
        var received = Jst(2025, 6, 16, 9, 0);
        var consultation = Referral("a", ReferralKind.CareConsultation, received, null, ReferralChannel.Online) with { FirstConfirmedAt = received + TimeSpan.FromDays(5) };
        var concern = Referral("b", ReferralKind.OtherConcern, received, null, ReferralChannel.Online);

        var counts = ReferralCounting.Count([consultation, concern], FiscalYear2025, received + TimeSpan.FromDays(10));

        Assert.Equal(2, counts.Received);
        Assert.Equal(new SafetyConfirmationCounts(0, 0, 0, 0, 0, 0, 0, new ConfirmationHours(0, null, null), new CountShare(0, 0)), counts.SafetyConfirmation);
    }

    [Fact]
    public void HoursAreExactUntilRoundedToATenthTheMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoAndAChildSeenBeforeReceiptCountsZero()
    {
        var received = Jst(2025, 6, 16, 9, 0);
        var referrals = new[]
        {
            Abuse("a", received) with { FirstConfirmedAt = received - TimeSpan.FromHours(2) }, // seen at school before the call came in: 0
            Abuse("b", received) with { FirstConfirmedAt = received + TimeSpan.FromMinutes(63) }, // 1.05
            Abuse("c", received) with { FirstConfirmedAt = received + TimeSpan.FromMinutes(129) }, // 2.15
            Abuse("d", received) with { FirstConfirmedAt = received + TimeSpan.FromHours(30) },
        };

        var hours = ReferralCounting.Count(referrals, FiscalYear2025, received + TimeSpan.FromDays(10)).SafetyConfirmation.HoursToFirstConfirmation;

        Assert.Equal(new ConfirmationHours(4, 1.6m, 30m), hours); // (1.05 + 2.15) / 2 = 1.6; the 90th percentile is the 4th of 4
        Assert.Equal(1.1m, ReferralCounting.Count(referrals[..2], FiscalYear2025, received + TimeSpan.FromDays(10)).SafetyConfirmation.HoursToFirstConfirmation.Percentile90); // 1.05 rounds away from zero
    }

    [Fact]
    public void TheNinetiethPercentileIsTheNearestRank()
    {
        decimal[] ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        decimal[] eleven = [.. ten, 11];

        Assert.Equal(9m, ReferralCounting.Quantile(ten, 0.9m));
        Assert.Equal(10m, ReferralCounting.Quantile(eleven, 0.9m)); // rank ceil(9.9) = 10
        Assert.Equal(6m, ReferralCounting.Quantile(eleven, 0.5m));
        Assert.Equal(7m, ReferralCounting.Quantile([7m], 0.9m));
        Assert.Null(ReferralCounting.Quantile([], 0.5m));
    }

    [Fact]
    public void AReferralAt2359On31MarchBelongsToThatFiscalYearAndOneAtMidnightOn1AprilToTheNext()
    {
        var referrals = new[]
        {
            Abuse("a", Jst(2025, 3, 31, 23, 59)),
            Abuse("b", Jst(2025, 4, 1, 0, 0)),
            Abuse("c", Jst(2026, 3, 31, 23, 59) + TimeSpan.FromSeconds(59)),
            Abuse("d", Jst(2026, 4, 1, 0, 0)),
        };
        var now = Jst(2026, 6, 1, 0, 0);

        Assert.Equal(1, ReferralCounting.Count(referrals, ReferralPeriod.OfFiscalYear(2024), now).Received);
        Assert.Equal(2, ReferralCounting.Count(referrals, ReferralPeriod.OfFiscalYear(2025), now).Received);
        Assert.Equal(1, ReferralCounting.Count(referrals, ReferralPeriod.OfFiscalYear(2026), now).Received);
        Assert.Equal(2024, ReferralPeriod.FiscalYearOf(new DateOnly(2025, 3, 31)));
        Assert.Equal(2025, ReferralPeriod.FiscalYearOf(new DateOnly(2025, 4, 1)));
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 15, 0, 0, TimeSpan.Zero), ReferralPeriod.OfFiscalYear(2025).StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero), ReferralPeriod.OfFiscalYear(2025).EndsBefore);
    }

    [Fact]
    public void ADateRangeIncludesBothItsDaysInJapanTimeAndAReferralReadTwiceCountsOnce()
    {
        var first = Abuse("a", Jst(2025, 6, 1, 0, 0));
        var last = Abuse("b", Jst(2025, 6, 30, 23, 59));
        var after = Abuse("c", Jst(2025, 7, 1, 0, 0));
        var before = Abuse("d", new DateTimeOffset(2025, 5, 31, 14, 59, 59, TimeSpan.Zero)); // 23:59:59 JST on 31 May

        var counts = ReferralCounting.Count([first, last, after, before, first], new ReferralPeriod(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30)), Jst(2025, 8, 1, 0, 0));

        Assert.Equal(2, counts.Received);
        Assert.Equal(new ReferralCountPeriod(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30), null), counts.Period);
    }

    private static DateTimeOffset Jst(int year, int month, int day, int hour, int minute)
        => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(9));

    private static StoredReferral Abuse(string id, DateTimeOffset receivedAt, ReferralRoute? route = ReferralRoute.School, ReferralChannel channel = ReferralChannel.Online)
        => Referral(id, ReferralKind.AbuseReport, receivedAt, route, channel) with { DeadlineAt = receivedAt + Limit };

    private static StoredReferral Referral(string id, ReferralKind kind, DateTimeOffset receivedAt, ReferralRoute? route, ReferralChannel channel)
        => new(id, "ABCD-EFGH", kind, channel, route, receivedAt, new ReferralSubmitter("person", "p", "minami-shogakko"), new ReferralContent(receivedAt, "x", new ChildDescription(), null, null));

    private static ReferralDecision Decided(ReferralOutcome outcome)
        => new(outcome, new DateOnly(2025, 6, 20), "coordinator", Jst(2025, 6, 20, 10, 0), null, null, null, null, null);

    private static CentreAcceptance Accepted(DateTimeOffset at) => new(at, null, "coordinator", at);

    private static Dictionary<string, int> Counts(params (string Name, int Count)[] counts)
        => counts.ToDictionary(count => count.Name, count => count.Count, StringComparer.Ordinal);
}
