using System.Text.Json.Nodes;
using Serverless.Tests.Identity;

namespace Serverless.Tests.Reliability;

/// <summary>
/// The valid request the fuzzer breaks for one operation: the authorization matrix's request for a caller the matrix
/// lets through (so the ids in the path name things that exist and the caller may use them), or, for the few
/// operations without a matrix request (the catch-all routes), placeholder ids as the coordinator.
/// </summary>
internal sealed record FuzzBase(MatrixCaller Caller, IReadOnlyDictionary<string, string> Route, string Query, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The callers tried first: a person who sees the case, then the case agency's key, then the others.</summary>
    private static readonly MatrixCaller[] Preferred =
    [
        MatrixCaller.Coordinator, MatrixCaller.NamedMember, MatrixCaller.KeyOfCaseAgency, MatrixCaller.Admin, MatrixCaller.Auditor,
        MatrixCaller.UnnamedMember, MatrixCaller.NonParticipatingMember, MatrixCaller.KeyOfAnotherAgency, MatrixCaller.Anonymous,
    ];

    public static async Task<FuzzBase> ForAsync(MatrixWorld world, FuzzOperation operation)
    {
        var row = AuthorizationMatrix.Rows.FirstOrDefault(row => row.IsHttp && row.Function == operation.Id);
        if (row is not null)
        {
            var caller = Preferred.FirstOrDefault(caller => row.Expect!(caller).Status is >= 200 and < 300, MatrixCaller.Coordinator);
            var request = await row.Request!(world, caller);
            return new FuzzBase(caller, request.Route, request.Query, request.Body, request.Headers ?? new Dictionary<string, string>());
        }

        var route = operation.In("path").ToDictionary(parameter => parameter.Name, _ => "x", StringComparer.Ordinal);
        return new FuzzBase(MatrixCaller.Coordinator, route, "", null, new Dictionary<string, string>());
    }
}
