using System.Net.Http.Headers;

namespace Serverless.Tests.Reliability;

/// <summary>One generated request: everything needed to send it and to name it in a finding.</summary>
internal sealed record FuzzedRequest(
    string Mutation,
    HttpMethod Method,
    string Path,
    string CallerName,
    string? Authorization,
    IReadOnlyDictionary<string, string> Headers,
    byte[]? Body,
    string? ContentType)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        if (Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }

        foreach (var (name, value) in Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
