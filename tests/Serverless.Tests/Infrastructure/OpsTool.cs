using Serverless.Ops;

namespace Serverless.Tests.Infrastructure;

/// <summary><c>serverless-ops</c>, run in-process against the test Azurite, with its output captured.</summary>
internal static class OpsTool
{
    /// <param name="prefix">The instance's storage name prefix; null runs the command without storage options (e.g. <c>backup-key create</c>).</param>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string? prefix, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] storage = prefix is null ? [] : ["--connection-string", TestStorage.ConnectionString, "--name-prefix", prefix];
        var exitCode = await OpsApp.RunAsync([.. args, .. storage], output, error);
        return (exitCode, output.ToString(), error.ToString());
    }
}
