using System.Security.Cryptography;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Identity;
using Serverless.Identity.ClientAddresses;
using Serverless.Identity;
using Serverless.Identity.SubmissionKeys;
using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>
/// The first thing every HTTP function calls. It runs inside the function's own code path (not in
/// middleware only one host would run), so Azure and the local host behave the same: it names the
/// request, picks the caller's language, turns failures into problem details, and stamps every
/// response with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class HttpEndpoint(CallerAuthentication authentication, IAuditTrail audit, ClientAddressResolver addresses, Serverless.Cases.Storage.CaseStore cases, ILogger<HttpEndpoint> logger)
{
    /// <summary>
    /// Runs <paramref name="handler"/> for an authenticated caller, audited: anyone else gets 401 (or
    /// 403 for a person the council does not know today) and an audit entry. Fail closed: the intent
    /// entry is written before the handler touches any data; if it cannot be, the request fails (503)
    /// and nothing is returned or changed. The outcome entry follows the handler. A request that names a case
    /// reads it while the intent is written (<see cref="CaseReadAhead"/>): a case read is then three storage
    /// round trips one after another (sign-in; intent and case; outcome).
    /// </summary>
    /// <param name="action">The audit action (<see cref="AuditActions"/>).</param>
    /// <param name="caseId">The case the request names, if any (recorded only when it is shaped like a case id).</param>
    /// <param name="entryId">The entry or file of the case the request names, if any (recorded only when it is shaped like an entry or file id).</param>
    /// <param name="readCaseAhead">Read the named case while the intent is written (false where the handler may not read it at all).</param>
    /// <param name="target">What an administration act is about as its route names it (the agency, person, membership or
    /// key ids): on the intent and the outcome, where the service adds what it learns (<see cref="AuditNotes.Targeted"/>).
    /// Each id is recorded only when it has its kind's shape.</param>
    public Task<IActionResult> RunForCallerAsync(HttpRequest request, string action, string? caseId, Func<RequestContext, Caller, Task<IActionResult>> handler, string? entryId = null, bool readCaseAhead = true, AuditTarget? target = null)
        => RunAsync(request, action, AuditedCaseId(caseId), async context =>
        {
            var cancellationToken = request.HttpContext.RequestAborted;
            var auditRequest = new AuditRequest(context.RequestId, context.ClientAddress);
            var auditedCaseId = AuditedCaseId(caseId);
            var authenticated = await authentication.AuthenticateAsync(request, context, cancellationToken);
            if (authenticated is Authentication.Refused refused)
            {
                logger.LogInformation("Request {RequestId} refused: {ProblemCode}", context.RequestId, refused.Problem.Code);
                // Before sign-in the case id is the caller's word: recorded, never indexed under the case.
                await audit.RecordAsync(refused.Actor, auditRequest, action, caseId: null, OutcomeOf(refused.Problem), cancellationToken, requestedCaseId: auditedCaseId);
                var problem = context.Problem(refused.Problem, refused.Detail);
                return refused.RetryAfterSeconds is { } seconds
                    ? new WithHeaderResult(problem, "Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    : problem;
            }

            // The caller carries its address, so services that restrict by network decide from the same resolution.
            // The request's case is read while the intent is written; the handler (the only one who sees the read)
            // starts once the intent is stored.
            var readAhead = auditedCaseId is not null && readCaseAhead ? CaseReadAhead.Start(cases, auditedCaseId, cancellationToken) : null;
            var caller = ((Authentication.Authenticated)authenticated).Caller with { ClientAddress = context.Address, Audit = context.Audit, CaseReadAhead = readAhead };
            var actor = ActorOf(caller);
            var auditedEntryId = auditedCaseId is not null && (Serverless.Entries.EntryIds.IsValid(entryId) || Serverless.Files.Storage.FileIds.IsValid(entryId)) ? entryId : null;
            if (target is not null)
            {
                context.Audit.Targeted(target);
            }

            var intent = await audit.BeginAsync(actor, auditRequest, action, auditedCaseId, auditedEntryId, breakGlass: false, cancellationToken, target);
            IActionResult result;
            try
            {
                result = await handler(context, caller);
            }
            catch (Exception)
            {
                await CompleteAsync(intent, actor, context, AuditOutcome.Failed);
                throw;
            }

            await CompleteAsync(intent, actor, context, context.Audit.OutcomeFor(result is IStatusResult known ? known.Status : StatusCodes.Status200OK));
            return result;
        });

    /// <summary>
    /// For the one endpoint that trusts a message, not a caller: the transfer intake, where a partner council is known only
    /// by its signature on what it sends. No credentials are read (a bearer token or key sent along is ignored) and no
    /// caller is made; the handler audits what it decides itself, with the <see cref="AuditRequest"/> given, because who
    /// sent the message is known only once its signature is checked. Everything else is as for every route: a key in the
    /// URL is refused (audited as <paramref name="action"/>), failures become problem details, the standard headers.
    /// </summary>
    public Task<IActionResult> RunWithoutCallerAsync(HttpRequest request, string action, Func<RequestContext, AuditRequest, Task<IActionResult>> handler)
        => RunAsync(request, action, null, context => handler(context, new AuditRequest(context.RequestId, context.ClientAddress)));

    /// <summary>An administration act (no case): audited like any other, with what its route names as its target.</summary>
    public Task<IActionResult> RunAdministrationAsync(HttpRequest request, string action, AuditTarget target, Func<RequestContext, Caller, Task<IActionResult>> handler)
        => RunForCallerAsync(request, action, null, handler, target: target);

    public static AuditActor ActorOf(Caller caller)
        => new(caller.Kind == CallerKind.SubmissionKey ? AuditActorKind.SubmissionKey : AuditActorKind.Person, caller.Id, caller.AgencyId, caller.Role.ToString());

    public Task<IActionResult> RunAsync(HttpRequest request, Func<RequestContext, IActionResult> handler)
        => RunAsync(request, context => Task.FromResult(handler(context)));

    /// <summary>An anonymous endpoint (health, the OpenAPI document, the catch-all): no caller, no audit, except for a key in
    /// the URL, refused and audited as <see cref="AuditActions.AnonymousRequest"/>.</summary>
    public Task<IActionResult> RunAsync(HttpRequest request, Func<RequestContext, Task<IActionResult>> handler)
        => RunAsync(request, AuditActions.AnonymousRequest, null, handler);

    /// <summary>
    /// Before anything else, on every route (authenticated or not, routed or the catch-all): a key-shaped string anywhere in
    /// the path or the query (a parameter's name or value, percent-encoded or not) is a leaked key, refused with 400
    /// <c>auth.key-in-url</c> and audited as refused for <paramref name="action"/>; the problem's <c>instance</c> never repeats it.
    /// </summary>
    private async Task<IActionResult> RunAsync(HttpRequest request, string action, string? auditedCaseId, Func<RequestContext, Task<IActionResult>> handler)
    {
        var keyInPath = SubmissionKeyFormat.AppearsIn(request.Path.Value);
        var keyInUrl = keyInPath || SubmissionKeyFormat.AppearsIn(request.QueryString.Value);
        var context = new RequestContext(NewRequestId(), ProblemLanguageNegotiation.From(request), keyInPath ? "/" : request.Path.Value ?? "/")
        {
            Address = addresses.Resolve(string.Join(',', request.Headers["X-Forwarded-For"].ToArray()), request.HttpContext.Connection.RemoteIpAddress),
        };
        IActionResult result;
        try
        {
            result = keyInUrl ? await RefuseKeyInUrlAsync(context, action, auditedCaseId, request.HttpContext.RequestAborted) : await handler(context);
        }
        catch (OperationCanceledException) when (request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw; // the caller left; nobody reads the answer
        }
        catch (Exception ex) when (IsStorageOutage(ex))
        {
            logger.LogError(ex, "Request {RequestId}: storage unavailable", context.RequestId);
            result = context.Problem(ProblemCatalogue.StorageUnavailable);
        }
        catch (Exception ex)
        {
            // The type and where it was thrown, never the message or the exception itself: a message may quote
            // the request (a JSON key, a value), and logs are no place for personal data.
            logger.LogError("Request {RequestId} failed: {ExceptionType} {StackTrace}", context.RequestId, ex.GetType().FullName, ex.StackTrace);
            result = context.Problem(ProblemCatalogue.InternalError);
        }

        return new StandardHeadersResult(result, context);
    }

    private async Task<IActionResult> RefuseKeyInUrlAsync(RequestContext context, string action, string? auditedCaseId, CancellationToken cancellationToken)
    {
        logger.LogWarning("Request {RequestId} refused: {ProblemCode}", context.RequestId, ProblemCatalogue.KeyInUrl.Code);
        await audit.RecordAsync(AuditActor.Anonymous, new AuditRequest(context.RequestId, context.ClientAddress), action, caseId: null, AuditOutcome.Refused, cancellationToken, requestedCaseId: auditedCaseId);
        return context.Problem(ProblemCatalogue.KeyInUrl);
    }

    /// <summary>The case a request names, recorded only when it is shaped like a case id.</summary>
    private static string? AuditedCaseId(string? caseId) => caseId is not null && CaseIds.IsValid(caseId) ? caseId : null;

    /// <summary>
    /// The outcome entry. The data has been served or changed by now, so a failure here is logged, not
    /// answered: the verifier flags the intent that has no outcome.
    /// </summary>
    private async Task CompleteAsync(AuditIntent intent, AuditActor actor, RequestContext context, AuditOutcome outcome)
    {
        try
        {
            await audit.CompleteAsync(intent, actor, outcome, context.Audit.CasesTouched, context.Audit.BreakGlass, CancellationToken.None, context.Audit.EntriesTouched, context.Audit.Target);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Request {RequestId}: the audit outcome could not be written (intent {AuditEntryId})", context.RequestId, intent.EntryId);
        }
    }

    /// <summary>Credentials missing, bad, or of a person without a valid membership: unauthenticated. A key in a
    /// URL or a throttled address: refused before the credentials were even looked at.</summary>
    private static AuditOutcome OutcomeOf(ProblemCode problem)
        => problem.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden ? AuditOutcome.Unauthenticated : AuditOutcome.Refused;

    /// <summary>128 random bits, hex: opaque, unguessable, safe in logs and audit entries.</summary>
    private static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Storage could not be reached, including the audit trail's intent write (which fails closed:
    /// the request did nothing, so the caller may retry, as the 503 says).</summary>
    private static bool IsStorageOutage(Exception ex)
        => ex is HttpRequestException or AuditUnavailableException || (ex is RequestFailedException failed && (failed.Status == 0 || failed.Status >= 500));
}
