using Scute.Tui;

namespace Scute.Cli.Tests.Tui;

/// <summary>A store in memory that records which operation the UI called, on which environment.</summary>
internal sealed class FakeOperations : ITuiOperations
{
    public List<EnvironmentRow> Rows { get; } = [];

    public List<string> Calls { get; } = [];

    public Exception? Failure { get; set; }

    public List<SnapshotRow> Snapshots { get; } = [];

    public string StoreRoot => "/nonexistent/store";

    public IReadOnlyList<EnvironmentRow> List() => Fail() ?? Rows;

    public EnvironmentDetails Details(string envId) => new([$"details of {envId}"], Snapshots);

    public string Destroy(string envId) => Call($"destroy {envId}", () => Rows.RemoveAll(r => r.EnvId == envId));

    public string Stop(string envId) => Call($"stop {envId}");

    public string Freeze(string envId) => Call($"freeze {envId}");

    public string Archive(string envId) => Call($"archive {envId}");

    public string Rename(string envId, string newName) => Call($"rename {envId} {newName}");

    public string Commit(string envId, string? note) => Call($"commit {envId} {note ?? "<none>"}");

    public string Restore(string envId, string snapshot) => Call($"restore {envId} {snapshot}");

    public string GcPreview() => Call("gc --dry-run");

    public string Gc() => Call("gc");

    public int Run(string envId, IReadOnlyList<string> argv)
    {
        Call($"run {envId} [{string.Join('|', argv)}]");
        return 7;
    }

    public static EnvironmentRow Row(string id, string? name, string state = "built", string @base = "debian:bookworm") =>
        new(id + new string('0', 64 - id.Length), id, name, state, @base, 4096, new DateTimeOffset(2026, 1, 2, 3, 4, 0, TimeSpan.Zero));

    private IReadOnlyList<EnvironmentRow>? Fail() => Failure is { } e ? throw e : null;

    private string Call(string what, Action? effect = null)
    {
        if (Failure is { } e)
        {
            throw e;
        }

        Calls.Add(what);
        effect?.Invoke();
        return "did " + what;
    }
}
