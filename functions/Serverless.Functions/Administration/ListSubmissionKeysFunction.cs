using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity.SubmissionKeys;
using Serverless.Problems;

namespace Serverless.Functions.Administration;

public sealed class ListSubmissionKeysFunction(HttpEndpoint endpoint, SubmissionKeyService keys)
{
    [Function("ListSubmissionKeys")]
    [ApiOperation("An agency's submission keys: ids, labels, bindings, expiry and revocation. Never the keys themselves.", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(SubmissionKeyList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agencies/{agencyId}/submission-keys")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AdminKeyRead, null, async (context, caller) =>
            SubmissionKeyResults.MayManage(caller)
                ? SubmissionKeyResults.From(await keys.ListAsync(agencyId, cancellationToken), context, map: list => new SubmissionKeyList(list))
                : context.Problem(ProblemCatalogue.Forbidden));
}

/// <summary>An agency's submission keys, without the keys themselves.</summary>
public sealed record SubmissionKeyList(IReadOnlyList<SubmissionKeyInfo> Keys);
