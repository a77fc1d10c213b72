using System.ComponentModel.DataAnnotations;

namespace Serverless.Functions.Web;

/// <summary>Settings of the web app (section <c>WebApp</c>), handed to the page in <c>meta</c> tags of index.html (no inline script).</summary>
public sealed class WebAppOptions
{
    public const string Section = "WebApp";

    /// <summary>Minutes without a tap or a key before the page signs out and clears every draft (default 30).</summary>
    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>How the page signs people in: <c>entra</c> (the default: MSAL, configured by <see cref="Entra"/>) or <c>development</c>,
    /// which only the local host sets, because only the local host serves the development sign-in routes.</summary>
    [RegularExpression("^(entra|development)$")]
    public string SignIn { get; set; } = "entra";

    /// <summary>Entra ID sign-in for the page (<c>WebApp:Entra</c>); without it the page says sign-in is not set up.</summary>
    public WebAppEntraOptions Entra { get; set; } = new();
}
