using Azure;

namespace Serverless.OnCall;

/// <summary>The schedule as read from storage: its version, who saved it when, and the storage ETag for the next save.</summary>
public sealed record StoredOnCall(OnCallSchedule Schedule, long Version, DateTimeOffset UpdatedAt, string UpdatedBy, ETag StorageETag);
