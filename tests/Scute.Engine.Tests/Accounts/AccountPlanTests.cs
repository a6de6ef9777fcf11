using Scute.Engine.Accounts;
using Scute.Runtime;

namespace Scute.Engine.Tests.Accounts;

/// <summary>Which account a run gets and which /etc files it lays over the image, from trees made on disk.</summary>
public sealed class AccountPlanTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("scute-accounts-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        var tree = Path.Combine(root, name);
        Directory.CreateDirectory(tree);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, path))!);
            File.WriteAllText(Path.Combine(tree, path), text);
        }

        return tree;
    }

    private const string ImagePasswd = "root:x:0:0:root:/root:/bin/ash\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false";

    [Fact]
    public void Strict_user_missing_from_the_image_is_added_as_scute_with_a_private_home()
    {
        var image = Tree("image", ("etc/passwd", ImagePasswd), ("etc/group", "root:x:0:\n"), ("bin/ash", ""));

        var plan = AccountPlan.For([Tree("upper"), image], 1001, 1001, dev: false, readOnlyRoot: true, []);

        Assert.Equal(new PasswdEntry("scute", 1001, 1001, "Scute", "/home/scute", "/bin/ash"), plan.Account);
        var passwd = Assert.Single(plan.Files, f => f.Target == "/etc/passwd").Content;
        Assert.Equal(ImagePasswd + "\nscute:x:1001:1001:Scute:/home/scute:/bin/ash\n", passwd);
        Assert.Equal("root:x:0:\nscute:x:1001:\n", Assert.Single(plan.Files, f => f.Target == "/etc/group").Content);
        Assert.Equal(new HomeSpec("/home/scute", Tmpfs: true), plan.Home);
    }

    [Fact]
    public void An_account_the_image_has_is_used_as_it_is_and_nothing_is_laid_over()
    {
        var image = Tree("image", ("etc/passwd", "app:x:1001:1001::/srv/app:/bin/sh\n"), ("etc/group", "app:x:1001:\n"), ("srv/app/.keep", ""));

        var plan = AccountPlan.For([Tree("upper"), image], 1001, 1001, dev: false, readOnlyRoot: false, []);

        Assert.Equal("app", plan.Account.Name);
        Assert.Empty(plan.Files);
        Assert.Null(plan.Home); // it exists in the tree and the root is writable
    }

    [Fact]
    public void The_upper_folder_hides_the_image_and_a_symlinked_passwd_is_never_read()
    {
        var outside = Tree("outside", ("passwd", "leak:x:1001:1001::/leak:/bin/sh\n"));
        var upper = Tree("upper", ("etc/group", "g:x:7:\n"));
        File.CreateSymbolicLink(Path.Combine(upper, "etc", "passwd"), Path.Combine(outside, "passwd"));
        var image = Tree("image", ("etc/passwd", "img:x:1001:1001::/home/img:/bin/sh\n"));

        var plan = AccountPlan.For([upper, image], 1001, 7, dev: false, readOnlyRoot: false, []);

        Assert.Equal("scute", plan.Account.Name);
        var passwd = Assert.Single(plan.Files, f => f.Target == "/etc/passwd").Content!;
        Assert.DoesNotContain("leak", passwd, StringComparison.Ordinal);
        Assert.DoesNotContain("img", passwd, StringComparison.Ordinal);
        Assert.StartsWith("root:x:0:0:", passwd, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Files, f => f.Target == "/etc/group"); // gid 7 is in the upper's group
        Assert.Equal(new HomeSpec("/home/scute", Tmpfs: false), plan.Home);
    }

    [Fact]
    public void Dev_user_gets_the_invoking_name_and_a_mounted_home_is_left_to_the_mount()
    {
        var image = Tree("image", ("etc/passwd", ImagePasswd));
        var uid = UidInfo.EffectiveUid == 0 ? 4242 : UidInfo.EffectiveUid; // root is in every image

        var plan = AccountPlan.For([image], uid, 4242, dev: true, readOnlyRoot: false, [new BindMount("/x", "/home", false)]);

        Assert.Equal(uid, plan.Account.Uid);
        Assert.Equal("/home/" + plan.Account.Name, plan.Account.Home);
        Assert.Null(plan.Home);
        Assert.Contains(plan.Files, f => f.Target == "/etc/group" && f.Content!.EndsWith(":x:4242:\n", StringComparison.Ordinal));
    }
}
