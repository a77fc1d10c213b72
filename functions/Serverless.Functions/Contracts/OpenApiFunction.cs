using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Http;

namespace Serverless.Functions.Contracts;

/// <summary>Serves the checked-in OpenAPI document (CI fails when it differs from what the code describes).</summary>
public sealed class OpenApiFunction(HttpEndpoint endpoint)
{
    [Function("OpenApi")]
    [ApiOperation("This API's OpenAPI 3.1 document, including the catalogue of problem codes.", Tag = "operations", Access = "anonymous")]
    [ApiResponse(200, contentType: "application/json")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request)
        => endpoint.RunAsync(request, _ => new RawJsonResult(CheckedInOpenApi.Text));
}
