using System.Text.Json.Nodes;
using Scute.Engine;
using Scute.Engine.Lifecycle;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Cli.DBus;

/// <summary>
/// Karapace's org.karapace.Manager1 at /org/karapace/Manager1, with its method names and JSON
/// shapes, so front-ends written for Karapace work unchanged; every error is
/// org.freedesktop.DBus.Error.Failed with the message, as Karapace sends it.
/// </summary>
public sealed class KarapaceManager : ManagerObject
{
    public const string ObjectPath = "/org/karapace/Manager1";
    public const string InterfaceName = "org.karapace.Manager1";

    public KarapaceManager(Operations ops)
        : base(ops?.State!, ObjectPath, InterfaceName, Methods(ops!).Select(Failed), [("Progress", "operation target step"), ("StateChanged", "env_id state")])
    {
    }

    protected override string Failure(Exception e) => ErrorReporter.Describe(e, State.StoreRoot).Line;

    /// <summary>{env_id, short_id, name (omitted when none), state}.</summary>
    public static JsonObject Summary(EnvironmentMetadata m) => Summary(EnvironmentSummary.Of(m));

    public static JsonObject Summary(EnvironmentSummary m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var o = new JsonObject { ["env_id"] = m.EnvId, ["short_id"] = m.ShortId };
        if (m.Name is not null)
        {
            o["name"] = m.Name;
        }

        o["state"] = StateMachine.Name(m.State);
        return o;
    }

    private static BusMethod Failed(BusMethod m) => m with
    {
        Run = a =>
        {
            try
            {
                return m.Run(a);
            }
            catch (BusError e) when (e.Name != BusError.Failed)
            {
                throw new BusError(BusError.Failed, e.Message);
            }
        },
    };

    private static IEnumerable<BusMethod> Methods(Operations ops)
    {
        var engine = ops.State.Engine;
        string Ref(object a) => Arguments.Reference(a);
        string Build(object path, string? name) =>
            Summary(ops.Direct(() => InspectOperation.Run(engine, ops.Build(Arguments.ManifestPath(path), InterfaceName, ObjectPath, name).EnvId))).ToJsonString();

        yield return BusMethod.Json("ListEnvironments", "", [], _ =>
            new JsonArray([.. ops.Direct(() => ListOperation.Run(engine)).Select(m => (JsonNode)Summary(m))]).ToJsonString());
        yield return BusMethod.Json("GetEnvironmentStatus", "s", ["id_or_name"], a => Summary(ops.Direct(() => InspectOperation.Run(engine, Ref(a[0])))).ToJsonString());
        yield return new BusMethod("GetEnvironmentHash", "s", ["id_or_name"], "s", ["env_id"],
            a => new StringReply(ops.Direct(() => InspectOperation.Run(engine, Ref(a[0]))).EnvId));
        yield return BusMethod.Json("BuildEnvironment", "s", ["manifest_path"], a => Build(a[0], null));
        yield return BusMethod.Json("BuildNamedEnvironment", "ss", ["manifest_path", "name"], a => Build(a[0], (string)a[1]));
        yield return BusMethod.Json("DestroyEnvironment", "s", ["id_or_name"], a =>
        {
            var m = ops.Direct(() => DestroyOperation.Run(engine, Ref(a[0])));
            ops.State.Emit(ObjectPath, InterfaceName, "StateChanged", m.EnvId, "destroyed");
            return new JsonObject { ["destroyed"] = m.EnvId }.ToJsonString();
        });
        yield return BusMethod.Json("RunEnvironment", "s", ["id_or_name"], a =>
        {
            // No terminal over D-Bus: the environment is started, `true` runs in it, and it is left as it was.
            var env = Ref(a[0]);
            var run = ops.Exec(env, ["true"]);
            if (run.Status != 0)
            {
                throw new BusError(BusError.Failed, FirstLine(run.Stderr) ?? $"the environment {env} did not start (exit {run.Status})");
            }

            return new JsonObject { ["entered"] = ops.Direct(() => InspectOperation.Run(engine, env)).EnvId }.ToJsonString();
        });
        yield return BusMethod.Json("RenameEnvironment", "ss", ["id_or_name", "new_name"], a =>
        {
            var m = ops.Direct(() => RenameOperation.Run(engine, Ref(a[0]), (string)a[1]));
            ops.State.Emit(ObjectPath, InterfaceName, "StateChanged", m.EnvId, StateMachine.Name(m.State));
            return new JsonObject { ["env_id"] = m.EnvId, ["name"] = m.Name }.ToJsonString();
        });
        yield return BusMethod.Json("ListPresets", "", [], _ =>
            new JsonArray([.. ManifestTemplates.Names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["description"] = ManifestTemplates.Description(n) })]).ToJsonString());
        yield return BusMethod.Json("GarbageCollect", "b", ["dry_run"], a =>
        {
            var report = ops.Direct(() => GcOperation.Run(engine, (bool)a[0], CancellationToken.None));
            return new JsonObject
            {
                ["dry_run"] = report.DryRun,
                ["removed_envs"] = report.Count(Store.Gc.GcKind.EnvFolder),
                ["removed_layers"] = report.Count(Store.Gc.GcKind.Layer),
                ["removed_objects"] = report.Count(Store.Gc.GcKind.Object),
            }.ToJsonString();
        });
        yield return BusMethod.Json("VerifyStore", "", [], _ =>
        {
            var r = ops.Direct(() => VerifyStoreOperation.Run(engine));
            var total = r.Objects + r.Layers + r.Environments;
            return new JsonObject { ["checked"] = total, ["passed"] = Math.Max(0, total - r.Problems.Count), ["failed"] = r.Problems.Count }.ToJsonString();
        });
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() is { } l ? (l.StartsWith("scute: ", StringComparison.Ordinal) ? l[7..] : l) : null;
}
