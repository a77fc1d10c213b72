using System.Text.Json;
using Serverless.Cases.Disposal;

namespace Serverless.Ops.Disposal;

/// <summary>
/// The disposal register next to the backups (<c>disposal-register.jsonl</c>, one JSON line per disposed case: ids,
/// dates and the rule reference, nothing about the child). Backups are offline files the app cannot edit; a
/// restore reads this file and deletes every case in it again before it reports success.
/// </summary>
internal static class DisposalRegisterFile
{
    public const string FileName = "disposal-register.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static async Task<IReadOnlyList<DisposalRegisterEntry>> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<DisposalRegisterEntry>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            if (line.Trim().Length > 0)
            {
                entries.Add(JsonSerializer.Deserialize<DisposalRegisterEntry>(line, Json) ?? throw new InvalidDataException($"{path}: an empty line entry"));
            }
        }

        return entries;
    }

    /// <summary>
    /// The file and, beside it, the app's copies (<c>disposal-register/{caseId}.json</c>, one per case the app disposed
    /// of, downloaded from the backup container by <c>restore --from-container-url</c>): every case a restore must
    /// delete again.
    /// </summary>
    public static async Task<IReadOnlyList<DisposalRegisterEntry>> ReadAllAsync(string folder, CancellationToken cancellationToken)
    {
        var entries = new List<DisposalRegisterEntry>(await ReadAsync(folder, cancellationToken));
        var copies = Path.Combine(folder, DisposalRegisterCopy.Prefix.TrimEnd('/'));
        if (Directory.Exists(copies))
        {
            foreach (var path in Directory.EnumerateFiles(copies, "*.json").Order(StringComparer.Ordinal))
            {
                var entry = DisposalRegisterCopy.Deserialize(BinaryData.FromBytes(await File.ReadAllBytesAsync(path, cancellationToken)), path);
                if (entry.CaseId + ".json" != Path.GetFileName(path))
                {
                    throw new InvalidDataException($"{path} holds the register line of another case ({entry.CaseId})");
                }

                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>Adds the entries the file lacks (it only ever grows), writing a new file and moving it into place.</summary>
    public static async Task MergeAsync(string folder, IEnumerable<DisposalRegisterEntry> entries, CancellationToken cancellationToken)
    {
        var existing = await ReadAsync(folder, cancellationToken);
        var known = existing.Select(entry => entry.CaseId).ToHashSet(StringComparer.Ordinal);
        var added = entries.Where(entry => known.Add(entry.CaseId)).ToList();
        if (added.Count == 0)
        {
            return;
        }

        var path = PathIn(folder);
        var temporary = path + ".tmp";
        await File.WriteAllLinesAsync(temporary, existing.Concat(added).Select(entry => JsonSerializer.Serialize(entry, Json)), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
