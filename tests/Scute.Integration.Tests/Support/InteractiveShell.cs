using System.Diagnostics;
using System.Text;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A real interactive bash on a pseudo-terminal of its own (util-linux script), run as the test
/// user: the caller's shell that a terminal-injection attack aims at. Lines are typed one at a
/// time; what the terminal shows is collected.
/// </summary>
public sealed class InteractiveShell : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder screen = new();

    public InteractiveShell(TestUser user, string folder, IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(env);
        var argv = user.Prefix(new Dictionary<string, string>(env) { ["TERM"] = "dumb" });
        argv.AddRange(["script", "-qfec", "bash --norc --noprofile -i", "/dev/null"]);
        process = TestUser.StartRedirected(argv, folder);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Screen
    {
        get
        {
            lock (screen)
            {
                return screen.ToString();
            }
        }
    }

    /// <summary>Types one line and waits until <paramref name="until"/> appears on the screen.</summary>
    public void Type(string line, string? until = null, int timeoutMs = 60_000)
    {
        process.StandardInput.Write(line + "\n");
        process.StandardInput.Flush();
        if (until is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        while (!Screen.Contains(until, StringComparison.Ordinal))
        {
            if (clock.ElapsedMilliseconds > timeoutMs || process.HasExited)
            {
                throw new TimeoutException($"'{until}' never appeared; the terminal showed:\n{Screen}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Types exit and waits for the shell to end.</summary>
    public void Exit()
    {
        process.StandardInput.Write("exit\n");
        process.StandardInput.Close();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private void Append(string? data)
    {
        if (data is null)
        {
            return;
        }

        lock (screen)
        {
            screen.AppendLine(data);
        }
    }
}
