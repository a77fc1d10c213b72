namespace Serverless.Files;

/// <summary>A file's length and SHA-256 (lower-case hex), computed as its bytes passed.</summary>
public sealed record FileDigest(long Length, string Sha256);
