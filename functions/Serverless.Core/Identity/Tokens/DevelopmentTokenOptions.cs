namespace Serverless.Identity.Tokens;

/// <summary>
/// The development issuer (configuration section <c>Authentication:Development</c>, shared with the
/// development sign-in's demo people): tokens signed with a public, repository-only key, minted by
/// <c>dotnet run --project tools/Dev -- token &lt;subject&gt;</c>. Accepted only while <see cref="Enabled"/> is
/// true AND storage is the local emulator, checked on every validation, so an app setting alone can
/// never turn it on in Azure.
/// </summary>
public sealed class DevelopmentTokenOptions
{
    public const string Section = "Authentication:Development";

    public bool Enabled { get; set; }

    /// <summary>Base64 of at least 32 bytes (HS256). Never logged.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = DevelopmentTokens.DefaultIssuer;

    public string Audience { get; set; } = DevelopmentTokens.DefaultAudience;

    /// <summary>The client application (<c>azp</c>) development tokens carry; the only one accepted from this issuer.
    /// Its tokens must carry the <see cref="TokenIssuerOptions.DefaultRequiredScope"/> scope as well.</summary>
    public string ClientApplication { get; set; } = DevelopmentTokens.DefaultClientApplication;

    // The key is a secret even when it is a public development one: keep it out of anything that prints options.
    public override string ToString() => $"Development issuer (Enabled={Enabled}, Issuer={Issuer}, Audience={Audience}, ClientApplication={ClientApplication})";
}
