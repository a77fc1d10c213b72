using Serverless.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Cases;

public sealed class CreateCaseFunction(HttpEndpoint endpoint, CaseService cases)
{
    [Function("CreateCase")]
    [ApiOperation("Register a case after the intake decision (受理). 409 when the child may already have a case.", Tag = "cases", Access = "coordinator", RequestBody = typeof(CreateCaseRequest))]
    [ApiResponse(201, typeof(CaseView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.possible-duplicate", "cases.agency-not-council-member")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseCreate, null, async (context, caller) =>
        {
            // A body that cannot be read is reported after the role check (a member gets 403 whatever it sent).
            var body = await JsonBody.ReadAsync<CreateCaseRequest>(request, context);
            var outcome = await cases.CreateAsync(caller, body.Value, cancellationToken);
            return outcome is CaseOutcome<CaseView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => CaseResults.Created(view, request.Path));
        });
}
