using System.ComponentModel.DataAnnotations;

namespace FormRelay;

/// <summary>
/// Where the relay forwards to and with which key. Bound from the <c>FormRelay</c> section: set the key in the
/// environment (<c>FormRelay__SubmissionKey</c>) or a secret store, never in appsettings.json and never in the page.
/// </summary>
public sealed class FormRelayOptions
{
    /// <summary>The case-sharing app, e.g. <c>https://func-kodomo-midori.azurewebsites.net/</c>.</summary>
    [Required]
    public Uri? ApiBaseUrl { get; set; }

    /// <summary>The agency's submission key (<c>sk_…</c>), issued by the municipality's admin.</summary>
    [Required]
    [MinLength(10)]
    public string SubmissionKey { get; set; } = "";

    /// <summary>The agency's name as the form's heading shows it (e.g. 「みどり市立南小学校」).</summary>
    public string AgencyName { get; set; } = "";
}
