using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Export;

namespace Scute.Cli.Commands;

public static class ExportCommand
{
    public static Command Create()
    {
        var format = new Argument<string>("format") { Description = "oci (a layout folder), oci-archive (a tar of one), quadlet (a Podman .container unit) or kube (a Kubernetes Pod)" };
        format.AcceptOnlyFromAmong(ExportFormats.All);
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var path = new Argument<string?>("path")
        {
            Description = "Where to write: required for oci and oci-archive; quadlet and kube default to <name>.container / <name>.yaml here",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("export", "Write an environment as an OCI image, a Quadlet unit or a Kubernetes Pod with the same security context") { format, env, path };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var r = ExportOperation.Run(context.StoreRoot, parse.GetValue(env)!, parse.GetValue(format)!, parse.GetValue(path));
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
