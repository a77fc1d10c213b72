namespace Serverless.Dev;

/// <summary>An expected failure (a missing tool, a busy port): printed as one message, without a stack trace.</summary>
internal class DevException(string message) : Exception(message);
