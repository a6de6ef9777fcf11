using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scute.Runtime.Podman;

/// <summary>
/// Scute's precreate hook (oci-hooks(5), a Podman extension): Podman hands it the runtime
/// config.json it generated and runs the container with what it prints. It takes out what Podman
/// adds that the other backends do not give (docs/security-model.md, "podman backend"): the
/// /dev/mqueue mount, the HOSTNAME variable Podman sets even with --unsetenv-all, and the host's
/// /sys bound with only its top mount read-only (without a network namespace of its own, the
/// mounts below it, cgroup's among them, would stay writable).
/// </summary>
public static class PodmanConfigFilter
{
    /// <summary>The hook's argument when the allow-list itself passes HOSTNAME.</summary>
    public const string KeepHostname = "--keep-hostname";

    public static string Apply(string configJson, bool keepHostname)
    {
        var config = JsonNode.Parse(configJson)?.AsObject() ?? throw new JsonException("the runtime config is not a JSON object");
        if (config["mounts"] is JsonArray mounts)
        {
            foreach (var mount in mounts.OfType<JsonObject>().Where(m => Destination(m) == "/dev/mqueue").ToList())
            {
                mounts.Remove(mount);
            }

            foreach (var mount in mounts.OfType<JsonObject>().Where(m => Destination(m) == "/sys" && (string?)m["type"] == "bind"))
            {
                if (mount["options"] is JsonArray options && !options.Any(o => (string?)o == "rro"))
                {
                    // rro: read-only recursively (mount_setattr), as the other backends bind it.
                    options.Add((JsonNode)"rro");
                }
            }
        }

        if (!keepHostname && config["process"]?["env"] is JsonArray env)
        {
            foreach (var variable in env.Where(v => ((string?)v)?.StartsWith("HOSTNAME=", StringComparison.Ordinal) == true).ToList())
            {
                env.Remove(variable);
            }
        }

        return config.ToJsonString();
    }

    /// <summary>The hook's definition for --hooks-dir: every container of this podman call, before it is created.</summary>
    public static string HookDefinition(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var hook = new JsonObject
        {
            ["version"] = "1.0.0",
            ["hook"] = new JsonObject
            {
                ["path"] = argv[0],
                ["args"] = new JsonArray([.. argv.Select(a => (JsonNode?)JsonValue.Create(a))]),
            },
            ["when"] = new JsonObject { ["always"] = true },
            ["stages"] = new JsonArray("precreate"),
        };
        return hook.ToJsonString();
    }

    /// <summary>The hook's entry: config.json on stdin, the filtered config on stdout.</summary>
    public static int Run(TextReader input, TextWriter output, TextWriter error, bool keepHostname)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            output.Write(Apply(input.ReadToEnd(), keepHostname));
            return 0;
        }
        catch (JsonException e)
        {
            error.WriteLine($"scute: podman's runtime config: {e.Message}");
            return 1;
        }
    }

    private static string? Destination(JsonObject mount) => (string?)mount["destination"];
}
