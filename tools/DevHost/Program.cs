using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Serverless.DevHost;

// The local host: `dotnet run --project tools/DevHost -- --urls http://127.0.0.1:7071 [--seed-demo-data]`.
// Normally started by `dotnet run --project tools/Dev -- start`, which starts Azurite first.
var options = new DevHostOptions { SeedDemoData = args.Contains("--seed-demo-data") };
var app = DevHostApplication.Build(args.Where(arg => arg != "--seed-demo-data").ToArray(), options);

app.Lifetime.ApplicationStarted.Register(() =>
{
    var settings = app.Services.GetRequiredService<HostSettings>();
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"Local host (development and tests only) serving {address}/{settings.RoutePrefix}  —  try {address}/{settings.RoutePrefix}/health");
        Console.WriteLine($"  curl -H 'Authorization: Development coordinator-sato' '{address}/{settings.RoutePrefix}/cases?status=registered'");
    }

    Console.WriteLine("Demo people (Authorization: Development <person>):");
    foreach (var (personId, agencyId, role, description) in DemoPeople.People)
    {
        Console.WriteLine($"  {personId,-18} {role,-12} {agencyId,-22} {description}");
    }
});

await app.RunAsync();
