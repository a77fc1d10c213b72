using System.ComponentModel.DataAnnotations;

namespace Serverless.Cases.Search;

/// <summary>
/// The secret that turns names and birth dates into index keys (HMAC-SHA256). Without it, nobody
/// holding the storage account can test "is this child known?" against the index. In Azure it comes
/// from Key Vault; it must never change without rebuilding the index.
/// </summary>
public sealed class CaseSearchOptions : IValidatableObject
{
    /// <summary>Base64, at least 32 bytes.</summary>
    [Required(ErrorMessage = "CaseSearch:HmacKey is required: a base64 secret of at least 32 bytes (in Azure, a Key Vault reference).")]
    public string HmacKey { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var bytes = new byte[HmacKey.Length];
        if (HmacKey.Length > 0 && (!Convert.TryFromBase64String(HmacKey, bytes, out var length) || length < 32))
        {
            yield return new ValidationResult("CaseSearch:HmacKey must be base64 of at least 32 random bytes.", [nameof(HmacKey)]);
        }
    }
}
