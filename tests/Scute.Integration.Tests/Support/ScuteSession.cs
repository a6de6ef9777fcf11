namespace Scute.Integration.Tests.Support;

/// <summary>One user's project folder and store, with the real CLI run as that user.</summary>
public sealed class ScuteSession
{
    public ScuteSession(TestUser user)
    {
        Skip.IfNot(user.Exists, $"test user {user.Name} does not exist (./test.sh creates it as root)");
        User = user;
        Root = user.NewFolder();
        Project = System.IO.Path.Combine(Root, "project");
        Store = System.IO.Path.Combine(Root, "store");
        User.RunAs(["mkdir", "-p", Project]);
    }

    public TestUser User { get; }

    public string Root { get; }

    public string Project { get; }

    public string Store { get; }

    /// <summary>Extra variables every scute run of this session gets (SCUTE_IMAGE_SERVER, ...).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public ProcessResult Scute(params string[] args) => ScuteIn(Project, null, args);

    public ProcessResult ScuteWithInput(string stdin, params string[] args) => ScuteIn(Project, stdin, args);

    public ProcessResult ScuteIn(string folder, string? stdin, params string[] args) =>
        User.RunAs([ScuteBinary.Path, .. args], folder, new Dictionary<string, string>(Environment) { ["SCUTE_STORE"] = Store }, stdin);

    /// <summary>Writes a file as the user (so ownership is theirs).</summary>
    public string Write(string relativePath, string content)
    {
        var path = System.IO.Path.Combine(Project, relativePath);
        var result = User.RunAs(["sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"", "sh", path], Project, stdin: content);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }

        return path;
    }

    /// <summary>Builds the manifest text in the project folder and returns the env's short id.</summary>
    public string Build(string manifest, string file = "scute.toml", string? name = null)
    {
        Write(file, manifest);
        var args = new List<string> { "--json", "build", file };
        if (name is not null)
        {
            args.AddRange(["--name", name]);
        }

        var result = Scute([.. args]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("build failed: " + result);
        }

        return System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!["short_id"]!.GetValue<string>();
    }
}
