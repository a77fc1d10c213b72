using Serverless.Audit;
using Serverless.Identity;
using Serverless.Problems;

namespace Serverless.Functions.Identity;

/// <summary>What authentication made of a request: a caller, or a refusal with the problem to answer
/// and the actor as far as it got (a person whose membership ended is still that person in the audit).</summary>
public abstract record Authentication
{
    public sealed record Authenticated(Caller Caller) : Authentication;

    public sealed record Refused(ProblemCode Problem, AuditActor Actor, string? Detail = null, int? RetryAfterSeconds = null) : Authentication;
}
