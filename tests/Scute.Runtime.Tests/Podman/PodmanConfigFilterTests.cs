using System.Text.Json.Nodes;
using Scute.Runtime.Podman;

namespace Scute.Runtime.Tests.Podman;

public sealed class PodmanConfigFilterTests
{
    /// <summary>The parts of a config.json rootless Podman 4.3 writes for `run --network host` that the hook looks at.</summary>
    private const string Config = """
        {
          "process": { "env": ["PATH=/usr/bin:/bin", "TERM=xterm", "HOSTNAME=app", "HOME=/home/scute"] },
          "mounts": [
            { "destination": "/proc", "type": "proc", "source": "proc", "options": ["nosuid", "noexec", "nodev"] },
            { "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue", "options": ["nosuid", "noexec", "nodev"] },
            { "destination": "/sys", "type": "bind", "source": "/sys", "options": ["rprivate", "nosuid", "noexec", "nodev", "ro", "rbind"] },
            { "destination": "/sys/fs/cgroup", "type": "tmpfs", "source": "tmpfs", "options": ["ro"] }
          ],
          "linux": { "namespaces": [{ "type": "mount" }] }
        }
        """;

    private static JsonObject Filtered(bool keepHostname = false) => JsonNode.Parse(PodmanConfigFilter.Apply(Config, keepHostname))!.AsObject();

    private static IEnumerable<string> Destinations(JsonObject c) => c["mounts"]!.AsArray().Select(m => (string)m!["destination"]!);

    [Fact]
    public void The_mqueue_mount_goes_and_the_rest_stays_in_order()
    {
        Assert.Equal(["/proc", "/sys", "/sys/fs/cgroup"], Destinations(Filtered()));
    }

    [Fact]
    public void The_hosts_sys_is_read_only_recursively()
    {
        var sys = Filtered()["mounts"]!.AsArray().Single(m => (string)m!["destination"]! == "/sys")!;

        Assert.Equal(["rprivate", "nosuid", "noexec", "nodev", "ro", "rbind", "rro"], sys["options"]!.AsArray().Select(o => (string)o!));
    }

    [Fact]
    public void A_sysfs_of_its_own_is_left_alone()
    {
        var config = Config.Replace("\"type\": \"bind\", \"source\": \"/sys\"", "\"type\": \"sysfs\", \"source\": \"sysfs\"", StringComparison.Ordinal);

        var sys = JsonNode.Parse(PodmanConfigFilter.Apply(config, false))!["mounts"]!.AsArray().Single(m => (string)m!["destination"]! == "/sys")!;

        Assert.DoesNotContain("rro", sys["options"]!.AsArray().Select(o => (string)o!));
    }

    [Fact]
    public void Podmans_hostname_variable_goes_unless_the_allow_list_passes_it()
    {
        Assert.Equal(["PATH=/usr/bin:/bin", "TERM=xterm", "HOME=/home/scute"], Filtered()["process"]!["env"]!.AsArray().Select(e => (string)e!));
        Assert.Contains("HOSTNAME=app", Filtered(keepHostname: true)["process"]!["env"]!.AsArray().Select(e => (string)e!));
    }

    [Fact]
    public void The_hook_runs_scute_before_every_container_is_created()
    {
        var hook = JsonNode.Parse(PodmanConfigFilter.HookDefinition(["/usr/bin/scute", HiddenVerbs.PodmanConfig]))!;

        Assert.Equal("/usr/bin/scute", (string)hook["hook"]!["path"]!);
        Assert.Equal(["/usr/bin/scute", "__podman-config"], hook["hook"]!["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(["precreate"], hook["stages"]!.AsArray().Select(s => (string)s!));
        Assert.True((bool)hook["when"]!["always"]!);
    }

    [Fact]
    public void A_config_that_is_not_json_fails_in_one_line()
    {
        var error = new StringWriter();

        Assert.Equal(1, PodmanConfigFilter.Run(new StringReader("not json"), new StringWriter(), error, keepHostname: false));
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
