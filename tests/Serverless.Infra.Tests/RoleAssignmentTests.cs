using Serverless.Infra.Tests.Arm;

namespace Serverless.Infra.Tests;

/// <summary>The app's identity holds exactly the roles it needs; no person gets a data-plane role.</summary>
[Collection(CompiledTemplateCollection.Name)]
public sealed class RoleAssignmentTests(CompiledTemplate template)
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultCryptoUser = "12338af0-0e69-4776-bea7-57ae8d297424";

    private List<ArmResource> Assignments => template.Arm.OfType("Microsoft.Authorization/roleAssignments").ToList();

    [Fact]
    public void IdentityHoldsExactlyTheExpectedRolesOnTheExpectedResources()
    {
        var granted = Assignments.Select(assignment => (Role: RoleOf(assignment), ScopeType: ScopeTypeOf(assignment))).Order().ToList();

        (string, string)[] expected =
        [
            (BlobDataOwner, "Microsoft.Storage/storageAccounts"),
            // On the backup account only (see TheBackupAccountGetsBlobDataContributorAndNothingElse).
            (BlobDataContributor, "Microsoft.Storage/storageAccounts"),
            (QueueDataContributor, "Microsoft.Storage/storageAccounts"),
            (TableDataContributor, "Microsoft.Storage/storageAccounts"),
            (MonitoringMetricsPublisher, "Microsoft.Insights/components"),
            // Not a storage data-plane role: lets the Key Vault reference in the app settings resolve.
            (KeyVaultSecretsUser, "Microsoft.KeyVault/vaults"),
            // On the backup-manifest signing key only, not the vault: signs backups, reads no secret.
            (KeyVaultCryptoUser, "Microsoft.KeyVault/vaults/keys"),
            // On each transfer key, one assignment per key (sign with one, unwrapKey with the other: their keyOps).
            (KeyVaultCryptoUser, "Microsoft.KeyVault/vaults/keys"),
            (KeyVaultCryptoUser, "Microsoft.KeyVault/vaults/keys"),
        ];
        Assert.Equal(expected.Order(), granted);
    }

    [Fact]
    public void EachKeyAssignmentIsScopedToItsOwnKey()
    {
        var keyScopes = Assignments.Where(assignment => ScopeTypeOf(assignment) == "Microsoft.KeyVault/vaults/keys").Select(assignment => assignment.Text("scope")!).ToList();

        Assert.Equal(3, keyScopes.Distinct(StringComparer.Ordinal).Count());
        Assert.Single(keyScopes, scope => scope.Contains("transferSigningKeyName", StringComparison.Ordinal) || scope.Contains("'transfer-signing'", StringComparison.Ordinal));
        Assert.Single(keyScopes, scope => scope.Contains("transferDecryptionKeyName", StringComparison.Ordinal) || scope.Contains("'transfer-decryption'", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBackupAccountGetsBlobDataContributorAndNothingElse()
    {
        var backupAccount = template.BackupStorageAccount.Text("name");
        var appAccount = template.StorageAccount.Text("name");
        var storageAssignments = Assignments.Where(assignment => ScopeTypeOf(assignment) == "Microsoft.Storage/storageAccounts").ToList();

        var onBackup = Assert.Single(storageAssignments, assignment => AccountNameIn(assignment.Text("scope")!) == backupAccount);
        Assert.Equal(BlobDataContributor, RoleOf(onBackup));
        Assert.Equal(
            new[] { BlobDataOwner, QueueDataContributor, TableDataContributor }.Order(StringComparer.Ordinal),
            storageAssignments.Where(assignment => AccountNameIn(assignment.Text("scope")!) == appAccount).Select(RoleOf).Order(StringComparer.Ordinal));
        Assert.NotEqual(appAccount, backupAccount);
    }

    [Fact]
    public void EveryRoleAssignmentIsForTheAppIdentityAsAServicePrincipal()
    {
        var identityName = template.IdentityModule.ModuleParameter("name")!.GetValue<string>();

        Assert.All(Assignments, assignment =>
        {
            Assert.Equal("ServicePrincipal", assignment.Text("properties.principalType"));
            Assert.Equal(
                $"[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', {identityName[1..^1]}), '2023-01-31').principalId]",
                assignment.Text("properties.principalId"));
        });
    }

    [Fact]
    public void NoParameterCanAddAnotherPrincipal()
    {
        var parameters = template.Arm.Root["parameters"]!.AsObject().Select(pair => pair.Key);

        Assert.DoesNotContain(parameters, name => name.Contains("principal", StringComparison.OrdinalIgnoreCase)
            || name.Contains("user", StringComparison.OrdinalIgnoreCase)
            || name.Contains("group", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void RoleAssignmentNamesAreScopeIdentityAndRole()
    {
        Assert.All(Assignments, assignment =>
        {
            var name = assignment.Text("name")!;
            Assert.StartsWith($"[guid({assignment.Text("scope")![1..^1]}, resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', ", name, StringComparison.Ordinal);
            Assert.EndsWith($", '{RoleOf(assignment)}')]", name, StringComparison.Ordinal);
        });
    }

    private static string RoleOf(ArmResource assignment)
    {
        const string prefix = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '";
        var roleDefinitionId = assignment.Text("properties.roleDefinitionId")!;
        Assert.StartsWith(prefix, roleDefinitionId, StringComparison.Ordinal);
        return roleDefinitionId[prefix.Length..^3];
    }

    // "[resourceId('Microsoft.Storage/storageAccounts', NAME)]" -> "[NAME]", comparable with an account's resolved name.
    private static string AccountNameIn(string scope)
    {
        const string prefix = "[resourceId('Microsoft.Storage/storageAccounts', ";
        return $"[{scope[prefix.Length..^2]}]";
    }

    private static string ScopeTypeOf(ArmResource assignment)
    {
        const string prefix = "[resourceId('";
        var scope = assignment.Text("scope")!;
        Assert.StartsWith(prefix, scope, StringComparison.Ordinal);
        return scope[prefix.Length..scope.IndexOf('\'', prefix.Length)];
    }
}
