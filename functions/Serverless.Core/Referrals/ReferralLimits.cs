using Serverless.Entries;

namespace Serverless.Referrals;

/// <summary>Explicit limits of referrals (text counted in seen characters, capped in UTF-16 units as entries are).</summary>
public static class ReferralLimits
{
    public const int Narrative = EntryLimits.Narrative;

    public const int NarrativeUtf16 = EntryLimits.NarrativeUtf16;

    /// <summary>Short descriptive fields: a school's name, an area, who took a call, a relation.</summary>
    public const int ShortText = 100;

    public const int Address = 200;

    public const int Contact = 200;

    public const int Guardians = 10;

    public const int ApproximateAge = 18;

    /// <summary>The summary members read, and a sighting's description of the child.</summary>
    public const int Summary = 2_000;

    public const int SummaryUtf16 = 4_000;

    public const int Reason = EntryLimits.Reason;

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 100;

    /// <summary>Sightings recorded on one referral.</summary>
    public const int Confirmations = 50;
}
