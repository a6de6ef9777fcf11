using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.DBus;

/// <summary>
/// org.scute.Manager1 at /org/scute/Manager1: every method returns the JSON that the matching
/// <c>scute --json</c> command prints (docs/cli.md), except GetEnvironmentHash (the env_id) and
/// ExecInEnvironment (status, stdout, stderr).
/// </summary>
public sealed class ScuteManager : ManagerObject
{
    public const string ObjectPath = "/org/scute/Manager1";
    public const string InterfaceName = "org.scute.Manager1";

    public ScuteManager(Operations ops)
        : base(ops?.State!, ObjectPath, InterfaceName, Methods(ops!), [("Progress", "operation target step"), ("StateChanged", "env_id state")])
    {
    }

    protected override string Failure(Exception e) => ErrorReporter.Describe(e, State.StoreRoot).Line;

    private static IEnumerable<BusMethod> Methods(Operations ops)
    {
        string Changed(string envId, string state, JsonNode json)
        {
            ops.State.Emit(ObjectPath, InterfaceName, "StateChanged", envId, state);
            return json.ToJsonString();
        }

        string Ref(object a) => Arguments.Reference(a);

        yield return BusMethod.Json("ListEnvironments", "", [], _ => ops.Cli(["list"]));
        yield return BusMethod.Json("GetEnvironmentStatus", "s", ["env"], a => ops.Cli(["inspect", "--", Ref(a[0])]));
        yield return new BusMethod("GetEnvironmentHash", "s", ["env"], "s", ["env_id"],
            a => new StringReply(Operations.Parse(ops.Cli(["inspect", "--", Ref(a[0])]))["env_id"]!.GetValue<string>()));
        yield return BusMethod.Json("BuildEnvironment", "s", ["manifest_path"],
            a => BuildJson.From(ops.Build(Arguments.ManifestPath(a[0]), InterfaceName, ObjectPath, null)).ToJsonString());
        yield return BusMethod.Json("BuildNamedEnvironment", "ss", ["manifest_path", "name"],
            a => BuildJson.From(ops.Build(Arguments.ManifestPath(a[0]), InterfaceName, ObjectPath, (string)a[1])).ToJsonString());
        yield return BusMethod.Json("DestroyEnvironment", "s", ["env"], a =>
        {
            var m = ops.Direct(() => DestroyOperation.Run(ops.State.Engine, Ref(a[0])));
            return Changed(m.EnvId, "destroyed", new JsonObject { ["destroyed"] = m.EnvId, ["short_id"] = m.ShortId });
        });
        yield return BusMethod.Json("RenameEnvironment", "ss", ["env", "new_name"], a =>
        {
            var m = ops.Direct(() => RenameOperation.Run(ops.State.Engine, Ref(a[0]), (string)a[1]));
            return Changed(m.EnvId, StateMachine.Name(m.State), EnvironmentJson.From(m, full: false));
        });
        yield return new BusMethod("ExecInEnvironment", "sas", ["env", "command"], "iss", ["status", "stdout", "stderr"],
            a => ops.Exec(Ref(a[0]), (string[])a[1]));
        yield return BusMethod.Json("StopEnvironment", "s", ["env"], a =>
        {
            var r = ops.Direct(() => StopOperation.Run(ops.State.Engine, Ref(a[0]), TimeSpan.FromSeconds(10)));
            return Changed(r.Env.EnvId, StateMachine.Name(r.Env.State), new JsonObject { ["env_id"] = r.Env.EnvId, ["commands"] = r.Commands, ["killed"] = r.Killed });
        });
        yield return BusMethod.Json("Commit", "ss", ["env", "message"], a =>
        {
            var env = Ref(a[0]);
            var note = (string)a[1];
            return ops.Cli(note.Length == 0 ? ["commit", "--", env] : ["commit", $"--message={note}", "--", env]);
        });
        yield return BusMethod.Json("Restore", "ss", ["env", "snapshot"], a => ops.Cli(["restore", "--", Ref(a[0]), Arguments.Reference(a[1], "snapshot (its digest or a prefix of it)")]));
        yield return BusMethod.Json("ListSnapshots", "s", ["env"], a => ops.Cli(["snapshots", "--", Ref(a[0])]));
        yield return BusMethod.Json("GarbageCollect", "b", ["dry_run"], a => ops.Cli((bool)a[0] ? ["gc", "--dry-run"] : ["gc"], ExitCodes.Failure));
        yield return BusMethod.Json("VerifyStore", "", [], _ => ops.Cli(["verify-store"], ExitCodes.StoreIntegrity));
        yield return BusMethod.Json("CheckPolicy", "s", ["manifest_path"], a => ops.Cli(["policy", "--", Arguments.ManifestPath(a[0])], ExitCodes.ManifestOrPolicy));
        yield return BusMethod.Json("Audit", "s", ["env"], a => ((string)a[0]).Length == 0 ? ops.Cli(["audit"]) : ops.Cli(["audit", "--", Ref(a[0])]));
    }
}
