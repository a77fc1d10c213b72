using System.Security.Cryptography;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Tests.Identity.SubmissionKeys;

/// <summary>The key format on its own: no storage involved (the service tests check that malformed keys never reach it).</summary>
public sealed class SubmissionKeyFormatTests
{
    [Fact]
    public void FormattedKeyParsesBackToItsIdAndSecret()
    {
        var keyId = SubmissionKeyFormat.NewKeyId();
        var secret = SubmissionKeyFormat.NewSecret();

        var key = SubmissionKeyFormat.Format(keyId, secret);

        Assert.Equal(SubmissionKeyFormat.KeyLength, key.Length);
        Assert.True(SubmissionKeyFormat.TryParse(key, out var parsedId, out var parsedSecret));
        Assert.Equal(keyId, parsedId);
        Assert.Equal(secret, parsedSecret);
    }

    [Fact]
    public void SecretsContainingUnderscoresAndDashesParse()
    {
        // 0xFF bytes encode as "_" in base64url: the separator must not be found by splitting on "_".
        var secret = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        var key = SubmissionKeyFormat.Format("abcdefgh23", secret);

        Assert.Contains("__", key[14..], StringComparison.Ordinal);
        Assert.True(SubmissionKeyFormat.TryParse(key, out var keyId, out var parsed));
        Assert.Equal("abcdefgh23", keyId);
        Assert.Equal(secret, parsed);
    }

    [Fact]
    public void KeyIdsAreTenLowercaseBase32CharactersAndDiffer()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SubmissionKeyFormat.NewKeyId()).ToList();

        Assert.All(ids, id => Assert.Matches("^[a-z2-7]{10}$", id));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void OnlyTheRightSecretMatchesTheStoredHash()
    {
        var secret = SubmissionKeyFormat.NewSecret();
        var stored = Convert.ToBase64String(SubmissionKeyFormat.Hash(secret));

        Assert.True(SubmissionKeyFormat.Matches(secret, stored));
        Assert.False(SubmissionKeyFormat.Matches(RandomNumberGenerator.GetBytes(32), stored));
        Assert.False(SubmissionKeyFormat.Matches(secret, "not base64"));
        Assert.False(SubmissionKeyFormat.Matches(secret, Convert.ToBase64String(new byte[16])));
    }
}
