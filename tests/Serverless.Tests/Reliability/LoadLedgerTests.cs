using Serverless.Benchmarks;

namespace Serverless.Tests.Reliability;

/// <summary>The load benchmark's count: what it was told against what the store holds, by key and receipt.</summary>
public sealed class LoadLedgerTests
{
    private static readonly AcceptedReport[] Accepted =
    [
        new("c1", "k1", "e1"),
        new("c1", "k2", "e2"),
        new("c1", "k2", "e2"), // a retry with the same key, answered with the first receipt
        new("c2", "k1", "e3"), // the same key on another case is another request
    ];

    private static readonly StoredReport[] Stored = [new("c1", "e1"), new("c1", "e2"), new("c2", "e3")];

    [Fact]
    public void EveryAcceptedReportStoredOnceWithOneCompletionIsExactlyOnce()
    {
        var check = LoadLedger.Check(Accepted, Stored, Stored);

        Assert.Equal(new LoadCheck(Keys: 3, Heads: 3, Completions: 3, Missing: 0, Doubled: 0, Unexpected: 0, ReplayMismatches: 0, CompletionMismatches: 0), check);
        Assert.True(check.ExactlyOnce);
    }

    [Fact]
    public void AMissingADoubledAndAnUnexpectedHeadAreEachCounted()
    {
        StoredReport[] heads = [new("c1", "e2"), new("c1", "e2"), new("c2", "e3"), new("c2", "e9")];

        var check = LoadLedger.Check(Accepted, heads, Stored);

        Assert.Equal((1, 1, 1, 4), (check.Missing, check.Doubled, check.Unexpected, check.Heads));
        Assert.False(check.ExactlyOnce);
    }

    [Fact]
    public void ARetryAnsweredWithAnotherEntryIsAMismatchAndBothEntriesMustBeStored()
    {
        AcceptedReport[] accepted = [new("c1", "k1", "e1"), new("c1", "k1", "e4")];

        var check = LoadLedger.Check(accepted, [new("c1", "e1")], [new("c1", "e1")]);

        Assert.Equal((1, 1, 1, 1), (check.Keys, check.ReplayMismatches, check.Missing, check.CompletionMismatches));
        Assert.False(check.ExactlyOnce);
    }

    [Fact]
    public void ACompletionMissingDoubledOrNamingNoAcceptedEntryIsAMismatch()
    {
        StoredReport[] completions = [new("c1", "e1"), new("c1", "e1"), new("c2", "e8")];

        var check = LoadLedger.Check(Accepted, Stored, completions);

        Assert.Equal((0, 0, 0), (check.Missing, check.Doubled, check.Unexpected));
        Assert.Equal(3 + 1, check.CompletionMismatches); // e1 twice, e2 and e3 none: three accepted entries off; e8 names none
        Assert.False(check.ExactlyOnce);
    }
}
