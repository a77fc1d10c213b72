using Serverless.Cases;
using Serverless.Identity;

namespace Serverless.Agencies;

/// <summary>One agency as every signed-in person may see it: its id, its name and its kind. Agency names are not child data.</summary>
public sealed record AgencyListItem(string AgencyId, string Name, AgencyKind Kind);

/// <summary>The council's agencies, kind by kind (in <see cref="AgencyKind"/>'s order) and by name within a kind;
/// at most <see cref="AgencyListing.MaxAgencies"/>, <paramref name="Truncated"/> when there were more.</summary>
public sealed record AgencyListPage(IReadOnlyList<AgencyListItem> Agencies, bool Truncated);

/// <summary>
/// <c>GET /api/agencies</c>: the names behind the agency ids the other answers carry (a timeline's authors, a case's
/// participants, the ledger), so a page can show 「みどり小学校」 rather than <c>midori-es</c>. Any signed-in person
/// may read it; a form's submission key may not (it submits and reads nothing else).
/// </summary>
public sealed class AgencyListing(AgencyDirectory directory)
{
    /// <summary>A council has tens of agencies; the list stops here rather than grow without bound.</summary>
    public const int MaxAgencies = 500;

    public async Task<CaseOutcome<AgencyListPage>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new CaseOutcome<AgencyListPage>.Forbidden();
        }

        var all = await directory.AllAsync(cancellationToken);
        var sorted = all.Values
            .OrderBy(agency => agency.Kind)
            .ThenBy(agency => agency.Name, StringComparer.Ordinal)
            .ThenBy(agency => agency.AgencyId, StringComparer.Ordinal)
            .Select(agency => new AgencyListItem(agency.AgencyId, agency.Name, agency.Kind))
            .ToList();
        return new CaseOutcome<AgencyListPage>.Done(new AgencyListPage(sorted.Take(MaxAgencies).ToList(), sorted.Count > MaxAgencies));
    }
}
