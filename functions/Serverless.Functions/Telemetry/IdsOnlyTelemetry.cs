using System.Text.RegularExpressions;
using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace Serverless.Functions.Telemetry;

/// <summary>
/// The last word on what leaves the worker for Application Insights: ids only, as the logs. Exceptions keep their type
/// and stack (the request id is a property) but lose every message (a message may quote the request). URLs lose their
/// query and every path segment not shaped like a route word or one of the app's ids. Traces from the app's own log
/// templates keep the template, not the rendered text; traces from libraries keep their category and level only.
/// Custom properties survive only when the key is the SDK's own or the value is shaped like an id.
/// </summary>
/// <remarks>A lowercase romanized name in a URL or a property has the shape of an agency id and cannot be told from
/// one here: the app never puts one there itself, and the canary tests look for names in telemetry.</remarks>
public sealed partial class IdsOnlyTelemetry(ITelemetryProcessor next) : ITelemetryProcessor
{
    public const string Withheld = "(withheld)";

    /// <summary>Properties the SDK and the Functions worker set from their own state, never from a request.</summary>
    private static readonly HashSet<string> SafeKeys = new(StringComparer.Ordinal)
    {
        "CategoryName", "LogLevel", "EventId", "EventName", "ProcessId", "HostInstanceId", "InvocationId", "FunctionName",
        "AzureFunctions_FunctionName", "AzureFunctions_InvocationId", "AzureFunctions_Category", "DeveloperMode",
        "ExceptionType", "StackTrace", "_MS.ProcessedByMetricExtractors", "AspNetCoreEnvironment",
    };

    private const string TemplateKey = "{OriginalFormat}";

    public void Process(ITelemetry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Clean(item);
        next.Process(item);
    }

    /// <summary>Changes <paramref name="item"/> in place to what may be sent.</summary>
    public static void Clean(ITelemetry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        switch (item)
        {
            case ExceptionTelemetry exception:
                exception.Message = null;
                foreach (var details in exception.ExceptionDetailsInfoList)
                {
                    details.Message = Withheld;
                }

                break;
            case TraceTelemetry trace:
                trace.Message = OwnTemplate(trace.Properties) ?? Withheld;
                break;
            case RequestTelemetry request:
                request.Url = request.Url is null ? null : new Uri(Url(request.Url.ToString()));
                request.Name = Name(request.Name);
                break;
            case DependencyTelemetry dependency:
                dependency.Data = dependency.Data is null ? null : Url(dependency.Data);
                dependency.Name = Name(dependency.Name);
                break;
            case EventTelemetry customEvent:
                customEvent.Name = IdShape().IsMatch(customEvent.Name ?? "") ? customEvent.Name : Withheld;
                break;
        }

        if (item is ISupportProperties withProperties)
        {
            KeepSafe(withProperties.Properties);
        }

        KeepSafe(item.Context.GlobalProperties);
        item.Context.Operation.Name = Name(item.Context.Operation.Name);
        item.Context.Location.Ip = null;
        item.Context.User.Id = null;
        item.Context.User.AuthenticatedUserId = null;
    }

    /// <summary>The URL without its query or fragment, each path segment not shaped like an id replaced.</summary>
    public static string Url(string url)
    {
        // Only http(s): on Linux a bare path ("/api/cases/…") parses as an absolute file URI.
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return absolute.GetLeftPart(UriPartial.Authority) + Path(absolute.AbsolutePath);
        }

        var cut = url.IndexOfAny(['?', '#']);
        return Path(cut < 0 ? url : url[..cut]);
    }

    /// <summary>An operation name such as <c>GET /api/cases/{caseId}</c>: the path part cleaned as a URL's.</summary>
    private static string? Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return name;
        }

        var space = name.IndexOf(' ', StringComparison.Ordinal);
        var (verb, rest) = space > 0 && space < 8 ? (name[..(space + 1)], name[(space + 1)..]) : ("", name);
        return verb + (rest.Contains('/', StringComparison.Ordinal) || rest.Contains('?', StringComparison.Ordinal) ? Url(rest) : IdShape().IsMatch(rest) ? rest : Withheld);
    }

    private static string Path(string path)
        => string.Join('/', path.Split('/').Select(segment => segment.Length == 0 || SegmentShape().IsMatch(segment) ? segment : "_"));

    /// <summary>The template of one of the app's own log lines (category <c>Serverless.*</c>): code, not input.</summary>
    private static string? OwnTemplate(IDictionary<string, string> properties)
        => properties.TryGetValue("CategoryName", out var category) && category.StartsWith("Serverless.", StringComparison.Ordinal)
            && properties.TryGetValue(TemplateKey, out var template) ? template : null;

    private static void KeepSafe(IDictionary<string, string> properties)
    {
        var own = OwnTemplate(properties) is not null;
        foreach (var key in properties.Keys.ToList())
        {
            var value = properties[key];
            var keep = SafeKeys.Contains(key) || (key == TemplateKey && own) || (value is not null && IdShape().IsMatch(value));
            if (!keep)
            {
                properties.Remove(key);
            }
        }
    }

    /// <summary>Route words and the app's ids: lowercase ASCII letters, digits, dots and hyphens, with at least one
    /// letter (a phone number or a date of birth has none).</summary>
    [GeneratedRegex("^(?=[a-z0-9._-]*[a-z])[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex SegmentShape();

    /// <summary>An id or a code (lowercase ASCII with at least one letter, no spaces), or a small number (a count, a status).</summary>
    [GeneratedRegex("^((?=[a-z0-9._:-]*[a-z])[a-z0-9][a-z0-9._:-]{0,127}|[0-9]{1,6})$")]
    private static partial Regex IdShape();
}
