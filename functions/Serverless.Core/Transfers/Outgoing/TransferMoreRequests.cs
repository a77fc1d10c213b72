using System.Text.Json;
using Serverless.Transfers.Answers;

namespace Serverless.Transfers.Outgoing;

/// <summary>The more-requests kept on an outgoing transfer's row (one JSON property: a table has no lists).</summary>
public static class TransferMoreRequests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<TransferMoreRequestView> Read(string? stored)
        => string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<TransferMoreRequestView>>(stored, Json) ?? [];

    /// <summary>The list with <paramref name="added"/> (unless its message id is there already), the latest
    /// <see cref="TransferAnswerLimits.MaxMoreRequestsKept"/> by time; null when nothing changed.</summary>
    public static string? With(string? stored, TransferMoreRequestView added)
    {
        var all = Read(stored).ToList();
        if (all.Any(existing => existing.MessageId == added.MessageId))
        {
            return null;
        }

        all.Add(added);
        var kept = all.OrderBy(request => request.RequestedAt).TakeLast(TransferAnswerLimits.MaxMoreRequestsKept).ToList();
        return JsonSerializer.Serialize(kept, Json);
    }
}
