namespace Serverless.Files;

/// <summary>What cleaning took out of a photo: <see cref="PhotoMetadata"/> names, in order.</summary>
public sealed record PhotoCleaning(IReadOnlyList<string> Removed);
