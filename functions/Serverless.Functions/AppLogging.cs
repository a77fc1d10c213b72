using Microsoft.Extensions.Logging;

namespace Serverless.Functions;

/// <summary>
/// Logging rules every host applies. ASP.NET Core's hosting diagnostics log the request URL and open
/// a scope carrying the request path on every log line (Application Insights stores scopes as
/// properties); a caller who puts a name in a URL would spread it into telemetry. The app logs ids itself.
/// </summary>
public static class AppLogging
{
    public static ILoggingBuilder KeepPersonalDataOut(this ILoggingBuilder logging)
    {
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }
}
