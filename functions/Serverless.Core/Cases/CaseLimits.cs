namespace Serverless.Cases;

/// <summary>Explicit limits of a case record (characters are counted as a person sees them). They keep a
/// whole record well inside one table entity and make a runaway form fail clearly.</summary>
public static class CaseLimits
{
    public const int NamePart = 50;
    public const int Kana = 100;
    public const int LatinName = 100;
    public const int Alias = 50;
    public const int Aliases = 10;
    public const int PreviousNames = 10;
    public const int Household = 20;
    public const int Participants = 30;
    public const int Siblings = 20;
    public const int Address = 200;
    public const int SchoolDistrict = 100;
    public const int LocationNotes = 500;
    public const int Notes = 2000;
    public const int ClosureReason = 1000;
    public const int Meeting = 100;
    public const int Municipality = 100;
    public const int PreviousClosures = 20;
    public const int Staff = 100;
    public const int Barred = 20;
}
