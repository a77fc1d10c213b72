using System.Text.Json.Nodes;

namespace Serverless.Tests.Reliability;

/// <summary>The hostile values the fuzzer puts in fields, path segments, query strings and headers.</summary>
internal static class FuzzValues
{
    /// <summary>Strings nobody expected: control characters, combining marks, bidirectional overrides, full- and half-width
    /// forms, emoji sequences, characters outside the BMP, zero-width and non-characters, lookalikes of other types,
    /// injection-shaped text and long runs.</summary>
    public static readonly string[] Strings =
    [
        "", " ", "\u0000", "a\u0000b", "e" + new string('\u0301', 64), "\u202Eevil\u202C", "\u200F\u05E9\u05DC\u05D5\u05DD \u0627\u0644\u0633\u0644\u0627\u0645",
        "ＡＢＣ１２３－＠　", "ｱｲｳｴｵﾞﾟ", "👨‍👩‍👧‍👦🏳️‍🌈", "\u200B\uFEFF\u2060", "𠮷野家", "\uFFFD", "\uFFFF\uFFFE", "山田 太郎", "髙橋 﨑",
        "../../../etc/passwd", "<script>alert(1)</script>", "' OR '1'='1", "%00%2F%2E%2E", "\r\n\t", "PartitionKey eq 'x'",
        "2025-02-30", "9999-12-31T23:59:59Z", "0000-01-01", "2025-13-45T25:61:61+99:99", "-1", "NaN", "true", "null", "{}", "1e309",
        new string('x', 257), new string('x', 1025), new string('あ', 4001), string.Concat(Enumerable.Repeat("😀", 20_000)),
    ];

    /// <summary>Numbers at and beyond every boundary a field may have.</summary>
    public static readonly JsonNode[] Numbers =
    [
        JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1), JsonValue.Create(int.MaxValue), JsonValue.Create(int.MinValue),
        JsonValue.Create(2_147_483_648L), JsonValue.Create(long.MaxValue), JsonValue.Create(long.MinValue), JsonValue.Create(1e308),
        JsonValue.Create(-1e308), JsonValue.Create(0.5), JsonValue.Create(-0.0), JsonValue.Create(1e-320),
    ];

    /// <summary>JSON text that no <see cref="JsonNode"/> holds: lone surrogates in escapes, NUL escapes, numbers out of every
    /// range, deep nesting.</summary>
    public static readonly string[] RawJson =
    [
        "\"\\ud800\"", "\"x\\udc00y\"", "\"\\ud83d\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"a\\u0000\\u001f\"", "1e400", "-1e400",
        "123456789012345678901234567890123456789", "-0", "0.0000000000000000000000000000000000000001",
        new string('[', 300) + new string(']', 300), string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200),
    ];

    /// <summary>Bodies that are not JSON, or not the JSON anyone meant.</summary>
    public static readonly byte[][] MalformedBodies =
    [
        "{"u8.ToArray(), "{\"a\":}"u8.ToArray(), "[1,2"u8.ToArray(), "{'a':1}"u8.ToArray(), "{\"a\":1,}"u8.ToArray(),
        "{/*x*/}"u8.ToArray(), "{\"a\":1}{\"b\":2}"u8.ToArray(), "{\"a\":1,\"a\":2}"u8.ToArray(), "nul"u8.ToArray(), ""u8.ToArray(),
        [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'], [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'],
        [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0], "\u0000"u8.ToArray(), "{\"\\ud800\":1}"u8.ToArray(), "\"just a string\""u8.ToArray(),
    ];

    /// <summary>Path segments, already as they go on the wire.</summary>
    public static readonly string[] PathSegments =
    [
        "0", "-1", "%00", "%2F", "%2E%2E", "a%20b", "%ED%A0%80", "%FF", "%C0%AF", "00000000000000000000000000000000", "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        Uri.EscapeDataString("𠮷野家"), Uri.EscapeDataString("\u202E"), Uri.EscapeDataString("ＡＢＣ"), new string('a', 3000),
        Uri.EscapeDataString("' or ''='"), "x'y", "(x)", "x%27%29", "~", "%25", "%2525",
    ];

    /// <summary>Header values (ASCII: the client refuses anything else), including ones that try to look like others.</summary>
    public static readonly string[] HeaderValues =
    [
        "", " ", "x", "\"*\"", "*", "W/\"x\"", "\"\"", new string('k', 8000), "bytes=0-", "bytes=-1", "bytes=999999999999-", "bytes=5-1",
        "bytes=0-0,1-1,2-2,3-3", "%E5%B1%B1%E7%94%B0.pdf", "..%2F..%2Fx.pdf", "UTF-8''%E5%B1%B1.pdf", "UTF-8''%ED%A0%80.pdf", "a\tb",
        "00000000-0000-0000-0000-000000000000", "-1", "1e400",
    ];

    /// <summary>Query values, already escaped.</summary>
    public static readonly string[] QueryValues =
    [
        "", "0", "-1", "1001", "2147483648", "99999999999999999999", "abc", "true", "2025-02-30", "2025-13-01", "9999-12-31", "0001-01-01",
        "%00", "%ED%A0%80", "%FF", Uri.EscapeDataString("山田"), Uri.EscapeDataString("\u202E"), new string('q', 5000), "a,b,,c", "%2C%2C",
        "eyJ0b2tlbiI6Ig", "!!!!", Uri.EscapeDataString("{\"pk\":\"x\"}"),
    ];

    /// <summary>Content types a JSON body did not ask for.</summary>
    public static readonly string?[] ContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/json; charset=shift_jis", "application/octet-stream", "application/jsonx", "*/*", "garbage",
    ];

    /// <summary>Authorization headers that are not a caller.</summary>
    public static readonly string[] Authorizations =
    [
        "Bearer", "Bearer ", "Bearer abc", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "SubmissionKey", "SubmissionKey x",
        "SubmissionKey " + new string('k', 5000), "Basic dXNlcjpwYXNz", "bearer " + new string('x', 9000), "Negotiate x",
    ];
}
