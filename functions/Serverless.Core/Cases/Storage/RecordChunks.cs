namespace Serverless.Cases.Storage;

/// <summary>
/// A table string property holds at most 32 K UTF-16 characters, and a whole entity 1 MiB. A case
/// record's JSON is split over up to <see cref="Count"/> properties of at most <see cref="Size"/>
/// characters, never between the two halves of a surrogate pair (𠮷 would be corrupted).
/// </summary>
public static class RecordChunks
{
    public const int Size = 30_000;
    public const int Count = 8;

    /// <summary>The longest record JSON that always fits (one character per chunk is kept for a surrogate pair).</summary>
    public const int MaxLength = (Size - 1) * Count;

    public static string?[] Split(string json)
    {
        if (json.Length > MaxLength)
        {
            throw new InvalidOperationException($"A case record of {json.Length} characters exceeds the stored maximum of {MaxLength}.");
        }

        var chunks = new string?[Count];
        var start = 0;
        for (var i = 0; start < json.Length; i++)
        {
            var length = Math.Min(Size, json.Length - start);
            if (start + length < json.Length && char.IsHighSurrogate(json[start + length - 1]))
            {
                length--;
            }

            chunks[i] = json.Substring(start, length);
            start += length;
        }

        return chunks;
    }

    public static string Join(IEnumerable<string?> chunks) => string.Concat(chunks.Where(chunk => chunk is not null));
}
