using System.ComponentModel.DataAnnotations;

namespace Serverless.Council;

/// <summary>The council's cadence (section <c>Council</c>).</summary>
public sealed class CouncilOptions
{
    public const string Section = "Council";

    /// <summary>Every registered case is reviewed at the practitioners' meeting (実務者会議) at least this often: a review
    /// that names no next review date sets it this many months after the meeting. Three by default.</summary>
    [Range(1, 12)]
    public int ReviewCadenceMonths { get; set; } = 3;

    /// <summary>A task's owner is reminded in the inbox this many days before it is due (and again once it is overdue).
    /// Three by default; 0 reminds on the due date itself.</summary>
    [Range(0, 30)]
    public int TaskReminderDaysBefore { get; set; } = 3;
}
