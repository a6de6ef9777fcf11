using Scute.Engine.Accounts;
using Scute.Engine.Prepared;

namespace Scute.Engine.Tests.Accounts;

/// <summary>
/// The account lookup of an exec under a writable root: the upper folder read every time, the
/// lower layers' answers as build recorded them; whatever the upper holds, the result is the
/// one of reading every tree.
/// </summary>
public sealed class AccountTreesTests : IDisposable
{
    private const string ImagePasswd = "root:x:0:0:root:/root:/bin/zsh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
    private readonly string root = Directory.CreateTempSubdirectory("scute-account-trees-").FullName;
    private readonly string image;
    private readonly string upper;

    public AccountTreesTests()
    {
        image = Tree("image", ("etc/passwd", ImagePasswd), ("etc/group", "root:x:0:\n"), ("bin/sh", ""));
        upper = Tree("upper");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        var tree = Path.Combine(root, name);
        Directory.CreateDirectory(tree);
        foreach (var (path, text) in files)
        {
            Write(tree, path, text);
        }

        return tree;
    }

    private static void Write(string tree, string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(tree, path))!);
        File.WriteAllText(Path.Combine(tree, path), text);
    }

    /// <summary>What build records: the same lookup over the lower layers alone.</summary>
    private LowerTreeAnswers Recorded(int uid = 1001)
    {
        var answers = new LowerTreeAnswers();
        _ = ExecPreparation.Account(AccountTrees.Recording([image], answers), uid, uid, dev: false, readOnlyRoot: false, []);
        return answers;
    }

    private PreparedAccount AtExec(LowerTreeAnswers recorded, int uid = 1001) =>
        ExecPreparation.Account(AccountTrees.Layered(upper, [image], recorded), uid, uid, dev: false, readOnlyRoot: false, []);

    private PreparedAccount ReadingEveryTree(int uid = 1001) =>
        ExecPreparation.Account([upper, image], uid, uid, dev: false, readOnlyRoot: false, []);

    private static void AssertSame(PreparedAccount expected, PreparedAccount actual)
    {
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.LoginShell, actual.LoginShell);
        Assert.Equal(expected with { Files = [], LoginShell = [] }, actual with { Files = [], LoginShell = [] });
    }

    [Fact]
    public void Build_records_what_the_layers_answered_and_exec_does_not_read_them_again()
    {
        var recorded = Recorded();
        Assert.Equal(ImagePasswd, recorded.Files["/etc/passwd"]);
        Assert.False(recorded.Paths["/home/scute"]);
        Assert.False(recorded.Paths["/bin/zsh"]);

        // Layers never change in a store; here one does, to show exec used the record.
        File.WriteAllText(Path.Combine(image, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nelse:x:1001:1001::/home/else:/bin/sh\n");
        var account = AtExec(recorded);

        Assert.Equal("scute", account.Name);
        Assert.Contains("nobody:x:65534", Assert.Single(account.Files, f => f.Target == "/etc/passwd").Content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_added_to_the_uppers_passwd_after_build_is_the_account_at_the_next_exec()
    {
        var recorded = Recorded();
        Assert.Equal("scute", AtExec(recorded).Name);

        Write(upper, "etc/passwd", ImagePasswd + "alice:x:1001:1001:Alice:/home/alice:/bin/sh\n");
        var account = AtExec(recorded);

        Assert.Equal(("alice", "Alice", "/home/alice", "/bin/sh"), (account.Name, account.Gecos, account.Home, account.Shell));
        Assert.DoesNotContain(account.Files, f => f.Target == "/etc/passwd");
        AssertSame(ReadingEveryTree(), account);
    }

    [Fact]
    public void A_group_added_to_the_uppers_group_file_is_used()
    {
        var recorded = Recorded();
        Write(upper, "etc/group", "root:x:0:\nstaff:x:1001:\n");

        var account = AtExec(recorded);

        Assert.DoesNotContain(account.Files, f => f.Target == "/etc/group");
        AssertSame(ReadingEveryTree(), account);
    }

    [Fact]
    public void A_home_and_a_shell_that_appear_in_the_upper_are_seen()
    {
        var recorded = Recorded();
        var before = AtExec(recorded);
        Assert.Equal(new Runtime.HomeSpec("/home/scute", Tmpfs: false), before.HomeSpec);
        Assert.Equal(["/bin/sh", "-l"], before.LoginShell); // root's /bin/zsh is not in the image

        Directory.CreateDirectory(Path.Combine(upper, "home", "scute"));
        Write(upper, "bin/zsh", "");
        var after = AtExec(recorded);

        Assert.Null(after.HomeSpec);
        Assert.True(after.HomeExists);
        Assert.Equal("/bin/zsh", after.Shell);
        Assert.Equal(["/bin/zsh", "-l"], after.LoginShell);
        AssertSame(ReadingEveryTree(), after);
    }

    [Fact]
    public void Links_and_odd_entries_in_the_upper_give_the_answer_of_reading_every_tree()
    {
        var elsewhere = Tree("elsewhere", ("passwd", "evil:x:1001:1001::/:/bin/sh\n"), ("home/scute/x", ""));
        (string Name, Action Make)[] uppers =
        [
            ("passwd is a link out", () => File.CreateSymbolicLink(Path.Combine(upper, "etc", "passwd"), Path.Combine(elsewhere, "passwd"))),
            ("etc is a link out", () => Directory.CreateSymbolicLink(Path.Combine(upper, "etc"), elsewhere)),
            ("etc is a file", () => File.WriteAllText(Path.Combine(upper, "etc"), "")),
            ("passwd is a folder", () => Directory.CreateDirectory(Path.Combine(upper, "etc", "passwd"))),
            ("home is a link out", () => Directory.CreateSymbolicLink(Path.Combine(upper, "home"), Path.Combine(elsewhere, "home"))),
            ("home is a link inside", () => { Directory.CreateDirectory(Path.Combine(upper, "srv", "scute")); Directory.CreateSymbolicLink(Path.Combine(upper, "home"), "/srv"); }),
            ("bin is a link to usr/bin", () => { Write(upper, "usr/bin/zsh", ""); Directory.CreateSymbolicLink(Path.Combine(upper, "bin"), "usr/bin"); }),
        ];

        foreach (var (name, make) in uppers)
        {
            Directory.Delete(upper, recursive: true);
            Directory.CreateDirectory(Path.Combine(upper, "etc"));
            if (name == "etc is a file" || name == "etc is a link out")
            {
                Directory.Delete(Path.Combine(upper, "etc"));
            }

            make();
            var recorded = Recorded();
            var expected = ReadingEveryTree();
            var actual = AtExec(recorded);
            Assert.True(expected.Name == actual.Name && expected.Home == actual.Home && expected.Shell == actual.Shell, name);
            AssertSame(expected, actual);
        }
    }
}
