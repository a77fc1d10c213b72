using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Health;

namespace Serverless.Functions.Health;

public sealed class HealthFunction(HttpEndpoint endpoint, HealthService health)
{
    [Function("Health")]
    [ApiOperation("Version, storage reachability, dead-letter count, and the caller's own address as the app resolves it. Nothing about any case; open to anyone (load balancers, ops verify).", Tag = "operations", Access = "anonymous")]
    [ApiResponse(200, typeof(HealthReport))]
    [ApiResponse(503, typeof(HealthReport))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunAsync(request, async context =>
        {
            var report = await health.CheckAsync(cancellationToken) with { ClientAddress = context.ClientAddress };
            return new ApiResult(report.IsHealthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, report);
        });
}
