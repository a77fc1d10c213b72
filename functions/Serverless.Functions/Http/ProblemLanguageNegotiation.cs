using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>Japanese unless <c>Accept-Language</c> prefers English over Japanese.</summary>
public static class ProblemLanguageNegotiation
{
    public static ProblemLanguage From(HttpRequest request)
    {
        IList<StringWithQualityHeaderValue> ranges;
        try
        {
            ranges = request.GetTypedHeaders().AcceptLanguage;
        }
        catch (FormatException)
        {
            return ProblemLanguage.Japanese;
        }

        // q=0 means "not this one" (RFC 9110 §12.4.2): such a range never chooses a language.
        double Quality(string language) => ranges
            .Where(range => Matches(range.Value.Value, language))
            .Select(range => range.Quality ?? 1.0)
            .Where(quality => quality > 0)
            .DefaultIfEmpty(-1)
            .Max();

        return Quality("en") > Quality("ja") ? ProblemLanguage.English : ProblemLanguage.Japanese;
    }

    public static string Tag(ProblemLanguage language) => language == ProblemLanguage.English ? "en" : "ja";

    private static bool Matches(string? range, string language)
        => range is not null && (range.Equals(language, StringComparison.OrdinalIgnoreCase)
            || range.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase));
}
