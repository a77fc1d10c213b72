using System.Net;
using System.Text.RegularExpressions;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Audit;

/// <summary>
/// Keeps personal data out of audit entries. A case id or entry id comes from the request's URL or body and
/// may be anything a caller typed (a child's name, say), so only values of the expected shape are stored;
/// the field's name is noted instead (<see cref="AuditEntryEntity.RejectedFields"/>). The client address
/// is kept only if it is an IP address.
/// </summary>
internal static partial class AuditFieldFilter
{
    /// <summary>A table string holds 32K characters: 65 per hash leaves room for this many (a case lists at most
    /// 1,000 files; a package carrying more is noted as a rejected field and its hashes are in the package itself).</summary>
    public const int MaxFileHashes = 480;

    public static string? CaseId(string? value, string field, List<string> rejected)
        => Keep(value, CaseIds.IsValid(value), field, rejected);

    /// <summary>Ids the app itself issues (person, agency, key prefix, role, entry and request ids): printable ASCII without spaces.</summary>
    public static string? OpaqueId(string? value, string field, List<string> rejected)
        => Keep(value, value is not null && OpaqueIdShape().IsMatch(value), field, rejected);

    /// <summary>Each target id only when it has its kind's shape: an admin route or body may carry anything a caller typed.</summary>
    public static void Target(AuditTarget? target, AuditEntryEntity entity, List<string> rejected)
    {
        if (target is null)
        {
            return;
        }

        entity.TargetPersonId = Keep(target.PersonId, PersonIds.IsValid(target.PersonId), nameof(AuditEntryEntity.TargetPersonId), rejected);
        entity.TargetMembershipId = Keep(target.MembershipId, MembershipIds.IsValid(target.MembershipId), nameof(AuditEntryEntity.TargetMembershipId), rejected);
        entity.TargetRole = Keep(target.Role, Enum.TryParse<CallerRole>(target.Role, ignoreCase: false, out var role) && role.ToString() == target.Role, nameof(AuditEntryEntity.TargetRole), rejected);
        entity.TargetAgencyId = Keep(target.AgencyId, AgencyIds.IsValid(target.AgencyId), nameof(AuditEntryEntity.TargetAgencyId), rejected);
        entity.TargetKeyId = Keep(target.KeyId, SubmissionKeyFormat.IsKeyId(target.KeyId), nameof(AuditEntryEntity.TargetKeyId), rejected);
        entity.TargetMeetingId = Keep(target.MeetingId, Council.MeetingIds.IsMeeting(target.MeetingId), nameof(AuditEntryEntity.TargetMeetingId), rejected);
        entity.TargetCopyNumber = target.CopyNumber is > 0 ? target.CopyNumber : null;
        entity.TargetMunicipalityCode = Keep(target.MunicipalityCode, Transfers.Partners.MunicipalityCode.IsValid(target.MunicipalityCode), nameof(AuditEntryEntity.TargetMunicipalityCode), rejected);
        entity.TargetMessageId = Keep(target.MessageId, Transfers.Envelope.TransferIds.IsMessageId(target.MessageId), nameof(AuditEntryEntity.TargetMessageId), rejected);
        entity.TargetFileHashes = target.FileHashes is null ? null : Keep(
            string.Join(',', target.FileHashes),
            target.FileHashes.Count <= MaxFileHashes && target.FileHashes.All(AuditHashing.IsHash),
            nameof(AuditEntryEntity.TargetFileHashes),
            rejected);
    }

    public static string? Address(string? value, string field, List<string> rejected)
        => Keep(value, value is not null && value.Length <= 64 && IPAddress.TryParse(value, out _), field, rejected);

    /// <summary>Actions are the constants of <see cref="AuditActions"/>; anything else is a programming error.</summary>
    public static string Action(string action)
        => action is not null && ActionShape().IsMatch(action) ? action : throw new ArgumentException("Audit actions are short lowercase codes from AuditActions.", nameof(action));

    private static string? Keep(string? value, bool valid, string field, List<string> rejected)
    {
        if (value is null)
        {
            return null;
        }

        if (valid)
        {
            return value;
        }

        rejected.Add(field);
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9._:@+=/-]{1,128}$")]
    private static partial Regex OpaqueIdShape();

    [GeneratedRegex("^[a-z][a-z0-9.-]{0,63}$")]
    private static partial Regex ActionShape();
}
