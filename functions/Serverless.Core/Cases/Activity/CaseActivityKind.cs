namespace Serverless.Cases.Activity;

/// <summary>Things that happen on a case often, from many agencies, unlike edits of the record.</summary>
public enum CaseActivityKind
{
    Report,
    Comment,
    Attachment,
}
