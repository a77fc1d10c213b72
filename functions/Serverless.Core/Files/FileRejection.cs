using Serverless.Problems;

namespace Serverless.Files;

/// <summary>A file or name refused: a <see cref="FileRejections"/> key and the values of its message's placeholders.</summary>
public sealed record FileRejection(string Reason, IReadOnlyDictionary<string, string>? Arguments = null)
{
    public string Message(ProblemLanguage language)
    {
        var (ja, en) = FileRejections.Messages[Reason];
        var text = language == ProblemLanguage.English ? en : ja;
        foreach (var (name, value) in Arguments ?? new Dictionary<string, string>())
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}
