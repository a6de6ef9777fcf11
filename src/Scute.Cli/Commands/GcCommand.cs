using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Store.Gc;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

/// <summary>gc [--dry-run]: remove what no environment reaches; stops cleanly on SIGINT/SIGTERM.</summary>
public static class GcCommand
{
    /// <summary>128 + the signal number, as a shell reports a command killed by it.</summary>
    public const int InterruptedBySigint = 130;
    public const int InterruptedBySigterm = 143;

    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Only print what would be removed" };
        var command = new Command("gc", "Remove objects, layers, images, env folders and staging scratch that no environment reaches") { dryRun };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () => Run(context, parse.GetValue(dryRun)));
        });
        return command;
    }

    private static int Run(CommandContext context, bool dryRun)
    {
        using var cancel = new CancellationTokenSource();
        var signal = 0;
        void Stop(PosixSignalContext c)
        {
            c.Cancel = true; // finish the current deletion, then stop
            Interlocked.CompareExchange(ref signal, c.Signal == PosixSignal.SIGINT ? InterruptedBySigint : InterruptedBySigterm, 0);
            cancel.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var verb = dryRun ? "would remove" : "removed";
        var report = GcOperation.Run(context.Engine, dryRun, cancel.Token, context.Json ? null : r => context.Out.WriteLine($"{verb} {Label(r.Node.Kind)} {r.Path}{Size(r)}"));
        var code = report.Interrupted ? Volatile.Read(ref signal) : report.Failed.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        if (context.Json)
        {
            JsonOut.Write(context.Out, ToJson(report, code));
        }
        else
        {
            context.Out.WriteLine(Summary(report));
        }

        foreach (var f in report.Failed)
        {
            context.Err.WriteLine($"scute: could not remove {f.Path}: {f.Reason}");
            if (f.Hint is not null)
            {
                context.Err.WriteLine($"scute: {f.Hint}");
            }
        }

        if (report.Interrupted)
        {
            var name = code == InterruptedBySigint ? "SIGINT" : "SIGTERM";
            context.Err.WriteLine($"scute: gc stopped by {name} after {report.Removed.Count} removal(s); {report.NotReached} left for the next scute gc (the store is consistent)");
        }

        return code;
    }

    public static string Summary(GcReport r) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(r.DryRun ? "would remove" : "removed")} {r.Count(GcKind.Object)} objects ({Megabytes(r.ObjectBytes)} MB), {r.Count(GcKind.Layer)} layers, {r.Count(GcKind.Image)} images, {r.Count(GcKind.EnvFolder)} env folders, {r.Count(GcKind.Staging)} staging entries; kept {r.Kept}");

    private static JsonObject ToJson(GcReport r, int code) => new()
    {
        ["dry_run"] = r.DryRun,
        ["interrupted"] = r.Interrupted,
        ["exit_code"] = code,
        ["removed"] = new JsonArray([.. r.Removed.Select(x => (JsonNode?)new JsonObject
        {
            ["kind"] = JsonKind(x.Node.Kind),
            ["id"] = x.Node.Id,
            ["path"] = x.Path,
            ["bytes"] = x.Bytes,
        })]),
        ["failed"] = new JsonArray([.. r.Failed.Select(x => (JsonNode?)new JsonObject
        {
            ["kind"] = JsonKind(x.Node.Kind),
            ["id"] = x.Node.Id,
            ["path"] = x.Path,
            ["reason"] = x.Reason,
            ["hint"] = x.Hint,
        })]),
        ["summary"] = new JsonObject
        {
            ["objects"] = r.Count(GcKind.Object),
            ["object_bytes"] = r.ObjectBytes,
            ["layers"] = r.Count(GcKind.Layer),
            ["images"] = r.Count(GcKind.Image),
            ["env_folders"] = r.Count(GcKind.EnvFolder),
            ["staging_entries"] = r.Count(GcKind.Staging),
            ["kept"] = r.Kept,
            ["not_reached"] = r.NotReached,
        },
    };

    private static string Label(GcKind kind) => kind switch
    {
        GcKind.Object => "object",
        GcKind.Layer => "layer",
        GcKind.Image => "image",
        GcKind.EnvFolder => "env folder",
        GcKind.Staging => "staging entry",
        _ => "environment",
    };

    private static string JsonKind(GcKind kind) => Label(kind).Replace(' ', '_');

    private static string Size(GcRemoval r) =>
        r.Node.Kind == GcKind.Object ? string.Create(CultureInfo.InvariantCulture, $" ({Megabytes(r.Bytes)} MB)") : string.Empty;

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", CultureInfo.InvariantCulture);
}
