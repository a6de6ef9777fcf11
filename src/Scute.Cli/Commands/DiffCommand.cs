using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Lifecycle;
using Scute.Store.Overlay;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class DiffCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var command = new Command("diff", "List the paths an environment added (A), changed (C) and deleted (D) against its base") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var changes = DiffOperation.Run(context.Engine, parse.GetValue(env)!);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["added"] = Paths(changes, ChangeKind.Added),
                        ["modified"] = Paths(changes, ChangeKind.Modified),
                        ["removed"] = Paths(changes, ChangeKind.Removed),
                    });
                    return ExitCodes.Success;
                }

                foreach (var c in changes)
                {
                    var letter = c.Kind switch { ChangeKind.Added => 'A', ChangeKind.Modified => 'C', _ => 'D' };
                    context.Out.WriteLine($"{letter} {c.Path}");
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static JsonArray Paths(IReadOnlyList<PathChange> changes, ChangeKind kind) =>
        new([.. changes.Where(c => c.Kind == kind).Select(c => (JsonNode?)JsonValue.Create(c.Path))]);
}
