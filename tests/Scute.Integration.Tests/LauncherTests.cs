using Scute.Integration.Tests.Support;

namespace Scute.Integration.Tests;

/// <summary>
/// scute export app and export bin (issue 12, point 5): a folder image with an app, its .desktop
/// file and icon; the menu entry passes desktop-file-validate and really runs the app through
/// scute; the script in ~/.local/bin likewise; destroy removes them. Each session has its own
/// HOME and XDG_DATA_HOME, so the files seen are this test's.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LauncherTests
{
    private const string DesktopFile = """
        [Desktop Entry]
        Type=Application
        Name=Demo Viewer
        Name[de]=Demo-Betrachter
        Comment=Shows a demo
        Exec=demo %F
        TryExec=demo
        Icon=demo
        MimeType=text/plain;
        Categories=Utility;
        Actions=second;

        [Desktop Action second]
        Name=Second window
        Exec=demo --second
        """;

    private static (ScuteSession Session, string Env, string Data, string Home) Environment()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox (busybox-static)");
        Skip.IfNot(File.Exists("/usr/bin/desktop-file-validate"), "needs desktop-file-validate (desktop-file-utils; ./test.sh installs it)");
        var s = new ScuteSession(TestUser.WithSubIds);
        var home = Path.Combine(s.Root, "home");
        var data = Path.Combine(s.Root, "data");
        s.User.RunAs(["mkdir", "-p", home, data]);
        s.Environment["HOME"] = home;
        s.Environment["XDG_DATA_HOME"] = data;
        s.Write("rootfs/usr/share/applications/demo.desktop", DesktopFile);
        s.Write("rootfs/usr/share/icons/hicolor/48x48/apps/demo.png", "not really a png");
        s.Write("rootfs/usr/bin/demo", "#!/bin/sh\necho demo-ran \"$@\"\n");
        var r = s.User.RunAs(["sh", "-c", "mkdir -p rootfs/bin && cp /bin/busybox rootfs/bin/busybox && ln -s busybox rootfs/bin/sh && chmod 755 rootfs/usr/bin/demo"], s.Project);
        Assert.True(r.ExitCode == 0, r.ToString());
        return (s, s.Build(Manifests.WithImage(Path.Combine(s.Project, "rootfs")), name: "viewer"), data, home);
    }

    /// <summary>The Exec line with its field codes dropped, split as the spec quotes it (no quoted arguments here).</summary>
    private static string[] ExecArgs(string desktop, string group = "Desktop Entry")
    {
        var inGroup = false;
        foreach (var line in File.ReadAllLines(desktop))
        {
            if (line.StartsWith('['))
            {
                inGroup = line == $"[{group}]";
            }
            else if (inGroup && line.StartsWith("Exec=", StringComparison.Ordinal))
            {
                return [.. line["Exec=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith('%'))];
            }
        }

        throw new InvalidOperationException($"no Exec in [{group}] of {desktop}");
    }

    [SkippableFact]
    public void An_exported_app_is_a_valid_menu_entry_that_runs_the_app_through_scute()
    {
        var (s, env, data, _) = Environment();

        var r = s.Scute("export", "app", env, "demo");

        Assert.True(r.ExitCode == 0, r.ToString());
        var desktop = Directory.GetFiles(Path.Combine(data, "applications"), "scute-*-demo.desktop").Single();
        var validate = TestUser.Run("desktop-file-validate", [desktop]);
        Assert.True(validate.ExitCode == 0 && validate.Stdout.Trim().Length == 0, validate.ToString());
        var text = File.ReadAllText(desktop);
        Assert.Contains("Name=Demo Viewer (viewer)", text, StringComparison.Ordinal);
        Assert.Contains("Name[de]=Demo-Betrachter (viewer)", text, StringComparison.Ordinal);
        Assert.Contains("MimeType=text/plain;", text, StringComparison.Ordinal);
        Assert.Contains("Categories=Utility;", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TryExec", text, StringComparison.Ordinal);
        var icon = Directory.GetFiles(Path.Combine(data, "icons", "hicolor", "48x48", "apps")).Single();
        Assert.Equal("not really a png", File.ReadAllText(icon));
        Assert.Contains($"Icon={Path.GetFileNameWithoutExtension(icon)}\n", text, StringComparison.Ordinal);

        var args = ExecArgs(desktop);
        Assert.Equal(ScuteBinary.Path, args[0]);
        var ran = s.User.RunAs([.. args, "/tmp/file.txt"], s.Project, s.Environment);
        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Equal("demo-ran /tmp/file.txt", ran.Stdout.Trim());
        var action = s.User.RunAs(ExecArgs(desktop, "Desktop Action second"), s.Project, s.Environment);
        Assert.Equal("demo-ran --second", action.Stdout.Trim());

        var list = s.Scute("export", "app", "--list");
        Assert.Contains("demo", list.Stdout, StringComparison.Ordinal);
        Assert.Contains(desktop, list.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_command_after_the_dashes_replaces_the_apps_own_and_an_app_without_a_desktop_file_gets_one()
    {
        var (s, env, data, _) = Environment();

        var custom = s.Scute("export", "app", env, "demo", "--", "demo", "--from", "menu");
        var bare = s.Scute("export", "app", env, "sh", "--", "sh", "-c", "echo bare-ran");

        Assert.True(custom.ExitCode == 0 && bare.ExitCode == 0, custom + bare.ToString());
        var demo = Directory.GetFiles(Path.Combine(data, "applications"), "scute-*-demo.desktop").Single();
        Assert.Equal("demo-ran --from menu", s.User.RunAs(ExecArgs(demo), s.Project, s.Environment).Stdout.Trim());
        var sh = Directory.GetFiles(Path.Combine(data, "applications"), "scute-*-sh.desktop").Single();
        var validate = TestUser.Run("desktop-file-validate", [sh]);
        Assert.True(validate.ExitCode == 0 && validate.Stdout.Trim().Length == 0, validate.ToString());
        Assert.Contains("Exec=", File.ReadAllText(sh), StringComparison.Ordinal);
        Assert.Contains("\"echo bare-ran\"", File.ReadAllText(sh), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_bin_launcher_runs_the_command_and_never_replaces_a_file_it_did_not_make()
    {
        var (s, env, _, home) = Environment();

        var r = s.Scute("export", "bin", env, "demo");

        Assert.True(r.ExitCode == 0, r.ToString());
        var script = Path.Combine(home, ".local", "bin", "demo");
        var ran = s.User.RunAs([script, "with args", "two"], s.Project, s.Environment);
        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.Equal("demo-ran with args two", ran.Stdout.Trim());

        s.User.RunAs(["sh", "-c", $"echo mine > {home}/.local/bin/other && chmod 755 {home}/.local/bin/other"]);
        var refused = s.Scute("export", "bin", env, "other");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("was not made by scute export bin", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(home, ".local", "bin", "other")).Trim());
    }

    [SkippableFact]
    public void A_hostile_desktop_file_cannot_copy_a_host_file_as_its_icon()
    {
        var (s, _, data, _) = Environment();
        // A file of the user's on the host, that an image names as its icon: through "..", and through a symlink.
        var secret = s.Write("secret/key.png", "host secret");
        s.Write("rootfs/usr/share/applications/evil.desktop", $"""
            [Desktop Entry]
            Type=Application
            Name=Evil
            Exec=demo
            Icon=/../../../../../../../..{secret}
            """);
        s.Write("rootfs/usr/share/applications/evil2.desktop", "[Desktop Entry]\nType=Application\nName=Evil two\nExec=demo\nIcon=evil2\n");
        s.User.RunAs(["mkdir", "-p", "rootfs/usr/share/icons/hicolor/48x48/apps"], s.Project);
        s.User.RunAs(["ln", "-s", secret, "rootfs/usr/share/icons/hicolor/48x48/apps/evil2.png"], s.Project);
        var env = s.Build(Manifests.WithImage(Path.Combine(s.Project, "rootfs")), "evil.toml", name: "evil");

        Assert.Equal(0, s.Scute("export", "app", env, "evil").ExitCode);
        Assert.Equal(0, s.Scute("export", "app", env, "evil2").ExitCode);

        var icons = Path.Combine(data, "icons");
        Assert.False(Directory.Exists(icons) && Directory.EnumerateFiles(icons, "*", SearchOption.AllDirectories).Any(), "an icon was copied");
        foreach (var desktop in Directory.GetFiles(Path.Combine(data, "applications"), "scute-*-evil*.desktop"))
        {
            Assert.DoesNotContain("Icon=", File.ReadAllText(desktop), StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void Remove_and_destroy_take_the_launchers_away()
    {
        var (s, env, data, home) = Environment();
        Assert.Equal(0, s.Scute("export", "app", env, "demo").ExitCode);
        Assert.Equal(0, s.Scute("export", "app", env, "sh").ExitCode);
        Assert.Equal(0, s.Scute("export", "bin", env, "demo").ExitCode);

        var removed = s.Scute("export", "app", "--remove", env, "sh");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Single(Directory.GetFiles(Path.Combine(data, "applications")));

        var destroy = s.Scute("destroy", env);
        Assert.True(destroy.ExitCode == 0, destroy.ToString());
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "applications")));
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "icons"), "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(home, ".local", "bin", "demo")));
    }
}
