using System.Globalization;
using Scute.Cli.Commands;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Lifecycle;
using Scute.Policy;
using Scute.Policy.Audit;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Tui;

/// <summary>The real store: the same engine operations, with the same lines, as the CLI commands.</summary>
public sealed class EngineOperations(EngineContext engine) : ITuiOperations
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public string StoreRoot => engine.StoreRoot;

    /// <summary>The store's operations as scute-tui runs them: no lock timeout, the waiting line said through <paramref name="waiting"/>.</summary>
    public static EngineOperations ForStore(string storeRoot, LockWaitingLine waiting)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        return new EngineOperations(new EngineContext(storeRoot, new StoreOptions { LockWaiting = waiting.Say }));
    }

    public IReadOnlyList<EnvironmentRow> List() =>
        [.. ListOperation.Run(engine).Select(m => new EnvironmentRow(
            m.EnvId, m.ShortId, m.Name, StateMachine.Name(m.State), m.BaseReference, FolderBytes(new EnvironmentDirs(new StoreLayout(engine.StoreRoot).EnvDir(m.EnvId)).Upper), m.CreatedAt))];

    public EnvironmentDetails Details(string envId)
    {
        var m = InspectOperation.Run(engine, envId);
        var lines = new List<string>
        {
            $"env_id   {m.EnvId}",
            $"name     {m.Name ?? "-"}",
            $"state    {StateMachine.Name(m.State)}",
            $"backend  {m.Backend}",
            $"base     {m.BaseReference}",
            $"manifest {m.ManifestPath}",
            string.Empty,
            "security:",
        };
        lines.AddRange(SecuritySummary.Lines(SecurityContextJson.Parse(m.SecurityJson)).Select(l => $"  {l.Key,-18} {l.Value}"));

        var snapshots = SnapshotsOperation.Run(engine, envId);
        lines.Add(string.Empty);
        lines.Add(snapshots.Count == 0 ? "snapshots: none" : "snapshots:");
        lines.AddRange(snapshots.Select(s =>
            $"  {s.Layer.Hex[..12]} {s.CreatedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "-"}{(s.Current ? " *" : "  ")} {s.Note}".TrimEnd()));

        var audit = AuditOperation.Run(engine, envId);
        lines.Add(string.Empty);
        lines.Add(audit.Records.Count == 0 ? "audit: no records" : "audit:");
        lines.AddRange(audit.Records.Select(Audit));
        if (audit.Break is { } broken)
        {
            lines.Add($"  the audit chain is broken at {broken} (scute verify-store checks the whole store)");
        }

        return new EnvironmentDetails(lines, [.. snapshots.Select(s => new SnapshotRow(s.Layer.Hex[..12], s.Current, s.Note))]);
    }

    public string Destroy(string envId) => $"destroyed {DestroyOperation.Run(engine, envId).ShortId}";

    public string Stop(string envId)
    {
        var r = StopOperation.Run(engine, envId, StopTimeout);
        return r.Commands == 0
            ? $"{r.Env.ShortId} is not running"
            : $"stopped {r.Env.ShortId} ({r.Commands} command{(r.Commands == 1 ? "" : "s")}{(r.Killed ? ", killed after the timeout" : "")})";
    }

    public string Freeze(string envId) => $"frozen {StateChangeOperation.Freeze(engine, envId).ShortId}";

    public string Archive(string envId) => $"archived {StateChangeOperation.Archive(engine, envId).ShortId}";

    public string Rename(string envId, string newName)
    {
        var m = RenameOperation.Run(engine, envId, newName);
        return $"renamed {m.ShortId} to {m.Name}";
    }

    public string Commit(string envId, string? note) => $"committed {CommitOperation.Run(engine, envId, note).Layer}";

    public string Restore(string envId, string snapshot) => $"restored {RestoreOperation.Run(engine, envId, snapshot).Layer}";

    public string GcPreview() => GcCommand.Summary(GcOperation.Run(engine, dryRun: true, CancellationToken.None));

    public string Gc()
    {
        var report = GcOperation.Run(engine, dryRun: false, CancellationToken.None);
        return report.Failed.Count == 0
            ? GcCommand.Summary(report)
            : $"{GcCommand.Summary(report)}; could not remove {report.Failed[0].Path}: {report.Failed[0].Reason}";
    }

    public int Run(string envId, IReadOnlyList<string> argv) => ExecOperation.Run(engine, envId, argv, workingDir: null, terminal: true);

    private static string Audit(AuditRecord r) =>
        $"  {r.Time.ToString(AuditRecord.TimeFormat, CultureInfo.InvariantCulture)} {r.Kind} {r.Field}={r.Value}: {r.Reason}";

    /// <summary>What the environment's upper folder holds (its changes; never merged, which may be mounted); what this user cannot read is left out.</summary>
    private static long? FolderBytes(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return null;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        try
        {
            return new DirectoryInfo(dir).EnumerateFiles("*", options).Sum(f => f.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
