using System.Text;
using System.Text.Json.Nodes;
using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>scute login/logout against docker-registry with htpasswd: the auth file as Podman keeps it, and the password nowhere else.</summary>
[Trait("Category", "Integration")]
public sealed class SharingAuthTests(RegistryFixture registries) : IClassFixture<RegistryFixture>
{
    [SkippableFact]
    public void Login_keeps_accepted_credentials_in_the_runtime_auth_file_push_and_pull_use_them_and_the_password_appears_nowhere()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var server = registries.Protected;
        var (user, password) = server.Credentials!.Value;
        var runtime = Path.Combine(s.Root, "runtime");
        s.User.RunAs(["mkdir", "-m", "700", "-p", runtime]);
        s.Environment["XDG_RUNTIME_DIR"] = runtime;
        s.Environment["SCUTE_INSECURE_REGISTRIES"] = server.Host;
        var outputs = new List<ProcessResult>();
        ProcessResult Run(string? stdin, params string[] args)
        {
            var r = s.ScuteIn(s.Project, stdin, args);
            outputs.Add(r);
            return r;
        }

        var env = s.Build(Manifests.Strict);
        var reference = server.Reference($"auth/env-{Guid.NewGuid().ToString("N")[..8]}", "1");

        var anonymous = Run(null, "push", env, reference);
        var wrong = Run("not-" + password + "\n", "login", server.Host, "--username", user, "--password-stdin");
        var login = Run(password + "\n", "login", server.Host, "--username", user, "--password-stdin");
        var push = Run(null, "--json", "push", env, reference);
        var other = new ScuteSession(TestUser.WithSubIds);
        var pull = other.User.RunAs([ScuteBinary.Path, "--json", "pull", reference], other.Project, new Dictionary<string, string>(s.Environment) { ["SCUTE_STORE"] = other.Store });
        outputs.Add(pull);
        var logout = Run(null, "logout", server.Host);
        var afterLogout = Run(null, "pull", reference);

        Assert.Equal(1, anonymous.ExitCode);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Single(wrong.Stderr.Trim().Split('\n'));
        Assert.Contains("wrong user name or password", wrong.Stderr, StringComparison.Ordinal);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Equal(1, afterLogout.ExitCode);

        // Podman's format: auths.<registry>.auth = base64("user:password"), the file 0600, only while logged in.
        var file = Path.Combine(runtime, "containers", "auth.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Null(JsonNode.Parse(File.ReadAllText(file))!["auths"]![server.Host]);

        foreach (var r in outputs)
        {
            Assert.DoesNotContain(password, r.Stdout + r.Stderr, StringComparison.Ordinal);
        }

        foreach (var store in new[] { s.Store, other.Store })
        {
            foreach (var path in Directory.EnumerateFiles(Path.Combine(store, "store", "audit"), "*", SearchOption.AllDirectories))
            {
                Assert.DoesNotContain(password, File.ReadAllText(path), StringComparison.Ordinal);
            }
        }
    }

    [SkippableFact]
    public void Login_writes_base64_user_and_password_where_REGISTRY_AUTH_FILE_says()
    {
        Skip.IfNot(RegistryServer.Available, "needs docker-registry and skopeo (test.sh installs them)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var server = registries.Protected;
        var (user, password) = server.Credentials!.Value;
        var file = Path.Combine(s.Root, "auth", "mine.json");
        s.Environment["REGISTRY_AUTH_FILE"] = file;
        s.Environment["SCUTE_INSECURE_REGISTRIES"] = server.Host;

        var login = s.ScuteWithInput(password + "\n", "login", server.Host, "-u", user, "--password-stdin");

        Assert.True(login.ExitCode == 0, login.ToString());
        var auth = JsonNode.Parse(File.ReadAllText(file))!["auths"]![server.Host]!["auth"]!.GetValue<string>();
        Assert.Equal($"{user}:{password}", Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        // skopeo reads the same file.
        var skopeo = s.User.RunAs(["skopeo", "list-tags", "--tls-verify=false", "--authfile", file, $"docker://{server.Host}/nothing-here"], s.Project);
        Assert.DoesNotContain("unauthorized", skopeo.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
