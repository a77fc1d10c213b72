namespace Serverless.DevHost;

/// <summary>Secrets for local runs only. They are public (they are in this repository), which is why
/// the local host is never used with real data.</summary>
public static class DevelopmentSecrets
{
    /// <summary>32 bytes, base64: the keyed-hash secret of the child index on a developer's Azurite.</summary>
    public const string CaseSearchKey = "ZGV2ZWxvcG1lbnQtb25seS1jYXNlLXNlYXJjaC1rZXkhIQ==";
}
