using System.Diagnostics;
using System.Globalization;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// The namespace backend's process chain (issue 9, point 4): the native stage linked into scute
/// makes the namespaces before the .NET runtime starts, so one exec starts the scute binary once
/// inside, with no util-linux unshare; its C pid 1 supervises the command.
/// </summary>
[Trait("Category", "Integration")]
public sealed class NamespaceStageTests
{
    [SkippableFact]
    public void One_exec_starts_the_scute_binary_twice_and_never_unshare()
    {
        Skip.IfNot(File.Exists("/usr/bin/strace"), "strace is not installed (scripts/test-packages.txt)");
        // A single-id map: under ptrace the setuid newuidmap of a subordinate map would not be setuid.
        var s = new ScuteSession(TestUser.WithoutSubIds);
        var env = s.Build(Manifests.Karapace);
        var trace = Path.Combine(s.Root, "execve.trace");

        var run = s.User.RunAs(
            ["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, ScuteBinary.Path, "exec", env, "--", "true"],
            s.Project,
            new Dictionary<string, string> { ["SCUTE_STORE"] = s.Store });

        Assert.True(run.ExitCode == 0, run.ToString());
        var execs = s.User.RunAs(["cat", trace]).Stdout.Split('\n')
            .Where(l => l.Contains("execve(\"", StringComparison.Ordinal) && l.EndsWith("= 0", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, execs.Count(l => l.Contains($"execve(\"{ScuteBinary.Path}\"", StringComparison.Ordinal)));
        Assert.Single(execs, l => l.Contains("__init", StringComparison.Ordinal));
        Assert.DoesNotContain(execs, l => l.Contains("unshare", StringComparison.Ordinal));
        Assert.Single(execs, l => l.Contains("/true\", [", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void The_command_is_not_pid_1_and_pid_1_reaps_its_orphans()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);

        // The inner shell exits at once: its sleep becomes pid 1's child, and must not stay a zombie.
        var r = s.Scute("exec", env, "--", "sh", "-c", "echo $$; sh -c 'sleep 0.1 & exit 0'; sleep 1; cat /proc/[0-9]*/stat");

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEqual("1", lines[0].Trim());
        var zombies = lines.Skip(1).Where(l => l[(l.LastIndexOf(')') + 2)..].StartsWith('Z')).ToList();
        Assert.True(zombies.Count == 0, "zombies: " + string.Join("; ", zombies));
    }

    [SkippableFact]
    public void Init_started_by_hand_refuses_in_one_line_with_125()
    {
        var r = TestUser.Run(ScuteBinary.Path, ["__init", "3"]);

        Assert.Equal(125, r.ExitCode);
        Assert.Equal("scute: cannot start the environment: __init runs only as the namespace stage that scute exec starts", r.Stderr.TrimEnd('\n'));
        Assert.Equal(string.Empty, r.Stdout);
    }

    [SkippableFact]
    public void A_malformed_stage_variable_is_refused_in_one_line_with_125()
    {
        var r = TestUser.Run("env", ["SCUTE_NSSTAGE=0;x", ScuteBinary.Path, "__init", "3"]);

        Assert.Equal(125, r.ExitCode);
        Assert.Equal("scute: cannot start the environment: the stage variable is malformed", r.Stderr.TrimEnd('\n'));
    }

    [SkippableTheory]
    [InlineData("TERM", 7)]
    [InlineData("USR1", 8)]
    public void A_signal_sent_to_the_stage_reaches_the_command(string signal, int code)
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var env = s.Build(Manifests.Strict);
        var script = $"trap 'exit {code}' {signal}; echo ready; while :; do sleep 0.05; done";
        using var bg = BackgroundScute.Start(s.User, s.Project, s.Store, ["exec", env, "--", "sh", "-c", script]);

        var clock = Stopwatch.StartNew();
        int? stage = null;
        while (stage is null)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the stage never started");
            var tree = BackgroundScute.Tree(bg.Pid);
            var scute = tree.FirstOrDefault(p => CommandLine(p).StartsWith(ScuteBinary.Path + " exec", StringComparison.Ordinal));
            // The outer stage is scute's child; its own child (pid 1 inside) has the same command line.
            stage = tree.Where(p => Parent(p) == scute && CommandLine(p).StartsWith(ScuteBinary.Path + " __init", StringComparison.Ordinal))
                .Select(p => (int?)p).FirstOrDefault();
            // Signal only once the trap is set: the command runs when its shell's loop does.
            if (stage is not null && !tree.Any(p => CommandLine(p).StartsWith("sleep 0.05", StringComparison.Ordinal)))
            {
                stage = null;
            }

            Thread.Sleep(20);
        }

        Assert.Equal(0, TestUser.Run("kill", ["-" + signal, stage.Value.ToString(CultureInfo.InvariantCulture)]).ExitCode);

        var r = bg.Wait(30_000);
        Assert.True(r.ExitCode == code, r.ToString());
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static int Parent(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
