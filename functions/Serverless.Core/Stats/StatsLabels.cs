using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;

namespace Serverless.Stats;

/// <summary>The Japanese words of the exported counts (the national survey's where there is one: 福祉行政報告例).</summary>
public static class StatsLabels
{
    public static string Of(CaseStatus value) => value switch
    {
        CaseStatus.Accepted => "受理",
        CaseStatus.Registered => "登録",
        _ => "終結",
    };

    public static string Of(CaseCategory value) => value switch
    {
        CaseCategory.RequiringProtection => "要保護児童",
        CaseCategory.RequiringSupport => "要支援児童",
        _ => "特定妊婦",
    };

    public static string Of(RiskLevel value) => value switch
    {
        RiskLevel.Low => "低",
        RiskLevel.Medium => "中",
        RiskLevel.High => "高",
        _ => "最重度",
    };

    public static string Of(AbuseType value) => value switch
    {
        AbuseType.Physical => "身体的虐待",
        AbuseType.Neglect => "ネグレクト",
        AbuseType.Psychological => "心理的虐待",
        _ => "性的虐待",
    };

    public static string Of(ClosureOutcome value) => value switch
    {
        ClosureOutcome.Improved => "改善",
        ClosureOutcome.TransferredToAnotherMunicipality => "移管",
        ClosureOutcome.ReferredToChildGuidanceCentre => "児童相談所へ送致",
        ClosureOutcome.ReachedAdulthood => "年齢超過",
        ClosureOutcome.MovedAwayWhereaboutsUnknown => "転居・所在不明",
        _ => "その他",
    };

    public static string Of(AgencyKind value) => value switch
    {
        AgencyKind.MunicipalDivision => "市町村担当課",
        AgencyKind.ChildGuidanceCentre => "児童相談所",
        AgencyKind.BoardOfEducation => "教育委員会",
        AgencyKind.School => "学校",
        AgencyKind.Nursery => "保育所",
        AgencyKind.Hospital => "医療機関",
        AgencyKind.PublicHealthCentre => "保健センター・保健所",
        AgencyKind.WelfareFacility => "児童福祉施設",
        AgencyKind.Police => "警察",
        AgencyKind.Npo => "NPO",
        AgencyKind.Kindergarten => "幼稚園",
        AgencyKind.CertifiedChildcareCentre => "認定こども園",
        AgencyKind.UnlicensedNursery => "認可外保育施設",
        _ => "その他",
    };

    public static string Of(ReportKind value) => value switch
    {
        ReportKind.Attendance => "出欠",
        ReportKind.Injury => "けが・身体の様子",
        ReportKind.ChildsWords => "本人の言葉",
        ReportKind.HomeVisit => "家庭訪問",
        ReportKind.HealthCheck => "健診",
        ReportKind.GuardianContact => "保護者との連絡",
        ReportKind.MedicalFinding => "医学的所見",
        ReportKind.PoliceContact => "警察との連絡",
        ReportKind.MeetingNote => "会議の記録",
        _ => "その他",
    };

    public const string Unknown = "不明";

    /// <summary>The label of a breakdown key (its name on the wire), <see cref="Unknown"/> for <c>unknown</c>.</summary>
    public static string OfName<TEnum>(string name, Func<TEnum, string> label)
        where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().FirstOrDefault(value => EntryRows.Name(value) == name) is var value && EntryRows.Name(value) == name ? label(value) : Unknown;
}
