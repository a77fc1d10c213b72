namespace Serverless.Dev;

/// <summary>This tool's own lines, prefixed so they stand out among Azurite's, the host's and dotnet test's output.</summary>
internal static class Log
{
    public static void Info(string message) => Console.Out.WriteLine($"dev: {message}");

    public static void Error(string message) => Console.Error.WriteLine($"dev: error: {message}");
}
