using System.ComponentModel.DataAnnotations;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>Throttling of failed key attempts (configuration section <c>SubmissionKeys</c>).</summary>
public sealed class SubmissionKeyOptions
{
    public const string Section = "SubmissionKeys";

    /// <summary>Failed attempts one client address may make in a window before it is refused.</summary>
    [Range(1, 1000, ErrorMessage = "SubmissionKeys:MaxFailedAttempts must be from 1 to 1000.")]
    public int MaxFailedAttempts { get; set; } = 10;

    [Range(1, 86400, ErrorMessage = "SubmissionKeys:FailedAttemptWindowSeconds must be from 1 to 86400.")]
    public int FailedAttemptWindowSeconds { get; set; } = 600;

    /// <summary>Addresses tracked at once per instance; the oldest are forgotten first (bounded memory).</summary>
    [Range(10, 1_000_000, ErrorMessage = "SubmissionKeys:MaxTrackedAddresses must be from 10 to 1000000.")]
    public int MaxTrackedAddresses { get; set; } = 10_000;
}
