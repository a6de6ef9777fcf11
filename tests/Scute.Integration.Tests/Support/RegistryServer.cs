using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// A real CNCF distribution registry (the Debian package docker-registry) on 127.0.0.1, on a free
/// port, with a scratch storage folder and a generated config; optionally behind htpasswd basic
/// auth. Run as a child process (no systemd) and killed on Dispose. Filled with skopeo.
/// Reusable by any test that needs a registry: <see cref="Start"/>, <see cref="Push"/>,
/// <see cref="Reference"/>, <see cref="BlobDataPath"/>, <see cref="BlobGets"/>.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly List<string> _log = [];

    private RegistryServer(string root, int port, Process process, (string User, string Password)? credentials)
    {
        Root = root;
        Port = port;
        _process = process;
        Credentials = credentials;
    }

    /// <summary>True when docker-registry and skopeo are installed (test.sh installs them).</summary>
    public static bool Available => File.Exists(Binary) && File.Exists("/usr/bin/skopeo");

    /// <summary>Scratch folder: config.yml, storage/, htpasswd.</summary>
    public string Root { get; }

    public int Port { get; }

    /// <summary>host:port, as a registry reference and SCUTE_INSECURE_REGISTRIES name it.</summary>
    public string Host => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public string StorageDir => Path.Combine(Root, "storage");

    /// <summary>The user and password htpasswd accepts, when the registry demands basic auth.</summary>
    public (string User, string Password)? Credentials { get; }

    /// <summary>Starts a registry; with <paramref name="credentials"/> every request needs them (htpasswd, bcrypt).</summary>
    public static RegistryServer Start((string User, string Password)? credentials = null)
    {
        var root = Path.Combine("/tmp", "scute-registry", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "storage"));
        var port = FreePort();
        var auth = "";
        if (credentials is { } c)
        {
            var htpasswd = TestUser.Run("htpasswd", ["-Bbn", c.User, c.Password]);
            if (htpasswd.ExitCode != 0)
            {
                throw new InvalidOperationException("htpasswd failed: " + htpasswd);
            }

            File.WriteAllText(Path.Combine(root, "htpasswd"), htpasswd.Stdout.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: scute-test\n    path: {root}/htpasswd\n";
        }

        var config = Path.Combine(root, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {root}/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        var psi = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("cannot start docker-registry");
        var server = new RegistryServer(root, port, process, credentials);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        server.WaitUntilReady();
        return server;
    }

    /// <summary>A registry reference to <paramref name="repository"/>:<paramref name="tag"/> on this server.</summary>
    public string Reference(string repository, string tag) => $"{Host}/{repository}:{tag}";

    /// <summary>Copies an image (any skopeo source, e.g. "oci:/dir:tag") to repository:tag here; --all keeps an index whole.</summary>
    public void Push(string source, string repository, string tag)
    {
        var args = new List<string> { "copy", "--quiet", "--all", "--dest-tls-verify=false" };
        if (Credentials is { } c)
        {
            args.Add($"--dest-creds={c.User}:{c.Password}");
        }

        args.AddRange([source, $"docker://{Reference(repository, tag)}"]);
        var r = TestUser.Run("skopeo", args, timeoutMs: 60_000);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("skopeo copy failed: " + r);
        }
    }

    /// <summary>Where the registry keeps a blob's bytes (to corrupt it on purpose).</summary>
    public string BlobDataPath(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(StorageDir, "docker/registry/v2/blobs/sha256", hex[..2], hex, "data");
    }

    /// <summary>How many blob GETs the registry has served so far (from its access log).</summary>
    public int BlobGets()
    {
        lock (_log)
        {
            return _log.Count(l => l.Contains("\"GET /v2/", StringComparison.Ordinal) && l.Contains("/blobs/sha256:", StringComparison.Ordinal));
        }
    }

    /// <summary>How many GETs of this one blob the registry has served so far.</summary>
    public int BlobGets(string digest)
    {
        lock (_log)
        {
            return _log.Count(l => l.Contains("\"GET /v2/", StringComparison.Ordinal) && l.Contains("/blobs/" + digest, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(Root, recursive: true);
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("docker-registry exited: " + string.Join('\n', _log));
            }

            try
            {
                using var response = http.GetAsync(new Uri($"http://{Host}/v2/")).GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("docker-registry did not start in 20 s: " + string.Join('\n', _log));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One open and one htpasswd-protected registry, shared by every test of a class (xUnit class fixture).</summary>
public sealed class RegistryFixture : IDisposable
{
    private readonly Lazy<RegistryServer> _open = new(() => RegistryServer.Start());
    private readonly Lazy<RegistryServer> _protected = new(() => RegistryServer.Start(("scute", "pa55-word")));

    public RegistryServer Open => _open.Value;

    public RegistryServer Protected => _protected.Value;

    public void Dispose()
    {
        if (_open.IsValueCreated)
        {
            _open.Value.Dispose();
        }

        if (_protected.IsValueCreated)
        {
            _protected.Value.Dispose();
        }
    }
}
