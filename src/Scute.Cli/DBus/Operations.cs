using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Engine;
using Scute.Images;
using Scute.Engine.Operations;

namespace Scute.Cli.DBus;

/// <summary>
/// The work behind both interfaces, through the CLI's own code paths: commands run in-process as
/// <c>scute --json ...</c> (same engine operation, same store lock, same JSON and messages), a build
/// calls <see cref="BuildOperation"/> with progress sent as signals, exec runs this binary as a child
/// so its output can be captured.
/// </summary>
public sealed class Operations(ServiceState state)
{
    /// <summary>Exec's captured stdout and stderr are each cut at this many characters.</summary>
    public const int OutputLimit = 1 << 20;

    public ServiceState State => state;

    /// <summary>Runs a command line with --json; its JSON on success (or on an exit code in <paramref name="alsoAnswers"/>), else a D-Bus error.</summary>
    public string Cli(IReadOnlyList<string> args, params int[] alsoAnswers)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(["--store", state.StoreRoot, "--json", .. args], stdout, stderr);
        var output = stdout.ToString().Trim();
        if (code == ExitCodes.Success || (alsoAnswers.Contains(code) && output.StartsWith('{')))
        {
            // One line on the bus: the CLI indents for people.
            return output.Length == 0 ? "{}" : Parse(output).ToJsonString();
        }

        var line = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => !l.Contains("waiting for the store lock", StringComparison.Ordinal)) ?? $"exit {code}";
        throw BusError.FromExitCode(code, line.StartsWith("scute: ", StringComparison.Ordinal) ? line[7..] : line);
    }

    public BuildResult Build(string path, string interfaceName, string objectPath, string? name)
    {
        state.Emit(objectPath, interfaceName, "Progress", "build", path, "started");
        try
        {
            var result = BuildOperation.Run(state.Engine, path, name, TimeProvider.System, new BuildOptions(Progress: new SignalProgress(state, objectPath, interfaceName, path)));
            state.Emit(objectPath, interfaceName, "Progress", "build", path, "done");
            state.Emit(objectPath, interfaceName, "StateChanged", result.EnvId, result.State.ToString().ToLowerInvariant());
            return result;
        }
        catch (Exception e) when (e is not BusError)
        {
            var (code, line) = ErrorReporter.Describe(e, state.StoreRoot);
            state.Emit(objectPath, interfaceName, "Progress", "build", path, "failed: " + line);
            throw BusError.FromExitCode(code, line);
        }
    }

    /// <summary><c>scute exec</c> as a child of the service, stdin empty, stdout and stderr captured up to <see cref="OutputLimit"/>.</summary>
    public ExecReply Exec(string env, IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
        {
            throw new BusError(BusError.InvalidArgs, "ExecInEnvironment needs a command");
        }

        var psi = new ProcessStartInfo(Environment.ProcessPath ?? throw new BusError(BusError.Failed, "cannot find this program's path"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--store", state.StoreRoot, "exec", "--", env, .. argv])
        {
            psi.ArgumentList.Add(a);
        }

        using var child = Process.Start(psi)!;
        child.StandardInput.Close();
        var stdout = Capture(child.StandardOutput);
        var stderr = Capture(child.StandardError);
        child.WaitForExit();
        return new ExecReply(child.ExitCode, stdout.Result, stderr.Result);
    }

    private static async Task<string> Capture(StreamReader reader)
    {
        var kept = new StringBuilder();
        var buffer = new char[8192];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            // Read to the end so the child never blocks on a full pipe; keep only the first part.
            kept.Append(buffer, 0, Math.Min(n, Math.Max(0, OutputLimit - kept.Length)));
        }

        // D-Bus strings may not hold NUL.
        return kept.Replace('\0', '\uFFFD').ToString();
    }

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    /// <summary>An engine operation called directly (for commands without --json output), its failure as the CLI's one line.</summary>
    public T Direct<T>(Func<T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return operation();
        }
        catch (Exception e) when (e is not BusError)
        {
            var (code, line) = ErrorReporter.Describe(e, state.StoreRoot);
            throw BusError.FromExitCode(code, line);
        }
    }

    /// <summary>Download, unpack and install steps of a build as Progress(operation, target, step) signals.</summary>
    private sealed class SignalProgress(ServiceState state, string path, string @interface, string target) : ITransferProgress
    {
        public ITransferTask Start(string description, long? totalBytes)
        {
            state.Emit(path, @interface, "Progress", "build", target, description);
            return new Step();
        }

        private sealed class Step : ITransferTask
        {
            public void Advance(long bytes)
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
