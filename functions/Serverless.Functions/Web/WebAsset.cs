namespace Serverless.Functions.Web;

/// <summary>One file of the web app as it is served: its bytes, and the same compressed once when the app starts.</summary>
public sealed record WebAsset(string Path, string ContentType, byte[] Content, byte[] Brotli, byte[] Gzip);
