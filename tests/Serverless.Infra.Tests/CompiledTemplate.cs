using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serverless.Infra.Tests.Arm;
using Serverless.Infra.Tests.Bicep;

namespace Serverless.Infra.Tests;

/// <summary>infra/main.bicep compiled once, with its modules, by the Bicep CLI; shared by every test class.</summary>
public sealed class CompiledTemplate
{
    private readonly Lazy<BicepResult> build = new(() => BicepCli.Run("build", Path.Combine("infra", "main.bicep"), "--stdout"));

    private readonly Lazy<ArmTemplate> arm;

    public CompiledTemplate()
    {
        // Built on first use, so the lint tests still run (and say what is wrong) when the build fails.
        arm = new(() => Build.ExitCode == 0
            ? ArmTemplate.Parse(Build.StandardOutput)
            : throw new InvalidOperationException($"bicep build infra/main.bicep failed: {Build}"));
    }

    /// <summary>The build itself; its diagnostics (standard error) must be empty.</summary>
    public BicepResult Build => build.Value;

    public ArmTemplate Arm => arm.Value;

    /// <summary>The compiled JSON as the CLI wrote it, for "this never appears anywhere" checks.</summary>
    public string Json => Arm is not null ? Build.StandardOutput : "";

    // Shorthands for the resources most tests look at.
    public ArmResource StorageAccount => SingleIn("storage", "Microsoft.Storage/storageAccounts");

    /// <summary>The separate account the app's daily backup writes to.</summary>
    public ArmResource BackupStorageAccount => SingleIn("backupStorage", "Microsoft.Storage/storageAccounts");

    public ArmResource FunctionApp => Arm.Single("Microsoft.Web/sites");

    /// <summary>Resources of a type declared in one module (the <c>name:</c> of a Bicep <c>module</c>).</summary>
    public IEnumerable<ArmResource> In(string module, string type) =>
        Arm.OfType(type).Where(resource => resource.Scope.Deployment?.Json["name"]?.GetValue<string>() == module);

    /// <summary>The one resource of a type in a module; fails the test if there are none or several.</summary>
    public ArmResource SingleIn(string module, string type)
    {
        var matches = In(module, type).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected exactly one {type} in module {module}, found {matches.Count}.");
    }

    public ArmResource IdentityModule => Arm.Module("identity");

    /// <summary>The app settings, resolved (name → value text).</summary>
    public IReadOnlyDictionary<string, string?> AppSettings
    {
        get
        {
            var config = Arm.OfType("Microsoft.Web/sites/config").Single(resource => resource.Text("name")!.EndsWith("'appsettings')]", StringComparison.Ordinal));
            var settings = config.Value("properties") as JsonObject ?? [];
            return settings.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString(), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// A pattern for "the output <paramref name="output"/> of module <paramref name="module"/>" as
    /// the compiled template reads it at deployment time:
    /// <c>reference(resourceId('Microsoft.Resources/deployments', 'identity'), '...').outputs.clientId.value</c>.
    /// </summary>
    public static string OutputOf(string module, string output) =>
        $@"reference\(resourceId\('Microsoft\.Resources/deployments', '{Regex.Escape(module)}'\), '[0-9a-z-]+'\)\.outputs\.{Regex.Escape(output)}\.value";

    /// <summary>The same, as the whole value of a property.</summary>
    public static string WholeOutputOf(string module, string output) => $@"^\[{OutputOf(module, output)}\]$";
}

[CollectionDefinition(Name)]
public sealed class CompiledTemplateCollection : ICollectionFixture<CompiledTemplate>
{
    public const string Name = "Compiled template";
}
