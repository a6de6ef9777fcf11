using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Launchers;
using Scute.Store;

namespace Scute.Cli.Commands;

/// <summary>scute export app|bin: menu entries and ~/.local/bin scripts that run an environment's programs.</summary>
internal static class LauncherExport
{
    public static int Run(CommandContext context, string kind, string? reference, string? name, string[] command, bool list, bool remove) =>
        ErrorReporter.Run(context, () =>
        {
            var app = kind == Engine.Export.ExportFormats.App;
            if (list)
            {
                var envId = reference is null ? null : Find(context, reference).EnvId;
                var rows = app
                    ? AppLaunchers.List(envId).Select(l => (l.ShortId, Name: l.App, File: l.DesktopFile)).ToList()
                    : [.. BinLauncher.List(envId).Select(b => (ShortId: b.EnvId[..12], Name: Path.GetFileName(b.File), b.File))];
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. rows.Select(r => (JsonNode?)new JsonObject { ["short_id"] = r.ShortId, [app ? "app" : "command"] = r.Name, ["file"] = r.File })]));
                }
                else
                {
                    TextTable.Write(context.Out, ["SHORT_ID", app ? "APP" : "COMMAND", "FILE"], [.. rows.Select(r => (IReadOnlyList<string>)[r.ShortId, r.Name, r.File])]);
                }

                return ExitCodes.Success;
            }

            if (reference is null)
            {
                throw new EngineException($"export {kind} needs an environment: scute export {kind} <env> <{(app ? "app" : "command")}>");
            }

            if (remove)
            {
                var env = Find(context, reference);
                var gone = app ? AppLaunchers.Remove(env.EnvId, name).Select(l => l.DesktopFile).ToList() : [.. BinLauncher.Remove(env.EnvId, name)];
                if (gone.Count == 0)
                {
                    throw new EngineException($"nothing of {env.ShortId}{(name is null ? "" : " named " + name)} was exported as {kind}");
                }

                foreach (var file in gone)
                {
                    context.Out.WriteLine($"removed {file}");
                }

                return ExitCodes.Success;
            }

            if (name is null)
            {
                throw new EngineException($"export {kind} needs {(app ? "an app" : "a command")}: scute export {kind} <env> <{(app ? "app" : "command")}>");
            }

            IReadOnlyList<string> files;
            if (app)
            {
                var launcher = AppLaunchers.Export(context.Engine, reference, name, command);
                files = [launcher.DesktopFile, .. launcher.Icons];
            }
            else
            {
                files = [BinLauncher.Export(context.Engine, reference, name).File];
            }

            if (context.Json)
            {
                JsonOut.Write(context.Out, new JsonObject { ["format"] = kind, ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)JsonValue.Create(f))]) });
            }
            else
            {
                foreach (var file in files)
                {
                    context.Out.WriteLine($"wrote {file}");
                }
            }

            return ExitCodes.Success;
        });

    private static EnvironmentMetadata Find(CommandContext context, string reference)
    {
        var store = context.Engine.OpenExistingStore();
        using (store.LockForChange())
        {
            return EnvironmentFinder.Find(store, reference);
        }
    }
}
