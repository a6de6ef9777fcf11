using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class RebuildCommand
{
    public static Command Create()
    {
        var manifest = new Argument<string?>("manifest") { Description = "Manifest file (default: scute.toml, else karapace.toml, in this folder)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("rebuild", "Build the manifest's environment afresh, then remove the old one (name and snapshots kept)") { manifest };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var r = RebuildOperation.Run(context.Engine, parse.GetValue(manifest), TimeProvider.System);
                var b = r.Build;
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["env_id"] = b.EnvId,
                        ["short_id"] = b.ShortId,
                        ["name"] = b.Name,
                        ["lock"] = b.LockPath,
                        ["base_digest"] = b.BaseDigest.ToString(),
                        ["removed"] = new JsonArray([.. r.Removed.Select(id => (JsonNode?)JsonValue.Create(id))]),
                    });
                    return ExitCodes.Success;
                }

                context.Out.WriteLine($"rebuilt {b.ShortId}" + (b.Name is null ? string.Empty : $" ({b.Name})"));
                foreach (var id in r.Removed)
                {
                    context.Out.WriteLine($"  removed {id}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
