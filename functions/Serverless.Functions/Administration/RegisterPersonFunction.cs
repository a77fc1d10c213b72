using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Administration;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Administration;

public sealed class RegisterPersonFunction(HttpEndpoint endpoint, AdministrationService administration)
{
    [Function("RegisterPerson")]
    [ApiOperation("Register a person before their first sign-in, by the issuer (as configured) and the subject its tokens carry (Entra: the object id), or rename one. The person id follows from the two. 201 when new.", Tag = "admin", Access = "admin", RequestBody = typeof(RegisterPersonRequest))]
    [ApiResponse(200, typeof(PersonView))]
    [ApiResponse(201, typeof(PersonView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/people")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AdminPersonSave, null, (context, caller) =>
            AdminResults.WithBodyAsync<RegisterPersonRequest, PersonView>(request, context, body => administration.RegisterPersonAsync(caller, body, cancellationToken)));
}
