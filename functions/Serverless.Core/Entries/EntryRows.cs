using System.Text.Json;
using Serverless.Cases;

namespace Serverless.Entries;

/// <summary>Maps <see cref="StoredEntry"/> to its table rows and back (JSON as the API writes it).</summary>
public static class EntryRows
{
    /// <summary>The timeline head of <paramref name="entry"/>.</summary>
    public static EntryEntity Head(StoredEntry entry)
    {
        var row = Row(entry);
        row.RowKey = EntryEntity.TimelineRowKey(entry.ReceivedAt, entry.EntryId);
        return row;
    }

    /// <summary>The version row of <paramref name="entry"/> (its <see cref="StoredEntry.Version"/>), pointing at the head.</summary>
    public static EntryEntity VersionOf(StoredEntry entry)
    {
        var row = Row(entry);
        row.RowKey = EntryEntity.VersionRowKey(entry.EntryId, entry.Version);
        row.TimelineRow = EntryEntity.TimelineRowKey(entry.ReceivedAt, entry.EntryId);
        return row;
    }

    public static StoredEntry From(EntryEntity row)
    {
        var type = Parse<EntryType>(row.Type);
        var details = row.Details is null ? new Stored() : JsonSerializer.Deserialize<Stored>(row.Details, CaseJson.Options) ?? new Stored();
        var scope = new EntryScope(Parse<EntryAudience>(row.Audience), row.ScopeAgencyIds is { Length: > 0 } ids ? ids.Split(',') : []);
        var redaction = row.RedactedAt is { } at ? new Redaction(row.RedactedBy ?? "", at, row.RedactionReason ?? "") : null;
        return new StoredEntry(
            row.PartitionKey,
            row.EntryId,
            type,
            row.ReceivedAt,
            row.ObservedAt,
            new EntryAuthor(row.AuthorKind, row.AuthorId, row.AuthorAgencyId, details.SubmittedBy),
            scope,
            row.Version,
            row.Text,
            details.Report,
            details.Comment,
            details.CaseChange,
            redaction)
        {
            VersionReason = row.VersionReason,
            VersionAt = row.VersionAt,
            VersionBy = row.VersionBy,
            Referral = details.Referral,
            Sighting = details.Sighting,
            AttendanceAlert = details.AttendanceAlert,
            Review = details.Review,
            Transferred = details.Transferred,
            FileIds = details.Files,
            TimelineRow = row.TimelineRow ?? (row.RowKey.StartsWith(EntryEntity.TimelinePrefix, StringComparison.Ordinal) ? row.RowKey : null),
            ETag = row.ETag,
        };
    }

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => JsonSerializer.Serialize(value, CaseJson.Options).Trim('"');

    private static EntryEntity Row(StoredEntry entry) => new()
    {
        PartitionKey = entry.CaseId,
        EntryId = entry.EntryId,
        Type = Name(entry.Type),
        ReceivedAt = entry.ReceivedAt,
        ObservedAt = entry.ObservedAt,
        AuthorKind = entry.Author.Kind,
        AuthorId = entry.Author.Id,
        AuthorAgencyId = entry.Author.AgencyId,
        Audience = Name(entry.Scope.Audience),
        ScopeAgencyIds = entry.Scope.AgencyIds.Count == 0 ? null : string.Join(',', entry.Scope.AgencyIds),
        Version = entry.Version,
        Text = entry.Text,
        Details = JsonSerializer.Serialize(new Stored(entry.Report, entry.Comment, entry.CaseChange, entry.Author.SubmittedBy, entry.Referral, entry.Sighting, entry.FileIds is { Count: > 0 } files ? files : null, entry.AttendanceAlert, entry.Review, entry.Transferred), CaseJson.Options),
        VersionReason = entry.VersionReason,
        VersionAt = entry.VersionAt,
        VersionBy = entry.VersionBy,
        RedactedBy = entry.Redaction?.By,
        RedactedAt = entry.Redaction?.At,
        RedactionReason = entry.Redaction?.Reason,
        ETag = entry.ETag,
    };

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum
        => JsonSerializer.Deserialize<TEnum>("\"" + name + "\"", CaseJson.Options);

    /// <summary>What <see cref="EntryEntity.Details"/> holds.</summary>
    private sealed record Stored(ReportDetails? Report = null, CommentDetails? Comment = null, CaseChangeDetails? CaseChange = null, SubmitterInput? SubmittedBy = null, ReferralEntryDetails? Referral = null, SightingDetails? Sighting = null, IReadOnlyList<string>? Files = null, AttendanceAlertDetails? AttendanceAlert = null, ReviewDetails? Review = null, TransferredDetails? Transferred = null);
}
