using System.CommandLine;

namespace Serverless.Ops.People;

/// <summary><c>people</c>: register and list people through the admin API; bootstrap the first admin and coordinator.</summary>
internal static class PeopleCommand
{
    public static Command Create(StorageConnection connection, Admin.AdminApi api, TextWriter output, TextWriter error)
    {
        var command = new Command(
            "people",
            "People: register and list them through the admin API (signed in and audited); bootstrap only the first admin and coordinator of a new instance, directly in its storage.")
        {
            BootstrapCommand.Create(connection, output, error),
        };
        foreach (var subcommand in Admin.MembershipsCommand.PeopleCommands(api, output, error))
        {
            command.Subcommands.Add(subcommand);
        }

        return command;
    }
}
