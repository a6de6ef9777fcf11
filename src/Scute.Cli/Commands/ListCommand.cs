using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;

namespace Scute.Cli.Commands;

public static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the environments in the store");
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var all = ListOperation.Run(context.StoreRoot);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. all.Select(m => (JsonNode?)EnvironmentJson.From(m, full: false))]));
                    return ExitCodes.Success;
                }

                TextTable.Write(
                    context.Out,
                    ["SHORT_ID", "NAME", "STATE", "BACKEND", "BASE", "CREATED"],
                    all.Select(m => (IReadOnlyList<string>)[m.ShortId, m.Name ?? "-", StateText.Of(m.State), m.Backend, m.BaseReference,
                        m.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)]));
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
