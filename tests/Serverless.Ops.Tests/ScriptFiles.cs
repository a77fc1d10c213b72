namespace Serverless.Ops.Tests;

internal static class ScriptFiles
{
    public static TheoryData<string> Matching(string pattern)
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Ops, pattern).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(file));
        }

        return files;
    }
}
