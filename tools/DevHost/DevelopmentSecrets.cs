namespace Serverless.DevHost;

/// <summary>Secrets for local runs only. They are public (they are in this repository), which is why
/// the local host is never used with real data.</summary>
public static class DevelopmentSecrets
{
    /// <summary>32 bytes, base64: the keyed-hash secret of the child index on a developer's Azurite.</summary>
    public const string CaseSearchKey = "ZGV2ZWxvcG1lbnQtb25seS1jYXNlLXNlYXJjaC1rZXkhIQ==";

    /// <summary>32 bytes, base64: encrypts webhook URLs and signing secrets at rest on a developer's Azurite.</summary>
    public const string WebhookEncryptionKey = "ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLWtleSEhISE=";

    /// <summary>43 bytes, base64: signs development bearer tokens (HS256). Public, so the development issuer
    /// is accepted only while storage is the local emulator. tools/Dev compiles this file as a linked file.</summary>
    public const string TokenSigningKey = "ZGV2ZWxvcG1lbnQtb25seS1iZWFyZXItdG9rZW4tc2lnbmluZy1rZXkhIQ==";
}
