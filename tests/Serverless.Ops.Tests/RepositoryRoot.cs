namespace Serverless.Ops.Tests;

/// <summary>The repository's folders, found from the test binaries upwards (the folder with Serverless.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path => Serverless.Testing.RepositoryPaths.Root;

    public static string Ops => System.IO.Path.Combine(Path, "ops");

    public static string Script(string name) => System.IO.Path.Combine(Ops, name);
}
