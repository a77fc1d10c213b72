using System.Text.Json;
using Serverless.Cases;

namespace Serverless.Functions.Http;

/// <summary>How the API writes and reads JSON. It is the very shape records are stored in
/// (<see cref="CaseJson"/>), on purpose: a record is kept exactly as the API shows it.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options => CaseJson.Options;
}
