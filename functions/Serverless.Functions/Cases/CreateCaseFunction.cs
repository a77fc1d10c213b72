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
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.possible-duplicate")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cases")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<CreateCaseRequest>(request, context);
            if (body.Problem is not null)
            {
                return body.Problem;
            }

            var outcome = await cases.CreateAsync(caller, body.Value!, cancellationToken);
            return CaseResults.From(outcome, context, view => CaseResults.Created(view, request.Path));
        });
}
