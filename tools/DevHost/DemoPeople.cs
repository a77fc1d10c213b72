using Serverless.Agencies;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;

namespace Serverless.DevHost;

/// <summary>
/// The invented town of みどり市 and the people who work with its children, for local runs and tests.
/// Each signs in through the development issuer with their subject:
/// <c>dotnet run --project tools/Dev -- token coordinator-sato</c> prints a bearer token.
/// </summary>
public static class DemoPeople
{
    public static IReadOnlyList<Agency> Agencies { get; } =
    [
        new("midori-kodomo-ka", "みどり市 子ども家庭課", AgencyKind.MunicipalDivision, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)),
        new("chuo-jisou", "県中央児童相談所", AgencyKind.ChildGuidanceCentre, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)),
        new("midori-kyoiku-iinkai", "みどり市教育委員会", AgencyKind.BoardOfEducation, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)),
        new("minami-shogakko", "みどり市立南小学校", AgencyKind.School, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)),
        new("hikari-hoikuen", "ひかり保育園", AgencyKind.Nursery, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 5, 10)),
        new("midori-hoken-center", "みどり市保健センター", AgencyKind.PublicHealthCentre, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)),
    ];

    /// <summary>Invented people; any resemblance to real ones is accidental.</summary>
    public static IReadOnlyList<DemoPerson> People { get; } =
    [
        new("coordinator-sato", "佐藤 恵", "midori-kodomo-ka", CallerRole.Coordinator, "子ども家庭課の調整担当", MayBreakGlass: true),
        new("coordinator-mori", "森 健太", "midori-kodomo-ka", CallerRole.Coordinator, "子ども家庭課の調整担当（夜間当番）", MayBreakGlass: true),
        new("jisou-ito", "伊藤 直子", "chuo-jisou", CallerRole.Member, "児童相談所の児童福祉司（緊急閲覧の指定あり）", MayBreakGlass: true),
        new("teacher-tanaka", "田中 学", "minami-shogakko", CallerRole.Member, "南小学校の担任"),
        new("teacher-kimura", "木村 彩", "minami-shogakko", CallerRole.Member, "南小学校の教員（ケースには指名されていない）"),
        new("nursery-yamada", "山田 花子", "hikari-hoikuen", CallerRole.Member, "ひかり保育園の園長"),
        new("nurse-suzuki", "鈴木 由美", "midori-hoken-center", CallerRole.Member, "保健センターの保健師"),
        new("admin-kobayashi", "小林 誠", "midori-kodomo-ka", CallerRole.Admin, "情報システム担当（ケースは見えない）"),
        new("auditor-watanabe", "渡辺 修", "midori-kodomo-ka", CallerRole.Auditor, "監査担当（ケースは見えない）"),
    ];

    public static DemoPerson Person(string subject) => People.Single(person => person.Subject == subject);

    /// <summary>The person id a demo subject signs in as.</summary>
    public static string PersonId(string subject) => PersonIds.For(DevelopmentTokens.IssuerName, subject);

    /// <summary>Registers the agencies, the people and one membership each (valid from 2024-04-01, open-ended).
    /// Idempotent: membership ids are derived from the subject.</summary>
    public static async Task SaveAsync(AgencyDirectory agencies, PeopleDirectory people, CancellationToken cancellationToken)
    {
        foreach (var agency in Agencies)
        {
            await agencies.SaveAsync(agency, cancellationToken);
        }

        foreach (var person in People)
        {
            var (_, memberships) = await people.FindAsync(person.PersonId, cancellationToken);
            await people.SaveProfileAsync(new PersonProfile(person.PersonId, DevelopmentTokens.IssuerName, person.Subject, person.DisplayName, DateTimeOffset.UnixEpoch, "demo"), cancellationToken);
            if (memberships.Count == 0)
            {
                await people.GrantAsync(person.Membership, cancellationToken);
            }
        }
    }

    /// <summary>Local configuration: the development issuer on, signing with the public development key.</summary>
    public static Dictionary<string, string?> Configuration(Dictionary<string, string?> settings)
    {
        settings["Authentication:Development:Enabled"] = "true";
        settings["Authentication:Development:SigningKey"] = DevelopmentSecrets.TokenSigningKey;
        return settings;
    }
}

/// <summary>One invented person and the one membership they hold.</summary>
public sealed record DemoPerson(string Subject, string DisplayName, string AgencyId, CallerRole Role, string Description, bool MayBreakGlass = false)
{
    public string PersonId => DemoPeople.PersonId(Subject);

    public Membership Membership
        => new(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Subject)))[..16],
            PersonId,
            AgencyId,
            Role,
            new DateOnly(2024, 4, 1),
            null,
            MayBreakGlass,
            "demo",
            DateTimeOffset.UnixEpoch);
}
