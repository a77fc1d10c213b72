using Serverless.Agencies;
using Serverless.Identity;

namespace Serverless.DevHost;

/// <summary>
/// The invented town of みどり市 and the people who work with its children, for local runs and tests.
/// Use one with <c>Authorization: Development {personId}</c>.
/// </summary>
public static class DemoPeople
{
    public static IReadOnlyList<Agency> Agencies { get; } =
    [
        new("midori-kodomo-ka", "みどり市 子ども家庭課", AgencyKind.MunicipalDivision),
        new("chuo-jisou", "県中央児童相談所", AgencyKind.ChildGuidanceCentre),
        new("midori-kyoiku-iinkai", "みどり市教育委員会", AgencyKind.BoardOfEducation),
        new("minami-shogakko", "みどり市立南小学校", AgencyKind.School),
        new("hikari-hoikuen", "ひかり保育園", AgencyKind.Nursery),
        new("midori-hoken-center", "みどり市保健センター", AgencyKind.PublicHealthCentre),
    ];

    public static IReadOnlyList<(string PersonId, string AgencyId, CallerRole Role, string Description)> People { get; } =
    [
        ("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator, "子ども家庭課の調整担当"),
        ("jisou-ito", "chuo-jisou", CallerRole.Member, "児童相談所の児童福祉司"),
        ("teacher-tanaka", "minami-shogakko", CallerRole.Member, "南小学校の担任"),
        ("nursery-yamada", "hikari-hoikuen", CallerRole.Member, "ひかり保育園の園長"),
        ("nurse-suzuki", "midori-hoken-center", CallerRole.Member, "保健センターの保健師"),
        ("admin-kobayashi", "midori-kodomo-ka", CallerRole.Admin, "情報システム担当（ケースは見えない）"),
        ("auditor-watanabe", "midori-kodomo-ka", CallerRole.Auditor, "監査担当（ケースは見えない）"),
    ];

    public static Dictionary<string, string?> Configuration(Dictionary<string, string?> settings)
    {
        settings["Authentication:Development:Enabled"] = "true";
        foreach (var (personId, agencyId, role, _) in People)
        {
            settings[$"Authentication:Development:People:{personId}:AgencyId"] = agencyId;
            settings[$"Authentication:Development:People:{personId}:Role"] = role.ToString();
        }

        return settings;
    }
}
