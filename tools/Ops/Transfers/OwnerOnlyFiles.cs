namespace Serverless.Ops.Transfers;

/// <summary>Files and folders only their owner can read (a private key, an opened case), never overwriting.</summary>
internal static class OwnerOnlyFiles
{
    public static async Task WriteNewAsync(string path, string text, CancellationToken cancellationToken)
        => await WriteNewAsync(path, System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);

    public static async Task WriteNewAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
