using Serverless.Cases;
using Serverless.Identity.SubmissionKeys;
using Serverless.Validation;

namespace Serverless.DevHost;

/// <summary>
/// The app refused a step of the demo seeding. Thrown so the local host stops: a demo that silently lacks half its
/// timeline would teach a newcomer the wrong product. The message names the step, the case id and the outcome
/// (its kind, field paths and rule codes), never what the entry said.
/// </summary>
public sealed class DemoRefusedException(string message) : Exception(message)
{
    /// <summary>Logs the refusal (ids and codes only) and returns the exception to throw.</summary>
    public static DemoRefusedException Log(ILogger logger, string step, string? caseId, string outcome)
    {
        logger.LogError("Demo data refused while {Step} (case {CaseId}): {Outcome}", step, caseId ?? "-", outcome);
        return new DemoRefusedException($"Demo data refused while {step} (case {caseId ?? "-"}): {outcome}");
    }

    public static DemoRefusedException Log<T>(ILogger logger, string step, string? caseId, CaseOutcome<T> outcome)
        => Log(logger, step, caseId, outcome switch
        {
            CaseOutcome<T>.Invalid invalid => "Invalid: " + Fields(invalid.Errors),
            CaseOutcome<T>.Refused refused => "Refused: " + refused.Problem.Code,
            CaseOutcome<T>.KeyConflict conflict => "KeyConflict: " + conflict.Problem.Code,
            CaseOutcome<T>.PreconditionFailed failed => "PreconditionFailed: current version " + failed.CurrentVersion,
            _ => outcome.GetType().Name,
        });

    public static DemoRefusedException Log<T>(ILogger logger, string step, SubmissionKeyOutcome<T> outcome)
        => Log(logger, step, caseId: null, outcome is SubmissionKeyOutcome<T>.Invalid invalid ? "Invalid: " + Fields(invalid.Errors) : outcome.GetType().Name);

    private static string Fields(IReadOnlyList<ValidationError> errors) => string.Join(", ", errors.Select(error => error.Field + " " + error.Code));
}
