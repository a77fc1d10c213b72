using System.Globalization;

namespace Serverless.Cases.Disposal;

/// <summary>The retention rule, shared by the API (proposal, approval) and the ops run (checked again before deleting).</summary>
public static class DisposalRules
{
    /// <summary>Why <paramref name="record"/> may not be disposed of on <paramref name="today"/> (a <see cref="DisposalRefusals"/> key
    /// and its arguments), or null when it may: only a closed case whose closure was decided at least
    /// <paramref name="minimumYears"/> whole years ago.</summary>
    public static (string Reason, IReadOnlyDictionary<string, string>? Arguments)? Refusal(CaseRecord record, int minimumYears, DateOnly today)
    {
        if (record.Status != CaseStatus.Closed || record.Closure is null)
        {
            return (DisposalRefusals.NotClosed, null);
        }

        return record.Closure.DecidedOn.AddYears(minimumYears) > today
            ? (DisposalRefusals.TooRecent, new Dictionary<string, string> { ["years"] = minimumYears.ToString(CultureInfo.InvariantCulture) })
            : null;
    }
}
