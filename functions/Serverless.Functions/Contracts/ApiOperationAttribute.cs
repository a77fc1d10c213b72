namespace Serverless.Functions.Contracts;

/// <summary>Describes an HTTP function for the OpenAPI document: what it is for, what it accepts,
/// what it answers, and which problem codes it may return.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiOperationAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    public string Tag { get; init; } = "general";

    /// <summary>Type of the JSON request body, if any.</summary>
    public Type? RequestBody { get; init; }

    /// <summary>The body is a file: raw bytes (<c>application/octet-stream</c>, any type) or <c>multipart/form-data</c>
    /// with a part named <c>file</c>.</summary>
    public bool FileUpload { get; init; }

    /// <summary>The body is raw bytes only (<c>application/octet-stream</c>): a sealed transfer message.</summary>
    public bool BinaryBody { get; init; }

    /// <summary>Who may call it, in words (the security schemes say how a caller signs in; this says which callers may).</summary>
    public string Access { get; init; } = "";
}

/// <summary>A successful (or otherwise non-problem) response.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiResponseAttribute(int status, Type? body = null, string? contentType = null) : Attribute
{
    public int Status { get; } = status;

    public Type? Body { get; } = body;

    public string ContentType { get; } = contentType ?? "application/json";
}

/// <summary>Problem codes (from the catalogue) this operation may answer with.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiProblemsAttribute(params string[] codes) : Attribute
{
    public IReadOnlyList<string> Codes { get; } = codes;
}

/// <summary>A query-string parameter (always a string on the wire; the description says its format).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiQueryAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>A request header the operation reads (optional; the description says its format).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiHeaderAttribute(string name, string description, int maxLength) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public int MaxLength { get; } = maxLength;
}
