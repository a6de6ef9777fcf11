using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class PinCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string?>("manifest") { Description = "Manifest file (default: scute.toml, else karapace.toml, in this folder)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("pin", "Rewrite the manifest's image reference to the digest its lock resolved") { manifest };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var r = PinOperation.Run(parse.GetValue(manifest));
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["manifest"] = r.ManifestPath,
                        ["before"] = r.Before,
                        ["after"] = r.After,
                        ["changed"] = r.Changed,
                        ["note"] = r.Note,
                    });
                }
                else if (r.Changed)
                {
                    context.Out.WriteLine($"pinned {r.ManifestPath}: image = \"{r.After}\" (was \"{r.Before}\")");
                }
                else
                {
                    context.Out.WriteLine($"nothing to pin in {r.ManifestPath}: {r.Note}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
