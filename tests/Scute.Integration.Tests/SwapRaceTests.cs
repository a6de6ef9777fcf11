using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Scute.Integration.Tests;

/// <summary>
/// The commit escape, end to end: while `scute commit` packs the upper dir, a process of the same
/// user exchanges (renameat2 RENAME_EXCHANGE, in a loop) a real folder of the upper with a
/// symlink to a host folder holding a marker file. A packer that lists a folder and then opens
/// its entries by path gets the marker into a layer, and `restore` would hand it back inside.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SwapRaceTests(ITestOutputHelper output)
{
    private const int Commits = 300;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    [SkippableFact]
    public void Commit_never_packs_a_host_file_while_a_folder_and_a_symlink_are_swapped()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Write("karapace.toml", "manifest_version = 1\n\n[base]\nimage = \"builtin:busybox\"\n\n[runtime]\nbackend = \"namespace\"\n");
        var build = s.Scute("--json", "build", "--name", "dev");
        Assert.True(build.ExitCode == 0, build.ToString());
        var envId = JsonNode.Parse(build.Stdout)!["env_id"]!.GetValue<string>();
        var race = Path.Combine(s.Store, "env", envId, "upper", "race");
        var marker = "scute-swap-marker-" + Guid.NewGuid().ToString("N");
        var host = Path.Combine(s.Root, "host");

        // race/0pad sorts first, so packing it widens the window between listing race/ and opening race/a.
        var setup = s.User.RunAs(
            ["sh", "-c", """
                set -e
                mkdir -p "$1" "$2/0pad" "$2/a"
                echo "$3" > "$1/$3.txt"
                i=0; while [ $i -lt 200 ]; do echo pad > "$2/0pad/f$i"; i=$((i + 1)); done
                echo inside > "$2/a/inside.txt"
                ln -s "$1" "$2/b"
                """, "sh", host, race, marker]);
        Assert.True(setup.ExitCode == 0, setup.ToString());

        using var swapper = Start(s.User, [AttackProgram.PathOf("swap_race"), race, "a", "b", "120"]);
        var (committed, refused, clock) = (0, 0, Stopwatch.StartNew());
        try
        {
            for (var i = 0; i < Commits && clock.Elapsed < Budget; i++)
            {
                if (swapper.HasExited)
                {
                    Assert.Fail("swap_race stopped early: " + swapper.StandardError.ReadToEnd());
                }

                var commit = s.Scute("commit", "dev");
                if (commit.ExitCode == 0)
                {
                    committed++;
                    continue;
                }

                // The one accepted failure: the walk saw an entry change type and stopped.
                Assert.True(commit.ExitCode == 1 && commit.Stderr.Contains("while the tree was being read", StringComparison.Ordinal), commit.ToString());
                refused++;
            }
        }
        finally
        {
            swapper.Kill(entireProcessTree: true);
            swapper.WaitForExit();
        }

        output.WriteLine($"{committed} commits, {refused} refused (entry changed type), {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(committed > 0, $"no commit succeeded in {committed + refused} tries");
        var leaked = Directory.GetFiles(Path.Combine(s.Store, "store", "objects"))
            .Where(o => Contains(o, Encoding.ASCII.GetBytes(marker)))
            .ToList();
        Assert.True(leaked.Count == 0, $"the host marker is in {string.Join(", ", leaked)} ({committed} commits, {refused} refused)");
        var verify = s.Scute("verify-store");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    private static bool Contains(string file, byte[] needle)
    {
        // Objects are small here, except the base image's tar (a few MB).
        var bytes = File.ReadAllBytes(file);
        return bytes.AsSpan().IndexOf(needle) >= 0;
    }

    private static Process Start(TestUser user, IReadOnlyList<string> argv)
    {
        var prefix = TestUser.RunningAsRoot ? new[] { "runuser", "-u", user.Name, "--" } : [];
        var all = prefix.Concat(argv).ToList();
        var psi = new ProcessStartInfo(all[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in all.Skip(1))
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }
}
