using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Lifecycle;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class SnapshotsCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("snapshots", "List an environment's snapshots, oldest first") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var all = SnapshotsOperation.Run(context.Engine, parse.GetValue(env)!);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. all.Select(s => (JsonNode?)SnapshotJson.From(s))]));
                    return ExitCodes.Success;
                }

                TextTable.Write(
                    context.Out,
                    ["SNAPSHOT", "CREATED", "CURRENT", "NOTE"],
                    all.Select(s => (IReadOnlyList<string>)[s.Layer.Hex[..12],
                        s.CreatedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                        s.Current ? "*" : "", s.Note ?? ""]));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
