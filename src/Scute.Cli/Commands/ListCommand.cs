using System.CommandLine;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Engine.Operations;

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
                var all = ListOperation.Run(context.Engine);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. all.Select(m => (JsonNode?)EnvironmentJson.From(m))]));
                    return ExitCodes.Success;
                }

                TextTable.Write(
                    context.Out,
                    ["SHORT_ID", "NAME", "STATE", "BACKEND", "BASE", "CREATED"],
                    all.Select(m => (IReadOnlyList<string>)[m.ShortId, m.Name ?? "-", StateText.Of(m.State), m.Backend, m.BaseReference,
                        Minute(m.CreatedAt)]));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>"yyyy-MM-dd HH:mm" in the time's own offset, without parsing a format string for every row.</summary>
    public static string Minute(DateTimeOffset t) => string.Create(16, t, static (s, t) =>
    {
        Digits(s[..4], t.Year);
        s[4] = '-';
        Digits(s.Slice(5, 2), t.Month);
        s[7] = '-';
        Digits(s.Slice(8, 2), t.Day);
        s[10] = ' ';
        Digits(s.Slice(11, 2), t.Hour);
        s[13] = ':';
        Digits(s.Slice(14, 2), t.Minute);
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
