using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scute.Engine.Devices;

/// <summary>
/// Reads one CDI spec file (JSON, or YAML as nvidia-ctk writes it) strictly: an unknown field, a
/// wrong type, a field newer than the file's cdiVersion or a malformed kind or device name is an
/// error naming the file and the field. Field names match regardless of case, as Go's decoder
/// (which CDI's loader uses) matches them.
/// </summary>
public static partial class CdiSpecReader
{
    public static CdiSpec ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }

        return Read(path, text);
    }

    public static CdiSpec Read(string path, string text)
    {
        JsonNode? root;
        try
        {
            root = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? JsonNode.Parse(text) : YamlToJson.Convert(text);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or InvalidDataException)
        {
            throw new InvalidDataException($"CDI spec {path}: not valid {(path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "JSON" : "YAML")}: {e.Message.Split('\n')[0]}");
        }

        return new Parser(path).Spec(root);
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    private sealed class Parser(string path)
    {
        private string _required = CdiVersion.Known[0];
        private string _why = "";

        public CdiSpec Spec(JsonNode? node)
        {
            var o = Object(node, "the document");
            Fields(o, "the document", "cdiVersion", "kind", "annotations", "devices", "containerEdits");
            var version = String(o, "cdiVersion", "the document") ?? throw Error("cdiVersion is missing");
            if (!CdiVersion.IsKnown(version))
            {
                throw Error($"cdiVersion {version} is not one Scute reads ({string.Join(", ", CdiVersion.Known)})");
            }

            var kind = String(o, "kind", "the document") ?? throw Error("kind is missing");
            Kind(kind);
            Annotations(o, "the document");
            var devicesNode = Get(o, "devices");
            var devices = Array(devicesNode, "devices").Select((d, i) => Device(d, $"devices[{i}]")).ToList();
            if (devices.Count == 0)
            {
                throw Error("devices is empty (a spec offers at least one device)");
            }

            var duplicate = devices.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw Error($"device '{duplicate.Key}' is defined twice");
            }

            var edits = Get(o, "containerEdits") is { } e ? Edits(e, "containerEdits") : CdiEdits.None;
            if (CdiVersion.Compare(version, _required) < 0)
            {
                throw Error($"{_why} needs cdiVersion {_required} or later, but the file says {version}");
            }

            return new CdiSpec(path, version, kind, devices, edits);
        }

        private void Kind(string kind)
        {
            var slash = kind.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || kind.IndexOf('/', slash + 1) >= 0 || kind.Length > 253 + 1 + 63)
            {
                throw Error($"kind '{kind}' is not vendor/class (e.g. nvidia.com/gpu)");
            }

            var (vendor, cls) = (kind[..slash], kind[(slash + 1)..]);
            if (vendor.Length > 253 || !DnsSubdomain().IsMatch(vendor))
            {
                throw Error($"kind '{kind}': '{vendor}' is not a DNS subdomain");
            }

            if (cls.Length is 0 or > 63 || !Name().IsMatch(cls))
            {
                throw Error($"kind '{kind}': '{cls}' is not a name (letters, digits, - _ . inside)");
            }

            if (cls.Contains('.', StringComparison.Ordinal))
            {
                Require(CdiVersion.DotInKindName, $"a dot in the kind's name ('{cls}')");
            }
        }

        private CdiDevice Device(JsonNode? node, string where)
        {
            var o = Object(node, where);
            Fields(o, where, "name", "annotations", "containerEdits");
            var name = String(o, "name", where) ?? throw Error($"{where}.name is missing");
            if (!Name().IsMatch(name))
            {
                throw Error($"{where}.name '{name}' is not a device name (letters, digits, - _ . inside)");
            }

            if (char.IsAsciiDigit(name[0]))
            {
                Require(CdiVersion.DeviceNameStartsWithDigit, $"device name '{name}' starting with a digit");
            }

            Annotations(o, where);
            var edits = Get(o, "containerEdits") is { } e ? Edits(e, where + ".containerEdits") : CdiEdits.None;
            return new CdiDevice(name, edits);
        }

        private CdiEdits Edits(JsonNode node, string where)
        {
            var o = Object(node, where);
            Fields(o, where, "env", "deviceNodes", "mounts", "hooks", "additionalGids", "intelRdt", "netDevices");
            var env = Strings(Get(o, "env"), where + ".env");
            foreach (var entry in env.Where(e => e.IndexOf('=', StringComparison.Ordinal) <= 0))
            {
                throw Error($"{where}.env: '{entry}' is not NAME=VALUE");
            }

            var nodes = Array(Get(o, "deviceNodes"), where + ".deviceNodes").Select((n, i) => DeviceNode(n, $"{where}.deviceNodes[{i}]")).ToList();
            var mounts = Array(Get(o, "mounts"), where + ".mounts").Select((m, i) => Mount(m, $"{where}.mounts[{i}]")).ToList();
            var refused = new List<string>();
            foreach (var (hook, i) in Array(Get(o, "hooks"), where + ".hooks").Select((h, i) => (h, i)))
            {
                refused.Add(Hook(hook, $"{where}.hooks[{i}]"));
            }

            var gids = Array(Get(o, "additionalGids"), where + ".additionalGids").Select((g, i) => Integer(g, $"{where}.additionalGids[{i}]")).Where(g => g != 0).ToList();
            if (gids.Count > 0)
            {
                Require(CdiVersion.AdditionalGids, "additionalGids");
                refused.Add($"additional groups {string.Join(",", gids)}");
            }

            if (Get(o, "intelRdt") is { } rdt)
            {
                var r = Object(rdt, where + ".intelRdt");
                Fields(r, where + ".intelRdt", "closID", "l3CacheSchema", "memBwSchema", "schemata", "enableMonitoring", "enableCMT", "enableMBM");
                Require(CdiVersion.IntelRdt, "intelRdt");
                if (Get(r, "schemata") is not null || Get(r, "enableMonitoring") is not null)
                {
                    Require(CdiVersion.IntelRdtSchemata, "intelRdt.schemata/enableMonitoring");
                }

                refused.Add("Intel RDT settings (intelRdt)");
            }

            var net = Array(Get(o, "netDevices"), where + ".netDevices");
            foreach (var (dev, i) in net.Select((d, i) => (d, i)))
            {
                var d = Object(dev, $"{where}.netDevices[{i}]");
                Fields(d, $"{where}.netDevices[{i}]", "hostInterfaceName", "name");
                Require(CdiVersion.NetDevices, "netDevices");
                refused.Add($"moving host network interface {String(d, "hostInterfaceName", where) ?? "?"} in");
            }

            return new CdiEdits(env, nodes, mounts, refused);
        }

        private CdiDeviceNode DeviceNode(JsonNode? node, string where)
        {
            var o = Object(node, where);
            Fields(o, where, "path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid");
            var p = String(o, "path", where) ?? throw Error($"{where}.path is missing");
            Absolute(p, where + ".path");
            var host = String(o, "hostPath", where);
            if (!string.IsNullOrEmpty(host))
            {
                Require(CdiVersion.HostPath, $"{where}.hostPath");
                Absolute(host, where + ".hostPath");
            }

            var type = String(o, "type", where);
            if (type is not (null or "" or "c" or "b" or "u" or "p"))
            {
                throw Error($"{where}.type '{type}' is not c, b, u or p");
            }

            foreach (var number in new[] { "fileMode", "uid", "gid" })
            {
                _ = Get(o, number) is { } n ? Integer(n, $"{where}.{number}") : 0;
            }

            _ = String(o, "permissions", where);
            return new CdiDeviceNode(p, string.IsNullOrEmpty(host) ? p : host, string.IsNullOrEmpty(type) ? null : type,
                Get(o, "major") is { } major ? Integer(major, where + ".major") : null,
                Get(o, "minor") is { } minor ? Integer(minor, where + ".minor") : null);
        }

        private CdiMount Mount(JsonNode? node, string where)
        {
            var o = Object(node, where);
            Fields(o, where, "hostPath", "containerPath", "type", "options");
            var host = String(o, "hostPath", where) ?? throw Error($"{where}.hostPath is missing");
            var target = String(o, "containerPath", where) ?? throw Error($"{where}.containerPath is missing");
            Absolute(host, where + ".hostPath");
            Absolute(target, where + ".containerPath");
            var type = String(o, "type", where);
            if (!string.IsNullOrEmpty(type))
            {
                Require(CdiVersion.MountType, $"{where}.type");
            }

            return new CdiMount(host, target, string.IsNullOrEmpty(type) ? null : type, Strings(Get(o, "options"), where + ".options"));
        }

        private string Hook(JsonNode? node, string where)
        {
            var o = Object(node, where);
            Fields(o, where, "hookName", "path", "args", "env", "timeout");
            var name = String(o, "hookName", where) ?? throw Error($"{where}.hookName is missing");
            var hookPath = String(o, "path", where) ?? throw Error($"{where}.path is missing");
            Absolute(hookPath, where + ".path");
            _ = Strings(Get(o, "args"), where + ".args");
            _ = Strings(Get(o, "env"), where + ".env");
            if (Get(o, "timeout") is { } t && Integer(t, where + ".timeout") <= 0)
            {
                throw Error($"{where}.timeout must be greater than zero");
            }

            return $"a {name} hook ({hookPath})";
        }

        private void Annotations(JsonObject o, string where)
        {
            if (Get(o, "annotations") is not { } a)
            {
                return;
            }

            var map = Object(a, where + ".annotations");
            foreach (var (key, value) in map)
            {
                if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
                {
                    throw Error($"{where}.annotations.{key} is not a string");
                }
            }

            if (map.Count > 0)
            {
                Require(CdiVersion.Annotations, $"{where}.annotations");
            }
        }

        private void Require(string version, string why)
        {
            if (CdiVersion.Compare(version, _required) > 0)
            {
                (_required, _why) = (version, why);
            }
        }

        private static JsonNode? Get(JsonObject o, string name) =>
            o.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        private void Fields(JsonObject o, string where, params string[] known)
        {
            foreach (var (key, _) in o)
            {
                if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    throw Error($"{where}: unknown field '{key}'");
                }
            }
        }

        private JsonObject Object(JsonNode? node, string where) =>
            node as JsonObject ?? throw Error($"{where} is not an object");

        private List<JsonNode?> Array(JsonNode? node, string where) => node switch
        {
            null => [],
            JsonArray a => [.. a],
            _ => throw Error($"{where} is not a list"),
        };

        private List<string> Strings(JsonNode? node, string where) =>
            [.. Array(node, where).Select((n, i) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Error($"{where}[{i}] is not a string"))];

        private string? String(JsonObject o, string name, string where) => Get(o, name) switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw Error($"{where}.{name} is not a string"),
        };

        private long Integer(JsonNode? node, string where) =>
            node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) ? n
            : node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var x) && x == Math.Floor(x) ? (long)x
            : throw Error($"{where} is not an integer");

        private void Absolute(string p, string where)
        {
            if (!p.StartsWith('/'))
            {
                throw Error($"{where} '{p}' is not an absolute path");
            }
        }

        private InvalidDataException Error(string message) => new($"CDI spec {path}: {message}");
    }
}
