namespace Serverless.Dev;

/// <summary>The programs this tool runs, named the way each platform can start them without a shell.</summary>
internal static class ExternalTools
{
    /// <summary>The dotnet that runs this tool when the SDK says so (a side-by-side install), else the one on PATH.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>npm is a batch file on Windows, and starting a process without a shell does not try the .cmd extension.</summary>
    public static string Npm { get; } = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>Node runs Azurite's entry script directly: portable, and no .cmd wrapper sits between this tool and Azurite.</summary>
    public static string Node { get; } = "node";
}
