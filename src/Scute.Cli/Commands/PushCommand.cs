using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Scute.Cli.Output;
using Scute.Engine.Sharing;
using Scute.Images.Registry;

namespace Scute.Cli.Commands;

public static class PushCommand
{
    public static Command Create()
    {
        var env = new Argument<string>("env") { Description = "env_id, short_id or name" };
        var target = new Argument<string>("reference") { Description = "Where to push: host[:port]/repository[:tag] (tag default: latest)" };
        var chunk = new Option<int>("--chunk-size")
        {
            Description = "Upload blobs larger than this many MiB in PATCH chunks of that size (smaller ones in one PUT)",
            DefaultValueFactory = _ => PushOptions.DefaultChunkSize / (1024 * 1024),
        };
        var signKey = new Option<string?>("--sign-key") { Description = "Sign the pushed image with this private key (from scute keygen), as a sigstore signature Podman and skopeo verify" };
        var command = new Command("push", "Push an environment to an OCI registry: its image, manifest and lock, to recreate it elsewhere with scute pull") { env, target, chunk, signKey };
        command.SetAction(parse =>
        {
            var context = Program.Context(parse);
            return ErrorReporter.Run(context, () =>
            {
                var mib = parse.GetValue(chunk);
                if (mib is < 1 or > 1024)
                {
                    throw new Engine.EngineException($"--chunk-size {mib}: give 1 to 1024 (MiB)");
                }

                var settings = new PushSettings
                {
                    Upload = new PushOptions { ChunkSize = mib * 1024 * 1024 },
                    Log = context.Verbose ? line => context.Err.WriteLine("scute: " + line) : null,
                    SignKeyFile = parse.GetValue(signKey) is { } key ? Path.GetFullPath(key) : null,
                };
                PushResult Push(PushSettings s) => PushOperation.Run(context.Engine, parse.GetValue(env)!, parse.GetValue(target)!, s);
                var r = TerminalProgress.Wanted(context.Json, context.Verbose) && context.Err == Console.Error
                    ? TerminalProgress.Run(p => Push(settings with { Progress = p }))
                    : Push(settings);
                if (context.Json)
                {
                    JsonOut.Write(context.Out, new JsonObject
                    {
                        ["short_id"] = r.ShortId,
                        ["reference"] = r.Reference,
                        ["manifest_digest"] = r.ManifestDigest.ToString(),
                        ["blobs"] = r.Blobs,
                        ["present"] = r.Present,
                        ["mounted"] = r.Mounted,
                        ["uploaded"] = r.Uploaded,
                        ["chunks"] = r.Chunks,
                        ["attachments"] = new JsonArray([.. r.Attachments.Select(a => (JsonNode?)JsonValue.Create(a.ToString()))]),
                    });
                }
                else
                {
                    context.Out.WriteLine($"pushed {r.ShortId} to {r.Reference}@{r.ManifestDigest}");
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  blobs              {r.Blobs}: {r.Uploaded} uploaded, {r.Mounted} mounted, {r.Present} already there"));
                }

                return ExitCodes.Success;
            });
        });
        return command;
    }
}
