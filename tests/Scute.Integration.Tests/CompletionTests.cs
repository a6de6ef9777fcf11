using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>The bash completion script, sourced in a real bash as the test user, against a real store.</summary>
[Trait("Category", "Integration")]
public sealed class CompletionTests
{
    // Sets COMP_WORDS/COMP_CWORD as bash does on a tab press, runs the function `complete -p` names, prints COMPREPLY.
    private const string Harness = """
        set -u
        source "$1"
        tab() {
          COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
          local f; f=$(complete -p scute | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
          "$f"
          echo "[$*] ${COMPREPLY[*]}"
        }
        """;

    [SkippableFact]
    public void Bash_completes_commands_options_and_the_environments_of_the_store()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        var shortId = s.Build(Manifests.Strict, name: "web");
        var script = s.Write("scute.bash", s.Scute("completions", "bash").Stdout);

        var r = Bash(s, script, new() { ["SCUTE_STORE"] = s.Store }, """
            tab scute ex
            tab scute exec ''
            tab scute exec w
            tab scute exec --w
            tab scute --js
            tab scute --ver
            tab scute exec --ver
            tab scute stop -t 5 ''
            tab scute exec web ''
            compgen -W "$_scute_commands" ve
            """);

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Contains("[scute ex] exec export", lines);
        Assert.Contains($"[scute exec ] {string.Join(' ', new[] { shortId, "web" }.Order(StringComparer.Ordinal))}", lines);
        Assert.Contains("[scute exec w] web", lines);
        Assert.Contains("[scute exec --w] --workdir", lines);
        Assert.Contains("[scute --js] --json", lines);
        Assert.Contains("[scute --ver] --version --verbose", lines);
        Assert.Contains("[scute exec --ver] --verbose", lines);
        Assert.Contains($"[scute stop -t 5 ] {string.Join(' ', new[] { shortId, "web" }.Order(StringComparer.Ordinal))}", lines);
        Assert.Contains("[scute exec web ] ", lines);
        Assert.Contains("verify-store", lines);
    }

    [SkippableFact]
    public void Bash_reads_the_store_given_on_the_line()
    {
        var s = new ScuteSession(TestUser.WithSubIds);
        s.Build(Manifests.Strict, name: "api");
        var script = s.Write("scute.bash", s.Scute("completions", "bash").Stdout);

        var r = Bash(s, script, new() { ["XDG_DATA_HOME"] = Path.Combine(s.Root, "empty") }, $"""
            tab scute --store {s.Store} destroy ''
            tab scute destroy ''
            """);

        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith($"[scute --store {s.Store} destroy ] ", StringComparison.Ordinal) && l.Split(' ').Contains("api"));
        Assert.Contains("[scute destroy ] ", lines);
    }

    [SkippableFact]
    public void Fish_completes_the_same_and_zsh_reads_its_script()
    {
        Skip.IfNot(File.Exists("/usr/bin/fish") && File.Exists("/usr/bin/zsh"), "fish or zsh is missing (packages fish, zsh; ./test.sh installs them)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var shortId = s.Build(Manifests.Strict, name: "web");
        var fish = s.Write("scute.fish", s.Scute("completions", "fish").Stdout);
        var zsh = s.Write("_scute", s.Scute("completions", "zsh").Stdout);
        var env = new Dictionary<string, string> { ["PATH"] = $"{Path.GetDirectoryName(ScuteBinary.Path)}:/usr/local/bin:/usr/bin:/bin", ["SCUTE_STORE"] = s.Store };

        var r = s.User.RunAs(["fish", "--no-config", "-c", $"source {fish}; complete -C 'scute ex'; complete -C 'scute exec '; complete -C 'scute exec --w'"], s.Project, env);
        var parse = s.User.RunAs(["zsh", "-n", zsh], s.Project, env);

        Assert.True(r.ExitCode == 0, r.ToString());
        var words = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList();
        Assert.Contains("exec", words);
        Assert.Contains("web", words);
        Assert.Contains(shortId, words);
        Assert.Contains("--workdir", words);
        Assert.True(parse.ExitCode == 0 && parse.Stderr.Length == 0, parse.ToString());
    }

    private static ProcessResult Bash(ScuteSession s, string script, Dictionary<string, string> env, string commands)
    {
        var path = $"{Path.GetDirectoryName(ScuteBinary.Path)}:/usr/local/bin:/usr/bin:/bin";
        return s.User.RunAs(["bash", "--norc", "--noprofile", "-c", Harness + "\n" + commands, "bash", script], s.Project, new Dictionary<string, string>(env) { ["PATH"] = path });
    }
}
