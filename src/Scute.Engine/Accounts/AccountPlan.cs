using Scute.Runtime;

namespace Scute.Engine.Accounts;

/// <summary>
/// Who the command is inside and what makes that a named account with a home, decided per
/// run from the environment's own passwd and group (the upper folder first): an account the
/// image already has is used as it is; otherwise a passwd (and group) of the image's lines plus
/// one for the user is laid over /etc for this run only, as Podman's keep-id does. dev names
/// the invoking user; strict names the manifest's uid <see cref="StrictName"/>.
/// </summary>
internal sealed record AccountPlan(PasswdEntry Account, IReadOnlyList<RootFile> Files, HomeSpec? Home)
{
    public const string StrictName = "scute";

    public static AccountPlan For(IReadOnlyList<string> trees, int uid, int gid, bool dev, bool readOnlyRoot, IReadOnlyList<BindMount> mounts) =>
        For(AccountTrees.Plain(trees), uid, gid, dev, readOnlyRoot, mounts);

    public static AccountPlan For(AccountTrees trees, int uid, int gid, bool dev, bool readOnlyRoot, IReadOnlyList<BindMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var passwd = trees.ReadTopmost("/etc/passwd");
        var group = trees.ReadTopmost("/etc/group");
        var account = PasswdEntry.Find(passwd, uid);
        var files = new List<RootFile>();
        var groupName = StrictName;
        var (name, gecos, shell) = (StrictName, "Scute", (string?)null);
        if (dev)
        {
            var (host, hostGroup) = HostAccount.Invoking();
            (name, gecos, shell, groupName) = (PasswdEntry.Clean(host.Name), PasswdEntry.Clean(host.Gecos), host.Shell, PasswdEntry.Clean(hostGroup));
        }

        if (account is null)
        {
            var home = "/home/" + (IsSafeName(name) ? name : "user");
            var loginShell = shell is not null && shell.StartsWith('/') && trees.Has(shell) ? shell : DefaultShell(passwd, trees);
            account = new PasswdEntry(name, uid, gid, gecos, home, loginShell);
            files.Add(new RootFile("/etc/passwd", Append(passwd, "root:x:0:0:root:/root:/bin/sh", account.ToLine()), null));
        }

        if (PasswdEntry.GroupName(group, gid) is null)
        {
            files.Add(new RootFile("/etc/group", Append(group, "root:x:0:", $"{groupName}:x:{gid}:"), null));
        }

        return new AccountPlan(account, files, HomeFor(account.Home, trees, readOnlyRoot, mounts));
    }

    /// <summary>Whether a path exists in the environment's tree (its upper folder, then its lower layers), never following a link out.</summary>
    public static bool Has(IReadOnlyList<string> trees, string containerPath) => AccountTrees.Plain(trees).Has(containerPath);

    /// <summary>
    /// Under a read-only root, a private tmpfs; else a folder in the upper layer when the tree
    /// lacks it. None when a manifest mount provides it, or the account has no real home.
    /// </summary>
    private static HomeSpec? HomeFor(string home, AccountTrees trees, bool readOnlyRoot, IReadOnlyList<BindMount> mounts)
    {
        var mounted = mounts.Any(m => home == m.Target.TrimEnd('/') || home.StartsWith(m.Target.TrimEnd('/') + "/", StringComparison.Ordinal));
        if (!home.StartsWith('/') || home is "/" or "/nonexistent" || home.Split('/').Contains("..") || mounted)
        {
            return null;
        }

        return readOnlyRoot ? new HomeSpec(home, Tmpfs: true) : trees.Has(home) ? null : new HomeSpec(home, Tmpfs: false);
    }

    /// <summary>The image's own choice: root's shell when the tree has it, else /bin/sh.</summary>
    private static string DefaultShell(string? passwd, AccountTrees trees)
    {
        var shell = PasswdEntry.Find(passwd, 0)?.Shell;
        return shell is not null && shell.StartsWith('/') && trees.Has(shell) ? shell : "/bin/sh";
    }

    /// <summary>The image's lines and ours; an image without the file gets a root line too, so files owned by 0 show a name.</summary>
    private static string Append(string? existing, string rootLine, string line) =>
        existing is null ? $"{rootLine}\n{line}\n"
        : existing.Length == 0 || existing.EndsWith('\n') ? $"{existing}{line}\n"
        : $"{existing}\n{line}\n";

    /// <summary>^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$ (a final newline allowed, as $ does), without a regex's start-up cost.</summary>
    private static bool IsSafeName(string name)
    {
        var s = name.EndsWith('\n') ? name.AsSpan()[..^1] : name.AsSpan();
        if (s.Length is 0 or > 32 || !(char.IsAsciiLetterOrDigit(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (var c in s[1..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
