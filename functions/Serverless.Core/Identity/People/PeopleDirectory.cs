using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Identity.People;

/// <summary>
/// People and their memberships, one partition per person: sign-in reads a person's profile and every
/// membership with one query. A council has hundreds of people, so the admin lists read the table whole.
/// </summary>
public sealed class PeopleDirectory(StorageClients clients, StorageNames names)
{
    public const string TableName = "People";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>The person and all their memberships (ended ones too), or null profile when unknown.</summary>
    public async Task<(PersonProfile? Profile, IReadOnlyList<Membership> Memberships)> FindAsync(string personId, CancellationToken cancellationToken)
    {
        if (!PersonIds.IsValid(personId))
        {
            return (null, []);
        }

        PersonProfile? profile = null;
        var memberships = new List<Membership>();
        await foreach (var row in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == personId, cancellationToken: cancellationToken))
        {
            if (row.RowKey == PersonEntity.Row)
            {
                profile = ToProfile(row);
            }
            else if (row.RowKey.StartsWith(MembershipEntity.RowPrefix, StringComparison.Ordinal))
            {
                memberships.Add(ToMembership(row));
            }
        }

        return (profile, memberships);
    }

    /// <summary>Registers a person, or renames one already registered (the id follows from issuer and subject).
    /// Merged, so the pinned first sign-in (<see cref="PinSignInAsync"/>) stays as it is.</summary>
    public async Task SaveProfileAsync(PersonProfile profile, CancellationToken cancellationToken)
    {
        var entity = new PersonEntity
        {
            PartitionKey = profile.PersonId,
            IssuerName = profile.IssuerName,
            Subject = profile.Subject,
            DisplayName = profile.DisplayName,
            RegisteredAt = profile.RegisteredAt,
            RegisteredBy = profile.RegisteredBy,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>
    /// Pins <paramref name="candidate"/> as the person's first sign-in unless one is pinned already, with the
    /// profile's ETag (If-Match): of two first sign-ins at once, one pins and the other reads what it pinned.
    /// Returns the pin now in place (the candidate or an earlier one), or null when the person has no profile.
    /// </summary>
    public async Task<PinnedSignIn?> PinSignInAsync(string personId, PinnedSignIn candidate, CancellationToken cancellationToken)
    {
        if (!PersonIds.IsValid(personId))
        {
            return null;
        }

        while (true)
        {
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(personId, PersonEntity.Row, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return null;
            }

            if (Pinned(row.Value!) is { } existing)
            {
                return existing;
            }

            var pin = new TableEntity(personId, PersonEntity.Row)
            {
                [PersonEntity.SignInIssuerColumn] = candidate.Issuer,
                [PersonEntity.SignInTenantIdColumn] = candidate.TenantId ?? "",
                [PersonEntity.SignInPinnedAtColumn] = candidate.PinnedAt,
            };
            try
            {
                await Table.UpdateEntityAsync(pin, row.Value!.ETag, TableUpdateMode.Merge, cancellationToken);
                return candidate;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Changed (another first sign-in, a rename) or removed meanwhile: read again.
            }
        }
    }

    public async Task GrantAsync(Membership membership, CancellationToken cancellationToken)
        => await Table.AddEntityAsync(ToEntity(membership), cancellationToken);

    /// <summary>Sets a membership's last day, and drops any proposal to end it. Returns false when it changed meanwhile
    /// (read again and retry): of two confirmations at once, one ends it.</summary>
    public Task<bool> EndAsync(Membership membership, DateOnly lastDay, string endedBy, ETag etag, CancellationToken cancellationToken)
        => ReplaceAsync(membership with { ValidTo = lastDay, EndedBy = endedBy, PendingEnd = null }, etag, cancellationToken);

    /// <summary>Records a proposal to end the membership (replacing an earlier one). False when it changed meanwhile.</summary>
    public Task<bool> ProposeEndAsync(Membership membership, PendingEnd pending, ETag etag, CancellationToken cancellationToken)
        => ReplaceAsync(membership with { PendingEnd = pending }, etag, cancellationToken);

    private async Task<bool> ReplaceAsync(Membership membership, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(membership), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    private static MembershipEntity ToEntity(Membership membership)
        => new()
        {
            PartitionKey = membership.PersonId,
            RowKey = MembershipEntity.RowPrefix + membership.MembershipId,
            AgencyId = membership.AgencyId,
            Role = membership.Role.ToString(),
            ValidFrom = Format(membership.ValidFrom),
            ValidTo = membership.ValidTo is { } to ? Format(to) : null,
            MayBreakGlass = membership.MayBreakGlass,
            GrantedBy = membership.GrantedBy,
            GrantedAt = membership.GrantedAt,
            EndedBy = membership.EndedBy,
            PendingEndProposedBy = membership.PendingEnd?.ProposedBy,
            PendingEndProposedAt = membership.PendingEnd?.ProposedAt,
            PendingEndLastDay = membership.PendingEnd is { } pending ? Format(pending.LastDay) : null,
        };

    /// <summary>One membership with the ETag to end it by, or null.</summary>
    public async Task<(Membership Membership, ETag ETag)?> FindMembershipAsync(string personId, string membershipId, CancellationToken cancellationToken)
    {
        if (!PersonIds.IsValid(personId) || !MembershipIds.IsValid(membershipId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(personId, MembershipEntity.RowPrefix + membershipId, cancellationToken: cancellationToken);
        return row.HasValue ? (ToMembership(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Every person with their memberships (the whole table: a council has hundreds of people).</summary>
    public async Task<IReadOnlyList<(PersonProfile Profile, IReadOnlyList<Membership> Memberships)>> AllAsync(CancellationToken cancellationToken)
    {
        var profiles = new Dictionary<string, PersonProfile>(StringComparer.Ordinal);
        var memberships = new Dictionary<string, List<Membership>>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.RowKey == PersonEntity.Row)
            {
                profiles[row.PartitionKey] = ToProfile(row);
            }
            else if (row.RowKey.StartsWith(MembershipEntity.RowPrefix, StringComparison.Ordinal))
            {
                (memberships.TryGetValue(row.PartitionKey, out var list) ? list : memberships[row.PartitionKey] = []).Add(ToMembership(row));
            }
        }

        return profiles.Values
            .Select(profile => (profile, (IReadOnlyList<Membership>)(memberships.TryGetValue(profile.PersonId, out var list) ? list : [])))
            .ToList();
    }

    /// <summary>The people holding a coordinator membership on <paramref name="day"/> (one filtered query).</summary>
    public async Task<IReadOnlyList<string>> CoordinatorsOnAsync(DateOnly day, CancellationToken cancellationToken)
        => [.. (await CoordinatorMembershipsOnAsync(day, cancellationToken)).Select(membership => membership.PersonId).Distinct(StringComparer.Ordinal)];

    /// <summary>The coordinator memberships running on <paramref name="day"/>, with their agencies (one filtered query).</summary>
    public async Task<IReadOnlyList<Membership>> CoordinatorMembershipsOnAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var role = nameof(CallerRole.Coordinator);
        var memberships = new List<Membership>();
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Role eq {role}"), cancellationToken: cancellationToken))
        {
            var membership = ToMembership(row);
            if (membership.IsActiveOn(day))
            {
                memberships.Add(membership);
            }
        }

        return memberships;
    }

    private static PersonProfile ToProfile(TableEntity row)
        => new(
            row.PartitionKey,
            row.GetString(nameof(PersonEntity.IssuerName)),
            row.GetString(nameof(PersonEntity.Subject)),
            row.GetString(nameof(PersonEntity.DisplayName)),
            row.GetDateTimeOffset(nameof(PersonEntity.RegisteredAt)) ?? default,
            row.GetString(nameof(PersonEntity.RegisteredBy)))
        {
            SignIn = Pinned(row),
        };

    private static PinnedSignIn? Pinned(TableEntity row)
        => row.GetString(PersonEntity.SignInIssuerColumn) is { Length: > 0 } issuer
            ? new PinnedSignIn(
                issuer,
                row.GetString(PersonEntity.SignInTenantIdColumn) is { Length: > 0 } tenant ? tenant : null,
                row.GetDateTimeOffset(PersonEntity.SignInPinnedAtColumn) ?? default)
            : null;

    private static Membership ToMembership(TableEntity row)
        => new(
            row.RowKey[MembershipEntity.RowPrefix.Length..],
            row.PartitionKey,
            row.GetString(nameof(MembershipEntity.AgencyId)),
            Enum.Parse<CallerRole>(row.GetString(nameof(MembershipEntity.Role))),
            Parse(row.GetString(nameof(MembershipEntity.ValidFrom))),
            row.GetString(nameof(MembershipEntity.ValidTo)) is { } to ? Parse(to) : null,
            row.GetBoolean(nameof(MembershipEntity.MayBreakGlass)) ?? false,
            row.GetString(nameof(MembershipEntity.GrantedBy)),
            row.GetDateTimeOffset(nameof(MembershipEntity.GrantedAt)) ?? default,
            row.GetString(nameof(MembershipEntity.EndedBy)),
            row.GetString(nameof(MembershipEntity.PendingEndProposedBy)) is { } proposedBy && row.GetString(nameof(MembershipEntity.PendingEndLastDay)) is { } proposedLastDay
                ? new PendingEnd(proposedBy, row.GetDateTimeOffset(nameof(MembershipEntity.PendingEndProposedAt)) ?? default, Parse(proposedLastDay))
                : null);

    private static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
