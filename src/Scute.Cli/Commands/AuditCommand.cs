using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine;
using Scute.Policy.Audit;
using Scute.Store;
using Scute.Engine.Operations;

namespace Scute.Cli.Commands;

public static class AuditCommand
{
    public static Command Create()
    {
        var env = new Argument<string?>("env") { Description = "Only this environment (env_id, short_id or name)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("audit", "Show the audit trail: every override, added capability and dev-profile relaxation, with its reason") { env };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var listing = AuditOperation.Run(context.Engine, parse.GetValue(env));
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonArray([.. listing.Records.Select(r => (JsonNode?)r.ToJson())]));
                }
                else
                {
                    TextTable.Write(context.Out, ["TIME", "ENV", "KIND", "FIELD", "VALUE", "REASON"], listing.Records.Select(Row));
                }

                // The records are shown either way; a broken chain still fails (exit 3) naming the line.
                return listing.Break is { } broken
                    ? throw new StoreCorruptionException(listing.LogPath, $"the audit chain is broken at {broken} (scute verify-store checks the whole store)")
                    : ExitCodes.Success;
            });
        });
        return command;
    }

    private static IReadOnlyList<string> Row(AuditRecord r) =>
        [r.Time.ToString(AuditRecord.TimeFormat, CultureInfo.InvariantCulture), r.EnvId[..Math.Min(12, r.EnvId.Length)], r.Kind, r.Field, r.Value, r.Reason];
}
