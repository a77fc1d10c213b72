using System.CommandLine;

namespace Serverless.Ops.People;

/// <summary><c>people</c>: the one thing about people ops does directly: the first admin and coordinator.</summary>
internal static class PeopleCommand
{
    public static Command Create(StorageConnection connection, TextWriter output, TextWriter error) => new(
        "people",
        "People and memberships. Everything after the first admin and coordinator goes through the admin API (/api/admin/...), signed in and audited.")
    {
        BootstrapCommand.Create(connection, output, error),
    };
}
