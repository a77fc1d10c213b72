namespace Serverless.Audit;

/// <summary>The audit entry could not be written. Callers fail closed: they answer an error and touch no data.</summary>
public sealed class AuditUnavailableException(string message, Exception innerException) : Exception(message, innerException);
