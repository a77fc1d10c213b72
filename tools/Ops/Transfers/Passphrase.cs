using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Serverless.Ops.Transfers;

/// <summary>
/// The passphrase that protects a transfer key: typed at the terminal (not shown), or read from a file with
/// <c>--passphrase-file</c> (tests, automation). Never a command-line value: that would stay in the shell's history
/// and show in the process list.
/// </summary>
internal static class Passphrase
{
    /// <summary>In characters as a reader counts them (a Japanese passphrase counts each character once).</summary>
    public const int MinimumLength = 12;

    public static Option<string> FileOption() => new("--passphrase-file")
    {
        Description = "A file holding the passphrase (its first line), for automation. Without it the passphrase is typed at the terminal.",
    };

    /// <summary>The passphrase for a new key: typed twice (or read from the file), at least <see cref="MinimumLength"/> characters.</summary>
    public static string ForNewKey(string? file, TextWriter error)
    {
        string passphrase;
        if (file is not null)
        {
            passphrase = FromFile(file);
        }
        else
        {
            passphrase = FromTerminal("New passphrase (at least 12 characters; not shown): ", error);
            if (FromTerminal("Type it again: ", error) != passphrase)
            {
                throw new UsageException("The two passphrases differ. Nothing was written; run the command again.");
            }
        }

        var length = new StringInfo(passphrase).LengthInTextElements;
        return length >= MinimumLength
            ? passphrase
            : throw new UsageException(length == 0
                ? "The passphrase is empty. Nothing was written."
                : $"The passphrase has {length} characters; it needs at least {MinimumLength}. Nothing was written.");
    }

    /// <summary>The passphrase of an existing key: typed once (or read from the file).</summary>
    public static string ForExistingKey(string? file, TextWriter error)
        => file is not null ? FromFile(file) : FromTerminal("Passphrase of the transfer key (not shown): ", error);

    private static string FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--passphrase-file: cannot read {path}: {ex.Message}");
        }

        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static string FromTerminal(string prompt, TextWriter error)
    {
        if (Console.IsInputRedirected)
        {
            throw new UsageException("There is no terminal to type the passphrase at: give --passphrase-file.");
        }

        error.Write(prompt);
        error.Flush();
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                error.WriteLine();
                return typed.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0)
                {
                    typed.Length -= char.IsLowSurrogate(typed[^1]) && typed.Length > 1 ? 2 : 1;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
