namespace Serverless.Ops;

/// <summary>A wrong setting found only once a command runs (the storage options); exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
