namespace Serverless.Problems;

/// <summary>
/// One kind of error the API can answer with: a stable code that clients may switch on, the HTTP
/// status, and a message in Japanese (the default) and English that tells a person what to do.
/// </summary>
public sealed record ProblemCode(string Code, int Status, string TitleJa, string TitleEn, string DetailJa, string DetailEn)
{
    public string Title(ProblemLanguage language) => language == ProblemLanguage.English ? TitleEn : TitleJa;

    public string Detail(ProblemLanguage language) => language == ProblemLanguage.English ? DetailEn : DetailJa;
}

public enum ProblemLanguage
{
    Japanese,
    English,
}
