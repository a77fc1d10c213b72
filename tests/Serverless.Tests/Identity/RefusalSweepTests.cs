using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Cases;
using Serverless.Tests.Hosting;

namespace Serverless.Tests.Identity;

/// <summary>
/// Every refusal of every case-scoped operation (the matrix's rows whose route names a case), as a caller who may not see
/// the case gets it: no refusal body (401, 403, 404, 409, 412, 422) carries the child's names or the agencies of the case
/// other than the caller's own, and a 404 for the hidden case is, byte for byte apart from the request id and the case id
/// the caller sent, the 404 for a missing one.
/// </summary>
public sealed partial class RefusalSweepTests
{
    private static readonly int[] Refusals = [401, 403, 404, 409, 412, 422];

    private static readonly (MatrixCaller Caller, string Agency)[] Outsiders =
    [
        (MatrixCaller.UnnamedMember, MatrixWorld.CaseAgency),
        (MatrixCaller.NonParticipatingMember, MatrixWorld.OtherAgency),
        (MatrixCaller.BarredMember, MatrixWorld.CaseAgency),
        (MatrixCaller.Auditor, MatrixWorld.LeadAgency),
        (MatrixCaller.Admin, MatrixWorld.LeadAgency),
    ];

    [Fact]
    public async Task NoRefusalOfACaseScopedOperationTellsAnOutsiderAnythingOfTheCase()
    {
        var metadata = FunctionsMetadataEntry.Load();
        await using var world = await MatrixWorld.StartAsync();
        var findings = new List<string>();
        foreach (var row in AuthorizationMatrix.Rows.Where(row => row.IsHttp))
        {
            var entry = metadata.Single(entry => entry.Name == row.Function);
            if (!entry.Trigger["route"]!.GetValue<string>().Contains("{caseId}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (caller, agency) in Outsiders)
            {
                var request = await row.Request!(world, caller);
                var caseId = request.Route["caseId"];
                var canaries = world.ChildNames.Concat(new[] { MatrixWorld.CaseAgency, MatrixWorld.LeadAgency }.Where(id => id != agency)).ToList();
                using var hidden = await world.SendAsync(caller, AuthorizationMatrix.Method(entry), AuthorizationMatrix.Path(entry, request), request.Body, request.Headers);
                var status = (int)hidden.StatusCode;
                if (!Refusals.Contains(status))
                {
                    continue;
                }

                var body = await hidden.Content.ReadAsStringAsync();
                var decoded = Regex.Unescape(body);
                findings.AddRange(canaries.Where(canary => decoded.Contains(canary, StringComparison.Ordinal)).Select(canary => $"{row.Function} × {caller}: {status} names {canary}"));
                if (status != 404)
                {
                    continue;
                }

                var missingId = CaseIds.New();
                var missingRequest = request with { Route = request.Route.ToDictionary(pair => pair.Key, pair => pair.Key == "caseId" ? missingId : pair.Value, StringComparer.Ordinal) };
                using var missing = await world.SendAsync(caller, AuthorizationMatrix.Method(entry), AuthorizationMatrix.Path(entry, missingRequest), request.Body, request.Headers);
                var missingBody = await missing.Content.ReadAsStringAsync();
                if ((int)missing.StatusCode != 404 || Normalized(body, caseId) != Normalized(missingBody, missingId))
                {
                    findings.Add($"{row.Function} × {caller}: hidden 404 differs from missing {(int)missing.StatusCode}: {body} / {missingBody}");
                }
            }
        }

        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
    }

    private static string Normalized(string body, string caseId)
        => RequestId().Replace(body.Replace(caseId, "{caseId}", StringComparison.Ordinal), "\"requestId\":\"-\"");

    [GeneratedRegex("\"requestId\":\"[^\"]*\"")]
    private static partial Regex RequestId();
}
