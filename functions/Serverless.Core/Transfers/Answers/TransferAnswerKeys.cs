using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.Transfers.Answers;

/// <summary>
/// The row key of an answer: <c>{packageMessageId}_acknowledgement</c> (one per package, whenever it was decided) or
/// <c>{packageMessageId}_more-request_{answeredAt UTC ticks, 19 digits}</c> (a receiver may ask more than once). Ids and a
/// time only: safe in a queue message and a log.
/// </summary>
public static partial class TransferAnswerKeys
{
    public static string For(TransferAnswer answer) => answer.Kind == TransferAnswerKinds.Acknowledgement
        ? $"{answer.PackageMessageId}_{answer.Kind}"
        : $"{answer.PackageMessageId}_{answer.Kind}_{answer.AnsweredAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}";

    public static bool IsKey(string? key) => key is not null && Shape().IsMatch(key);

    [GeneratedRegex("^tm-[0-9a-f]{32}_(acknowledgement|more-request_[0-9]{19})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
