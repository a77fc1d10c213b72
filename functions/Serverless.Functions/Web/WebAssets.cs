using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Serverless.Functions.Web;

/// <summary>
/// The web app's files (Web/web/, embedded in this assembly, so they travel in the deployment package and the local host
/// serves the very same bytes). Every file but index.html is served under <c>/app/v/{version}/</c>, where the version is a
/// hash of all their contents: a new deploy changes the path, so those may be cached for a year. index.html is rendered
/// once with that version and the settings (meta tags, never inline script) and is never cached.
/// </summary>
public sealed class WebAssets
{
    private const string ResourcePrefix = "web/";

    private readonly Dictionary<string, WebAsset> _files;

    public WebAssets(IOptions<WebAppOptions> options)
        : this(Read(typeof(WebAssets).Assembly), options.Value)
    {
    }

    private WebAssets(Dictionary<string, byte[]> files, WebAppOptions options)
    {
        var index = files["index.html"];
        var assets = files.Where(file => file.Key != "index.html").OrderBy(file => file.Key, StringComparer.Ordinal).ToList();
        using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            foreach (var (path, content) in assets)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
                hash.AppendData(content);
            }

            Version = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
        }

        _files = assets.ToDictionary(file => file.Key, file => Describe(file.Key, file.Value), StringComparer.Ordinal);
        var html = Encoding.UTF8.GetString(index)
            .Replace("{{version}}", Version, StringComparison.Ordinal)
            .Replace("{{idleTimeoutMinutes}}", options.IdleTimeoutMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{signIn}}", options.SignIn == "development" ? "development" : "entra", StringComparison.Ordinal)
            .Replace("{{entraClientId}}", Attribute(options.Entra.ClientId ?? ""), StringComparison.Ordinal)
            .Replace("{{entraScope}}", Attribute(options.Entra.Scope ?? ""), StringComparison.Ordinal)
            .Replace("{{entraAuthorities}}", Attribute(JsonSerializer.Serialize(options.Entra.Authorities.Select(item => new { authority = item.Authority, displayName = item.DisplayName }))), StringComparison.Ordinal);
        ContentSecurityPolicy = WebAssetResult.ContentSecurityPolicyFor(options.SignIn == "development" || !options.Entra.IsConfigured
            ? []
            : options.Entra.Authorities.Select(item => new Uri(item.Authority).GetLeftPart(UriPartial.Authority)));
        Index = Describe("index.html", Encoding.UTF8.GetBytes(html));
    }

    /// <summary>The page's Content-Security-Policy: <see cref="WebAssetResult.ContentSecurityPolicy"/>, with the origins of the
    /// configured Entra authorities added to <c>connect-src</c> (MSAL fetches their metadata and redeems the code there).</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>The hash in the assets' path.</summary>
    public string Version { get; }

    public WebAsset Index { get; }

    public IReadOnlyCollection<WebAsset> Files => _files.Values;

    public WebAsset? Find(string path) => _files.GetValueOrDefault(path);

    private static string Attribute(string value) => System.Net.WebUtility.HtmlEncode(value);

    private static Dictionary<string, byte[]> Read(Assembly assembly)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[ResourcePrefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files;
    }

    private static WebAsset Describe(string path, byte[] content)
        => new(path, ContentTypeOf(path), content, Compress(content, stream => new BrotliStream(stream, CompressionLevel.SmallestSize)), Compress(content, stream => new GZipStream(stream, CompressionLevel.SmallestSize)));

    private static byte[] Compress(byte[] content, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressing = compressor(output))
        {
            compressing.Write(content);
        }

        return output.ToArray();
    }

    private static string ContentTypeOf(string path) => System.IO.Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".json" => "application/json; charset=utf-8",
        _ => "application/octet-stream",
    };
}
