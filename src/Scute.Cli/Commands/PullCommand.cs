using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Sharing;

namespace Scute.Cli.Commands;

public static class PullCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("reference") { Description = "What to pull: host[:port]/repository[:tag][@sha256:<64 hex>], pushed by scute push" };
        var command = new Command("pull", "Pull an environment pushed by scute push and recreate it in the store, checked against this host's policy") { source };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var settings = new PullSettings { Log = context.Verbose ? line => context.Err.WriteLine("scute: " + line) : null };
                PullResult Pull(PullSettings s) => PullOperation.Run(context.Engine, parse.GetValue(source)!, s);
                var r = TerminalProgress.Wanted(context.Json, context.Verbose) && context.Err == Console.Error
                    ? TerminalProgress.Run(p => Pull(settings with { Progress = p }))
                    : Pull(settings);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["env_id"] = r.EnvId,
                        ["short_id"] = r.ShortId,
                        ["name"] = r.Name,
                        ["manifest_digest"] = r.ManifestDigest.ToString(),
                        ["existed"] = r.Existed,
                        ["blobs_fetched"] = r.BlobsFetched,
                        ["manifest"] = r.ManifestPath,
                    });
                }
                else
                {
                    var label = r.ShortId + (r.Name is null ? string.Empty : $" ({r.Name})");
                    context.Out.WriteLine(r.Existed ? $"{label} is in the store already" : $"pulled {label}");
                    context.Out.WriteLine($"  env_id             {r.EnvId}");
                    context.Out.WriteLine($"  manifest           {r.ManifestPath}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
