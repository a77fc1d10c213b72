using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Serverless.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddServerlessApp(builder.Configuration);
builder.Logging.KeepPersonalDataOut();
await builder.Build().RunAsync();
