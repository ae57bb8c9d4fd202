using HvUtils.Core.Channels;

namespace HvUtils.Kvp.Network.Backends;

/// <summary>
/// One way of making a validated SET_IP_INFO request persistent and live (kvp.md §8; issue 4): render the
/// files, write them atomically, run the tool's apply command. Names are the <c>Kvp:Network:Backend</c> values.
/// </summary>
public interface INetworkBackend
{
    string Name { get; }

    IpConfigurationResult Apply(IpSettings settings);
}

/// <summary>Shared plumbing of the backends: file writing and command running with the reply status.</summary>
public abstract class FileBackend(CommandRunner runner) : INetworkBackend
{
    public abstract string Name { get; }

    public abstract IpConfigurationResult Apply(IpSettings settings);

    protected const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    protected const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    protected IpConfigurationResult Ok(string detail) => new(HvStatus.S_OK, Name, detail);

    protected IpConfigurationResult Failed(string detail) => new(HvStatus.E_FAIL, Name, detail);

    /// <summary>Writes every file or reports the first failure (files already renamed into place stay complete).</summary>
    protected string? WriteAll(params (string Path, string Content, UnixFileMode Mode)[] files)
    {
        foreach ((string path, string content, UnixFileMode mode) in files)
        {
            try
            {
                AtomicFile.Write(path, content, mode);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"cannot write {path}: {e.Message}";
            }
        }
        return null;
    }

    /// <summary>Runs the commands in order, stopping at the first failure; null when all exited 0.</summary>
    protected string? RunAll(params (string Program, string[] Arguments)[] commands)
    {
        foreach ((string program, string[] arguments) in commands)
        {
            CommandResult result = runner.Run(program, arguments);
            if (!result.Succeeded)
            {
                return result.Error;
            }
        }
        return null;
    }

    protected IpConfigurationResult WriteThenRun(string written, (string Path, string Content, UnixFileMode Mode)[] files,
        params (string Program, string[] Arguments)[] commands)
    {
        string? error = WriteAll(files) ?? RunAll(commands);
        return error is null ? Ok(written) : Failed(error);
    }
}
