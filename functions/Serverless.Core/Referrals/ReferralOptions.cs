using System.ComponentModel.DataAnnotations;

namespace Serverless.Referrals;

/// <summary>
/// <c>Referrals:*</c>. <see cref="SafetyConfirmationLimit"/>: how long after receipt of a 虐待通告 someone must have
/// seen the child (the national rule is 48 hours; a council may set less, never more).
/// </summary>
public sealed class ReferralOptions : IValidatableObject
{
    public const string Section = "Referrals";

    public static readonly TimeSpan NationalLimit = TimeSpan.FromHours(48);

    public TimeSpan SafetyConfirmationLimit { get; set; } = NationalLimit;

    /// <summary>How long before the deadline the coordinators on call are reminded.</summary>
    public TimeSpan ReminderLead { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a referral closed with no further action is kept (it has no case to be disposed of with).</summary>
    [Range(1, 100)]
    public int RetentionYears { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SafetyConfirmationLimit <= TimeSpan.Zero || SafetyConfirmationLimit > NationalLimit)
        {
            yield return new ValidationResult("Referrals:SafetyConfirmationLimit must be more than zero and at most 48 hours.", [nameof(SafetyConfirmationLimit)]);
        }

        if (ReminderLead <= TimeSpan.Zero || ReminderLead >= SafetyConfirmationLimit)
        {
            yield return new ValidationResult("Referrals:ReminderLead must be more than zero and less than the safety-confirmation limit.", [nameof(ReminderLead)]);
        }
    }
}
