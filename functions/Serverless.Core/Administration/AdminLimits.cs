namespace Serverless.Administration;

public static class AdminLimits
{
    public const int AgencyName = 100;
    public const int DisplayName = 100;
    public const int Subject = 200;

    /// <summary>A membership starts at most this far ahead (the April rotation is announced in March).</summary>
    public const int MaxDaysAhead = 366;
}
