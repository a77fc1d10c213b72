using Serverless.Infra.Tests.Bicep;

namespace Serverless.Infra.Tests;

/// <summary>Every Bicep file builds and lints with zero diagnostics: a warning fails CI like an error.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class LintTests(CompiledTemplate template)
{
    public static TheoryData<string> BicepFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.Infra, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/'));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void BicepFileLintsWithoutAnyDiagnostic(string file)
    {
        var lint = BicepCli.Run("lint", file);
        var diagnostics = (lint.StandardError + lint.StandardOutput).Trim();

        Assert.True(lint.ExitCode == 0 && diagnostics.Length == 0, $"bicep lint {file} (exit code {lint.ExitCode}):\n{diagnostics}");
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void BicepFileIsFormattedAsTheCliFormatsIt(string file)
    {
        var format = BicepCli.Run("format", file, "--stdout");

        Assert.True(format.ExitCode == 0, $"bicep format {file}: {format}");
        Assert.True(
            format.StandardOutput.ReplaceLineEndings() == File.ReadAllText(Path.Combine(RepositoryRoot.Path, file)).ReplaceLineEndings(),
            $"{file} is not formatted: run `bicep format {file}`.");
    }

    [Fact]
    public void MainTemplateBuildsWithoutAnyDiagnostic()
    {
        var diagnostics = template.Build.StandardError.Trim();

        Assert.True(template.Build.ExitCode == 0 && diagnostics.Length == 0, $"bicep build infra/main.bicep (exit code {template.Build.ExitCode}):\n{diagnostics}");
    }

    [Fact]
    public void EveryModuleFileIsUsedByTheMainTemplate()
    {
        var main = File.ReadAllText(Path.Combine(RepositoryRoot.Infra, "main.bicep"));
        var modules = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Infra, "modules"), "*.bicep").Select(Path.GetFileName).ToList();

        Assert.NotEmpty(modules);
        Assert.All(modules, module => Assert.Contains($"'modules/{module}'", main, StringComparison.Ordinal));
    }

    // Guards the two tests above: if the CLI or the configuration silently stopped reporting, an
    // empty output would look like a clean template.
    [Fact]
    public void LinterWithTheProjectConfigurationReportsAHardcodedRegion()
    {
        var folder = Directory.CreateTempSubdirectory("infra-lint-");
        try
        {
            var file = Path.Combine(folder.FullName, "hardcoded.bicep");
            File.WriteAllText(file, """
                resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
                  name: 'id-example'
                  location: 'westus'
                }
                """);

            var lint = BicepCli.Run("lint", file, "--config", Path.Combine(RepositoryRoot.Infra, "bicepconfig.json"));

            Assert.Contains("no-hardcoded-location", lint.StandardError, StringComparison.Ordinal);
            Assert.Contains("Error", lint.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
