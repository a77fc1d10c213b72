namespace Serverless.Functions.Contracts;

/// <summary>The OpenAPI document as committed (<c>Contracts/openapi.json</c>, embedded at build).</summary>
public static class CheckedInOpenApi
{
    public const string ResourceName = "openapi.json";

    public static string Text { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(CheckedInOpenApi).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded; build from the repository so Contracts/openapi.json is included.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
