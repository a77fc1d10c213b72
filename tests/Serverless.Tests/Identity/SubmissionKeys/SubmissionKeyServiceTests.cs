using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Serverless.Identity.SubmissionKeys;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;
using Serverless.Validation;
using Failed = Serverless.Identity.SubmissionKeys.SubmissionKeyAuthentication.Failed;
using Succeeded = Serverless.Identity.SubmissionKeys.SubmissionKeyAuthentication.Succeeded;

namespace Serverless.Tests.Identity.SubmissionKeys;

/// <summary>
/// Submission keys against Azurite: each test has its own host (fresh tables) on a fake clock.
/// </summary>
public sealed class SubmissionKeyServiceTests
{
    private const string School = "minami-shogakko";
    private const string Nursery = "hikari-hoikuen";
    private const string Admin = "admin-kobayashi";
    private const string Label = "南小学校 通告フォーム";

    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task IssuedKeyAuthenticatesAsItsAgency()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);

        var result = await Service(host).AuthenticateAsync(issued.Key, null, null, None);

        Assert.Equal(new Succeeded(issued.Info.KeyId, School), result);
        Assert.Matches("^sk_[a-z2-7]{10}_[A-Za-z0-9_-]{43}$", issued.Key);
        Assert.StartsWith("sk_" + issued.Info.KeyId + "_", issued.Key, StringComparison.Ordinal);
        Assert.Equal((School, Label, Now, Admin, (DateTimeOffset?)null, (DateTimeOffset?)null), (issued.Info.AgencyId, issued.Info.Label, issued.Info.CreatedAt, issued.Info.CreatedBy, issued.Info.ExpiresAt, issued.Info.RevokedAt));
    }

    [Fact]
    public async Task StoredRowHoldsOnlyTheSha256OfTheSecretNeverTheKey()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);
        var secretText = issued.Key[(3 + 10 + 1)..];

        var rows = await Table(host).QueryAsync<TableEntity>().ToListAsync();

        var row = Assert.Single(rows);
        var values = row.Select(pair => pair.Value?.ToString() ?? "").ToList();
        Assert.DoesNotContain(values, value => value.Contains(secretText, StringComparison.Ordinal) || value.Contains(issued.Key, StringComparison.Ordinal));
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(Base64Url.DecodeFromChars(secretText))), row.GetString("SecretHash"));
        Assert.Equal(("key", issued.Info.KeyId, 1), (row.PartitionKey, row.RowKey, row.GetInt32("SchemaVersion")));
    }

    [Fact]
    public async Task IssuedKeyPrintsWithoutItsSecret()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);

        Assert.DoesNotContain(issued.Key, issued.ToString(), StringComparison.Ordinal);
        Assert.Contains(issued.Info.KeyId, issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherSecretWithTheRightKeyIdIsAWrongSecret()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);
        var forged = SubmissionKeyFormat.Format(issued.Info.KeyId, RandomNumberGenerator.GetBytes(32));

        Assert.Equal(new Failed(SubmissionKeyFailureReasons.WrongSecret, issued.Info.KeyId), await Service(host).AuthenticateAsync(forged, null, null, None));
    }

    [Fact]
    public async Task AKeyIdNobodyIssuedIsUnknown()
    {
        await using var host = await StartAsync();
        await IssueAsync(host);
        var unknown = SubmissionKeyFormat.Format("abcdefgh23", RandomNumberGenerator.GetBytes(32));

        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Unknown, "abcdefgh23"), await Service(host).AuthenticateAsync(unknown, null, null, None));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sk_")]
    [InlineData("Bearer sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 42-character secret
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 44-character secret
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padding
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // bits 32 bytes cannot have
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // base64, not base64url
    [InlineData("sk_ABCDEFGH23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // uppercase id
    [InlineData("sk_abcdefgh01_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 0 and 1 are not base32
    [InlineData("SK_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sk_abcdefgh23-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // separator
    [InlineData("sk_abcdefgh2_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 9-character id
    [InlineData(" sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sk_abcdefgh23_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ")]
    [InlineData("sk_abcdefgh23_ＡAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // a full-width A
    public async Task MalformedKeysAreRefusedWithoutTouchingStorage(string? presented)
    {
        await using var host = await StartAsync();
        var scope = "malformed-" + Guid.NewGuid().ToString("N");

        SubmissionKeyAuthentication result;
        using (StorageOperationCounter.BeginScope(scope))
        {
            result = await Service(host).AuthenticateAsync(presented, null, null, None);
        }

        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Malformed, null), result);
        Assert.Empty(host.Counter.For(scope));
    }

    [Fact]
    public async Task AuthenticatingCostsExactlyOnePointRead()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host, origins: ["https://minami.example.jp"], addresses: ["192.0.2.0/24"]);

        SubmissionKeyAuthentication result;
        using (StorageOperationCounter.BeginScope("authenticate"))
        {
            result = await Service(host).AuthenticateAsync(issued.Key, "https://minami.example.jp", IPAddress.Parse("192.0.2.9"), None);
        }

        Assert.IsType<Succeeded>(result);
        Assert.Equal(new Dictionary<string, long> { [$"table GET {host.Prefix}SubmissionKeys(key)"] = 1 }, host.Counter.For("authenticate"));
    }

    [Fact]
    public async Task RevokedKeyIsRefusedOnTheVeryNextAttempt()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);
        var service = Service(host);
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, null, null, None));

        var revoked = await service.RevokeAsync(School, issued.Info.KeyId, Admin, None);

        var info = Assert.IsType<SubmissionKeyOutcome<SubmissionKeyInfo>.Done>(revoked).Value;
        Assert.Equal((Now, Admin), (info.RevokedAt, info.RevokedBy));
        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Revoked, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, null, null, None));
    }

    [Fact]
    public async Task RevokingTwiceKeepsTheFirstRevocation()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);
        var service = Service(host);
        await service.RevokeAsync(School, issued.Info.KeyId, Admin, None);
        host.Clock!.Advance(TimeSpan.FromMinutes(5));

        var again = await service.RevokeAsync(School, issued.Info.KeyId, "admin-other", None);

        var info = Assert.IsType<SubmissionKeyOutcome<SubmissionKeyInfo>.Done>(again).Value;
        Assert.Equal((Now, Admin), (info.RevokedAt, info.RevokedBy));
    }

    [Fact]
    public async Task AnotherAgencysKeyCannotBeRevokedOrRotatedAndKeepsWorking()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host);
        var service = Service(host);

        Assert.IsType<SubmissionKeyOutcome<SubmissionKeyInfo>.NotFound>(await service.RevokeAsync(Nursery, issued.Info.KeyId, Admin, None));
        Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.NotFound>(await service.RotateAsync(Nursery, issued.Info.KeyId, TimeSpan.Zero, Admin, None));
        Assert.IsType<SubmissionKeyOutcome<SubmissionKeyInfo>.NotFound>(await service.RevokeAsync(School, "abcdefgh23", Admin, None));
        Assert.IsType<SubmissionKeyOutcome<SubmissionKeyInfo>.NotFound>(await service.RevokeAsync(School, "not a key id", Admin, None));

        Assert.Equal(new Succeeded(issued.Info.KeyId, School), await service.AuthenticateAsync(issued.Key, null, null, None));
        Assert.Null(Assert.Single(await Table(host).QueryAsync<SubmissionKeyEntity>().ToListAsync()).RevokedAt);
    }

    [Fact]
    public async Task KeyIsRefusedFromItsExpiryOn()
    {
        await using var host = await StartAsync();
        var expiry = Now.AddDays(30);
        var issued = await IssueAsync(host, expiresAt: expiry);
        var service = Service(host);

        host.Clock!.SetUtcNow(expiry.AddTicks(-1));
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, null, null, None));

        host.Clock.SetUtcNow(expiry);
        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Expired, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, null, null, None));
    }

    [Fact]
    public async Task KeyBoundToOriginsAcceptsOnlyThoseOrigins()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host, origins: ["https://Minami.Example.JP:443", "https://forms.example.jp:8443"]);
        var service = Service(host);

        Assert.Equal(new[] { "https://minami.example.jp", "https://forms.example.jp:8443" }, issued.Info.AllowedOrigins);
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, "https://minami.example.jp", null, None));
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, "https://forms.example.jp:8443", null, None));
        foreach (var origin in new[] { "https://evil.example.jp", "http://minami.example.jp", "https://forms.example.jp", "https://minami.example.jp.evil.example", "null", "", null })
        {
            Assert.Equal(new Failed(SubmissionKeyFailureReasons.OriginNotAllowed, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, origin, null, None));
        }
    }

    [Fact]
    public async Task KeyBoundToAnIPv4RangeAcceptsOnlyAddressesInIt()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host, addresses: ["192.0.2.0/24", "198.51.100.7"]);
        var service = Service(host);

        Assert.Equal(new[] { "192.0.2.0/24", "198.51.100.7/32" }, issued.Info.AllowedAddresses);
        foreach (var inside in new[] { "192.0.2.0", "192.0.2.255", "198.51.100.7", "::ffff:192.0.2.44" })
        {
            Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, null, IPAddress.Parse(inside), None));
        }

        foreach (var outside in new[] { "192.0.3.1", "198.51.100.8", "2001:db8::1" })
        {
            Assert.Equal(new Failed(SubmissionKeyFailureReasons.AddressNotAllowed, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, null, IPAddress.Parse(outside), None));
        }

        Assert.Equal(new Failed(SubmissionKeyFailureReasons.AddressNotAllowed, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, null, null, None));
    }

    [Fact]
    public async Task KeyBoundToAnIPv6RangeAcceptsOnlyAddressesInIt()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host, addresses: ["2001:DB8:1::/48"]);
        var service = Service(host);

        Assert.Equal(new[] { "2001:db8:1::/48" }, issued.Info.AllowedAddresses);
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(issued.Key, null, IPAddress.Parse("2001:db8:1:ffff::5"), None));
        foreach (var outside in new[] { "2001:db8:2::5", "192.0.2.1" })
        {
            Assert.Equal(new Failed(SubmissionKeyFailureReasons.AddressNotAllowed, issued.Info.KeyId), await service.AuthenticateAsync(issued.Key, null, IPAddress.Parse(outside), None));
        }
    }

    [Fact]
    public async Task TheSecretIsCheckedBeforeRevocationExpiryAndBindingsAreRevealed()
    {
        await using var host = await StartAsync();
        var issued = await IssueAsync(host, origins: ["https://minami.example.jp"], addresses: ["192.0.2.0/24"]);
        var service = Service(host);
        await service.RevokeAsync(School, issued.Info.KeyId, Admin, None);
        var forged = SubmissionKeyFormat.Format(issued.Info.KeyId, RandomNumberGenerator.GetBytes(32));

        Assert.Equal(new Failed(SubmissionKeyFailureReasons.WrongSecret, issued.Info.KeyId), await service.AuthenticateAsync(forged, "https://evil.example", IPAddress.Parse("203.0.113.1"), None));
    }

    [Fact]
    public async Task RotationWithOverlapKeepsTheOldKeyWorkingUntilTheOverlapEnds()
    {
        await using var host = await StartAsync();
        var old = await IssueAsync(host, expiresAt: Now.AddDays(90), origins: ["https://minami.example.jp"], addresses: ["192.0.2.0/24"]);
        var service = Service(host);
        host.Clock!.Advance(TimeSpan.FromDays(60));
        var rotatedAt = host.Clock.GetUtcNow();

        var rotated = await service.RotateAsync(School, old.Info.KeyId, TimeSpan.FromDays(1), Admin, None);

        var fresh = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(rotated).Value;
        Assert.NotEqual(old.Info.KeyId, fresh.Info.KeyId);
        Assert.Equal((School, Label, rotatedAt.AddDays(90), rotatedAt), (fresh.Info.AgencyId, fresh.Info.Label, fresh.Info.ExpiresAt, fresh.Info.CreatedAt));
        Assert.Equal(old.Info.AllowedOrigins, fresh.Info.AllowedOrigins);
        Assert.Equal(old.Info.AllowedAddresses, fresh.Info.AllowedAddresses);
        var oldInfo = (await ListAsync(host, School)).Single(info => info.KeyId == old.Info.KeyId);
        Assert.Equal((fresh.Info.KeyId, rotatedAt.AddDays(1), (DateTimeOffset?)null), (oldInfo.ReplacedBy, oldInfo.ExpiresAt, oldInfo.RevokedAt));

        var origin = "https://minami.example.jp";
        var address = IPAddress.Parse("192.0.2.1");
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(old.Key, origin, address, None));
        Assert.Equal(new Succeeded(fresh.Info.KeyId, School), await service.AuthenticateAsync(fresh.Key, origin, address, None));

        host.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Expired, old.Info.KeyId), await service.AuthenticateAsync(old.Key, origin, address, None));
        Assert.IsType<Succeeded>(await service.AuthenticateAsync(fresh.Key, origin, address, None));
    }

    [Fact]
    public async Task RotationWithoutOverlapRevokesTheOldKeyAtOnce()
    {
        await using var host = await StartAsync();
        var old = await IssueAsync(host);
        var service = Service(host);

        var fresh = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(await service.RotateAsync(School, old.Info.KeyId, TimeSpan.Zero, Admin, None)).Value;

        Assert.Null(fresh.Info.ExpiresAt);
        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Revoked, old.Info.KeyId), await service.AuthenticateAsync(old.Key, null, null, None));
        Assert.Equal(new Succeeded(fresh.Info.KeyId, School), await service.AuthenticateAsync(fresh.Key, null, null, None));
        var oldInfo = (await ListAsync(host, School)).Single(info => info.KeyId == old.Info.KeyId);
        Assert.Equal((fresh.Info.KeyId, Now, Admin), (oldInfo.ReplacedBy, oldInfo.RevokedAt, oldInfo.RevokedBy));
    }

    [Fact]
    public async Task AKeyIsRotatedOnlyOnceAndARevokedKeyIsNeverRotated()
    {
        await using var host = await StartAsync();
        var live = await IssueAsync(host);
        var revoked = await IssueAsync(host);
        var service = Service(host);
        await service.RevokeAsync(School, revoked.Info.KeyId, Admin, None);

        var first = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(await service.RotateAsync(School, live.Info.KeyId, TimeSpan.FromDays(7), Admin, None)).Value;
        var second = await service.RotateAsync(School, live.Info.KeyId, TimeSpan.Zero, Admin, None);
        var ofRevoked = await service.RotateAsync(School, revoked.Info.KeyId, TimeSpan.FromDays(7), Admin, None);

        Assert.Equal(new SubmissionKeyOutcome<IssuedSubmissionKey>.Conflict(first.Info.KeyId), second);
        Assert.Equal(new SubmissionKeyOutcome<IssuedSubmissionKey>.Revoked(), ofRevoked);
        Assert.Equal(new Failed(SubmissionKeyFailureReasons.Revoked, revoked.Info.KeyId), await service.AuthenticateAsync(revoked.Key, null, null, None));
        Assert.Equal(3, (await ListAsync(host, School)).Count); // the two issued and the live key's one successor
    }

    [Fact]
    public async Task ConcurrentRotationsLeaveExactlyOneSuccessor()
    {
        await using var host = await StartAsync();
        var old = await IssueAsync(host);
        var service = Service(host);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => service.RotateAsync(School, old.Info.KeyId, TimeSpan.FromDays(1), Admin, None))));

        var winner = Assert.Single(outcomes.OfType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>()).Value;
        Assert.All(outcomes.Where(outcome => outcome is not SubmissionKeyOutcome<IssuedSubmissionKey>.Done), outcome => Assert.Equal(new SubmissionKeyOutcome<IssuedSubmissionKey>.Conflict(winner.Info.KeyId), outcome));
        var listed = await ListAsync(host, School);
        Assert.Equal(winner.Info.KeyId, listed.Single(info => info.KeyId == old.Info.KeyId).ReplacedBy);
        // Losers that had already inserted a key withdrew it: only the old key (for its overlap) and the winner work.
        Assert.Equal(
            new[] { old.Info.KeyId, winner.Info.KeyId }.Order(StringComparer.Ordinal),
            listed.Where(info => info.IsActiveAt(Now)).Select(info => info.KeyId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7 * 24 * 3600 + 1)]
    public async Task RotationOverlapOutsideZeroToSevenDaysIsInvalid(int seconds)
    {
        await using var host = await StartAsync();
        var old = await IssueAsync(host);

        var outcome = await Service(host).RotateAsync(School, old.Info.KeyId, TimeSpan.FromSeconds(seconds), Admin, None);

        var invalid = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Invalid>(outcome);
        var error = Assert.Single(invalid.Errors);
        Assert.Equal(("$.overlapSeconds", FieldRules.OutOfRange, "0", "604800"), (error.Field, error.Code, error.Arguments!["min"], error.Arguments["max"]));
        Assert.Single(await ListAsync(host, School));
    }

    [Fact]
    public async Task ListingShowsTheAgencysKeysNewestFirstAndNoHash()
    {
        await using var host = await StartAsync();
        var first = await IssueAsync(host);
        host.Clock!.Advance(TimeSpan.FromMinutes(1));
        var second = await IssueAsync(host, label: "南小学校 保健室フォーム");
        await IssueAsync(host, agencyId: Nursery, label: "ひかり保育園");

        var listed = await ListAsync(host, School);

        Assert.Equal(new[] { second.Info, first.Info }, listed, new InfoComparer());
        Assert.DoesNotContain(typeof(SubmissionKeyInfo).GetProperties(), property => property.Name.Contains("Hash", StringComparison.OrdinalIgnoreCase) || property.Name.Contains("Secret", StringComparison.OrdinalIgnoreCase));
        Assert.IsType<SubmissionKeyOutcome<IReadOnlyList<SubmissionKeyInfo>>.NotFound>(await Service(host).ListAsync("no-such-agency", None));
    }

    [Fact]
    public async Task IssuingForAnUnregisteredAgencyIsNotFoundAndStoresNothing()
    {
        await using var host = await StartAsync();

        var outcome = await Service(host).IssueAsync("no-such-agency", Label, null, [], [], Admin, None);

        Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.NotFound>(outcome);
        Assert.Empty(await Table(host).QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task InvalidIssueRequestReportsEveryFieldAndStoresNothing()
    {
        await using var host = await StartAsync();
        string[] origins =
        [
            "https://ok.example.jp",
            "http://plain.example.jp",
            "https://path.example.jp/form",
            "https://ok.example.jp/",
            "https://OK.example.jp:443",
            "https://user@ok.example.jp",
            "minami.example.jp",
        ];
        string[] addresses = ["192.0.2.0/24", "10.0.0.1/8", "192.0.2.0/33", "2001:db8::/129", "not-an-address", "192.0.2.0/24", "1.2.3", "::ffff:192.0.2.1"];

        var outcome = await Service(host).IssueAsync("Not An Id", new string('あ', 101) + "\u0007", Now.AddMinutes(-1), origins, addresses, Admin, None);

        var invalid = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Invalid>(outcome);
        Assert.Equal(
            new[]
            {
                ("$.agencyId", FieldRules.InvalidId),
                ("$.label", FieldRules.TooLong),
                ("$.label", FieldRules.ControlCharacters),
                ("$.expiresAt", FieldRules.PastDate),
                ("$.allowedOrigins[1]", FieldRules.InvalidValue),
                ("$.allowedOrigins[2]", FieldRules.InvalidValue),
                ("$.allowedOrigins[3]", FieldRules.InvalidValue),
                ("$.allowedOrigins[4]", FieldRules.Duplicate),
                ("$.allowedOrigins[5]", FieldRules.InvalidValue),
                ("$.allowedOrigins[6]", FieldRules.InvalidValue),
                ("$.allowedAddresses[1]", FieldRules.InvalidValue),
                ("$.allowedAddresses[2]", FieldRules.InvalidValue),
                ("$.allowedAddresses[3]", FieldRules.InvalidValue),
                ("$.allowedAddresses[4]", FieldRules.InvalidValue),
                ("$.allowedAddresses[5]", FieldRules.Duplicate),
                ("$.allowedAddresses[6]", FieldRules.InvalidValue),
                ("$.allowedAddresses[7]", FieldRules.InvalidValue),
            },
            invalid.Errors.Select(error => (error.Field, error.Code)));
        Assert.Empty(await Table(host).QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task EmptyLabelTooManyBindingsAndAFarExpiryAreInvalid()
    {
        await using var host = await StartAsync();
        var origins = Enumerable.Range(1, 11).Select(i => $"https://f{i}.example.jp").ToList();
        var addresses = Enumerable.Range(1, 21).Select(i => $"192.0.2.{i}").ToList();

        var outcome = await Service(host).IssueAsync(School, " ", Now.AddDays(731), origins, addresses, Admin, None);

        var invalid = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Invalid>(outcome);
        Assert.Equal(
            new[]
            {
                ("$.label", FieldRules.Required, ""),
                ("$.expiresAt", FieldRules.TooFarAhead, "730"),
                ("$.allowedOrigins", FieldRules.TooMany, "10"),
                ("$.allowedAddresses", FieldRules.TooMany, "20"),
            },
            invalid.Errors.Select(error => (error.Field, error.Code, error.Arguments?.Values.Single() ?? "")));
        Assert.Equal("730日より先の日時は指定できません。", FieldRules.Message(invalid.Errors[1], english: false));
        Assert.Equal("The time cannot be more than 730 days ahead.", FieldRules.Message(invalid.Errors[1], english: true));
    }

    [Fact]
    public async Task AKeyMayExpireExactlyAtTheMaximumLifetime()
    {
        await using var host = await StartAsync();

        var issued = await IssueAsync(host, expiresAt: Now.AddDays(730));

        Assert.Equal(Now.AddDays(730), issued.Info.ExpiresAt);
    }

    private static async Task<TestHost> StartAsync()
    {
        var host = await TestHost.StartAsync(clock: new FakeTimeProvider(Now));
        await host.SaveDemoAgenciesAsync();
        return host;
    }

    private static SubmissionKeyService Service(TestHost host) => host.Get<SubmissionKeyService>();

    private static TableClient Table(TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(SubmissionKeyStore.TableName));

    private static async Task<IssuedSubmissionKey> IssueAsync(
        TestHost host,
        string agencyId = School,
        string label = Label,
        DateTimeOffset? expiresAt = null,
        string[]? origins = null,
        string[]? addresses = null)
    {
        var outcome = await Service(host).IssueAsync(agencyId, label, expiresAt, origins ?? [], addresses ?? [], Admin, None);
        return Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(outcome).Value;
    }

    private static async Task<IReadOnlyList<SubmissionKeyInfo>> ListAsync(TestHost host, string agencyId)
        => Assert.IsType<SubmissionKeyOutcome<IReadOnlyList<SubmissionKeyInfo>>.Done>(await Service(host).ListAsync(agencyId, None)).Value;

    /// <summary>Records compare lists by reference; keys compare by every field, lists by content.</summary>
    private sealed class InfoComparer : IEqualityComparer<SubmissionKeyInfo>
    {
        private static readonly string[] NoList = [];

        public bool Equals(SubmissionKeyInfo? x, SubmissionKeyInfo? y)
            => x is not null && y is not null
                && x with { AllowedOrigins = NoList, AllowedAddresses = NoList } == y with { AllowedOrigins = NoList, AllowedAddresses = NoList }
                && x.AllowedOrigins.SequenceEqual(y.AllowedOrigins) && x.AllowedAddresses.SequenceEqual(y.AllowedAddresses);

        public int GetHashCode(SubmissionKeyInfo obj) => obj.KeyId.GetHashCode(StringComparison.Ordinal);
    }
}
