using System.Security.Cryptography;
using System.Text;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.DevHost;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;

namespace Serverless.Benchmarks;

/// <summary>
/// Invented agencies, each with named staff who hold one active membership, registered as <see cref="DemoPeople"/>
/// registers みどり市 (the agency directory, a profile and a membership per person). Agency 0 is a municipal division
/// (it may lead a case), agency 1 a school (the key agency); the rest take part. Ids and names are made up, for load only.
/// </summary>
public sealed class SyntheticCouncil
{
    private SyntheticCouncil(int agencies, int staffPerAgency)
    {
        AgencyIds = [.. Enumerable.Range(0, agencies).Select(n => $"fanout-kikan-{n:D2}")];
        StaffPerAgency = staffPerAgency;
    }

    public IReadOnlyList<string> AgencyIds { get; }

    public int StaffPerAgency { get; }

    /// <summary>The development-issuer subject of staff member <paramref name="member"/> of agency <paramref name="agency"/>.</summary>
    public static string Subject(int agency, int member) => $"fanout-{agency:D2}-{(char)('a' + member)}";

    public static async Task<SyntheticCouncil> RegisterAsync(AgencyDirectory agencies, PeopleDirectory people, int agencyCount, int staffPerAgency, CancellationToken cancellationToken)
    {
        AgencyKind[] kinds = [AgencyKind.School, AgencyKind.Nursery, AgencyKind.PublicHealthCentre, AgencyKind.Hospital, AgencyKind.WelfareFacility, AgencyKind.Npo];
        var council = new SyntheticCouncil(agencyCount, staffPerAgency);
        for (var n = 0; n < agencyCount; n++)
        {
            var kind = n == 0 ? AgencyKind.MunicipalDivision : kinds[(n - 1) % kinds.Length];
            await agencies.SaveAsync(new Agency(council.AgencyIds[n], $"架空の機関 {n:D2}", kind, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)), cancellationToken);
            for (var m = 0; m < staffPerAgency; m++)
            {
                var subject = Subject(n, m);
                var personId = PersonIds.For(DevelopmentTokens.IssuerName, subject);
                await people.SaveProfileAsync(new PersonProfile(personId, DevelopmentTokens.IssuerName, subject, $"試験 職員{n:D2}{(char)('A' + m)}", DateTimeOffset.UnixEpoch, "benchmark"), cancellationToken);
                await people.GrantAsync(new Membership(MembershipId(subject), personId, council.AgencyIds[n], CallerRole.Member, new DateOnly(2024, 4, 1), null, false, "benchmark", DateTimeOffset.UnixEpoch), cancellationToken);
            }
        }

        return council;
    }

    /// <summary>
    /// A case the first <paramref name="agencyCount"/> agencies are on (agency 0 leads, agency 1 is the key agency,
    /// agencies 1.. take part), every staff member of each named on it.
    /// </summary>
    public CaseRecord Case(int n, int agencyCount, DateOnly today)
        => SyntheticCases.Registered(n, today) with
        {
            LeadAgencyId = AgencyIds[0],
            KeyAgencyId = AgencyIds[1],
            Participants = [.. AgencyIds.Take(agencyCount).Skip(1).Select(agency => new Participation { AgencyId = agency, From = today.AddMonths(-1) })],
            Staff = [.. Enumerable.Range(0, agencyCount).SelectMany(a => Enumerable.Range(0, StaffPerAgency).Select(m => new NamedStaff { PersonId = PersonIds.For(DevelopmentTokens.IssuerName, Subject(a, m)), AgencyId = AgencyIds[a] }))],
        };

    private static string MembershipId(string subject) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))[..16];
}
