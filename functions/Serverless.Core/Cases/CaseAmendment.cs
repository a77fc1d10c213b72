using Serverless.Cases.Storage;

namespace Serverless.Cases;

/// <summary>
/// What a council review adds to an ordinary case update: <paramref name="Apply"/> sets the server-managed fields (the
/// last review) on the patched record, and <paramref name="Extras"/> gives the rows saved in the same batch as the new
/// version (given its number and the record saved): the review's timeline entry and its tasks.
/// </summary>
public sealed record CaseAmendment(Func<CaseRecord, CaseRecord> Apply, Func<long, CaseRecord, CaseVersionExtras> Extras);
