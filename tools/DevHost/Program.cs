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
        Console.WriteLine($"Local host (development and tests only) serving {address}  —  try {address}/api/health");
        Console.WriteLine($"  curl -H \"Authorization: Bearer $(dotnet run --project tools/Dev -- token coordinator-sato)\" '{address}/api/cases?status=registered'");
    }

    Console.WriteLine("Demo people (dotnet run --project tools/Dev -- token <subject>):");
    foreach (var person in DemoPeople.People)
    {
        Console.WriteLine($"  {person.Subject,-18} {person.Role,-12} {person.AgencyId,-22} {person.Description}");
    }
});

await app.RunAsync();
