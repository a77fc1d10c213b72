using System.CommandLine;

namespace Serverless.Ops.Audit;

/// <summary><c>audit</c>: the audit trail's seal chain: verify it, or seal now.</summary>
internal static class AuditCommand
{
    public static Command Create(StorageConnection connection, TextWriter output) => new(
        "audit",
        "The audit trail: verify the seal chain (edits, deletions, planted or moved entries, missing outcomes and index rows), or seal now.")
    {
        VerifyCommand.Create(connection, output),
        SealCommand.Create(connection, output),
    };
}
