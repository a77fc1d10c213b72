using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Tests.Http;

public sealed class JsonBodyTests
{
    /// <summary>Planted in bodies the API refuses: it must never come back in the answer.</summary>
    private const string Secret = "秘密の値";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("text/json")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=shift_jis")]
    [InlineData("application/jsonp")]
    [InlineData("not a media type")]
    public async Task NonJsonContentTypeIsRefusedWithUnsupportedMediaTypeProblem(string? contentType)
    {
        var body = new CountingStream(Encoding.UTF8.GetBytes("""{"title":"件名","text":"本文"}"""));

        var call = await Post(body, contentType);

        call.AssertProblem(ProblemCatalogue.UnsupportedMediaType, ProblemLanguage.Japanese);
        Assert.Equal(0, body.BytesRead);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=UTF-8")]
    [InlineData("application/json;charset=utf8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    public async Task JsonContentTypeIsAccepted(string contentType)
    {
        var call = await Post("""{"title":"件名","text":"本文"}""", contentType);

        Assert.Equal(200, call.Status);
        Assert.Equal(new Note("件名", "本文"), JsonSerializer.Deserialize<Note>(call.Body, ApiJson.Options));
    }

    [Fact]
    public async Task DeclaredLengthOverTheLimitIsRefusedWithoutReadingTheBody()
    {
        var body = new CountingStream(new byte[JsonBody.DefaultMaxBytes + 1]);

        var call = await Post(body, "application/json", contentLength: JsonBody.DefaultMaxBytes + 1);

        call.AssertProblem(ProblemCatalogue.BodyTooLarge, ProblemLanguage.Japanese, detail: $"本文が上限の {JsonBody.DefaultMaxBytes} バイトを超えています。");
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimitIsRefusedWithoutReadingItAll()
    {
        // No Content-Length: the limit can only be enforced while reading.
        var size = JsonBody.DefaultMaxBytes * 8;
        var body = new CountingStream(Encoding.UTF8.GetBytes("{\"title\":\"" + new string('a', size) + "\",\"text\":\"\"}"));

        var call = await Post(body, "application/json", accept: "en");

        call.AssertProblem(ProblemCatalogue.BodyTooLarge, ProblemLanguage.English, detail: $"The body exceeds the limit of {JsonBody.DefaultMaxBytes} bytes.");
        Assert.InRange(body.BytesRead, JsonBody.DefaultMaxBytes + 1, JsonBody.DefaultMaxBytes * 2);
    }

    [Fact]
    public async Task BodyOfExactlyTheLimitIsAccepted()
    {
        var envelope = Encoding.UTF8.GetByteCount("""{"title":"","text":""}""");
        var json = "{\"title\":\"" + new string('a', JsonBody.DefaultMaxBytes - envelope) + "\",\"text\":\"\"}";
        Assert.Equal(JsonBody.DefaultMaxBytes, Encoding.UTF8.GetByteCount(json));

        var declared = await Post(new CountingStream(Encoding.UTF8.GetBytes(json)), "application/json", contentLength: JsonBody.DefaultMaxBytes);
        var chunked = await Post(new CountingStream(Encoding.UTF8.GetBytes(json)), "application/json");

        Assert.Equal(200, declared.Status);
        Assert.Equal(200, chunked.Status);
    }

    public static TheoryData<string> InvalidJson =>
    [
        "{\"title\": " + Secret + ", \"text\": \"x\"}",
        "{\"title\": \"" + Secret + "\", \"text\": }",
        "{\"title\": \"" + Secret,
        "{\"title\": \"件名\", \"text\": \"x\"} " + Secret,
        "[\"" + Secret + "\"]",
        "{\"title\": 42, \"text\": \"" + Secret + "\"}",
        "\"" + Secret + "\"",
        "{\"\\ud800\": \"" + Secret + "\"}", // a lone surrogate in a name (found by the OpenAPI fuzz: it was a 500)
        "{\"title\": \"\\ud800" + Secret + "\", \"text\": \"x\"}",
    ];

    [Theory]
    [MemberData(nameof(InvalidJson))]
    public async Task InvalidJsonIsRefusedWithoutQuotingTheValue(string json)
    {
        var call = await Post(json, "application/json");

        AssertInvalidJson(call, ProblemLanguage.Japanese);
        Assert.DoesNotContain(Secret, call.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonSerializer.Serialize(Secret).Trim('"'), call.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidJsonDetailSaysWhereInTheCallersLanguage()
    {
        var call = await Post("{\n  \"title\": \"件名\",\n  \"text\": " + Secret + "\n}", "application/json", accept: "en-US");

        AssertInvalidJson(call, ProblemLanguage.English);
        Assert.Equal("The body could not be read as JSON at $.text (line 3).", Detail(call));
    }

    [Fact]
    public async Task UnknownFieldIsRefusedWithInvalidJsonProblem()
    {
        var call = await Post("{\"title\":\"件名\",\"text\":\"本文\",\"childName\":\"" + Secret + "\"}", "application/json");

        AssertInvalidJson(call, ProblemLanguage.Japanese);
        Assert.DoesNotContain(Secret, call.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonNullIsRefusedWithInvalidJsonProblem()
    {
        var call = await Post("null", "application/json");

        call.AssertProblem(ProblemCatalogue.InvalidJson, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task EmptyBodyIsRefusedWithInvalidJsonProblem()
    {
        var call = await Post("", "application/json");

        AssertInvalidJson(call, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task NullForARequiredTextIsRefusedWithInvalidJsonProblem()
    {
        var call = await Post("""{"title":null,"text":"本文"}""", "application/json");

        AssertInvalidJson(call, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task InvalidUtf8IsRefusedWithInvalidJsonProblem()
    {
        byte[] bytes = [.. "{\"title\":\""u8, 0xE7, 0xA7, 0x28, 0xFF, .. "\",\"text\":\"x\"}"u8];

        var call = await Post(new CountingStream(bytes), "application/json");

        AssertInvalidJson(call, ProblemLanguage.Japanese);
    }

    [Fact]
    public async Task JapaneseTextRoundTripsExactly()
    {
        // Kanji, hiragana, full- and half-width katakana (with a half-width voiced mark), a character
        // outside the BMP (𠮷, a surrogate pair), an emoji with a skin tone and ZWJ, a decomposed
        // "が" (か + combining voiced mark) that must not be normalised, and an ideographic space.
        const string title = "児童相談所への連絡　ｶﾅ ｶﾞｯｺｳ";
        const string text = "𠮷野家の前で会った。が 👩🏽‍👧 〜ｰ－―‐「」『』※①㈱髙﨑";
        var decomposed = "\u304B\u3099";
        var sent = new Note(title, text + decomposed);
        var received = (Note?)null;

        var call = await EndpointCall.RunAsync(
            async (request, context) =>
            {
                var read = await JsonBody.ReadAsync<Note>(request, context);
                received = read.Value;
                return read.Problem ?? (IActionResult)ApiResult.Ok(read.Value!);
            },
            request => Arrange(request, new CountingStream(JsonSerializer.SerializeToUtf8Bytes(sent)), "application/json; charset=utf-8", null, null));

        Assert.Equal(200, call.Status);
        Assert.NotNull(received);
        Assert.Equal(sent.Title, received.Title, StringComparer.Ordinal);
        Assert.Equal(sent.Text, received.Text, StringComparer.Ordinal);
        var echoed = JsonSerializer.Deserialize<Note>(call.Body, ApiJson.Options)!;
        Assert.Equal(sent.Title, echoed.Title, StringComparer.Ordinal);
        Assert.Equal(sent.Text, echoed.Text, StringComparer.Ordinal);
        Assert.Contains("児童相談所への連絡", call.Body, StringComparison.Ordinal); // written as itself, not \u escapes
        Assert.Equal("application/json; charset=utf-8", call.Header("Content-Type"));
        call.AssertStandardHeaders();
    }

    private static void AssertInvalidJson(ObservedResponse call, ProblemLanguage language)
    {
        Assert.True(call.Status == 400, $"Expected 400, got {call.Status}: {call.Body}");
        call.AssertStandardHeaders();
        Assert.Equal("application/problem+json; charset=utf-8", call.Header("Content-Type"));
        Assert.Equal(language == ProblemLanguage.English ? "en" : "ja", call.Header("Content-Language"));
        using var document = JsonDocument.Parse(call.Body);
        var root = document.RootElement;
        Assert.Equal("request.invalid-json", root.GetProperty("code").GetString());
        Assert.Equal("urn:serverless-case-sharing:problem:request.invalid-json", root.GetProperty("type").GetString());
        Assert.Equal(ProblemCatalogue.InvalidJson.Title(language), root.GetProperty("title").GetString());
        Assert.Equal(400, root.GetProperty("status").GetInt32());
        Assert.Equal(EndpointCall.DefaultPath, root.GetProperty("instance").GetString());
        Assert.Equal(call.Header("X-Request-Id"), root.GetProperty("requestId").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("detail").GetString()));
    }

    private static string Detail(ObservedResponse call)
    {
        using var document = JsonDocument.Parse(call.Body);
        return document.RootElement.GetProperty("detail").GetString()!;
    }

    private static Task<ObservedResponse> Post(string json, string? contentType, string? accept = null)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return Post(new CountingStream(bytes), contentType, bytes.Length, accept);
    }

    /// <summary>Posts <paramref name="body"/> to a handler that reads a <see cref="Note"/> and echoes it.</summary>
    private static Task<ObservedResponse> Post(CountingStream body, string? contentType, long? contentLength = null, string? accept = null)
        => EndpointCall.RunAsync(
            async (request, context) =>
            {
                var read = await JsonBody.ReadAsync<Note>(request, context);
                return read.Problem ?? (IActionResult)ApiResult.Ok(read.Value!);
            },
            request => Arrange(request, body, contentType, contentLength, accept));

    private static void Arrange(HttpRequest request, Stream body, string? contentType, long? contentLength, string? accept)
    {
        request.Body = body;
        request.ContentType = contentType;
        request.ContentLength = contentLength;
        if (accept is not null)
        {
            request.Headers.AcceptLanguage = accept;
        }
    }

    public sealed record Note(string Title, string Text);

    /// <summary>A request body that counts what was read from it.</summary>
    private sealed class CountingStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes, writable: false);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            BytesRead += read;
            return read;
        }
    }
}
