namespace Serverless.Functions.Web;

/// <summary>
/// What the page needs to sign people in with Entra ID (section <c>WebApp:Entra</c>): the page's own app registration
/// (a single-page application with redirect URI <c>https://{host}/app/</c>), the API scope it asks for, and one
/// authority per issuer people may sign in through (the municipality's tenant, a board of education's tenant…), each
/// with the label of its button. Handed to the page in meta tags; none of it is secret.
/// </summary>
public sealed class WebAppEntraOptions
{
    /// <summary>The client id of the page's single-page-application registration.</summary>
    public string? ClientId { get; set; }

    /// <summary>The delegated scope to ask for, e.g. <c>api://{api-client-id}/Cases.ReadWrite</c>.</summary>
    public string? Scope { get; set; }

    /// <summary>One button per entry, in this order.</summary>
    public List<WebAppEntraAuthority> Authorities { get; set; } = [];

    /// <summary>True when the page can offer Entra sign-in (a client id, a scope and at least one authority).</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(Scope) && Authorities.Count > 0;
}

/// <summary>One tenant people sign in through: <c>https://login.microsoftonline.com/{tenant-id}</c> and its button's label
/// (e.g. 「みどり市役所の職員」). B2B guests sign in through the tenant that invited them.</summary>
public sealed class WebAppEntraAuthority
{
    public string Authority { get; set; } = "";

    public string DisplayName { get; set; } = "";
}
