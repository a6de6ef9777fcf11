using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Scute.Images.Providers.SimpleStreams;
using Scute.Tests.Shared;

namespace Scute.Integration.Tests.Support;

/// <summary>
/// An image server on 127.0.0.1 (a free port) in this test process, serving a simplestreams index
/// in exactly the format images.linuxcontainers.org uses, for whatever rootfs tarballs a test adds
/// under an alias's (os, release). Point the CLI at it with <see cref="Use"/>. Also serves plain
/// files, for http URL tests, and counts every request.
/// </summary>
/// <example>
/// using var server = new ImageServerFixture();
/// server.AddRootfs("debian", "bookworm", ImageServerFixture.MakeBusyboxRootfs(folder));
/// server.Use(session);  // SCUTE_IMAGE_SERVER=http://127.0.0.1:port
/// </example>
public sealed class ImageServerFixture : IDisposable
{
    public const string DefaultVersion = "20250101_05:24";

    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, (string File, bool Corrupt)> files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StreamsRootfs> rootfs = new(StringComparer.Ordinal);
    private readonly Task loop;

    public ImageServerFixture()
    {
        // HttpListener cannot bind port 0: take a free port from the kernel, then bind it, again
        // with another port if something took that one in between.
        for (var attempt = 1; ; attempt++)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }

            BaseUrl = $"http://127.0.0.1:{Port}";
            listener.Prefixes.Clear();
            listener.Prefixes.Add(BaseUrl + "/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                // Taken meanwhile: try another.
            }
        }

        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:&lt;port&gt;, no trailing slash: what SCUTE_IMAGE_SERVER is set to.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request's path, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Makes the session's scute runs use this server.</summary>
    public void Use(ScuteSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Environment[ImageServer.EnvironmentVariable] = BaseUrl;
    }

    /// <summary>
    /// Lists <paramref name="tarball"/> as the root.tar.xz of &lt;os&gt;:&lt;release&gt;:&lt;host arch&gt;:default at
    /// <paramref name="version"/>. With <paramref name="corrupt"/>, the index keeps the true sha256 but
    /// the bytes served have one bit flipped, as a damaged mirror would serve them.
    /// </summary>
    public StreamsRootfs AddRootfs(string os, string release, string tarball, string version = DefaultVersion, bool corrupt = false)
    {
        var arch = ImageServer.HostArchitecture();
        var path = StreamsRootfs.ServerPath(os, release, arch, version);
        string sha256;
        using (var stream = File.OpenRead(tarball))
        {
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        var item = new StreamsRootfs(os, release, arch, version, path, sha256, new FileInfo(tarball).Length);
        rootfs[item.Product + "@" + version] = item;
        files["/" + path] = (tarball, corrupt);
        return item;
    }

    /// <summary>Serves a file at <paramref name="urlPath"/> (starting with '/'); returns its URL.</summary>
    public string AddFile(string urlPath, string file)
    {
        files[urlPath] = (file, false);
        return BaseUrl + urlPath;
    }

    public int CountRequests(Func<string, bool> match) => Requests.Count(match);

    /// <summary>
    /// A small rootfs folder with the host's static busybox as /bin/busybox (and sh, echo, cat links),
    /// packed with <c>tar -cJf</c> like the server's rootfs.tar.xz; returns the tarball's path.
    /// </summary>
    public static string MakeBusyboxRootfs(string folder, string marker = "image-server")
    {
        var root = Path.Combine(folder, "rootfs-" + Guid.NewGuid().ToString("N")[..8]);
        var tarball = root + ".tar.xz";
        var script = "set -e; mkdir -p \"$1/bin\" \"$1/etc\" \"$1/tmp\"; cp /bin/busybox \"$1/bin/busybox\"; "
            + "for l in sh echo cat ls; do ln -s busybox \"$1/bin/$l\"; done; printf '%s\\n' \"$3\" > \"$1/etc/motd\"; "
            + "tar -C \"$1\" -cJf \"$2\" .";
        var r = TestUser.Run("sh", ["-c", script, "sh", root, tarball, marker]);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException("making the rootfs failed: " + r);
        }

        Directory.Delete(root, recursive: true);
        File.SetUnixFileMode(tarball, (UnixFileMode)0b110_100_100);
        return tarball;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
        Requests.Enqueue(path);
        var response = context.Response;
        try
        {
            var items = rootfs.Values.OrderBy(i => i.Product, StringComparer.Ordinal).ThenBy(i => i.Version, StringComparer.Ordinal).ToList();
            if (path == "/" + SimpleStreamsCatalog.IndexPath)
            {
                Write(response, System.Text.Encoding.UTF8.GetBytes(SimpleStreamsDocuments.Index(items)));
            }
            else if (path == "/" + SimpleStreamsDocuments.ImagesPath)
            {
                Write(response, System.Text.Encoding.UTF8.GetBytes(SimpleStreamsDocuments.Images(items)));
            }
            else if (files.TryGetValue(path, out var file))
            {
                SendFile(response, file.File, file.Corrupt);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // Same.
            }
        }
    }

    private static void Write(HttpListenerResponse response, byte[] body)
    {
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    /// <summary>Streams the file, so a large rootfs (an mmdebstrap base) is never held in memory.</summary>
    private static void SendFile(HttpListenerResponse response, string file, bool corrupt)
    {
        using var input = File.OpenRead(file);
        response.ContentType = "application/octet-stream";
        response.ContentLength64 = input.Length;
        var buffer = new byte[1 << 16];
        var first = true;
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            if (corrupt && first)
            {
                buffer[n / 2] ^= 0x01;
            }

            first = false;
            response.OutputStream.Write(buffer, 0, n);
        }
    }

    public void Dispose()
    {
        // Close alone: on Linux, Stop then Close unregisters the prefix twice, and the second
        // time binds the port again ("Address already in use").
        try
        {
            listener.Close();
        }
        catch (HttpListenerException)
        {
            // Closing is best effort; the port is freed with the process at the latest.
        }

        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends when the listener stops; how it ends does not matter here.
        }
    }
}
