using System.Globalization;
using Serverless.Time;

namespace Serverless.Cases.Disposal;

/// <summary>The retention rule, shared by the API (proposal, approval) and the ops run (checked again before deleting).</summary>
public static class DisposalRules
{
    /// <summary>Why <paramref name="record"/> may not be disposed of on <paramref name="today"/> (a <see cref="DisposalRefusals"/> key
    /// and its arguments), or null when it may: only a closed case whose closure the app recorded at least
    /// <paramref name="minimumYears"/> whole years ago (Japan dates). <paramref name="closedAt"/> is the server's time of the
    /// version that closed it (<see cref="Storage.CaseStore.ClosedAtAsync"/>), never <c>closure.decidedOn</c>: that date is
    /// the caller's, and a backdated one would otherwise make a case closed today disposable at once.</summary>
    public static (string Reason, IReadOnlyDictionary<string, string>? Arguments)? Refusal(CaseRecord record, DateTimeOffset? closedAt, int minimumYears, DateOnly today)
    {
        if (record.Status != CaseStatus.Closed || record.Closure is null || closedAt is not { } recorded)
        {
            return (DisposalRefusals.NotClosed, null);
        }

        return JapanTime.DateOf(recorded).AddYears(minimumYears) > today
            ? (DisposalRefusals.TooRecent, new Dictionary<string, string> { ["years"] = minimumYears.ToString(CultureInfo.InvariantCulture) })
            : null;
    }
}
