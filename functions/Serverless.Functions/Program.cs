using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Functions;
using Serverless.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddServerlessApp(builder.Configuration);
if (TelemetryRegistration.IsConfigured(builder.Configuration))
{
    // The worker's own telemetry (function invocations correlated with the host's), through IdsOnlyTelemetry.
    builder.Services.ConfigureFunctionsApplicationInsights();
}

builder.Logging.KeepPersonalDataOut();
await builder.Build().RunAsync();
