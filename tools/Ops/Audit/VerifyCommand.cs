using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Audit;

namespace Serverless.Ops.Audit;

/// <summary>
/// <c>audit verify</c>: walks the seal chain and prints a summary and one line per finding (kind, seal,
/// entry id, detail: ids only). Exits <see cref="ExitCodes.Ok"/> when clean, <see cref="ExitCodes.AuditFindings"/>
/// when anything was found, so a scheduled check can tell tampering from a storage failure.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(StorageConnection connection, TextWriter output)
    {
        var command = new Command("verify", "Check the audit trail against its seals and their WORM copies; exit 3 on any finding.");
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var report = await services.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
            await WriteAsync(output, report);
            return report.Clean ? ExitCodes.Ok : ExitCodes.AuditFindings;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, AuditVerificationReport report)
    {
        await output.WriteLineAsync(
            $"Checked {Plural(report.Seals, "seal")} covering {Plural(report.SealedEntries, "entry", "entries")}, and {Plural(report.UnsealedEntries, "unsealed entry", "unsealed entries")}.");
        if (report.Clean)
        {
            await output.WriteLineAsync("No findings: the audit trail matches its seals.");
            return;
        }

        var counts = report.CountsByKind.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}");
        await output.WriteLineAsync($"{Plural(report.Findings.Count, "finding")}: {string.Join(", ", counts)}.");
        var rows = report.Findings
            .Select(finding => new[] { finding.Kind, finding.SealNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", finding.EntryId ?? "-", finding.Detail })
            .Prepend(["KIND", "SEAL", "ENTRY", "DETAIL"])
            .ToList();
        var widths = Enumerable.Range(0, 3).Select(column => rows.Max(row => row[column].Length)).ToArray();
        foreach (var row in rows)
        {
            await output.WriteLineAsync(string.Join("  ", row.Select((cell, column) => column < widths.Length ? cell.PadRight(widths[column]) : cell)));
        }
    }

    private static string Plural(long count, string one, string? many = null) => count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";
}
