using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Entries;
using Serverless.Functions.Http;

namespace Serverless.Functions.Entries;

/// <summary>The answer to a new entry: 201 with its receipt and Location, the same bytes again for a retry with the same Idempotency-Key.</summary>
public static class EntryResults
{
    public static IActionResult Added(EntryAdded added)
    {
        IActionResult result = new RawJsonResult(added.Response.Body, added.Response.Status);
        if (added.Response.Location is { } location)
        {
            result = new WithHeaderResult(result, "Location", location);
        }

        return added.Replayed ? new WithHeaderResult(result, "Idempotent-Replayed", "true") : result;
    }

    public static IActionResult Created(object body, PathString location)
        => new WithHeaderResult(new ApiResult(StatusCodes.Status201Created, body), "Location", location.Value!);
}
