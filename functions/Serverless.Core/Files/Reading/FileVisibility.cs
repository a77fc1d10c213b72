using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;

namespace Serverless.Files.Reading;

/// <summary>
/// Who sees a file, by the rule entries already have (<see cref="CaseAccess.CanSeeEntry"/>): an attached file is seen
/// exactly by those who see its entry (its newest version); a file attached to nothing yet is treated as an entry of
/// its uploader's agency seen by coordinators only, so its uploader's agency and the coordinators see it.
/// </summary>
public static class FileVisibility
{
    private static readonly EntryScope Unattached = new(EntryAudience.CoordinatorsOnly, []);

    /// <param name="entry">The newest version of the entry the file is attached to (null when it is attached to none).</param>
    public static bool Sees(Caller caller, OpenCase open, StoredFile file, StoredEntry? entry)
        => entry is not null
            ? EntryVisibility.Sees(caller, open, entry)
            : file.EntryId is null && CaseAccess.CanSeeEntry(caller, Unattached, file.Uploader.AgencyId, open.BreakGlass, open.Record.LeadAgencyId);

    public static FileView View(Caller caller, StoredFile file, ProblemLanguage language) => new(
        file.FileId,
        file.State,
        file.Name,
        JapanTime.ToJapan(file.UploadedAt),
        file.Uploader.Kind == EntryAuthor.Key
            ? new EntryAuthorView("form", file.Uploader.AgencyId, KeyId: caller.IsCoordinator ? file.Uploader.Id : null)
            : new EntryAuthorView(EntryAuthor.Person, file.Uploader.AgencyId, PersonId: file.Uploader.Id),
        file.EntryId,
        file.Validated?.Type.ContentType,
        file.Validated?.Stored.Length,
        file.Validated?.Received.Length ?? file.ReceivedLength,
        file.Validated is { } validated ? new FileDigestsView(validated.Received.Sha256, validated.Stored.Sha256) : null,
        file.Validated is { Removed.Count: > 0 } cleaned ? cleaned.Removed : null,
        file.Validated is { Type.IsPhoto: true } photo ? photo.Thumbnail : null,
        file.Validated is { } ready ? FileNames.ForDownload(file.Name, ready.Type) : null,
        Rejection(file, language));

    public static FileReceipt Receipt(StoredFile file, ProblemLanguage language)
        => new(file.FileId, file.State, JapanTime.ToJapan(file.UploadedAt), Rejection(file, language));

    private static FileRejectionView? Rejection(StoredFile file, ProblemLanguage language)
        => file.Rejection is { } rejection ? new FileRejectionView(rejection.Reason, rejection.Message(language)) : null;
}
