using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Export;

namespace Scute.Cli.Commands;

public static class ExportCommand
{
    public static Command Create()
    {
        var format = new Argument<string>("format")
        {
            Description = "oci (a layout folder), oci-archive (a tar of one), quadlet (a Podman .container unit), kube (a Kubernetes Pod), app (a menu entry on this host) or bin (a script in ~/.local/bin)",
        };
        format.AcceptOnlyFromAmong([.. ExportFormats.All, ExportFormats.App, ExportFormats.Bin]);
        var env = new Argument<string?>("env") { Description = "env_id, short_id or name", Arity = ArgumentArity.ZeroOrOne };
        var path = new Argument<string?>("path")
        {
            Description = "oci, oci-archive: where to write (required); quadlet, kube: the file (default <name>.container / <name>.yaml here); app: the app (its .desktop name in the environment); bin: the command",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var argv = new Argument<string[]>("command") { Description = "app: the command the menu entry runs instead of the app's own (after --)", Arity = ArgumentArity.ZeroOrMore };
        var list = new Option<bool>("--list") { Description = "app, bin: list what was exported (of <env>, or of every environment)" };
        var remove = new Option<bool>("--remove") { Description = "app, bin: remove the exported app or command of <env> (every one without a name)" };
        var command = new Command("export", "Write an environment as an OCI image, a Quadlet unit or a Kubernetes Pod with the same security context, or put its apps in this host's menu") { format, env, path, argv, list, remove };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            var kind = parse.GetValue(format)!;
            if (kind is ExportFormats.App or ExportFormats.Bin)
            {
                return LauncherExport.Run(context, kind, parse.GetValue(env), parse.GetValue(path), parse.GetValue(argv) ?? [], parse.GetValue(list), parse.GetValue(remove));
            }

            return ErrorReporter.Run(context, () =>
            {
                if (parse.GetValue(env) is not { } reference)
                {
                    throw new Scute.Engine.EngineException($"export {kind} needs an environment: scute export {kind} <env>");
                }

                if (parse.GetValue(list) || parse.GetValue(remove) || (parse.GetValue(argv)?.Length ?? 0) > 0)
                {
                    throw new Scute.Engine.EngineException($"--list, --remove and a command are for export app and export bin, not {kind}");
                }

                var r = ExportOperation.Run(context.Engine, reference, kind, parse.GetValue(path));
                foreach (var warning in r.Warnings)
                {
                    context.Err.WriteLine($"scute: warning: {warning}");
                }

                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["short_id"] = r.ShortId,
                        ["format"] = r.Format,
                        ["files"] = new JsonArray([.. r.Files.Select(f => (JsonNode?)JsonValue.Create(f))]),
                        ["image"] = r.ImageTag,
                        ["manifest_digest"] = r.ManifestDigest?.ToString(),
                        ["warnings"] = new JsonArray([.. r.Warnings.Select(w => (JsonNode?)JsonValue.Create(w))]),
                    });
                }
                else
                {
                    foreach (var file in r.Files)
                    {
                        context.Out.WriteLine($"wrote {file}");
                    }

                    context.Out.WriteLine($"image {r.ImageTag}" + (r.ManifestDigest is { } d ? $" ({d})" : ""));
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
