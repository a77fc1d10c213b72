using System.CommandLine;
using Azure;
using Azure.Identity;
using Serverless.Ops.Audit;
using Serverless.Ops.Backup;
using Serverless.Ops.DeadLetters;
using Serverless.Ops.Health;

namespace Serverless.Ops;

/// <summary>
/// <c>serverless-ops</c>: the commands, and how their outcomes become exit codes
/// (<see cref="ExitCodes"/>). Results go to <c>output</c>, problems to <c>error</c>, logs to standard error.
/// </summary>
public static class OpsApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default, HttpMessageHandler? apiHandler = null)
    {
        var connection = new StorageConnection();
        var api = new Admin.AdminApi { Handler = apiHandler };
        var root = new RootCommand("Operate the child-protection council backend: dead letters, queue round-trip probes, encrypted backup and restore, the audit trail, disposal of closed cases, agencies, people, memberships and submission keys (through the admin API), and transfer files for a receiving council without this system.")
        {
            DeadLettersCommand.Create(connection, output),
            ProbeCommand.Create(connection, output, error),
            BackupCommand.Create(connection, output, error),
            RestoreCommand.Create(connection, output, error),
            BackupKeyCommand.Create(output, error),
            People.PeopleCommand.Create(connection, api, output, error),
            Admin.AgenciesCommand.Create(api, output, error),
            Admin.KeysCommand.Create(api, output, error),
            Admin.MembershipsCommand.Create(api, output, error),
            AuditCommand.Create(connection, output),
            Disposal.DisposalCommand.Create(connection, output),
            Transfers.TransferKeyCommand.Create(output, error),
            Transfers.TransferFileCommand.Create(output, error),
        };
        connection.AddTo(root);
        root.Options.Add(api.Api);
        root.Options.Add(api.Token);

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync(parseError.Message);
            }

            await error.WriteLineAsync("Run 'serverless-ops --help' (or a command with --help) for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parseResult.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
                cancellationToken);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return ExitCodes.Usage;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await error.WriteLineAsync(
                $"Storage answered 404 ({ex.ErrorCode}): the app's tables and queues are not there. Has the app started once against this account (and name prefix)?");
            return ExitCodes.Failure;
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            await error.WriteLineAsync(
                $"Storage refused the request: {ex.Status} {ex.ErrorCode}. With --account, your sign-in needs the Storage Table Data Contributor and Storage Queue Data Contributor roles on the account.");
            return ExitCodes.Failure;
        }
        catch (AuthenticationFailedException ex)
        {
            await error.WriteLineAsync($"Azure sign-in failed (run 'az login' first): {ex.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: what was done so far stays done (every step is idempotent).
            await error.WriteLineAsync("Cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            // The SDK retries first, then reports the attempts together.
            await error.WriteLineAsync($"Storage could not be reached: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static bool IsUnreachable(Exception ex)
        => ex is HttpRequestException or RequestFailedException { Status: 0 }
            || (ex is AggregateException aggregate && aggregate.InnerExceptions.All(IsUnreachable));
}
