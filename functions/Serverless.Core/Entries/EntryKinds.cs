namespace Serverless.Entries;

/// <summary>What a timeline entry is.</summary>
public enum EntryType
{
    /// <summary>状況報告: what an agency saw or did about the child.</summary>
    Report,

    /// <summary>A comment on the case or a reply to a report or comment: answers, thanks, questions.</summary>
    Comment,

    /// <summary>A change of the case itself (registered, status, participants, closure), written with its version.</summary>
    CaseChange,

    /// <summary>The referral (通告・相談) the case came from or was joined to, as the coordinator summarised it: never the
    /// referrer, the submitting agency or the referrer's own words (児童虐待防止法 第7条).</summary>
    Referral,

    /// <summary>A safety confirmation (目視) recorded on the case's referral.</summary>
    SafetyConfirmation,

    /// <summary>The 7-day rule (joint notice of 2019-02-28): a child on a school's or nursery's attendance list was absent
    /// 7 or more consecutive school days, reason given or not. Raised by the monthly report or a mid-month notice.</summary>
    AttendanceAlert,

    /// <summary>A council meeting's review of the case (進行管理): what it decided, the support policy (援助方針), its tasks.</summary>
    Review,

    /// <summary>An entry of a case received from another council (移管) and accepted here: the sender's entry as it travelled,
    /// with its origin. Coordinators only.</summary>
    Transferred,
}

/// <summary>What a report is about. Names are the contract (kebab-case on the wire).</summary>
public enum ReportKind
{
    /// <summary>出欠: attendance or absence (with <c>absence</c> details).</summary>
    Attendance,

    /// <summary>けが・身体の様子: an injury or physical sign (with <c>injury</c> details).</summary>
    Injury,

    /// <summary>本人の言葉: the child's own words.</summary>
    ChildsWords,

    /// <summary>家庭訪問.</summary>
    HomeVisit,

    /// <summary>健診: a health check.</summary>
    HealthCheck,

    /// <summary>保護者との連絡.</summary>
    GuardianContact,

    /// <summary>医学的所見.</summary>
    MedicalFinding,

    /// <summary>警察との連絡.</summary>
    PoliceContact,

    /// <summary>会議の記録.</summary>
    MeetingNote,

    Other,
}

public enum ReportUrgency
{
    Routine,
    Urgent,
}

/// <summary>Where on the body an injury or sign was seen: a fixed list, so counts and searches need no free text.</summary>
public enum BodyPart
{
    Head,
    Face,
    Eyes,
    Ears,
    Mouth,
    Neck,
    Shoulders,
    Chest,
    Abdomen,
    Back,
    Buttocks,
    Genitals,
    Arms,
    Hands,
    Legs,
    Feet,
}

/// <summary>What changed in a case-change entry.</summary>
public enum CaseChangeKind
{
    Registered,
    Status,
    Closed,
    Reopened,
    LeadAgency,
    KeyAgency,
    ParticipantJoined,
    ParticipantLeft,
}
